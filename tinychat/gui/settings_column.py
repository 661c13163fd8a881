"""The settings column beside the chat: its group boxes, one under the other, in a scroll area.

The column is never narrower than its widest row needs (a number box, a button,
a label in either language), so nothing in it is cut off; it scrolls
vertically when the window is short, so nothing is out of reach.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

#: The space around and between the column's group boxes.
MARGIN = 6


class SettingsColumn(QScrollArea):
    def __init__(self, widgets: list[QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsColumn")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        content = QWidget()
        content.setObjectName("settingsContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(MARGIN + 2)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setWidget(content)

    def _chrome(self) -> int:
        return self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth() + 2

    def minimumSizeHint(self) -> QSize:
        # Follows the content (a language or a font set later), unlike a fixed minimum width.
        hint = super().minimumSizeHint()
        return QSize(self.widget().minimumSizeHint().width() + self._chrome(), hint.height())

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.widget().sizeHint().width() + self._chrome(), hint.height())
