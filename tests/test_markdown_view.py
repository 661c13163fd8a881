"""Replies rendered as Markdown: HTML stays text, nothing is fetched, only safe links stay links."""

from __future__ import annotations

import http.server
import threading

import pytest
from PySide6.QtGui import QColor, QTextCursor, QTextFormat

from tinychat.gui.markdown_view import (
    MARKDOWN_FEATURES,
    MarkdownView,
    SafeTextDocument,
    is_safe_link,
    markdown_fragment,
    render_markdown,
)


@pytest.fixture
def server():
    """A real HTTP server on 127.0.0.1 that counts every request made to it."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def _anchors(doc):
    found = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isAnchor():
                found.append((it.fragment().text(), fmt.anchorHref()))
            if fmt.isImageFormat():
                found.append(("IMAGE", fmt.toImageFormat().name()))
            it += 1
        block = block.next()
    return found


def test_html_in_a_reply_is_shown_as_text(qapp):
    text = ('Look: <script>alert("x")</script> and <img src=http://evil.example/a.png> '
            'and <b>bold?</b>\n\n<div onclick="x()">block</div>')
    doc = render_markdown(text)
    plain = doc.toPlainText()
    assert '<script>alert("x")</script>' in plain
    assert "<img src=http://evil.example/a.png>" in plain
    assert "<b>bold?</b>" in plain and '<div onclick="x()">block</div>' in plain
    assert _anchors(doc) == []
    assert "<script" not in doc.toHtml() and "<img" not in doc.toHtml()


def test_markdown_images_become_text_and_unsafe_links_plain_text(qapp):
    text = ("![cat](http://evil.example/cat.png) ![](file:///etc/passwd) "
            "[click](javascript:alert(1)) [local](file:///etc/passwd) [ok](https://example.org/page) "
            "<https://auto.example>")
    doc = render_markdown(text)
    plain = doc.toPlainText()
    assert "[cat](http://evil.example/cat.png)" in plain  # (Qt's parser drops an image with no alt text)
    assert "click" in plain and "local" in plain
    assert _anchors(doc) == [("ok", "https://example.org/page"), ("https://auto.example", "https://auto.example")]
    html = doc.toHtml()
    assert "javascript:" not in html and "<img" not in html and "file:" not in html


@pytest.mark.parametrize(
    "href, safe",
    [("https://a.org", True), ("http://a.org/x", True), ("mailto:a@b.org", True), ("javascript:alert(1)", False),
     ("JAVASCRIPT:alert(1)", False), ("file:///etc/passwd", False), ("data:text/html,<b>", False), ("", False)],
)
def test_which_links_are_safe(href, safe):
    assert is_safe_link(href) is safe


def test_the_view_fetches_nothing_and_follows_no_link(qtbot, server):
    base, requests = server
    view = MarkdownView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    view.setMarkdownSafely(
        f"![remote]({base}/md.png)\n\n<img src={base}/html.png>\n\n[site]({base}/page)\n\n"
        f"[js](javascript:fetch('{base}/js'))"
    )
    qtbot.waitExposed(view)
    view.document().setHtml(f'<img src="{base}/direct.png">')  # even HTML put there by mistake loads nothing
    view.viewport().repaint()
    qtbot.wait(300)
    assert requests == []
    assert isinstance(view.document(), SafeTextDocument)
    assert set(view.document().refused) == {f"{base}/direct.png"}  # the reply itself asked for nothing
    assert view.openLinks() is False and view.openExternalLinks() is False


def test_safe_link_clicks_are_reported_not_opened(qtbot):
    view = MarkdownView()
    qtbot.addWidget(view)
    from PySide6.QtCore import QUrl

    with qtbot.waitSignal(view.linkClicked) as blocker:
        view.anchorClicked.emit(QUrl("https://example.org"))
    assert blocker.args[0].toString() == "https://example.org"
    with qtbot.assertNotEmitted(view.linkClicked):
        view.anchorClicked.emit(QUrl("javascript:alert(1)"))


def test_code_blocks_are_coloured_and_kept_verbatim(qapp):
    code = 'def greet(name):\n    return "hola " + name  # <b>not html</b>'
    doc = render_markdown(f"Here:\n\n```python\n{code}\n```\n")
    assert code in doc.toPlainText()
    colours = set()
    block = doc.begin()
    while block.isValid():
        if block.blockFormat().stringProperty(QTextFormat.Property.BlockCodeLanguage) == "python":
            it = block.begin()
            while not it.atEnd():
                colours.add(it.fragment().charFormat().foreground().color().name())
                it += 1
        block = block.next()
    assert len(colours) >= 3  # keywords, strings, comments in different colours


def test_a_fragment_carries_the_safe_rendering(qapp):
    fragment = markdown_fragment("**bold** <script>x</script> ![i](http://h/i.png)")
    assert fragment.toPlainText() == "bold <script>x</script> [i](http://h/i.png)"
    assert "<img" not in fragment.toHtml()


def test_single_newlines_keep_a_poem_and_a_plain_list_line_by_line(qapp):
    reply = "Roses are red,\nViolets are blue,\nSugar is sweet.\n\nOne\nTwo\nThree"
    text = render_markdown(reply).toPlainText()
    assert text.splitlines() == ["Roses are red,", "Violets are blue,", "Sugar is sweet.", "One", "Two", "Three"]


def test_code_blocks_and_real_lists_are_untouched_by_line_breaks(qapp):
    reply = "```python\nx = 1\ny = 2\n```\n- a\n- b"
    doc = render_markdown(reply)
    lines = doc.toPlainText().splitlines()
    assert "x = 1" in lines and "y = 2" in lines  # no trailing spaces added inside code
    assert lines[-2:] == ["a", "b"]
# --- very long replies: time in proportion to the length (benchmarks/bench_render.py measures it) ---


def test_a_huge_code_block_is_left_uncoloured_and_verbatim(qapp):
    from tinychat.gui.markdown_view import HIGHLIGHT_LIMIT, highlight_code_blocks

    line = "x = compute(1, 2)  # comment\n"
    big = "```python\n" + line * (2 * HIGHLIGHT_LIMIT // len(line)) + "```\n"
    doc = SafeTextDocument()
    doc.setMarkdown(big, MARKDOWN_FEATURES)
    assert highlight_code_blocks(doc) == 0
    small = SafeTextDocument()
    small.setMarkdown("```python\n" + line * 3 + "```\n", MARKDOWN_FEATURES)
    assert highlight_code_blocks(small) == 1
    assert render_markdown(big).toPlainText().count("compute") == big.count("compute")


def test_colouring_a_many_line_block_marks_the_right_lines(qapp):
    code = "".join(f"value_{i} = {i}\n" for i in range(300))
    doc = render_markdown("```python\n" + code + "```\n")
    block = doc.findBlockByNumber(299)
    assert block.text() == "value_299 = 299"
    number_at = block.position() + block.text().index("299 =") + len("299 = ")
    cursor = QTextCursor(doc)
    cursor.setPosition(number_at + 1)
    assert cursor.charFormat().foreground().color().name() != QColor("black").name()


def test_a_very_long_word_or_code_line_wraps_and_copies_back_whole(qtbot):
    from PySide6.QtWidgets import QApplication

    from tinychat.gui.markdown_view import ZERO_WIDTH_SPACE, MarkdownView, without_breaks

    word = "ab" * 100_000
    view = MarkdownView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.setMarkdownSafely(word + "\n\n```\n" + "y" * 5000 + "\n```\n")
    doc = view.document()
    doc.setTextWidth(600)
    doc.size()  # lays out the whole document
    first = doc.begin()
    assert first.layout().lineCount() > 10  # wrapped, not one endless line
    code = first.next()
    assert not code.blockFormat().nonBreakableLines() and code.layout().lineCount() > 1
    assert ZERO_WIDTH_SPACE in first.text()
    assert without_breaks(first.text()) == word
    view.selectAll()
    view.copy()
    assert ZERO_WIDTH_SPACE not in QApplication.clipboard().text()
    assert word in QApplication.clipboard().text()
