"""The window's side of the speed report: one reply through the real worker, chat view and store.

:mod:`tinychat.core.speed` cannot import Qt, so it is given a
:class:`~tinychat.core.speed.WindowPath`. :class:`QtWindowPath` is that path as
the window runs it: an :class:`~tinychat.gui.engine_worker.EngineController`
(the model on its own thread, a queued signal per token), a visible
:class:`~tinychat.gui.chat_view.ChatView` that lays out and paints every
piece, and a :class:`~tinychat.gui.conversation.ConversationController` that
saves the reply in a real SQLite store (in a temporary folder) as it streams
and redraws the conversation when it ends.

Its tokens/s is counted where the person sees the text: on the GUI thread,
from the first piece received to the end of the reply's redraw (``replyFinished``),
so the view's and the store's work on the window's thread is included.

:class:`GuiThreadPath` lets the report, running on a worker thread (the
Performance window's BackgroundRunner), ask the GUI thread for each reply.
"""

from __future__ import annotations

import contextlib
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

from tinychat.core.results import GenerationResult
from tinychat.core.speed import RunSetup, SpeedCancelled, SpeedError
from tinychat.core.store import Store
from tinychat.gui.chat_view import ChatView
from tinychat.gui.conversation import ConversationController, ReplySetup
from tinychat.gui.engine_worker import EngineController, LoadOptions

REPLY_TIMEOUT_MS = 600_000


class QtWindowPath(QObject):
    """Measures replies through the window's path; lives on (and is used from) the GUI thread."""

    finished = Signal(object)  # tokens/s (float), or an exception

    def __init__(self, view: ChatView | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tmp = tempfile.TemporaryDirectory(prefix="tinychat-speed-")
        self.store = Store(Path(self._tmp.name) / "speed.sqlite3")
        self._own_view = view is None
        self.view = view or ChatView()
        if self._own_view:
            self.view.resize(900, 700)
            self.view.show()
        self.controller = EngineController(self, name="speed-report")
        self.conversation = ConversationController(self.store, self.view, self.controller, self)
        self._loaded: tuple[Path, int, int, int] | None = None
        self._loaded_key: tuple[Path, int, int, int] | None = None
        self._done: Callable[[object], None] | None = None
        self._pending: RunSetup | None = None
        self._first: float | None = None
        self._count = 0
        self.controller.token.connect(self._on_token)
        self.controller.modelLoaded.connect(self._on_loaded)
        self.controller.modelLoadFailed.connect(self._on_load_failed)
        self.conversation.replyFinished.connect(self._on_reply_finished)
        self.conversation.replyFailed.connect(lambda message, _text: self._finish(SpeedError(message)))
        self.conversation.notice.connect(self._on_notice)
        self._app: QApplication | None = None

    @classmethod
    def standalone(cls) -> QtWindowPath:
        """For the command line: a QApplication (off screen when QT_QPA_PLATFORM says so) and a shown view."""
        app = QApplication.instance() or QApplication(["tinychat"])
        path = cls()
        path._app = app  # type: ignore[assignment]
        return path

    # -- asynchronous: start, then finished(rate) --------------------------------------------------------

    def start(self, setup: RunSetup, done: Callable[[object], None]) -> None:
        """Load the model if needed, send the prompt in a new conversation, call ``done(rate or exception)``."""
        self._done = done
        key = (setup.model, setup.threads, setup.n_ctx, setup.gpu_layers)
        if self._loaded != key:
            self._pending = setup
            self._loaded = None
            self.controller.load_model(
                setup.model, LoadOptions(n_ctx=setup.n_ctx, n_threads=setup.threads, n_gpu_layers=setup.gpu_layers)
            )
            self._loaded_key = key
            return
        self._send(setup)

    def stop(self) -> None:
        self.controller.stop()

    def _send(self, setup: RunSetup) -> None:
        info = self.controller.info
        assert info is not None
        self.conversation.open(None)
        self._first, self._count = None, 0
        reply = ReplySetup(
            params=setup.params(), system_prompt="", model_title=info.name, model_file=info.path.name,
            model_sha256=info.sha256,
        )
        [(_role, text)] = setup.messages
        if not self.conversation.send(text, reply):
            self._finish(SpeedError(self.tr("The window could not send the prompt.")))

    @Slot(object)
    def _on_loaded(self, _info: object) -> None:
        self._loaded = self._loaded_key
        setup, self._pending = self._pending, None
        if setup is not None:
            self._send(setup)

    @Slot(str)
    def _on_load_failed(self, message: str) -> None:
        self._pending = None
        self._finish(SpeedError(message))

    @Slot(str, bool)
    def _on_notice(self, text: str, is_error: bool) -> None:
        if is_error and self._done is not None:
            self._finish(SpeedError(text))

    @Slot(str)
    def _on_token(self, _piece: str) -> None:
        if self._first is None:
            self._first = time.perf_counter()
        self._count += 1

    @Slot(object)
    def _on_reply_finished(self, result: GenerationResult) -> None:
        end = time.perf_counter()
        # Tokens, not pieces: a piece can hold several tokens (a character split over tokens, held-back text).
        count = max(result.stats.completion_tokens, self._count)
        if self._first is None or count < 2 or end <= self._first:
            self._finish(None)
        else:
            self._finish((count - 1) / (end - self._first))

    def _finish(self, outcome: object) -> None:
        done, self._done = self._done, None
        if done is not None:
            done(outcome)

    # -- synchronous, for the command line (core.speed.WindowPath) ------------------------------------

    def measure(self, setup: RunSetup) -> float:
        box: list[object] = []
        loop = QEventLoop()

        def done(outcome: object) -> None:
            box.append(outcome)
            loop.quit()

        self.start(setup, done)
        if not box:
            QTimer.singleShot(REPLY_TIMEOUT_MS, loop.quit)
            loop.exec()
        if not box:
            raise SpeedError(self.tr("The window's reply did not finish in time."))
        outcome = box[0]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome  # type: ignore[return-value]

    def close(self) -> None:
        self.controller.shutdown()
        self.store.close()
        if self._own_view:
            self.view.close()
            self.view.deleteLater()
        with contextlib.suppress(OSError):
            self._tmp.cleanup()


class GuiThreadPath(QObject):
    """:class:`~tinychat.core.speed.WindowPath` for a report running on a worker thread.

    ``measure`` (called on the worker thread) asks the GUI thread's :class:`QtWindowPath`
    for one reply and waits for it; ``cancel`` ends the wait (and the reply).
    """

    _ask = Signal(object, object)  # setup, box
    _close = Signal()

    def __init__(self, path: QtWindowPath, cancel: threading.Event) -> None:
        super().__init__()
        self.path = path
        self.cancel = cancel
        # Created on the GUI thread: the queued connections run the slots there.
        self._ask.connect(self._start)
        self._close.connect(self.path.stop)

    @Slot(object, object)
    def _start(self, setup: RunSetup, box: dict[str, object]) -> None:
        def done(outcome: object) -> None:
            box["outcome"] = outcome
            event = box["event"]
            assert isinstance(event, threading.Event)
            event.set()

        self.path.start(setup, done)

    def measure(self, setup: RunSetup) -> float:
        assert QThread.currentThread() is not self.thread()
        event = threading.Event()
        box: dict[str, object] = {"event": event}
        self._ask.emit(setup, box)
        deadline = time.monotonic() + REPLY_TIMEOUT_MS / 1000
        while not event.wait(0.1):
            if self.cancel.is_set():
                self._close.emit()
                raise SpeedCancelled
            if time.monotonic() > deadline:
                self._close.emit()
                raise SpeedError(self.tr("The window's reply did not finish in time."))
        outcome = box["outcome"]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome  # type: ignore[return-value]

    def close(self) -> None:
        """The GUI side closes the path itself when the report ends (its thread owns it)."""
