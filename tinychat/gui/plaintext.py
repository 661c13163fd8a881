"""Showing text TinyChat did not write (model names, file names, titles, Hub text, errors) as text.

QLabel, QMessageBox and tooltips guess whether a string is HTML (Qt's
AutoText). A model name such as ``<img src="/dev/zero">`` would then be
rendered, and Qt would read the named local file to draw it. Labels that show
data are set to plain text; tooltips and message boxes have no such switch, so
their text is escaped inside an explicit rich-text wrapper, which shows every
character literally.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox


def plain(label: QLabel) -> QLabel:
    """``label`` set to show its text literally; returns it for chaining."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_rich(text: str) -> str:
    """``text`` as rich text that displays literally (for tooltips and message boxes)."""
    escaped = html.escape(text or "", quote=False).replace("\n", "<br>")
    return f"<qt>{escaped}</qt>" if text else ""


def plain_box(box: QMessageBox) -> QMessageBox:
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box
