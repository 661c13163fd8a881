"""``tinychat surprise``: how surprising each token of a text was to a model, and where two models disagree."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from tinychat.cli.ask import resolve_model_path
from tinychat.core.catalog import STARTER_MISSING_HELP
from tinychat.core.engine import EngineError
from tinychat.core.i18n import translate
from tinychat.core.inside.forward import InsideError
from tinychat.core.inside.surprise import SurpriseResult, compare, measure_surprise
from tinychat.core.inside.tokens_view import VISIBLE

EXIT_FAILURE = 1


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "surprise",
        help="how surprising each token of a text is to a model; compare two models or quantizations",
        description=(
            "Read TEXT with the model and show, for each token, the probability the model gave it before seeing "
            "it and its surprise in bits (-log2 p), the text's perplexity, and the likeliest alternatives. With "
            "--compare, a second model reads the same text: per-token KL divergence (in nats, as llama.cpp's "
            "perplexity tool reports it) and whether both put the same token first."
        ),
    )
    parser.add_argument("text", help='the text ("-" reads it from standard input)')
    parser.add_argument(
        "--model", metavar="PATH", help="GGUF model file (default: the starter model); the reference in a comparison"
    )
    parser.add_argument(
        "--compare", metavar="PATH", help="a second GGUF model (or another quantization) to compare with"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.set_defaults(func=run)


def fail(message: str) -> int:
    print(f"tinychat: {message}", file=sys.stderr)
    return EXIT_FAILURE


def _piece(text: str) -> str:
    return text.translate(VISIBLE)


def format_one(result: SurpriseResult) -> list[str]:
    lines = [f"{result.model}: perplexity {result.perplexity:.2f}, {result.mean_bits:.2f} bits per token on average"]
    if result.dropped:
        lines.append(result.note())
    rows = [["#", "token", "prob", "bits", "rank", "likeliest instead"]]
    for t in result.tokens:
        if t.prob is None:
            rows.append(
                [str(t.index), _piece(t.piece), "-", "-", "-", "(first token: nothing before it to predict it from)"]
            )
            continue
        alts = ", ".join(f"{_piece(a.piece)} {a.prob * 100:.0f}%" for a in t.alternatives[:3])
        prob = "<0.01%" if t.prob < 0.0001 else f"{t.prob * 100:.2f}%"
        rows.append([str(t.index), _piece(t.piece), prob, f"{t.bits:.2f}", str(t.rank), alts])
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        lines.append(
            (
                "  ".join(c.ljust(w) if i == 1 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=False)))
                + "  "
                + r[5]
            ).rstrip()
        )
    return lines


def run(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.text == "-" else args.text
    if not text.strip():
        return fail('the text is empty; write some text, for example: tinychat surprise "The cat sat on the mat."')
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
                    f"{comparison.b.model} against {a.model}: mean KL divergence {comparison.mean_kl:.4f} nats, "
                    f"same likeliest token at {comparison.agreement * 100:.1f}% of positions"
                )
                worst = sorted(zip(comparison.kl, comparison.a.scored, strict=False), key=lambda kv: -kv[0])[:5]
                lines.append(
                    "Where they disagree most: "
                    + ", ".join(f"#{t.index} {_piece(t.piece)} ({k:.3f})" for k, t in worst)
                )
            else:
                lines.append(comparison.refusal())
        out = "\n".join(lines)
    try:
        print(out)
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet
    return 0
