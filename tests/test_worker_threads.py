"""A thread that computed with llama.cpp leaves no OpenMP worker threads behind once it is done.

With GCC's OpenMP, every thread that ran a llama.cpp computation keeps its own
worker threads; with more of them than cores, every thread's computation
slows to a crawl (see tinychat.core.hardware.release_worker_threads). These
tests count the process's threads while a thread that computed waits, as the
window's model thread waits between replies.
"""

from __future__ import annotations

import os
import threading

import llama_cpp
import pytest

from tinychat.app import create_app
from tinychat.core import hardware
from tinychat.core.engine import Engine
from tinychat.core.params import GenerationParams
from tinychat.gui.worker import BackgroundRunner

pytestmark = pytest.mark.model

QUESTION = [{"role": "user", "content": "Name a colour."}]
SHORT = GenerationParams(temperature=0, max_new_tokens=4)


def _threads() -> set[int]:
    """The native ids of the process's threads (other tests' threads may end meanwhile: only new ones count)."""
    return {int(name) for name in os.listdir(f"/proc/{os.getpid()}/task")}


@pytest.fixture
def two_thread_engine(starter_path):
    engine = Engine()
    engine.load(starter_path, n_ctx=512, n_threads=2)
    if not os.path.isdir(f"/proc/{os.getpid()}/task") or hardware._openmp_runtime() is None:
        engine.close()
        pytest.skip("llama.cpp here does not run on GCC's OpenMP")
    yield engine
    engine.close()


def _alive_after(work) -> int:
    """How many threads appeared while a thread that ran ``work`` waits, that thread included."""
    before = _threads()
    done, leave = threading.Event(), threading.Event()

    def run() -> None:
        try:
            work()
        finally:
            done.set()
            leave.wait(30)

    thread = threading.Thread(target=run, name="computes")
    thread.start()
    try:
        assert done.wait(60)
        return len(_threads() - before)
    finally:
        leave.set()
        thread.join()


def test_plain_llama_cpp_keeps_a_worker_thread_per_computing_thread(two_thread_engine):
    # What the release is for: without it, the thread waits with its OpenMP worker beside it.
    llm = two_thread_engine.llm

    def evaluate() -> None:
        llm.reset()
        llm.eval(llm.tokenize(b"Once upon a time"))

    assert _alive_after(evaluate) == 2


def test_a_reply_ends_its_worker_threads(two_thread_engine):
    result: list[object] = []
    assert _alive_after(lambda: result.append(two_thread_engine.generate(QUESTION, SHORT))) == 1
    assert result and result[0].text  # type: ignore[attr-defined]


def test_the_windows_worker_ends_them_after_any_request(qtbot, two_thread_engine):
    create_app()
    runner: BackgroundRunner[None] = BackgroundRunner("computes")
    llm = two_thread_engine.llm
    answers: list[object] = []
    try:
        before = _threads()

        def evaluate(_state, _report) -> tuple[int, int]:
            llm.reset()
            llm.eval(llm.tokenize(b"Once upon a time"))
            return llama_cpp.llama_n_threads(llm._ctx.ctx), threading.get_native_id()

        runner.submit(evaluate, on_done=answers.append)
        qtbot.waitUntil(lambda: bool(answers), timeout=30000)
        [(threads, runner_thread)] = answers
        assert threads == 2
        assert _threads() - before == {runner_thread}  # only the runner's own, waiting for the next request
    finally:
        assert runner.shutdown(10000)
