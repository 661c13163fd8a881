"""The log: a rotating file in platformdirs' log folder (or ``<data>/logs``), and a crash hook.

The hook writes any uncaught exception (main thread or worker threads) to the
log with its traceback, then calls the window's ``on_crash`` so it can save
the conversation and show one dialog instead of a traceback.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from pathlib import Path
from collections.abc import Callable

from tinychat.core import paths

LOG_NAME = "tinychat.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 3

log = logging.getLogger("tinychat")

_handler: logging.Handler | None = None


def configure_logging() -> Path | None:
    """Send TinyChat's log to a rotating file; returns the file, or None when no log folder can be written."""
    global _handler
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
        _handler = None
    try:
        path = paths.log_dir() / LOG_NAME
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None  # a read-only disk: run without a log rather than not at all
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _handler = handler
    return path


def install_crash_hook(on_crash: Callable[[BaseException], None]) -> None:
    """Log uncaught exceptions from any thread, then hand them to ``on_crash`` (never raising from it)."""

    def report(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("uncaught exception", exc_info=(exc_type, exc, tb))
        try:
            on_crash(exc)
        except Exception:  # the hook must never fail itself
            log.exception("the crash handler failed")

    def thread_report(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        report(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = report
    threading.excepthook = thread_report


def stop_logging() -> None:
    """Close the log file (tests, and before moving the data folder)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None
