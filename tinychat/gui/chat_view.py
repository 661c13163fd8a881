"""The conversation, shown as it streams.

Text from the model is inserted as plain text through a cursor at the end of
the document: it is never parsed as HTML, and a new token costs the same
whether the conversation is short or long (nothing is re-rendered).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QTextBlockFormat, QTextCharFormat, QTextCursor, QPalette
from PySide6.QtWidgets import QTextBrowser, QWidget


class ChatView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatView")
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self._cursor = QTextCursor(self.document())
        self._streaming = False
        self._reply_start = 0
        self._reply_end: int | None = None

    # -- formats -------------------------------------------------------------

    def _heading_format(self, role: str) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold)
        palette = self.palette()
        if role == "user":
            fmt.setForeground(palette.color(QPalette.ColorRole.Link))
        elif role == "assistant":
            fmt.setForeground(QColor("#2e7d32") if palette.color(QPalette.ColorRole.Base).lightness() > 128 else QColor("#81c784"))
        return fmt

    def _body_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setForeground(self.palette().color(QPalette.ColorRole.Text))
        return fmt

    def _note_format(self, error: bool) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontItalic(True)
        fmt.setForeground(QColor("#c62828") if error else self.palette().color(QPalette.ColorRole.PlaceholderText))
        return fmt

    # -- building the conversation -----------------------------------------

    def _new_block(self, top_margin: float = 10.0) -> None:
        self._cursor.movePosition(QTextCursor.MoveOperation.End)
        block = QTextBlockFormat()
        block.setTopMargin(top_margin)
        if self.document().isEmpty():
            self._cursor.setBlockFormat(block)
        else:
            self._cursor.insertBlock(block)

    def add_message(self, role: str, title: str, text: str) -> None:
        """Append a whole message (a person's turn, or a finished reply)."""
        self._new_block()
        self._cursor.insertText(title, self._heading_format(role))
        self._cursor.insertBlock(QTextBlockFormat())
        self._cursor.insertText(text, self._body_format())
        self._scroll_to_end()

    def begin_reply(self, title: str) -> None:
        self._new_block()
        self._cursor.insertText(title, self._heading_format("assistant"))
        self._cursor.insertBlock(QTextBlockFormat())
        self._reply_start = self._cursor.position()
        self._reply_end = None
        self._body = self._body_format()
        self._streaming = True

    def append_to_reply(self, piece: str) -> None:
        if not self._streaming:
            return
        at_bottom = self._is_at_bottom()
        self._cursor.movePosition(QTextCursor.MoveOperation.End)
        self._cursor.insertText(piece, self._body)
        if at_bottom:
            self._scroll_to_end()

    def end_reply(self, note: str = "", error: bool = False) -> None:
        self._streaming = False
        self._cursor.movePosition(QTextCursor.MoveOperation.End)
        self._reply_end = self._cursor.position()
        if note:
            self.add_note(note, error=error)

    def add_note(self, text: str, error: bool = False) -> None:
        """A line about the conversation (a stop, an error), never part of a message."""
        self._new_block(top_margin=4.0)
        self._cursor.insertText(text, self._note_format(error))
        self._scroll_to_end()

    def reply_text(self) -> str:
        """The text of the reply being streamed (or the last one)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._reply_start)
        if self._reply_end is None:
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        else:
            cursor.setPosition(self._reply_end, QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2029", "\n")

    def clear_conversation(self) -> None:
        self.clear()
        self._cursor = QTextCursor(self.document())
        self._streaming = False
        self._reply_start = 0
        self._reply_end = None

    # -- scrolling -----------------------------------------------------------

    def _is_at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 4

    def _scroll_to_end(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
