"""The window's handle on the model thread, on a scripted engine."""

from __future__ import annotations

import logging
import threading

import pytest
from fake_engine import FakeEngine

from tinychat.app import create_app
from tinychat.core.params import GenerationParams
from tinychat.gui import worker as worker_module
from tinychat.gui.engine_worker import EngineController

HELLO = [{"role": "user", "content": "Hello"}]


@pytest.fixture
def make_controller(qtbot, fake_model):
    create_app()
    made = []

    def make(factory=FakeEngine):
        controller = EngineController(engine_factory=factory)
        with qtbot.waitSignal(controller.modelLoaded, timeout=10000):
            controller.load_model(fake_model)
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.shutdown()


def test_shutdown_stops_a_reply_and_says_the_thread_ended(qtbot, make_controller):
    controller = make_controller(lambda: FakeEngine(reply_tokens=100_000, token_delay=0.001))
    tokens = []
    controller.token.connect(tokens.append)
    controller.generate(HELLO, GenerationParams(max_new_tokens=4096))
    qtbot.waitUntil(lambda: len(tokens) > 3, timeout=10000)
    assert controller.shutdown(5000) is True
    assert not controller.generating


class DeafEngine(FakeEngine):
    """Never looks at Stop: a reply that runs on after the window closes."""

    release = threading.Event()

    def generate(self, messages, params, **kwargs):
        kwargs["on_token"]("...")
        self.release.wait(10)
        return super().generate(messages, params)


def test_shutdown_says_when_the_model_thread_did_not_end(qtbot, make_controller, caplog):
    controller = make_controller(DeafEngine)
    with qtbot.waitSignal(controller.token, timeout=10000):
        controller.generate(HELLO, GenerationParams())
    with caplog.at_level(logging.ERROR, logger="tinychat.gui.worker"):
        assert controller.shutdown(200) is False
    assert "the model thread did not finish within 0.2 s" in caplog.text
    DeafEngine.release.set()
    thread, _side = worker_module._unfinished_threads.pop()
    assert thread.wait(10000)


class BuggyEngine(FakeEngine):
    def generate(self, messages, params, **kwargs):
        raise ZeroDivisionError("division by zero")


def test_a_bug_in_the_engine_is_a_sentence_and_a_logged_traceback(qtbot, make_controller, caplog):
    controller = make_controller(BuggyEngine)
    with (
        caplog.at_level(logging.ERROR, logger="tinychat.gui.worker"),
        qtbot.waitSignal(controller.generationFailed, timeout=10000) as failed,
    ):
        controller.generate(HELLO, GenerationParams())
    assert "Something went wrong inside TinyChat (ZeroDivisionError: division by zero)" in failed.args[0]
    assert not controller.generating
    [record] = caplog.records
    assert record.exc_info[0] is ZeroDivisionError
    # The model thread is still there for the next reply.
    controller.generate(HELLO, GenerationParams())  # fails the same way, but is answered
    qtbot.waitUntil(lambda: not controller.generating, timeout=10000)


def test_a_newer_reply_drops_the_older_ones_tokens(qtbot, make_controller):
    controller = make_controller(lambda: FakeEngine(reply_tokens=50, token_delay=0.002))
    finished = []
    controller.generationFinished.connect(finished.append)
    first = GenerationParams(seed=1, max_new_tokens=50)
    controller.generate(HELLO, first)
    controller.stop()
    tokens = []
    controller.token.connect(tokens.append)
    with qtbot.waitSignal(controller.generationFinished, timeout=10000) as second:
        controller.generate(HELLO, GenerationParams(seed=2, max_new_tokens=50))
    qtbot.wait(50)
    assert [r.seed for r in finished] == [2]  # the first reply's answer never arrived
    assert "".join(tokens) == second.args[0].text


def test_streamed_text_reaches_the_window_once_per_frame_in_order(qtbot, make_controller):
    """Tokens that arrive within one frame come as one ``token`` signal; the text and the order of
    token details are those of the reply (a detail always after the text it belongs to)."""
    controller = make_controller(lambda: FakeEngine(reply_tokens=300))
    controller.set_token_details(True)
    events = []
    controller.token.connect(lambda text: events.append(("text", text)))
    controller.tokenDetail.connect(lambda detail: events.append(("detail", detail.text)))
    with qtbot.waitSignal(controller.generationFinished, timeout=10000) as finished:
        controller.generate(HELLO, GenerationParams(seed=3, max_new_tokens=300))
    result = finished.args[0]
    assert "".join(value for kind, value in events if kind == "text") == result.text
    shown = ""
    for kind, value in events:
        if kind == "text":
            shown += value
        else:
            assert shown.endswith(value)  # its text is already on screen
    controller.set_token_details(False)
    texts = []
    controller.token.connect(texts.append)
    with qtbot.waitSignal(controller.generationFinished, timeout=10000) as finished:
        controller.generate(HELLO, GenerationParams(seed=4, max_new_tokens=300))
    assert "".join(texts) == finished.args[0].text
    assert len(texts) < finished.args[0].stats.completion_tokens  # 300 tokens at once: far fewer deliveries
