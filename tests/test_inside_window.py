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
