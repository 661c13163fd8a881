"""Conversations in the window: saved, reopened, regenerated, edited, fitted to the context.

The window runs on the scripted engine (``fake_window``) except where a test is
marked ``model``: saving, branching and fitting are the window's logic, and the
scripted engine keeps what they rely on (same seed, same reply; its own token counts).
"""

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QMessageBox

from tinychat.app import create_app
from tinychat.core.params import GenerationParams
from tinychat.gui.main_window import MainWindow

SEEDED = GenerationParams(temperature=1.0, top_k=0, top_p=1.0, min_p=0.0, max_new_tokens=24, seed=5)


@pytest.fixture
def open_window(fake_window):
    def open_one(**options):
        win = fake_window(**options)
        win.param_panel.set_params(SEEDED)
        return win

    return open_one


@pytest.fixture
def window(open_window):
    return open_window()


@pytest.fixture
def model_window(qtbot, starter_path):
    create_app()
    win = MainWindow(starter_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.controller.info is not None, timeout=30000)
    win.param_panel.set_params(SEEDED)
    yield win
    win.close()


def send(qtbot, win, text):
    win.prompt_edit.setPlainText(text)
    with qtbot.waitSignal(win.conversation.replyFinished, timeout=60000) as blocker:
        win.send_button.click()
    return blocker.args[0]


def click_action(qtbot, win, action, message_id, wait=True):
    url = QUrl(f"tinychat:{action}/{message_id}")
    if not wait:
        win.chat_view.anchorClicked.emit(url)
        return None
    with qtbot.waitSignal(win.conversation.replyFinished, timeout=60000) as blocker:
        win.chat_view.anchorClicked.emit(url)
    return blocker.args[0]


def test_a_conversation_is_saved_and_comes_back_in_a_new_window(qtbot, window, open_window):
    result = send(qtbot, window, "Name three fruits.")
    conversation_id = window.conversation.conversation_id
    window.close()
    again = open_window()
    titles = [again.sidebar.list_widget.item(i).text() for i in range(again.sidebar.list_widget.count())]
    assert titles == ["Name three fruits."]
    again.sidebar.select_conversation(conversation_id)
    assert again.conversation.conversation_id == conversation_id
    shown = again.chat_view.toPlainText()
    assert "Name three fruits." in shown
    assert again.conversation.branch()[-1].content == result.text
    assert max(result.text.split(), key=len).strip(".,!?*") in shown
    assert "SmolLM2-135M-Instruct\n" in shown
    assert f"seed {result.seed}" in shown


def test_regenerate_keeps_the_earlier_version(qtbot, window):
    first = send(qtbot, window, "Tell me a joke.")
    reply = window.conversation.branch()[-1]
    window.param_panel.set_params(SEEDED.replace(seed=99))
    second = click_action(qtbot, window, "regenerate", reply.id)
    assert second.seed == 99 and second.text != first.text
    branch = window.conversation.branch()
    assert [m.role for m in branch] == ["user", "assistant"]
    assert "2 / 2" in window.chat_view.toPlainText()
    # Browse back to version 1: the first text is shown again, nothing was lost.
    click_action(qtbot, window, "previous", branch[-1].id, wait=False)
    assert window.conversation.branch()[-1].content == first.text
    assert "1 / 2" in window.chat_view.toPlainText()


def test_use_its_settings_then_regenerate_reproduces_the_reply(qtbot, window):
    first = send(qtbot, window, "Write one sentence about rain.")
    reply = window.conversation.branch()[-1]
    window.param_panel.set_params(GenerationParams(temperature=0.1, seed=None))
    click_action(qtbot, window, "settings", reply.id, wait=False)
    assert window.param_panel.params().seed == first.seed
    again = click_action(qtbot, window, "regenerate", reply.id)
    assert again.text == first.text


def test_edit_and_resend_makes_a_branch(qtbot, window):
    send(qtbot, window, "What is two plus two?")
    send(qtbot, window, "And three plus three?")
    question = next(m for m in window.conversation.branch() if m.role == "user")
    click_action(qtbot, window, "edit", question.id, wait=False)
    assert window.prompt_edit.toPlainText() == "What is two plus two?"
    assert window.banner.isVisible()
    window.prompt_edit.setPlainText("What is five plus five?")
    with qtbot.waitSignal(window.conversation.replyFinished, timeout=60000):
        window.send_button.click()
    branch = window.conversation.branch()
    assert [m.content for m in branch if m.role == "user"] == ["What is five plus five?"]
    # The old turns are still there, one click away.
    click_action(qtbot, window, "previous", branch[0].id, wait=False)
    users = [m.content for m in window.conversation.branch() if m.role == "user"]
    assert users == ["What is two plus two?", "And three plus three?"]


@pytest.mark.model
def test_the_xray_follows_typing_and_the_chosen_template(qtbot, model_window):
    window = model_window
    window.prompt_edit.setPlainText("Hello there")
    qtbot.waitUntil(lambda: window.xray_panel.result is not None and "Hello there" in window.xray_panel.result.text,
                    timeout=5000)
    assert "<|im_start|>user" in window.xray_panel.result.text
    zephyr = window.template_combo.findData("zephyr")
    window.template_combo.setCurrentIndex(zephyr)
    qtbot.waitUntil(lambda: "<|user|>" in window.xray_panel.result.text, timeout=5000)
    assert "zephyr" in window.template_reason.text()
    # The reply uses the template shown.
    result = send(qtbot, window, "Hi!")
    assert result.template == "zephyr"


def test_a_conversation_too_long_for_the_context_offers_to_leave_out_old_turns(qtbot, window, monkeypatch):
    window.context_size.setValue(256)
    with qtbot.waitSignal(window.controller.modelLoaded, timeout=30000):
        window.reload_model()
    window.param_panel.set_params(SEEDED.replace(max_new_tokens=16))
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kw: asked.append(args) or QMessageBox.StandardButton.Yes
    )
    for i in range(6):
        send(qtbot, window, f"Fact number {i}: " + "the sky is blue and the grass is green. " * 3)
    result = send(qtbot, window, "Summarise everything.")
    assert asked, "the person was asked before old turns were left out"
    assert "too long" in asked[-1][1] or "too long" in str(asked[-1])
    assert result.stats.prompt_tokens < 256
    # Nothing was deleted: every turn is still saved.
    assert len([m for m in window.conversation.branch() if m.role == "user"]) == 7


def test_declining_to_drop_turns_keeps_the_draft(qtbot, window, monkeypatch):
    window.context_size.setValue(256)
    with qtbot.waitSignal(window.controller.modelLoaded, timeout=30000):
        window.reload_model()
    window.param_panel.set_params(SEEDED.replace(max_new_tokens=16))
    answers = iter([QMessageBox.StandardButton.Yes] * 0)
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kw: next(answers, QMessageBox.StandardButton.No))
    sent = 0
    for i in range(6):
        window.prompt_edit.setPlainText(f"Fact number {i}: " + "the sky is blue and the grass is green. " * 3)
        # Asking happens before anything is sent: when the person declines, no reply
        # starts, so there is nothing to wait for.
        window.send_button.click()
        if not window.controller.generating:
            break  # declined: the conversation no longer fits
        qtbot.waitUntil(lambda: not window.controller.generating and not window.conversation.busy, timeout=60000)
        sent += 1
    assert 0 < sent < 6
    # Declined: nothing was sent, nothing was left out, and the draft is still there.
    assert not window.controller.generating
    assert window.prompt_edit.toPlainText().startswith(f"Fact number {sent}: ")
    assert len([m for m in window.conversation.branch() if m.role == "user"]) == sent


def test_model_output_is_shown_as_text_never_as_html(qtbot, window, isolated_data_dir):
    store = window.store
    conv = store.create_conversation()
    store.add_message(conv.id, "user", "show me html")
    store.add_message(conv.id, "assistant", '<img src="http://127.0.0.1:9/x.png"> <script>alert(1)</script> '
                                              '[click](javascript:alert(1))')
    window.sidebar.refresh()
    window.sidebar.select_conversation(conv.id)
    shown = window.chat_view.toPlainText()
    assert '<img src="http://127.0.0.1:9/x.png">' in shown
    assert "<script>alert(1)</script>" in shown
    html = window.chat_view.toHtml()
    assert 'href="javascript' not in html


def test_deleting_the_shown_conversation_clears_the_view(qtbot, window):
    send(qtbot, window, "Hello!")
    conversation_id = window.conversation.conversation_id
    window.sidebar.delete(conversation_id)
    assert window.conversation.conversation_id is None
    assert window.chat_view.toPlainText() == ""
    window.sidebar.undo_delete()
    assert window.conversation.conversation_id == conversation_id
    assert "Hello!" in window.chat_view.toPlainText()


def test_model_manager_and_glossary_open(qtbot, window):
    window.open_model_manager()
    assert window.model_manager.isVisible()
    window.model_manager.close()
    window.open_glossary("temperature")
    assert window.glossary.isVisible()
    assert window.glossary.panel.current_term_id() == "temperature"
    window.glossary.close()


def test_export_and_import_from_the_window(qtbot, window, tmp_path):
    import json

    send(qtbot, window, "Export me, please.")
    md, js = tmp_path / "chat.md", tmp_path / "chat.json"
    assert window.export_conversation(str(md)) and window.export_conversation(str(js))
    assert "Export me, please." in md.read_text(encoding="utf-8")
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["format"] == "tinychat-conversation"
    before = window.sidebar.list_widget.count()
    assert window.import_conversation(str(js))
    assert window.sidebar.list_widget.count() == before + 1
    assert "Export me, please." in window.chat_view.toPlainText()
    broken = tmp_path / "broken.json"
    broken.write_text(js.read_text(encoding="utf-8")[:40], encoding="utf-8")
    assert not window.import_conversation(str(broken))
    assert window.banner.isVisible()


def test_the_template_choice_is_remembered_per_model(qtbot, window, fake_window, fake_model):
    from tinychat.core.settings import load_settings

    window.template_combo.setCurrentIndex(window.template_combo.findData("chatml"))
    window.close()
    saved = load_settings()
    assert saved.template_by_model[fake_model.name] == "chatml"
    again = fake_window(settings=saved)
    assert again.template_combo.currentData() == "chatml"
    assert "chatml" in again.template_reason.text()


def test_continue_carries_on_a_reply_cut_off_at_the_token_limit(qtbot, window):
    window.param_panel.set_params(GenerationParams(temperature=0.0, max_new_tokens=6))
    first = send(qtbot, window, "Count from one to twenty in words.")
    assert first.stats.stop_reason.value == "length"
    reply = window.conversation.branch()[-1]
    assert "Continue" in window.chat_view.toPlainText()
    rest = click_action(qtbot, window, "continue", reply.id)
    branch = window.conversation.branch()
    assert len(branch) == 2  # the same message grew; no new turn
    assert branch[-1].id == reply.id
    assert branch[-1].content == first.text + rest.text
    assert len(branch[-1].content) > len(first.text)


def test_use_its_settings_after_continue_reproduces_the_reply(qtbot, window):
    window.param_panel.set_params(SEEDED.replace(max_new_tokens=6, seed=None))
    first = send(qtbot, window, "Write a short story about a cat.")
    assert first.stats.stop_reason.value == "length"
    reply = window.conversation.branch()[-1]
    # Continue with a different seed: the reply's own seed and settings must survive it.
    window.param_panel.set_params(SEEDED.replace(max_new_tokens=12, seed=first.seed + 1))
    rest = click_action(qtbot, window, "continue", reply.id)
    continued = window.conversation.branch()[-1]
    assert continued.seed == first.seed and continued.generation_params().max_new_tokens == 6
    assert (
        continued.generation_stats().completion_tokens == first.stats.completion_tokens + rest.stats.completion_tokens
    )
    assert f"continued with seed {rest.seed}" in window.chat_view.toPlainText()
    click_action(qtbot, window, "settings", continued.id, wait=False)
    assert window.param_panel.params().seed == first.seed
    again = click_action(qtbot, window, "regenerate", continued.id)
    assert again.text == first.text


def test_the_temperature_lesson_changes_the_text_at_each_temperature(qtbot, model_window):
    window = model_window
    [action] = [a for a in window.lessons_menu.actions() if a.data() == "temperature"]
    action.trigger()
    assert "top-k 0, top-p 1, min-p 0, repeat penalty 1" in window.banner.text()
    params = window.param_panel.params()
    assert (params.top_k, params.top_p, params.min_p, params.repeat_penalty) == (0, 1.0, 0.0, 1.0)
    assert (params.temperature, params.seed) == (0.0, 1)
    first = send(qtbot, window, window.prompt_edit.toPlainText())
    texts = [first.text]
    reply = window.conversation.branch()[-1]
    for temperature in (0.7, 1.5):
        window.param_panel.rows["temperature"].set_value(temperature)
        result = click_action(qtbot, window, "regenerate", reply.id)
        assert result.seed == 1
        texts.append(result.text)
    assert len(set(texts)) == 3, texts
    # Visibly different: not one shared opening either.
    assert len({text.split()[0] for text in texts}) == 3 or len({text[:20] for text in texts}) == 3, texts


def test_new_conversation_leaves_no_pile_of_empty_entries(qtbot, window):
    send(qtbot, window, "Name three fruits.")
    for _ in range(3):
        window.new_button.click()
    assert window.sidebar.list_widget.count() == 2  # the conversation and one empty new one
    assert len(window.store.list_conversations()) == 2
