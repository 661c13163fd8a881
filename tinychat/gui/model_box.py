"""The model and template boxes of the main window's settings column.

``ModelBox(window)`` builds the "Prompt template" group (the template list,
the reason for the choice, the editor button) and the "Model" group (GPU
layers, context window, reload), and answers which template the next reply
uses. The window keeps the widgets under their names (``template_combo``,
``template_reason``, ``gpu_layers``, ``context_size``, ``reload_button``,
``speculative_combo``, ``draft_model_edit``, ``draft_marks_check`` ...).
The texts keep the "MainWindow" translation context.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
    QVBoxLayout,
)

from tinychat.core.engine import ModelInfo
from tinychat.core.remote import server_template
from tinychat.core.settings import Settings
from tinychat.core.templates import ChatTemplate, TemplateError, builtin_names, custom_template_names, resolve_for_model
from tinychat.gui.engine_worker import LoadOptions
from tinychat.gui.load_controls import GpuLayersBox, batch_box, threads_box

if TYPE_CHECKING:
    from tinychat.gui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class ModelBox(QObject):
    """The template choice and the model's load options; says when the template for the next reply changed."""

    templateChanged = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.model_group = self._build_model_group()
        self.template_group = self._build_template_group()

    # -- building ------------------------------------------------------------

    def _build_template_group(self) -> QGroupBox:
        group = QGroupBox(_tr("Prompt template"))
        layout = QVBoxLayout(group)
        row = QHBoxLayout()
        self.template_combo = QComboBox()
        self.template_combo.setObjectName("templateCombo")
        # Long template names must not widen the settings column; the open list shows them whole.
        self.template_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.template_combo.setMinimumContentsLength(8)
        self.template_combo.setToolTip(
            _tr("How the conversation is written out for the model. Small models answer well only in their own format.")
        )
        self.template_edit_button = QPushButton(_tr("Edit…"))
        self.template_edit_button.setObjectName("editTemplates")
        self.template_edit_button.setToolTip(_tr("Write your own template, with a live check and preview"))
        self.template_edit_button.clicked.connect(self.open_template_editor)
        # The list has the column's whole width, so a template's name is not cut short.
        layout.addWidget(self.template_combo)
        self.template_reason = QLabel()
        self.template_reason.setObjectName("templateReason")
        self.template_reason.setWordWrap(True)
        self.template_reason.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.template_reason)
        row.addStretch(1)
        row.addWidget(self.template_edit_button)
        layout.addLayout(row)
        self.fill_template_combo()
        self.template_combo.currentIndexChanged.connect(self._on_template_changed)
        return group

    def _build_model_group(self) -> QGroupBox:
        group = QGroupBox(_tr("Model"))
        form = QFormLayout(group)
        self.gpu_layers = GpuLayersBox()
        self.gpu_layers.setObjectName("gpuLayers")
        self.threads = threads_box()
        self.threads.setObjectName("threads")
        self.batch_size = batch_box()
        self.batch_size.setObjectName("batchSize")
        self.context_size = QSpinBox()
        self.context_size.setObjectName("contextSize")
        self.context_size.setRange(0, 1_048_576)
        self.context_size.setSingleStep(512)
        self.context_size.setSpecialValueText(_tr("automatic"))
        self.context_size.setToolTip(
            _tr("How many tokens the model can read at once. Larger needs more memory. Automatic: up to 4096.")
        )
        self.reload_button = QPushButton(_tr("Reload with these settings"))
        self.reload_button.setObjectName("reloadModel")
        form.addRow(_tr("GPU layers"), self.gpu_layers)
        form.addRow(_tr("Context window"), self.context_size)
        form.addRow(_tr("Threads"), self.threads)
        form.addRow(_tr("Batch size"), self.batch_size)
        self._build_speculative_rows(form)
        form.addRow(self.reload_button)
        # A label goes above its box when the column is too narrow for both on one line.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        return group

    def _build_speculative_rows(self, form: QFormLayout) -> None:
        self.speculative_combo = QComboBox()
        self.speculative_combo.setObjectName("speculativeCombo")
        self.speculative_combo.addItem(_tr("off"), "off")
        self.speculative_combo.addItem(_tr("prompt lookup"), "lookup")
        self.speculative_combo.addItem(_tr("draft model"), "draft")
        self.speculative_combo.setToolTip(
            _tr(
                "Speculative decoding: guess the next tokens (by finding the last words earlier in the "
                "conversation, or with a smaller model) and let the model check all the guesses at once. The reply "
                "is the same; whether it is faster depends on the machine (see the glossary). Applies on reload."
            )
        )
        self.draft_model_edit = QLineEdit()
        self.draft_model_edit.setObjectName("draftModelEdit")
        self.draft_model_edit.setPlaceholderText(_tr("a smaller model with the same vocabulary"))
        self.draft_model_button = QPushButton(_tr("Choose…"))
        self.draft_model_button.setObjectName("chooseDraftModel")
        self.draft_model_button.clicked.connect(self._choose_draft_model)
        draft_row = QHBoxLayout()
        draft_row.addWidget(self.draft_model_edit, 1)
        draft_row.addWidget(self.draft_model_button)
        self.draft_marks_check = QCheckBox(_tr("Shade the guesses in the reply"))
        self.draft_marks_check.setObjectName("draftMarks")
        self.draft_marks_check.setToolTip(
            _tr("Green: a guessed token the model confirmed. Red: where the model corrected a guess.")
        )
        self.draft_marks_check.toggled.connect(lambda on: self._window.chat_view.set_draft_marks(on))
        self.speculative_combo.currentIndexChanged.connect(self._show_draft_rows)
        form.addRow(_tr("Speculative decoding"), self.speculative_combo)
        form.addRow(_tr("Draft model"), draft_row)
        self._draft_label = form.labelForField(draft_row)
        form.addRow(self.draft_marks_check)
        self._show_draft_rows()

    def _show_draft_rows(self) -> None:
        drafting = self.speculative_combo.currentData() == "draft"
        for widget in (self.draft_model_edit, self.draft_model_button, self._draft_label):
            if widget is not None:
                widget.setVisible(drafting)
        self.draft_marks_check.setVisible(self.speculative_combo.currentData() != "off")

    def _choose_draft_model(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self._window, _tr("Choose a draft model"), self.draft_model_edit.text(), _tr("GGUF models (*.gguf)")
        )
        if path:
            self.draft_model_edit.setText(path)

    def connect_speculation(self) -> None:
        """Each guessed token's mark goes to the chat (shading) and the status bar (the counts)."""
        self._window.controller.draftMark.connect(self._on_draft_mark)

    @Slot(object)
    def _on_draft_mark(self, mark) -> None:
        self._window.chat_view.mark_next_token(mark.accepted, mark.corrected)
        self._window.status_figures.show_draft_counts(mark.counts)

    # -- the template --------------------------------------------------------

    def fill_template_combo(self, select: str | None = None) -> None:
        current = select if select is not None else self.template_combo.currentData()
        self.template_combo.blockSignals(True)
        self.template_combo.clear()
        self.template_combo.addItem(_tr("The model's own choice"), "")
        for name in builtin_names():
            self.template_combo.addItem(name, name)
        for name in custom_template_names():
            self.template_combo.addItem(_tr("%1 (yours)").replace("%1", name), name)
        index = max(0, self.template_combo.findData(current or ""))
        self.template_combo.setCurrentIndex(index)
        self.template_combo.blockSignals(False)

    def current_template(self) -> ChatTemplate | None:
        """The template for the next reply, with the reason it was chosen (None: no model yet)."""
        info = self._window.controller.info
        if info is None:
            return None
        if info.endpoint:
            return server_template()  # the server formats the prompt; TinyChat sends it the messages
        override = self.template_combo.currentData() or None
        try:
            return resolve_for_model(info, override=override)
        except TemplateError as exc:
            self._window.show_banner(str(exc), error=True)
            return resolve_for_model(info)

    def _on_template_changed(self) -> None:
        info = self._window.controller.info
        if info is not None:
            self._window.settings.template_by_model[info.model_file] = self.template_combo.currentData() or ""
        self.show_template_reason()
        self.templateChanged.emit()

    def show_template_reason(self) -> None:
        template = self.current_template()
        if template is None:
            self.template_reason.setText(_tr("Load a model to see its template."))
            return
        text = template.reason or template.name
        if template.warning:
            text += "\n" + template.warning
        self.template_reason.setText(text)
        self.template_reason.setStyleSheet("color: #b00020;" if template.warning else "")

    def show_model(self, info: ModelInfo) -> None:
        """A model was loaded: the template remembered for it, and why that template."""
        self.fill_template_combo(select=self._window.settings.template_by_model.get(info.model_file, ""))
        # A server chooses its own template, context window and GPU use.
        self.template_combo.setEnabled(not info.endpoint)
        self.template_edit_button.setEnabled(not info.endpoint)
        self.model_group.setEnabled(not info.endpoint)
        self.show_template_reason()

    def open_template_editor(self) -> None:
        from tinychat.gui.template_editor import TemplateEditor

        template = self.current_template()
        info = self._window.controller.info
        editor = TemplateEditor(
            self._window,
            source=template.jinja if template is not None else "",
            # Editing one of your own templates keeps its name; a built-in gets a new one.
            name=template.name if template is not None and template.name in custom_template_names() else "",
            stops=template.stops if template is not None else (),
            bos_token=info.bos_token if info else "<s>",
            eos_token=info.eos_token if info else "</s>",
        )
        editor.saved.connect(lambda path: self.fill_template_combo(select=Path(path).stem))
        editor.exec()

    # -- load options ----------------------------------------------------------

    def load_options(self, settings: Settings) -> LoadOptions:
        return LoadOptions(
            n_ctx=self.context_size.value() or None,
            n_gpu_layers=self.gpu_layers.value() if self.gpu_layers.isEnabledTo(self.model_group) else 0,
            n_threads=self.threads.value() or None,
            n_batch=self.batch_size.value() or None,
            flash_attn=settings.flash_attn,
            speculative=self.speculative_combo.currentData() or "off",
            draft_model=self.draft_model_edit.text().strip(),
        )

    def restore(self, settings: Settings) -> None:
        self.gpu_layers.setValue(settings.n_gpu_layers if self.gpu_layers.isEnabledTo(self.model_group) else 0)
        self.context_size.setValue(settings.n_ctx or 0)
        self.threads.setValue(settings.n_threads)
        self.batch_size.setValue(settings.n_batch)
        self.speculative_combo.setCurrentIndex(max(0, self.speculative_combo.findData(settings.speculative)))
        self.draft_model_edit.setText(settings.draft_model)
        self.draft_marks_check.setChecked(settings.show_drafts)
        self._window.chat_view.set_draft_marks(settings.show_drafts)

    def remember(self, settings: Settings) -> None:
        if self.gpu_layers.isEnabledTo(self.model_group):
            settings.n_gpu_layers = self.gpu_layers.value()
        settings.n_ctx = self.context_size.value()
        settings.n_threads = self.threads.value()
        settings.n_batch = self.batch_size.value()
        settings.speculative = self.speculative_combo.currentData() or "off"
        settings.draft_model = self.draft_model_edit.text().strip()
        settings.show_drafts = self.draft_marks_check.isChecked()
