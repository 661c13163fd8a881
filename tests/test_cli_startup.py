"""'tinychat --version' and '--help' answer without importing Qt or llama.cpp (seconds on a laptop)."""

import os
import subprocess
import sys

import pytest

from tinychat import __version__
from tinychat.cli import COMMANDS, build_parser

HEAVY = ("PySide6", "llama_cpp", "numpy")
PROBE = """
import sys
from tinychat.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print("imported:", *sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)
sys.exit(code)
"""


def _run(*args, lang="en"):
    env = dict(os.environ, TINYCHAT_LANG=lang)
    return subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY), *args], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.mark.parametrize("option", ["--version", "--help", "-h"])
def test_version_and_help_import_neither_qt_nor_llama_cpp(option):
    result = _run(option)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "imported:"


def test_version_is_printed_wherever_the_option_stands():
    assert _run("--version").stdout.strip() == f"tinychat {__version__}"
    assert _run("--data-dir", "/nonexistent/x", "--vers").stdout.strip() == f"tinychat {__version__}"


def test_help_lists_every_command_as_its_own_module_describes_it():
    def listed(parser):
        (subparsers,) = [a for a in parser._actions if a.dest == "command"]
        return [(a.dest, a.help) for a in subparsers._choices_actions]

    quick = listed(build_parser(["--help"]))
    assert [word for word, _help in quick] == list(COMMANDS)
    assert quick == listed(build_parser(None))  # every module imported and registered


def test_help_is_still_translated():
    result = _run("--help", lang="es")
    assert result.returncode == 0
    assert "haz una pregunta a un modelo" in result.stdout
    assert "argumentos posicionales" in result.stdout  # argparse's own words, through the catalogue
    assert result.stderr.strip().splitlines()[-1] == "imported:"
