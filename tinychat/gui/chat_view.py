"""The conversation, shown as it streams.

While a reply streams, its text is inserted as plain text through a cursor at
the end of the document: it is never parsed as HTML, and a new token costs the
same whether the conversation is short or long (nothing is re-rendered). When
a message is sent, a reply is finished, or another branch or conversation is
shown, the view is given the turns to show and redraws only from the first turn
that changed: the turns before it keep their blocks (and a selection in them),
so the redraw costs the new text, not the whole conversation. Finished replies
are rendered as safe Markdown.

Each turn carries small action links (copy, edit, regenerate, versions). They
use our own ``tinychat:`` scheme; the Markdown renderer turns any link a model
writes with another scheme than http, https or mailto into plain text, so
model output can never forge one.
"""

from __future__ import annotations

from dataclasses import dataclass

import bisect
import html

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocumentFragment,
    QTextFormat,
)
from PySide6.QtWidgets import QApplication, QTextBrowser, QToolButton, QToolTip, QWidget

from tinychat.core.sampling import readable_token
from tinychat.gui.markdown_view import (
    WRAP_MODE,
    SafeTextDocument,
    break_long_words,
    is_safe_link,
    markdown_fragment,
    plain_mime_without_breaks,
)
from tinychat.gui.numbers import percent

ACTION_SCHEME = "tinychat"


@dataclass(frozen=True)
class Turn:
    """One message as the view shows it."""

    role: str  # "user" or "assistant"
    title: str
    text: str
    message_id: int | None = None
    #: A quiet line under a reply: seed, speed, why it stopped.
    meta: str = ""
    #: (this version, how many versions) of this turn, for "‹ 2 / 3 ›".
    version: tuple[int, int] = (1, 1)
    #: (action, label) pairs shown as links under the turn.
    actions: tuple[tuple[str, str], ...] = ()
    markdown: bool = True
    error: bool = False


class ChatView(QTextBrowser):
    #: An action link was clicked: (action, message id).
    actionRequested = Signal(str, int)
    #: A safe link in a reply was clicked; the window asks before opening it.
    linkClicked = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        self.setDocument(SafeTextDocument(self))
        self.setWordWrapMode(WRAP_MODE)  # a 400 k-character word wraps instead of stalling layout
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.anchorClicked.connect(self._on_anchor)
        self._cursor = QTextCursor(self.document())
        self._streaming = False
        self._reply_start = 0
        self._reply_end: int | None = None
        self._fragments: dict[tuple[int | None, str, bool], QTextDocumentFragment] = {}
        # The probability view: shaded ranges of the streamed reply and their token details.
        self._probability_view = False
        self._detail_starts: list[int] = []
        self._detail_ranges: list[tuple[int, int, object]] = []
        # Speculative decoding: shade the tokens whose guess the model confirmed (and those it corrected).
        self._draft_marks = False
        self._next_mark: str = ""  # "accepted", "corrected" or "" for the next streamed piece
        self._marked_in_reply = 0
        # Version links (start, end, action, message id, text, name) and the buttons laid over them.
        self._version_links: list[tuple[int, int, str, int, str, str]] = []
        self._version_buttons: list[QToolButton] = []
        # What the document shows, turn by turn: the turns, the position after each, how many
        # version links there are up to its end, and the look they were drawn with.
        self._shown: list[Turn] = []
        self._turn_ends: list[int] = []
        self._links_up_to: list[int] = []
        self._shown_style: tuple | None = None
        #: How many turns have been drawn since the view was made (kept ones are not drawn again).
        self.turns_drawn = 0
        self.document().documentLayout().documentSizeChanged.connect(lambda _size: self._place_version_buttons())
        # Buttons follow scrolling through the scroll bars' signals, and token tooltips come
        # through an event filter, not by overriding scrollContentsBy or viewportEvent: with an
        # override, every paint of the view would run inside a Python call holding the
        # interpreter lock, and the model thread, which needs it between tokens, would wait
        # for each paint (the window streamed slower than the model).
        self.verticalScrollBar().valueChanged.connect(self._follow_scrolling)
        self.horizontalScrollBar().valueChanged.connect(self._follow_scrolling)
        self.viewport().installEventFilter(self)

    def loadResource(self, kind: int, url: QUrl):
        return None  # nothing is ever fetched, remote or local

    # -- formats -------------------------------------------------------------

    def _dark(self) -> bool:
        return self.palette().color(QPalette.ColorRole.Base).lightness() < 128

    def _heading_format(self, role: str) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold)
        if role == "user":
            fmt.setForeground(QColor("#64b5f6") if self._dark() else QColor("#1565c0"))
        else:
            fmt.setForeground(QColor("#81c784") if self._dark() else QColor("#2e7d32"))
        return fmt

    def _body_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setForeground(self.palette().color(QPalette.ColorRole.Text))
        return fmt

    def _quiet_format(self, error: bool = False) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontItalic(error)
        size = self.font().pointSizeF()
        if size > 0:
            fmt.setFontPointSize(size * 0.85)
        fmt.setForeground(
            QColor("#c62828") if error else self.palette().color(QPalette.ColorRole.PlaceholderText)
        )
        return fmt

    def _link_format(self, href: str) -> QTextCharFormat:
        fmt = self._quiet_format()
        fmt.setAnchor(True)
        fmt.setAnchorHref(href)
        fmt.setForeground(self.palette().color(QPalette.ColorRole.Link))
        return fmt

    def _version_format(self, href: str, tip: str) -> QTextCharFormat:
        """A version link at the body's size, bold, with a tooltip naming what it does."""
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(href)
        fmt.setFontWeight(QFont.Weight.Bold)
        fmt.setForeground(self.palette().color(QPalette.ColorRole.Link))
        fmt.setToolTip(tip)
        return fmt

    # -- building the conversation -----------------------------------------

    def _new_block(self, top_margin: float = 10.0) -> None:
        self._cursor.movePosition(QTextCursor.MoveOperation.End)
        block = QTextBlockFormat()
        block.setTopMargin(top_margin)
        if self.document().isEmpty():
            self._cursor.setBlockFormat(block)
        else:
            self._cursor.insertBlock(block, QTextCharFormat())

    def _insert_heading(self, turn_role: str, title: str, message_id: int | None, version: tuple[int, int]) -> None:
        self._new_block()
        self._cursor.insertText(title, self._heading_format(turn_role))
        index, count = version
        if count > 1 and message_id is not None:
            # Words, not a lone "‹": a click target as wide as a button, read aloud by its name.
            self._cursor.insertText("   ", self._quiet_format())
            room = self._cursor.blockFormat()  # the buttons are taller than a line of text
            room.setTopMargin(room.topMargin() + 4)
            room.setBottomMargin(6)
            self._cursor.setBlockFormat(room)
            nbsp = "\u00a0"  # the arrows, the words and "2 / 3" never break apart
            self._insert_version_link("previous", message_id, self.tr("‹ Previous").replace(" ", nbsp),
                                      self.tr("Previous version"))
            self._cursor.insertText(f"  {nbsp}{index}{nbsp}/{nbsp}{count}{nbsp}  ", self._quiet_format())
            self._insert_version_link("next", message_id, self.tr("Next ›").replace(" ", nbsp), self.tr("Next version"))
        self._cursor.insertBlock(QTextBlockFormat(), self._body_format())

    def _insert_version_link(self, action: str, message_id: int, text: str, name: str) -> None:
        """A version link in the text, with a real button laid over it (see _place_version_buttons)."""
        start = self._cursor.position()
        self._cursor.insertText(text, self._version_format(f"{ACTION_SCHEME}:{action}/{message_id}", name))
        self._version_links.append((start, self._cursor.position(), action, message_id, text, name))

    def _place_version_buttons(self) -> None:
        """Lay a push button over each version link, so that ‹ › are real, named, focusable buttons.

        The document has no widgets of its own; the buttons sit on the viewport at
        the links' places and move with scrolling and re-wrapping.
        """
        links = self._version_links
        while len(self._version_buttons) < len(links):
            button = QToolButton(self.viewport())
            button.setObjectName("versionButton")
            button.setAutoRaise(False)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _checked=False, b=button: self._on_version_button(b))
            self._version_buttons.append(button)
        for button, (start, end, action, message_id, text, name) in zip(self._version_buttons, links, strict=False):
            first = QTextCursor(self.document())
            first.setPosition(start)
            last = QTextCursor(self.document())
            last.setPosition(end)
            rect = self.cursorRect(first).united(self.cursorRect(last))
            button.setText(text)
            button.setToolTip(name)
            button.setAccessibleName(name)
            button.setProperty("versionAction", (action, message_id))
            hint = button.sizeHint()
            width = max(rect.width() + 8, hint.width())
            height = max(rect.height(), hint.height())
            button.setGeometry(rect.left() - 4, rect.center().y() - height // 2, width, height)
            button.show()
        for button in self._version_buttons[len(links):]:
            button.hide()

    def _on_version_button(self, button: QToolButton) -> None:
        action, message_id = button.property("versionAction")
        self.actionRequested.emit(action, int(message_id))

    def _follow_scrolling(self, _value: int) -> None:
        if self._version_links:
            self._place_version_buttons()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._version_links:
            self._place_version_buttons()

    def _insert_footer(self, turn: Turn) -> None:
        if turn.meta:
            self._new_block(top_margin=2.0)
            self._cursor.insertText(turn.meta, self._quiet_format(turn.error))
        if turn.actions and turn.message_id is not None:
            self._new_block(top_margin=2.0)
            for i, (action, label) in enumerate(turn.actions):
                if i:
                    self._cursor.insertText("  ·  ", self._quiet_format())
                self._cursor.insertText(label, self._link_format(f"{ACTION_SCHEME}:{action}/{turn.message_id}"))

    def _insert_body(self, turn: Turn) -> None:
        if turn.role == "assistant" and turn.markdown and turn.text:
            key = (turn.message_id, turn.text, self._dark())
            fragment = self._fragments.get(key)
            if fragment is None:
                fragment = markdown_fragment(turn.text, dark=self._dark())
                if len(self._fragments) > 500:
                    self._fragments.clear()
                self._fragments[key] = fragment
            self._cursor.insertFragment(fragment)
        else:
            self._cursor.insertText(break_long_words(turn.text), self._body_format())

    def _style(self) -> tuple:
        """What the look of drawn turns depends on besides the turns: the palette and the font."""
        palette = self.palette()
        return (
            self.font().toString(),
            *(palette.color(role).rgba() for role in (
                QPalette.ColorRole.Base, QPalette.ColorRole.Text, QPalette.ColorRole.PlaceholderText,
                QPalette.ColorRole.Link,
            )),
        )

    def show_turns(self, turns: list[Turn]) -> None:
        """Show ``turns`` (on load, on send, on a finished reply, on a branch change).

        The turns already shown up to the first one that differs stay as they are;
        everything after it (a streamed reply, notes, later turns) is replaced by
        the rest of ``turns``. A new font or palette redraws everything.
        """
        self._streaming = False
        self._detail_starts, self._detail_ranges = [], []
        style = self._style()
        keep = 0
        if style == self._shown_style:
            for shown, turn in zip(self._shown, turns, strict=False):
                if shown != turn:
                    break
                keep += 1
        del self._shown[keep:], self._turn_ends[keep:], self._links_up_to[keep:]
        self._shown_style = style
        if keep == 0:
            self._version_links = []
            self.clear()
            self._cursor = QTextCursor(self.document())
            self._cursor.beginEditBlock()
        else:
            del self._version_links[self._links_up_to[-1]:]
            self._cursor.beginEditBlock()
            self._cursor.setPosition(self._turn_ends[-1])
            self._cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            self._cursor.removeSelectedText()
        for turn in turns[keep:]:
            self._insert_heading(turn.role, turn.title, turn.message_id, turn.version)
            self._insert_body(turn)
            self._insert_footer(turn)
            self._shown.append(turn)
            self._turn_ends.append(self._cursor.position())
            self._links_up_to.append(len(self._version_links))
            self.turns_drawn += 1
        self._cursor.endEditBlock()
        self._reply_start = self._reply_end = 0
        self._scroll_to_end()
        self._place_version_buttons()

    def add_message(self, role: str, title: str, text: str) -> None:
        """Append a whole message as plain text (a person's turn before it is saved)."""
        self._insert_heading(role, title, None, (1, 1))
        self._cursor.insertText(break_long_words(text), self._body_format())
        self._scroll_to_end()

    def begin_reply(self, title: str) -> None:
        self._detail_starts, self._detail_ranges = [], []
        self._next_mark, self._marked_in_reply = "", 0
        self._insert_heading("assistant", title, None, (1, 1))
        self._reply_start = self._cursor.position()
        self._reply_end = None
        self._body = self._body_format()
        self._streaming = True

    def append_to_reply(self, piece: str) -> None:
        if not self._streaming:
            return
        at_bottom = self._is_at_bottom()
        self._cursor.movePosition(QTextCursor.MoveOperation.End)
        mark, self._next_mark = self._next_mark, ""
        if mark and piece:
            self._marked_in_reply += 1
            self._cursor.insertText(piece, self._draft_format(mark))
        else:
            self._cursor.insertText(piece, self._body)
        if at_bottom:
            self._scroll_to_end()

    # -- speculative decoding's guesses ----------------------------------------

    def set_draft_marks(self, on: bool) -> None:
        """Shade the streamed tokens that speculative decoding guessed right (green) or had to correct (red)."""
        self._draft_marks = bool(on)

    @property
    def draft_marks(self) -> bool:
        return self._draft_marks

    @property
    def reply_has_draft_marks(self) -> bool:
        """The reply being (or just) streamed has shaded guesses, which a full redraw would lose."""
        return self._marked_in_reply > 0

    def mark_next_token(self, accepted: bool, corrected: bool = False) -> None:
        """How the next streamed piece was written: a guess the model confirmed, a correction, or neither."""
        if self._draft_marks and self._streaming:
            self._next_mark = "accepted" if accepted else "corrected" if corrected else ""

    @staticmethod
    def draft_color(mark: str, dark: bool = False) -> QColor:
        if mark == "accepted":
            color = QColor(67, 160, 71) if not dark else QColor(102, 187, 106)
            color.setAlpha(70 if not dark else 90)
        else:
            color = QColor(229, 57, 53) if not dark else QColor(239, 83, 80)
            color.setAlpha(55 if not dark else 80)
        return color

    def _draft_format(self, mark: str) -> QTextCharFormat:
        fmt = QTextCharFormat(self._body)
        fmt.setBackground(self.draft_color(mark, self._dark()))
        return fmt

    # -- probability view ---------------------------------------------------

    def set_probability_view(self, on: bool) -> None:
        """Shade each streamed token by the probability it had (see :meth:`add_token_detail`)."""
        self._probability_view = bool(on)

    @property
    def probability_view(self) -> bool:
        return self._probability_view

    @staticmethod
    def probability_color(prob: float, dark: bool = False) -> QColor:
        """Likely tokens get no shade; the less likely, the stronger the orange."""
        strength = max(0.0, min(1.0, 1.0 - prob))
        alpha = int(170 * strength**1.5)
        color = QColor(255, 140, 0) if not dark else QColor(255, 167, 38)
        color.setAlpha(alpha)
        return color

    def add_token_detail(self, detail) -> None:
        """Shade the text that ``detail`` came with (the last ``len(detail.text)`` characters streamed)
        and remember its alternatives for the tooltip. Does nothing when the view is off."""
        if not (self._probability_view and self._streaming and detail.text):
            return
        self._cursor.movePosition(QTextCursor.MoveOperation.End)
        end = self._cursor.position()
        start = max(self._reply_start, end - len(detail.text))
        if start >= end:
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setBackground(self.probability_color(detail.prob, self._dark()))
        cursor.mergeCharFormat(fmt)
        self._detail_starts.append(start)
        self._detail_ranges.append((start, end, detail))

    def detail_at(self, position: int):
        """The token detail whose text covers document ``position``, if any."""
        i = bisect.bisect_right(self._detail_starts, position) - 1
        if i >= 0:
            start, end, detail = self._detail_ranges[i]
            if start <= position < end:
                return detail
        return None

    def detail_tooltip(self, detail) -> str:
        if not getattr(detail, "after_sampler", True):
            return self._server_detail_tooltip(detail)
        rows = "".join(
            f"<tr><td>{html.escape(readable_token(a.piece))}</td><td align=right>{percent(a.raw_prob)}</td><td "
            f"align=right>{percent(a.prob)}</td></tr>"
            for a in detail.alternatives
        )
        head = self.tr("{piece}: {raw} before the sampler, {final} after").format(
            piece=readable_token(detail.piece), raw=percent(detail.raw_prob), final=percent(detail.prob)
        )
        return (
            f"<b>{html.escape(head)}</b><table><tr><th>{html.escape(self.tr('Token'))}</th>"
            f"<th>{html.escape(self.tr('Model'))}</th><th>{html.escape(self.tr('After sampler'))}</th></tr>"
            f"{rows}</table>"
        )

    def _server_detail_tooltip(self, detail) -> str:
        """A server reports the model's probabilities only, not what its sampler made of them."""
        rows = "".join(
            f"<tr><td>{html.escape(readable_token(a.piece))}</td><td align=right>{percent(a.raw_prob)}</td></tr>"
            for a in detail.alternatives
        )
        head = self.tr("{piece}: {raw} (the model's probability, as the server reports it)").format(
            piece=readable_token(detail.piece), raw=percent(detail.raw_prob)
        )
        return (
            f"<b>{html.escape(head)}</b><table><tr><th>{html.escape(self.tr('Token'))}</th>"
            f"<th>{html.escape(self.tr('Model'))}</th></tr>{rows}</table>"
        )

    def append_piece_with_detail(self, piece: str, detail) -> None:
        """Stream ``piece`` and shade it by ``detail`` in one call (when both arrive together)."""
        self.append_to_reply(piece)
        self.add_token_detail(detail)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A token's tooltip over the viewport; every other event goes on untouched."""
        if event.type() == QEvent.Type.ToolTip and self._detail_ranges and watched is self.viewport():
            position = self.cursorForPosition(event.pos()).position()
            detail = self.detail_at(position)
            if detail is not None:
                QToolTip.showText(event.globalPos(), self.detail_tooltip(detail), self)
                return True
        return super().eventFilter(watched, event)

    def end_reply(self, note: str = "", error: bool = False) -> None:
        self._streaming = False
        self._cursor.movePosition(QTextCursor.MoveOperation.End)
        self._reply_end = self._cursor.position()
        if note:
            self.add_note(note, error=error)

    def append_footer(self, turn: Turn) -> None:
        """Add a finished reply's meta line and actions after its streamed text, keeping that text
        as it is (used while the probability view shades it, which a full re-render would lose)."""
        self._insert_footer(turn)
        self._scroll_to_end()

    def add_note(self, text: str, error: bool = False) -> None:
        """A line about the conversation (a stop, an error), never part of a message."""
        self._new_block(top_margin=4.0)
        self._cursor.insertText(text, self._quiet_format(error))
        self._scroll_to_end()

    @property
    def streaming(self) -> bool:
        return self._streaming

    def reply_text(self) -> str:
        """The text of the reply being streamed (or the last one streamed)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._reply_start)
        if self._reply_end is None:
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        else:
            cursor.setPosition(self._reply_end, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n")

    def clear_conversation(self) -> None:
        self.show_turns([])

    # -- code blocks ------------------------------------------------------------

    @staticmethod
    def _is_code(block) -> bool:
        fmt = block.blockFormat()
        return fmt.hasProperty(QTextFormat.Property.BlockCodeFence) or fmt.nonBreakableLines()

    def code_block_at(self, position: int) -> str | None:
        """The whole fenced code block around ``position`` in a reply, or None outside one."""
        block = self.document().findBlock(position)
        if not block.isValid() or not self._is_code(block):
            return None
        first = block
        while first.previous().isValid() and self._is_code(first.previous()):
            first = first.previous()
        lines = []
        current = first
        while current.isValid() and self._is_code(current):
            lines.append(current.text())
            current = current.next()
        return "\n".join(lines)

    def contextMenuEvent(self, event) -> None:
        menu = self.createStandardContextMenu(event.pos())
        code = self.code_block_at(self.cursorForPosition(event.pos()).position())
        if code is not None:
            action = menu.addAction(self.tr("Copy code block"))
            action.triggered.connect(lambda: QApplication.clipboard().setText(code))
        menu.exec(event.globalPos())
        menu.deleteLater()

    # -- links ---------------------------------------------------------------

    def createMimeDataFromSelection(self):
        """Copied text as plain text, without the break points added to very long words."""
        return plain_mime_without_breaks(super().createMimeDataFromSelection())

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == ACTION_SCHEME:
            action, _, ident = url.path().partition("/")
            if ident.isdigit():
                self.actionRequested.emit(action, int(ident))
        elif is_safe_link(url.toString()):
            self.linkClicked.emit(url)

    # -- scrolling -----------------------------------------------------------

    def _is_at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 4

    def _scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
