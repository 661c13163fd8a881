"""A dialog to write a prompt template: live syntax check, preview, save under a name."""

from __future__ import annotations

from pathlib import Path
from collections.abc import Sequence

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QColor, QFontDatabase, QTextCursor, QTextFormat
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
    TemplateError,
    builtin,
    builtin_names,
    save_custom_template,
)
from tinychat.gui.plaintext import plain
from tinychat.gui.window_fit import fit_to_screen

#: The conversation every preview renders: a system prompt and two turns.
SAMPLE_CONVERSATION = (
    {"role": "system", "content": "You are a friendly chatbot."},
    {"role": "user", "content": "What is a token?"},
    {"role": "assistant", "content": "A small piece of text, often part of a word."},
    {"role": "user", "content": "How many tokens is this sentence?"},
)
CHECK_DELAY_MS = 200
ERROR_LINE_COLOUR = QColor("#ffd6d6")


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

    def check_now(self) -> bool:
        """Compile and preview; show the error and mark its line. True when the template works."""
        self._timer.stop()
        self.error_line = None
        self._works = False
        if not self.editor.toPlainText().strip():
            self._set_status(self.tr("Write a template, or start from a built-in."), ok=False)
            self.preview.clear()
            self._mark_line(None)
            return False
        try:
            rendered = self.template().render(list(SAMPLE_CONVERSATION), bos_token=self._bos, eos_token=self._eos)
        except TemplateError as exc:
            self.error_line = exc.line
            self._set_status(str(exc), ok=False)
            self.preview.clear()
            self._mark_line(exc.line)
            return False
        self.preview.setPlainText(rendered.text)
        self._mark_line(None)
        self._works = True
        self._set_status(self.tr("The template works."), ok=True)
        self._update_save()
        return True

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
        works = getattr(self, "_works", False)
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
        """Save into the data folder's templates/; on a problem, say so and keep everything typed."""
        if not self.check_now():
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
