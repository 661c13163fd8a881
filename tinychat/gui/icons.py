"""Icons for the main actions, drawn from small SVG files in resources/icons/.

The SVGs are line drawings whose colour is the placeholder ``COLOR``. Each
icon is painted when Qt asks for it, at the size asked for (so it is sharp at
any screen scale), in the palette's current text colour for buttons (so it
follows a light or dark theme, and a theme changed while the window is open).
Qt's own SVG icon engine would paint a fixed colour, hence this small engine.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from tinychat.core import paths

NAMES = ("send", "stop", "new-chat", "models", "open", "classroom", "settings-panel", "lesson", "prompt")


@cache
def _source(name: str) -> str:
    return (paths.resources_dir() / "icons" / f"{name}.svg").read_text(encoding="utf-8")


class PaletteSvgIconEngine(QIconEngine):
    """Paints one of our SVGs in the application palette's button-text colour."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self._renderers: dict[str, QSvgRenderer] = {}

    def _renderer(self, mode: QIcon.Mode) -> QSvgRenderer:
        palette = QGuiApplication.palette()
        group = QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled else QPalette.ColorGroup.Active
        role = QPalette.ColorRole.HighlightedText if mode == QIcon.Mode.Selected else QPalette.ColorRole.ButtonText
        colour = palette.color(group, role).name()
        renderer = self._renderers.get(colour)
        if renderer is None:
            renderer = QSvgRenderer(QByteArray(_source(self.name).replace("COLOR", colour).encode("utf-8")))
            self._renderers[colour] = renderer
        return renderer

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        self._renderer(mode).render(painter, QRectF(rect))

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        pixmap = QPixmap(size * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._renderer(mode).render(painter, QRectF(QPoint(0, 0), pixmap.size().toSizeF()))
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        side = min(size.width(), size.height())
        return QSize(side, side)

    def clone(self) -> QIconEngine:
        return PaletteSvgIconEngine(self.name)

    def key(self) -> str:
        return "tinychat-palette-svg"

    def isNull(self) -> bool:
        return False


def icon(name: str) -> QIcon:
    """The icon ``name`` (one of :data:`NAMES`), in the current palette's colours."""
    if name not in NAMES:
        raise KeyError(name)
    return QIcon(PaletteSvgIconEngine(name))
