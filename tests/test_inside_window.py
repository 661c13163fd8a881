"""The Look-inside window on the real starter model: each view shows, exports and can be cancelled."""

from __future__ import annotations

import json
import os

import pytest

from tinychat.gui.inside_window import InsideWindow

pytestmark = pytest.mark.model


@pytest.fixture
def window(qtbot, starter_path):
    w = InsideWindow(starter_path, "The capital of France is")
    qtbot.addWidget(w)
    w.resize(1024, 768)
    w.show()
    qtbot.waitUntil(lambda: w._ready or "could not" in w.message.text(), timeout=60000)
    yield w
    w.shutdown()


def _show(qtbot, w, view: str, timeout: int = 120000) -> None:
    w.tabs.setCurrentIndex(("tokens", "surprise", "lens", "attention").index(view))
    with qtbot.waitSignal(w.viewShown, timeout=timeout) as blocker:
        w.run_current()
    assert blocker.args == [view]


def test_every_view_shows_and_exports(window, qtbot, tmp_path):
    w = window
    _show(qtbot, w, "tokens")
    assert w.token_table.rowCount() == 5
    assert "␣Paris" not in w.token_text.toPlainText() and "␣capital" in w.token_text.toPlainText()
    assert "Spanish" in w.language_note.text()

    _show(qtbot, w, "surprise")
    assert "perplexity" in w.surprise_summary.text()
    assert w.surprise_table.rowCount() == 5

    _show(qtbot, w, "lens")
    assert w.lens_table.rowCount() == 31 and w.lens_table.columnCount() == 5
    assert w.lens_table.item(0, 4).text().startswith("␣Paris")  # the last layer is the top row
    assert "llama.cpp" in w.lens_check.text()

    _show(qtbot, w, "attention")
    assert len(w.small_maps) == 10
    w.small_maps[3].clicked.emit()
    assert w.head_combo.currentIndex() == 3 and w.big_map.matrix is not None

    if os.environ.get("TINYCHAT_SCREENSHOTS"):
        for view in ("tokens", "surprise", "lens", "attention"):
            w.tabs.setCurrentIndex(("tokens", "surprise", "lens", "attention").index(view))
            w.grab().save(os.path.join(os.environ["TINYCHAT_SCREENSHOTS"], f"inside-{view}.png"))

    for view in ("tokens", "surprise", "lens", "attention"):
        data = json.loads(_export(w, view, "json", tmp_path).read_text())
        assert len(data["sha256"] if "sha256" in data else data["a"]["sha256"]) == 64
        assert _export(w, view, "csv", tmp_path).read_text().startswith("# model: ")
        assert _export(w, view, "png", tmp_path).read_bytes()[:4] == b"\x89PNG"


def _export(w, view, kind, folder):
    path = folder / f"{view}.{kind}"
    assert w.export_to(view, kind, path), w.message.text()
    return path


def test_empty_text_and_cancel(window, qtbot):
    w = window
    w.text_edit.setPlainText("   ")
    with qtbot.waitSignal(w.errorShown, timeout=5000):
        w.run_current()
    assert "empty" in w.message.text()
    w.text_edit.setPlainText("The capital of France is")
    w.tabs.setCurrentIndex(2)
    with qtbot.waitSignal(w.errorShown, timeout=120000):
        w.run_current()
        w.cancel()
    assert "Cancelled" in w.message.text()
    assert "lens" not in w.results


def test_teach_menu_opens_look_inside(qtbot, starter_path):
    from tinychat.gui.main_window import MainWindow
    from tinychat.gui.teaching import install_teaching_actions

    win = MainWindow(None)
    qtbot.addWidget(win)
    teaching = install_teaching_actions(win)
    assert teaching.inside_action in teaching.menu.actions()
    if win.controller.info is None:
        assert teaching.open_inside() is None
        assert "No model" in teaching.last_message
    with qtbot.waitSignal(win.controller.modelLoaded, timeout=60000):
        win.controller.load_model(starter_path)
    win.prompt_edit.setPlainText("Hola, mundo")
    inside = teaching.open_inside()
    assert isinstance(inside, InsideWindow)
    assert inside.text_edit.toPlainText() == "Hola, mundo"
    qtbot.waitUntil(lambda: inside._ready, timeout=60000)
    win.close()
    assert teaching.windows == [] and inside._closed


def test_closing_while_a_view_runs_ends_the_thread(window, qtbot):
    w = window
    shown: list[str] = []
    w.viewShown.connect(shown.append)
    w.tabs.setCurrentIndex(2)
    w.run_current()
    assert w._runner.running
    assert w.shutdown()  # Cancel stops the lens between layers; the thread ends and frees the model
    assert not w._runner.running and w._runner.state is None
    qtbot.wait(200)
    assert shown == [] and "lens" not in w.results
    w.close()  # a second shutdown does nothing


def test_a_model_that_cannot_load_is_a_sentence(qtbot, tmp_path):
    missing = tmp_path / "missing.gguf"
    w = InsideWindow(missing)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.errorShown, timeout=60000) as blocker:
        pass
    message = blocker.args[0]
    assert message and "Something went wrong" not in message and "Traceback" not in message
    assert not w._ready and w.run_button.isEnabled()
    assert w.shutdown()


@pytest.fixture(scope="module")
def starter_q8(starter_path, tmp_path_factory):
    """The starter at another quantization (Q8_0), made from the Q4_1 file with llama.cpp's own quantizer."""
    import llama_cpp

    path = tmp_path_factory.mktemp("q8") / "SmolLM2-135M-Instruct.Q8_0.gguf"
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0
    params.allow_requantize = True
    params.nthread = 1
    assert llama_cpp.llama_model_quantize(str(starter_path).encode(), str(path).encode(), params) == 0
    return path


def test_count_in_offers_the_installed_models(window, qtbot, starter_q8):
    from tinychat.core import paths

    w = window
    installed = paths.models_dir() / starter_q8.name
    os.link(starter_q8, installed)
    w.fill_model_boxes()
    names = [w.count_combo.itemText(i) for i in range(w.count_combo.count())]
    assert names[0] == "(choose a model)" and names[-1] == "Other file…"
    assert any(n.startswith(starter_q8.name) for n in names)
    assert not any(n.startswith(w.model_path.name) for n in names)  # not the model loaded here
    w.tabs.setCurrentIndex(0)
    with qtbot.waitSignal(w.viewShown, timeout=60000):
        w._on_count_chosen(names.index(next(n for n in names if n.startswith(starter_q8.name))))
    assert w.other_count.text() == f"In {starter_q8.name}: 5 tokens."


def test_quantization_lesson_with_one_file_says_which_to_download(window):
    w = window
    w.fill_model_boxes([w.model_path])
    w.start_lesson()
    assert w.tabs.currentIndex() == 1
    assert "Only one quantization of SmolLM2-135M-Instruct is installed (Q4_1)" in w.lesson_note.text()
    assert "Q2_K and Q8_0" in w.lesson_note.text()


def test_quantization_lesson_compares_the_larger_file_with_the_smaller(window, qtbot, starter_q8):
    w = window
    w.text_edit.setPlainText("The capital of France is Paris. It is a big city with many museums and old streets.")
    w.fill_model_boxes([w.model_path, starter_q8])
    with qtbot.waitSignal(w.viewShown, timeout=120000):
        w.start_lesson()
    a, comparison = w.results["surprise"]
    assert a.model == starter_q8.name and comparison.b.model == w.model_path.name  # Q8_0 is the reference
    assert comparison.comparable and comparison.mean_kl > 0
    note = w.lesson_note.text()
    assert "quantization lesson" in note
    assert f"{w.model_path.name} against {starter_q8.name}: mean KL" in note
    assert "It moves most at token" in note
    kl_column = [w.surprise_table.item(r, 6).text() for r in range(1, w.surprise_table.rowCount())]
    assert all(float(k) >= 0 for k in kl_column)


def test_glossary_try_link_opens_the_tokenizer_playground(qtbot):
    """With no model loaded, the tokenizer playground opens on the starter: tokens need only its vocabulary."""
    from tinychat.gui.main_window import MainWindow

    win = MainWindow(None)
    qtbot.addWidget(win)
    win.open_glossary("tokens")
    panel = win.glossary.panel
    assert panel.try_button.isVisible()
    panel.try_button.click()
    inside = win.teaching.windows[-1]
    assert isinstance(inside, InsideWindow)
    assert inside.current_view() == "tokens"
    qtbot.waitUntil(lambda: inside._ready, timeout=60000)
    win.close()
    assert inside._closed


def test_a_base_model_is_marked_as_completing_text(qtbot, starter_path, tmp_path):
    """Named as the catalog's Gemma file, any model is shown with the catalog's mark (the real Gemma is not used)."""
    named = tmp_path / "gemma-3-270m-q4_k_m.gguf"
    os.link(starter_path, named)
    w = InsideWindow(named, "La capital de Francia es")
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: w._ready, timeout=60000)
    assert "(completes text, does not chat) is ready" in w.message.text()
    assert w.raw_check.isChecked()
    w.shutdown()
