"""A/B compare: one prompt, one seed, two settings (or two models), streamed side by side.

Each column has its own ``EngineController``, so each model runs on its own
thread and the two replies stream at the same time.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tinychat.core.catalog import display_name
from tinychat.gui.plaintext import plain, plain_rich
from tinychat.core.params import SEED_MAX, SPECS, GenerationParams
from tinychat.core.results import GenerationResult
from tinychat.gui.engine_worker import EngineController
from tinychat.gui.param_panel import ParamRow
from tinychat.gui.window_fit import fit_to_screen
from tinychat.gui.numbers import number

COLUMN_PARAMS = ("temperature", "top_k", "top_p", "min_p", "repeat_penalty", "max_new_tokens")


class CompareColumn(QGroupBox):
    """One side: its model, its settings, its reply and its numbers."""

    finished = Signal()

    def __init__(
        self, title: str, model_path: str | Path | None, params: GenerationParams, parent: QWidget | None = None
    ):
        super().__init__(title, parent)
        self.controller = EngineController(self)
        self.model_path = str(model_path) if model_path else ""
        self.result: GenerationResult | None = None
        self.error = ""
        self._pending: tuple[list[dict[str, str]], GenerationParams] | None = None
        layout = QVBoxLayout(self)
        model_row = QHBoxLayout()
        self.model_label = plain(QLabel())
        self.model_label.setWordWrap(True)
        self.model_label.setTextFormat(Qt.TextFormat.PlainText)  # file names are data, never markup
        self.model_button = QPushButton(self.tr("Other model…"))
        self.model_button.clicked.connect(self._choose_model)
        model_row.addWidget(self.model_label, 1)
        model_row.addWidget(self.model_button)
        layout.addLayout(model_row)
        form = QFormLayout()
        self.rows: dict[str, ParamRow] = {}
        for name in COLUMN_PARAMS:
            row = ParamRow(SPECS[name])
            row.set_value(float(getattr(params, name)))
            form.addRow(QLabel(QCoreApplication.translate("Params", SPECS[name].label)), row)
            self.rows[name] = row
        layout.addLayout(form)
        self.output = QPlainTextEdit()
        self.output.setReadOnly(True)
        font = QFont(self.output.font())
        font.setPointSizeF(max(13.0, font.pointSizeF() * 1.25))
        self.output.setFont(font)
        layout.addWidget(self.output, 1)
        self.stats = plain(QLabel())
        self.stats.setWordWrap(True)
        layout.addWidget(self.stats)
        self.model_button.setAccessibleName(self.tr("Other model for %1").replace("%1", title))
        self.model_button.setAccessibleDescription(self.tr("Choose another model file for this side"))
        self.output.setAccessibleName(self.tr("Reply %1").replace("%1", title))
        self.output.setAccessibleDescription(self.tr("The reply written with this side's settings"))
        self._base = params
        self.controller.modelLoaded.connect(self._on_loaded)
        self.controller.modelLoadFailed.connect(self._on_load_failed)
        self.controller.token.connect(self._on_token)
        self.controller.generationFinished.connect(self._on_finished)
        self.controller.generationFailed.connect(self._on_failed)
        if self.model_path:
            self.load(self.model_path)
        else:
            self.model_label.setText(self.tr("No model: choose one with “Other model…”."))

    def params(self, seed: int) -> GenerationParams:
        values = {name: row.value() for name, row in self.rows.items()}
        values["top_k"] = int(values["top_k"])
        values["max_new_tokens"] = int(values["max_new_tokens"])
        return self._base.replace(seed=seed, **values)

    def load(self, path: str) -> None:
        self.model_path = path
        self.model_label.setText(self.tr("Loading {name}…").format(name=Path(path).name))
        self.controller.load_model(path)

    def _choose_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a model file"), "", self.tr("GGUF models (*.gguf)"))
        if path:
            self.load(path)

    def run(self, messages: list[dict[str, str]], seed: int) -> None:
        self.output.clear()
        self.stats.clear()
        self.result, self.error = None, ""
        params = self.params(seed)
        if self.controller.loading:
            self._pending = (messages, params)
            self.stats.setText(self.tr("Waiting for the model to load…"))
            return
        if self.controller.info is None:
            self.error = self.tr("No model is loaded in this column. Choose a model file.")
            self.stats.setText(self.error)
            self.finished.emit()
            return
        self.controller.generate(messages, params)

    @property
    def busy(self) -> bool:
        return self.controller.generating or self._pending is not None

    def _on_loaded(self, info) -> None:
        self.model_label.setText(display_name(info.path))
        self.model_label.setToolTip(plain_rich(str(info.path)))
        if self._pending is not None:
            messages, params = self._pending
            self._pending = None
            self.controller.generate(messages, params)

    def _on_load_failed(self, message: str) -> None:
        self.model_label.setText(message)
        if self._pending is not None:
            self._pending = None
            self.error = message
            self.stats.setText(message)
            self.finished.emit()

    def _on_token(self, piece: str) -> None:
        self.output.moveCursor(self.output.textCursor().MoveOperation.End)
        self.output.insertPlainText(piece)

    def _on_finished(self, result: GenerationResult) -> None:
        self.result = result
        s = result.stats
        reasons = {
            "eos": self.tr("the model ended its turn"),
            "length": self.tr("token limit"),
            "stopped": self.tr("stopped by you"),
            "error": self.tr("error"),
        }
        self.stats.setText(
            self.tr(
                "{tokens} tokens · {speed} tokens/s · first token after {ttft} s · stopped: {reason} · seed {seed}"
            ).format(
                tokens=number(s.completion_tokens),
                speed=number(s.tokens_per_s or 0.0, 1),
                ttft=number(s.ttft_s or 0.0, 2),
                reason=reasons.get(s.stop_reason.value, s.stop_reason.value),
                seed=result.seed,
            )
        )
        self.finished.emit()

    def _on_failed(self, message: str) -> None:
        self.error = message
        self.stats.setText(message)
        self.finished.emit()

    def shutdown(self) -> None:
        self.controller.shutdown()


class ABCompareWindow(QMainWindow):
    #: Both columns have finished (or failed).
    bothFinished = Signal()

    def __init__(self, model_path: str | Path | None, prompt: str = "", parent: QWidget | None = None,
                 params: GenerationParams | None = None):
        super().__init__(parent)
        self.setObjectName("abCompare")
        self.setWindowTitle(self.tr("A/B compare"))
        params = params or GenerationParams()
        central = QWidget()
        layout = QVBoxLayout(central)
        top = QHBoxLayout()
        self.prompt_edit = QPlainTextEdit(prompt)
        self.prompt_edit.setPlaceholderText(self.tr("One prompt for both sides"))
        self.prompt_edit.setMaximumHeight(90)
        top.addWidget(self.prompt_edit, 1)
        side = QVBoxLayout()
        seed_row = QHBoxLayout()
        seed_row.addWidget(QLabel(self.tr("Seed (the same for both)")))
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, SEED_MAX)
        self.seed_box.setValue(params.seed if params.seed is not None and params.seed >= 0 else 42)
        seed_row.addWidget(self.seed_box)
        side.addLayout(seed_row)
        self.run_button = QPushButton(self.tr("Run both"))
        self.run_button.clicked.connect(self.run)
        side.addWidget(self.run_button)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.clicked.connect(self.stop)
        side.addWidget(self.stop_button)
        self.message = plain(QLabel())
        self.message.setWordWrap(True)
        side.addWidget(self.message)
        top.addLayout(side)
        layout.addLayout(top)
        columns = QHBoxLayout()
        self.a = CompareColumn(self.tr("A"), model_path, params)
        other = params.replace(temperature=min(2.0, float(params.temperature) + 0.7))
        self.b = CompareColumn(self.tr("B"), model_path, other)
        for column in (self.a, self.b):
            column.finished.connect(self._column_finished)
            columns.addWidget(column, 1)
        layout.addLayout(columns, 1)
        self.setCentralWidget(central)
        fit_to_screen(self, 1280, 820, near=self.parentWidget())
        for widget, name, description in (
            (self.prompt_edit, self.tr("Prompt"), self.tr("One prompt for both sides")),
            (self.seed_box, self.tr("Seed"), self.tr("The seed both sides use, so only the settings differ")),
            (self.run_button, "", self.tr("Generate both replies at once")),
            (self.stop_button, "", self.tr("Stop both replies")),
        ):
            if name:
                widget.setAccessibleName(name)
            widget.setAccessibleDescription(description)
        self._closed = False

    def run(self) -> None:
        prompt = self.prompt_edit.toPlainText()
        if not prompt.strip():
            self.message.setText(self.tr("Type a prompt first."))
            return
        if self.a.busy or self.b.busy:
            self.message.setText(self.tr("Wait for both replies to finish, or press Stop."))
            return
        self.message.clear()
        messages = [{"role": "user", "content": prompt}]
        self.run_button.setEnabled(False)
        for column in (self.a, self.b):
            column.run(messages, self.seed_box.value())

    def stop(self) -> None:
        self.a.controller.stop()
        self.b.controller.stop()

    def _column_finished(self) -> None:
        if not (self.a.busy or self.b.busy):
            self.run_button.setEnabled(True)
            self.bothFinished.emit()

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self.a.shutdown()
        self.b.shutdown()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
