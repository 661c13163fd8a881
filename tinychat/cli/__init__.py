"""``tinychat``: the window with no sub-command, or one of the command-line tools.

Each sub-command lives in its own module with a ``register(subparsers)``
function; the window and every command share the same core.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from tinychat import __version__
from tinychat.core import paths


COMMANDS = ("ask", "chats", "models", "probs")


def _command_modules(argv: Sequence[str] | None = None) -> list:
    """The sub-command modules to register: those ``argv`` may be asking for, else all of them.

    Importing every command costs each run about half a second (ask loads llama.cpp,
    models loads numpy and gguf), which ``tinychat chats list`` does not need. The
    command asked for is always a word of ``argv``, so it is always among them.
    """
    named = [name for name in COMMANDS if argv is not None and name in argv]
    return [importlib.import_module(f"tinychat.cli.{name}") for name in (named or COMMANDS)]


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the arguments, it registers only the sub-commands they may name."""
    parser = argparse.ArgumentParser(
        prog="tinychat",
        description="Chat with small language models offline. With no command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"tinychat {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep settings, models and conversations in DIR instead of the usual place",
    )
    parser.add_argument("--model", metavar="PATH", help="(window) the GGUF model to open at start")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules(argv):
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    if args.command is None:
        from tinychat.app import run

        return run(model=args.model)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
