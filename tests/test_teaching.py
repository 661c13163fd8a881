"""The Teach menu in the main window."""

from __future__ import annotations

import pytest

from tinychat.gui.ab_compare import ABCompareWindow
from tinychat.gui.lab_window import LabWindow
from tinychat.gui.main_window import MainWindow
from tinychat.gui.teaching import install_teaching_actions

pytestmark = pytest.mark.model


def test_teach_menu(qtbot, starter_path):
    win = MainWindow(None)
    qtbot.addWidget(win)
    teaching = install_teaching_actions(win)
    titles = [a.text() for a in win.menuBar().actions()]
    assert "&Teach" in titles
    # No model yet: a sentence, no window.
    if win.controller.info is None:
        assert teaching.open_lab() is None
        assert "No model" in teaching.last_message
    with qtbot.waitSignal(win.controller.modelLoaded, timeout=60000):
        win.controller.load_model(starter_path)
    win.prompt_edit.setPlainText("The capital of France is")
    lab = teaching.open_lab()
    assert isinstance(lab, LabWindow)
    with qtbot.waitSignal(lab.stateShown, timeout=60000):
        pass
    assert lab.prompt_edit.toPlainText() == "The capital of France is"
    ab = teaching.open_ab()
    assert isinstance(ab, ABCompareWindow)
    teaching.probs_action.setChecked(True)
    assert win.controller.token_details and win.chat_view.probability_view
    teaching.probs_action.setChecked(False)
    assert not win.controller.token_details and not win.chat_view.probability_view
    win.close()
    assert teaching.windows == []
