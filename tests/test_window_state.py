"""Closing and reopening the window with the same data folder brings back what was on screen."""

from __future__ import annotations

import json

import pytest

from tinychat.core import paths
from tinychat.core.settings import SCHEMA_VERSION, load_settings
from tinychat.core.store import Store
from tinychat.gui.main_window import MainWindow
from tinychat.gui.theme import theme_manager


@pytest.fixture(autouse=True)
def plain_text_size(qapp):
    yield
    theme_manager(qapp).set_text_scale(100)
    theme_manager(qapp).apply("system")


def start(qtbot) -> MainWindow:
    """The window as the app starts it: settings read from the data folder, the application's font as at start."""
    theme_manager().set_text_scale(100)
    win = MainWindow(None, load_settings())
    qtbot.addWidget(win)
    win.resize(1024, 768)
    win.show()
    qtbot.wait(10)  # start-up notices are shown once the constructor has returned
    return win


def saved_conversation(title: str) -> int:
    store = Store()
    try:
        conversation = store.create_conversation(title=title)
        store.add_message(conversation.id, "user", f"question in {title}")
        return conversation.id
    finally:
        store.close()


def test_the_last_conversation_classroom_mode_and_probability_view_come_back(qtbot):
    first = saved_conversation("first")
    second = saved_conversation("second")
    win = start(qtbot)
    assert win.conversation.conversation_id is None
    win.open_conversation(first)
    win.classroom_action.setChecked(True)
    win.teaching.probs_action.setChecked(True)
    win.close()

    again = start(qtbot)
    assert again.conversation.conversation_id == first
    assert "question in first" in again.chat_view.toPlainText()
    assert again.classroom_action.isChecked()
    assert again.chat_view.font().pointSizeF() > again.menuBar().font().pointSizeF() / 1.6 * 1.5
    assert again.teaching.probs_action.isChecked()
    again.open_conversation(second)
    again.classroom_action.setChecked(False)
    again.teaching.probs_action.setChecked(False)
    # The layout, measured without classroom mode (its larger text widens the panes' minimum sizes).
    again.splitter.setSizes([300, 500, 224])
    sizes = again.splitter.sizes()
    assert sizes != [220, 640, 340]
    again.close()

    third = start(qtbot)
    assert third.conversation.conversation_id == second
    assert not third.classroom_action.isChecked()
    assert not third.teaching.probs_action.isChecked()
    # The side panes come back as they were; the chat takes whatever width the window has left.
    restored = third.splitter.sizes()
    assert (restored[0], restored[2]) == (sizes[0], sizes[2])
    assert abs(restored[1] - sizes[1]) <= 8
    third.close()


def test_a_deleted_last_conversation_gives_a_new_one(qtbot):
    gone = saved_conversation("gone")
    win = start(qtbot)
    win.open_conversation(gone)
    win.close()
    store = Store()
    store.delete(gone)
    store.close()
    again = start(qtbot)
    assert again.conversation.conversation_id is None
    assert not again.banner.isVisible() or "gone" not in again.banner.text()
    again.close()


def test_a_corrupt_settings_file_is_said_in_one_sentence_and_the_window_starts(qtbot):
    paths.settings_file().write_text("{ half a file", encoding="utf-8")
    win = start(qtbot)
    assert win.banner.isVisible()
    assert win.banner.text().startswith(
        "Your settings file could not be read, so TinyChat started with the default settings"
    )
    [aside] = paths.data_dir().glob("settings.json.unreadable-*")
    assert aside.read_text(encoding="utf-8") == "{ half a file"
    win.close()
    assert json.loads(paths.settings_file().read_text())["schema"] == SCHEMA_VERSION
    assert aside.read_text(encoding="utf-8") == "{ half a file"


def test_settings_from_a_newer_version_are_used_and_not_saved_over(qtbot):
    original = json.dumps({"schema": SCHEMA_VERSION + 1, "settings": {"classroom_mode": True, "future": [1]}})
    paths.settings_file().write_text(original, encoding="utf-8")
    win = start(qtbot)
    assert win.classroom_action.isChecked()
    assert "newer TinyChat" in win.banner.text()
    win.classroom_action.setChecked(False)
    win.close()
    assert paths.settings_file().read_text(encoding="utf-8") == original


def test_an_unwritable_data_folder_is_said_and_the_window_still_starts(qtbot, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(paths, "data_dir", lambda: blocker)
    win = start(qtbot)
    assert win.banner.isVisible()
    text = win.banner.text()
    assert "Choose another data folder in Edit → Preferences." in text
    assert "could not be created" in text or f"TinyChat cannot write in {blocker}" in text
    win.close()


def test_a_data_folder_that_cannot_be_created_still_opens_the_window(qtbot, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(blocker / "data"))
    win = start(qtbot)
    assert "Conversations are kept only until TinyChat closes." in win.banner.text()
    assert "Choose another data folder in Edit → Preferences." in win.banner.text()
    win.close()
