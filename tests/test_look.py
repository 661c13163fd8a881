"""Icons drawn for any screen scale and either theme; every window opens within its screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QMainWindow

from tinychat.app import create_app
from tinychat.core.params import GenerationParams
from tinychat.gui.icons import NAMES, icon
from tinychat.gui.window_fit import fit_to_screen
from window_checks import language, settle


def _ink(image) -> list[QColor]:
    """The opaque pixels of an image."""
    return [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]


@pytest.mark.parametrize("name", NAMES)
def test_icons_are_drawn_at_the_screen_scale(name):
    create_app()
    pixmap = icon(name).pixmap(QSize(24, 24), 2.0)  # a screen at 200 %
    assert pixmap.devicePixelRatio() == 2.0
    assert (pixmap.width(), pixmap.height()) == (48, 48)  # drawn at 48 px, not a blown-up 24
    assert _ink(pixmap.toImage())


def test_icons_follow_the_palette():
    app = create_app()
    saved = QPalette(app.palette())
    try:
        for text in ("#101010", "#f0f0f0"):
            palette = QPalette(saved)
            palette.setColor(QPalette.ColorRole.ButtonText, QColor(text))
            QGuiApplication.setPalette(palette)
            ink = _ink(icon("stop").pixmap(QSize(32, 32)).toImage())
            assert ink and all(c.name() == text for c in ink)
        disabled = icon("stop").pixmap(QSize(32, 32), QIcon.Mode.Disabled).toImage()
        assert _ink(disabled)[0].name() == QGuiApplication.palette().color(
            QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText
        ).name()
    finally:
        QGuiApplication.setPalette(saved)


def test_an_unknown_icon_is_an_error():
    with pytest.raises(KeyError):
        icon("nonexistent")


def test_a_window_opens_within_its_screen(qtbot):
    create_app()
    window = QMainWindow()
    qtbot.addWidget(window)
    area = window.screen().availableGeometry()
    fit_to_screen(window, area.width() + 500, area.height() + 500)
    assert window.width() <= area.width() and window.height() <= area.height()
    assert area.contains(window.geometry().topLeft())
    fit_to_screen(window, 300, 200)
    assert (window.width(), window.height()) == (300, 200)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_lab_and_ab_fit_a_1024x768_projector(qtbot, lang):
    from tinychat.gui.ab_compare import ABCompareWindow
    from tinychat.gui.lab_window import LabWindow

    create_app()
    with language(lang):
        for window in (LabWindow(None, GenerationParams()), ABCompareWindow(None, "hello")):
            qtbot.addWidget(window)
            window.show()
            settle()
            area = window.screen().availableGeometry()
            assert window.width() <= max(area.width(), window.minimumSizeHint().width())
            # The smallest size the window can take leaves room for a title bar on a 1024x768 screen.
            hint = window.minimumSizeHint()
            assert hint.width() <= 1024 and hint.height() <= 768 - 40, type(window).__name__
            window.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_dialogs_open_within_the_screen_and_fit_a_projector(qtbot, lang):
    from tinychat.gui.glossary_panel import GlossaryDialog
    from tinychat.gui.model_manager import ModelManagerDialog
    from tinychat.gui.template_editor import TemplateEditor

    create_app()
    with language(lang):
        for build in (ModelManagerDialog, lambda _parent: TemplateEditor(None, source="{{ 1 }}"), GlossaryDialog):
            dialog = build(None)
            qtbot.addWidget(dialog)
            dialog.show()
            area = dialog.screen().availableGeometry()  # the test screen is 800x800: smaller than a projector
            hint = dialog.minimumSizeHint()
            assert dialog.width() <= max(area.width(), hint.width()) and dialog.height() <= area.height()
            assert hint.width() <= 1024 and hint.height() <= 768 - 40, type(dialog).__name__
            dialog.close()
