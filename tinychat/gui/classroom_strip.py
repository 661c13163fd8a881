"""The strip that classroom mode shows above the chat: the sampling values as large numbers.

A class at the back of the room cannot read a slider. The strip repeats the
values that shape the next reply (temperature, top-k, top-p, max new tokens)
in large type, and follows the sliders as the teacher moves them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from tinychat.core.params import SPECS, GenerationParams

STRIP_PARAMS = ("temperature", "top_k", "top_p", "max_new_tokens")


def format_value(name: str, value: float) -> str:
    """As the number boxes show it (the locale's decimal separator)."""
    spec = SPECS[name]
    return QLocale().toString(float(value), "f", spec.decimals) if spec.decimals else QLocale().toString(int(value))


class ClassroomStrip(QFrame):
    """One cell per value: its name in small type over the number in large type."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("classroomStrip")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.setAutoFillBackground(True)
        self.setAccessibleName(self.tr("Current sampling values"))
        self.setAccessibleDescription(self.tr("The values that shape the next reply, in large type for the class"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        layout.setSpacing(24)
        self.values: dict[str, QLabel] = {}
        self.names: dict[str, QLabel] = {}
        for name in STRIP_PARAMS:
            cell = QVBoxLayout()
            cell.setSpacing(0)
            title = QLabel(QCoreApplication.translate("Params", SPECS[name].label))
            title.setObjectName(f"strip_name_{name}")
            title.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            value = QLabel()
            value.setObjectName(f"strip_{name}")
            value.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            value.setTextFormat(Qt.TextFormat.PlainText)
            cell.addWidget(title)
            cell.addWidget(value)
            layout.addLayout(cell, 1)
            self.values[name] = value
            self.names[name] = title
        self.set_scale(2.2)

    def set_scale(self, scale: float, base: QFont | None = None) -> None:
        """Numbers ``scale`` times the size of ``base`` (by default, the strip's own font)."""
        self._scale = scale
        base = QFont(base if base is not None else self.font())
        font = QFont(base)
        font.setBold(True)
        if base.pointSizeF() > 0:
            font.setPointSizeF(base.pointSizeF() * scale)
        for label in self.values.values():
            label.setFont(font)

    def show_params(self, params: GenerationParams) -> None:
        for name, label in self.values.items():
            text = format_value(name, getattr(params, name))
            label.setText(text)
            label.setAccessibleName(f"{self.names[name].text()}: {text}")

    def text_of(self, name: str) -> str:
        return self.values[name].text()
