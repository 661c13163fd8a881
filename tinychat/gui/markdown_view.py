"""Model replies as Markdown, rendered safely.

A reply is text the model made up, so it is never read as HTML: Qt's own
Markdown parser (md4c) runs with ``MarkdownNoHTML``, which leaves tags such as
``<script>`` or ``<img src=…>`` as visible text. What Markdown itself can ask
for is then neutralised in the parsed document:

* images (``![alt](url)``) become their alt text and address as plain text,
  and the documents refuse every resource, so nothing is fetched, remote or local;
* links keep their look only for http, https and mailto addresses, and are
  never followed by the view itself: it reports a click and the window decides;
  any other scheme (``javascript:``, ``file:``, ``data:``) becomes plain text.

A single newline in a reply is a line break, as in chat apps (poems and
line-by-line lists keep their shape), not the soft break of plain Markdown.

Fenced code blocks are coloured with Pygments when it is installed.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextFormat,
)
from PySide6.QtWidgets import QTextBrowser, QWidget

SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto"})

#: GitHub's dialect without raw HTML: tags stay text.
MARKDOWN_FEATURES = QTextDocument.MarkdownFeature.MarkdownNoHTML


def is_safe_link(href: str) -> bool:
    url = QUrl(href)
    return url.isValid() and url.scheme().lower() in SAFE_LINK_SCHEMES and bool(url.host() or url.path())


class SafeTextDocument(QTextDocument):
    """A document that loads no resource at all; what it was asked for is kept in :attr:`refused`."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.refused: list[str] = []

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 - Qt's name
        self.refused.append(url.toString())
        return None


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def hard_line_breaks(text: str) -> str:
    """``text`` with each single newline inside a paragraph made a hard line break.

    Markdown joins lines that are not separated by a blank line; a model writing
    a poem or a list line by line means them as separate lines. A line that is
    followed by another non-blank line ends in a hard break (two spaces), except
    inside fenced code, where lines are kept as they are.
    md4c has no option for this, hence the few lines here.
    """
    lines = text.split("\n")
    fence: str | None = None
    out = []
    for i, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            out.append(line)
            continue
        if opening:
            fence = opening.group(1)
            out.append(line)
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if line.strip() and following.strip() and not line.endswith(("  ", "\\")) and not _FENCE.match(following):
            line += "  "
        out.append(line)
    return "\n".join(out)


def render_markdown(text: str, document: QTextDocument | None = None, *, dark: bool = False) -> QTextDocument:
    """Parse ``text`` as Markdown into ``document`` (a new SafeTextDocument by default), safely."""
    # Parse into a private document that refuses resources (layout asks for
    # images while parsing), and only hand over what is left once neutralised.
    doc = SafeTextDocument()
    doc.setMarkdown(hard_line_breaks(text), MARKDOWN_FEATURES)
    _neutralise(doc)
    highlight_code_blocks(doc, dark=dark)
    if document is None:
        return doc
    document.clear()
    QTextCursor(document).insertFragment(QTextDocumentFragment(doc))
    doc.deleteLater()
    return document


def markdown_fragment(text: str, *, dark: bool = False) -> QTextDocumentFragment:
    """The rendered reply as a fragment, to insert at a cursor in an existing view."""
    doc = render_markdown(text, dark=dark)
    fragment = QTextDocumentFragment(doc)
    doc.deleteLater()
    return fragment


def _neutralise(doc: QTextDocument) -> None:
    # Collect first, then edit from the end, so earlier positions stay valid.
    edits: list[tuple[int, int, str | None]] = []  # (position, length, replacement text or None)
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            fmt = fragment.charFormat()
            if fmt.isImageFormat():
                image = fmt.toImageFormat()
                alt = image.property(QTextFormat.Property.ImageAltText) or ""
                name = image.name()
                label = f"[{alt}]({name})" if alt else f"[{name}]"
                edits.append((fragment.position(), fragment.length(), label))
            elif fmt.isAnchor() and not is_safe_link(fmt.anchorHref()):
                edits.append((fragment.position(), fragment.length(), None))
            it += 1
        block = block.next()
    cursor = QTextCursor(doc)
    for position, length, replacement in reversed(edits):
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        if replacement is None:
            plain = cursor.charFormat()
            plain.setAnchor(False)
            plain.setAnchorHref("")
            plain.setAnchorNames([])
            plain.setFontUnderline(False)
            plain.clearForeground()
            cursor.setCharFormat(plain)
        else:
            cursor.insertText(replacement, QTextCharFormat())


def highlight_code_blocks(doc: QTextDocument, *, dark: bool = False) -> int:
    """Colour fenced code blocks by their language with Pygments; returns how many were coloured."""
    try:
        from pygments.lexers import get_lexer_by_name, guess_lexer
        from pygments.styles import get_style_by_name
        from pygments.util import ClassNotFound
    except ImportError:  # optional: code stays monospace, uncoloured
        return 0
    style = get_style_by_name("monokai" if dark else "default")
    coloured = 0
    for blocks in _code_blocks(doc):
        language = blocks[0].blockFormat().stringProperty(QTextFormat.Property.BlockCodeLanguage)
        code = "\n".join(b.text() for b in blocks)
        try:
            lexer = get_lexer_by_name(language) if language else guess_lexer(code)
        except ClassNotFound:
            continue
        cursor = QTextCursor(doc)
        offset = 0
        starts = [b.position() for b in blocks]
        line_starts = [0]
        for b in blocks[:-1]:
            line_starts.append(line_starts[-1] + len(b.text()) + 1)
        for token_type, value in lexer.get_tokens(code):
            if not value:
                continue
            token_style = style.style_for_token(token_type)
            if token_style.get("color") or token_style.get("bold") or token_style.get("italic"):
                fmt = QTextCharFormat()
                if token_style.get("color"):
                    fmt.setForeground(QColor("#" + token_style["color"]))
                if token_style.get("bold"):
                    fmt.setFontWeight(QFont.Weight.Bold)
                if token_style.get("italic"):
                    fmt.setFontItalic(True)
                for start, end in _split_lines(offset, offset + len(value), line_starts, blocks):
                    line = max(i for i, s in enumerate(line_starts) if s <= start)
                    cursor.setPosition(starts[line] + start - line_starts[line])
                    cursor.setPosition(starts[line] + end - line_starts[line], QTextCursor.MoveMode.KeepAnchor)
                    cursor.mergeCharFormat(fmt)
            offset += len(value)
        coloured += 1
    return coloured


def _split_lines(start: int, end: int, line_starts: list[int], blocks) -> list[tuple[int, int]]:
    """Cut a span of the joined code into pieces that each stay inside one line."""
    pieces = []
    for i, line_start in enumerate(line_starts):
        line_end = line_start + len(blocks[i].text())
        lo, hi = max(start, line_start), min(end, line_end)
        if lo < hi:
            pieces.append((lo, hi))
    return pieces


def _code_blocks(doc: QTextDocument):
    """Runs of consecutive blocks that belong to one fenced code block."""
    run = []
    block = doc.begin()
    while block.isValid():
        fmt = block.blockFormat()
        if fmt.hasProperty(QTextFormat.Property.BlockCodeFence) or fmt.nonBreakableLines():
            if run and run[-1].blockFormat().stringProperty(QTextFormat.Property.BlockCodeLanguage) != fmt.stringProperty(
                QTextFormat.Property.BlockCodeLanguage
            ):
                yield run
                run = []
            run.append(block)
        elif run:
            yield run
            run = []
        block = block.next()
    if run:
        yield run


class MarkdownView(QTextBrowser):
    """A read-only view of one Markdown text that follows no link and loads no resource.

    A click on a safe link emits :attr:`linkClicked`; opening it is the window's
    choice (after asking), never the view's.
    """

    linkClicked = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setDocument(SafeTextDocument(self))
        self.anchorClicked.connect(self._on_anchor)

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 - Qt's name
        return None

    def setMarkdownSafely(self, text: str) -> None:  # noqa: N802 - Qt naming, beside setMarkdown
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        render_markdown(text, self.document(), dark=dark)

    def _on_anchor(self, url: QUrl) -> None:
        if is_safe_link(url.toString()):
            self.linkClicked.emit(url)
