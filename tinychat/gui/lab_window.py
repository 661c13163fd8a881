"""The Sampling Lab: the real model's next-token distribution, and what each slider does to it.

The lab loads its own copy of the model on its own thread (the chat's engine
stays free for the chat). The model runs only when the prompt changes or a
step is taken; the worker sends back the raw scores for the next position, and
every slider move re-runs the sampling pipeline on those cached scores on the
GUI thread. That is numpy on one vocabulary-sized vector (about 2-5 ms for a
49k vocabulary, see ``LabWindow.last_pipeline_ms``), so the chart follows the
slider without waiting for the model.
"""

from __future__ import annotations

import html
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPointF, QRect, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tinychat.core.engine import Engine, EngineError, ModelInfo
from tinychat.core.experiment import ExperimentRun
from tinychat.core.lab import ChartData, chart_data, sample_histogram
from tinychat.core.params import SPECS, GenerationParams, ParamError
from tinychat.core.probe import ProbeError, next_token, token_piece
from tinychat.core.sampling import SamplingError, SamplingTrace, readable_token, run_pipeline
from tinychat.core.stepper import StepSession
from tinychat.core.templates import TemplateError
from tinychat.gui.charts import TokenProbabilityChart
from tinychat.gui.param_panel import ParamRow
from tinychat.gui.numbers import number, percent
from tinychat.gui.window_fit import fit_to_screen
from tinychat.gui.worker import BackgroundRunner, Report

log = logging.getLogger("tinychat.gui.lab")

LAB_PARAMS = ("temperature", "top_k", "top_p", "min_p", "repeat_penalty")
CHART_ROWS = 15
SAMPLE_DRAWS = 100


def _two_lines(text: str) -> str:
    """``text`` broken at the space nearest its middle (a table header that needs little width)."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    if not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:cut] + "\n" + text[cut + 1 :]


@dataclass(frozen=True)
class LabState:
    """What the worker sends back after each model request: the scores for the next token, and the steps so far."""

    logits: np.ndarray
    prompt_text: str
    prompt_tokens: int
    #: Step mode only: (piece, forced, raw prob, final prob) per chosen token, and the ids for the penalty.
    steps: tuple[tuple[str, bool, float, float], ...] = ()
    recent: tuple[int, ...] = ()
    finished: bool = False
    stepping: bool = False
    note: str = ""
    extra: dict = field(default_factory=dict)


class LabModel:
    """The lab's engine and step session; lives on the lab's model thread, used only there."""

    def __init__(self) -> None:
        self.engine = Engine()
        self.session: StepSession | None = None

    def close(self) -> None:
        self.session = None
        self.engine.close()

    def load(self, path: str) -> tuple[ModelInfo, tuple[str, ...]]:
        info = self.engine.load(path)
        return info, tuple(token_piece(self.engine, t) for t in range(info.n_vocab))

    def probe(self, prompt: str, raw: bool, system: str) -> LabState:
        self.session = None
        result = next_token(self.engine, prompt, raw=raw, system=system or None)
        return LabState(result.logits, result.prompt_text, len(result.prompt_tokens))

    def start_steps(self, prompt: str, raw: bool, system: str, params: GenerationParams) -> LabState:
        self.session = None
        self.session = StepSession.from_prompt(self.engine, prompt, params, raw=raw, system=system or None)
        return self._session_state()

    def step(self, force: int | None, params: GenerationParams) -> LabState:
        session = self._require_session()
        self._use_params(session, params)
        session.step(force)
        return self._session_state()

    def rewind(self) -> LabState:
        self._require_session().rewind(1)
        return self._session_state()

    def export(self, path: str, kind: str) -> str:
        if self.session is None:
            raise LabError(QCoreApplication.translate(
                "LabWorker", "There is nothing to export yet: generate some tokens in step mode first."
            ))
        run = ExperimentRun.from_session(self.session)
        return str(run.write_json(path) if kind == "json" else run.write_csv(path))

    def _require_session(self) -> StepSession:
        if self.session is None:
            raise LabError(QCoreApplication.translate("LabWorker", "Start step mode first."))
        return self.session

    @staticmethod
    def _use_params(session: StepSession, params: GenerationParams) -> None:
        """The lab's sliders apply to the next step; the seed of the session stays."""
        session.use_params(params)

    def _session_state(self) -> LabState:
        s = self.session
        assert s is not None
        return LabState(
            logits=s.logits.copy(),
            prompt_text=s.prompt_text,
            prompt_tokens=len(s.prompt_tokens),
            steps=tuple((st.piece, st.forced, st.raw_prob, st.prob) for st in s.steps),
            recent=tuple(s.tokens[-s.penalty_last_n :]),
            finished=s.finished,
            stepping=True,
            note=s.finished_reason() if s.finished else "",
        )


class LabError(Exception):
    """A lab request that cannot be done now; the text is the sentence to show."""


#: Failures whose text is a sentence for the person (anything else is logged as a bug, with its traceback).
LAB_EXPECTED_ERRORS = (LabError, EngineError, ProbeError, SamplingError, ParamError, TemplateError, OSError)
class CountBarDelegate(QStyledItemDelegate):
    """A count and a bar whose length is the count out of ``total``, scaled to the cell's width.

    A row of █ characters would be elided in a narrow cell (the most frequent
    token then drew no bar at all); a painted bar always fits and stays proportional.
    """

    def __init__(self, total: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.total = max(1, total)

    def bar_rect(self, cell, count: int, number_width: int):
        """Where the bar for ``count`` goes in ``cell``, right of the number."""
        left = cell.left() + number_width + 8
        room = max(0, cell.right() - 4 - left)
        height = max(4, cell.height() // 2)
        width = round(room * min(count, self.total) / self.total)
        return QRect(left, cell.top() + (cell.height() - height) // 2, width, height)

    def paint(self, painter, option, index) -> None:
        count = index.data(Qt.ItemDataRole.UserRole)
        if count is None:
            super().paint(painter, option, index)
            return
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
        number = str(count)
        metrics = option.fontMetrics
        number_width = metrics.horizontalAdvance(str(self.total))
        text_rect = option.rect.adjusted(4, 0, 0, 0)
        text_rect.setWidth(number_width)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(option.palette.color(role))
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), number)
        bar = self.bar_rect(option.rect, int(count), number_width + 4)
        if bar.width() > 0:
            bar_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight
            painter.fillRect(bar, option.palette.color(bar_role))
        painter.restore()


class LabWindow(QMainWindow):
    """The Sampling Lab. ``requests`` counts the requests sent to the model thread."""

    #: Emitted when a model answer has been shown (for tests and the status line).
    stateShown = Signal()
    errorShown = Signal(str)
    exportFinished = Signal(str)

    def __init__(
        self,
        model_path: str | Path | None,
        params: GenerationParams,
        prompt: str = "",
        system: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("samplingLab")
        self.setWindowTitle(self.tr("Sampling Lab"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self._base_params = params
        self._system = system
        self.requests = 0
        self.pieces: tuple[str, ...] = ()
        self.info = None
        self.state: LabState | None = None
        self.trace: SamplingTrace | None = None
        self.chart_rows: ChartData | None = None
        self.last_pipeline_ms = 0.0
        self._histogram_seed = 0

        self._build(prompt)
        self._apply_params(params)

        self._runner: BackgroundRunner[LabModel] = BackgroundRunner(
            "lab-model", make_state=LabModel, close_state=LabModel.close, expected=LAB_EXPECTED_ERRORS, parent=self
        )
        self._closed = False

        if model_path:
            self._set_busy(True, self.tr("Loading {name}…").format(name=Path(model_path).name))
            path = str(model_path)
            self._send(lambda lab, _report: lab.load(path), self._on_loaded)
        else:
            self._show_error(self.tr("No model is loaded. Load a model in the main window, then open the lab again."))
            self._set_enabled(False)

    # -- building ------------------------------------------------------------

    def _build(self, prompt: str) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        big = QFont(self.font())
        big.setPointSizeF(max(11.0, big.pointSizeF() * 1.15))
        central.setFont(big)

        top = QHBoxLayout()
        self.prompt_edit = QPlainTextEdit(prompt)
        self.prompt_edit.setObjectName("labPrompt")
        self.prompt_edit.setPlaceholderText(self.tr("Type the start of a text, e.g. The capital of France is"))
        self.prompt_edit.setMaximumHeight(90)
        top.addWidget(self.prompt_edit, 1)
        column = QVBoxLayout()
        self.raw_check = QCheckBox(self.tr("Raw text (no chat template)"))
        self.raw_check.setToolTip(
            self.tr(
                "Checked: the model simply continues the text. Unchecked: the text is a user message in the chat "
                "template."
            )
        )
        self.raw_check.setChecked(True)
        self.run_button = QPushButton(self.tr("Show next token"))
        self.run_button.setObjectName("labRun")
        self.run_button.clicked.connect(self.probe)
        column.addWidget(self.raw_check)
        column.addWidget(self.run_button)
        column.addStretch(1)
        top.addLayout(column)
        outer.addLayout(top)

        self.message = QLabel()
        self.message.setObjectName("labMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.message)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        sliders = QGroupBox(self.tr("Sampler settings"))
        form = QFormLayout(sliders)
        self.rows: dict[str, ParamRow] = {}
        for name in LAB_PARAMS:
            spec = SPECS[name]
            row = ParamRow(spec)
            row.valueChanged.connect(self.redraw)
            form.addRow(QLabel(_label(spec.label)), row)
            self.rows[name] = row
        # The slider covers useful values; the number box accepts any k, even more than the vocabulary.
        self.rows["top_k"].box.setMaximum(10_000_000)
        left_layout.addWidget(sliders)

        self.stage_table = QTableWidget(0, 4)
        self.stage_table.setObjectName("stageTable")
        # Headers on two lines, so the numbers' columns stay narrow and the note keeps its room in any language.
        self.stage_table.setHorizontalHeaderLabels(
            [_two_lines(self.tr("Stage")), _two_lines(self.tr("Tokens left")),
             _two_lines(self.tr("Entropy (bits)")), self.tr("Note")]
        )
        self.stage_table.verticalHeader().setVisible(False)
        self.stage_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.stage_table.setMinimumWidth(self.stage_table.fontMetrics().averageCharWidth() * 58)
        self.stage_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.stage_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.stage_table.setWordWrap(True)
        left_layout.addWidget(self.stage_table, 1)
        splitter.addWidget(left)

        tabs = QTabWidget()
        self.tabs = tabs
        chart_page = QWidget()
        chart_layout = QVBoxLayout(chart_page)
        self.chart = TokenProbabilityChart()
        self.chart.setToolTip(self.tr("In step mode, click a token to choose it as the next one."))
        self.chart.installEventFilter(self)
        chart_layout.addWidget(self.chart, 1)
        tabs.addTab(chart_page, self.tr("Next token"))

        hist_page = QWidget()
        hist_layout = QVBoxLayout(hist_page)
        self.sample_button = QPushButton(self.tr("Sample {n} times").format(n=SAMPLE_DRAWS))
        self.sample_button.setObjectName("labSample")
        self.sample_button.clicked.connect(self.sample)
        hist_layout.addWidget(self.sample_button)
        self.hist_table = QTableWidget(0, 3)
        self.hist_table.setObjectName("histogramTable")
        self.hist_table.setHorizontalHeaderLabels(
            [self.tr("Token"), self.tr("Times drawn"), self.tr("Expected")]
        )
        self.hist_table.verticalHeader().setVisible(False)
        self.hist_table.setItemDelegateForColumn(1, CountBarDelegate(SAMPLE_DRAWS, self.hist_table))
        self.hist_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.hist_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        hist_layout.addWidget(self.hist_table, 1)
        tabs.addTab(hist_page, self.tr("Sample {n} times").format(n=SAMPLE_DRAWS))

        step_page = QWidget()
        step_layout = QVBoxLayout(step_page)
        buttons = QHBoxLayout()
        self.start_button = QPushButton(self.tr("Start step mode"))
        self.next_button = QPushButton(self.tr("Next token"))
        self.rewind_button = QPushButton(self.tr("Rewind"))
        self.export_button = QPushButton(self.tr("Export…"))
        for button, slot in (
            (self.start_button, self.start_steps),
            (self.next_button, lambda: self.step()),
            (self.rewind_button, self.rewind),
            (self.export_button, self.export_dialog),
        ):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        step_layout.addLayout(buttons)
        self.step_text = QTextBrowser()
        self.step_text.setObjectName("stepText")
        self.step_text.setOpenLinks(False)
        step_font = QFont(self.step_text.font())
        step_font.setPointSizeF(max(15.0, step_font.pointSizeF() * 1.4))
        self.step_text.setFont(step_font)
        step_layout.addWidget(self.step_text, 1)
        step_layout.addWidget(QLabel(self.tr("Click a token to choose it as the next one:")))
        self.alternatives = QListWidget()
        self.alternatives.setObjectName("stepAlternatives")
        self.alternatives.itemActivated.connect(self._on_alternative)
        self.alternatives.itemClicked.connect(self._on_alternative)
        step_layout.addWidget(self.alternatives, 1)
        tabs.addTab(step_page, self.tr("Step by step"))
        splitter.addWidget(tabs)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([520, 760])
        outer.addWidget(splitter, 1)
        self.setCentralWidget(central)
        # top-k's box takes a larger number, so it would be wider than the others; one width for all
        # keeps the column straight. Measured now that the boxes have the window's larger font.
        box_width = max(row.box.sizeHint().width() for row in self.rows.values())
        for row in self.rows.values():
            row.box.setFixedWidth(box_width)
        fit_to_screen(self, 1280, 820, near=self.parentWidget())
        self._describe_controls()
        self._set_step_buttons()

    def _describe_controls(self) -> None:
        """Names and descriptions for screen readers (and the tooltips of the tabs)."""
        for index, tip in enumerate((
            self.tr("The likeliest next tokens, before and after the sampler"),
            self.tr("Draw the next token many times and count the results"),
            self.tr("Generate one token at a time, or choose it yourself"),
        )):
            self.tabs.setTabToolTip(index, tip)
        for widget, name, description in (
            (self.prompt_edit, self.tr("Prompt"), self.tr("The start of a text for the model to continue")),
            (self.run_button, "", self.tr("Ask the model for the next token's probabilities")),
            (
                self.stage_table,
                self.tr("Sampler stages"),
                self.tr("How many tokens each stage of the sampler leaves, and their entropy"),
            ),
            (self.chart, self.tr("Next token chart"), self.chart.toolTip()),
            (self.sample_button, "", self.tr("Draw the next token many times with these settings")),
            (
                self.hist_table,
                self.tr("Draws"),
                self.tr("How often each token was drawn, and how often it was expected"),
            ),
            (self.start_button, "", self.tr("Start generating one token at a time from the prompt")),
            (self.next_button, "", self.tr("Draw one more token")),
            (self.rewind_button, "", self.tr("Take back the last token")),
            (self.export_button, "", self.tr("Save the steps as CSV or JSON")),
            (self.step_text, self.tr("Text so far"), self.tr("The prompt and the tokens chosen so far")),
            (
                self.alternatives,
                self.tr("Candidates"),
                self.tr("The candidates for the next token; activate one to choose it"),
            ),
        ):
            if name:
                widget.setAccessibleName(name)
            widget.setAccessibleDescription(description)

    # -- parameters ------------------------------------------------------------

    def _apply_params(self, params: GenerationParams) -> None:
        for name, row in self.rows.items():
            row.set_value(float(getattr(params, name)))

    def params(self) -> GenerationParams:
        values = {name: row.value() for name, row in self.rows.items()}
        values["top_k"] = int(values["top_k"])
        return self._base_params.replace(**values)

    # -- requests --------------------------------------------------------------

    def _send(self, work: Callable[[LabModel, Report], object], on_done: Callable[[object], None]) -> int:
        """Run ``work`` on the lab's model thread; only the latest request's answer is shown."""
        self.requests += 1
        return self._runner.submit(work, on_done=on_done, on_failed=self._on_failed)

    def _prompt(self) -> tuple[str, bool, str]:
        return self.prompt_edit.toPlainText(), self.raw_check.isChecked(), self._system

    def _usable_prompt(self) -> tuple[str, bool, str] | None:
        """The prompt when the model is ready and the prompt is not empty; otherwise None, after saying why."""
        if not self._ready():
            return None
        prompt, raw, system = self._prompt()
        if not prompt.strip():
            self._show_error(self.tr("The prompt is empty; type something for the model to continue."))
            return None
        return prompt, raw, system

    def probe(self) -> None:
        request = self._usable_prompt()
        if request is not None:
            self._set_busy(True, self.tr("Asking the model…"))
            prompt, raw, system = request
            self._send(lambda lab, _report: lab.probe(prompt, raw, system), self._on_state)

    def start_steps(self) -> None:
        request = self._usable_prompt()
        if request is not None:
            self._set_busy(True, self.tr("Starting step mode…"))
            prompt, raw, system = request
            params = self.params()
            self._send(lambda lab, _report: lab.start_steps(prompt, raw, system, params), self._on_state)

    def step(self, force: int | None = None) -> None:
        if not self._ready():
            return
        if self.state is None or not self.state.stepping:
            self._show_error(self.tr("Start step mode first."))
            return
        self._set_busy(True, self.tr("Generating one token…"))
        params = self.params()
        self._send(lambda lab, _report: lab.step(force, params), self._on_state)

    def rewind(self) -> None:
        if not self._ready():
            return
        if self.state is None or not self.state.stepping or not self.state.steps:
            self._show_error(self.tr("There is no token to take back."))
            return
        self._send(lambda lab, _report: lab.rewind(), self._on_state)

    def export_to(self, path: str | Path) -> None:
        kind = "json" if str(path).lower().endswith(".json") else "csv"
        if not self._ready():
            return
        self._set_busy(True, self.tr("Writing {name}…").format(name=Path(path).name))
        target = str(path)
        self._send(lambda lab, _report: lab.export(target, kind), self._on_exported)

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the experiment"), "experiment.csv",
            self.tr("CSV table (*.csv);;JSON (*.json)"),
        )
        if path:
            self.export_to(path)

    def _ready(self) -> bool:
        if self._closed:
            return False
        if self.info is None:
            self._show_error(self.tr("The model is not loaded yet; wait a moment or load one in the main window."))
            return False
        return True

    # -- answers ---------------------------------------------------------------

    def _on_loaded(self, answer: tuple[ModelInfo, tuple[str, ...]]) -> None:
        info, pieces = answer
        self.info = info
        self.pieces = pieces
        self._set_busy(
            False,
            self.tr("{name} is ready: {vocab} tokens in its vocabulary.").format(name=info.name, vocab=info.n_vocab),
        )
        self._set_enabled(True)
        if self.prompt_edit.toPlainText().strip():
            self.probe()

    def _on_state(self, state: LabState) -> None:
        self.state = state
        self._set_busy(False, state.note)
        self._show_steps()
        self.redraw()
        self._set_step_buttons()
        self.stateShown.emit()

    def _on_failed(self, message: str, _exc: BaseException) -> None:
        self._set_busy(False)
        self._show_error(message)

    def _on_exported(self, path: str) -> None:
        self._set_busy(False, self.tr("Saved the experiment to {path}.").format(path=path))
        self.exportFinished.emit(path)

    # -- drawing ---------------------------------------------------------------

    def piece(self, token: int) -> str:
        return self.pieces[token] if 0 <= token < len(self.pieces) else f"#{token}"

    def redraw(self) -> None:
        """Run the sampler on the cached scores with the sliders' values and redraw (no model call)."""
        if self.state is None:
            return
        started = time.perf_counter()
        try:
            trace = run_pipeline(self.state.logits, self.params(), self.state.recent)
        except SamplingError as exc:
            self._show_error(str(exc))
            return
        self.trace = trace
        self.chart_rows = chart_data(trace, self.piece, CHART_ROWS)
        self.last_pipeline_ms = (time.perf_counter() - started) * 1000
        self.chart.set_data(self.chart_rows)
        self._fill_stage_table(trace)
        self._fill_alternatives()
        notes = list(trace.notes)
        if self.state.note:
            notes.append(self.state.note)
        self.message.setStyleSheet("")
        self.message.setText(" ".join(notes))

    def _fill_stage_table(self, trace: SamplingTrace) -> None:
        names = {
            "raw": self.tr("Model (raw)"),
            "penalties": self.tr("Repeat penalty"),
            "top_k": self.tr("Top-k"),
            "top_p": self.tr("Top-p"),
            "min_p": self.tr("Min-p"),
            "temperature": self.tr("Temperature"),
        }
        stages = (trace.raw, *trace.stages)
        self.stage_table.setRowCount(len(stages))
        for i, stage in enumerate(stages):
            note = stage.note
            if stage.name != "raw" and not stage.applied and not note:
                note = self.tr("off")
            if stage.name == "temperature" and trace.greedy:
                note = self.tr("temperature 0: greedy, the likeliest token always wins")
            cells = [names.get(stage.name, stage.name), number(stage.size), number(stage.entropy_bits, 2), note]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.stage_table.setItem(i, j, item)
        self.stage_table.resizeColumnsToContents()
        self.stage_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

    def _fill_alternatives(self) -> None:
        self.alternatives.clear()
        if self.chart_rows is None:
            return
        for row in self.chart_rows.rows:
            item = QListWidgetItem(
                self.tr("{piece}   raw {raw}   after sampler {final}").format(
                    piece=readable_token(row.piece), raw=percent(row.raw_prob), final=percent(row.final_prob)
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, row.token)
            self.alternatives.addItem(item)

    def _show_steps(self) -> None:
        state = self.state
        if state is None or not state.stepping:
            self.step_text.setPlainText(state.prompt_text if state else "")
            return
        parts = [f'<span style="color:#888">{html.escape(state.prompt_text)}</span>']
        for i, (piece, forced, raw_p, final_p) in enumerate(state.steps):
            color = "#c62828" if forced else "#1565c0"
            # Alternate a light shade so that each token's boundaries show.
            shade = "#fff3c4" if i % 2 else "#dcebfa"
            title = self.tr("chosen by you") if forced else self.tr("drawn")
            parts.append(
                f'<span style="color:{color};background-color:{shade};font-weight:bold" '
                f'title="{html.escape(title)} · {percent(raw_p)} → {percent(final_p)}">{html.escape(piece)}</span>'
            )
        self.step_text.setHtml('<p style="white-space:pre-wrap">' + "".join(parts) + "</p>")

    def step_text_plain(self) -> str:
        """The continuation so far (the chosen tokens only)."""
        return "".join(p for p, *_ in (self.state.steps if self.state else ()))

    # -- sampling many times -------------------------------------------------------

    def sample(self) -> None:
        if self.trace is None:
            self._show_error(self.tr("Show the next token first."))
            return
        self._histogram_seed += 1
        histogram = sample_histogram(self.trace.final, SAMPLE_DRAWS, seed=self._histogram_seed)
        self.histogram = histogram
        tokens = sorted(set(histogram.counts) | set(histogram.expected), key=lambda t: -histogram.expected.get(t, 0.0))
        tokens = [t for t in tokens if histogram.counts.get(t) or histogram.expected.get(t, 0) >= 0.5][:30]
        self.hist_table.setRowCount(len(tokens))
        for i, token in enumerate(tokens):
            count = histogram.counts.get(token, 0)
            cells = [readable_token(self.piece(token)), str(count), number(histogram.expected.get(token, 0.0), 1)]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 1:
                    item.setData(Qt.ItemDataRole.UserRole, count)  # CountBarDelegate draws the bar
                self.hist_table.setItem(i, j, item)

    # -- clicking a token ----------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.chart and event.type() == QEvent.Type.MouseButtonPress:
            token = self.token_at(event.position())
            if token is not None and self.state is not None and self.state.stepping:
                self.step(force=token)
                return True
        return super().eventFilter(watched, event)

    def token_at(self, point: QPointF) -> int | None:
        """The token of the chart row under ``point`` (in chart coordinates), if any."""
        if self.chart_rows is None:
            return None
        for (raw, final), row in zip(self.chart.bar_rects(), self.chart_rows.rows, strict=False):
            if raw.top() - raw.height() * 0.5 <= point.y() <= final.bottom() + final.height() * 0.5:
                return row.token
        return None

    def _on_alternative(self, item: QListWidgetItem) -> None:
        if self.state is not None and self.state.stepping:
            self.step(force=int(item.data(Qt.ItemDataRole.UserRole)))

    # -- status ------------------------------------------------------------------

    def _show_error(self, message: str) -> None:
        self.message.setStyleSheet("color: #c62828; font-weight: bold")
        self.message.setText(message)
        self.errorShown.emit(message)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.run_button.setEnabled(not busy and self.info is not None)
        if text:
            self.message.setStyleSheet("")
            self.message.setText(text)
        self.statusBar().showMessage(text)

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.run_button, self.start_button, self.sample_button):
            widget.setEnabled(on)
        self._set_step_buttons()

    def _set_step_buttons(self) -> None:
        stepping = self.state is not None and self.state.stepping
        self.next_button.setEnabled(stepping and not self.state.finished)
        self.rewind_button.setEnabled(stepping and bool(self.state.steps))
        self.export_button.setEnabled(stepping and bool(self.state.steps))

    # -- closing -----------------------------------------------------------------

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._runner.shutdown()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)


def _label(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("Params", text)
