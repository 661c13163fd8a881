"""``tinychat``: the window with no sub-command, or one of the command-line tools.

Each sub-command lives in its own module with a ``register(subparsers)``
function; the window and every command share the same core.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from tinychat import __version__
from tinychat.core import paths


def _command_modules():
    from tinychat.cli import ask, chats, lens, models, probs, surprise, tokens

    return [ask, chats, models, probs, tokens, surprise, lens]


def build_parser() -> argparse.ArgumentParser:
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
    for module in _command_modules():
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
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
