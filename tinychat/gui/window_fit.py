"""Open windows at a size that fits the screen they are on."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: The smallest screen TinyChat is laid out for: a classroom projector.
SMALLEST_SCREEN = (1024, 768)
#: Room left for a window's title bar when its real height is not known yet.
TITLE_BAR = 32


def available_geometry(near: QWidget | None = None) -> QRect:
    """The usable part (without task bars) of the screen ``near`` is on, else of the primary screen."""
    screen = near.screen() if near is not None else None
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget, width: int, height: int, near: QWidget | None = None, center: bool = True) -> None:
    """Give ``window`` its preferred size, shrunk to the screen that ``near`` (or the window) is on,
    and centre it there (``center`` False: a dialog, which Qt centres over its parent)."""
    area = available_geometry(near if near is not None else window)
    # The title bar is not part of resize()'s size; before the first show its height is unknown.
    frame = max(TITLE_BAR, window.frameGeometry().height() - window.geometry().height())
    w = min(width, area.width())
    h = min(height, area.height() - frame)
    window.resize(max(w, window.minimumWidth()), max(h, window.minimumHeight()))
    if center and not window.isVisible():
        x = area.x() + (area.width() - window.width()) // 2
        y = area.y() + (area.height() - window.height()) // 2
        window.move(max(area.x(), x), max(area.y(), y))
