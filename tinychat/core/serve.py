"""Share a model with a class: an existing inference server behind a thin gate that asks for a key.

``tinychat serve`` (and the window's "Share my model with the class…") starts
one of two servers that already exist, on a private loopback port:

- llama.cpp's own ``llama-server`` (:func:`tinychat.core.llama_tools.find_tool`),
  which answers N students at once by continuous batching over N parallel slots;
- otherwise llama-cpp-python's server module (``python -m llama_cpp.server``),
  which answers one request after the other.

In front of it runs the *gate*: a small Starlette app (served by uvicorn) on the
address the class uses. It is not an inference server: it checks the access
key, forwards ``/v1/...`` to the server as it is (streams included, through
httpx), counts the computers and requests it forwards (for the teacher's
figures), and answers three small TinyChat requests of its own:

- ``GET /tinychat/info``: ``{"tinychat": version, "backend", "model", "parallel"}``;
- ``GET /tinychat/lessons``: ``{"lessons": [lesson, ...]}``, each a lesson file's
  JSON (:mod:`tinychat.core.lesson_file`): the teacher's saved lessons;
- ``GET /tinychat/status``: the figures (:meth:`ClassStats.snapshot`).

Every request needs the key, as OpenAI clients send it:
``Authorization: Bearer KEY`` (``X-Api-Key: KEY`` works too). The server behind
the gate has its own random key and listens on 127.0.0.1 only, so the gate is
the one way in. The gate listens on 127.0.0.1 unless the teacher chooses the
local network (``--lan``, or ``--host 0.0.0.0``).

Students are counted honestly as what the gate can tell apart: a computer (its
IP address, plus the ``X-TinyChat-Client`` header when a client sends one) that
made a request in the last :data:`ACTIVE_WINDOW_S` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import logging
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinychat.core.gguf_info import GGUFInfoError, read_gguf_info
from tinychat.core.i18n import translate

log = logging.getLogger("tinychat.serve")

LLAMA_SERVER = "llama-server"
LLAMA_CPP_PYTHON = "llama-cpp-python"
BACKENDS = (LLAMA_SERVER, LLAMA_CPP_PYTHON)
#: llama-cpp-python's server needs these (its ``[server]`` extra).
SERVER_MODULES = ("fastapi", "uvicorn", "sse_starlette", "starlette_context", "pydantic_settings")
DEFAULT_PORT = 8080
DEFAULT_PARALLEL = 4
#: Context per student (llama-server divides its context between the slots).
CONTEXT_PER_SLOT = 2048
#: A computer that made a request this recently counts as connected.
ACTIVE_WINDOW_S = 300.0
#: The largest request body forwarded: a whole long conversation fits many times over.
MAX_BODY = 4 * 1024 * 1024
#: How long to wait for the model to load before giving up.
START_TIMEOUT_S = 180.0
#: The key's letters: no 0/O, 1/I/L, so it can be read off a projector and typed.
KEY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CLIENT_HEADER = "x-tinychat-client"

_CTX = "Serve"


def _t(text: str) -> str:
    return translate(_CTX, text)


class ServeError(RuntimeError):
    """Sharing could not start or stopped; the message is one sentence for the teacher."""


def new_access_key(groups: int = 3, size: int = 4) -> str:
    """A key students can type from the board, like ``K7QM-4PXR-2HCW`` (about 59 bits)."""
    return "-".join("".join(secrets.choice(KEY_ALPHABET) for _ in range(size)) for _ in range(groups))


def key_matches(given: str | None, key: str) -> bool:
    """Whether ``given`` is the key, in constant time, forgiving case and spaces (people type it)."""
    if not given:
        return False
    normal = given.strip().upper().replace(" ", "")
    return secrets.compare_digest(normal.encode(), key.upper().encode())


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses on the local network (no loopback), best guess first.

    The first comes from the route the system would use (a UDP "connect" sends
    no packet); the others from the host name. With no network, an empty list.
    """
    found: list[str] = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))
        found.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(str(info[4][0]))
    return [a for a in dict.fromkeys(found) if not a.startswith("127.") and a != "0.0.0.0"]


def is_open_to_network(host: str) -> bool:
    return host not in ("127.0.0.1", "localhost", "::1")


def base_urls(host: str, port: int) -> list[str]:
    """The addresses students type (``http://HOST:PORT/v1``)."""
    hosts = (lan_addresses() or ["127.0.0.1"]) if host in ("0.0.0.0", "") else [host]
    return [f"http://{h}:{port}/v1" for h in hosts]


def llama_cpp_server_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in SERVER_MODULES)


@dataclass(frozen=True)
class BackendChoice:
    name: str  # one of BACKENDS
    program: Path | None  # llama-server's path
    note: str  # empty, or why the other server was not used


def choose_backend(wanted: str = "auto") -> BackendChoice:
    """llama-server when found (or asked for), else llama-cpp-python's server; ServeError if neither can run."""
    from tinychat.core.llama_tools import find_tool

    program = find_tool(LLAMA_SERVER)
    if wanted in ("auto", LLAMA_SERVER) and program is not None:
        return BackendChoice(LLAMA_SERVER, program, "")
    if wanted == LLAMA_SERVER:
        raise ServeError(_t("llama.cpp's llama-server was not found: build it with "
                            "\"python -m tinychat.core.llama_tools\", or use --backend auto."))
    if getattr(sys, "frozen", False):
        # An installed app has no Python to run "python -m llama_cpp.server" with: its own
        # executable would take those words for its own command line.
        raise ServeError(_t("No server can be started: llama.cpp's llama-server was not found. Put the "
                            "llama-server program of llama.cpp beside TinyChat or on the PATH."))
    if not llama_cpp_server_available():
        raise ServeError(_t("No server can be started: llama-server was not found and llama-cpp-python's server "
                            "needs its [server] extra (pip install \"llama-cpp-python[server]\")."))
    note = "" if wanted == LLAMA_CPP_PYTHON else _t(
        "llama.cpp's llama-server was not found, so llama-cpp-python's server is used: it answers one student "
        "at a time. Build llama-server (python -m tinychat.core.llama_tools) to answer several at once.")
    return BackendChoice(LLAMA_CPP_PYTHON, None, note)


#: Where each server reads its key from. Not its command line: every user of the computer can read
#: that (``ps``); a process's environment only its owner and the administrator.
KEY_VARIABLES = {LLAMA_SERVER: "LLAMA_API_KEY", LLAMA_CPP_PYTHON: "API_KEY"}


def backend_environment(choice: BackendChoice, key: str) -> dict[str, str]:
    """The environment that gives the chosen server its own ``key``."""
    return {**os.environ, KEY_VARIABLES[choice.name]: key}


def backend_command(
    choice: BackendChoice, model: Path, port: int, parallel: int, threads: int | None = None
) -> list[str]:
    """The command line that starts the chosen server on 127.0.0.1:``port`` (its key: backend_environment)."""
    if choice.name == LLAMA_SERVER:
        assert choice.program is not None
        command = [
            str(choice.program), "--model", str(model), "--host", "127.0.0.1", "--port", str(port),
            "--parallel", str(parallel), "--cont-batching",
            "--ctx-size", str(CONTEXT_PER_SLOT * parallel), "--no-webui", "--alias", model.name,
        ]
        if threads:
            command += ["--threads", str(threads), "--threads-batch", str(threads)]
        return command
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", str(CONTEXT_PER_SLOT), "--model_alias", model.name,
        # Its default lets a new request cut off the one streaming; a class needs each reply finished.
        "--interrupt_requests", "False",
    ]
    if threads:
        command += ["--n_threads", str(threads), "--n_threads_batch", str(threads)]
    return command


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (0: any free port); ServeError when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if sys.platform != "win32":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise ServeError(_t("Port {port} is already in use on this computer: choose another port, or stop "
                                "the program that uses it.").format(port=port)) from None
        raise ServeError(_t("Cannot listen on {host}:{port}: {reason}.").format(
            host=host, port=port, reason=exc.strerror or exc)) from None
    return sock


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, have the server ended by the kernel when ``tinychat serve`` ends, however it ends (even killed).

    Elsewhere the server is stopped by :meth:`ClassServer.stop` only.
    """
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import signal

    def set_parent_death_signal() -> None:
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)

    return set_parent_death_signal


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- the figures the teacher sees ---------------------------------------------


@dataclass
class ClassStats:
    """Computers seen and requests forwarded, thread-safe; :meth:`snapshot` gives the teacher's figures."""

    clock: Callable[[], float] = time.monotonic
    _seen: dict[str, float] = field(default_factory=dict)
    _requests: deque[float] = field(default_factory=deque)
    total: int = 0
    errors: int = 0
    refused: int = 0
    in_flight: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def started(self, client: str, generation: bool) -> None:
        now = self.clock()
        with self._lock:
            self._seen[client] = now
            if generation:
                self._requests.append(now)
                self.total += 1
                self.in_flight += 1

    def finished(self, ok: bool) -> None:
        with self._lock:
            self.in_flight = max(0, self.in_flight - 1)
            if not ok:
                self.errors += 1

    def refuse(self) -> None:
        with self._lock:
            self.refused += 1

    def snapshot(self) -> dict[str, int]:
        now = self.clock()
        with self._lock:
            for client in [c for c, t in self._seen.items() if now - t > ACTIVE_WINDOW_S]:
                del self._seen[client]
            while self._requests and now - self._requests[0] > 60.0:
                self._requests.popleft()
            return {
                "students": len(self._seen),
                "requests_per_minute": len(self._requests),
                "in_flight": self.in_flight,
                "requests": self.total,
                "errors": self.errors,
                "refused": self.refused,
            }


# -- the gate -----------------------------------------------------------------

#: Headers that belong to one connection, not to the request (RFC 9110 7.6.1), and those the gate sets itself.
_HOP_HEADERS = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "host", "content-length", "authorization", "x-api-key", CLIENT_HEADER,
}


@dataclass
class GateConfig:
    upstream: str  # http://127.0.0.1:PORT
    upstream_key: str
    access_key: str
    info: dict[str, Any]
    lessons: Callable[[], list[dict[str, Any]]]
    stats: ClassStats = field(default_factory=ClassStats)


def _naming_the_model(body: bytes, name: str) -> bytes:
    """A completion request's JSON with ``model`` set to the model served, by its file name.

    llama-cpp-python's server writes into every reply the ``model`` the request
    named, and when it named none, the model's full path on the teacher's disk.
    The gate serves one model, so the request names it. A body that is not a
    JSON object goes as it came: the server answers it with its own error.
    """
    try:
        request = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested thousands deep, on purpose
        return body
    if not isinstance(request, dict) or not name:
        return body
    request["model"] = name
    return json.dumps(request).encode("utf-8")


def _client_id(request: Any) -> str:
    host = request.client.host if request.client else "?"
    extra = request.headers.get(CLIENT_HEADER, "")[:64]
    return f"{host}/{extra}" if extra else host


def _error(message: str, status: int, kind: str = "invalid_request_error") -> Any:
    from starlette.responses import JSONResponse

    return JSONResponse({"error": {"message": message, "type": kind}}, status_code=status)


class Gate:
    """The gate as an ASGI app (Starlette, :attr:`app`): key check, forwarding, counting, TinyChat's requests.

    Forwarding by hand rather than through a proxy library: the gate must count
    each request and see when its stream ends, and that is these few lines
    over httpx's streaming client.
    """

    def __init__(self, config: GateConfig) -> None:
        import httpx2 as httpx
        from starlette.applications import Starlette
        from starlette.routing import Route

        self.config = config
        self.stats = config.stats
        # No read timeout: a long reply on a slow laptop streams for minutes; the connection limit bounds the load.
        self.client = httpx.AsyncClient(
            base_url=config.upstream,
            timeout=httpx.Timeout(connect=10.0, read=None, write=60.0, pool=None),
            limits=httpx.Limits(max_connections=256, max_keepalive_connections=64),
        )

        @contextlib.asynccontextmanager
        async def lifespan(_app: Any) -> AsyncIterator[None]:
            yield
            await self.client.aclose()

        self.app = Starlette(
            routes=[
                Route("/tinychat/info", self.info, methods=["GET"]),
                Route("/tinychat/lessons", self.lessons, methods=["GET"]),
                Route("/tinychat/status", self.status, methods=["GET"]),
                Route("/v1/{rest:path}", self.forward, methods=["GET", "POST", "OPTIONS", "DELETE"]),
            ],
            lifespan=lifespan,
        )

    def _refused(self, message: str, status: int) -> Any:
        self.stats.refuse()
        return _error(message, status)

    def _authorised(self, request: Any) -> bool:
        given = request.headers.get("x-api-key")
        bearer = request.headers.get("authorization", "")
        if bearer.lower().startswith("bearer "):
            given = bearer[7:]
        return key_matches(given, self.config.access_key)

    def _no_key(self) -> Any:
        return self._refused("This TinyChat class server needs its access key: ask the teacher for it.", 401)

    async def info(self, request: Any) -> Any:
        from starlette.responses import JSONResponse

        if not self._authorised(request):
            return self._no_key()
        self.stats.started(_client_id(request), generation=False)
        return JSONResponse(self.config.info)

    async def lessons(self, request: Any) -> Any:
        from starlette.responses import JSONResponse

        if not self._authorised(request):
            return self._no_key()
        self.stats.started(_client_id(request), generation=False)
        return JSONResponse({"lessons": await asyncio.to_thread(self.config.lessons)})

    async def status(self, request: Any) -> Any:
        from starlette.responses import JSONResponse

        if not self._authorised(request):
            return self._no_key()
        return JSONResponse(self.stats.snapshot())

    @staticmethod
    async def _body(request: Any) -> bytes | None:
        """The request's body, or None when it is larger than :data:`MAX_BODY` (read no further)."""
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_BODY:
            return None
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                return None
        return body

    async def forward(self, request: Any) -> Any:
        import anyio
        import httpx2 as httpx
        from starlette.responses import StreamingResponse

        if not self._authorised(request):
            return self._no_key()
        body = await self._body(request)
        if body is None:
            return self._refused("The request is too large.", 413)
        generation = request.method == "POST" and request.url.path.endswith("completions")
        if generation:
            body = _naming_the_model(body, str(self.config.info.get("model", "")))
        self.stats.started(_client_id(request), generation)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        headers["authorization"] = f"Bearer {self.config.upstream_key}"
        upstream = self.client.build_request(
            request.method, request.url.path, params=request.query_params, headers=headers, content=body
        )
        try:
            answer = await self.client.send(upstream, stream=True)
        except httpx.HTTPError as exc:
            if generation:
                self.stats.finished(ok=False)
            log.warning("the server behind the gate did not answer: %s", exc)
            return _error("The model server is not answering.", 502, "server_error")
        ok = answer.status_code < 400

        async def relay() -> AsyncIterator[bytes]:
            # Ended by the last chunk, a broken stream or the student leaving (cancelled): each way the count
            # is closed and the server's connection too, so llama-server frees the slot.
            finished = False
            try:
                async for chunk in answer.aiter_raw():
                    yield chunk
                finished = True
            finally:
                if generation:
                    self.stats.finished(ok and finished)
                with anyio.CancelScope(shield=True):
                    await answer.aclose()

        kept = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP_HEADERS}
        return StreamingResponse(relay(), status_code=answer.status_code, headers=kept)


# -- the whole: server behind, gate in front ----------------------------------


@dataclass
class ServeOptions:
    model: Path
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    parallel: int = DEFAULT_PARALLEL
    backend: str = "auto"
    threads: int | None = None
    key: str | None = None
    lessons_dir: Path | None = None
    log_file: Path | None = None


def lessons_as_json(folder: Path | None) -> list[dict[str, Any]]:
    from tinychat.core.lesson_file import shared_lessons

    lessons, problems = shared_lessons(folder)
    for problem in problems:
        log.warning("lesson not shared: %s", problem)
    return [lesson.to_dict() for lesson in lessons]


class ClassServer:
    """The chosen server and the gate; :meth:`start` then :meth:`run_gate` (blocking) and :meth:`stop`."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.key = options.key or new_access_key()
        self.choice = choose_backend(options.backend)
        self.stats = ClassStats()
        self.process: subprocess.Popen[bytes] | None = None
        self.socket: socket.socket | None = None
        self.port = options.port
        self._log_handle: Any = None
        self._gate_server: Any = None
        self._stop_requested = False

    @property
    def urls(self) -> list[str]:
        return base_urls(self.options.host, self.port)

    def start(self, on_wait: Callable[[], None] | None = None) -> None:
        """Bind the class's port, start the server and wait until its model is loaded; ServeError otherwise."""
        model = self.options.model
        if not model.is_file():
            raise ServeError(_t("The model file {file} was not found.").format(file=model))
        try:
            # The same header check as a load here: a damaged file is one sentence, not a server
            # that dies a moment later (llama.cpp aborts on some impossible values).
            read_gguf_info(model)
        except GGUFInfoError as exc:
            raise ServeError(str(exc)) from None
        if not 1 <= self.options.parallel <= 64:
            raise ServeError(_t("The number of parallel replies must be between 1 and 64."))
        # The class's port first: a port in use is said before a minute of model loading.
        self.socket = bind_socket(self.options.host, self.options.port)
        self.port = int(self.socket.getsockname()[1])
        self.upstream_port = free_port()
        self.upstream_key = secrets.token_hex(24)  # hex: never starts with "-" (an option to argparse)
        command = backend_command(self.choice, model, self.upstream_port, self.options.parallel, self.options.threads)
        log.info("starting %s", " ".join(command))
        output: Any = subprocess.DEVNULL
        if self.options.log_file is not None:
            self.options.log_file.parent.mkdir(parents=True, exist_ok=True)
            output = self._log_handle = self.options.log_file.open("wb")  # the last session only: it never grows
        try:
            # preexec_fn: only prctl runs in the child, and the server is started before the gate's threads.
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
                env=backend_environment(self.choice, self.upstream_key),
                preexec_fn=_die_with_parent(),  # noqa: PLW1509
            )
        except OSError as exc:
            self.close_socket()
            raise ServeError(_t("The model server could not be started: {reason}.").format(
                reason=exc.strerror or exc)) from None
        self._wait_until_ready(on_wait)

    def _wait_until_ready(self, on_wait: Callable[[], None] | None) -> None:
        import httpx2 as httpx

        url = f"http://127.0.0.1:{self.upstream_port}/v1/models"
        headers = {"Authorization": f"Bearer {self.upstream_key}"}
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                self.stop()
                raise ServeError(self.died_sentence())
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url, headers=headers, timeout=2.0).status_code == 200:
                    return
            if on_wait:
                on_wait()
            time.sleep(0.25)
        self.stop()
        raise ServeError(_t("The model server did not finish loading the model within {seconds} seconds.").format(
            seconds=int(START_TIMEOUT_S)))

    def died_sentence(self) -> str:
        code = self.process.returncode if self.process else None
        where = f" {self.options.log_file}" if self.options.log_file else ""
        return _t("The model server stopped (exit code {code}); its messages are in the log{where}.").format(
            code=code, where=where)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def gate_config(self) -> GateConfig:
        from tinychat import __version__

        folder = self.options.lessons_dir
        return GateConfig(
            upstream=f"http://127.0.0.1:{self.upstream_port}",
            upstream_key=self.upstream_key,
            access_key=self.key,
            info={
                "tinychat": __version__,
                "backend": self.choice.name,
                "model": self.options.model.name,
                "parallel": self.options.parallel if self.choice.name == LLAMA_SERVER else 1,
            },
            lessons=lambda: lessons_as_json(folder),
            stats=self.stats,
        )

    def run_gate(self, every: Callable[[], None] | None = None, period_s: float = 2.0) -> None:
        """Serve the gate until :meth:`request_stop` or a signal; ``every`` runs each ``period_s`` seconds."""
        import uvicorn

        sock = self.socket
        assert sock is not None
        config = uvicorn.Config(
            Gate(self.gate_config()).app, log_level="warning", access_log=False, lifespan="on",
            timeout_graceful_shutdown=3,
        )
        server = self._gate_server = uvicorn.Server(config)
        if self._stop_requested:
            return

        async def main() -> None:
            async def tick() -> None:
                while not server.should_exit:
                    await asyncio.sleep(period_s)
                    if not self.alive() or self._stop_requested:
                        server.should_exit = True
                    if every:
                        every()

            ticker = asyncio.ensure_future(tick())
            try:
                await server.serve(sockets=[sock])
            finally:
                ticker.cancel()

        asyncio.run(main())

    def request_stop(self) -> None:
        """End :meth:`run_gate` soon (from any thread or a signal handler; also before it started)."""
        self._stop_requested = True
        if self._gate_server is not None:
            self._gate_server.should_exit = True

    def close_socket(self) -> None:
        if self.socket is not None:
            self.socket.close()
            self.socket = None

    def stop(self) -> None:
        """Stop the server (politely, then for good) and free the class's port."""
        self.close_socket()
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None

    def ready_event(self) -> dict[str, Any]:
        return {
            "event": "ready",
            "backend": self.choice.name,
            "note": self.choice.note,
            "host": self.options.host,
            "port": self.port,
            "urls": self.urls,
            "key": self.key,
            "open_to_network": is_open_to_network(self.options.host),
            "parallel": self.options.parallel if self.choice.name == LLAMA_SERVER else 1,
            "model": self.options.model.name,
        }


def event_line(event: dict[str, Any]) -> str:
    return json.dumps(event, ensure_ascii=False)
