"""Light and dark themes, and the size of all text.

"light" and "dark" use Qt's Fusion style with a palette of our own, because
native styles (Windows' and macOS') ignore an application palette. "system"
follows the platform: with a dark system colour scheme (Qt 6.5's
QStyleHints.colorScheme) it applies the dark palette, otherwise it restores
the platform's own style and palette, and it follows a change of the system's
scheme while TinyChat runs.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES: tuple[str, ...] = ("system", "light", "dark")


def _palette(dark: bool) -> QPalette:
    palette = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    if dark:
        colours = {
            role.Window: "#2b2b2b", role.WindowText: "#e6e6e6", role.Base: "#1e1e1e", role.AlternateBase: "#2f2f2f",
            role.ToolTipBase: "#3a3a3a", role.ToolTipText: "#f0f0f0", role.PlaceholderText: "#9a9a9a",
            role.Text: "#e6e6e6", role.Button: "#353535", role.ButtonText: "#e6e6e6", role.BrightText: "#ff6b6b",
            role.Light: "#4a4a4a", role.Midlight: "#3e3e3e", role.Mid: "#2a2a2a", role.Dark: "#1a1a1a",
            role.Shadow: "#000000", role.Highlight: "#3d7bd9", role.HighlightedText: "#ffffff",
            role.Link: "#7ab4ff", role.LinkVisited: "#b39ddb",
        }
        disabled = {role.WindowText: "#7a7a7a", role.Text: "#7a7a7a", role.ButtonText: "#7a7a7a"}
    else:
        colours = {
            role.Window: "#efefef", role.WindowText: "#1a1a1a", role.Base: "#ffffff", role.AlternateBase: "#f5f5f5",
            role.ToolTipBase: "#ffffdc", role.ToolTipText: "#1a1a1a", role.PlaceholderText: "#767676",
            role.Text: "#1a1a1a", role.Button: "#efefef", role.ButtonText: "#1a1a1a", role.BrightText: "#c62828",
            role.Light: "#ffffff", role.Midlight: "#e3e3e3", role.Mid: "#b8b8b8", role.Dark: "#9f9f9f",
            role.Shadow: "#767676", role.Highlight: "#1565c0", role.HighlightedText: "#ffffff",
            role.Link: "#0b57d0", role.LinkVisited: "#6a1b9a",
        }
        disabled = {role.WindowText: "#8a8a8a", role.Text: "#8a8a8a", role.ButtonText: "#8a8a8a"}
    for colour_role, colour in colours.items():
        palette.setColor(colour_role, QColor(colour))
    for colour_role, colour in disabled.items():
        palette.setColor(group.Disabled, colour_role, QColor(colour))
    return palette


class ThemeManager(QObject):
    """Applies the chosen theme and text size to the whole application and keeps "system" in step."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.choice = "system"
        self.scale = 100
        self._native_style = app.style().name()
        self._native_palette = QPalette(app.palette())
        self._base_font = QFont(app.font())
        hints = app.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._on_scheme_changed)

    def system_is_dark(self) -> bool:
        hints = self.app.styleHints()
        return hasattr(hints, "colorScheme") and hints.colorScheme() == Qt.ColorScheme.Dark

    def is_dark(self) -> bool:
        return self.choice == "dark" or (self.choice == "system" and self.system_is_dark())

    def apply(self, choice: str) -> None:
        """Use theme ``choice`` ("system", "light" or "dark") from now on."""
        self.choice = choice if choice in THEMES else "system"
        if self.choice == "system" and not self.system_is_dark():
            self._set_style(self._native_style)
            self.app.setPalette(self._native_palette)
            return
        self._set_style("fusion")
        self.app.setPalette(_palette(self.is_dark()))

    def _set_style(self, name: str) -> None:
        if self.app.style().name().lower() != name.lower() and name.lower() in (
            k.lower() for k in QStyleFactory.keys()  # noqa: SIM118 - the style names Qt knows, a list
        ):
            self.app.setStyle(name)

    def _on_scheme_changed(self, _scheme) -> None:
        if self.choice == "system":
            self.apply("system")

    def base_font(self) -> QFont:
        """The application's font at the chosen text size (classroom mode enlarges this)."""
        font = QFont(self._base_font)
        font.setPointSizeF(self._base_font.pointSizeF() * self.scale / 100)
        return font

    def set_text_scale(self, percent: int) -> None:
        self.scale = percent
        self.app.setFont(self.base_font())


def theme_manager(app: QApplication | None = None) -> ThemeManager:
    """The application's one ThemeManager, made on first use."""
    app = app or QApplication.instance()
    manager = app.findChild(ThemeManager)
    if manager is None:
        manager = ThemeManager(app)
    return manager
