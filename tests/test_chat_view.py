"""The conversation view on its own: turns, streaming, code blocks, links."""

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
