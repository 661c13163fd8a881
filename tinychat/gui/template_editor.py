"""A dialog to write a prompt template: live syntax check, preview, save under a name.

The check compiles and renders the template on a thread of its own (the shared
:class:`~tinychat.gui.worker.BackgroundRunner`), so a template that loops until
the sandbox stops it (up to its time limit) never freezes the window: the
dialog keeps answering, says the template is being checked, and shows the
sentence once the sandbox has stopped it. Only the answer to the latest check
is shown, and a check that a newer one has replaced before it started is
skipped. Closing the dialog never waits for a running check: its thread is
told to end as soon as that check stops, and is waited for then.
"""

from __future__ import annotations

import atexit
import threading
import weakref
from pathlib import Path
from typing import Any
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QFontDatabase, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from tinychat.core.templates import (
    CUSTOM_NAME_RE,
    ChatTemplate,
    RenderedPrompt,
    TemplateError,
    builtin,
    builtin_names,
    save_custom_template,
)
from tinychat.gui.plaintext import plain
from tinychat.gui.window_fit import fit_to_screen
from tinychat.gui.worker import BackgroundRunner

#: The conversation every preview renders: a system prompt and two turns.
SAMPLE_CONVERSATION = (
    {"role": "system", "content": "You are a friendly chatbot."},
    {"role": "user", "content": "What is a token?"},
    {"role": "assistant", "content": "A small piece of text, often part of a word."},
    {"role": "user", "content": "How many tokens is this sentence?"},
)
CHECK_DELAY_MS = 200
# A check that has not answered after this long is announced in the status line.
SLOW_CHECK_MS = 300
ERROR_LINE_COLOUR = QColor("#ffd6d6")
_CHECK = "check"


class _Shared:
    """What the dialog and its check thread both read, under a lock: the latest check, and whether one runs."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latest = 0
        self.closed = False
        self.busy = False


def _check_work(
    shared: _Shared, serial: int, template: ChatTemplate, bos: str, eos: str
) -> Callable[[Any, Any], RenderedPrompt | None]:
    """The work for the check thread; it holds no reference to the dialog, which may be gone when it runs."""

    def work(_state: Any, _report: Any) -> RenderedPrompt | None:
        with shared.lock:
            if shared.closed or serial != shared.latest:
                return None  # a newer check replaced this one, or the dialog closed: nobody wants the answer
            shared.busy = True
        try:
            return template.render(list(SAMPLE_CONVERSATION), bos_token=bos, eos_token=eos)
        finally:
            with shared.lock:
                shared.busy = False

    return work


# Every check thread that may still run. A QThread destroyed while it runs aborts the process, so
# each runner stays referenced here, whatever happens to its dialog, until its thread has ended.
_live: set[BackgroundRunner] = set()


def _finished(runner: BackgroundRunner) -> None:
    runner.shutdown()  # idle, or its check has stopped: the thread ends at once
    _live.discard(runner)


def _finish_all() -> None:
    """Before TinyChat exits: end every check thread (a running check is bounded by the sandbox's time limit)."""
    for runner in list(_live):
        _finished(runner)


atexit.register(_finish_all)
#: The applications whose aboutToQuit already waits for the checks (one per process, in practice).
_quit_hooked: set[int] = set()


def _hook_quit() -> None:
    app = QCoreApplication.instance()
    if app is not None and id(app) not in _quit_hooked:
        app.aboutToQuit.connect(_finish_all)
        _quit_hooked.add(id(app))


class _CheckThread:
    """The editor's check thread: runs the latest check, drops stale answers, ends without blocking the dialog."""

    def __init__(self) -> None:
        self._runner: BackgroundRunner | None = None
        self._shared = _Shared()

    @property
    def running(self) -> bool:
        """True while the thread runs, including after :meth:`stop` while it finishes a check."""
        return self._runner is not None and self._runner.running

    @property
    def busy(self) -> bool:
        """True while a template is being rendered."""
        with self._shared.lock:
            return self._shared.busy

    def submit(
        self,
        template: ChatTemplate,
        bos: str,
        eos: str,
        on_done: Callable[[RenderedPrompt], None],
        on_failed: Callable[[str, BaseException], None],
    ) -> None:
        if self._runner is None or self._shared.closed:
            # First check, or the dialog is shown again after closing: a fresh thread.
            self._runner = BackgroundRunner("template-check", expected=(TemplateError,))
            self._shared = _Shared()
            _live.add(self._runner)
        _hook_quit()
        shared = self._shared
        with shared.lock:
            shared.latest += 1
            serial = shared.latest
        work = _check_work(shared, serial, template, bos, eos)
        self._runner.submit(work, kind=_CHECK, on_done=on_done, on_failed=on_failed)

    def cancel(self) -> None:
        """Drop the answer to the check on its way; a queued check is skipped, a running one ends by itself."""
        with self._shared.lock:
            self._shared.latest += 1
        if self._runner is not None:
            self._runner.forget(_CHECK)

    def stop(self) -> None:
        """Drop every answer still to come and end the thread, without waiting for a running check."""
        runner, shared = self._runner, self._shared
        with shared.lock:
            already, shared.closed = shared.closed, True
            busy = shared.busy
        if runner is None or already:
            return
        runner.forget(_CHECK)
        if runner not in _live:
            return  # already ended, or ending
        if not busy:
            _finished(runner)  # idle, or only skipped checks queued: it ends at once
            return
        # A check is running; the sandbox stops it within its time limit. The thread handles
        # requests in order, so the answer to this one means the check is over.
        runner.submit(lambda _state, _report: None, kind="finish", on_done=lambda _result: _finished(runner))


class TemplateEditor(QDialog):
    """Edit a Jinja chat template; the preview shows what it makes of a sample conversation."""

    #: Emitted with the saved file's path.
    saved = Signal(Path)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        source: str = "",
        name: str = "",
        stops: Sequence[str] = (),
        bos_token: str = "<s>",
        eos_token: str = "</s>",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("template_editor")
        self.setWindowTitle(self.tr("Prompt template editor"))
        self._bos, self._eos = bos_token, eos_token
        self.error_line: int | None = None
        self.saved_path: Path | None = None
        # The outcome of the latest answered check: whether it works, and for which text.
        self._works = False
        self._checked_source: str | None = None
        # The text save() was asked for before its check answered; saved when the check says it works.
        self._save_source: str | None = None
        # The text whose check has been asked for and not answered yet.
        self._pending: str | None = None
        self._checks = _CheckThread()
        # Deleted or collected without being closed: no answer may reach it, and its thread ends.
        self.destroyed.connect(self._checks.stop)
        weakref.finalize(self, self._checks.stop)

        self.start_from = QComboBox()
        self.start_from.setObjectName("template_start_from")
        self.start_from.addItem(self.tr("(keep my text)"), "")
        for builtin_name in builtin_names():
            self.start_from.addItem(builtin_name, builtin_name)
        self.start_from.activated.connect(self._start_from_builtin)

        self.name_edit = QLineEdit(name)
        self.name_edit.setObjectName("template_name")
        self.name_edit.setPlaceholderText(self.tr("a name for your template, e.g. my-template"))
        self.name_edit.textChanged.connect(self._update_save)
        self.stops_edit = QLineEdit(" | ".join(stops))
        self.stops_edit.setObjectName("template_stops")
        self.stops_edit.setPlaceholderText(self.tr("stop sequences, separated by |"))

        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.editor = QPlainTextEdit(source)
        self.editor.setObjectName("template_source")
        self.editor.setFont(mono)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("template_preview")
        self.preview.setReadOnly(True)
        self.preview.setFont(mono)
        self.status = plain(QLabel())
        self.status.setObjectName("template_status")
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Start from:"), self.start_from)
        form.addRow(self.tr("Name:"), self.name_edit)
        form.addRow(self.tr("Stops:"), self.stops_edit)

        splitter = QSplitter()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("Jinja template:")))
        left_layout.addWidget(self.editor)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel(self.tr("Preview on a sample conversation:")))
        right_layout.addWidget(self.preview)
        splitter.addWidget(left)
        splitter.addWidget(right)

        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("template_save")
        self.save_button.clicked.connect(self.save)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        for widget, label, description in (
            (self.start_from, self.tr("Start from"), self.tr("Replace the text with one of TinyChat's templates")),
            (self.name_edit, self.tr("Template name"), self.tr("The name the template is saved under")),
            (self.stops_edit, self.tr("Stop sequences"), self.tr("Texts that end the reply, separated by |")),
            (self.editor, self.tr("Jinja template"), self.tr("The template's source; it is checked as you type")),
            (self.preview, self.tr("Preview"), self.tr("The template applied to a sample conversation")),
            (self.save_button, "", self.tr("Save the template and use it")),
            (buttons.button(QDialogButtonBox.StandardButton.Close), "", self.tr("Close the editor")),
        ):
            if label:
                widget.setAccessibleName(label)
            widget.setAccessibleDescription(description)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check_now)
        self.editor.textChanged.connect(self._timer.start)
        self.stops_edit.textChanged.connect(self._timer.start)
        self.name_edit.textChanged.connect(self._timer.start)  # errors name the template
        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.setInterval(SLOW_CHECK_MS)
        self._slow.timeout.connect(self._say_checking)
        fit_to_screen(self, 1000, 640, near=parent, center=False)
        self.check_now()

    def stops(self) -> tuple[str, ...]:
        return tuple(s.strip() for s in self.stops_edit.text().split("|") if s.strip())

    def template(self) -> ChatTemplate:
        name = self.name_edit.text().strip() or self.tr("unnamed")
        return ChatTemplate(name=name, source=name, jinja=self.editor.toPlainText(), stops=self.stops())

    def _start_from_builtin(self, index: int) -> None:
        name = self.start_from.itemData(index)
        if name:
            chosen = builtin(name)
            self.editor.setPlainText(chosen.jinja)
            self.stops_edit.setText(" | ".join(chosen.stops))
            self.check_now()

    @property
    def checking(self) -> bool:
        """True from the moment a check is asked for until its answer is shown."""
        return self._pending is not None

    @property
    def check_thread_running(self) -> bool:
        """True while the check thread runs (after closing, until the check it was running has stopped)."""
        return self._checks.running

    def check_now(self) -> None:
        """Start compiling and previewing the text on the check thread; its answer updates status and preview."""
        self._timer.stop()
        source = self.editor.toPlainText()
        if not source.strip():
            self._checks.cancel()  # whatever was being checked no longer matters
            self._pending = None
            self._slow.stop()
            self._works, self._checked_source, self._save_source = False, source, None
            self.error_line = None
            self._set_status(self.tr("Write a template, or start from a built-in."), ok=False)
            self.preview.clear()
            self._mark_line(None)
            return
        self._checks.submit(
            self.template(),
            self._bos,
            self._eos,
            on_done=lambda rendered: self._on_checked(source, rendered),
            on_failed=lambda sentence, exc: self._on_check_failed(source, sentence, exc),
        )
        self._pending = source
        if not self._slow.isActive():
            self._slow.start()

    def _say_checking(self) -> None:
        if self._pending is not None:
            self.save_button.setEnabled(False)
            self.status.setText(self.tr("Checking the template…"))
            self.status.setStyleSheet("")

    def _on_checked(self, source: str, rendered: RenderedPrompt) -> None:
        self._pending = None
        self._slow.stop()
        self.error_line = None
        self._works, self._checked_source = True, source
        self.preview.setPlainText(rendered.text)
        self._mark_line(None)
        self._set_status(self.tr("The template works."), ok=True)
        self._update_save()
        if self._save_source is not None:
            wanted, self._save_source = self._save_source, None
            if wanted == source == self.editor.toPlainText():
                self.save()

    def _on_check_failed(self, source: str, sentence: str, exc: BaseException) -> None:
        self._pending = None
        self._slow.stop()
        self._works, self._checked_source, self._save_source = False, source, None
        self.error_line = getattr(exc, "line", None)
        self._set_status(sentence, ok=False)
        self.preview.clear()
        self._mark_line(self.error_line)

    def _works_now(self) -> bool:
        """The latest answered check says the text as it is now works."""
        return self._works and self._checked_source == self.editor.toPlainText()

    def _name_problem(self) -> str:
        name = self.name_edit.text().strip()
        if not name:
            return self.tr("The template works. Give it a name to save it.")
        if not CUSTOM_NAME_RE.match(name):
            return self.tr("Use letters, digits, '-', '_' or '.' in the name (at most 64 characters).")
        if name in builtin_names():
            return self.tr("'%1' is a built-in template; choose another name.").replace("%1", name)
        return ""

    def _update_save(self) -> None:
        """Save only what compiles, under a name that can be a file name."""
        works = self._works_now()
        problem = self._name_problem() if works else ""
        self.save_button.setEnabled(works and not problem)
        if works:
            self._set_status(problem or self.tr("The template works."), ok=not problem)

    def _set_status(self, text: str, ok: bool) -> None:
        if not ok:
            self.save_button.setEnabled(False)
        self.status.setText(text)
        self.status.setStyleSheet("" if ok else "color: #b00020;")

    def _mark_line(self, line: int | None) -> None:
        selections = []
        if line:
            block = self.editor.document().findBlockByNumber(line - 1)
            if block.isValid():
                selection = QTextEdit.ExtraSelection()
                selection.format.setBackground(ERROR_LINE_COLOUR)
                selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                selection.cursor = QTextCursor(block)
                selections.append(selection)
        self.editor.setExtraSelections(selections)

    def save(self) -> Path | None:
        """Save into the data folder's templates/; on a problem, say so and keep everything typed.

        Before the check of the text as it is now has answered, this starts that check and returns
        None; the text is saved (and ``saved`` emitted) when the check says it works.
        """
        source = self.editor.toPlainText()
        if not self._works_now():
            if self._pending != source:
                if self._checked_source == source:
                    return None  # checked, and it does not work: the status line says why
                self.check_now()
            self._save_source = source if self._pending == source else None  # saved when its check says it works
            return None
        try:
            path = save_custom_template(self.name_edit.text().strip(), self.editor.toPlainText(), self.stops())
        except (TemplateError, OSError) as exc:
            self._set_status(str(exc), ok=False)
            return None
        self.saved_path = path
        self._set_status(self.tr("Saved as {name}.").format(name=path.stem), ok=True)
        self.saved.emit(path)
        return path

    def _stop_checking(self) -> None:
        self._timer.stop()
        self._slow.stop()
        self._save_source = None
        self._pending = None
        self._checks.stop()

    def done(self, result: int) -> None:
        self._stop_checking()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        # A hidden dialog's close() does not go through done().
        self._stop_checking()
        super().closeEvent(event)
