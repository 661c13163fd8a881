"""``tinychat serve``: share a model with the class through llama-server (or llama-cpp-python's server).

With ``--status-json`` it prints one JSON object per line instead of sentences
(the window's share panel reads them): ``{"event": "ready", ...}`` once the
model is loaded (addresses, key, backend), ``{"event": "stats", ...}`` every
two seconds, and ``{"event": "error", "message": ...}`` when it cannot go on.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinychat.cli.common import fail
from tinychat.core.i18n import format_number, translate
from tinychat.cli import command_help

_CTX = "CommandLine"


def _t(text: str) -> str:
    return translate(_CTX, text)


def register(subparsers: argparse._SubParsersAction) -> None:
    from tinychat.core.serve import BACKENDS, DEFAULT_PARALLEL, DEFAULT_PORT

    parser = subparsers.add_parser(
        "serve",
        help=command_help("serve"),
        description=_t(
            "Share a model with a class: llama.cpp's llama-server (or llama-cpp-python's server when llama-server "
            "is missing) behind a gate that asks for an access key. Only this computer can connect unless --lan "
            "(or --host 0.0.0.0) opens it to the local network."
        ),
    )
    parser.add_argument("--model", metavar="PATH", help=_t("the GGUF model to share (default: the starter model)"))
    parser.add_argument("--host", default=None, help=_t("the address to listen on (default: 127.0.0.1)"))
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=_t("the port to listen on (default: 8080)"))
    parser.add_argument(
        "--lan", action="store_true", help=_t("open it to the local network (the same as --host 0.0.0.0)")
    )
    parser.add_argument(
        "--parallel", type=int, default=DEFAULT_PARALLEL, metavar="N",
        help=_t("replies written at the same time by llama-server (default: 4)"),
    )
    parser.add_argument(
        "--backend", choices=("auto", *BACKENDS), default="auto",
        help=_t("which server runs the model (default: llama-server when found)"),
    )
    parser.add_argument("--key", help=_t("the access key (default: a new one each time)"))
    parser.add_argument("--threads", type=int, metavar="N", help=_t("CPU threads for the model"))
    parser.add_argument("--lessons", metavar="DIR", help=_t("the folder of lessons to offer (default: your lessons)"))
    parser.add_argument("--status-json", action="store_true", help=_t("print JSON lines instead of sentences"))
    # The window's share panel: stop when the window's end of standard input closes (the window closed or died).
    parser.add_argument("--watch-stdin", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def _print_ready(event: dict[str, Any]) -> None:
    print(_t("Sharing {model} through {backend}.").format(model=event["model"], backend=event["backend"]))
    if event["note"]:
        print(event["note"])
    print(_t("Address for the students:"))
    for url in event["urls"]:
        print(f"  {url}")
    print(_t("Access key: {key}").format(key=event["key"]))
    if event["open_to_network"]:
        try:
            import segno

            segno.make(event["urls"][0], error="m").terminal(compact=True)
        except (ImportError, UnicodeEncodeError):
            pass  # no QR code on a terminal that cannot draw it; the address is printed above
    else:
        print(_t("Only this computer can connect; use --lan to open it to the class's network."))
    print(_t("Lessons offered at {url}").format(url=event["urls"][0].removesuffix("/v1") + "/tinychat/lessons"))
    print(_t("Press Ctrl+C to stop."))
    sys.stdout.flush()


def _options(args: argparse.Namespace, model: Path) -> Any:
    from tinychat.core.lesson_file import lessons_dir
    from tinychat.core.paths import log_dir
    from tinychat.core.serve import ServeOptions

    try:
        logs: Path | None = log_dir() / "serve.log"
    except OSError:
        logs = None
    return ServeOptions(
        model=model, host=args.host or ("0.0.0.0" if args.lan else "127.0.0.1"), port=args.port,
        parallel=args.parallel, backend=args.backend, threads=args.threads, key=args.key,
        lessons_dir=Path(args.lessons) if args.lessons else lessons_dir(), log_file=logs,
    )


def _reporter(server: Any, emit_json: bool) -> Callable[[], None]:
    """What is printed every two seconds: a JSON line, or a sentence when the figures changed."""
    last: dict[str, int] = {}

    def report() -> None:
        nonlocal last
        figures = server.stats.snapshot()
        if emit_json:
            print(json.dumps({"event": "stats", **figures}), flush=True)
        elif figures != last:
            print(_t("{students} students connected, {rpm} requests in the last minute, {total} in all.").format(
                students=format_number(figures["students"]), rpm=format_number(figures["requests_per_minute"]),
                total=format_number(figures["requests"])), flush=True)
        last = figures

    return report


def _stop_when_stdin_closes(server: Any) -> None:
    import contextlib
    import os
    import threading

    def watch() -> None:
        # os.read on the descriptor, not sys.stdin: a daemon thread blocked inside Python's buffered reader
        # holds its lock, and the interpreter aborts at exit waiting for it.
        with contextlib.suppress(OSError):
            while os.read(0, 4096):
                pass
        server.request_stop()

    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()


def run(args: argparse.Namespace) -> int:
    from tinychat.core.catalog import STARTER_MISSING_HELP, starter_model_path
    from tinychat.core.serve import ClassServer, ServeError, event_line

    emit_json = args.status_json

    def say_error(message: str) -> int:
        if emit_json:
            print(event_line({"event": "error", "message": message}), flush=True)
            return 1
        return fail(message)

    model = Path(args.model).expanduser() if args.model else starter_model_path()
    if model is None:
        return say_error(translate("Catalog", STARTER_MISSING_HELP))
    if not 0 <= args.port <= 65535:
        return say_error(_t("The port must be between 0 and 65535."))
    try:
        server = ClassServer(_options(args, model))
        if emit_json:
            print(event_line({"event": "starting", "backend": server.choice.name, "note": server.choice.note}),
                  flush=True)
        else:
            print(_t("Loading {model}…").format(model=model.name), flush=True)
        server.start()
    except ServeError as exc:
        return say_error(str(exc))

    # SIGTERM (the window's Stop, a service manager) ends it like Ctrl+C: the server behind goes too.
    signal.signal(signal.SIGTERM, lambda *_: server.request_stop())
    event = server.ready_event()
    if emit_json:
        print(event_line(event), flush=True)
    else:
        _print_ready(event)
    if args.watch_stdin:
        _stop_when_stdin_closes(server)
    try:
        server.run_gate(every=_reporter(server, emit_json))
    except KeyboardInterrupt:
        pass
    finally:
        died = not server.alive()
        server.stop()
    if died:
        return say_error(server.died_sentence())
    if not emit_json:
        print(_t("Stopped sharing."))
    return 0
