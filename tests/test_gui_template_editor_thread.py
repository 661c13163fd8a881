"""The template editor checks on a thread of its own: a hostile template never freezes the dialog.

No assertion here is about speed: each one is about what the dialog shows, and
whether its event loop ran while a check was still under way.
"""

import logging

import pytest
from PySide6.QtCore import QTimer

from tinychat.gui import template_editor
from tinychat.gui.template_editor import TemplateEditor

#: Runs until the sandbox stops it at its time limit (two seconds).
LOOPING = (
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    "{{ messages[0]['content'] }}"
)
SIMPLE = "{{ messages[0]['content'] }}"
BRACKETS = "{% for m in messages %}[{{ m.content }}]{% endfor %}"
STOPPED = "was stopped because it ran for more than"
#: Generous: the check of LOOPING takes the sandbox's two seconds, on a machine that may be busy.
PATIENCE_MS = 30000


@pytest.fixture
def no_errors_logged(caplog):
    caplog.set_level(logging.INFO)
    yield
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def _editor(qtbot, source=SIMPLE, **kwargs):
    dialog = TemplateEditor(None, source=source, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_looping_template_leaves_the_dialog_answering_then_says_it_was_stopped(
    qtbot, monkeypatch, no_errors_logged
):
    monkeypatch.setattr(template_editor, "SLOW_CHECK_MS", 0)  # announce the check at the next turn of the loop
    dialog = _editor(qtbot)
    qtbot.waitUntil(lambda: "works" in dialog.status.text(), timeout=PATIENCE_MS)
    assert dialog.preview.toPlainText() == "You are a friendly chatbot."

    dialog.editor.setPlainText(LOOPING)
    dialog.check_now()  # what the pause after typing does
    # Before, check_now rendered here and returned two seconds later with the answer in place.
    seen = []
    QTimer.singleShot(0, lambda: seen.append((dialog.status.text(), getattr(dialog, "checking", None))))
    qtbot.waitUntil(lambda: bool(seen), timeout=PATIENCE_MS)
    status_then, checking_then = seen[0]
    assert STOPPED not in status_then, "the event loop only ran again once the check was over"
    assert checking_then is True
    # The dialog says what it is doing meanwhile, and Save waits for the answer.
    qtbot.waitUntil(lambda: "Checking the template" in dialog.status.text() or not dialog.checking, timeout=PATIENCE_MS)
    assert dialog.checking and "Checking the template" in dialog.status.text()
    assert not dialog.save_button.isEnabled()
    # Other widgets keep working while the check runs.
    dialog.name_edit.setText("mine")
    qtbot.keyClicks(dialog.stops_edit, "END")
    assert dialog.stops() == ("END",) and dialog.checking

    qtbot.waitUntil(lambda: STOPPED in dialog.status.text(), timeout=PATIENCE_MS)
    assert not dialog.checking
    assert not dialog.save_button.isEnabled()
    assert dialog.preview.toPlainText() == ""
    assert dialog.save() is None  # a template that cannot run is never saved


def test_a_stale_answer_never_replaces_the_latest(qtbot, no_errors_logged):
    dialog = _editor(qtbot)
    qtbot.waitUntil(lambda: "works" in dialog.status.text(), timeout=PATIENCE_MS)
    previews = []
    dialog.preview.textChanged.connect(lambda: previews.append(dialog.preview.toPlainText()))

    # An answer for an older text, while the latest check runs: it must not show up.
    dialog.editor.setPlainText(BRACKETS)
    dialog.check_now()
    dialog.editor.setPlainText(LOOPING)
    dialog.check_now()
    qtbot.waitUntil(lambda: STOPPED in dialog.status.text(), timeout=PATIENCE_MS)
    assert "[What is a token?]" not in "".join(previews)

    # The looping check's own answer, once the text has changed while it ran: dropped too.
    dialog.check_now()
    qtbot.waitUntil(lambda: dialog._checks.busy or not dialog.checking, timeout=PATIENCE_MS)
    previews.clear()
    dialog.editor.setPlainText(BRACKETS)
    dialog.check_now()
    qtbot.waitUntil(lambda: "works" in dialog.status.text(), timeout=PATIENCE_MS)
    assert STOPPED not in dialog.status.text()
    assert previews == [dialog.preview.toPlainText()]  # set once, never cleared by the stale failure
    assert "[What is a token?]" in dialog.preview.toPlainText()


def test_closing_while_a_check_runs_leaves_no_thread_running(qtbot, no_errors_logged):
    dialog = _editor(qtbot, source=LOOPING)
    qtbot.waitUntil(lambda: dialog._checks.busy, timeout=PATIENCE_MS)
    dialog.close()
    assert not dialog.isVisible()
    # close() did not wait for the check: the thread ends when the sandbox stops it.
    qtbot.waitUntil(lambda: not dialog.check_thread_running, timeout=PATIENCE_MS)
    assert dialog._checks._runner not in template_editor._live
    qtbot.wait(100)
    assert STOPPED not in dialog.status.text()  # nothing reaches a closed dialog


def test_a_dialog_deleted_while_a_check_runs_does_not_crash(qtbot, no_errors_logged):
    dialog = TemplateEditor(None, source=LOOPING)
    dialog.show()
    checks = dialog._checks
    qtbot.waitUntil(lambda: checks.busy, timeout=PATIENCE_MS)
    dialog.deleteLater()
    del dialog
    qtbot.waitUntil(lambda: not checks.running, timeout=PATIENCE_MS)
    assert checks._runner not in template_editor._live


def test_a_closed_dialog_shown_again_checks_again(qtbot, no_errors_logged):
    dialog = _editor(qtbot)
    qtbot.waitUntil(lambda: "works" in dialog.status.text(), timeout=PATIENCE_MS)
    dialog.close()
    assert not dialog.check_thread_running
    dialog.show()
    dialog.editor.setPlainText(BRACKETS)
    qtbot.waitUntil(lambda: "[What is a token?]" in dialog.preview.toPlainText(), timeout=PATIENCE_MS)


def test_save_before_the_check_answers_saves_once_it_works(qtbot, isolated_data_dir, no_errors_logged):
    dialog = _editor(qtbot, name="mine")
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=PATIENCE_MS)
    dialog.editor.setPlainText(BRACKETS)
    with qtbot.waitSignal(dialog.saved, timeout=PATIENCE_MS) as blocker:
        assert dialog.save() is None  # not checked yet: saved when the check says it works
    assert blocker.args == [isolated_data_dir / "templates" / "mine.jinja"]
    assert (isolated_data_dir / "templates" / "mine.jinja").read_text(encoding="utf-8") == BRACKETS
    assert "Saved as mine." in dialog.status.text()


def test_save_before_a_failing_check_answers_saves_nothing(qtbot, isolated_data_dir, no_errors_logged):
    dialog = _editor(qtbot, name="mine")
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=PATIENCE_MS)
    dialog.editor.setPlainText("{{ messages[0].content }\n")
    saved = []
    dialog.saved.connect(saved.append)
    assert dialog.save() is None
    qtbot.waitUntil(lambda: "line 1" in dialog.status.text(), timeout=PATIENCE_MS)
    qtbot.wait(100)
    assert saved == [] and not (isolated_data_dir / "templates" / "mine.jinja").exists()
    assert dialog.editor.toPlainText() == "{{ messages[0].content }\n"  # nothing typed is lost
