"""The window saves each conversation's prompt state after a reply and loads it when the conversation is reopened."""

import pytest

from tinychat.app import create_app
from tinychat.core.engine import Engine
from tinychat.core.params import GenerationParams
from tinychat.core.saved_state import SUFFIX
from tinychat.gui.main_window import MainWindow

pytestmark = pytest.mark.model

SEEDED = GenerationParams(temperature=1.0, top_k=0, top_p=1.0, min_p=0.0, max_new_tokens=24, seed=5)


def _window(qtbot, path):
    create_app()
    win = MainWindow(path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.controller.info is not None, timeout=30000)
    win.param_panel.set_params(SEEDED)
    return win


def _send(qtbot, win, text):
    win.prompt_edit.setPlainText(text)
    with qtbot.waitSignal(win.conversation.replyFinished, timeout=60000) as blocker:
        win.send_button.click()
    return blocker.args[0]


def test_a_conversation_reopened_after_a_restart_reads_only_the_new_message(qtbot, starter_path, isolated_data_dir):
    states = isolated_data_dir / "kv-states"
    first_window = _window(qtbot, starter_path)
    first = _send(qtbot, first_window, "Tell me about the sea.")
    conversation_id = first_window.conversation.conversation_id
    qtbot.waitUntil(lambda: any(states.glob(f"*{SUFFIX}")), timeout=30000)
    first_window.close()

    win = _window(qtbot, starter_path)  # a new model thread and engine, as after a restart
    win.sidebar.select_conversation(conversation_id)
    reply = _send(qtbot, win, "And the sky?")
    # Only the new message (and the assistant's header after it), not the first turn.
    assert reply.stats.prompt_tokens_evaluated <= 12 < first.stats.prompt_tokens

    # The same reply as an engine that reads the whole conversation from its first token.
    messages = win.conversation.prompt_messages(system_prompt=win._system_prompt())[:-1]
    fresh = Engine()
    try:
        fresh.load(starter_path)
        cold = fresh.generate(messages, SEEDED, template=win.current_template())
    finally:
        fresh.close()
    assert cold.stats.prompt_tokens_evaluated == reply.stats.prompt_tokens
    assert cold.text == reply.text
    win.close()
