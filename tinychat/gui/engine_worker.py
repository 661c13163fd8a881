"""The model runs on its own thread; the window talks to it through ``EngineController``.

The controller owns a :class:`~tinychat.gui.worker.BackgroundRunner` whose
state is the engine, made on the model thread by the engine factory it was
given (``Engine`` by default; tests give a fake, see
:mod:`tinychat.core.engine_protocol`). Requests are pieces of work run there;
answers come back as signals, and an answer to an older request is dropped.
Stopping does not queue anything (it would wait behind the running token
loop): the controller sets a ``threading.Event`` that the engine checks once
per token.

Tokens are not signalled one by one: the model thread puts each in the
reply's queue (a ``deque``, whose append and popleft are atomic) and wakes the
window only when no delivery is already on its way; the window takes what has
arrived at most once per frame (``FRAME_MS``), as one ``token`` signal with the
text of all of them. The window then inserts, lays out, saves and paints at
most once per frame however fast the model writes, and nothing runs on its
thread while no token comes (measured with benchmarks/bench_window_streaming.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal

from tinychat.core.backends import Backends
from tinychat.core.continuation import continue_reply
from tinychat.core.engine import Engine, EngineError, ModelInfo, ModelLoadError
from tinychat.core.engine_protocol import ChatEngine, EngineFactory
from tinychat.core.fingerprint import sha256_of
from tinychat.core.params import GenerationParams, ParamError
from tinychat.core.remote import RemoteTarget
from tinychat.core.results import GenerationResult
from tinychat.core.saved_state import StateCache, next_prompt_prefix
from tinychat.core.templates import ChatTemplate, TemplateError
from tinychat.gui.worker import BackgroundRunner, Report, Work

log = logging.getLogger("tinychat.gui.engine_worker")

#: Milliseconds between two deliveries of streamed text to the window: 30 a second, smooth for reading.
#: Against one per 60 Hz screen frame (16 ms) it halved the window thread's CPU per token (1.02 to
#: 0.51 ms at 80 tokens/s, benchmarks/bench_window_streaming.py), time a 2-core laptop gives the model.
FRAME_MS = 33


class _Stream:
    """What the model thread has streamed for one reply and the window has not taken yet."""

    def __init__(self, wake: Callable[[], None]) -> None:
        self.items: deque[tuple[str, object]] = deque()
        #: A delivery has been asked for and not made yet (written by both threads; a bool store is atomic).
        self.asked = False
        self._wake = wake

    def put(self, kind: str, value: object) -> None:
        """On the model thread: keep ``value`` and wake the window unless it is already woken."""
        self.items.append((kind, value))
        if not self.asked:
            self.asked = True
            self._wake()


@dataclass(frozen=True)
class LoadOptions:
    n_ctx: int | None = None
    n_threads: int | None = None
    n_gpu_layers: int = 0
    n_batch: int | None = None
    flash_attn: str = "auto"
    #: Speculative decoding: "off", "lookup" or "draft" (with ``draft_model``); see tinychat.core.speculative.
    speculative: str = "off"
    draft_model: str = ""


def _hash(info: ModelInfo) -> None:
    """Every saved reply names the exact file that wrote it; hashed once, then cached."""
    if info.sha256 or info.endpoint:  # a server's model: its endpoint and model id name it
        return
    try:
        info.sha256 = sha256_of(info.path)
    except OSError as exc:
        log.warning("could not hash %s: %s", info.path, exc)


def _load(path: str, options: LoadOptions) -> Work:
    def work(engine: ChatEngine, _report: Report) -> ModelInfo:
        try:
            info = engine.load(
                path, n_ctx=options.n_ctx, n_threads=options.n_threads, n_gpu_layers=options.n_gpu_layers,
                n_batch=options.n_batch,
                # Speculative decoding gives the plain reply only with flash attention (tinychat.core.speculative).
                flash_attn="on" if options.speculative != "off" else options.flash_attn,
            )
        except EngineError as exc:
            # The model that was working stays loaded (see Engine.load) and keeps its hash.
            kept = getattr(exc, "kept", None)
            if kept is not None:
                _hash(kept)
            raise
        _hash(info)
        if options.speculative != "off":
            try:
                engine.set_speculative(options.speculative, options.draft_model or None)
            except EngineError as exc:
                # The model itself loaded and stays; only the guessing is off, and the sentence says why.
                raise ModelLoadError(str(exc), kept=info) from None
        return info

    return work


def _connect(target: RemoteTarget) -> Work:
    def work(engine: ChatEngine, _report: Report) -> ModelInfo:
        connect = getattr(engine, "connect", None)
        if connect is None:  # an engine factory without servers (the window always has them)
            raise EngineError(QCoreApplication.translate("EngineController", "This window cannot use a server."))
        return connect(target)

    return work


def local_engine(engine: ChatEngine) -> Engine | None:
    """The llama.cpp engine replies come from, when the model runs here (saved states are its own)."""
    active = engine.in_use if isinstance(engine, Backends) else engine
    return active if isinstance(active, Engine) and active.loaded else None


def _close(engine: ChatEngine) -> None:
    engine.close()


class EngineController(QObject):
    """The window's handle on the model thread. All methods are called on the GUI thread."""

    loadingStarted = Signal(str)  # path
    modelLoaded = Signal(object)  # ModelInfo
    modelLoadFailed = Signal(str)
    #: Text streamed since the last frame (one or more tokens' pieces, in order).
    token = Signal(str)
    generationFinished = Signal(object)  # GenerationResult
    generationFailed = Signal(str)
    #: One per generated token while token details are on, after the token's text (``token``).
    tokenDetail = Signal(object)  # TokenDetail
    #: One per generated token while speculative decoding runs, before the token's text (``token``).
    draftMark = Signal(object)  # tinychat.core.speculative.DraftMark
    #: Emitted on the model thread when streamed text waits for the window.
    _wake = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        engine_factory: EngineFactory = Engine,
        name: str = "model",
        *,
        keep_states: bool = False,
    ) -> None:
        super().__init__(parent)
        #: Where the prompt's llama.cpp state is saved after each reply (the main window's
        #: conversations), so that a conversation reopened later reads only its new text.
        self._states = StateCache() if keep_states else None
        #: The last reply asked for: (messages, template, text it continues).
        self._asked: tuple[list[dict[str, str]], ChatTemplate | None, str] | None = None
        self._cancel: threading.Event | None = None
        self._load_id = 0
        self._generate_id = 0
        self.info: ModelInfo | None = None
        self.loading = False
        self.generating = False
        #: Send a TokenDetail per token (the probability view); read by the model thread.
        self._token_details = False
        #: Classroom read-along limit in tokens per second (0: as fast as the model goes).
        #: Written here, read by the model thread; a float assignment is atomic in Python.
        self._pace = 0.0
        self._runner: BackgroundRunner[ChatEngine] = BackgroundRunner(
            name,
            make_state=engine_factory,
            close_state=_close,
            expected=(EngineError, ParamError, TemplateError),
            parent=self,
        )
        self._runner.start()
        #: The current reply's stream (an older reply still running puts into its own, never shown).
        self._stream: _Stream | None = None
        self._last_delivery = float("-inf")
        self._frame = QTimer(self)
        self._frame.setSingleShot(True)
        self._frame.timeout.connect(self._deliver)
        self._wake.connect(self._on_wake, Qt.ConnectionType.QueuedConnection)

    # -- requests ------------------------------------------------------------

    def load_model(self, path: str | Path, options: LoadOptions | None = None) -> None:
        self.stop()
        self.loading = True
        self.info = None
        self.loadingStarted.emit(str(path))
        self._load_id = self._runner.submit(
            _load(str(path), options or LoadOptions()),
            kind="load",
            on_done=self._on_loaded,
            on_failed=self._on_load_failed,
        )

    def connect_server(self, target: RemoteTarget) -> None:
        """Use a model on an inference server instead of a file (answered like a load)."""
        self.stop()
        self.loading = True
        self.info = None
        self.loadingStarted.emit(target.url)
        self._load_id = self._runner.submit(
            _connect(target), kind="load", on_done=self._on_loaded, on_failed=self._on_load_failed
        )

    def generate(
        self,
        messages: list[dict[str, str]],
        params: GenerationParams,
        template: ChatTemplate | None = None,
        continue_text: str = "",
    ) -> int:
        """Ask for a reply to ``messages``; with ``continue_text``, the rest of that unfinished reply."""
        self._cancel = cancel = threading.Event()
        self.generating = True
        # The worker gets its own copies: it must never see the window's live data.
        snapshot = [dict(m) for m in messages]
        self._asked = (snapshot, template, continue_text)
        details = self._token_details
        pace = lambda: self._pace  # noqa: E731 - read at every token, so a change applies at once
        self._stream = stream = _Stream(self._wake.emit)

        def work(engine: ChatEngine, report: Report) -> GenerationResult:
            last_shown = float("-inf")

            def on_token(piece: str) -> None:
                nonlocal last_shown
                rate = pace()
                if rate > 0:
                    # Hold the token until 1/rate after the previous one (a late token never
                    # makes the next ones rush), waking often enough to notice Stop.
                    due = last_shown + 1.0 / rate
                    while not cancel.is_set() and (wait := due - time.perf_counter()) > 0:
                        time.sleep(min(wait, 0.05))
                last_shown = time.perf_counter()
                stream.put("token", piece)

            on_step = (lambda detail: stream.put("detail", detail)) if details else None
            if continue_text:
                return continue_reply(
                    engine, snapshot, continue_text, params,
                    on_token=on_token, cancel=cancel, template=template, on_step=on_step,
                )
            return engine.generate(
                snapshot, params, on_token=on_token, cancel=cancel, template=template, on_step=on_step,
                on_draft=lambda mark: stream.put("draft", mark),
            )

        self._generate_id = self._runner.submit(
            work,
            kind="generate",
            on_done=self._on_finished,
            on_failed=self._on_failed,
        )
        return self._generate_id

    def warm_up(self, messages: list[dict[str, str]], template: ChatTemplate | None = None) -> None:
        """Load the saved state of a reopened conversation on the model thread, before its next reply.

        ``messages``: the conversation as the next prompt will hold it (the
        text of the next message does not matter: only the saved state sharing
        the longest prefix with it is loaded).
        """
        states = self._states
        if states is None or self.info is None or self.loading:
            return
        snapshot = [dict(m) for m in messages]

        def work(engine: ChatEngine, _report: Report) -> None:
            local = local_engine(engine)
            if local is None:
                return
            try:
                states.restore(local, local.tokenize(local.render(snapshot, template)))
            except (EngineError, TemplateError) as exc:
                log.info("no saved state loaded: %s", exc)

        self._runner.submit(work, kind="warm")

    def _save_state(self, result: GenerationResult) -> None:
        """After a reply (never while it streams): keep the conversation's state for the next time.

        The reply is evaluated in batches first (off the token path, while the
        person reads it), so that the next turn, in this run or after a restart,
        reads only the new message.
        """
        states, asked = self._states, self._asked
        if states is None or asked is None:
            return
        messages, template, continued = asked
        reply = continued + result.text

        def work(engine: ChatEngine, _report: Report) -> None:
            local = local_engine(engine)
            if local is None:
                return
            try:
                follows = next_prompt_prefix(local, messages, reply, template)
            except (EngineError, TemplateError) as exc:
                log.info("the reply is not evaluated ahead: %s", exc)
                follows = []
            states.save(local, follows)

        self._runner.submit(work, kind="save-state")

    def stop(self) -> None:
        if self._cancel is not None:
            self._cancel.set()

    def set_pace(self, tokens_per_s: float) -> None:
        """Slow the stream down to ``tokens_per_s`` so a class can read along (0: no limit)."""
        self._pace = max(0.0, float(tokens_per_s))

    def set_token_details(self, on: bool) -> None:
        """Ask for a ``tokenDetail`` per token from the next reply on (costs a little speed)."""
        self._token_details = bool(on)

    @property
    def token_details(self) -> bool:
        return self._token_details

    @property
    def pace(self) -> float:
        return self._pace

    @property
    def engine(self) -> ChatEngine | None:
        """The engine, for read-only use from the GUI thread (rendering and tokenizing a prompt).

        Only while a model is loaded and no load is pending: loading replaces the
        model under it. Generation never happens through this handle.
        """
        return self._runner.state if self.info is not None and not self.loading else None

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Stop any reply, free the model on its own thread, and end the thread.

        False when the thread did not end within ``timeout_ms`` (the runner has logged it).
        """
        self.stop()
        self.generating = self.loading = False
        self._frame.stop()
        self._stream = None
        return self._runner.shutdown(timeout_ms)

    # -- answers -------------------------------------------------------------

    def _on_loaded(self, info: ModelInfo) -> None:
        self.loading = False
        self.info = info
        self.modelLoaded.emit(info)

    def _on_load_failed(self, message: str, exc: BaseException) -> None:
        self.loading = False
        # The model that was working stays loaded (see Engine.load): :attr:`info` names it again.
        self.info = getattr(exc, "kept", None)
        self.modelLoadFailed.emit(message)

    def _on_wake(self) -> None:
        """Deliver now, or at the end of the frame if the last delivery was less than a frame ago."""
        if self._stream is None or self._frame.isActive():
            return
        wait_ms = FRAME_MS - (time.perf_counter() - self._last_delivery) * 1000
        if wait_ms > 1:
            self._frame.start(int(wait_ms))
        else:
            self._deliver()

    def _deliver(self) -> None:
        """Hand the window what was streamed since the last delivery: consecutive pieces as one
        ``token``, each token detail after the text it belongs to, each draft mark before it."""
        stream = self._stream
        if stream is None:
            return
        stream.asked = False  # before taking: a token put from now on wakes the window again
        self._last_delivery = time.perf_counter()
        text: list[str] = []
        for _ in range(len(stream.items)):  # what is there now; later tokens come with the next wake
            what, value = stream.items.popleft()
            if what == "token":
                text.append(str(value))
                continue
            if text:
                self.token.emit("".join(text))
                text = []
            if what == "detail":
                self.tokenDetail.emit(value)
            else:
                self.draftMark.emit(value)
        if text:
            self.token.emit("".join(text))

    def _end_of_reply(self) -> None:
        self._frame.stop()
        self._deliver()  # the last pieces come before the answer
        self._stream = None
        self.generating = False
        self._cancel = None

    def _on_finished(self, result: GenerationResult) -> None:
        self._end_of_reply()
        self.generationFinished.emit(result)
        self._save_state(result)

    def _on_failed(self, message: str, _exc: BaseException) -> None:
        self._end_of_reply()
        self.generationFailed.emit(message)
