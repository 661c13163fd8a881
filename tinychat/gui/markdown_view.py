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

Fenced code blocks are coloured with Pygments when it is installed, up to
HIGHLIGHT_LIMIT characters per text: beyond it code stays monospace and
uncoloured, so a reply of megabytes costs time in proportion to its length
(see benchmarks/bench_render.py). Lines too long for the view wrap, code lines
included, instead of being laid out as one endless line; and a "word" of
thousands of characters gets invisible break points (U+200B), because Qt
looks for a word boundary again on every line of such a word, which takes time
that grows with the square of its length (a 400 k-character line: 18 s). The
break points are taken out again when text is copied.
"""

from __future__ import annotations

import bisect
import re

from PySide6.QtCore import QMimeData, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QTextBlockFormat,
    QTextOption,
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

#: Code beyond this many characters in one text is not coloured (Pygments and
#: Qt's per-token formatting cost far more than the text itself).
HIGHLIGHT_LIMIT = 20_000
#: Texts longer than this are not coloured at all (looking for their code blocks already costs time).
HIGHLIGHT_TEXT_LIMIT = 64_000
#: At most this many code blocks are coloured in one text (each costs a lexer run and Qt formatting).
HIGHLIGHT_BLOCKS = 50
#: Code lines longer than this may wrap (a code line normally never does).
LONG_LINE = 1_000
#: Runs of this many characters without a space get a zero-width break point every BREAK_EVERY characters.
LONG_WORD = 500
BREAK_EVERY = 100
ZERO_WIDTH_SPACE = "\u200b"
_LONG_LINE_RE = re.compile(rf"[^\n]{{{LONG_LINE},}}")
_LONG_WORD_RE = re.compile(rf"[^\s\u200b]{{{LONG_WORD},}}")
#: Wrap at spaces, and anywhere inside a word too long for the line.
WRAP_MODE = QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere

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

    def loadResource(self, kind: int, url: QUrl):
        self.refused.append(url.toString())


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
        hard = line.strip() and following.strip() and not line.endswith(("  ", "\\")) and not _FENCE.match(following)
        out.append(line + "  " if hard else line)
    return "\n".join(out)


def break_long_words(text: str) -> str:
    """``text`` with a zero-width space every BREAK_EVERY characters inside runs of LONG_WORD or more."""
    if len(text) < LONG_WORD:
        return text

    def split(match: re.Match[str]) -> str:
        word = match.group(0)
        return ZERO_WIDTH_SPACE.join(word[i:i + BREAK_EVERY] for i in range(0, len(word), BREAK_EVERY))

    return _LONG_WORD_RE.sub(split, text)


def without_breaks(text: str) -> str:
    """Copied text without the break points break_long_words() added."""
    return text.replace(ZERO_WIDTH_SPACE, "")


def render_markdown(text: str, document: QTextDocument | None = None, *, dark: bool = False) -> QTextDocument:
    """Parse ``text`` as Markdown into ``document`` (a new SafeTextDocument by default), safely."""
    # Parse into a private document that refuses resources (layout asks for
    # images while parsing), and only hand over what is left once neutralised.
    doc = SafeTextDocument()
    option = doc.defaultTextOption()
    option.setWrapMode(WRAP_MODE)
    doc.setDefaultTextOption(option)
    doc.setMarkdown(break_long_words(hard_line_breaks(text)), MARKDOWN_FEATURES)
    _neutralise(doc)
    if _LONG_LINE_RE.search(text):
        _let_long_lines_wrap(doc)
    if len(text) <= HIGHLIGHT_TEXT_LIMIT:
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


def _let_long_lines_wrap(doc: QTextDocument) -> None:
    """Code lines do not wrap; one of hundreds of thousands of characters would take Qt minutes to lay out."""
    cursor = QTextCursor(doc)
    block = doc.begin()
    while block.isValid():
        fmt = block.blockFormat()
        if fmt.nonBreakableLines() and block.length() > LONG_LINE:
            wrapping = QTextBlockFormat(fmt)
            wrapping.setNonBreakableLines(False)
            cursor.setPosition(block.position())
            cursor.setBlockFormat(wrapping)
        block = block.next()


def _needs_neutralising(doc: QTextDocument) -> bool:
    """Whether the document uses an image or an unsafe link at all (one look at its formats)."""
    for fmt in doc.allFormats():
        if fmt.isImageFormat():
            return True
        if fmt.isCharFormat():
            char = fmt.toCharFormat()
            if char.isAnchor() and not is_safe_link(char.anchorHref()):
                return True
    return False


def _neutralise(doc: QTextDocument) -> None:
    if not _needs_neutralising(doc):
        return
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


def highlight_code_blocks(doc: QTextDocument, *, dark: bool = False) -> int:  # noqa: C901, PLR0912 - one branch per way a code block names or hides its language
    """Colour fenced code blocks by their language with Pygments; returns how many were coloured."""
    try:
        from pygments.lexers import get_lexer_by_name, guess_lexer
        from pygments.styles import get_style_by_name
        from pygments.util import ClassNotFound
    except ImportError:  # optional: code stays monospace, uncoloured
        return 0
    style = get_style_by_name("monokai" if dark else "default")
    coloured = 0
    budget = HIGHLIGHT_LIMIT
    lexers: dict[str, object] = {}
    for language, blocks in _code_blocks(doc):
        if budget <= 0 or coloured >= HIGHLIGHT_BLOCKS:
            break
        code = "\n".join(b.text() for b in blocks)
        if len(code) > budget:
            continue  # too long to colour in proportion to its length: it stays plain monospace
        budget -= len(code)
        try:
            if language:
                if language not in lexers:
                    lexers[language] = get_lexer_by_name(language)
                lexer = lexers[language]
            else:
                lexer = guess_lexer(code)
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
                for line, start, end in _split_lines(offset, offset + len(value), line_starts, blocks):
                    cursor.setPosition(starts[line] + start - line_starts[line])
                    cursor.setPosition(starts[line] + end - line_starts[line], QTextCursor.MoveMode.KeepAnchor)
                    cursor.mergeCharFormat(fmt)
            offset += len(value)
        coloured += 1
    return coloured


def _split_lines(start: int, end: int, line_starts: list[int], blocks) -> list[tuple[int, int, int]]:
    """Cut a span of the joined code into (line, start, end) pieces that each stay inside one line.

    The first line is found by bisection, so colouring stays linear in the code's length.
    """
    pieces = []
    i = max(bisect.bisect_right(line_starts, start) - 1, 0)
    while i < len(line_starts) and line_starts[i] < end:
        line_start = line_starts[i]
        line_end = line_start + len(blocks[i].text())
        lo, hi = max(start, line_start), min(end, line_end)
        if lo < hi:
            pieces.append((i, lo, hi))
        i += 1
    return pieces


def _code_blocks(doc: QTextDocument):
    """(language, blocks) for each run of consecutive blocks that belong to one fenced code block."""
    run = []
    run_language = ""
    block = doc.begin()
    while block.isValid():
        fmt = block.blockFormat()
        if fmt.hasProperty(QTextFormat.Property.BlockCodeFence) or fmt.nonBreakableLines():
            language = fmt.stringProperty(QTextFormat.Property.BlockCodeLanguage)
            if run and run_language != language:
                yield run_language, run
                run = []
            run_language = language
            run.append(block)
        elif run:
            yield run_language, run
            run = []
        block = block.next()
    if run:
        yield run_language, run


def plain_mime_without_breaks(mime: QMimeData) -> QMimeData:
    """``mime`` as plain text only, without the break points break_long_words() added.

    ``mime`` must be the one Qt's own createMimeDataFromSelection() made: Qt
    owns it and frees it with the clipboard. A QMimeData made in Python and
    handed to Qt is freed twice when the program ends (a crash at exit).
    """
    text = without_breaks(mime.text())
    for kind in mime.formats():
        mime.removeFormat(kind)
    mime.setText(text)
    return mime


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
        self.setWordWrapMode(WRAP_MODE)
        self.anchorClicked.connect(self._on_anchor)

    def loadResource(self, kind: int, url: QUrl):
        return None

    def createMimeDataFromSelection(self):
        return plain_mime_without_breaks(super().createMimeDataFromSelection())

    def setMarkdownSafely(self, text: str) -> None:
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        render_markdown(text, self.document(), dark=dark)

    def _on_anchor(self, url: QUrl) -> None:
        if is_safe_link(url.toString()):
            self.linkClicked.emit(url)
