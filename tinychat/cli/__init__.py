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


#: Each sub-command's word on the command line and the module that registers it.
COMMANDS = {
    "ask": "ask",
    "chats": "chats",
    "models": "models",
    "probs": "probs",
    "tokens": "tokens",
    "surprise": "surprise",
    "lens": "lens",
    "install-desktop": "desktop",
}


def _command_modules(argv: Sequence[str] | None = None) -> list:
    """The sub-command modules to register: those ``argv`` may be asking for, else all of them.

    Importing every command costs each run about half a second (ask loads llama.cpp,
    models loads numpy and gguf), which ``tinychat chats list`` does not need. The
    command asked for is always a word of ``argv``, so it is always among them.
    """
    named = [module for word, module in COMMANDS.items() if argv is not None and word in argv]
    return [importlib.import_module(f"tinychat.cli.{name}") for name in (named or COMMANDS.values())]


def build_parser(argv: Sequence[str] | None = None, with_commands: bool = True) -> argparse.ArgumentParser:
    """The parser; given the arguments, it registers only the sub-commands they may name."""
    parser = argparse.ArgumentParser(
        prog="tinychat",
        description="Chat with small language models offline. With no command, opens the window.",
        add_help=with_commands,
    )
    parser.add_argument("--version", action="version", version=f"tinychat {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep settings, models and conversations in DIR instead of the usual place",
    )
    parser.add_argument("--model", metavar="PATH", help="(window) the GGUF model to open at start")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation: load the starter model, generate a few tokens, open the window "
        "off screen, load the Spanish catalogue; exit 0 when all work",
    )
    if not with_commands:
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules(argv):
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Before the commands import huggingface_hub and keyring: in portable mode
    # their caches and fallbacks must land in the portable folder.
    paths.use_private_library_folders()
    # The window's start must not wait for every command's imports (llama.cpp,
    # huggingface_hub...): options alone are read without the command modules.
    args, rest = build_parser(with_commands=False).parse_known_args(argv)
    if rest:
        args = build_parser(argv).parse_args(argv)
    else:
        args.command = None
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    if args.self_test:
        from tinychat.selftest import run_self_test

        return run_self_test()
    if args.command is None:
        from tinychat.app import run

        return run(model=args.model)
    problem = paths.ensure_writable_data_dir()
    if problem:
        print(f"tinychat: {problem}", file=sys.stderr)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
