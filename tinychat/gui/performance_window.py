"""The Performance window: the speed report (tinychat.core.speed) measured, drawn and explained for a class.

The report runs on a :class:`~tinychat.gui.worker.BackgroundRunner`; its
window side (:mod:`tinychat.gui.speed_path`) streams each measured reply into
the small chat view on the right, through the same worker, view and store the
main window uses. The chart is painted with QPainter, from the widget's font
(classroom mode enlarges it) and the palette, and exported as PNG; the report
itself is exported as JSON.
"""

from __future__ import annotations

import html
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QColor, QFont, QFontMetricsF, QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tinychat.core.speed import SpeedCancelled, SpeedError, SpeedOptions, note_text, run_report
from tinychat.gui.chat_view import ChatView
from tinychat.gui.numbers import number
from tinychat.gui.plaintext import plain
from tinychat.gui.speed_path import GuiThreadPath, QtWindowPath
from tinychat.gui.worker import BackgroundRunner, Report

SIDES = ("window", "engine", "bare", "llama_bench")


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _rate(value: Any) -> str:
    return number(value, 1) if isinstance(value, int | float) else "-"


class SpeedChart(QWidget):
    """Bars a class can read from the back: tokens/s on each side, then tokens/s as the context fills."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("speedChart")
        self._report: dict[str, Any] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(360, 260)

    def set_report(self, report: dict[str, Any] | None) -> None:
        self._report = report
        self.setAccessibleDescription(self._describe())
        self.update()

    def _labels(self) -> dict[str, str]:
        return {
            "window": self.tr("Through the window"),
            "engine": self.tr("TinyChat's engine"),
            "bare": self.tr("Bare llama-cpp-python"),
            "llama_bench": self.tr("llama-bench (llama.cpp)"),
        }

    def _describe(self) -> str:
        if not self._report:
            return self.tr("No report yet.")
        labels = self._labels()
        gen = self._report["generation"]
        return "; ".join(
            self.tr("{side}: {rate} tokens per second").format(side=labels[k], rate=_rate(gen[k]["tokens_per_s"]))
            for k in SIDES
        )

    def chart_font(self) -> QFont:
        """A quarter larger than the window's text (which classroom mode enlarges): read from a projector."""
        font = QFont(self.font())
        font.setPointSizeF(max(11.0, font.pointSizeF() * 1.25))
        return font

    def sizeHint(self) -> QSize:
        fm = QFontMetricsF(self.chart_font())
        return QSize(int(fm.horizontalAdvance("M") * 40), int(fm.height() * 16))

    def colors(self) -> dict[str, QColor]:
        palette = self.palette()
        dark = _is_dark(palette)
        return {
            "background": palette.color(QPalette.ColorRole.Window),
            "text": palette.color(QPalette.ColorRole.WindowText),
            "muted": palette.color(QPalette.ColorRole.PlaceholderText),
            "window": QColor("#81c784") if dark else QColor("#2e7d32"),
            "engine": QColor("#4fc3f7") if dark else QColor("#0277bd"),
            "bare": QColor("#9fa8da") if dark else QColor("#3949ab"),
            "llama_bench": QColor("#ffb74d") if dark else QColor("#e65100"),
            "depth": QColor("#ce93d8") if dark else QColor("#6a1b9a"),
        }

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self.paint(painter, QRectF(self.rect()))
        finally:
            painter.end()

    def _caption(self, report: dict[str, Any]) -> str:
        settings = report["settings"]
        return self.tr("{model} · threads: {threads} · {device} · {cpu}").format(
            model=report["model"]["file"], threads=settings["threads"], device=settings["device"],
            cpu=report["machine"]["cpu"],
        )

    def _ratio_line(self, report: dict[str, Any]) -> str:
        ratios = report["ratios"]
        parts = []
        if isinstance(ratios["window_over_bare"], int | float):
            parts.append(self.tr("window ÷ bare llama-cpp-python = {r}").format(
                r=number(ratios["window_over_bare"], 2)))
        if isinstance(ratios["bare_over_llama_bench"], int | float):
            parts.append(self.tr("bare ÷ llama-bench = {r}").format(r=number(ratios["bare_over_llama_bench"], 2)))
        return "   ".join(parts)

    def _fitted_font(self, area: QRectF, lines: float, headings: list[str], labels: list[str]) -> QFont:
        """The chart's font scaled so that everything fits ``area``: larger on an exported PNG or a big window,
        smaller when classroom mode's large text meets a small screen."""
        font = self.chart_font()
        fm = QFontMetricsF(font)
        bold = QFont(font)
        bold.setBold(True)
        bm = QFontMetricsF(bold)
        margin = fm.height() * 1.2
        needed_w = max(
            max((bm.horizontalAdvance(h) for h in headings), default=0.0) + margin,
            # a label, a bar of at least a quarter of the width, and a value
            (max((fm.horizontalAdvance(x) for x in labels), default=0.0) + fm.horizontalAdvance("0000.0") + margin)
            / 0.75,
        )
        by_height = area.height() / max(lines * fm.height(), 1.0)
        by_width = area.width() / max(needed_w, 1.0)
        scale = min(by_height, by_width, 2.5)
        font.setPointSizeF(font.pointSizeF() * max(scale, 0.5))
        return font

    def paint(self, painter: QPainter, area: QRectF) -> None:
        colors = self.colors()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(area, colors["background"])
        if not self._report:
            font = self.chart_font()
            painter.setFont(font)
            margin = QFontMetricsF(font).height() * 0.6
            painter.setPen(colors["muted"])
            painter.drawText(
                area.adjusted(margin, margin, -margin, -margin),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.tr("Press Measure to see how fast this model runs on this computer."),
            )
            return
        report = self._report
        gen = report["generation"]
        labels = self._labels()
        rows: list[tuple[str, Any, QColor]] = [(labels[k], gen[k]["tokens_per_s"], colors[k]) for k in SIDES]
        depth_rows = [
            (self.tr("{n} tokens already read").format(n=number(d["depth"])), d["tokens_per_s"], colors["depth"])
            for d in report["depths"]
        ]
        sections = (
            (self.tr("Tokens per second while writing (longer is faster)"), rows),
            (self.tr("The same, with more of the conversation already read"), depth_rows),
        )
        caption, ratio_line = self._caption(report), self._ratio_line(report)
        lines = 1.6 + sum(1.5 + 1.45 * len(rs) + 0.6 for _t, rs in sections) + 2.2
        font = self._fitted_font(
            area, lines, [title for title, _rs in sections] + [ratio_line], [r[0] for _t, rs in sections for r in rs]
        )
        painter.setFont(font)
        fm = QFontMetricsF(font)
        margin = fm.height() * 0.6
        top = area.top() + margin
        painter.setPen(colors["muted"])
        painter.drawText(
            QPointF(area.left() + margin, top + fm.ascent()),
            fm.elidedText(caption, Qt.TextElideMode.ElideRight, area.width() - 2 * margin),
        )
        top += fm.height() * 1.6
        heading = QFont(font)
        heading.setBold(True)
        row_h = fm.height() * 1.45
        label_w = max(fm.horizontalAdvance(r[0]) for _title, rs in sections for r in rs) + margin
        label_w = min(label_w, area.width() * 0.45)
        value_w = fm.horizontalAdvance("0000.0") + margin
        left = area.left() + margin + label_w
        right = area.right() - margin - value_w
        peak = max((r[1] for _t, rs in sections for r in rs if isinstance(r[1], int | float)), default=1.0) or 1.0
        for title, section_rows in sections:
            painter.setFont(heading)
            painter.setPen(colors["text"])
            painter.drawText(QPointF(area.left() + margin, top + fm.ascent()), title)
            top += fm.height() * 1.5
            painter.setFont(font)
            for label, value, color in section_rows:
                text_rect = QRectF(area.left() + margin, top, label_w - margin, row_h)
                painter.setPen(colors["text"])
                painter.drawText(text_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                                 fm.elidedText(label, Qt.TextElideMode.ElideRight, label_w - margin))
                baseline = top + row_h / 2 + fm.ascent() / 2.5
                if isinstance(value, int | float):
                    width = max(2.0, (right - left) * value / peak)
                    painter.fillRect(QRectF(left, top + row_h * 0.15, width, row_h * 0.7), color)
                    painter.drawText(QPointF(left + width + margin * 0.5, baseline), _rate(value))
                else:
                    painter.setPen(colors["muted"])
                    painter.drawText(QPointF(left, baseline), self.tr("not measured"))
                top += row_h
            top += fm.height() * 0.6
        if ratio_line:
            painter.setFont(heading)
            painter.setPen(colors["text"])
            painter.drawText(QPointF(area.left() + margin, top + fm.ascent()), ratio_line)

    def image(self, size: QSize | None = None) -> QImage:
        """The chart drawn on an image of ``size`` (default: its size on screen, at least 1200×800)."""
        size = size or QSize(max(1200, self.width()), max(800, self.height()))
        image = QImage(size, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        try:
            self.paint(painter, QRectF(0, 0, size.width(), size.height()))
        finally:
            painter.end()
        return image


class PerformanceWindow(QMainWindow):
    """Measure the speed report, show it, explain it, export it."""

    def __init__(
        self,
        model_path: Path | None,
        *,
        threads: int | None = None,
        gpu_layers: int = 0,
        open_glossary: Callable[[str], None] | None = None,
        classroom_action: QAction | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("performanceWindow")
        self.setWindowTitle(self.tr("Performance"))
        self.model_path = model_path
        self.threads = threads
        self.gpu_layers = gpu_layers
        self._open_glossary = open_glossary
        self.report: dict[str, Any] | None = None
        self.last_error = ""
        self._cancel: threading.Event | None = None
        self._path: QtWindowPath | None = None
        self._bridge: GuiThreadPath | None = None
        self._glossary_dialog: QWidget | None = None
        self.runner: BackgroundRunner[None] = BackgroundRunner(
            "speed-report", expected=(SpeedError, SpeedCancelled), parent=self
        )
        if classroom_action is not None:
            self.addAction(classroom_action)  # F5 works in this window too
        if parent is not None:
            # A report still running when the main window closes is stopped and its threads ended first.
            parent.installEventFilter(self)

        central = QWidget()
        layout = QVBoxLayout(central)
        self.intro = QLabel(self._intro_text())
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.RichText)
        self.intro.linkActivated.connect(self._on_link)
        layout.addWidget(self.intro)
        self.model_label = plain(QLabel(self._model_text()))
        self.model_label.setWordWrap(True)
        layout.addWidget(self.model_label)

        controls = QHBoxLayout()
        self.measure_button = QPushButton(self.tr("Measure"))
        self.measure_button.setDefault(True)
        self.measure_button.clicked.connect(self.start)
        self.quick_box = QCheckBox(self.tr("Quick (a few seconds, rough figures)"))
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        for widget in (self.measure_button, self.quick_box, self.stop_button):
            controls.addWidget(widget)
        controls.addWidget(self.progress, 1)
        layout.addLayout(controls)
        self.status = plain(QLabel(""))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.chart = SpeedChart()
        left_layout.addWidget(self.chart, 3)
        self.explanation = QLabel("")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.linkActivated.connect(self._on_link)
        left_layout.addWidget(self.explanation)
        splitter.addWidget(left)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.figures = plain(QLabel(""))
        self.figures.setWordWrap(True)
        self.figures.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right_layout.addWidget(self.figures)
        caption = QLabel(self.tr("The window's path: each measured reply streams here, as in the chat."))
        caption.setWordWrap(True)
        right_layout.addWidget(caption)
        self.live_view = ChatView()
        self.live_view.setMinimumHeight(120)
        right_layout.addWidget(self.live_view, 1)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

        exports = QHBoxLayout()
        exports.addStretch(1)
        self.png_button = QPushButton(self.tr("Export chart (PNG)…"))
        self.png_button.clicked.connect(self._choose_png)
        self.json_button = QPushButton(self.tr("Export report (JSON)…"))
        self.json_button.clicked.connect(self._choose_json)
        for button in (self.png_button, self.json_button):
            button.setEnabled(False)
            exports.addWidget(button)
        layout.addLayout(exports)
        self.setCentralWidget(central)
        if model_path is None:
            self.measure_button.setEnabled(False)
            self.status.setText(self.tr("No model to measure. Load a model first, then open this again."))

    # -- texts -------------------------------------------------------------------------------

    @staticmethod
    def _link(term: str, text: str) -> str:
        return f'<a href="glossary:{term}">{html.escape(text)}</a>'

    def _intro_text(self) -> str:
        return self.tr(
            "How fast does this model write here, and why? The report measures the same reply through this "
            "window, through TinyChat's engine, through bare llama-cpp-python and through llama.cpp's own "
            "llama-bench, taking turns. Speed depends on the model's {parameters}, its {quantization}, the "
            "computer's {bandwidth} and the {gpu}."
        ).format(
            parameters=self._link("parameters", self.tr("parameters")),
            quantization=self._link("quantization", self.tr("quantization")),
            bandwidth=self._link("memory_bandwidth", self.tr("memory bandwidth")),
            gpu=self._link("gpu_offload", self.tr("GPU layers")),
        )

    def _model_text(self) -> str:
        if self.model_path is None:
            return ""
        return self.tr("Model: {file}").format(file=self.model_path.name)

    def _explanation_text(self, report: dict[str, Any]) -> str:
        model, settings = report["model"], report["settings"]
        quant = (model["description"].split() or [""])[-1]
        bare = report["generation"]["bare"]["tokens_per_s"]
        size_mb = report["memory"]["model_file_mb"]
        parts = [
            self.tr(
                "This model has {n} million {parameters}, stored with {quantization} {quant}: a file of {mb} MB."
            ).format(
                n=html.escape(number(model["parameters"] / 1e6, 0)),
                parameters=self._link("parameters", self.tr("parameters")),
                quantization=self._link("quantization", self.tr("quantization")),
                quant=html.escape(quant),
                mb=html.escape(number(size_mb, 0)),
            )
        ]
        if isinstance(bare, int | float):
            parts.append(
                self.tr(
                    "Each new token reads the whole file once, so {rate} tokens per second means about {gb} GB "
                    "read from memory every second: the computer's {bandwidth} sets the limit."
                ).format(
                    rate=html.escape(_rate(bare)),
                    gb=html.escape(number(size_mb * bare / 1024, 1)),
                    bandwidth=self._link("memory_bandwidth", self.tr("memory bandwidth")),
                )
            )
        parts.append(
            self.tr("{gpu}: {k} of {n} layers run on the graphics card; {threads} processor threads.").format(
                gpu=self._link("gpu_offload", self.tr("GPU layers")),
                k=settings["gpu_layers"], n=model["layers"], threads=settings["threads"],
            )
        )
        return " ".join(parts)

    def _figures_text(self, report: dict[str, Any]) -> str:
        ratios, ttft, memory, prompt = report["ratios"], report["ttft"], report["memory"], report["prompt"]

        def ratio(value: Any) -> str:
            return number(value, 2) if isinstance(value, int | float) else "-"

        def seconds(value: Any) -> str:
            return self.tr("{n} s").format(n=number(value, 2)) if isinstance(value, int | float) else "-"

        lines = [
            self.tr("Window ÷ bare llama-cpp-python: {r}").format(r=ratio(ratios["window_over_bare"])),
            self.tr("Bare ÷ llama-bench: {r}").format(r=ratio(ratios["bare_over_llama_bench"])),
            self.tr("Reading the prompt: {rate} tokens/s (llama-bench: {bench})").format(
                rate=_rate(prompt["bare"]["tokens_per_s"]), bench=_rate(prompt["llama_bench"]["tokens_per_s"])
            ),
            self.tr("First token: {one} at turn 1, {ten} at turn 10").format(
                one=seconds(ttft["turn_1_s"]), ten=seconds(ttft["turn_10_s"])
            ),
            self.tr("Loading: {s}").format(s=seconds(report["load_s"])),
            self.tr("Memory (peak): {mb} MB").format(mb=_rate(memory["peak_rss_mb"])),
            self.tr("Threads: {t}, flash attention: {fa}").format(
                t=report["settings"]["threads"], fa=report["settings"]["flash_attention"]
            ),
            self.tr("Processor: {cpu}").format(cpu=report["machine"]["cpu"]),
        ]
        return "\n".join(lines + [note_text(note) for note in report["notes"]])

    def _on_link(self, link: str) -> None:
        term = link.removeprefix("glossary:")
        if self._open_glossary is not None:
            self._open_glossary(term)
            return
        from tinychat.gui.glossary_panel import GlossaryDialog

        if self._glossary_dialog is None:
            self._glossary_dialog = GlossaryDialog(self)
        self._glossary_dialog.show_term(term)  # type: ignore[attr-defined]

    # -- running -------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def start(self) -> None:
        if self.model_path is None or self.running:
            return
        self._cancel = cancel = threading.Event()
        self._path = QtWindowPath(view=self.live_view, parent=self)
        bridge = GuiThreadPath(self._path, cancel)
        make = SpeedOptions.quick_run if self.quick_box.isChecked() else SpeedOptions
        options = make(self.model_path, threads=self.threads, gpu_layers=self.gpu_layers)
        self.measure_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.progress.setValue(0)
        self.last_error = ""
        self.status.setText(self.tr("Measuring…"))

        def work(_state: None, report: Report) -> dict[str, Any]:
            return run_report(
                options, window_path=bridge, cancel=cancel, progress=lambda text, done: report((text, done))
            )

        self._bridge = bridge
        self.runner.submit(work, kind="report", on_done=self._on_done, on_failed=self._on_failed,
                           on_report=self._on_progress)

    def stop(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            if self._path is not None:
                self._path.stop()
            self.status.setText(self.tr("Stopping…"))

    def _on_progress(self, payload: tuple[str, float]) -> None:
        text, done = payload
        self.status.setText(text)
        self.progress.setValue(round(done * 100))

    def _finish_run(self) -> None:
        self._cancel = None
        self._bridge = None
        if self._path is not None:
            self._path.close()
            self._path.deleteLater()
            self._path = None
        self.measure_button.setEnabled(self.model_path is not None)
        self.stop_button.setEnabled(False)

    def _on_done(self, report: dict[str, Any]) -> None:
        self._finish_run()
        self.show_report(report)
        self.progress.setValue(100)
        self.status.setText(self.tr("Done."))

    def _on_failed(self, message: str, exc: BaseException) -> None:
        self._finish_run()
        self.progress.setValue(0)
        if isinstance(exc, SpeedCancelled):
            self.status.setText(self.tr("Stopped. Press Measure to start again."))
        else:
            self.last_error = message
            self.status.setText(message)

    def show_report(self, report: dict[str, Any]) -> None:
        self.report = report
        self.chart.set_report(report)
        self.explanation.setText(self._explanation_text(report))
        self.figures.setText(self._figures_text(report))
        self.png_button.setEnabled(True)
        self.json_button.setEnabled(True)

    # -- exports -------------------------------------------------------------------------------

    def export_png(self, path: str | Path) -> bool:
        return self.chart.image().save(str(path), "PNG")

    def export_json(self, path: str | Path) -> None:
        """Raises OSError when the file cannot be written."""
        Path(path).write_text(json.dumps(self.report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    def _choose_png(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export chart"), "speed-report.png", self.tr("PNG images (*.png)")
        )
        if path and not self.export_png(path):
            self.status.setText(self.tr("The chart could not be saved to {file}.").format(file=path))

    def _choose_json(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export report"), "speed-report.json", self.tr("JSON files (*.json)")
        )
        if not path:
            return
        try:
            self.export_json(path)
        except OSError as exc:
            self.status.setText(
                self.tr("The report could not be saved to {file}: {reason}").format(
                    file=path, reason=exc.strerror or exc
                )
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Close:
            self.close()
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        self.runner.shutdown(60000)
        self._finish_run()
        super().closeEvent(event)
