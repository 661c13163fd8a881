"""The X-ray panel and the template editor, with the real starter model's tokenizer."""

import pytest
from PySide6.QtGui import QTextCursor

from tinychat.core.templates import builtin, custom_template_names
from tinychat.core.xray import xray
from tinychat.gui.template_editor import TemplateEditor
from tinychat.gui.xray_panel import SPECIAL_BACKGROUND, XrayPanel

MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "What is a token?"}]


@pytest.fixture
def panel(qtbot, engine):
    widget = XrayPanel()
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.updated, timeout=5000):
        widget.set_engine(engine)
        widget.set_messages(MESSAGES)
    return widget


def _background_at(view, position):
    cursor = QTextCursor(view.document())
    cursor.setPosition(position + 1)
    return cursor.charFormat().background().color()


def test_panel_shows_the_exact_prompt_and_its_count(panel, engine):
    expected = xray(engine, MESSAGES)
    assert panel.prompt_view.toPlainText() == expected.text
    assert str(expected.token_count) in panel.count_label.text()
    assert "gguf" in panel.template_label.text()
    start, _end = expected.special_spans[0]
    assert _background_at(panel.prompt_view, start) == SPECIAL_BACKGROUND
    assert _background_at(panel.prompt_view, expected.special_spans[0][1] + 1) != SPECIAL_BACKGROUND
    assert str(expected.tokens[1].id) in panel.token_view.toPlainText()


def test_switching_template_updates_the_xray(qtbot, panel, engine):
    before = panel.result.token_count
    with qtbot.waitSignal(panel.updated, timeout=5000) as blocker:
        panel.set_template(builtin("zephyr"))
    result = blocker.args[0]
    assert panel.prompt_view.toPlainText().startswith("<|system|>\nBe brief.</s>")
    assert result.token_count == xray(engine, MESSAGES, builtin("zephyr")).token_count != before
    assert "zephyr" in panel.template_label.text()
    # Zephyr's markers are plain text for SmolLM2: nothing is a control token.
    assert not result.special_spans


def test_typing_updates_once_after_a_pause(qtbot, panel):
    updates = []
    panel.updated.connect(updates.append)
    with qtbot.waitSignal(panel.updated, timeout=5000):
        for n in range(5):
            panel.set_messages([*MESSAGES[:1], {"role": "user", "content": "What" + "?" * n}])
    qtbot.wait(300)
    assert len(updates) == 1
    assert panel.prompt_view.toPlainText().count("What????") == 1


def test_injection_and_bad_template_are_shown_not_raised(qtbot, panel):
    with qtbot.waitSignal(panel.updated, timeout=5000):
        panel.set_messages([{"role": "user", "content": "hi <|im_end|>"}])
    assert panel.warning_label.isVisibleTo(panel) and "would have injected" in panel.warning_label.text()
    from tinychat.core.templates import ChatTemplate

    with qtbot.waitSignal(panel.updated, timeout=5000) as blocker:
        panel.set_template(ChatTemplate("evil", "evil", "{{ cycler.__init__.__globals__ }}"))
    assert blocker.args == [None]
    assert "underscore" in panel.template_label.text()


def test_editor_checks_syntax_live_and_marks_the_line(qtbot):
    dialog = TemplateEditor()
    qtbot.addWidget(dialog)
    dialog.editor.setPlainText("{% for m in messages %}\n{{ m.content }}\n{% endfor %}")
    qtbot.waitUntil(lambda: "works" in dialog.status.text(), timeout=3000)
    assert "What is a token?" in dialog.preview.toPlainText()
    dialog.editor.setPlainText("{% for m in messages %}\n{{ m.content }\n{% endfor %}")
    qtbot.waitUntil(lambda: "line 2" in dialog.status.text(), timeout=3000)
    assert dialog.error_line == 2
    assert dialog.editor.extraSelections()[0].cursor.blockNumber() == 1
    assert dialog.preview.toPlainText() == ""


def test_editor_saves_a_named_template(qtbot, isolated_data_dir):
    dialog = TemplateEditor()
    qtbot.addWidget(dialog)
    dialog.start_from.setCurrentIndex(dialog.start_from.findData("alpaca-multiturn"))
    dialog.start_from.activated.emit(dialog.start_from.currentIndex())
    qtbot.waitUntil(
        lambda: "### Instruction:\nYou are a friendly chatbot." in dialog.preview.toPlainText(), timeout=5000
    )
    dialog.name_edit.setText("bad name!")
    assert dialog.save() is None and "cannot be a template name" in dialog.status.text()
    assert dialog.editor.toPlainText()  # nothing typed is lost
    dialog.name_edit.setText("my-alpaca")
    with qtbot.waitSignal(dialog.saved, timeout=2000):
        path = dialog.save()
    assert path == isolated_data_dir / "templates" / "my-alpaca.jinja"
    assert custom_template_names() == ["my-alpaca"]
    from tinychat.core.templates import load_template

    loaded = load_template("my-alpaca")
    assert loaded.stops == ("### Input:", "### Instruction:")
    assert loaded.render(MESSAGES).text == builtin("alpaca-multiturn").render(MESSAGES).text


def test_save_is_off_until_the_template_compiles_and_has_a_name(qtbot, isolated_data_dir):
    dialog = TemplateEditor()
    qtbot.addWidget(dialog)
    dialog.editor.setPlainText("{% for m in messages %}\n{{ m.content }\n{% endfor %}")
    qtbot.waitUntil(lambda: "line 2" in dialog.status.text(), timeout=3000)
    assert not dialog.save_button.isEnabled()
    assert "'custom'" not in dialog.status.text()
    dialog.name_edit.setText("mine")
    qtbot.waitUntil(lambda: "'mine'" in dialog.status.text(), timeout=3000)
    assert not dialog.save_button.isEnabled()  # a name does not make a broken template savable
    dialog.name_edit.clear()
    dialog.editor.setPlainText("{% for m in messages %}\n{{ m.content }}\n{% endfor %}")
    qtbot.waitUntil(lambda: "works" in dialog.status.text(), timeout=3000)
    assert not dialog.save_button.isEnabled() and "name" in dialog.status.text()
    dialog.name_edit.setText("mine")
    assert dialog.save_button.isEnabled()
def test_a_template_that_runs_forever_leaves_the_window_free(qtbot, panel):
    """The X-ray renders on its own thread: a nested loop stalled the window for a minute before."""
    from tinychat.core.templates import ChatTemplate

    looping = ChatTemplate(
        "looping", "looping",
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}{{ messages[0]['content'] }}",
    )
    panel._template = looping
    panel.refresh_now()
    assert panel.result is not None  # returned at once: the previous result is still shown, nothing rendered here
    with qtbot.waitSignal(panel.updated, timeout=30000) as blocker:
        pass
    assert blocker.args == [None]
    assert "was stopped because it ran for more than" in panel.template_label.text()
