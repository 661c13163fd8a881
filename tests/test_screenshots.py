"""Screenshots of the real windows at 1600x1000 and 1024x768, in English and Spanish.

Each picture is saved (to $TINYCHAT_SCREENSHOTS when set, else to the test's
tmp folder) for a person to open, and each window is checked for what a
picture may hide: a label, number box or button narrower than its own text.
"""

from __future__ import annotations

import pytest

from tinychat.app import create_app
from window_checks import SIZES, clipped_widgets, language, screenshot_dir, settle

pytestmark = pytest.mark.model


def _save(widget, folder, name):
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 10_000
    return path


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_window_lab_and_ab_look_whole(qtbot, tmp_path, starter_path, lang, size):
    from tinychat.gui.main_window import MainWindow

    create_app()
    folder = screenshot_dir(tmp_path)
    tag = f"{size[0]}x{size[1]}-{lang}"
    with language(lang):
        win = MainWindow(starter_path)
        qtbot.addWidget(win)
        win.show()
        win.resize(*size)
        win.reset_layout()  # the widths it would open with on a screen of this size
        qtbot.waitUntil(lambda: win.controller.info is not None, timeout=30000)
        settle()
        assert win.chat_stack.currentWidget() is win.welcome
        assert "SmolLM2-135M-Instruct" in win.welcome.model_line.text()
        assert clipped_widgets(win) == []
        _save(win, folder, f"main-empty-{tag}")

        # A suggestion from the first screen is sent as it is; the reply has a ten-digit seed.
        win.param_panel.set_params(win.param_panel.params().replace(seed=1_234_567_890, max_new_tokens=40))
        with qtbot.waitSignal(win.controller.generationFinished, timeout=60000):
            win.welcome.prompt_buttons[0].click()
        settle()
        assert win.chat_stack.currentWidget() is win.chat_view
        assert "1234567890" in win.param_panel.last_seed_label.text()
        assert clipped_widgets(win) == []
        _save(win, folder, f"main-reply-{tag}")

        win.classroom_action.setChecked(True)
        try:
            win.param_panel.rows["temperature"].slider.setValue(90)
            settle()
            assert win.classroom_strip.text_of("temperature") == win.param_panel.rows["temperature"].box.text()
            assert clipped_widgets(win) == []
            _save(win, folder, f"main-classroom-{tag}")
        finally:
            win.classroom_action.setChecked(False)

        lab = win.teaching.open_lab()
        ab = win.teaching.open_ab()
        try:
            for child in (lab, ab):
                qtbot.addWidget(child)
                child.resize(*size)
            lab.prompt_edit.setPlainText("The capital of France is")
            qtbot.waitUntil(lambda: lab.info is not None, timeout=30000)
            with qtbot.waitSignal(lab.stateShown, timeout=30000):
                lab.probe()
            qtbot.waitUntil(
                lambda: ab.a.controller.info is not None and ab.b.controller.info is not None, timeout=30000
            )
            settle()
            assert lab.stage_table.rowCount() > 1
            # The stage table shows all its columns, the note too, without scrolling sideways.
            header = lab.stage_table.horizontalHeader()
            assert header.length() <= lab.stage_table.viewport().width() + 1
            assert header.sectionSize(3) >= 80
            for child, name in ((lab, "lab"), (ab, "ab")):
                assert clipped_widgets(child) == [], name
                _save(child, folder, f"{name}-{tag}")
        finally:
            win.close()
