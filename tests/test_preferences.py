"""The Preferences dialog driven as a person would, and what the window remembers between runs."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import QDialogButtonBox, QDoubleSpinBox

from tinychat.core import i18n, paths
from tinychat.core.settings import Settings, load_settings
from tinychat.gui.main_window import MainWindow
from tinychat.gui.preferences import PreferencesDialog, open_preferences
from tinychat.gui.theme import theme_manager


@pytest.fixture
def themes(qapp):
    manager = theme_manager(qapp)
    yield manager
    manager.apply("system")
    manager.set_text_scale(100)


def make_window(qtbot, settings: Settings | None = None) -> MainWindow:
    win = MainWindow(None, settings if settings is not None else load_settings())
    qtbot.addWidget(win)
    win.show()
    return win


def press_ok(dialog: PreferencesDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_ctrl_comma_opens_preferences_from_the_edit_menu(qtbot, themes):
    win = make_window(qtbot)
    action = win.preferences_action
    assert QKeySequence("Ctrl+,") in action.shortcuts()
    edit_menu = win.menuBar().actions()[1]
    assert edit_menu.text() == "&Edit" and action in edit_menu.menu().actions()
    action.trigger()
    assert isinstance(win.preferences_dialog, PreferencesDialog) and win.preferences_dialog.isVisible()
    win.preferences_dialog.reject()
    win.close()


def test_values_set_in_the_dialog_take_effect_and_persist(qtbot, themes, qapp):
    win = make_window(qtbot)
    base_size = qapp.font().pointSizeF()
    dialog = open_preferences(win)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.text_scale.setValue(130)
    dialog.threads.setValue(2)
    dialog.context_size.setValue(1024)
    press_ok(dialog)
    assert not dialog.isVisible()
    # At once: the dark palette, larger text, and the window's own context box.
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 80
    assert qapp.font().pointSizeF() == pytest.approx(base_size * 1.3)
    assert win.context_size.value() == 1024
    saved = json.loads(paths.settings_file().read_text())["settings"]
    assert (saved["theme"], saved["text_scale"], saved["n_threads"], saved["n_ctx"]) == ("dark", 130, 2, 1024)
    win.close()
    # And after closing the window: its own save keeps what the dialog set.
    reread = load_settings()
    assert (reread.theme, reread.text_scale, reread.n_threads, reread.n_ctx) == ("dark", 130, 2, 1024)


def test_cancel_puts_the_theme_and_text_size_back(qtbot, themes, qapp):
    win = make_window(qtbot)
    before = qapp.palette().color(QPalette.ColorRole.Window).name()
    size = qapp.font().pointSizeF()
    dialog = open_preferences(win)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.text_scale.setValue(200)
    assert qapp.palette().color(QPalette.ColorRole.Window).name() != before  # previewed live
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
    assert qapp.palette().color(QPalette.ColorRole.Window).name() == before
    assert qapp.font().pointSizeF() == pytest.approx(size)
    assert win.settings.theme == "system" and not paths.settings_file().exists()
    win.close()


def test_classroom_mode_grows_from_the_chosen_text_size(qtbot, themes, qapp):
    win = make_window(qtbot)
    base = qapp.font().pointSizeF()
    dialog = open_preferences(win)
    dialog.text_scale.setValue(150)
    press_ok(dialog)
    win.classroom_action.setChecked(True)
    assert win.chat_view.font().pointSizeF() == pytest.approx(base * 1.5 * 1.6)
    win.classroom_action.setChecked(False)
    assert win.chat_view.font().pointSizeF() == pytest.approx(base * 1.5)
    win.close()


def test_a_models_folder_that_cannot_be_written_is_refused_with_one_sentence(qtbot, themes, tmp_path):
    win = make_window(qtbot)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    dialog = open_preferences(win)
    dialog.models_dir.edit.setText(str(blocker / "models"))
    press_ok(dialog)
    assert dialog.isVisible()
    assert dialog.problem.isVisible()
    assert dialog.problem.text() == f"TinyChat cannot write in {blocker / 'models'}; choose a folder you can write to."
    assert win.settings.models_dir == "" and not paths.settings_file().exists()
    dialog.models_dir.edit.setText(str(tmp_path / "my-models"))
    press_ok(dialog)
    assert not dialog.isVisible()
    assert paths.models_dir() == tmp_path / "my-models"
    assert load_settings().models_dir == str(tmp_path / "my-models")
    paths.set_models_dir(None)
    win.close()


@pytest.fixture
def own_home(tmp_path, monkeypatch):
    """No TINYCHAT_DATA_DIR: the usual folders, but in a temporary home."""
    monkeypatch.delenv(paths.ENV_DATA_DIR)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv(paths.ENV_CONFIG_DIR, str(tmp_path / "config"))
    paths.set_data_dir(None)
    yield tmp_path
    paths.set_data_dir(None)


def test_the_data_folder_choice_is_kept_outside_it_and_applies_at_the_next_start(qtbot, themes, own_home):
    assert paths.data_dir() == paths.default_data_dir()
    assert str(own_home) in str(paths.data_dir())
    win = make_window(qtbot)
    dialog = open_preferences(win)
    assert dialog.data_dir.isEnabled()
    stick = own_home / "usb-stick" / "TinyChat"
    dialog.data_dir.edit.setText(str(stick))
    dialog.theme.setCurrentIndex(dialog.theme.findData("light"))
    press_ok(dialog)
    assert not dialog.isVisible()
    assert json.loads(paths.pointer_file().read_text()) == {"data_dir": str(stick)}
    assert paths.pointer_file().parent == own_home / "config"
    assert "starts again" in win.statusBar().currentMessage()
    assert paths.data_dir() == paths.default_data_dir()  # not under the open conversation
    win.close()
    paths.set_data_dir(None)  # as at the next start
    assert paths.data_dir() == stick
    assert load_settings().theme == "light"  # the preferences came along


def test_a_data_folder_that_cannot_be_written_is_refused(qtbot, themes, own_home):
    blocker = own_home / "a-file"
    blocker.write_text("x")
    win = make_window(qtbot)
    dialog = open_preferences(win)
    dialog.data_dir.edit.setText(str(blocker))
    press_ok(dialog)
    assert dialog.isVisible() and dialog.problem.text() == f"{blocker} is a file, not a folder; choose a folder."
    assert not paths.pointer_file().exists()
    dialog.reject()
    win.close()


def test_a_data_folder_that_disappeared_falls_back_to_the_usual_one(own_home):
    blocker = own_home / "a-file"
    blocker.write_text("x")
    paths.pointer_file().parent.mkdir(parents=True)
    paths.pointer_file().write_text(json.dumps({"data_dir": str(blocker / "gone")}))
    paths.set_data_dir(None)
    assert paths.data_dir() == paths.default_data_dir()


def test_the_data_folder_is_fixed_by_data_dir(qtbot, themes):
    win = make_window(qtbot)
    dialog = open_preferences(win)
    assert not dialog.data_dir.isEnabled()
    assert str(paths.data_dir()) in dialog.data_dir_note.text()
    dialog.reject()
    win.close()


# -- the language ---------------------------------------------------------------------


@pytest.fixture
def restart_in(qapp, monkeypatch):
    """Install the translations as a start-up would, with TINYCHAT_LANG unset; undo it afterwards."""
    from tinychat.app import _install_translations

    installed = []

    def restart(settings: Settings):
        from tinychat.core.preferences import apply_to_process

        for translator in installed:
            qapp.removeTranslator(translator)
        monkeypatch.delenv("TINYCHAT_LANG", raising=False)
        monkeypatch.setenv("LANG", "C.UTF-8")
        apply_to_process(settings)
        installed[:] = _install_translations(qapp)

    yield restart
    for translator in installed:
        qapp.removeTranslator(translator)
    i18n.set_translator(lambda context, text: text)
    i18n.set_preferred_language("system")
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def test_choosing_spanish_makes_everything_spanish_at_the_next_start(qtbot, themes, restart_in, monkeypatch):
    monkeypatch.delenv("TINYCHAT_LANG")
    monkeypatch.setenv("LANG", "C.UTF-8")
    win = make_window(qtbot)
    dialog = open_preferences(win)
    assert "starts again" in dialog.language_note.text()
    dialog.language.setCurrentIndex(dialog.language.findData("es"))
    press_ok(dialog)
    assert "starts again" in win.statusBar().currentMessage()
    win.close()
    settings = load_settings()
    assert settings.language == "es"

    restart_in(settings)  # LANG=C.UTF-8: only the preference says Spanish
    win = make_window(qtbot, settings)
    assert win.menuBar().actions()[0].text() == "&Archivo"
    assert win.preferences_action.text() == "&Preferencias…"
    lesson_titles = [a.text() for a in win.lessons_menu.actions()]
    from tinychat.core.lessons import load_lessons

    assert lesson_titles == [lesson.title["es"] for lesson in load_lessons()]
    assert lesson_titles != [lesson.title["en"] for lesson in load_lessons()]
    win.open_glossary("temperature")
    assert win.glossary.panel.language() == "es"
    assert win.glossary.panel.title_label.text() == "Temperatura"
    win._show_context_use(49152, 65536)
    assert win.context_label.text() == "49.152 / 65.536 tokens"
    assert QLocale().toString(19.5, "f", 1) == "19,5"
    spin_texts = [w.text() for w in win.param_panel.findChildren(QDoubleSpinBox)]
    assert spin_texts and any("," in t for t in spin_texts) and not any("." in t for t in spin_texts)
    dialog = open_preferences(win)
    assert dialog.windowTitle() == "Preferencias"
    dialog.reject()
    win.close()


def test_tinychat_lang_overrides_the_preference_and_the_dialog_says_so(qtbot, themes, monkeypatch):
    monkeypatch.setenv("TINYCHAT_LANG", "en")
    win = make_window(qtbot, Settings(language="es"))
    dialog = open_preferences(win)
    assert dialog.language.currentData() == "es"
    assert "TINYCHAT_LANG" in dialog.language_note.text()
    dialog.reject()
    win.close()


def test_a_missing_translation_leaves_english_and_says_so(qapp, monkeypatch, tmp_path):
    from PySide6.QtCore import QCoreApplication

    from tinychat.app import _install_translations

    monkeypatch.setattr(paths, "resources_dir", lambda: tmp_path)
    monkeypatch.setenv("TINYCHAT_LANG", "es")
    installed = _install_translations(qapp)
    try:
        assert QCoreApplication.translate("MainWindow", "Send") == "Send"
        notice = qapp.property("translationNotice")
        assert notice.startswith("The Spanish translation") and "English" in notice
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
        qapp.setProperty("translationNotice", "")
        i18n.set_translator(lambda context, text: text)
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))


def test_follow_the_system_reacts_when_the_system_turns_dark(qapp, themes, monkeypatch):
    """The offscreen platform has no colour scheme of its own, so the scheme it reports is set here."""
    from PySide6.QtCore import Qt

    themes.apply("system")
    light = qapp.palette().color(QPalette.ColorRole.Window).lightness()
    monkeypatch.setattr(themes, "system_is_dark", lambda: True)
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 80 < light
    themes.apply("light")
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 200  # an explicit choice stays
    monkeypatch.setattr(themes, "system_is_dark", lambda: False)
    themes.apply("system")
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() == light


# -- what the preferences decide at start and at load ----------------------------------


def test_the_default_model_wins_over_the_last_one_and_a_missing_one_is_skipped(tmp_path):
    from tinychat.app import startup_model

    chosen, last = tmp_path / "chosen.gguf", tmp_path / "last.gguf"
    chosen.write_bytes(b"GGUF")
    last.write_bytes(b"GGUF")
    settings = Settings(default_model=str(chosen), last_model=str(last))
    assert startup_model(None, settings) == chosen
    assert startup_model(str(last), settings) == last  # --model still wins
    chosen.unlink()
    assert startup_model(None, settings) == last
    assert startup_model(None, Settings(default_model=str(chosen))) not in (chosen, last)


def test_threads_from_preferences_reach_the_model_load(qtbot, themes, tmp_path):
    win = make_window(qtbot)
    dialog = open_preferences(win)
    dialog.threads.setValue(3)
    press_ok(dialog)
    asked = []
    win.controller.load_model = lambda path, options: asked.append(options)  # record instead of loading
    win.load_model(tmp_path / "any.gguf")
    assert asked[0].n_threads == 3
    win.close()


def test_the_command_line_uses_the_models_folder_of_the_preferences(tmp_path):
    import os
    import subprocess
    import sys

    from tinychat.core.settings import save_settings

    folder = tmp_path / "shared-models"
    save_settings(Settings(models_dir=str(folder)))
    env = dict(os.environ)
    listed = subprocess.run([sys.executable, "-m", "tinychat", "models", "list", "--json"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert json.loads(listed.stdout)["models_dir"] == str(folder)
