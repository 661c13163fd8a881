"""Share my model with the class: a dialog that runs ``tinychat serve`` in a QProcess and shows how to connect.

The server (llama-server, or llama-cpp-python's server when llama-server is
missing) and its keyed gate run in a child process, ``tinychat serve
--status-json --watch-stdin``: the window never waits for it, a crash of the
server cannot take the window with it, and the command line and the window
share one implementation (:mod:`tinychat.core.serve`). The child reports in
JSON lines (ready with the address and key, figures every two seconds, or an
error sentence); it stops when asked, and also on its own when the window's
end of its standard input closes, so a window that dies leaves no server behind.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QProcess, QProcessEnvironment, Qt, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tinychat.core import paths
from tinychat.core.serve import DEFAULT_PARALLEL, DEFAULT_PORT
from tinychat.gui.numbers import number
from tinychat.gui.plaintext import plain

log = logging.getLogger("tinychat.gui")


def serve_command(model: Path, port: int, parallel: int, lan: bool) -> tuple[str, list[str]]:
    """The program and arguments that run ``tinychat serve`` for the window (the bundle runs itself)."""
    args = [] if getattr(sys, "frozen", False) else ["-m", "tinychat"]
    args += ["--data-dir", str(paths.data_dir()), "serve", "--status-json", "--watch-stdin",
             "--model", str(model), "--port", str(port), "--parallel", str(parallel)]
    if lan:
        args.append("--lan")
    return sys.executable, args


def qr_pixmap(text: str, scale: int = 5) -> QPixmap:
    """A QR code of ``text`` (segno writes the PNG; Qt reads it)."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    pixmap = QPixmap()
    pixmap.loadFromData(QByteArray(buffer.getvalue()), "PNG")
    return pixmap


class SharePanel(QDialog):
    """Start and stop sharing the loaded model; the address, key, QR code and the class's figures."""

    # The state ("stopped", "starting", "sharing"), for the window and the tests.
    stateChanged = Signal(str)
    figuresShown = Signal(dict)

    def __init__(self, model_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sharePanel")
        self.setWindowTitle(self.tr("Share my model with the class"))
        self.model_path = model_path
        self.process: QProcess | None = None
        self.state = "stopped"
        self.last_message = ""
        self._stopping = False
        self._partial = b""
        self.ready: dict[str, Any] = {}
        self._build()
        self._show_state("stopped")
        if model_path is None:
            self._say(self.tr("No model is loaded. Load a model first, then share it."), error=True)

    # -- layout --------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Students connect to this computer from their own TinyChat with the address and key below, and "
            "chat with this model, which runs here. Only this computer can connect until you open it to the local "
            "network."
        ))
        intro.setWordWrap(True)
        root.addWidget(intro)

        settings = QGroupBox(self.tr("How to share"))
        form = QFormLayout(settings)
        self.model_label = plain(QLabel(self.model_path.name if self.model_path else self.tr("No model loaded")))
        self.model_label.setObjectName("shareModel")
        form.addRow(self.tr("Model:"), self.model_label)
        self.lan_check = QCheckBox(self.tr("Open to the local network (the students' computers can connect)"))
        self.lan_check.setObjectName("shareLan")
        self.lan_check.setAccessibleDescription(self.tr(
            "Off: only this computer can connect. On: every computer on this network that has the key."))
        form.addRow(self.lan_check)
        self.port_box = QSpinBox()
        self.port_box.setObjectName("sharePort")
        self.port_box.setRange(1024, 65535)
        self.port_box.setValue(DEFAULT_PORT)
        self.port_box.setAccessibleName(self.tr("Port"))
        self.port_box.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 12 + 40)
        form.addRow(self.tr("Port:"), self.port_box)
        self.parallel_box = QSpinBox()
        self.parallel_box.setObjectName("shareParallel")
        self.parallel_box.setRange(1, 64)
        self.parallel_box.setValue(DEFAULT_PARALLEL)
        self.parallel_box.setAccessibleName(self.tr("Replies at once"))
        self.parallel_box.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 12 + 40)
        self.parallel_box.setToolTip(self.tr(
            "How many replies llama-server writes at the same time; more students than this wait their turn."))
        form.addRow(self.tr("Replies at once:"), self.parallel_box)
        root.addWidget(settings)

        buttons = QHBoxLayout()
        self.start_button = QPushButton(self.tr("Start sharing"))
        self.start_button.setObjectName("shareStart")
        self.start_button.clicked.connect(self.start)
        self.stop_button = QPushButton(self.tr("Stop sharing"))
        self.stop_button.setObjectName("shareStop")
        self.stop_button.clicked.connect(self.stop)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        root.addLayout(buttons)

        self.status_label = plain(QLabel())
        self.status_label.setObjectName("shareStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        root.addWidget(self.status_label)

        self.connect_box = QGroupBox(self.tr("For the students"))
        grid = QGridLayout(self.connect_box)
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.6)
        big.setBold(True)
        self.address_label = plain(QLabel())
        self.address_label.setObjectName("shareAddress")
        self.key_label = plain(QLabel())
        self.key_label.setObjectName("shareKey")
        for label in (self.address_label, self.key_label):
            label.setFont(big)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
        grid.addWidget(QLabel(self.tr("Address:")), 0, 0)
        grid.addWidget(self.address_label, 0, 1)
        grid.addWidget(QLabel(self.tr("Key:")), 1, 0)
        grid.addWidget(self.key_label, 1, 1)
        self.figures_label = plain(QLabel())
        self.figures_label.setObjectName("shareFigures")
        figures_font = QFont(self.font())
        figures_font.setPointSizeF(figures_font.pointSizeF() * 1.25)
        self.figures_label.setFont(figures_font)
        self.figures_label.setWordWrap(True)
        grid.addWidget(self.figures_label, 2, 0, 1, 2)
        self.qr_label = QLabel()
        self.qr_label.setObjectName("shareQr")
        self.qr_label.setAccessibleName(self.tr("QR code of the address"))
        grid.addWidget(self.qr_label, 0, 2, 3, 1, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(1, 1)
        root.addWidget(self.connect_box)
        root.addStretch(1)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.hide)
        close.button(QDialogButtonBox.StandardButton.Close).setToolTip(
            self.tr("Hide this panel; sharing goes on until you stop it or close TinyChat"))
        root.addWidget(close)

    # -- state ---------------------------------------------------------------

    def _say(self, text: str, error: bool = False) -> None:
        self.last_message = text
        self.status_label.setText(text)
        self.status_label.setProperty("error", error)
        self.status_label.setStyleSheet("color: palette(highlight);" if not error else "color: #b00020;")

    def _show_state(self, state: str) -> None:
        self.state = state
        stopped = state == "stopped"
        self.start_button.setEnabled(stopped and self.model_path is not None)
        self.stop_button.setEnabled(not stopped)
        for control in (self.lan_check, self.port_box, self.parallel_box):
            control.setEnabled(stopped)
        self.connect_box.setVisible(state == "sharing")
        self.stateChanged.emit(state)

    def set_model(self, model_path: Path | None) -> None:
        """The window loaded another model: shared from the next start."""
        self.model_path = model_path
        self.model_label.setText(model_path.name if model_path else self.tr("No model loaded"))
        if self.state == "stopped":
            self._show_state("stopped")
            if model_path is not None and self.last_message.startswith(self.tr("No model is loaded.")):
                self._say("")

    # -- the process ---------------------------------------------------------

    def start(self) -> bool:
        if self.state != "stopped":
            return False
        if self.model_path is None:
            self._say(self.tr("No model is loaded. Load a model first, then share it."), error=True)
            return False
        program, args = serve_command(
            self.model_path, self.port_box.value(), self.parallel_box.value(), self.lan_check.isChecked()
        )
        process = self.process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        env.insert("PYTHONUNBUFFERED", "1")
        process.setProcessEnvironment(env)
        process.readyReadStandardOutput.connect(self._read_output)
        process.readyReadStandardError.connect(self._read_errors)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        self._stopping = False
        self._partial = b""
        self.ready = {}
        self._show_state("starting")
        self._say(self.tr("Loading the model for the class…"))
        process.start(program, args)
        return True

    def stop(self) -> None:
        """Ask the server to stop (it frees the port and ends llama-server); the window does not wait."""
        if self.process is None or self.state == "stopped":
            return
        self._stopping = True
        self._say(self.tr("Stopping…"))
        self.process.closeWriteChannel()
        self.process.terminate()

    def shutdown(self, wait_ms: int = 5000) -> None:
        """Stop for good before the window closes: wait a few seconds, then end it."""
        process = self.process
        if process is None or process.state() == QProcess.ProcessState.NotRunning:
            return
        self._stopping = True
        process.closeWriteChannel()
        process.terminate()
        if not process.waitForFinished(wait_ms):
            process.kill()
            process.waitForFinished(2000)

    def _read_errors(self) -> None:
        if self.process is not None:
            text = bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace").strip()
            if text:
                log.info("tinychat serve: %s", text)

    def _read_output(self) -> None:
        if self.process is None:
            return
        self._partial += bytes(self.process.readAllStandardOutput().data())
        *lines, self._partial = self._partial.split(b"\n")
        for line in lines:
            try:
                event = json.loads(line)
            except ValueError:
                log.info("tinychat serve: %s", line.decode("utf-8", "replace"))
                continue
            if isinstance(event, dict):
                self._on_event(event)

    def _on_event(self, event: dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "starting" and event.get("note"):
            self._say(self.tr("Loading the model for the class…") + " " + str(event["note"]))
        elif kind == "ready":
            self._on_ready(event)
        elif kind == "stats":
            self._show_figures(event)
        elif kind == "error":
            self._say(str(event.get("message", "")), error=True)
            self._stopping = True  # the child ends itself; its sentence stays

    def _on_ready(self, event: dict[str, Any]) -> None:
        self.ready = event
        urls = [str(u) for u in event.get("urls", [])]
        self.address_label.setText("\n".join(urls))
        self.key_label.setText(str(event.get("key", "")))
        if urls:
            self.qr_label.setPixmap(qr_pixmap(urls[0]))
        if event.get("backend") == "llama-server":
            text = self.tr("Sharing %1 through llama-server, %2 replies at once.").replace(
                "%1", str(event.get("model", ""))).replace("%2", number(int(event.get("parallel", 1))))
        else:
            text = str(event.get("note") or "") or self.tr(
                "Sharing %1 through llama-cpp-python's server, one reply at a time.").replace(
                "%1", str(event.get("model", "")))
        if not event.get("open_to_network"):
            text += " " + self.tr("Only this computer can connect: stop, tick \u201cOpen to the local network\u201d "
                                  "and start again for the class.")
        self._say(text)
        self._show_figures({"students": 0, "requests_per_minute": 0, "requests": 0})
        self._show_state("sharing")

    def _show_figures(self, figures: dict[str, Any]) -> None:
        students = int(figures.get("students", 0))
        rpm = int(figures.get("requests_per_minute", 0))
        self.figures_label.setText(
            self.tr("Students connected: %1 · Requests in the last minute: %2 · In all: %3")
            .replace("%1", number(students)).replace("%2", number(rpm))
            .replace("%3", number(int(figures.get("requests", 0))))
        )
        self.figures_label.setToolTip(self.tr(
            "A student counts as connected when their computer sent a request in the last five minutes."))
        self.figuresShown.emit(figures)

    def _on_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._say(self.tr("The server could not be started: %1").replace(
                "%1", self.process.errorString() if self.process else ""), error=True)
            self._show_state("stopped")

    def _on_finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        self._read_output()
        if not self._stopping:
            self._say(self.tr("The server stopped unexpectedly (exit code %1); the students can no longer "
                              "connect. Start sharing again.").replace("%1", str(code)), error=True)
        elif self.last_message == self.tr("Stopping…"):
            self._say(self.tr("Stopped sharing."))
        self.ready = {}
        self._show_state("stopped")

    def closeEvent(self, event: Any) -> None:
        # Closing the panel hides it; sharing goes on until Stop or the window closes.
        self.hide()
        event.ignore()
