"""The one way TinyChat runs work off the GUI thread.

A :class:`BackgroundRunner` owns one ``QThread`` and, on it, one *state*
object (an engine, a step session, nothing at all) made by a factory on that
thread the first time it is needed. The GUI thread hands it *work*: a plain
function ``work(state, report)`` that runs on the thread and returns a result.
What comes back is delivered on the GUI thread to the callbacks given with the
request, and only if the request is still the latest of its *kind*: asking for
a new listing makes the answer to the old one disappear, so no code has to
compare request ids by hand.

It also owns what each copy of the old pattern used to get slightly wrong:

- **starting and restarting**: the thread starts with the first request, and a
  request after :meth:`~BackgroundRunner.shutdown` starts a fresh thread with a
  fresh state (a dialog that is closed and shown again keeps working);
- **exceptions**: every exception a piece of work raises is logged with its
  traceback; the ``expected`` ones (whose text is a sentence for a person, such
  as ``EngineError``) are passed on as they are, anything else becomes a
  sentence that says the log has the details. Nothing is swallowed;
- **shutdown**: the state is closed on its own thread, the thread ends itself,
  and the GUI thread checks what ``QThread.wait()`` returned. A thread that did
  not end in time is logged and kept referenced (destroying a running
  ``QThread`` aborts the process) and ``shutdown`` returns False.

Models for this: dangerzone's ``Task`` + runner thread, novelWriter's runnables.
``report(payload)`` streams intermediate results (tokens, download progress) to
the request's ``on_report`` callback, in order, before its final answer.
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from tinychat.core.hardware import release_worker_threads

log = logging.getLogger("tinychat.gui.worker")

S = TypeVar("S")
Report = Callable[[object], None]
# A piece of work: runs on the runner's thread with its state and a way to report progress.
Work = Callable[[Any, Report], object]

# Threads that did not end when asked. A QThread object destroyed while its
# thread still runs aborts the whole process, so they stay referenced here.
_unfinished_threads: list[tuple[QThread, QObject]] = []


def unexpected_error_sentence(exc: BaseException) -> str:
    """What a person reads when a bug (not a situation they can fix) stopped a piece of work."""
    return QCoreApplication.translate(
        "Worker",
        "Something went wrong inside TinyChat ({error}). Nothing you wrote is lost; the log has the details.",
    ).replace("{error}", f"{type(exc).__name__}: {exc}")


class _ThreadSide(QObject):
    """Lives on the worker thread: holds the state and runs each piece of work."""

    answered = Signal(int, object)  # request id, result
    failed = Signal(int, str, object)  # request id, sentence, exception
    reported = Signal(int, object)  # request id, payload

    def __init__(
        self,
        name: str,
        make_state: Callable[[], Any] | None,
        close_state: Callable[[Any], None] | None,
        expected: tuple[type[BaseException], ...],
    ) -> None:
        super().__init__()
        self.name = name
        self.state: Any = None
        self._make_state = make_state
        self._close_state = close_state
        self._expected = expected

    @Slot(int, object)
    def run(self, request_id: int, work: Work) -> None:
        failure: tuple[str, BaseException] | None = None
        result: Any = None
        try:
            if self.state is None and self._make_state is not None:
                self.state = self._make_state()
            result = work(self.state, lambda payload: self.reported.emit(request_id, payload))
        except self._expected as exc:
            # A situation the person can act on: the sentence is the exception's text.
            log.info("%s: request %d failed: %s", self.name, request_id, exc, exc_info=True)
            failure = (str(exc), exc)
        except Exception as exc:
            log.exception("%s: request %d failed unexpectedly", self.name, request_id)
            failure = (unexpected_error_sentence(exc), exc)
        # Before answering, since what the window does next may compute on another thread.
        release_worker_threads()
        if failure is not None:
            self.failed.emit(request_id, *failure)
        else:
            self.answered.emit(request_id, result)

    @Slot()
    def close(self) -> None:
        """Free the state on this thread, then end the thread's event loop."""
        try:
            if self.state is not None and self._close_state is not None:
                self._close_state(self.state)
        except Exception:
            log.exception("%s: closing failed", self.name)
        finally:
            self.state = None
            thread = QThread.currentThread()
            if thread is not None:
                thread.quit()


@dataclass
class _Request:
    kind: str
    on_done: Callable[[Any], None] | None
    on_failed: Callable[[str, BaseException], None] | None
    on_report: Callable[[Any], None] | None


class BackgroundRunner(QObject, Generic[S]):
    """A worker thread, its state, and the requests sent to it. Use it from the GUI thread only."""

    _request = Signal(int, object)
    _requestClose = Signal()

    def __init__(
        self,
        name: str,
        *,
        make_state: Callable[[], S] | None = None,
        close_state: Callable[[S], None] | None = None,
        expected: tuple[type[BaseException], ...] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = name
        self._make_state = make_state
        self._close_state = close_state
        self._expected = expected
        self._ids = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._requests: dict[int, _Request] = {}
        self._thread: QThread | None = None
        self._side: _ThreadSide | None = None
        #: How many threads this runner has started (1 + restarts).
        self.starts = 0

    # -- the thread ------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    @property
    def state(self) -> S | None:
        """The state object, for read-only use from the GUI thread (None before the first request)."""
        return self._side.state if self._side is not None else None

    def start(self) -> None:
        """Start the thread if it is not running (a request does this by itself)."""
        if self.running:
            return
        thread = QThread()
        thread.setObjectName(self.name)
        side = _ThreadSide(self.name, self._make_state, self._close_state, self._expected)
        side.moveToThread(thread)
        self._request.connect(side.run)
        self._requestClose.connect(side.close)
        side.answered.connect(self._on_answered)
        side.failed.connect(self._on_failed)
        side.reported.connect(self._on_reported)
        self._thread, self._side = thread, side
        thread.start()
        self.starts += 1

    def shutdown(self, timeout_ms: int = 10000) -> bool:
        """Close the state on its thread and end the thread; False if it did not end within ``timeout_ms``.

        Answers still on their way are dropped. A later request starts a new thread.
        """
        self._latest.clear()
        self._requests.clear()
        thread, side = self._thread, self._side
        if thread is None or side is None:
            return True
        self._thread, self._side = None, None
        self._request.disconnect(side.run)
        self._requestClose.emit()
        self._requestClose.disconnect(side.close)
        if thread.wait(timeout_ms):
            return True
        log.error(
            "the %s thread did not finish within %.1f s of being asked to; it is left running "
            "and will be abandoned when TinyChat exits",
            self.name, timeout_ms / 1000,
        )
        _unfinished_threads.append((thread, side))
        return False

    # -- requests ---------------------------------------------------------------------

    def submit(
        self,
        work: Work,
        *,
        kind: str = "",
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[str, BaseException], None] | None = None,
        on_report: Callable[[Any], None] | None = None,
    ) -> int:
        """Run ``work(state, report)`` on the thread; answers to older requests of ``kind`` are dropped."""
        self.start()
        request_id = next(self._ids)
        self._latest[kind] = request_id
        self._requests[request_id] = _Request(kind, on_done, on_failed, on_report)
        self._request.emit(request_id, work)
        return request_id

    def is_current(self, request_id: int) -> bool:
        request = self._requests.get(request_id)
        return request is not None and self._latest.get(request.kind) == request_id

    def forget(self, kind: str = "") -> None:
        """Drop the answer to the pending request of ``kind``, whenever it comes."""
        self._latest.pop(kind, None)

    # -- answers (on the GUI thread) ----------------------------------------------------

    def _finish(self, request_id: int) -> _Request | None:
        request = self._requests.pop(request_id, None)
        if request is None or self._latest.get(request.kind) != request_id:
            return None  # stale: a newer request of the same kind was made, or the runner shut down
        del self._latest[request.kind]
        return request

    @Slot(int, object)
    def _on_answered(self, request_id: int, result: object) -> None:
        request = self._finish(request_id)
        if request is not None and request.on_done is not None:
            request.on_done(result)

    @Slot(int, str, object)
    def _on_failed(self, request_id: int, sentence: str, exc: BaseException) -> None:
        request = self._finish(request_id)
        if request is not None and request.on_failed is not None:
            request.on_failed(sentence, exc)

    @Slot(int, object)
    def _on_reported(self, request_id: int, payload: object) -> None:
        request = self._requests.get(request_id)
        if request is not None and request.on_report is not None and self._latest.get(request.kind) == request_id:
            request.on_report(payload)
