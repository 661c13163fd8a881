"""``tinychat surprise``: how surprising each token of a text was to a model, and where two models disagree."""

from __future__ import annotations

import argparse
import json
from typing import Any

from tinychat.cli.ask import resolve_model_path
from tinychat.core.catalog import STARTER_MISSING_HELP
from tinychat.core.engine import EngineError
from tinychat.core.i18n import format_number, format_percent, translate
from tinychat.core.inside.forward import InsideError
from tinychat.core.inside.surprise import SurpriseResult, compare, measure_surprise
from tinychat.core.inside.tokens_view import VISIBLE
from tinychat.cli import command_help
from tinychat.cli.common import fail, print_output, read_text_argument, table


_CTX = "CommandLine"


def _t(text: str) -> str:
    return translate(_CTX, text)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "surprise",
        help=command_help("surprise"),
        description=_t(
            "Read TEXT with the model and show, for each token, the probability the model gave it before seeing "
            "it and its surprise in bits (-log2 p), the text's perplexity, and the likeliest alternatives. With "
            "--compare, a second model reads the same text: per-token KL divergence (in nats, as llama.cpp's "
            "perplexity tool reports it) and whether both put the same token first."
        ),
    )
    parser.add_argument("text", help=_t('the text ("-" reads it from standard input)'))
    parser.add_argument(
        "--model",
        metavar="PATH",
        help=_t("GGUF model file (default: the starter model); the reference in a comparison"),
    )
    parser.add_argument(
        "--compare", metavar="PATH", help=_t("a second GGUF model (or another quantization) to compare with")
    )
    parser.add_argument("--json", action="store_true", help=_t("print one JSON object instead of a table"))
    parser.set_defaults(func=run)



def _piece(text: str) -> str:
    return text.translate(VISIBLE)


def format_one(result: SurpriseResult) -> list[str]:
    lines = [
        _t("{model}: perplexity {perplexity}, {bits} bits per token on average").format(
            model=result.model, perplexity=format_number(result.perplexity, 2), bits=format_number(result.mean_bits, 2)
        )
    ]
    if result.dropped:
        lines.append(result.note())
    rows = [["#", _t("token"), _t("prob"), _t("bits"), _t("rank"), _t("likeliest instead")]]
    for t in result.tokens:
        if t.prob is None:
            rows.append(
                [
                    str(t.index),
                    _piece(t.piece),
                    "-",
                    "-",
                    "-",
                    _t("(first token: nothing before it to predict it from)"),
                ]
            )
            continue
        alts = ", ".join(f"{_piece(a.piece)} {format_percent(a.prob, 0)}" for a in t.alternatives[:3])
        prob = "<" + format_percent(0.0001, 2) if t.prob < 0.0001 else format_percent(t.prob, 2)
        rows.append([str(t.index), _piece(t.piece), prob, format_number(t.bits, 2), format_number(t.rank), alts])
    lines.extend(table(rows, left=(1,), aligned=5))
    return lines


def run(args: argparse.Namespace) -> int:
    text = read_text_argument(args.text)
    if not text.strip():
        return fail(_t('the text is empty; write some text, for example: tinychat surprise "The cat sat on the mat."'))
    model_path = resolve_model_path(args)
    if model_path is None:
        return fail(translate("Catalog", STARTER_MISSING_HELP))
    try:
        a = measure_surprise(model_path, text)
        comparison = compare(a, measure_surprise(args.compare, text)) if args.compare else None
    except (InsideError, EngineError) as exc:
        return fail(str(exc))
    report: dict[str, Any] = comparison.to_dict() if comparison else a.to_dict()
    if args.json:
        out = json.dumps(report, ensure_ascii=False, indent=2)
    else:
        lines = format_one(a)
        if comparison:
            lines += ["", *format_one(comparison.b), ""]
            if comparison.comparable:
                lines.append(
                    _t(
                        "{b} against {a}: mean KL divergence {kl} nats, same likeliest token at {agreement} of "
                        "positions"
                    ).format(
                        b=comparison.b.model,
                        a=a.model,
                        kl=format_number(comparison.mean_kl, 4),
                        agreement=format_percent(comparison.agreement, 1),
                    )
                )
                worst = sorted(zip(comparison.kl, comparison.a.scored, strict=False), key=lambda kv: -kv[0])[:5]
                lines.append(
                    _t("Where they disagree most:")
                    + " "
                    + ", ".join(f"#{t.index} {_piece(t.piece)} ({format_number(k, 3)})" for k, t in worst)
                )
            else:
                lines.append(comparison.refusal())
        out = "\n".join(lines)
    print_output(out)
    return 0
