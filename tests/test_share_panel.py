"""The window's "Share my model with the class…" panel and the lesson file entries."""

from __future__ import annotations

import os
import re
import signal
import socket
from pathlib import Path

import httpx2 as httpx
import pytest
from PySide6.QtCore import QProcess

from tinychat.core.lesson_file import LessonPreset
from tinychat.core.params import GenerationParams
from tinychat.core.serve import free_port
from tinychat.gui.lesson_actions import LessonSaveDialog
from tinychat.gui.share_panel import SharePanel

KEY_PATTERN = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")


def grandchildren(panel: SharePanel) -> list[int]:
    """The model server started by ``tinychat serve`` (Linux: read from /proc)."""
    pid = panel.process.processId()
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def shot(widget, name: str) -> None:
    folder = os.environ.get("TINYCHAT_SCREENSHOTS")
    if folder:
        widget.grab().save(str(Path(folder) / name))


def test_without_a_model_the_panel_says_so_and_cannot_start(qtbot):
    panel = SharePanel(None)
    qtbot.addWidget(panel)
    assert not panel.start_button.isEnabled()
    assert panel.last_message == "No model is loaded. Load a model first, then share it."
    assert panel.start() is False
    assert not panel.lan_check.isChecked()  # the network is never the default


def test_the_window_offers_sharing_and_lesson_files(fake_window):
    win = fake_window()
    actions = win.lesson_actions
    assert actions.share_action in win.teaching.menu.actions()
    assert actions.open_action in win.file_menu.actions() and actions.save_action in win.file_menu.actions()
    panel = actions.open_share_panel()
    assert panel.isVisible() and panel.model_label.text() == win.controller.info.path.name
    assert panel.start_button.isEnabled()


def test_a_lesson_saved_from_the_window_opens_again_with_its_settings(fake_window, tmp_path):
    win = fake_window()
    actions = win.lesson_actions
    params = GenerationParams(temperature=1.25, top_k=7, top_p=0.8, min_p=0.1, max_new_tokens=33,
                              repeat_penalty=1.1, seed=42)
    win.param_panel.set_params(params)
    win.param_panel.system_prompt.setPlainText("You are a pirate.")
    dialog = LessonSaveDialog(win.param_panel.params(), win.param_panel.system_text(), "Tell me about ships.", win)
    dialog.title_en.setText("Pirates")
    dialog.title_es.setText("Piratas")
    dialog.notes_en.setPlainText("Watch the vocabulary.")
    dialog.prompts_es.setPlainText("Háblame de barcos.\nCanta una canción.")
    saved = actions.save_lesson(tmp_path / "pirates.tinychat-lesson.json", dialog)
    assert saved is not None and saved.is_file()

    win.param_panel.set_params(GenerationParams())
    win.param_panel.system_prompt.setPlainText("")
    win.prompt_edit.setPlainText("")
    lesson = actions.open_lesson(saved)
    assert lesson is not None
    assert win.param_panel.params() == params
    assert win.param_panel.system_text() == "You are a pirate."
    assert win.prompt_edit.toPlainText() == "Tell me about ships."
    assert "Lesson: Pirates." in actions.last_message and "Watch the vocabulary." in actions.last_message
    assert "Canta una canción." in actions.last_message  # the other prompts to try, in the other language


def test_a_hostile_lesson_file_is_one_sentence_in_the_window_and_changes_nothing(fake_window, tmp_path):
    win = fake_window()
    before = win.param_panel.params()
    path = tmp_path / "bad.tinychat-lesson.json"
    good = LessonPreset(title={"en": "x"}, params=GenerationParams()).to_json()
    path.write_text(good.replace('"temperature": 0.7', '"temperature": 40'), encoding="utf-8")
    assert win.lesson_actions.open_lesson(path) is None
    assert win.lesson_actions.last_message.startswith("The lesson bad.tinychat-lesson.json cannot be opened: ")
    assert win.banner.text() == win.lesson_actions.last_message
    assert win.param_panel.params() == before


@pytest.mark.model
def test_sharing_shows_address_key_and_figures_and_stops(qtbot, starter_path, tmp_path):
    panel = SharePanel(starter_path)
    qtbot.addWidget(panel)
    panel.resize(1024, 768)
    panel.show()
    port = free_port()
    panel.port_box.setValue(port)
    with qtbot.waitSignal(panel.stateChanged, timeout=10000, check_params_cb=lambda s: s == "starting"):
        assert panel.start()
    assert not panel.start_button.isEnabled() and not panel.port_box.isEnabled()
    with qtbot.waitSignal(panel.stateChanged, timeout=180000, check_params_cb=lambda s: s == "sharing"):
        pass
    address = f"http://127.0.0.1:{port}/v1"
    assert panel.address_label.text() == address
    key = panel.key_label.text()
    assert KEY_PATTERN.match(key)
    assert not panel.qr_label.pixmap().isNull()
    assert "Only this computer can connect" in panel.last_message

    assert httpx.get(address + "/models", timeout=10).status_code == 401
    answer = httpx.post(address + "/chat/completions", headers={"Authorization": f"Bearer {key}"}, timeout=120,
                        json={"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 8, "seed": 1})
    assert answer.status_code == 200 and answer.json()["choices"][0]["message"]["content"]
    with qtbot.waitSignal(panel.figuresShown, timeout=10000, check_params_cb=lambda f: f.get("requests") == 1):
        pass
    assert panel.figures_label.text() == "Students connected: 1 · Requests in the last minute: 1 · In all: 1"
    shot(panel, "share-1024x768-en.png")

    with qtbot.waitSignal(panel.stateChanged, timeout=30000, check_params_cb=lambda s: s == "stopped"):
        panel.stop_button.click()
    assert panel.last_message == "Stopped sharing."
    assert panel.start_button.isEnabled()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.model
def test_a_server_that_dies_is_said_and_the_panel_can_start_again(qtbot, starter_path):
    panel = SharePanel(starter_path)
    qtbot.addWidget(panel)
    panel.port_box.setValue(free_port())
    with qtbot.waitSignal(panel.stateChanged, timeout=180000, check_params_cb=lambda s: s == "sharing"):
        panel.start()
    with qtbot.waitSignal(panel.stateChanged, timeout=30000, check_params_cb=lambda s: s == "stopped"):
        for pid in grandchildren(panel):
            os.kill(pid, signal.SIGKILL)
    assert panel.last_message.startswith("The model server stopped")
    assert panel.start_button.isEnabled()


@pytest.mark.model
def test_a_port_in_use_is_said_in_the_panel(qtbot, starter_path):
    panel = SharePanel(starter_path)
    qtbot.addWidget(panel)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        if port < 1024:
            pytest.skip("the system gave a privileged port")
        panel.port_box.setValue(port)
        with qtbot.waitSignal(panel.stateChanged, timeout=60000, check_params_cb=lambda s: s == "stopped"):
            panel.start()
    assert panel.last_message == (
        f"Port {port} is already in use on this computer: choose another port, or stop the program that uses it."
    )


@pytest.mark.model
def test_closing_the_window_stops_sharing(fake_window, qtbot, starter_path):
    win = fake_window()
    panel = win.lesson_actions.open_share_panel()
    panel.set_model(starter_path)
    panel.port_box.setValue(free_port())
    with qtbot.waitSignal(panel.stateChanged, timeout=180000, check_params_cb=lambda s: s == "sharing"):
        panel.start()
    process = panel.process
    server = grandchildren(panel)
    win.close()
    assert process.state() == QProcess.ProcessState.NotRunning
    for pid in server:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
