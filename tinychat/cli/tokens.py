"""``tinychat tokens``: a text cut into the model's tokens, with ids and bytes, and its count in other models."""

from __future__ import annotations

import argparse
import json
from typing import Any

from tinychat.cli.ask import resolve_model_path
from tinychat.core.catalog import STARTER_MISSING_HELP
from tinychat.core.engine import EngineError
from tinychat.core.i18n import format_number, translate
from tinychat.core.inside.forward import InsideError
from tinychat.core.inside.tokens_view import LANGUAGE_NAMES, Tokenizer, compare_languages, count_in
from tinychat.cli import command_help
from tinychat.cli.common import fail, print_output, read_text_argument, table


_CTX = "CommandLine"


def _t(text: str) -> str:
    return translate(_CTX, text)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "tokens",
        help=command_help("tokens"),
        description=_t(
            "Show how a model cuts TEXT into tokens: each token's id, its piece (spaces as ␣, newlines as ↵, "
            "bytes that are only part of a character as <0xNN>) and where it sits in the text. "
            "Reads only the model's vocabulary, not its weights."
        ),
    )
    parser.add_argument(
        "text", nargs="?", help=_t('the text ("-" reads it from standard input); leave out with --languages')
    )
    parser.add_argument("--model", metavar="PATH", help=_t("GGUF model file (default: the starter model)"))
    parser.add_argument(
        "--count-in", metavar="PATH", action="append", default=[],
        help=_t("also count the text's tokens in this other GGUF model (may be given more than once)"),
    )
    parser.add_argument(
        "--bos", action="store_true", help=_t("add the start-of-text token, as the model gets it before a prompt")
    )
    parser.add_argument(
        "--languages", action="store_true",
        help=_t("compare the same sentence in English and Spanish: how many tokens each costs in this model"),
    )
    parser.add_argument("--json", action="store_true", help=_t("print one JSON object instead of a table"))
    parser.set_defaults(func=run)



def build_report(args: argparse.Namespace, tokenizer: Tokenizer, text: str | None) -> dict[str, Any]:
    report: dict[str, Any] = {"model": tokenizer.name, "vocabulary_size": tokenizer.n_vocab}
    if text is not None:
        report.update(tokenizer.tokenize(text, bos=args.bos).to_dict())
        report["model"] = tokenizer.name
        report["other_models"] = [{"model": name, "count": n} for name, n in (count_in(p, text) for p in args.count_in)]
    if args.languages:
        report["languages"] = [c.to_dict() for c in compare_languages(tokenizer)]
    return report


def format_table(report: dict[str, Any]) -> str:
    lines = [
        _t("Model {model} (vocabulary of {size} tokens)").format(
            model=report["model"], size=format_number(report["vocabulary_size"])
        )
    ]
    if "tokens" in report:
        counts = {
            "count": format_number(report["count"]),
            "characters": format_number(report["characters"]),
            "words": format_number(report["words"]),
        }
        if report["bos"]:
            lines.append(
                _t(
                    "{count} tokens for {characters} characters and {words} words (with the start-of-text token)"
                ).format(**counts)
            )
        else:
            lines.append(_t("{count} tokens for {characters} characters and {words} words").format(**counts))
        lines.append("")
        rows = [["#", _t("id"), _t("piece"), _t("bytes"), _t("chars")]]
        for t in report["tokens"]:
            where = f"{t['start']}-{t['end']}" if t["start"] >= 0 else "-"
            rows.append([str(t["index"]), str(t["id"]), t["piece"], t["bytes"], where])
        lines.extend(table(rows, left=(2, 3)))
        lines.append("")
        lines.append("|".join(t["piece"] for t in report["tokens"]))
        for other in report["other_models"]:
            lines.append(
                _t("In {model}: {count} tokens").format(model=other["model"], count=format_number(other["count"]))
            )
    if "languages" in report:
        lines.append("")
        lines.append(_t("The same sentence in two languages:"))
        for c in report["languages"]:
            name = translate("Inside", LANGUAGE_NAMES[c["language"]])
            lines.append(
                "  "
                + _t("{language}: {tokens} tokens for {words} words ({per_word} tokens per word): {sentence}").format(
                    language=name,
                    tokens=format_number(c["tokens"]),
                    words=format_number(c["words"]),
                    per_word=format_number(c["tokens_per_word"], 2),
                    sentence=c["sentence"],
                )
            )
        en, es = report["languages"][0], report["languages"][1]
        if en["tokens"]:
            lines.append(
                "  "
                + _t("Spanish costs {ratio} times the tokens of English in this model.").format(
                    ratio=format_number(es["tokens"] / en["tokens"], 2)
                )
            )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    text = read_text_argument(args.text) if args.text is not None else None
    if text is None and not args.languages:
        return fail(
            _t('give a text to cut into tokens, for example: tinychat tokens "Hola, mundo", or use --languages.')
        )
    if text is not None and not text.strip():
        return fail(_t('the text is empty; write some text, for example: tinychat tokens "Hola, mundo"'))
    model_path = resolve_model_path(args)
    if model_path is None:
        return fail(translate("Catalog", STARTER_MISSING_HELP))
    try:
        with Tokenizer(model_path) as tokenizer:
            report = build_report(args, tokenizer, text)
    except (InsideError, EngineError) as exc:
        return fail(str(exc))
    print_output(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_table(report))
    return 0
