"""The window's layout at classroom and laptop sizes, in English and Spanish (no model needed)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from tinychat.app import create_app
from tinychat.core.params import GenerationParams
from tinychat.core.settings import Settings
from tinychat.gui.main_window import MainWindow
from window_checks import clipped_widgets, language, settle, unnamed_controls

WIDTHS = ((1024, 768), (1366, 768), (1600, 1000))


@pytest.fixture
def make_window(qtbot):
    create_app()
    made = []

    def make(settings=None):
        win = MainWindow(None, settings)
        qtbot.addWidget(win)
        win.show()
        made.append(win)
        return win

    yield make
    for win in made:
        win.close()


def _chat_width(win):
    return win.chat_stack.width()


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("size", WIDTHS, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_chat_takes_most_of_the_width_and_nothing_is_clipped(make_window, lang, size):
    with language(lang):
        win = make_window()
        win.resize(*size)
        # A ten-digit seed, as after any reply.
        win.param_panel.set_params(GenerationParams(seed=2_147_483_000))
        win.param_panel.set_last_seed(2_147_483_000)
        settle()
        assert _chat_width(win) > size[0] // 2, win.splitter.sizes()
        assert clipped_widgets(win) == []
        assert win.param_panel.reuse_seed.isVisible() and win.template_edit_button.isVisible()


def test_a_new_window_opens_sized_to_its_screen(make_window):
    win = make_window()
    area = win.screen().availableGeometry()
    assert win.width() <= area.width() and win.height() <= area.height()
    hint = win.minimumSizeHint()
    assert hint.width() <= 1024 and hint.height() <= 768 - 32


def test_the_settings_panel_toggles_with_f9_and_is_remembered(qtbot, make_window):
    settings = Settings()
    win = make_window(settings)
    win.resize(1366, 768)
    settle()
    assert win.settings_panel_visible() and win.panel_action.isChecked()
    before = _chat_width(win)
    win.activateWindow()
    qtbot.keyClick(win, Qt.Key.Key_F9)
    settle()
    assert not win.settings_panel_visible() and not win.panel_action.isChecked()
    assert _chat_width(win) > before
    win.save_settings()
    again = make_window(settings)
    settle()
    assert not again.settings_panel_visible() and not again.panel_action.isChecked()
    again.panel_button.click()
    settle()
    assert again.settings_panel_visible()
    again.panel_action.setChecked(False)
    again.reset_layout_action.trigger()
    assert again.settings_panel_visible() and again.panel_action.isChecked()
    assert again.side_tabs.width() >= again.side_tabs.minimumSizeHint().width()
    assert clipped_widgets(again) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_classroom_mode_shows_the_values_large_and_follows_the_sliders(make_window, lang):
    with language(lang):
        win = make_window()
        win.resize(1024, 768)
        normal = QApplication.font().pointSizeF()
        win.classroom_action.setChecked(True)
        try:
            settle()
            strip = win.classroom_strip
            assert strip.isVisible()
            win.param_panel.rows["temperature"].slider.setValue(135)  # the teacher drags the slider
            win.param_panel.rows["top_k"].box.setValue(7)
            decimal = QLocale().decimalPoint()
            assert strip.text_of("temperature") == f"1{decimal}35"
            assert win.param_panel.rows["temperature"].box.text() == strip.text_of("temperature")
            assert strip.text_of("top_k") == "7"
            assert strip.text_of("top_p") == f"{win.param_panel.params().top_p:.2f}".replace(".", decimal)
            assert strip.text_of("max_new_tokens") == str(win.param_panel.params().max_new_tokens)
            assert strip.values["temperature"].font().pointSizeF() >= 3 * normal
            # The reply is in large type, it has most of the width, and the sliders are still there to use.
            assert win.chat_view.font().pointSizeF() == pytest.approx(normal * 1.6)
            assert _chat_width(win) > 0.6 * 1024
            assert win.param_panel.rows["temperature"].slider.isVisible()
            assert win.param_panel.rows["temperature"].slider.isEnabled()
            assert (
                win.width() <= 1024 and win.minimumSizeHint().width() <= 1024 and win.minimumSizeHint().height() <= 768
            )
            assert clipped_widgets(win) == []
        finally:
            win.classroom_action.setChecked(False)
        assert not win.classroom_strip.isVisible()
        assert QApplication.font().pointSizeF() == pytest.approx(normal)


def test_the_first_screen_teaches(qtbot, make_window):
    win = make_window()
    win.resize(1024, 768)
    settle()
    welcome = win.welcome
    assert win.chat_stack.currentWidget() is welcome
    assert len(welcome.prompt_buttons) == 3
    assert len(welcome.lesson_buttons) == len(win.lessons_menu.actions())
    assert welcome.model_line.textFormat() == Qt.TextFormat.PlainText
    assert "sliders" in welcome.sliders_line.text()
    # No model here: nothing could answer, so the suggestions wait for one.
    assert not any(button.isEnabled() for button in welcome.prompt_buttons)
    assert "No model is loaded" in welcome.model_line.text()
    first_lesson = win.lessons_menu.actions()[0]
    welcome.lesson_buttons[0].click()
    assert welcome.lesson_buttons[0].text() == first_lesson.text()
    assert win.prompt_edit.toPlainText()  # the lesson's prompt, waiting to be sent
    assert win.banner.isVisible()
    welcome.models_button.click()
    try:
        assert win.model_manager.isVisible()
    finally:
        win.model_manager.close()
    # A conversation replaces the first screen; an empty one brings it back.
    win.chat_view.add_message("user", "You", "hello")
    assert win.chat_stack.currentWidget() is win.chat_view
    win.chat_view.clear_conversation()
    assert win.chat_stack.currentWidget() is welcome


def test_the_welcome_names_the_model_as_plain_text(make_window):
    win = make_window()
    win.model_label.setText("<b>evil</b>")
    win._show_model_on_welcome()
    assert win.welcome.model_line.textFormat() == Qt.TextFormat.PlainText
    assert win.model_label.textFormat() == Qt.TextFormat.PlainText


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_control_of_the_main_window_has_a_name_and_a_description(make_window, lang):
    with language(lang):
        win = make_window()
        win.resize(1024, 768)
        assert unnamed_controls(win) == []
        win.chat_stack.setCurrentWidget(win.chat_view)
        assert unnamed_controls(win) == []


def test_the_keyboard_reaches_every_control_in_screen_order(qtbot, make_window):
    win = make_window()
    win.resize(1024, 768)
    settle()
    # Tab from the message goes to Send (not into the text), then on to the settings.
    chain = []
    widget = win.prompt_edit
    for _ in range(400):
        widget = widget.nextInFocusChain()
        if widget is win.prompt_edit:
            break
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            chain.append(widget)
    assert chain[0] is win.send_button
    settings_first = chain.index(win.param_panel.rows["temperature"].box)
    assert settings_first > chain.index(win.send_button)
    for control in (win.new_button, win.manager_button, win.open_button, win.classroom_button, win.panel_button,
                    win.sidebar.search_edit, win.param_panel.rows["top_p"].slider, win.param_panel.random_seed,
                    win.template_combo, win.reload_button):
        assert control in chain, control.objectName()
