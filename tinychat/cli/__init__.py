"""``tinychat``: the window with no sub-command, or one of the command-line tools.

Each sub-command lives in its own module with a ``register(subparsers)``
function; the window and every command share the same core.

The command line speaks the language of the window (see
:func:`tinychat.core.i18n.current_language`): the preferences are read
before the parser is built, so that the help is translated too. Machine
output (``--json``) stays the same in every language.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

import tinychat
from tinychat.core import i18n, paths
from tinychat.core.i18n import QT_TRANSLATE_NOOP, translate

_CTX = "CommandLine"

# argparse's own sentences (it looks them up through the module's ``_``): marked here for the catalogue.
_ARGPARSE = "argparse"
_ARGPARSE_MESSAGES = (
    QT_TRANSLATE_NOOP(_ARGPARSE, "usage: "),
    QT_TRANSLATE_NOOP(_ARGPARSE, "positional arguments"),
    QT_TRANSLATE_NOOP(_ARGPARSE, "options"),
    QT_TRANSLATE_NOOP(_ARGPARSE, "show this help message and exit"),
    QT_TRANSLATE_NOOP(_ARGPARSE, "show program's version number and exit"),
    QT_TRANSLATE_NOOP(_ARGPARSE, "%(prog)s: error: %(message)s\n"),
    QT_TRANSLATE_NOOP(_ARGPARSE, "the following arguments are required: %s"),
    QT_TRANSLATE_NOOP(_ARGPARSE, "unrecognized arguments: %s"),
    QT_TRANSLATE_NOOP(_ARGPARSE, "invalid choice: %(value)r (choose from %(choices)s)"),
    QT_TRANSLATE_NOOP(_ARGPARSE, "invalid %(type)s value: %(value)r"),
    QT_TRANSLATE_NOOP(_ARGPARSE, "expected one argument"),
    QT_TRANSLATE_NOOP(_ARGPARSE, "argument %(argument_name)s: %(message)s"),
)


def _t(text: str) -> str:
    return translate(_CTX, text)


def _argparse_text(text: str) -> str:
    return translate(_ARGPARSE, text)


#: Each sub-command's word on the command line and the module that registers it.
COMMANDS = {
    "ask": "ask",
    "chats": "chats",
    "models": "models",
    "probs": "probs",
    "tokens": "tokens",
    "surprise": "surprise",
    "lens": "lens",
    "bench": "bench",
    "serve": "serve",
    "install-desktop": "desktop",
}


#: Each command's line in ``tinychat --help``. It is kept here, not in the command's
#: module, so that the list of commands is printed without importing them (``ask``
#: alone imports llama.cpp and numpy: seconds); each module's register() uses it too.
COMMAND_HELP = {
    "ask": QT_TRANSLATE_NOOP(_CTX, "ask a model one question and stream the reply"),
    "chats": QT_TRANSLATE_NOOP(_CTX, "list, show, export and import saved conversations"),
    "models": QT_TRANSLATE_NOOP(_CTX, "list, download, import and remove models"),
    "probs": QT_TRANSLATE_NOOP(
        _CTX, "show the next-token probabilities after a prompt, stage by stage through the sampler"
    ),
    "tokens": QT_TRANSLATE_NOOP(_CTX, "cut a text into the model's tokens (ids, pieces, bytes) and count them"),
    "surprise": QT_TRANSLATE_NOOP(
        _CTX, "how surprising each token of a text is to a model; compare two models or quantizations"
    ),
    "lens": QT_TRANSLATE_NOOP(_CTX, "what each layer would predict if the model stopped there (the logit lens)"),
    "bench": QT_TRANSLATE_NOOP(
        _CTX, "measure how fast a model runs here: through TinyChat, bare llama-cpp-python and llama-bench"
    ),
    "serve": QT_TRANSLATE_NOOP(_CTX, "share a model with a class through llama-server, with an access key"),
    # Not translated: it only concerns Linux installs from pip.
    "install-desktop": "add TinyChat to this user's application menu (for a pip or venv install)",
}


def command_help(word: str) -> str:
    """The command's line in ``tinychat --help``, translated."""
    return _t(COMMAND_HELP[word])


def _command_modules(argv: Sequence[str] | None = None) -> list:
    """The sub-command modules to register: those ``argv`` may be asking for, else all of them.

    Importing every command costs each run about half a second (ask loads llama.cpp,
    models loads numpy and gguf), which ``tinychat chats list`` does not need. The
    command asked for is always a word of ``argv``, so it is always among them.
    When ``argv`` names none, only the commands without a line in COMMAND_HELP
    are imported (see _register_commands).
    """
    named = [module for word, module in COMMANDS.items() if argv is not None and word in argv]
    if argv is not None and not named:
        named = [module for word, module in COMMANDS.items() if word not in COMMAND_HELP]
        return [importlib.import_module(f"tinychat.cli.{name}") for name in named]
    return [importlib.import_module(f"tinychat.cli.{name}") for name in (named or COMMANDS.values())]


def _register_commands(subparsers: argparse._SubParsersAction, argv: Sequence[str] | None) -> None:
    """Every command the arguments may name; the others by their help line alone (for ``--help`` and errors)."""
    modules = {module.__name__.rsplit(".", 1)[-1]: module for module in _command_modules(argv)}
    for word, name in COMMANDS.items():
        if name in modules:
            modules[name].register(subparsers)
        elif argv is not None and not any(w in argv for w in COMMANDS):
            subparsers.add_parser(word, help=command_help(word))


class _VersionAction(argparse._VersionAction):
    """argparse's --version, with the version looked up only when it is asked for (see tinychat.__getattr__)."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[no-untyped-def]
        self.version = f"tinychat {tinychat.__version__}"
        super().__call__(parser, namespace, values, option_string)


def build_parser(argv: Sequence[str] | None = None, with_commands: bool = True) -> argparse.ArgumentParser:
    """The parser; given the arguments, it registers only the sub-commands they may name."""
    parser = argparse.ArgumentParser(
        prog="tinychat",
        description=_t("Chat with small language models offline. With no command, opens the window."),
        add_help=with_commands,
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=_t("keep settings, models and conversations in DIR instead of the usual place"),
    )
    parser.add_argument("--model", metavar="PATH", help=_t("(window) the GGUF model to open at start"))
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=_t(
            "check this installation: load the starter model, generate a few tokens, open the window "
            "off screen, load the Spanish catalogue; exit 0 when all work"
        ),
    )
    if not with_commands:
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _register_commands(subparsers, argv)
    return parser


def _peek_data_dir(argv: Sequence[str]) -> str | None:
    """``--data-dir`` before the full parser exists: the preferences (and so the language of the help) live there."""
    peek = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    peek.add_argument("--data-dir")
    known, _rest = peek.parse_known_args([a for a in argv if a not in ("-h", "--help")])
    return known.data_dir


def load_preferences():
    """Read the settings and make their language and models folder this process's; returns the settings."""
    from tinychat.core.preferences import apply_to_process
    from tinychat.core.settings import load_settings

    settings = load_settings()
    apply_to_process(settings)
    problem = i18n.install_catalogue()
    if problem:
        import logging

        logging.getLogger("tinychat").warning(problem)
    argparse._ = _argparse_text  # type: ignore[attr-defined]  # argparse translates through its module's ``_``
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--version" in argv[: argv.index("--") if "--" in argv else None]:
        # As argparse would answer (it prints the version wherever the option stands),
        # without reading the settings first.
        print(f"tinychat {tinychat.__version__}")
        return 0
    data_dir = _peek_data_dir(argv)
    if data_dir:
        paths.set_data_dir(data_dir)
    # Before the commands import huggingface_hub and keyring: in portable mode
    # their caches and fallbacks must land in the portable folder.
    paths.use_private_library_folders()
    try:
        settings = load_preferences()
    except OSError as exc:  # a data folder that cannot even be created
        print(f"tinychat: {exc}", file=sys.stderr)
        return 1
    # The window's start must not wait for every command's imports (llama.cpp,
    # huggingface_hub...): options alone are read without the command modules.
    args, rest = build_parser(with_commands=False).parse_known_args(argv)
    if rest:
        args = build_parser(argv).parse_args(argv)
    else:
        args.command = None
    if args.self_test:
        from tinychat.selftest import run_self_test

        return run_self_test()
    if args.command is None:
        from tinychat.app import run

        return run(model=args.model, settings=settings)
    problem = paths.ensure_writable_data_dir()
    if problem:
        print(f"tinychat: {problem}", file=sys.stderr)
    if settings.notice():
        print(f"tinychat: {settings.notice()}", file=sys.stderr)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("\n" + _t("Interrupted."), file=sys.stderr)
        return 130
