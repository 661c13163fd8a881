"""What the commands share in tinychat.cli.common, tried on its own."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import pytest

from tinychat.cli.common import EXIT_INTERRUPTED, Interrupted, run_cancellable


@pytest.fixture
def ctrl_c_raises():
    """SIGINT raises KeyboardInterrupt in the main thread, as in a command started from a terminal."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_sets_cancel_waits_for_the_work_and_says_why(ctrl_c_raises, capsys):
    assert threading.current_thread() is threading.main_thread()
    seen: dict[str, Any] = {}

    def work(cancel: threading.Event) -> str:
        seen["thread"], seen["cancel"] = threading.current_thread(), cancel
        try:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C, sent to the whole process as a terminal does
            seen["cancelled"] = cancel.wait(timeout=30)
            time.sleep(0.3)  # the transfer's last chunk: the caller must wait for it, not say its sentence over it
            raise RuntimeError("stopped between two chunks")  # as the real transfers end when cancelled
        finally:
            seen["ended"] = True

    with pytest.raises(Interrupted) as stop:
        try:
            run_cancellable(work, name="job", interrupted="job interrupted; what arrived is kept.")
        except KeyboardInterrupt:
            seen["cancel"].set()  # let the work end, then say what went wrong instead of stopping the test run
            pytest.fail("Ctrl+C went past run_cancellable: the work was left running, not cancelled")
    assert stop.value.code == EXIT_INTERRUPTED == 130
    assert seen["cancelled"] is True and seen["cancel"].is_set()
    assert seen["ended"] is True and not seen["thread"].is_alive()  # joined before the sentence
    assert seen["thread"] is not threading.main_thread() and seen["thread"].name == "job"
    # The progress line ended, then one sentence; the work's own error is not shown.
    assert capsys.readouterr().err == "\ntinychat: job interrupted; what arrived is kept.\n"


def test_without_ctrl_c_the_work_result_or_its_error_comes_back(capsys):
    given = []

    def name_of_its_thread(cancel: threading.Event) -> str:
        given.append(cancel)
        return threading.current_thread().name

    assert run_cancellable(name_of_its_thread, name="job", interrupted="x") == "job"

    class Refused(RuntimeError):
        pass

    def refuse(cancel: threading.Event) -> None:
        given.append(cancel)
        raise Refused("the server said no")

    with pytest.raises(Refused, match="the server said no"):
        run_cancellable(refuse, name="job", interrupted="x")
    assert len(given) == 2 and not any(cancel.is_set() for cancel in given)
    assert capsys.readouterr().err == "\n\n"  # each ended the progress line and said nothing else


@pytest.mark.parametrize("output", [[], ["--json"]])
def test_a_reader_that_stopped_early_is_no_error(starter_path, tmp_path, output):
    """``tinychat tokens TEXT | head -0``: the output goes nowhere, and no traceback comes at exit either."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the command writes
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tinychat", "--data-dir", str(tmp_path), "tokens", "Hola, mundo",
             "--model", str(starter_path), *output],
            stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("command", [["tokens"], ["surprise"], ["lens", "--raw", "--json"]])
@pytest.mark.parametrize("given", ["stdin", "argument"])
def test_text_that_is_not_utf8_is_read_with_replacement_characters(starter_path, tmp_path, command, given):
    """Bytes in another encoding (here Latin-1's ñ and ÿ), piped in or typed: U+FFFD for each, not a traceback."""
    name, *options = command
    text = "Hola, Begoña, hoy ÿ".encode("latin-1")
    result = subprocess.run(
        [sys.executable.encode(), b"-m", b"tinychat", b"--data-dir", bytes(tmp_path), name.encode(),
         b"-" if given == "stdin" else text, b"--model", bytes(starter_path), *(o.encode() for o in options)],
        input=text if given == "stdin" else b"", capture_output=True, timeout=120,
    )
    stderr = result.stderr.decode("utf-8", errors="replace")
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert "\ufffd" in result.stdout.decode("utf-8")
