"""A dialog to write a prompt template: live syntax check, preview, save under a name."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

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

from tinychat.gui.plaintext import plain
from tinychat.core.templates import ChatTemplate, TemplateError, builtin, builtin_names, save_custom_template

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
        self.name_edit.setPlaceholderText(self.tr("my-template"))
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

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check_now)
        self.editor.textChanged.connect(self._timer.start)
        self.stops_edit.textChanged.connect(self._timer.start)
        self.resize(900, 520)
        self.check_now()

    def stops(self) -> tuple[str, ...]:
        return tuple(s.strip() for s in self.stops_edit.text().split("|") if s.strip())

    def template(self) -> ChatTemplate:
        name = self.name_edit.text().strip() or "custom"
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
        self._set_status(self.tr("The template works."), ok=True)
        return True

    def _set_status(self, text: str, ok: bool) -> None:
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
