"""``tinychat probs``: the next-token distribution after a prompt, stage by stage through the sampler."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tinychat.cli.ask import add_model_arguments, add_sampling_arguments, load_engine, resolve_model_path
from tinychat.core.catalog import STARTER_MISSING_HELP, default_params_for, entry_for_file
from tinychat.core.engine import MIN_N_CTX, Engine, EngineError
from tinychat.core.i18n import QT_TRANSLATE_NOOP, format_number, format_percent, translate
from tinychat.core.params import SPECS, GenerationParams, ParamError
from tinychat.core.probe import NextToken, ProbeError, next_token, token_piece
from tinychat.core.sampling import ENGINE_ORDER, SamplingError, SamplingTrace, run_pipeline
from tinychat.core.templates import TemplateError
from tinychat.cli import command_help
from tinychat.cli.common import add_endpoint_arguments, connect_endpoint, fail, print_output, read_text_argument, table


_CTX = "CommandLine"

STAGE_LABELS = {
    "raw": QT_TRANSLATE_NOOP(_CTX, "raw"),
    "penalties": QT_TRANSLATE_NOOP(_CTX, "repeat penalty"),
    "top_k": "top-k",
    "top_p": "top-p",
    "min_p": "min-p",
    "temperature": QT_TRANSLATE_NOOP(_CTX, "temperature"),
}


def _t(text: str) -> str:
    return translate(_CTX, text)


def _stage(name: str) -> str:
    return _t(STAGE_LABELS[name])


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "probs",
        help=command_help("probs"),
        description=_t(
            "Show the model's probabilities for the next token after PROMPT, before the sampler and after "
            "each of its stages, in the order the engine applies them ({order})."
        ).format(order=" -> ".join(ENGINE_ORDER)),
    )
    parser.add_argument("prompt", help=_t('the prompt ("-" reads it from standard input)'))
    add_model_arguments(parser)
    add_endpoint_arguments(parser)
    parser.add_argument("--top", type=int, default=10, metavar="N", help=_t("how many tokens to list (default: 10)"))
    parser.add_argument(
        "--raw", action="store_true", help=_t("give the text to the model as it is, without the chat template")
    )
    parser.add_argument(
        "--system", metavar="TEXT", help=_t("system prompt (default: the model's own; ignored with --raw)")
    )
    group = add_sampling_arguments(parser, generating=False)
    group.add_argument(
        "--order",
        metavar="STAGES",
        help=_t("apply the stages in another order, comma-separated, e.g. temperature,top_k,top_p,min_p"),
    )
    parser.add_argument("--json", action="store_true", help=_t("print one JSON object instead of a table"))
    parser.set_defaults(func=run)



def params_from_args(args: argparse.Namespace, model_path: Path) -> GenerationParams:
    changes: dict[str, Any] = {
        name: getattr(args, name)
        for name in ("temperature", "top_k", "top_p", "min_p", "repeat_penalty")
        if getattr(args, name, None) is not None
    }
    return default_params_for(model_path).replace(**changes)


def check_params(params: GenerationParams) -> list[str]:
    # Any top-k from 0 up is accepted here, beyond the window's slider: showing
    # what a top-k larger than the vocabulary does is part of the lesson.
    top_k_max = int(SPECS["top_k"].maximum or 0)
    probe = params.replace(top_k=min(params.top_k, top_k_max)) if params.top_k >= 0 else params
    return probe.problems()


def run(args: argparse.Namespace) -> int:
    prompt = read_text_argument(args.prompt)
    if not prompt.strip():
        return fail(
            _t('the prompt is empty; write some text, for example: tinychat probs "The capital of France is" --raw')
        )
    if args.top < 1:
        return fail(_t("--top must be at least 1, not {value}.").format(value=args.top))
    if args.n_ctx is not None and args.n_ctx < MIN_N_CTX:
        return fail(_t("--n-ctx must be at least {n} tokens.").format(n=MIN_N_CTX))
    model_path = resolve_model_path(args)
    if model_path is None:
        return fail(translate("Catalog", STARTER_MISSING_HELP))
    params = params_from_args(args, model_path)
    problems = check_params(params)
    if problems:
        return fail(" ".join(problems))
    if args.endpoint:
        return run_remote(args, prompt, params)
    order = [s.strip() for s in args.order.split(",") if s.strip()] if args.order else list(ENGINE_ORDER)
    # The same system prompt as `tinychat ask` sends, so both show the same situation.
    entry = entry_for_file(model_path)
    system = args.system if args.system is not None else (entry.system_prompt if entry else None)

    engine: Engine | None = None
    try:
        engine = load_engine(args, model_path)
        probe = next_token(engine, prompt, raw=args.raw, system=None if args.raw else (system or None))
        trace = run_pipeline(probe.logits, params, order=order)
        report = build_report(engine, probe, trace, params, args.top, prompt=prompt)
    except (EngineError, TemplateError, ProbeError, SamplingError, ParamError) as exc:
        return fail(str(exc))
    finally:
        if engine is not None:
            engine.close()

    print_output(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_table(report))
    return 0


def run_remote(args: argparse.Namespace, prompt: str, params: GenerationParams) -> int:
    """The first token of a server's reply, with the alternatives and probabilities the server reports.

    A server gives the model's probabilities of the token it drew, not the
    logits: the sampler's stages cannot be shown, and the table says so.
    """
    if args.raw or args.model or args.order:
        return fail(_t("A server formats the prompt itself and samples on its own: --raw, --model and --order need "
                       "a model on this computer."))
    messages = ([{"role": "system", "content": args.system}] if args.system else []) + [
        {"role": "user", "content": prompt}
    ]
    engine = None
    try:
        engine = connect_endpoint(args)
        detail, result = engine.next_token(messages, params)
    except (EngineError, ParamError) as exc:
        return fail(str(exc))
    finally:
        if engine is not None:
            engine.close()
    notes = list(engine.notes)
    if detail is not None:
        notes.append(_t("A server reports the model's probabilities only: the sampler's stages are not shown."))
    report = {
        "model": result.model,
        "endpoint": result.stats.endpoint,
        "prompt": prompt,
        "params": {k: v for k, v in params.to_dict().items() if k not in ("max_new_tokens", "seed")},
        "seed": result.seed,
        "chosen": detail.piece if detail is not None else result.text,
        "tokens": [{"token": a.token, "piece": a.piece, "prob": a.raw_prob} for a in detail.alternatives[: args.top]]
        if detail is not None else [],
        "notes": notes,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    lines = [
        _t("Next token after {prompt} (the server's chat template)").format(
            prompt=json.dumps(prompt, ensure_ascii=False)
        ),
        _t("Model {model} on {endpoint}").format(model=report["model"], endpoint=report["endpoint"]),
        _t("The server drew: {piece}").format(piece=json.dumps(report["chosen"], ensure_ascii=False)),
        "",
    ]
    if report["tokens"]:
        rows = [["#", _t("token"), _t("model")]]
        rows += [
            [str(rank), json.dumps(t["piece"], ensure_ascii=False), _percent(t["prob"])]
            for rank, t in enumerate(report["tokens"], 1)
        ]
        lines.extend(table(rows, left=(1,)))
        lines.append("")
    lines.extend(_t("Note: {note}").format(note=note) for note in notes)
    print("\n".join(lines))
    return 0


def build_report(
    engine: Engine, probe: NextToken, trace: SamplingTrace, params: GenerationParams, top: int, *, prompt: str
) -> dict[str, Any]:
    """Everything the table shows, as plain data (the --json output)."""
    stages = [trace.raw, *trace.stages]
    # The rows: the likeliest tokens before the sampler, then any token the
    # sampler pushed into the final top list from further down.
    rows = [token for token, _ in trace.raw.top(top)]
    rows += [token for token, _ in trace.final.top(top) if token not in rows]
    pieces = {token: token_piece(engine, token) for token in rows}
    return {
        "model": engine.info.path.name if engine.info else "",
        "prompt": prompt,
        "prompt_text": probe.prompt_text,
        "template": probe.template or None,
        "prompt_tokens": len(probe.prompt_tokens),
        "params": {k: v for k, v in params.to_dict().items() if k not in ("max_new_tokens", "seed")},
        "order": list(trace.order),
        "greedy": trace.greedy,
        "notes": list(trace.notes),
        "stages": [
            {
                "name": stage.name,
                "applied": stage.applied,
                "kept": stage.size,
                "removed": int(stage.removed.size),
                "entropy_bits": round(stage.entropy_bits, 6),
                "note": stage.note,
            }
            for stage in stages
        ],
        "tokens": [
            {
                "token": token,
                "piece": pieces[token],
                "probs": {stage.name: stage.prob(token) for stage in stages},
                "final": trace.final.prob(token),
            }
            for token in rows
        ],
    }


def _percent(p: float) -> str:
    if p == 0:
        return "-"
    if p < 0.0001:
        return "<" + format_percent(0.0001, 2)
    return format_percent(p, 2)


def format_table(report: dict[str, Any]) -> str:
    names = ["raw"] + report["order"]
    lines = []
    if report["template"] is None:
        where = _t("raw text, no template")
    else:
        where = _t("chat template: {name}").format(name=report["template"])
    shown = json.dumps(report["prompt"], ensure_ascii=False)
    lines.append(
        _t("Next token after {prompt} ({where}; {count} tokens)").format(
            prompt=shown, where=where, count=format_number(report["prompt_tokens"])
        )
    )
    params = report["params"]
    lines.append(
        _t(
            "Model {model}: temperature {temperature}, top-k {top_k}, top-p {top_p}, min-p {min_p}, "
            "repeat penalty {repeat_penalty}"
        ).format(
            model=report["model"],
            top_k=params["top_k"],
            **{k: format_number(params[k], None) for k in ("temperature", "top_p", "min_p", "repeat_penalty")},
        )
    )
    lines.append(_t("Order:") + " " + " -> ".join(_stage(n) for n in report["order"]))
    lines.append("")

    headers = ["#", _t("token"), "id"] + [_stage(n) for n in names] + ([_t("greedy")] if report["greedy"] else [])
    body = []
    for rank, row in enumerate(report["tokens"], 1):
        cells = [str(rank), json.dumps(row["piece"], ensure_ascii=False), str(row["token"])]
        cells += [_percent(row["probs"][n]) for n in names]
        if report["greedy"]:
            cells.append(_percent(row["final"]))
        body.append(cells)
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(headers)]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 1 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=False))
        )

    lines.append(fmt(headers))
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(fmt(r) for r in body)
    lines.append("")

    stage_rows = [[_t("stage"), _t("kept"), _t("removed"), _t("entropy"), ""]]
    for stage in report["stages"]:
        status = stage["note"] if stage["note"] else ("" if stage["applied"] or stage["name"] == "raw" else _t("off"))
        stage_rows.append(
            [
                _stage(stage["name"]),
                format_number(stage["kept"]),
                format_number(stage["removed"]) if stage["name"] != "raw" else "",
                _t("{value} bits").format(value=format_number(stage["entropy_bits"], 2)),
                status,
            ]
        )
    lines.extend(table(stage_rows, left=(0,), aligned=4))
    if report["greedy"] or report["notes"]:
        lines.append("")
        lines.extend(_t("Note: {note}").format(note=note) for note in report["notes"])
    return "\n".join(lines)
