"""What every command shares: how it reads its text, prints its output and ends with a sentence, how
Ctrl+C stops a long transfer, and how it reaches an inference server.

Each command keeps its own ``_t()`` (``translate("CommandLine", text)``): the
translation collector follows such helpers within one module only.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
from collections.abc import Callable, Container
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from tinychat.core.remote import RemoteEngine

EXIT_FAILURE = 1
EXIT_INTERRUPTED = 130  # as a shell reports a program ended by Ctrl+C (128 + SIGINT)

T = TypeVar("T")


def fail(message: str, code: int = EXIT_FAILURE) -> int:
    """Print ``message`` as one line on stderr and return the exit code."""
    print(f"tinychat: {message}", file=sys.stderr)  # "tinychat:" is the program's name, in every language
    return code


def table(rows: list[list[str]], left: Container[int] = (), aligned: int | None = None) -> list[str]:
    """``rows`` as lines, columns two spaces apart: those in ``left`` flush left, the others flush right.

    Only the first ``aligned`` columns (all, by default) are padded; a cell after
    them (a note, a list of alternatives) follows as it is. Trailing spaces are dropped.
    """
    count = aligned if aligned is not None else max(len(r) for r in rows)
    widths = [max(len(r[i]) for r in rows if i < len(r)) for i in range(count)]
    lines = []
    for row in rows:
        cells = [
            c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(row[:count], widths, strict=False))
        ]
        lines.append("  ".join(cells + list(row[count:])).rstrip())
    return lines


def read_text_argument(value: str) -> str:
    """The text a command was given: ``value`` as typed, or all of standard input when it is "-".

    Bytes that are not UTF-8 (a file saved in another encoding, a terminal in
    Latin-1) become U+FFFD whatever the locale, instead of a traceback later on.
    """
    if value == "-":
        return sys.stdin.buffer.read().decode("utf-8", errors="replace")
    # Undecodable bytes on the command line arrive as lone surrogates (PEP 383): back to bytes, then U+FFFD.
    return value.encode("utf-8", errors="surrogateescape").decode("utf-8", errors="replace")


def print_output(text: str) -> None:
    """``text`` and a newline on stdout. A reader that stopped early (``| head``) is no error worth a traceback."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keeps the interpreter's final flush quiet


class Interrupted(Exception):
    """Ctrl+C stopped the work of :func:`run_cancellable`; its sentence is said, ``code`` is the exit code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def run_cancellable(work: Callable[[threading.Event], T], *, name: str, interrupted: str) -> T:
    """What ``work(cancel)`` returns, or the exception it raises, as if it ran here; Ctrl+C only sets ``cancel``.

    ``work`` runs on a thread called ``name``, and Python delivers Ctrl+C to
    the main thread, which only waits here: so Ctrl+C never stops the work in
    the middle of a write. It sets ``cancel`` instead, the work stops at its
    next check with what it wrote left in order, and once its thread has ended
    ``interrupted`` is said on stderr and Interrupted raised with
    EXIT_INTERRUPTED (whatever the work returned or raised meanwhile).
    Either way the progress line on stderr is ended first.
    """
    cancel = threading.Event()
    outcome: dict[str, T] = {}
    error: list[BaseException] = []

    def run() -> None:
        try:
            outcome["value"] = work(cancel)
        except BaseException as exc:  # raised again in the waiting thread, below
            error.append(exc)

    worker = threading.Thread(target=run, name=name)
    try:
        # Started inside the try: start() waits for the thread to run, and a
        # Ctrl+C in that wait must cancel the work as well, not leave it going.
        worker.start()
        while worker.is_alive():
            # A join with a timeout: a wait without one cannot be interrupted on Windows.
            worker.join(0.2)
    except KeyboardInterrupt:
        cancel.set()
        # RuntimeError: Ctrl+C came before the thread had begun; if it runs at
        # all, it finds ``cancel`` set at its first check.
        with contextlib.suppress(RuntimeError):
            worker.join()
        sys.stderr.write("\n")
        raise Interrupted(fail(interrupted, EXIT_INTERRUPTED)) from None
    sys.stderr.write("\n")
    if error:
        raise error[0]
    return outcome["value"]


# --- an inference server instead of a local model ------------------------------------------


def _t(text: str) -> str:
    from tinychat.core.i18n import translate

    return translate("CommandLine", text)


def add_endpoint_arguments(parser: argparse.ArgumentParser) -> None:
    """``--endpoint URL [--api-key-env VAR] [--remote-model ID]``: use a model on an OpenAI-compatible server."""
    group = parser.add_argument_group(_t("inference server (instead of a model on this computer)"))
    group.add_argument(
        "--endpoint", metavar="URL",
        help=_t("an OpenAI-compatible server: llama-server, vLLM, Ollama (e.g. http://192.168.1.10:8080)"),
    )
    group.add_argument(
        "--api-key-env", metavar="VAR",
        help=_t("the environment variable that holds the server's API key (default: the key kept for it)"),
    )
    group.add_argument("--remote-model", metavar="ID", help=_t("the server's model id (default: its first model)"))


def connect_endpoint(args: argparse.Namespace) -> RemoteEngine:
    """The server in ``--endpoint``, connected; raises EngineError with a sentence.

    A server that answers is remembered with the window's recent servers.
    """
    from tinychat.core.remote import RemoteEngine, RemoteError, RemoteTarget, load_api_key, normalise_base_url

    base_url = normalise_base_url(args.endpoint)
    key: str | None
    if args.api_key_env:
        key = os.environ.get(args.api_key_env, "").strip()
        if not key:
            raise RemoteError(
                _t("The environment variable {var} is empty or not set. Set it to the server's API key.").format(
                    var=args.api_key_env
                )
            )
    else:
        key = load_api_key(base_url)
    engine = RemoteEngine()
    engine.connect(RemoteTarget(base_url, args.remote_model or "", key))
    _remember_server(base_url, engine.info.name if engine.info else "")
    return engine


def _remember_server(url: str, model: str) -> None:
    from tinychat.core.settings import load_settings, save_settings

    settings = load_settings()
    settings.remember_server(url, model)
    with contextlib.suppress(OSError):  # a server list not saved is no reason to fail the command
        save_settings(settings)


def print_notes(engine: object) -> None:
    """What the server cannot do (sliders it ignores, no probabilities), one line each on stderr."""
    for note in getattr(engine, "notes", ()):
        print(f"tinychat: {_t('note')}: {note}", file=sys.stderr)
