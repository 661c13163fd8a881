"""The box where a person writes: Enter sends, Shift+Enter starts a new line."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget


class PromptEdit(QPlainTextEdit):
    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("promptEdit")
        self.setTabChangesFocus(True)
        self.setPlaceholderText(self.tr("Write a message. Enter sends, Shift+Enter starts a new line."))
        self.setMaximumHeight(self.fontMetrics().lineSpacing() * 6 + 16)

    def sizeHint(self) -> QSize:
        # Three lines to start with: the conversation above gets the height.
        hint = super().sizeHint()
        return QSize(hint.width(), min(self.maximumHeight(), self.fontMetrics().lineSpacing() * 3 + 16))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier)
        ):
            self.submitted.emit()
            event.accept()
            return
        super().keyPressEvent(event)
