"""The chat's token probability view, fed by the model thread (a scripted engine: these are the view's rules)."""

from __future__ import annotations

import html

import pytest
from fake_engine import FakeEngine
from PySide6.QtGui import QTextCursor

from tinychat.core.params import GenerationParams
from tinychat.core.sampling import readable_token
from tinychat.gui.chat_view import ChatView
from tinychat.gui.engine_worker import EngineController

#: A sure token, a likely one, a long shot, and the rest.
SCRIPT = ((" Hello", 0.97), ("!", 0.6), (" Nice", 0.04), (" to", 0.5), (" meet", 0.8), (" you", 0.9), (".", 0.3))


@pytest.fixture
def controller(qtbot, fake_model):
    c = EngineController(engine_factory=lambda: FakeEngine(SCRIPT))
    with qtbot.waitSignal(c.modelLoaded, timeout=10000):
        c.load_model(fake_model)
    yield c
    c.shutdown()


def _generate(qtbot, controller, view, params):
    details = []
    controller.token.connect(view.append_to_reply)
    controller.tokenDetail.connect(view.add_token_detail)
    controller.tokenDetail.connect(details.append)
    view.begin_reply("Assistant")
    with qtbot.waitSignal(controller.generationFinished, timeout=60000) as blocker:
        controller.generate([{"role": "user", "content": "Say hello."}], params)
    view.end_reply()
    controller.token.disconnect(view.append_to_reply)
    controller.tokenDetail.disconnect(view.add_token_detail)
    controller.tokenDetail.disconnect(details.append)
    return blocker.args[0], details


def test_view_shades_tokens_and_plain_path_is_unchanged(qtbot, controller):
    params = GenerationParams(temperature=1.0, top_k=40, top_p=0.95, seed=21, max_new_tokens=16)
    view = ChatView()
    qtbot.addWidget(view)
    plain, none = _generate(qtbot, controller, view, params)
    assert none == []  # off by default: no details, no cost

    controller.set_token_details(True)
    view2 = ChatView()
    qtbot.addWidget(view2)
    view2.set_probability_view(True)
    shaded, details = _generate(qtbot, controller, view2, params)
    assert shaded.text == plain.text
    assert [d.token for d in details] == shaded.token_ids
    assert view2.reply_text() == view.reply_text() == " Hello! Nice to meet you."
    assert [d.prob for d in details] == [p for _piece, p in SCRIPT]

    # Every detail with text has a shaded range; an unlikely token is shaded more strongly.
    ranges = view2._detail_ranges
    assert ranges
    for start, _end, detail in ranges:
        cursor = QTextCursor(view2.document())
        cursor.setPosition(start + 1)
        expected = ChatView.probability_color(detail.prob)
        assert cursor.charFormat().background().color().alpha() == expected.alpha()
        assert view2.detail_at(start) is detail
    tip = view2.detail_tooltip(ranges[0][2])
    assert html.escape(readable_token(ranges[0][2].alternatives[0].piece)) in tip
    assert ChatView.probability_color(0.05).alpha() > ChatView.probability_color(0.9).alpha()

    # The plain view ignores details.
    view3 = ChatView()
    qtbot.addWidget(view3)
    _generate(qtbot, controller, view3, params)
    assert view3._detail_ranges == []
