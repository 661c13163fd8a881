"""The model and template boxes of the main window's settings column.

``ModelBox(window)`` builds the "Prompt template" group (the template list,
the reason for the choice, the editor button) and the "Model" group (GPU
layers, context window, reload), and answers which template the next reply
uses. The window keeps the widgets under their names (``template_combo``,
``template_reason``, ``gpu_layers``, ``context_size``, ``reload_button`` ...).
The texts keep the "MainWindow" translation context.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout

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
        form.addRow(self.reload_button)
        # A label goes above its box when the column is too narrow for both on one line.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        return group

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
        )

    def restore(self, settings: Settings) -> None:
        self.gpu_layers.setValue(settings.n_gpu_layers if self.gpu_layers.isEnabledTo(self.model_group) else 0)
        self.context_size.setValue(settings.n_ctx or 0)
        self.threads.setValue(settings.n_threads)
        self.batch_size.setValue(settings.n_batch)

    def remember(self, settings: Settings) -> None:
        if self.gpu_layers.isEnabledTo(self.model_group):
            settings.n_gpu_layers = self.gpu_layers.value()
        settings.n_ctx = self.context_size.value()
        settings.n_threads = self.threads.value()
        settings.n_batch = self.batch_size.value()
