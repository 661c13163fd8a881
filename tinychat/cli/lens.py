"""``tinychat lens``: what each layer would predict if the model stopped there (the logit lens)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from tinychat.cli.ask import resolve_model_path
from tinychat.core.catalog import STARTER_MISSING_HELP, entry_for_file
from tinychat.core.engine import EngineError
from tinychat.core.i18n import format_number, format_percent, translate
from tinychat.core.inside.forward import InsideError
from tinychat.core.inside.lens import APPROXIMATE_NOTE, logit_lens
from tinychat.core.inside.subject import Subject
from tinychat.core.inside.tokens_view import VISIBLE
from tinychat.cli import command_help
from tinychat.cli.common import fail, print_output, read_text_argument, table


_CTX = "CommandLine"


def _t(text: str) -> str:
    return translate(_CTX, text)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "lens",
        help=command_help("lens"),
        description=_t(
            "Run the model over PROMPT in TinyChat's NumPy copy of the transformer and, after every layer, read the "
            "residual stream through the final norm and output matrix: the likeliest next token at each position, "
            "layer by layer. The last layer is the model's real prediction (checked against llama.cpp); earlier "
            "layers are an approximation. Supports llama-architecture models (SmolLM2, TinyLlama, Llama, Mistral) "
            "and Gemma 3."
        ),
    )
    parser.add_argument("prompt", help=_t('the prompt ("-" reads it from standard input)'))
    parser.add_argument("--model", metavar="PATH", help=_t("GGUF model file (default: the starter model)"))
    parser.add_argument(
        "--raw", action="store_true", help=_t("give the text to the model as it is, without the chat template")
    )
    parser.add_argument(
        "--system", metavar="TEXT", help=_t("system prompt (default: the model's own; ignored with --raw)")
    )
    parser.add_argument("--top", type=int, default=3, metavar="N", help=_t("tokens per cell in --json (default: 3)"))
    parser.add_argument(
        "--threads", type=int, metavar="N", help=_t("CPU threads for llama.cpp (default: all cores but one)")
    )
    parser.add_argument("--json", action="store_true", help=_t("print one JSON object instead of a table"))
    parser.set_defaults(func=run)



def _cell(piece: str, prob: float) -> str:
    return f"{piece.translate(VISIBLE)[:10]} {format_percent(prob, 0)}"


def format_table(report: dict[str, Any], n_positions: int = 8) -> str:
    tokens = report["tokens"]
    first = max(0, len(tokens) - n_positions)
    lines = [
        _t("Logit lens on {model}: {count} tokens, layers 0 (embedding) to {last}").format(
            model=report["model"], count=format_number(len(tokens)), last=format_number(report["layers"])
        ),
        report["note"],
    ]
    if report["dropped_tokens"]:
        lines.append(report["dropped_note"])
    if first:
        lines.append(_t("(the last {n} positions; --json has them all)").format(n=format_number(n_positions)))
    lines.append("")
    cells: dict[tuple[int, int], str] = {}
    for cell in report["grid"]:
        if cell["position"] >= first:
            best = cell["top"][0]
            cells[(cell["layer"], cell["position"])] = _cell(best["piece"], best["prob"])
    positions = list(range(first, len(tokens)))
    header = [_t("layer")] + [tokens[p]["piece"].translate(VISIBLE)[:12] for p in positions]
    rows = [header] + [[str(layer)] + [cells[(layer, p)] for p in positions] for layer in range(report["layers"] + 1)]
    lines.extend(table(rows, left=range(len(header))))
    answer = report["answer"]
    lines.append("")
    lines.append(
        _t("Probability of the final answer {piece} after each layer at the last position:").format(
            piece=json.dumps(answer["piece"], ensure_ascii=False)
        )
    )
    lines.append("  " + " ".join(format_percent(p, 0) for p in answer["prob_by_layer"]))
    if report.get("check_sentence"):
        lines.append("")
        lines.append(report["check_sentence"])
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    prompt = read_text_argument(args.prompt)
    if not prompt.strip():
        return fail(
            _t('the prompt is empty; write some text, for example: tinychat lens "The capital of France is" --raw')
        )
    if args.top < 1:
        return fail(_t("--top must be at least 1, not {value}.").format(value=args.top))
    model_path = resolve_model_path(args)
    if model_path is None:
        return fail(translate("Catalog", STARTER_MISSING_HELP))
    entry = entry_for_file(model_path)
    system = args.system if args.system is not None else (entry.system_prompt if entry else None)
    try:
        with Subject(model_path, n_threads=args.threads) as subject:
            subject.check_architecture()
            text = subject.prompt(prompt, raw=args.raw, system=None if args.raw else (system or None))
            result = logit_lens(subject, text, top=args.top)
            report = result.to_dict()
    except (InsideError, EngineError) as exc:
        return fail(str(exc))
    report["layers"] = result.n_layers
    report["note"] = translate("Inside", APPROXIMATE_NOTE)
    report["dropped_note"] = text.note()
    report["check_sentence"] = result.check.sentence() if result.check else ""
    print_output(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_table(report))
    return 0
