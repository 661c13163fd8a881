"""The conversation view on its own: turns, streaming, code blocks, links."""

import pytest
from PySide6.QtCore import QUrl

from tinychat.app import create_app
from tinychat.gui.chat_view import ChatView, Turn

REPLY = "Here is code:\n\n```python\nprint('hi')\nx = 1\n```\n\nDone."


def make_view(qtbot):
    create_app()
    view = ChatView()
    qtbot.addWidget(view)
    view.show()
    return view


def test_copy_a_code_block_from_a_reply(qtbot):
    view = make_view(qtbot)
    view.show_turns([Turn("user", "You", "code please", 1), Turn("assistant", "Model", REPLY, 2)])
    text = view.toPlainText()
    position = text.index("print")
    assert view.code_block_at(position) == "print('hi')\nx = 1"
    assert view.code_block_at(text.index("Done")) is None


def test_streaming_appends_without_re_rendering(qtbot):
    view = make_view(qtbot)
    view.show_turns([Turn("user", "You", "hello", 1)])
    before = view.document().blockCount()
    view.begin_reply("Model")
    for piece in ["Hel", "lo", " <b>there</b>"]:
        view.append_to_reply(piece)
    view.end_reply()
    assert view.reply_text() == "Hello <b>there</b>"
    assert view.document().blockCount() == before + 2  # a heading and a body, nothing rebuilt


def test_action_links_and_safe_links(qtbot):
    view = make_view(qtbot)
    actions, links = [], []
    view.actionRequested.connect(lambda a, i: actions.append((a, i)))
    view.linkClicked.connect(links.append)
    view.anchorClicked.emit(QUrl("tinychat:regenerate/7"))
    view.anchorClicked.emit(QUrl("tinychat:regenerate/x"))
    view.anchorClicked.emit(QUrl("https://example.org/a"))
    view.anchorClicked.emit(QUrl("javascript:alert(1)"))
    assert actions == [("regenerate", 7)]
    assert [u.toString() for u in links] == ["https://example.org/a"]


def test_versions_show_a_navigator(qtbot):
    view = make_view(qtbot)
    view.show_turns([Turn("assistant", "Model", "second try", 5, version=(2, 3))])
    assert "2 / 3" in view.toPlainText()
    assert 'href="tinychat:previous/5"' in view.toHtml()


def _anchor_texts(view, href):
    doc = view.document()
    found, block = [], doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == href:
                found.append(fragment.text())
            it += 1
        block = block.next()
    return found


def test_version_arrows_are_named_targets_wider_than_one_character(qtbot):
    view = make_view(qtbot)
    view.show_turns([Turn("user", "You", "hi", 1), Turn("assistant", "Model", "hello", 2, version=(2, 3))])
    previous = "".join(_anchor_texts(view, "tinychat:previous/2"))
    following = "".join(_anchor_texts(view, "tinychat:next/2"))
    assert "Previous" in previous and len(previous) >= 5
    assert "Next" in following and len(following) >= 5
    assert "2 / 3" in view.toPlainText()


def test_token_tooltip_shows_tokens_readably(qtbot):
    from tinychat.core.engine import TokenAlternative, TokenDetail

    view = make_view(qtbot)
    detail = TokenDetail(
        index=0, token=5, piece=" refer", text=" refer", raw_prob=0.5, prob=0.6,
        alternatives=(TokenAlternative(5, " refer", 0.5, 0.6), TokenAlternative(6, "\n", 0.2, 0.3)),
        greedy=False,
    )
    tip = view.detail_tooltip(detail)
    assert "␣refer" in tip and "↵" in tip
    assert "'" not in tip and "&#x27;" not in tip and "\\n" not in tip


def test_version_arrows_are_real_named_buttons(qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QToolButton

    view = make_view(qtbot)
    view.resize(600, 400)
    view.show_turns([Turn("user", "You", "hi", 1), Turn("assistant", "Model", "hello", 2, version=(2, 3))])
    buttons = [b for b in view.viewport().findChildren(QToolButton) if b.isVisible()]
    assert sorted(b.accessibleName() for b in buttons) == ["Next version", "Previous version"]
    for button in buttons:
        assert button.width() >= 40 and button.height() >= 16
        assert button.focusPolicy() != Qt.FocusPolicy.NoFocus
    [previous] = [b for b in buttons if b.accessibleName() == "Previous version"]
    with qtbot.waitSignal(view.actionRequested) as blocker:
        qtbot.mouseClick(previous, Qt.MouseButton.LeftButton)
    assert blocker.args == ["previous", 2]
    # A conversation without versions shows none.
    view.show_turns([Turn("user", "You", "hi", 1)])
    assert not any(b.isVisible() for b in view.viewport().findChildren(QToolButton))
def test_a_pasted_word_of_a_hundred_thousand_characters_wraps(qtbot):
    """Qt looks for a word boundary again on each line of one long word: minutes, unless it has break points."""
    from tinychat.gui.markdown_view import ZERO_WIDTH_SPACE

    view = ChatView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.add_message("user", "You", "x" * 100_000)
    doc = view.document()
    doc.setTextWidth(600)
    doc.size()
    assert ZERO_WIDTH_SPACE in doc.toPlainText()
    assert max(doc.findBlockByNumber(i).layout().lineCount() for i in range(doc.blockCount())) > 10


# -- redrawing only what changed ------------------------------------------------------

def _conversation(count):
    turns = []
    for i in range(count):
        turns.append(Turn("user", "You", f"question {i}", 2 * i + 1, markdown=False, actions=(("edit", "Edit"),)))
        turns.append(Turn("assistant", "Model", f"**answer** {i}\n\n- a\n- b", 2 * i + 2, meta=f"seed {i}",
                          version=(1, 2) if i == 1 else (1, 1), actions=(("copy", "Copy"),)))
    return turns


def _full_redraw(qtbot, turns):
    view = make_view(qtbot)
    view.resize(700, 500)
    view.show_turns(turns)
    return view


def test_a_turn_redraws_only_the_new_message_and_reply(qtbot):
    """Sending and finishing a reply draw the new turns only; the document equals a full redraw."""
    view = make_view(qtbot)
    view.resize(700, 500)
    earlier = _conversation(4)
    view.show_turns(earlier)
    assert view.turns_drawn == len(earlier)
    question = Turn("user", "You", "and now?", 100, markdown=False, actions=(("edit", "Edit"),))
    reply = Turn("assistant", "Model", "# Now\n\n```python\nx = 1\n```", 101, meta="seed 7")

    view.show_turns([*earlier, question])  # on send
    view.begin_reply("Model")
    view.append_to_reply("# Now\n\n```python\nx = 1\n```")
    view.end_reply("a note after the reply")
    assert view.turns_drawn == len(earlier) + 1
    view.show_turns([*earlier, question, reply])  # on the finished reply: the streamed text and note go
    assert view.turns_drawn == len(earlier) + 2

    full = _full_redraw(qtbot, [*earlier, question, reply])
    assert view.toHtml() == full.toHtml()
    assert "a note after the reply" not in view.toPlainText()
    assert view.toPlainText().count("# Now") == 0 and view.toPlainText().count("x = 1") == 1


def test_a_selection_in_earlier_messages_survives_a_new_turn(qtbot):
    """The blocks of earlier turns are kept, not rebuilt: a selection in them stays selected."""
    view = make_view(qtbot)
    earlier = _conversation(3)
    view.show_turns(earlier)
    start = view.toPlainText().index("question 1")
    cursor = view.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len("question 1"), cursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    view.show_turns([*earlier, Turn("user", "You", "more", 50, markdown=False)])
    view.begin_reply("Model")
    view.append_to_reply("streamed")
    view.show_turns([*earlier, Turn("user", "You", "more", 50, markdown=False), Turn("assistant", "Model", "ok", 51)])
    assert view.textCursor().selectedText() == "question 1"


def test_a_changed_earlier_turn_redraws_from_that_turn_on(qtbot):
    """Another version of the second reply: the first turns stay, that one and the rest are drawn again."""
    view = make_view(qtbot)
    turns = _conversation(4)
    view.show_turns(turns)
    drawn = view.turns_drawn
    changed = list(turns)
    changed[3] = Turn("assistant", "Model", "another version", 20, version=(2, 2), actions=(("copy", "Copy"),))
    view.show_turns(changed[:5])
    assert view.turns_drawn == drawn + 2  # turns 3 and 4; 0, 1 and 2 are kept
    assert view.toHtml() == _full_redraw(qtbot, changed[:5]).toHtml()
    assert "answer 1" not in view.toPlainText() and "answer 3" not in view.toPlainText()
    # The version buttons follow: "‹ 2 / 2 ›" on the new version and none left from the old one.
    assert view._version_links == _full_redraw(qtbot, changed[:5])._version_links
    view.show_turns(turns[:1])
    assert view.toPlainText().strip().endswith("Edit") and view._version_links == []


def test_a_new_font_redraws_every_turn(qtbot):
    """Classroom mode changes the font: quiet lines are drawn at a size taken from it, so all is drawn again."""
    from PySide6.QtGui import QFont

    view = make_view(qtbot)
    turns = _conversation(2)
    view.show_turns(turns)
    font = QFont(view.font())
    font.setPointSizeF(font.pointSizeF() * 1.6)
    view.setFont(font)
    view.show_turns(turns)
    assert view.turns_drawn == 2 * len(turns)
    same = _full_redraw(qtbot, [])
    same.setFont(font)
    same.show_turns(turns)
    assert view.toHtml() == same.toHtml()


def test_painting_the_view_runs_no_python_code():
    """Overriding viewportEvent or scrollContentsBy in Python made every paint of the view run inside a
    Python call, holding the interpreter lock that the model thread needs between tokens."""
    from PySide6.QtWidgets import QAbstractScrollArea, QTextBrowser

    for name in ("viewportEvent", "scrollContentsBy", "paintEvent", "event"):
        assert getattr(ChatView, name) in (getattr(QTextBrowser, name, None), getattr(QAbstractScrollArea, name, None))


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the offscreen platform, showing the tooltip
def test_a_token_tooltip_comes_through_the_event_filter(qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    from tinychat.core.engine import TokenAlternative, TokenDetail

    view = make_view(qtbot)
    view.resize(600, 300)
    view.set_probability_view(True)
    view.begin_reply("Model")
    view.append_to_reply(" lighthouse")
    view.add_token_detail(TokenDetail(
        index=0, token=5, piece=" lighthouse", text=" lighthouse", raw_prob=0.5, prob=0.6,
        alternatives=(TokenAlternative(5, " lighthouse", 0.5, 0.6),), greedy=False,
    ))
    cursor = view.textCursor()
    cursor.setPosition(view.toPlainText().index("lighthouse") + 3)
    point = view.cursorRect(cursor).center()
    event = QHelpEvent(QEvent.Type.ToolTip, point, view.viewport().mapToGlobal(point))
    assert QApplication.sendEvent(view.viewport(), event)  # handled by the view
    assert "lighthouse" in QToolTip.text()
    QToolTip.hideText()
