"""The window on an inference server: the Connect dialog, the status bar, the probability view and the
X-ray, against a real HTTP server on 127.0.0.1 (tests/openai_server.py)."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt

from tinychat.core import remote
from tinychat.core.settings import Settings
from tests.openai_server import OpenAIServer


@pytest.fixture
def server():
    with OpenAIServer() as s:
        yield s


@pytest.fixture(autouse=True)
def memory_keyring():
    """Every test here keeps keys in memory: the dialog never reads or writes the computer's keyring."""
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1

        def __init__(self):
            super().__init__()
            self.store = {}

        def get_password(self, service, username):
            return self.store.get((service, username))

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    ring = Memory()
    keyring.set_keyring(ring)  # conftest puts the previous one back
    return ring


@pytest.fixture
def back_to_english(qapp):
    """A test that opens the window in Spanish leaves the next tests in English (the window installs Qt's
    translator for the whole application)."""
    yield
    from tinychat.app import _install_translations

    _install_translations(qapp, "en")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def open_dialog(qtbot, win):
    dialog = win.server_actions.open_dialog()
    qtbot.addWidget(dialog)
    return dialog


def test_connect_chat_and_switch_back(qtbot, fake_window, server, memory_keyring):
    server.behaviour.models = ("qwen2.5-0.5b", "smollm2")
    server.behaviour.api_key = "sesame"
    win = fake_window()
    local = win.controller.info
    assert not win.server_actions.local_action.isEnabled()
    dialog = open_dialog(qtbot, win)
    dialog.url_combo.setCurrentText(server.root)
    # Without the key the server refuses, in one sentence; nothing is connected.
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "refused the API key" in dialog.status_label.text(), timeout=10000)
    assert not dialog.connect_button.isEnabled()
    dialog.key_edit.setText("sesame")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.model_combo.count() == 2, timeout=10000)
    assert "llama.cpp" in dialog.status_label.text()
    dialog.model_combo.setCurrentIndex(1)
    with qtbot.waitSignal(win.controller.modelLoaded, timeout=10000):
        dialog.connect_button.click()
    info = win.controller.info
    assert info.endpoint == server.url and info.name == "smollm2"
    # The status bar and the model label say where the model runs.
    where = f"127.0.0.1:{server.port}"
    assert win.device_label.text() == f"Server: {where} · smollm2"
    assert where in win.model_label.text()
    # The key went to the keyring, the server to the recent list; neither key nor URL in a file but the list.
    assert memory_keyring.store == {(remote.KEYRING_SERVICE, server.url): "sesame"}
    assert win.settings.recent_servers[0] == {"url": server.url, "model": "smollm2"}
    # The X-ray says the server formats the prompt.
    win.side_tabs.setCurrentIndex(1)
    win.prompt_edit.setPlainText("Hi there")
    qtbot.waitUntil(lambda: "server formats the prompt" in win.xray_panel.template_label.text(), timeout=5000)
    assert "Hi there" in win.xray_panel.prompt_view.toPlainText()
    # A reply streams from the server and is saved with where it came from.
    win.prompt_edit.setPlainText("Hi")
    with qtbot.waitSignal(win.controller.generationFinished, timeout=10000) as finished:
        win.send()
    result = finished.args[0]
    assert result.text == "Hello, class!"
    reply = win.store.active_branch(win.conversation.conversation_id)[-1]
    assert reply.model_file == "smollm2" and reply.generation_stats().endpoint == server.url
    assert server.chat_requests()[-1]["model"] == "smollm2"
    assert win.device_label.text() == f"Server: {where} · smollm2"
    # Next time the key kept in the keyring is used without typing it.
    again = open_dialog(qtbot, win)
    assert again.url_combo.currentText() == server.url and again.key_edit.text() == ""
    again.test_button.click()
    qtbot.waitUntil(lambda: again.model_combo.count() == 2, timeout=10000)
    assert "key kept for this server" in again.status_label.text()
    assert again.model_combo.currentText() == "smollm2"  # the model chosen there last time
    again.reject()
    # Back to the file on this computer.
    assert win.server_actions.local_action.isEnabled()
    with qtbot.waitSignal(win.controller.modelLoaded, timeout=10000):
        win.server_actions.local_action.trigger()
    assert win.controller.info.endpoint == "" and win.controller.info.path == local.path
    assert "Server" not in win.device_label.text()


def test_a_server_that_is_down_keeps_the_local_model(qtbot, fake_window):
    win = fake_window()
    local = win.controller.info
    dialog = open_dialog(qtbot, win)
    dialog.url_combo.setCurrentText(f"127.0.0.1:{free_port()}")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "Nothing answers" in dialog.status_label.text(), timeout=10000)
    assert "b00020" in dialog.status_label.styleSheet()
    # Connecting to a server that went away after the test keeps the model that was working.
    win.controller.connect_server(remote.RemoteTarget(f"http://127.0.0.1:{free_port()}/v1", "m"))
    qtbot.waitUntil(lambda: not win.controller.loading, timeout=10000)
    assert win.banner.isVisible() and "Nothing answers" in win.banner.text()
    assert win.controller.info is not None and win.controller.info.path == local.path


def test_a_web_page_is_not_a_server(qtbot, fake_window, server):
    server.behaviour.html = True
    dialog = open_dialog(qtbot, fake_window())
    dialog.url_combo.setCurrentText(server.root)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: "not as an OpenAI-compatible API" in dialog.status_label.text(), timeout=10000)


def test_recent_servers_are_offered(qtbot, fake_window, server):
    settings = Settings()
    settings.remember_server("http://10.0.0.2:8080/v1", "a")
    settings.remember_server(server.url, "tiny-model")
    dialog = open_dialog(qtbot, fake_window(settings=settings))
    assert dialog.url_combo.currentText() == server.url
    assert [dialog.url_combo.itemText(i) for i in range(dialog.url_combo.count())] == [
        server.url, "http://10.0.0.2:8080/v1"
    ]


def connect(qtbot, win, server, model="tiny-model"):
    with qtbot.waitSignal(win.controller.modelLoaded, timeout=10000):
        win.controller.connect_server(remote.RemoteTarget(server.url, model))


def test_probability_view_from_the_servers_logprobs(qtbot, fake_window, server):
    win = fake_window()
    connect(qtbot, win, server)
    win.teaching.probs_action.setChecked(True)
    details = []
    win.controller.tokenDetail.connect(details.append)
    win.prompt_edit.setPlainText("Hi")
    with qtbot.waitSignal(win.controller.generationFinished, timeout=10000):
        win.send()
    assert [d.text for d in details] == ["Hello", ",", " class", "!"]
    detail = win.chat_view.detail_at(win.chat_view._detail_ranges[0][0])
    tip = win.chat_view.detail_tooltip(detail)
    assert "as the server reports it" in tip and "HELLO?" in tip and "After sampler" not in tip


def test_a_server_without_logprobs_says_why_the_view_is_empty(qtbot, fake_window, server):
    server.behaviour.logprobs = False
    win = fake_window()
    connect(qtbot, win, server)
    win.teaching.probs_action.setChecked(True)
    win.prompt_edit.setPlainText("Hi")
    with qtbot.waitSignal(win.conversation.replyFinished, timeout=10000):
        win.send()
    assert "no token probabilities" in win.chat_view.toPlainText()


def test_a_server_that_ignores_top_k_says_so(qtbot, fake_window, server):
    server.behaviour.owned_by = "library"
    win = fake_window()
    connect(qtbot, win, server)
    assert win.banner.isVisible() and "Ollama ignores" in win.banner.text() and "Top-k" in win.banner.text()
    rows = win.param_panel.rows
    assert not rows["top_k"].isEnabled() and "Ollama ignores" in rows["top_k"].slider.toolTip()
    assert rows["temperature"].isEnabled() and "Ollama" not in rows["temperature"].slider.toolTip()
    # Back on this computer every slider works again.
    with qtbot.waitSignal(win.controller.modelLoaded, timeout=10000):
        win.server_actions.local_action.trigger()
    assert rows["top_k"].isEnabled() and "Ollama" not in rows["top_k"].slider.toolTip()


def test_a_reply_cut_off_is_kept_and_marked(qtbot, fake_window, server):
    server.behaviour.stop_after = 2
    win = fake_window()
    connect(qtbot, win, server)
    win.prompt_edit.setPlainText("Hi")
    with qtbot.waitSignal(win.conversation.replyFinished, timeout=10000):
        win.send()
    reply = win.store.active_branch(win.conversation.conversation_id)[-1]
    assert reply.content == "Hello," and reply.status == "interrupted"
    assert win.banner.isVisible() and "broke off" in win.banner.text()
    assert "Hello," in win.chat_view.toPlainText()
    # Continue needs the model's tokens, which a server does not give: a sentence, and the reply stays.
    with qtbot.waitSignal(win.controller.generationFailed, timeout=10000) as failed:
        win.continue_reply(reply)
    assert "cannot continue" in failed.args[0]
    qtbot.waitUntil(lambda: not win.conversation.busy, timeout=5000)
    assert win.store.message(reply.id).content == "Hello,"


def test_a_server_down_at_send_keeps_the_question(qtbot, fake_window, server):
    win = fake_window()
    connect(qtbot, win, server)
    server.stop()
    win.prompt_edit.setPlainText("Are you there?")
    with qtbot.waitSignal(win.controller.generationFailed, timeout=10000):
        win.send()
    qtbot.waitUntil(lambda: win.prompt_edit.toPlainText() == "Are you there?", timeout=5000)
    assert "Nothing answers" in win.chat_view.toPlainText()
    assert win.send_button.isEnabled()


@pytest.mark.parametrize("language", ["en", "es"])
def test_screenshot_of_the_dialog(qtbot, fake_window, server, language, tmp_path, monkeypatch, back_to_english):
    """The dialog after a test, at 1024x768 (written to /tmp for a person to look at)."""
    if language == "es":
        monkeypatch.setenv("TINYCHAT_LANG", "es")
    win = fake_window()
    win.resize(1024, 768)
    dialog = open_dialog(qtbot, win)
    dialog.url_combo.setCurrentText(server.root)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.model_combo.count() == 1, timeout=10000)
    qtbot.wait(50)
    assert dialog.width() <= 1024 and dialog.height() <= 768
    assert dialog.connect_button.isEnabled()
    dialog.grab().save(f"/tmp/server_dialog_{language}.png")
    assert dialog.status_label.textFormat() == Qt.TextFormat.PlainText
    with qtbot.waitSignal(win.controller.modelLoaded, timeout=10000):
        dialog.connect_button.click()
    win.prompt_edit.setPlainText("Hi")
    with qtbot.waitSignal(win.conversation.replyFinished, timeout=10000):
        win.send()
    qtbot.wait(200)  # the status bar lays its new figures out
    win.grab().save(f"/tmp/server_window_{language}.png")


def test_the_lab_opens_the_model_file_while_a_server_is_in_use(qtbot, fake_window, server):
    win = fake_window()
    local = win.controller.info.path
    connect(qtbot, win, server)
    assert win.teaching._model_path() == str(local)


def _server_lesson(titles: dict, temperature: float, seed: int | None, prompt: dict) -> dict:
    return {
        "format": "tinychat-lesson", "version": 1, "title": titles,
        "notes": {"en": "Watch the rhymes.", "es": "Mira las rimas."},
        "system_prompt": "You are a poet.",
        "params": {"temperature": temperature, "top_k": 9, "top_p": 0.85, "max_new_tokens": 48, "seed": seed},
        "prompts": [prompt],
    }


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_shared_servers_lessons_are_listed_and_applied(
    qtbot, fake_window, server, language, monkeypatch, back_to_english
):
    """After connecting to a server that offers lessons, Teach → Lessons from the server lists them (titles
    as plain text, in the window's language) and one applies exactly as a lesson file does."""
    if language == "es":
        monkeypatch.setenv("TINYCHAT_LANG", "es")
    server.behaviour.api_key = "ABCD-EFGH"
    server.behaviour.lessons = {"lessons": [
        _server_lesson({"en": "Rhymes & <b>rhythm</b>", "es": "Rimas y <b>ritmo</b>"}, 1.4, 11,
                       {"en": "Write a rhyme.", "es": "Escribe una rima."}),
        {"format": "tinychat-lesson", "version": 1, "title": {"en": "Broken"}, "params": {"top_p": 7}},
        _server_lesson({"en": "Cold\tand\nsteady"}, 0.2, None, {"en": "Count to five."}),
    ]}
    win = fake_window()
    menu = win.lesson_actions.server_menu
    assert not menu.menuAction().isVisible()  # nothing from a server yet
    dialog = open_dialog(qtbot, win)
    dialog.url_combo.setCurrentText(server.root)
    dialog.key_edit.setText("ABCD-EFGH")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.connect_button.isEnabled(), timeout=10000)
    with qtbot.waitSignal(win.controller.modelLoaded, timeout=10000):
        dialog.connect_button.click()
    # The banner says where to find them; the hostile lesson is left out.
    offers = "Este servidor ofrece 2 lecciones" if language == "es" else "This server offers 2 lessons"
    assert offers in win.banner.text()
    assert menu.menuAction() in win.teaching.menu.actions() and menu.menuAction().isVisible()
    titles = [action.text() for action in menu.actions()]
    if language == "es":
        assert titles == ["Rimas y <b>ritmo</b>", "Cold and steady"]  # no Spanish title: the English one
    else:
        assert titles == ["Rhymes && <b>rhythm</b>", "Cold and steady"]  # "&" shown, not a shortcut
    before = win.param_panel.params()
    menu.actions()[0].trigger()
    params = win.param_panel.params()
    assert params != before
    assert (params.temperature, params.top_k, params.top_p, params.max_new_tokens, params.seed) == (
        1.4, 9, 0.85, 48, 11)
    assert win.param_panel.system_text() == "You are a poet."
    assert win.prompt_edit.toPlainText() == ("Escribe una rima." if language == "es" else "Write a rhyme.")
    assert win.banner.text() == win.lesson_actions.last_message
    assert ("Rimas y <b>ritmo</b>" if language == "es" else "Rhymes & <b>rhythm</b>") in win.banner.text()
    assert win.banner.textFormat() == Qt.TextFormat.PlainText
    menu.actions()[1].trigger()
    assert win.param_panel.params().temperature == 0.2 and win.param_panel.params().seed is None
    win.resize(1024, 768)
    win.grab().save(f"/tmp/server_lessons_window_{language}.png")
    # Back on this computer, the server's lessons go with the server.
    with qtbot.waitSignal(win.controller.modelLoaded, timeout=10000):
        win.server_actions.local_action.trigger()
    assert not menu.menuAction().isVisible() and menu.actions() == []
