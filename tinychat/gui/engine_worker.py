"""The model runs on its own thread; these objects carry requests there and answers back.

``EngineWorker`` lives in a QThread and owns the core ``Engine``. The window
talks to it only through ``EngineController``: requests go as queued signals,
answers come back as signals, and each answer carries the id of its request so
that a late answer to an old request is dropped. Stopping does not queue a
signal (it would wait behind the running token loop): the controller sets a
``threading.Event`` that the engine checks once per token.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from tinychat.core.continuation import continue_reply
from tinychat.core.engine import Engine, EngineError, ModelInfo
from tinychat.core.fingerprint import sha256_of
from tinychat.core.params import GenerationParams, ParamError
from tinychat.core.results import GenerationResult
from tinychat.core.templates import ChatTemplate, TemplateError

log = logging.getLogger("tinychat.gui.worker")


@dataclass(frozen=True)
class LoadOptions:
    n_ctx: int | None = None
    n_threads: int | None = None
    n_gpu_layers: int = 0


class EngineWorker(QObject):
    modelLoaded = Signal(int, object)  # request id, ModelInfo
    modelLoadFailed = Signal(int, str, object)  # request id, sentence, ModelInfo still loaded or None
    token = Signal(int, str)  # request id, text piece
    generationFinished = Signal(int, object)  # request id, GenerationResult
    generationFailed = Signal(int, str)
    tokenDetail = Signal(int, object)  # request id, TokenDetail

    def __init__(self) -> None:
        super().__init__()
        self.engine = Engine()
        #: Send a TokenDetail per token (the probability view); set by the GUI thread, read here.
        self.token_details = False
        #: Classroom read-along limit in tokens per second (0: as fast as the model goes).
        #: Written by the GUI thread, read here; a float assignment is atomic in Python.
        self.pace_tokens_per_s = 0.0

    @Slot(int, str, object)
    def load(self, request_id: int, path: str, options: LoadOptions) -> None:
        try:
            info = self.engine.load(
                path, n_ctx=options.n_ctx, n_threads=options.n_threads, n_gpu_layers=options.n_gpu_layers
            )
        except EngineError as exc:
            kept = getattr(exc, "kept", None)
            if kept is not None:
                self._hash(kept)
            self.modelLoadFailed.emit(request_id, str(exc), kept)
            return
        except Exception as exc:  # a bug must not kill the thread silently
            log.exception("unexpected failure while loading %s", path)
            self.modelLoadFailed.emit(request_id, str(exc), self.engine.info)
            return
        self._hash(info)
        self.modelLoaded.emit(request_id, info)

    @staticmethod
    def _hash(info: ModelInfo) -> None:
        if info.sha256:
            return
        try:
            # Every saved reply names the exact file that wrote it; hashed once, then cached.
            info.sha256 = sha256_of(info.path)
        except OSError as exc:
            log.warning("could not hash %s: %s", info.path, exc)

    @Slot(int, object, object, object, object, str)
    def generate(
        self,
        request_id: int,
        messages: list[dict[str, str]],
        params: GenerationParams,
        cancel: threading.Event,
        template: ChatTemplate | None = None,
        continue_text: str = "",
    ) -> None:
        last_shown = float("-inf")

        def on_token(piece: str) -> None:
            nonlocal last_shown
            pace = self.pace_tokens_per_s
            if pace > 0:
                # Hold the token until 1/pace after the previous one (a late token never
                # makes the next ones rush), waking often enough to notice Stop.
                due = last_shown + 1.0 / pace
                while not cancel.is_set() and (wait := due - time.perf_counter()) > 0:
                    time.sleep(min(wait, 0.05))
            last_shown = time.perf_counter()
            self.token.emit(request_id, piece)

        def emit_detail(detail) -> None:
            self.tokenDetail.emit(request_id, detail)

        on_step = emit_detail if self.token_details else None

        try:
            if continue_text:
                result = continue_reply(
                    self.engine, messages, continue_text, params,
                    on_token=on_token, cancel=cancel, template=template, on_step=on_step,
                )
            else:
                result = self.engine.generate(
                    messages, params, on_token=on_token, cancel=cancel, template=template, on_step=on_step
                )
        except (EngineError, ParamError, TemplateError) as exc:
            self.generationFailed.emit(request_id, str(exc))
            return
        except Exception as exc:
            log.exception("unexpected failure while generating")
            self.generationFailed.emit(request_id, str(exc))
            return
        self.generationFinished.emit(request_id, result)

    @Slot()
    def shutdown(self) -> None:
        self.engine.close()


class EngineController(QObject):
    """The window's handle on the model thread. All methods are called on the GUI thread."""

    loadingStarted = Signal(str)  # path
    modelLoaded = Signal(object)  # ModelInfo
    modelLoadFailed = Signal(str)
    token = Signal(str)
    generationFinished = Signal(object)  # GenerationResult
    generationFailed = Signal(str)
    #: One per generated token while token details are on, after the token's text (``token``).
    tokenDetail = Signal(object)  # TokenDetail

    _requestLoad = Signal(int, str, object)
    _requestGenerate = Signal(int, object, object, object, object, str)
    _requestShutdown = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._load_id = 0
        self._generate_id = 0
        self._cancel: threading.Event | None = None
        self.info: ModelInfo | None = None
        self.loading = False
        self.generating = False

        self._thread = QThread()
        self._thread.setObjectName("model")
        self._worker = EngineWorker()
        self._worker.moveToThread(self._thread)
        self._requestLoad.connect(self._worker.load)
        self._requestGenerate.connect(self._worker.generate)
        self._requestShutdown.connect(self._worker.shutdown)
        self._worker.modelLoaded.connect(self._on_loaded)
        self._worker.modelLoadFailed.connect(self._on_load_failed)
        self._worker.token.connect(self._on_token)
        self._worker.generationFinished.connect(self._on_finished)
        self._worker.generationFailed.connect(self._on_failed)
        self._worker.tokenDetail.connect(self._on_token_detail)
        self._thread.start()

    # -- requests ------------------------------------------------------------

    def load_model(self, path: str | Path, options: LoadOptions | None = None) -> None:
        self.stop()
        self._load_id = next(self._ids)
        self.loading = True
        self.info = None
        self.loadingStarted.emit(str(path))
        self._requestLoad.emit(self._load_id, str(path), options or LoadOptions())

    def generate(
        self,
        messages: list[dict[str, str]],
        params: GenerationParams,
        template: ChatTemplate | None = None,
        continue_text: str = "",
    ) -> int:
        """Ask for a reply to ``messages``; with ``continue_text``, the rest of that unfinished reply."""
        self._generate_id = next(self._ids)
        self._cancel = threading.Event()
        self.generating = True
        # The worker gets its own copies: it must never see the window's live data.
        snapshot = [dict(m) for m in messages]
        self._requestGenerate.emit(self._generate_id, snapshot, params, self._cancel, template, continue_text)
        return self._generate_id

    def stop(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def set_pace(self, tokens_per_s: float) -> None:
        """Slow the stream down to ``tokens_per_s`` so a class can read along (0: no limit)."""
        self._worker.pace_tokens_per_s = max(0.0, float(tokens_per_s))

    def set_token_details(self, on: bool) -> None:
        """Ask for a ``tokenDetail`` per token from the next reply on (costs a little speed)."""
        self._worker.token_details = bool(on)

    @property
    def token_details(self) -> bool:
        return self._worker.token_details

    @property
    def pace(self) -> float:
        return self._worker.pace_tokens_per_s

    @property
    def engine(self):
        """The engine, for read-only use from the GUI thread (rendering and tokenizing a prompt).

        Only while a model is loaded and no load is pending: loading replaces the
        model under it. Generation never happens through this handle.
        """
        return self._worker.engine if self.info is not None and not self.loading else None

    def shutdown(self, timeout_ms: int = 10000) -> None:
        """Stop any reply, free the model on its own thread, and end the thread."""
        self.stop()
        self._requestShutdown.emit()
        self._thread.quit()
        self._thread.wait(timeout_ms)

    # -- answers -------------------------------------------------------------

    @Slot(int, object)
    def _on_loaded(self, request_id: int, info: ModelInfo) -> None:
        if request_id != self._load_id:
            return
        self.loading = False
        self.info = info
        self.modelLoaded.emit(info)

    @Slot(int, str, object)
    def _on_load_failed(self, request_id: int, message: str, kept: ModelInfo | None) -> None:
        if request_id != self._load_id:
            return
        self.loading = False
        # The model that was working stays loaded (see Engine.load): :attr:`info` names it again.
        self.info = kept
        self.modelLoadFailed.emit(message)

    @Slot(int, str)
    def _on_token(self, request_id: int, piece: str) -> None:
        if request_id == self._generate_id:
            self.token.emit(piece)

    @Slot(int, object)
    def _on_token_detail(self, request_id: int, detail: object) -> None:
        if request_id == self._generate_id:
            self.tokenDetail.emit(detail)

    @Slot(int, object)
    def _on_finished(self, request_id: int, result: GenerationResult) -> None:
        if request_id != self._generate_id:
            return
        self.generating = False
        self._cancel = None
        self.generationFinished.emit(result)

    @Slot(int, str)
    def _on_failed(self, request_id: int, message: str) -> None:
        if request_id != self._generate_id:
            return
        self.generating = False
        self._cancel = None
        self.generationFailed.emit(message)

