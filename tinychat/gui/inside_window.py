"""The "Look inside" window: tokens, surprise, the logit lens and attention for the loaded model.

The window only shows; its ``BackgroundRunner`` owns the model (an
``InsideModel``, made on the runner's thread) and runs the core's views
(``tinychat.core.inside``) there, reporting progress on the way. Cancel sets a
``threading.Event`` the core checks between layers. Model data (tokens, file
names) reaches the screen as plain text: the shaded texts are built with
character formats, never HTML.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from tinychat.core.inside.attention import ATTENTION_NOTE, AttentionResult, attention_maps
from tinychat.core.inside.export import write_csv, write_json
from tinychat.core.engine import EngineError
from tinychat.core.gguf_info import GGUFInfoError
from tinychat.core.catalog import COMPLETES_TEXT, entry_for_file
from tinychat.core.inside.forward import SUPPORTED_NOTE, Cancelled, InsideError
from tinychat.core.inside.lens import APPROXIMATE_NOTE, LensResult, logit_lens
from tinychat.core.inside.subject import Subject
from tinychat.core.inside.quantization import LESSON, Drift, drift, missing_sentence, reference_first, siblings
from tinychat.core.inside.surprise import Comparison, SurpriseResult, compare, measure_surprise
from tinychat.core.inside.tokens_view import (
    LANGUAGE_NAMES,
    VISIBLE,
    Tokenization,
    Tokenizer,
    compare_languages,
    count_in,
)
from tinychat.core.probe import ProbeError
from tinychat.gui.worker import BackgroundRunner, Report

VIEWS = ("tokens", "surprise", "lens", "attention")
#: The last item of the model lists: choose a file from disk instead.
_OTHER_FILE = "\x00file"


def installed_model_paths() -> list[Path]:
    """The models the model manager lists (the models folder and the starter), for the count and compare boxes."""
    from tinychat.core import hub  # imported on use: huggingface_hub takes a moment to import

    try:
        return [m.path for m in hub.installed_models(include_starter=True) if m.complete]
    except OSError:
        return []
TOKEN_COLOURS = ("#ffe0b2", "#c8e6c9", "#bbdefb", "#f8bbd0", "#d1c4e9", "#fff59d")


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("Inside", text)


def _catalog_tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("Catalog", text)


class InsideModel:
    """The window's model (llama.cpp and the NumPy weights); the runner's state, used only on its thread."""

    def __init__(self) -> None:
        self.subject: Subject | None = None

    def close(self) -> None:
        if self.subject is not None:
            self.subject.close()
            self.subject = None

    def load(self, path: str) -> str:
        self.close()
        self.subject = Subject(path)
        return self.subject.name

    def compute(
        self, view: str, text: str, raw: bool, other: str, report: Report, cancel: threading.Event
    ) -> tuple[str, object]:
        """One view's result for ``text``; ``report(fraction)`` on the way, ``Cancelled`` when ``cancel`` is set."""
        subject = self.subject
        if subject is None:
            raise RuntimeError("no model is loaded on the look-inside thread")
        if view == "tokens":
            with Tokenizer(subject.path) as tok:
                value: object = (
                    tok.tokenize(text),
                    compare_languages(tok),
                    count_in(other, text) if other else None,
                    subject.sha256,
                )
        elif view == "surprise":
            a = measure_surprise(subject.path, text, progress=report, cancel=cancel)
            value = (a, compare(a, measure_surprise(other, text, cancel=cancel)) if other else None)
        elif view == "lesson":  # the file with more bits per weight is the reference, whichever is loaded
            big, small = reference_first(Path(subject.path), Path(other))
            a = measure_surprise(big, text, progress=report, cancel=cancel)
            comparison = compare(a, measure_surprise(small, text, cancel=cancel))
            value = (a, comparison, drift(comparison))
        elif view == "lens":
            value = logit_lens(subject, subject.prompt(text, raw=raw), progress=report, cancel=cancel)
        else:
            value = attention_maps(subject, subject.prompt(text, raw=raw), progress=report, cancel=cancel)
        return view, value


# Failures whose text is a sentence for a person; Cancelled gets its own sentence in the window.
INSIDE_EXPECTED_ERRORS = (InsideError, Cancelled, EngineError, ProbeError, GGUFInfoError, OSError)


class ShadedText(QTextEdit):
    """Text cut into pieces, each with its own background and tooltip (character formats, not HTML)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setMinimumHeight(70)

    def show_pieces(self, pieces: list[tuple[str, QColor, str]]) -> None:
        self.clear()
        cursor = QTextCursor(self.document())
        for text, colour, tip in pieces:
            fmt = QTextCharFormat()
            fmt.setBackground(QBrush(colour))
            fmt.setToolTip(tip)
            cursor.insertText(text, fmt)


class HeatMap(QWidget):
    """A query x key matrix as shades of one colour; with ``labels``, the tokens along both axes."""

    clicked = Signal()

    def __init__(self, parent: QWidget | None = None, *, small: bool = False) -> None:
        super().__init__(parent)
        self.matrix: np.ndarray | None = None
        self.labels: list[str] = []
        self.title = ""
        self.small = small
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(90, 100) if self.small else QSize(480, 480)

    def set_matrix(self, matrix: np.ndarray | None, labels: list[str] | None = None, title: str = "") -> None:
        self.matrix = matrix
        self.labels = labels or []
        self.title = title
        self.setToolTip(title)
        self.update()

    def mousePressEvent(self, event) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        top = 14 if self.title else 0
        if self.title:
            painter.drawText(QRectF(0, 0, self.width(), 14), Qt.AlignmentFlag.AlignCenter, self.title)
        if self.matrix is None or self.matrix.size == 0:
            painter.end()
            return
        n = self.matrix.shape[0]
        margin = 0 if not self.labels else min(110, self.width() // 4)
        side = max(1.0, min(self.width() - margin, self.height() - top - margin) / n)
        peak = float(self.matrix.max()) or 1.0
        for q in range(n):
            for k in range(q + 1):
                shade = float(self.matrix[q, k]) / peak
                colour = QColor.fromRgbF(1 - 0.85 * shade, 1 - 0.55 * shade, 1 - 0.1 * shade)
                painter.fillRect(QRectF(margin + k * side, top + q * side, side + 0.5, side + 0.5), colour)
        if self.labels and side >= 8:
            painter.setFont(QFont(self.font().family(), max(6, min(10, int(side * 0.7)))))
            for i, label in enumerate(self.labels):
                text = label.translate(VISIBLE)[:14]
                painter.drawText(
                    QRectF(0, top + i * side, margin - 4, side),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    text,
                )
                painter.save()
                painter.translate(QPointF(margin + i * side + side / 2, top + n * side + 4))
                painter.rotate(90)
                painter.drawText(
                    QRectF(0, -side / 2, margin - 4, side),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    text,
                )
                painter.restore()
        painter.end()


class LayerCurve(QWidget):
    """The probability of the final answer after each layer, as bars (layer 0 = the embedding)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: np.ndarray | None = None
        self.setMinimumHeight(90)

    def set_values(self, values: np.ndarray | None) -> None:
        self.values = values
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        if self.values is not None and self.values.size:
            n = self.values.size
            width = self.width() / n
            height = self.height() - 16
            for i, v in enumerate(self.values):
                h = float(v) * height
                painter.fillRect(QRectF(i * width + 1, height - h, max(1.0, width - 2), h), QColor("#1976d2"))
                if n <= 40 and (i % 5 == 0 or i == n - 1):
                    painter.drawText(QRectF(i * width, height, width * 2, 16), Qt.AlignmentFlag.AlignLeft, str(i))
        painter.end()


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _item(text: str, colour: QColor | None = None, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if colour is not None:
        item.setBackground(QBrush(colour))
    if tip:
        item.setToolTip(tip)
    return item


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _percent(p: float) -> str:
    return "<0.01%" if 0 < p < 0.0001 else f"{p * 100:.2f}%"


def _shade(fraction: float) -> QColor:
    """White for 0, strong orange for 1."""
    f = max(0.0, min(1.0, fraction))
    return QColor.fromRgbF(1.0, 1.0 - 0.55 * f, 1.0 - 0.9 * f)


class InsideWindow(QMainWindow):
    """Look inside the model: four tabs over one text. ``results`` keeps each view's last result."""

    viewShown = Signal(str)
    errorShown = Signal(str)

    def __init__(self, model_path: str | Path | None, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lookInside")
        self.setWindowTitle(self.tr("Look inside the model"))
        self._ready = False
        self._closed = False
        self._other = ""
        self.model_path = Path(model_path) if model_path else None
        self.installed: list[Path] = []
        self.results: dict[str, object] = {}
        self._cancel = threading.Event()
        self._build(text or "The capital of France is")

        self._runner: BackgroundRunner[InsideModel] = BackgroundRunner(
            "look-inside",
            make_state=InsideModel,
            close_state=InsideModel.close,
            expected=INSIDE_EXPECTED_ERRORS,
            parent=self,
        )
        if model_path:
            self._busy(True, self.tr("Loading {name}…").format(name=Path(model_path).name))
            path = str(model_path)
            # One kind for loading and one for the views: the views share one progress bar and
            # one Show button, so a newer view request drops the answer to the one before it.
            self._runner.submit(
                lambda model, _report: model.load(path),
                kind="load",
                on_done=self._on_loaded,
                on_failed=self._on_failed,
            )
        else:
            self._show_error(
                self.tr("No model is loaded. Load a model in the main window, then open this window again.")
            )

    # -- building ----------------------------------------------------------------

    def _build(self, text: str) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        self.text_edit = QPlainTextEdit(text)
        self.text_edit.setObjectName("insideText")
        self.text_edit.setPlaceholderText(self.tr("Type or paste a text to look at"))
        self.text_edit.setMaximumHeight(90)
        layout.addWidget(self.text_edit)
        row = QHBoxLayout()
        self.raw_check = QCheckBox(self.tr("Raw text (no chat template)"))
        self.raw_check.setChecked(True)
        self.raw_check.setToolTip(
            self.tr("The lens and attention views read the text as it is; untick to wrap it as a chat message.")
        )
        self.run_button = QPushButton(self.tr("Show"))
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run_current)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(200)
        row.addWidget(self.raw_check)
        row.addStretch(1)
        row.addWidget(self.progress)
        row.addWidget(self.cancel_button)
        row.addWidget(self.run_button)
        layout.addLayout(row)
        self.message = _note("")
        layout.addWidget(self.message)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_tokens(), self.tr("Tokens"))
        self.tabs.addTab(self._build_surprise(), self.tr("Surprise"))
        self.tabs.addTab(self._build_lens(), self.tr("Layer by layer"))
        self.tabs.addTab(self._build_attention(), self.tr("Attention"))
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self.resize(1100, 780)

    def _export_row(self, view: str) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addStretch(1)
        for kind, label in (
            ("json", self.tr("Export JSON…")),
            ("csv", self.tr("Export CSV…")),
            ("png", self.tr("Save picture…")),
        ):
            button = QPushButton(label)
            button.setObjectName(f"export_{view}_{kind}")
            button.clicked.connect(lambda _=False, v=view, k=kind: self.export_dialog(v, k))
            row.addWidget(button)
        return row

    def _build_tokens(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            _note(
                self.tr(
                    "A model never sees letters: it reads tokens, pieces of text from a fixed vocabulary, each with "
                    "a number (its id). "
                    "Common words are one token; rare words, accents and emoji are cut into several. ␣ is a space, ↵ "
                    "a new line, "
                    "and <0xNN> a byte that is only part of a character."
                )
            )
        )
        self.token_text = ShadedText()
        layout.addWidget(self.token_text)
        self.token_count = _note("")
        layout.addWidget(self.token_count)
        other = QHBoxLayout()
        count_label = QLabel(self.tr("Count in another model:"))
        self.count_combo = QComboBox()
        self.count_combo.setObjectName("countModel")
        self.count_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        count_label.setBuddy(self.count_combo)
        self.count_combo.activated.connect(self._on_count_chosen)
        other.addWidget(count_label)
        other.addWidget(self.count_combo)
        self.other_count = _note("")
        other.addWidget(self.other_count, 1)
        layout.addLayout(other)
        self.token_table = _table([self.tr("#"), self.tr("id"), self.tr("piece"), self.tr("bytes")])
        layout.addWidget(self.token_table, 1)
        self.language_note = _note("")
        layout.addWidget(self.language_note)
        layout.addLayout(self._export_row("tokens"))
        return page

    def _build_surprise(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_note(self.tr(
            "How surprised the model was by each token of the text, before it saw it: the stronger the shade, the less "
            "likely the model thought that token was. Surprise is measured in bits (−log₂ p): 1 bit is a coin toss. "
            "Perplexity sums it up: the model was as unsure as if choosing among that many equally likely tokens. "
            "Hover over a token to see what the model expected instead."
        )))
        self.surprise_text = ShadedText()
        layout.addWidget(self.surprise_text)
        self.surprise_summary = _note("")
        layout.addWidget(self.surprise_summary)
        row = QHBoxLayout()
        compare_label = QLabel(self.tr("Compare with:"))
        self.compare_combo = QComboBox()
        self.compare_combo.setObjectName("compareModel")
        self.compare_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.compare_combo.setToolTip(
            self.tr("The same text read by a second model or another quantization of this one.")
        )
        compare_label.setBuddy(self.compare_combo)
        self.compare_combo.activated.connect(self._on_compare_chosen)
        self.lesson_button = QPushButton(self.tr("Quantization lesson"))
        self.lesson_button.setObjectName("lessonButton")
        self.lesson_button.setToolTip(
            self.tr("The same model at two quantizations you have: where does the smaller file start to disagree?")
        )
        self.lesson_button.clicked.connect(self.start_lesson)
        row.addWidget(compare_label)
        row.addWidget(self.compare_combo)
        row.addSpacing(16)
        row.addWidget(self.lesson_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.lesson_note = _note("")
        self.lesson_note.setObjectName("lessonNote")
        self.lesson_note.hide()
        layout.addWidget(self.lesson_note)
        self.surprise_table = _table(
            [
                self.tr("#"),
                self.tr("token"),
                self.tr("probability"),
                self.tr("bits"),
                self.tr("rank"),
                self.tr("expected instead"),
                self.tr("KL (nats)"),
                self.tr("same first choice"),
            ]
        )
        layout.addWidget(self.surprise_table, 1)
        layout.addLayout(self._export_row("surprise"))
        return page

    def _build_lens(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            _note(
                self.tr(
                    "What each layer would say if the model stopped there (the logit lens): for every position, the "
                    "likeliest next "
                    "token and its probability, read from the model after layer 0 (the embedding) to the last layer."
                )
            )
        )
        layout.addWidget(_note(_tr(SUPPORTED_NOTE)))
        self.lens_note = _note(_tr(APPROXIMATE_NOTE))
        self.lens_note.setStyleSheet("color: #8d6e00")
        layout.addWidget(self.lens_note)
        self.lens_table = QTableWidget(0, 0)
        self.lens_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.lens_table, 1)
        self.answer_label = _note("")
        layout.addWidget(self.answer_label)
        self.answer_curve = LayerCurve()
        layout.addWidget(self.answer_curve)
        self.lens_check = _note("")
        layout.addWidget(self.lens_check)
        layout.addLayout(self._export_row("lens"))
        return page

    def _build_attention(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_note(_tr(SUPPORTED_NOTE)))
        layout.addWidget(_note(_tr(ATTENTION_NOTE)))
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Layer")))
        self.layer_spin = QSpinBox()
        self.layer_spin.setRange(1, 1)
        self.layer_spin.valueChanged.connect(self._show_attention)
        controls.addWidget(self.layer_spin)
        controls.addWidget(QLabel(self.tr("Head")))
        self.head_combo = QComboBox()
        self.head_combo.currentIndexChanged.connect(self._show_big_map)
        controls.addWidget(self.head_combo)
        controls.addStretch(1)
        layout.addLayout(controls)
        split = QSplitter()
        grid_holder = QWidget()
        self.head_grid = QGridLayout(grid_holder)
        self.small_maps: list[HeatMap] = []
        split.addWidget(grid_holder)
        self.big_map = HeatMap()
        split.addWidget(self.big_map)
        split.setSizes([380, 620])
        layout.addWidget(split, 1)
        layout.addWidget(_note(self.tr("What the last token looks at (this layer, the chosen head or the average):")))
        self.attention_text = ShadedText()
        self.attention_text.setMaximumHeight(80)
        layout.addWidget(self.attention_text)
        self.attention_check = _note("")
        layout.addWidget(self.attention_check)
        layout.addLayout(self._export_row("attention"))
        return page

    # -- requests ------------------------------------------------------------------

    def current_view(self) -> str:
        return VIEWS[self.tabs.currentIndex()]

    def run_current(self) -> None:
        self.run_view(self.current_view())

    def run_view(self, view: str, other: str = "") -> None:
        if not self._ready:
            self._show_error(self.tr("The model is not ready yet; wait until it has loaded."))
            return
        text = self.text_edit.toPlainText()
        if not text.strip():
            self._show_error(self.tr("The text is empty; type or paste some text to look at."))
            return
        self._busy(True, self.tr("Working…"))
        self._cancel.clear()  # here, not on the worker: a Cancel pressed right after Show must not be lost
        raw, cancel = self.raw_check.isChecked(), self._cancel
        self._runner.submit(
            lambda model, report: model.compute(view, text, raw, other, report, cancel),
            kind="view",
            on_done=self._on_result,
            on_failed=self._on_failed,
            on_report=self._on_progress,
        )

    def cancel(self) -> None:
        self._cancel.set()

    def fill_model_boxes(self, models: list[Path] | None = None) -> None:
        """The installed models (but the one loaded here) in the count and compare boxes, then "Other file…"."""
        self.installed = installed_model_paths() if models is None else list(models)
        others = [p for p in self.installed if self.model_path is None or p.resolve() != self.model_path.resolve()]
        for combo in (self.count_combo, self.compare_combo):
            combo.clear()
            combo.addItem(self.tr("(choose a model)"), "")
            for path in others:
                entry = entry_for_file(path)
                combo.addItem(path.name if entry is None else f"{path.name} ({entry.name})", str(path))
            combo.addItem(self.tr("Other file…"), _OTHER_FILE)

    def _on_count_chosen(self, index: int) -> None:
        data = self.count_combo.itemData(index)
        self.count_combo.setCurrentIndex(0)
        if data == _OTHER_FILE:
            self.choose_count_model()
        elif data:
            self.run_view("tokens", data)

    def _on_compare_chosen(self, index: int) -> None:
        data = self.compare_combo.itemData(index)
        self.compare_combo.setCurrentIndex(0)
        if data == _OTHER_FILE:
            self.choose_compare_model()
        elif data:
            self.run_view("surprise", data)

    def start_lesson(self) -> None:
        """Compare the loaded model with another quantization of it, or say which one to download."""
        self.tabs.setCurrentIndex(VIEWS.index("surprise"))
        if self.model_path is None:
            return
        pair = siblings(self.model_path, self.installed)
        self.lesson_note.show()
        if not pair:
            self.lesson_note.setText(_tr(LESSON) + "\n\n" + missing_sentence(self.model_path))
            return
        self.lesson_note.setText(_tr(LESSON))
        self.run_view("lesson", str(pair[0]))

    def show_tab(self, view: str) -> None:
        """Bring one view's tab to the front (the glossary's links open the tokenizer this way)."""
        self.tabs.setCurrentIndex(VIEWS.index(view))

    def choose_count_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Count in another model"), "", self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.run_view("tokens", path)

    def choose_compare_model(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Compare with another model"), "", self.tr("GGUF models (*.gguf)")
        )
        if path:
            self.run_view("surprise", path)

    # -- answers -------------------------------------------------------------------

    def _on_loaded(self, name: object) -> None:
        self._ready = True
        entry = entry_for_file(self.model_path) if self.model_path else None
        if entry is not None and entry.completes_text:
            name = f"{name} ({_catalog_tr(COMPLETES_TEXT)})"
        self._busy(False, self.tr("{name} is ready. Choose a view and press Show.").format(name=name))
        self.fill_model_boxes()

    def _on_progress(self, fraction: object) -> None:
        self.progress.setValue(int(float(fraction) * 1000))

    def _on_failed(self, message: str, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, Cancelled):
            message = self.tr("Cancelled. Nothing was changed; press Show to start again.")
        self._show_error(message)

    def _on_result(self, answer: object) -> None:
        view, value = answer
        self._busy(False)
        self.message.setText("")
        if view == "lesson":
            a, comparison, lesson = value
            view, value = "surprise", (a, comparison)
            self.results["lesson"] = lesson
            self.lesson_note.setText(
                _tr(LESSON) + ("\n\n" + lesson.sentence(comparison) if isinstance(lesson, Drift) else "")
            )
        elif view == "surprise":
            self.lesson_note.hide()
        self.results[view] = value
        {
            "tokens": self._show_tokens,
            "surprise": self._show_surprise,
            "lens": self._show_lens,
            "attention": self._show_attention,
        }[view]()
        self.viewShown.emit(view)

    def _show_tokens(self) -> None:
        cut, languages, other, _sha = self.results["tokens"]
        assert isinstance(cut, Tokenization)
        pieces = []
        for t in cut.tokens:
            tip = self.tr("token {index}: id {id}, bytes {bytes}").format(
                index=t.index, id=t.id, bytes=t.piece.hex(" ")
            )
            pieces.append((t.shown, QColor(TOKEN_COLOURS[t.index % len(TOKEN_COLOURS)]), tip))
        self.token_text.show_pieces(pieces)
        self.token_count.setText(
            self.tr("{tokens} tokens for {chars} characters and {words} words in {model}.").format(
                tokens=cut.count, chars=len(cut.text), words=cut.words, model=cut.model
            )
        )
        if other:
            self.other_count.setText(self.tr("In {model}: {count} tokens.").format(model=other[0], count=other[1]))
        table = self.token_table
        table.setRowCount(cut.count)
        for r, t in enumerate(cut.tokens):
            colour = QColor(TOKEN_COLOURS[t.index % len(TOKEN_COLOURS)])
            for c, text in enumerate((str(t.index), str(t.id), t.shown, t.piece.hex(" "))):
                table.setItem(r, c, _item(text, colour))
        en, es = languages
        self.language_note.setText(
            self.tr(
                "The same sentence in two languages: {en_name} {en} tokens ({en_per:.2f} per word), {es_name} {es} "
                "tokens "
                "({es_per:.2f} per word). This model's vocabulary was built mostly from English text, so Spanish "
                "words are "
                "cut into more pieces and fill the context window sooner."
            ).format(
                en_name=_tr(LANGUAGE_NAMES["en"]),
                en=en.tokens,
                en_per=en.tokens_per_word,
                es_name=_tr(LANGUAGE_NAMES["es"]),
                es=es.tokens,
                es_per=es.tokens_per_word,
            )
        )

    def _show_surprise(self) -> None:
        a, comparison = self.results["surprise"]
        assert isinstance(a, SurpriseResult)
        pieces = []
        for t in a.tokens:
            if t.prob is None:
                pieces.append(
                    (t.piece, QColor("white"), self.tr("The first token has nothing before it to predict it from."))
                )
                continue
            alts = "\n".join(f"{alt.piece.translate(VISIBLE)}  {alt.prob * 100:.1f}%" for alt in t.alternatives)
            tip = self.tr("{piece}: probability {prob}, {bits} bits\nExpected instead:\n{alts}").format(
                piece=t.piece.translate(VISIBLE), prob=_percent(t.prob), bits=f"{t.bits:.2f}", alts=alts
            )
            pieces.append((t.piece, _shade(min(t.bits, 12.0) / 12.0), tip))
        self.surprise_text.show_pieces(pieces)
        summary = self.tr("{model}: perplexity {ppl}, {bits} bits per token on average.").format(
            model=a.model, ppl=f"{a.perplexity:.2f}", bits=f"{a.mean_bits:.2f}"
        )
        if a.dropped:
            summary += " " + a.note()
        kl_by_index: dict[int, tuple[float, bool]] = {}
        if isinstance(comparison, Comparison):
            summary += "\n" + self.tr("{b}: perplexity {ppl}.").format(
                b=comparison.b.model, ppl=f"{comparison.b.perplexity:.2f}"
            )
            if comparison.comparable:
                summary += " " + self.tr(
                    "Against {a}: mean KL divergence {kl} nats; the same first choice at {agree} of the positions."
                ).format(a=a.model, kl=f"{comparison.mean_kl:.4f}", agree=f"{comparison.agreement * 100:.1f}%")
                kl_by_index = {
                    t.index: (float(k), bool(s))
                    for t, k, s in zip(a.scored, comparison.kl, comparison.same_top, strict=False)
                }
            else:
                summary += " " + comparison.refusal()
        self.surprise_summary.setText(summary)
        table = self.surprise_table
        table.setRowCount(len(a.tokens))
        for r, t in enumerate(a.tokens):
            kl = kl_by_index.get(t.index)
            cells = [
                str(t.index),
                t.piece.translate(VISIBLE),
                "" if t.prob is None else _percent(t.prob),
                "" if t.bits is None else f"{t.bits:.2f}",
                "" if t.rank is None else str(t.rank),
                ", ".join(f"{alt.piece.translate(VISIBLE)} {alt.prob * 100:.0f}%" for alt in t.alternatives[:3]),
                "" if kl is None else f"{kl[0]:.4f}",
                "" if kl is None else (self.tr("yes") if kl[1] else self.tr("no")),
            ]
            colour = _shade(min(t.bits, 12.0) / 12.0) if t.bits is not None else None
            for c, text in enumerate(cells):
                table.setItem(r, c, _item(text, colour if c in (1, 2, 3) else None))

    def _show_lens(self) -> None:
        result = self.results["lens"]
        assert isinstance(result, LensResult)
        layers, positions = result.top_ids.shape[0], result.top_ids.shape[1]
        table = self.lens_table
        table.clear()
        table.setRowCount(layers)
        table.setColumnCount(positions)
        table.setHorizontalHeaderLabels([p.translate(VISIBLE) for p in result.pieces])
        # The last layer on top, as the model is drawn in the glossary: the answer comes out at the top.
        table.setVerticalHeaderLabels(
            [
                self.tr("layer {n}").format(n=layer) if layer else self.tr("embedding")
                for layer in reversed(range(layers))
            ]
        )
        for row, layer in enumerate(reversed(range(layers))):
            for pos in range(positions):
                best, prob = int(result.top_ids[layer, pos, 0]), float(result.top_probs[layer, pos, 0])
                tip = "\n".join(
                    f"{result.piece(int(t)).translate(VISIBLE)}  {float(p) * 100:.1f}%"
                    for t, p in zip(result.top_ids[layer, pos], result.top_probs[layer, pos], strict=True)
                )
                table.setItem(
                    row, pos, _item(f"{result.piece(best).translate(VISIBLE)} {prob * 100:.0f}%", _shade(prob), tip)
                )
        table.resizeColumnsToContents()
        self.answer_label.setText(
            self.tr(
                "How likely “{answer}” is at the last position, layer by layer (it reaches {final} at the last layer):"
            ).format(answer=result.answer_piece, final=f"{result.answer_probs[-1] * 100:.0f}%")
        )
        self.answer_curve.set_values(result.answer_probs)
        note = result.prompt.note()
        self.lens_check.setText(
            ((result.check.sentence() if result.check else "") + ("\n" + note if note else "")).strip()
        )

    def _show_attention(self) -> None:
        result = self.results.get("attention")
        if not isinstance(result, AttentionResult):
            return
        if self.layer_spin.maximum() != result.n_layers:
            self.layer_spin.blockSignals(True)
            self.layer_spin.setRange(1, result.n_layers)
            self.layer_spin.blockSignals(False)
        if self.head_combo.count() != result.n_heads + 1:
            self.head_combo.blockSignals(True)
            self.head_combo.clear()
            self.head_combo.addItem(self.tr("Average of all heads"))
            for h in range(result.n_heads):
                self.head_combo.addItem(self.tr("Head {n}").format(n=h + 1))
            self.head_combo.blockSignals(False)
        layer = self.layer_spin.value() - 1
        if len(self.small_maps) != result.n_heads + 1:
            for m in self.small_maps:
                m.deleteLater()
            self.small_maps = []
            columns = max(1, math.ceil(math.sqrt(result.n_heads + 1)))
            for i in range(result.n_heads + 1):
                m = HeatMap(small=True)
                m.clicked.connect(lambda i=i: self.head_combo.setCurrentIndex(i))
                self.head_grid.addWidget(m, i // columns, i % columns)
                m.show()  # added after the window was shown
                self.small_maps.append(m)
        for i, m in enumerate(self.small_maps):
            head = None if i == 0 else i - 1
            title = self.tr("average") if head is None else self.tr("head {n}").format(n=head + 1)
            m.set_matrix(result.head(layer, head), title=title)
        self._show_big_map()
        if result.check:
            note = result.prompt.note()
            self.attention_check.setText((result.check.sentence() + ("\n" + note if note else "")).strip())

    def _show_big_map(self) -> None:
        result = self.results.get("attention")
        if not isinstance(result, AttentionResult):
            return
        layer = self.layer_spin.value() - 1
        index = self.head_combo.currentIndex()
        head = None if index <= 0 else index - 1
        name = self.tr("layer {layer}, average of the heads").format(layer=layer + 1) if head is None else self.tr(
            "layer {layer}, head {head}"
        ).format(layer=layer + 1, head=head + 1)
        self.big_map.set_matrix(result.head(layer, head), result.pieces, name)
        weights = result.last_token(layer, head)
        peak = float(weights.max()) or 1.0
        self.attention_text.show_pieces(
            [
                (p, _shade(float(w) / peak), f"{float(w) * 100:.1f}%")
                for p, w in zip(result.pieces, weights, strict=False)
            ]
        )

    # -- export ----------------------------------------------------------------------

    def export_dialog(self, view: str, kind: str) -> None:
        if view not in self.results:
            self._show_error(self.tr("Nothing to export yet: press Show first."))
            return
        filters = {
            "json": self.tr("JSON (*.json)"),
            "csv": self.tr("CSV (*.csv)"),
            "png": self.tr("PNG picture (*.png)"),
        }
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), f"{view}.{kind}", filters[kind])
        if path:
            self.export_to(view, kind, path)

    def export_to(self, view: str, kind: str, path: str | Path) -> bool:
        """Write one view's figures (JSON/CSV, with the model's sha256) or its picture (PNG)."""
        value = self.results.get(view)
        if value is None:
            self._show_error(self.tr("Nothing to export yet: press Show first."))
            return False
        try:
            if kind == "png":
                if not self.tabs.widget(VIEWS.index(view)).grab().save(str(path), "PNG"):
                    raise OSError(self.tr("the picture could not be written"))
            else:
                data, rows, model, sha = self._figures(view, value)
                if kind == "json":
                    write_json(path, data)
                else:
                    write_csv(path, rows, model=model, sha256=sha)
        except OSError as exc:
            self._show_error(
                self.tr("Could not save {path}: {reason}. Choose another folder.").format(
                    path=path, reason=exc.strerror or exc
                )
            )
            return False
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Saved {path}.").format(path=path))
        return True

    def _figures(self, view: str, value: object) -> tuple[dict, list, str, str]:
        if view == "tokens":
            cut, sha = value[0], value[3]
            data = cut.to_dict()
            data["sha256"] = sha
            data["languages"] = [c.to_dict() for c in value[1]]
            rows = [["index", "id", "piece", "bytes", "start", "end"]] + [
                [t.index, t.id, t.shown, t.piece.hex(" "), t.start, t.end] for t in cut.tokens
            ]
            return data, rows, cut.model, sha
        if view == "surprise":
            a, comparison = value
            if comparison is not None:
                return (
                    comparison.to_dict(),
                    comparison.csv_rows() if comparison.comparable else a.csv_rows(),
                    a.model,
                    a.sha256,
                )
            return a.to_dict(), a.csv_rows(), a.model, a.sha256
        return value.to_dict(), value.csv_rows(), value.model, value.sha256

    # -- status ----------------------------------------------------------------------

    def _show_error(self, message: str) -> None:
        self.message.setStyleSheet("color: #c62828; font-weight: bold")
        self.message.setText(message)
        self.errorShown.emit(message)

    def _busy(self, busy: bool, text: str = "") -> None:
        self.run_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy and self._ready)
        self.progress.setValue(0)
        if text:
            self.message.setStyleSheet("")
            self.message.setText(text)

    def shutdown(self) -> bool:
        """Stop the running view and free the model on its thread; False if the thread did not end in time.

        The core checks Cancel between layers, so the wait is short; a thread still busy after it
        (loading weights is not cancellable) has been logged and is left to end by itself.
        """
        if self._closed:
            return True
        self._closed = True
        self._cancel.set()
        return self._runner.shutdown(5000)

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
