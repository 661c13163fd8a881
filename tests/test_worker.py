"""The one worker pattern: stale answers dropped, exceptions logged and said, restart, a checked shutdown."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import QThread

from tinychat.app import create_app
from tinychat.gui import worker as worker_module
from tinychat.gui.worker import BackgroundRunner


class Sentence(Exception):
    """An expected failure: its text is meant for a person."""


@pytest.fixture
def runner(qtbot):
    create_app()
    made = []

    def make_state():
        state = {"thread": QThread.currentThread(), "closed": False}
        made.append(state)
        return state

    r = BackgroundRunner("test-worker", make_state=make_state, close_state=lambda s: s.update(closed=True),
                         expected=(Sentence,))
    r.made = made
    yield r
    assert r.shutdown(5000)


def test_work_runs_on_the_thread_with_a_state_made_there(qtbot, runner):
    answers = []
    runner.submit(lambda state, _report: state["thread"] is QThread.currentThread(), on_done=answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    assert answers == [True]
    assert runner.made[0]["thread"] is not QThread.currentThread()


def test_only_the_latest_request_of_a_kind_is_answered(qtbot, runner):
    gate = threading.Event()
    answers = []
    runner.submit(lambda _s, _r: gate.wait(5) and "old", kind="list", on_done=answers.append)
    runner.submit(lambda _s, _r: "other kind", kind="info", on_done=answers.append)
    runner.submit(lambda _s, _r: "new", kind="list", on_done=answers.append)
    gate.set()
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=5000)
    qtbot.wait(50)
    assert answers == ["other kind", "new"]


def test_reports_arrive_in_order_before_the_answer(qtbot, runner):
    seen = []

    def work(_state, report):
        for i in range(5):
            report(i)
        return "done"

    runner.submit(work, on_report=seen.append, on_done=seen.append)
    qtbot.waitUntil(lambda: "done" in seen, timeout=5000)
    assert seen == [0, 1, 2, 3, 4, "done"]


def test_an_expected_failure_keeps_its_sentence_and_is_logged(qtbot, runner, caplog):
    failures = []

    def work(_state, _report):
        raise Sentence("The file is not a model. Choose another one.")

    with caplog.at_level(logging.INFO, logger="tinychat.gui.worker"):
        runner.submit(work, on_failed=lambda text, exc: failures.append((text, exc)))
        qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    [(text, exc)] = failures
    assert text == "The file is not a model. Choose another one."
    assert isinstance(exc, Sentence)
    [record] = [r for r in caplog.records if "request" in r.getMessage()]
    assert record.exc_info is not None  # the traceback is in the log


def test_a_bug_is_logged_with_its_traceback_and_becomes_a_sentence(qtbot, runner, caplog):
    failures = []

    def work(_state, _report):
        return {}["missing"]

    with caplog.at_level(logging.INFO, logger="tinychat.gui.worker"):
        runner.submit(work, on_failed=lambda text, exc: failures.append(text))
        qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert "Something went wrong inside TinyChat" in failures[0]
    assert "KeyError" in failures[0] and "the log has the details" in failures[0]
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info is not None and record.exc_info[0] is KeyError
    # The thread survived the bug.
    answers = []
    runner.submit(lambda _s, _r: "still here", on_done=answers.append)
    qtbot.waitUntil(lambda: answers == ["still here"], timeout=5000)


def test_shutdown_closes_the_state_on_its_thread_and_a_new_request_restarts(qtbot, runner):
    answers = []
    runner.submit(lambda s, _r: 1, on_done=answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    assert runner.shutdown(5000)
    assert not runner.running
    assert runner.made[0]["closed"]
    runner.submit(lambda s, _r: 2, on_done=answers.append)
    qtbot.waitUntil(lambda: answers == [1, 2], timeout=5000)
    assert runner.starts == 2 and len(runner.made) == 2 and not runner.made[1]["closed"]


def test_answers_on_their_way_at_shutdown_are_dropped(qtbot, runner):
    gate = threading.Event()
    answers = []
    runner.submit(lambda _s, _r: gate.wait(5) and "late", on_done=answers.append)
    closing = threading.Thread(target=lambda: (threading.Event().wait(0.1), gate.set()))
    closing.start()
    assert runner.shutdown(5000)
    closing.join()
    qtbot.wait(50)
    assert answers == []


def test_a_thread_that_does_not_end_in_time_is_reported_not_ignored(qtbot, runner, caplog):
    gate = threading.Event()
    started = threading.Event()
    runner.submit(lambda _s, _r: started.set() or gate.wait(10))
    assert started.wait(5)
    with caplog.at_level(logging.ERROR, logger="tinychat.gui.worker"):
        assert runner.shutdown(100) is False
    assert "did not finish within 0.1 s" in caplog.text
    thread, _side = worker_module._unfinished_threads[-1]
    assert thread.isRunning()  # still referenced, so the process does not abort
    gate.set()
    assert thread.wait(5000)
    worker_module._unfinished_threads.clear()
