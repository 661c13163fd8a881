"""Every control a person can reach has a name and a description for screen readers, in both languages."""

from __future__ import annotations

import pytest

from tinychat.app import create_app
from tinychat.core.params import GenerationParams
from window_checks import language, settle, unnamed_controls


def _lab():
    from tinychat.gui.lab_window import LabWindow

    return LabWindow(None, GenerationParams())


def _ab():
    from tinychat.gui.ab_compare import ABCompareWindow

    return ABCompareWindow(None, "hello")


def _model_manager():
    from tinychat.gui.model_manager import ModelManagerDialog

    return ModelManagerDialog(None)


def _template_editor():
    from tinychat.gui.template_editor import TemplateEditor

    return TemplateEditor(None, source="{{ messages[0]['content'] }}")


def _glossary():
    from tinychat.gui.glossary_panel import GlossaryDialog

    return GlossaryDialog(None)


def _sign_in():
    from tinychat.gui.model_manager import SignInDialog

    return SignInDialog(None)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(
    "build", [_lab, _ab, _model_manager, _template_editor, _glossary, _sign_in],
    ids=["lab", "ab", "model-manager", "template-editor", "glossary", "sign-in"],
)
def test_every_control_has_a_name_and_a_description(qtbot, lang, build):
    create_app()
    with language(lang):
        window = build()
        qtbot.addWidget(window)
        window.show()
        settle()
        try:
            assert unnamed_controls(window) == []
        finally:
            window.close()


def test_the_check_finds_an_unnamed_control(qtbot):
    """The walk really reads the accessibility tree: a bare box is reported."""
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    create_app()
    window = QWidget()
    qtbot.addWidget(window)
    QVBoxLayout(window).addWidget(QLineEdit())
    window.show()
    assert any(problem.startswith("no name: EditableText") for problem in unnamed_controls(window))
