"""Speculative decoding in the real window: the Model box's switch, shaded guesses, the status bar's counts."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QScrollArea

from tinychat.app import create_app
from tinychat.core.settings import Settings
from tinychat.gui.chat_view import ChatView
from window_checks import clipped_widgets, language, screenshot_dir, settle

PARAGRAPH = (
    "The village library opened in 1921 with three hundred books donated by local families. For decades it was "
    "run by volunteers, who kept the doors open two evenings a week and lent books to farmers, teachers and children."
)


def _shaded(view: ChatView, mark: str) -> str:
    """The text of the conversation drawn on the background of ``mark``."""
    wanted = ChatView.draft_color(mark, view._dark())
    doc = view.document()
    found = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().background().color() == wanted:
                found.append(fragment.text())
            it += 1
        block = block.next()
    return "".join(found)


@pytest.mark.model
@pytest.mark.parametrize("lang", ["en", "es"])
def test_guessed_tokens_are_shaded_and_counted(qtbot, tmp_path, starter_path, lang):
    from tinychat.gui.main_window import MainWindow

    create_app()
    folder = screenshot_dir(tmp_path)
    with language(lang):
        win = MainWindow(starter_path, Settings(speculative="lookup", show_drafts=True))
        qtbot.addWidget(win)
        win.show()
        win.resize(1024, 768)
        win.reset_layout()
        qtbot.waitUntil(lambda: win.controller.info is not None, timeout=60000)
        assert win.model_box.speculative_combo.currentData() == "lookup"
        assert win.model_box.draft_marks_check.isVisibleTo(win)
        assert not win.model_box.draft_model_edit.isVisibleTo(win)
        win.param_panel.set_params(win.param_panel.params().replace(temperature=0.0, max_new_tokens=40, seed=3))
        win.prompt_edit.setPlainText(f"Rewrite this paragraph, keeping every fact: {PARAGRAPH}")
        with qtbot.waitSignal(win.controller.generationFinished, timeout=120000) as finished:
            win.send()
        settle()
        result = finished.args[0]
        stats = result.stats
        assert stats.speculative == "lookup" and stats.accepted > 0
        accepted = _shaded(win.chat_view, "accepted")
        # Every confirmed guess is shaded, and only text of the reply is.
        assert accepted
        assert len(accepted) <= len(result.text)
        assert all(word in result.text for word in accepted.split())
        label = win.status_figures.speculative_label
        assert label.isVisibleTo(win) and "%" in label.text()
        assert clipped_widgets(win) == []
        path = folder / f"speculative-1024x768-{lang}.png"
        assert win.grab().save(str(path))
        # The Model box with the switch, scrolled into view.
        column = win.model_box.speculative_combo.parent()
        while column is not None and not isinstance(column, QScrollArea):
            column = column.parent()
        assert column is not None
        column.ensureWidgetVisible(win.model_box.draft_marks_check)
        settle()
        assert win.grab().save(str(folder / f"speculative-model-box-1024x768-{lang}.png"))

        # The toggle off: the next reply streams without shading.
        win.model_box.draft_marks_check.setChecked(False)
        win.prompt_edit.setPlainText(f"Rewrite it again: {PARAGRAPH}")
        with qtbot.waitSignal(win.controller.generationFinished, timeout=120000):
            win.send()
        settle()
        assert not win.chat_view.reply_has_draft_marks


def test_the_model_box_shows_the_draft_row_only_for_a_draft_model(fake_window):
    win = fake_window()
    box = win.model_box
    assert not box.draft_model_edit.isVisibleTo(win)
    assert not box.draft_marks_check.isVisibleTo(win)
    box.speculative_combo.setCurrentIndex(box.speculative_combo.findData("draft"))
    assert box.draft_model_edit.isVisibleTo(win) and box.draft_marks_check.isVisibleTo(win)
    box.draft_model_edit.setText("/models/small.gguf")
    options = box.load_options(win.settings)
    assert (options.speculative, options.draft_model) == ("draft", "/models/small.gguf")
    box.remember(win.settings)
    assert (win.settings.speculative, win.settings.draft_model) == ("draft", "/models/small.gguf")
