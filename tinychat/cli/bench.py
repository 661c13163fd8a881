"""``tinychat bench``: the speed report (tinychat.core.speed) on the command line, as a table or JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

from tinychat.cli.ask import resolve_model_path
from tinychat.cli.common import fail, print_output, table
from tinychat.core.catalog import STARTER_MISSING_HELP
from tinychat.core.i18n import format_number, translate
from tinychat.core.speed import SpeedCancelled, SpeedError, SpeedOptions, WindowPath, note_text, run_report
from tinychat.cli import command_help

_CTX = "CommandLine"


def _t(text: str) -> str:
    return translate(_CTX, text)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench",
        help=command_help("bench"),
        description=_t(
            "Measure, in one run with alternating repetitions, the tokens per second of a reply through "
            "TinyChat's window, its engine, bare llama-cpp-python and llama.cpp's own llama-bench (when built), "
            "the prompt speed, the time to the first token at turn 1 and turn 10, the load time, the memory "
            "used and the speed with more and more context. Prints the ratios between them."
        ),
    )
    parser.add_argument("--model", metavar="PATH", help=_t("GGUF model file (default: the starter model)"))
    parser.add_argument("--threads", type=int, metavar="N", help=_t("llama.cpp threads for every side"))
    parser.add_argument(
        "--gpu-layers", type=int, default=0, metavar="N", help=_t("layers to offload to the GPU (default: 0)")
    )
    parser.add_argument(
        "--quick", action="store_true", help=_t("a short run (few tokens, one repetition), to check that it works")
    )
    parser.add_argument("--json", action="store_true", help=_t("print one JSON object instead of a table"))
    parser.add_argument("--output", metavar="FILE", help=_t("also write the JSON report to FILE"))
    parser.add_argument(
        "--no-window", action="store_true", help=_t("leave out the window's path (it opens Qt off screen)")
    )
    parser.add_argument(
        "--build-tools", action="store_true",
        help=_t(
            "first compile llama.cpp's llama-bench from the sources TinyChat pins (once; needs cmake and a "
            "C/C++ compiler, about ten minutes on two cores)"
        ),
    )
    parser.set_defaults(func=run)


def _rate(value: Any) -> str:
    return format_number(value, 1) if isinstance(value, int | float) else "-"


def _ratio(value: Any) -> str:
    return format_number(value, 2) if isinstance(value, int | float) else "-"


def _seconds(value: Any) -> str:
    return _t("{n} s").format(n=format_number(value, 3)) if isinstance(value, int | float) else "-"


def format_report(report: dict[str, Any]) -> str:
    settings, model, gen = report["settings"], report["model"], report["generation"]
    lines = [
        _t("{model} ({description}), {threads} threads, {gpu} GPU layers, flash attention {flash}").format(
            model=model["file"], description=model["description"], threads=settings["threads"],
            gpu=settings["gpu_layers"], flash=settings["flash_attention"],
        ),
        _t("CPU: {cpu}; llama-cpp-python {version}").format(
            cpu=report["machine"]["cpu"], version=settings["llama_cpp_python"]
        ),
        "",
    ]
    rows = [[_t("generation"), _t("tokens/s"), _t("runs")]]
    for key, label in (
        ("window", _t("through the window")),
        ("engine", _t("TinyChat's engine")),
        ("bare", _t("bare llama-cpp-python")),
        ("llama_bench", _t("llama-bench tg")),
    ):
        rows.append([label, _rate(gen[key]["tokens_per_s"]), " ".join(_rate(r) for r in gen[key]["runs"])])
    prompt = report["prompt"]
    rows.append([_t("prompt, bare"), _rate(prompt["bare"]["tokens_per_s"]), ""])
    rows.append([_t("prompt, llama-bench pp"), _rate(prompt["llama_bench"]["tokens_per_s"]), ""])
    lines.extend(table(rows, left=(0,), aligned=2))
    lines.append("")
    depth_rows = [[_t("context depth"), _t("tokens/s")]]
    depth_rows += [[format_number(d["depth"]), _rate(d["tokens_per_s"])] for d in report["depths"]]
    lines.extend(table(depth_rows))
    lines.append("")
    ratios, ttft, memory = report["ratios"], report["ttft"], report["memory"]
    lines.append(_t("Window / bare: {a}   engine / bare: {b}   bare / llama-bench tg: {c}").format(
        a=_ratio(ratios["window_over_bare"]), b=_ratio(ratios["engine_over_bare"]),
        c=_ratio(ratios["bare_over_llama_bench"]),
    ))
    lines.append(_t("First token: turn 1 {one}, turn 10 {ten} (ratio {ratio})").format(
        one=_seconds(ttft["turn_1_s"]), ten=_seconds(ttft["turn_10_s"]),
        ratio=_ratio(ratios["ttft_turn_10_over_turn_1"]),
    ))
    lines.append(_t("Load: {load}; peak memory {peak} MB (model file {file} MB)").format(
        load=_seconds(report["load_s"]), peak=_rate(memory["peak_rss_mb"]), file=_rate(memory["model_file_mb"])
    ))
    lines.extend(note_text(note) for note in report["notes"])
    return "\n".join(lines)


def _window_path(args: argparse.Namespace) -> WindowPath | None:
    """The window's path, on Qt off screen; None (with a note in the report) when Qt cannot start."""
    if args.no_window:
        return None
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from tinychat.gui.speed_path import QtWindowPath
    except ImportError:
        return None
    return QtWindowPath.standalone()


def _build_tools() -> str | None:
    from tinychat.core.llama_tools import ToolBuildError, build_tools

    print(_t("Compiling llama-bench once (about ten minutes on two cores)…"), file=sys.stderr)
    try:
        build_tools(["llama-bench"], say=lambda text: print(text, file=sys.stderr))
    except ToolBuildError as exc:
        return str(exc)
    return None


def run(args: argparse.Namespace) -> int:
    model_path = resolve_model_path(args)
    if model_path is None:
        return fail(translate("Catalog", STARTER_MISSING_HELP))
    if args.threads is not None and args.threads < 1:
        return fail(_t("--threads must be at least 1."))
    if args.gpu_layers < 0:
        return fail(_t("--gpu-layers cannot be negative."))
    if args.build_tools:
        problem = _build_tools()
        if problem:
            print(f"tinychat: {problem}", file=sys.stderr)
    make = SpeedOptions.quick_run if args.quick else SpeedOptions
    options = make(Path(model_path), threads=args.threads, gpu_layers=args.gpu_layers)

    def progress(text: str, _fraction: float) -> None:
        if not args.json:
            print(text, file=sys.stderr, flush=True)

    cancel = threading.Event()
    try:
        report = run_report(options, window_path=_window_path(args), progress=progress, cancel=cancel)
    except SpeedError as exc:
        return fail(str(exc))
    except SpeedCancelled:
        return fail(_t("The report was stopped."))
    return _print(args, report)


def _print(args: argparse.Namespace, report: dict[str, Any]) -> int:
    text = json.dumps(report, ensure_ascii=False, indent=2)
    if args.output:
        try:
            Path(args.output).expanduser().write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            return fail(_t("The report could not be written to {file}: {reason}").format(
                file=args.output, reason=exc.strerror or exc
            ))
    print_output(text if args.json else format_report(report))
    return 0
