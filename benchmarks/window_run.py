"""The real window, driven as a person drives it, for the benchmarks that time streaming through it.

``open_window`` starts TinyChat's MainWindow (offscreen, 1024x768, shown) on a
model, with its conversations and settings in a temporary data folder.
``stream_once`` types a prompt into the message box of a new conversation and
sends it with ``MainWindow.send`` (what the Send button does), then times the
reply from the first piece of text shown to the moment the event loop has run
after ``replyFinished``: the last token and the finished reply painted.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@dataclass
class Run:
    tokens_per_s: float
    first_token_s: float
    tokens: int
    text: str
    #: CPU time of the window's thread from the first text shown to the end, per token.
    window_cpu_per_token_s: float


def use_scratch_data_folder(threads: int | None) -> tempfile.TemporaryDirectory:
    """A data and settings folder of its own (the person's conversations stay untouched); the threads asked for."""
    if threads:
        os.environ["TINYCHAT_THREADS"] = str(threads)
    folder = tempfile.TemporaryDirectory(prefix="tinychat-bench-")
    from tinychat.core import paths

    os.environ[paths.ENV_DATA_DIR] = os.path.join(folder.name, "data")
    os.environ[paths.ENV_CONFIG_DIR] = os.path.join(folder.name, "config")
    return folder


def wait(signal, timeout_ms: int = 300_000) -> list:
    from PySide6.QtCore import QEventLoop, QTimer

    box: list = []
    loop = QEventLoop()

    def done(*values):
        box.extend(values)
        loop.quit()

    signal.connect(done)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(done)
    return box


def open_window(model):
    """The main window with ``model`` loaded, or None if it could not load it."""
    from tinychat.app import create_app
    from tinychat.gui.main_window import MainWindow

    create_app()
    window = MainWindow(model)
    window.resize(1024, 768)
    window.show()
    if window.controller.info is None:
        wait(window.controller.modelLoaded)
    return window if window.controller.engine is not None else None


def stream_once(window, prompt: str) -> Run:
    from PySide6.QtWidgets import QApplication

    window.open_conversation(None)
    QApplication.processEvents()
    first: list[float] = []

    def on_text(_text: str) -> None:
        if not first:
            first.append(time.perf_counter())
            first.append(time.thread_time())

    window.controller.token.connect(on_text)
    window.prompt_edit.setPlainText(prompt)
    sent = time.perf_counter()
    window.send()
    [result] = wait(window.conversation.replyFinished)
    QApplication.processEvents()  # the last token and the finished reply painted
    end, cpu = time.perf_counter(), time.thread_time()
    window.controller.token.disconnect(on_text)
    count = result.stats.completion_tokens
    return Run((count - 1) / (end - first[0]), first[0] - sent, count, result.text, (cpu - first[1]) / count)
