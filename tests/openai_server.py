"""A small, real HTTP server that speaks the OpenAI-compatible chat API the way inference servers do.

It answers ``GET /v1/models`` and ``POST /v1/chat/completions`` (streamed as
server-sent events, with ``logprobs``/``top_logprobs`` when asked and allowed),
in the shapes llama-server, vLLM and Ollama use. The reply is scripted: the
tokens in ``reply`` one event each, the same for every seed unless ``by_seed``
says otherwise.

Switches for tests: ``owned_by`` and ``server_header`` make it look like one
server or another; ``api_key`` requires ``Authorization: Bearer <key>`` (401
otherwise, or 403 with ``forbid``); ``logprobs`` False sends none; ``html``
answers every request with a web page; ``stop_after`` sends that many tokens
and then closes the connection (a server killed mid-reply); ``token_delay``
waits before each token (a slow server); ``finish_reason`` ends the stream.
``lessons`` makes it a shared TinyChat server that answers ``GET /tinychat/lessons``
(behind the key, like ``tinychat serve``): bytes are sent as they are, anything
else as JSON; None (the default) answers 404 with a web page, as llama-server,
vLLM and Ollama do. ``lessons_chunked`` sends them without a length, in pieces.
Every request body is kept in ``requests``.
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DEFAULT_REPLY = ("Hello", ",", " class", "!")


@dataclass
class LoggedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None


@dataclass
class Behaviour:
    models: tuple[str, ...] = ("tiny-model",)
    owned_by: str = "llamacpp"
    server_header: str = "llama.cpp"
    api_key: str | None = None
    forbid: bool = False
    logprobs: bool = True
    html: bool = False
    stop_after: int | None = None
    token_delay: float = 0.0
    reply: tuple[str, ...] = DEFAULT_REPLY
    #: Another reply for a given seed (so tests can see the seed reach the server).
    by_seed: dict[int, tuple[str, ...]] = field(default_factory=dict)
    finish_reason: str = "stop"
    usage: bool = True
    max_model_len: int | None = None
    lessons: Any = None
    lessons_chunked: bool = False


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up mid-reply (Stop, a timeout) is part of the tests, not a failure.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class OpenAIServer:
    """``with OpenAIServer() as server:`` runs it on 127.0.0.1 on a free port; ``server.url`` is its /v1 base."""

    def __init__(self, behaviour: Behaviour | None = None) -> None:
        self.behaviour = behaviour or Behaviour()
        self.requests: list[LoggedRequest] = []
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="openai-test-server", daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.root + "/v1"

    def chat_requests(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests if r.path.endswith("/chat/completions") and r.body is not None]

    def start(self) -> OpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _logprob_entry(token: str, rank_probs: tuple[float, ...], alternatives: tuple[str, ...]) -> dict[str, Any]:
    return {
        "token": token,
        "logprob": math.log(rank_probs[0]),
        "bytes": list(token.encode("utf-8")),
        "top_logprobs": [
            {"token": alt, "logprob": math.log(p), "bytes": list(alt.encode("utf-8"))}
            for alt, p in zip(alternatives, rank_probs, strict=False)
        ],
    }


def _handler(server: OpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def version_string(self) -> str:
            return server.behaviour.server_header or "test"

        # -- helpers ---------------------------------------------------------

        def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, value: Any) -> None:
            self._send(status, json.dumps(value).encode())

        def _error(self, status: int, message: str, kind: str) -> None:
            self._json(status, {"error": {"message": message, "type": kind, "code": status}})

        def _log(self, body: dict[str, Any] | None) -> None:
            server.requests.append(LoggedRequest(self.command, self.path, dict(self.headers), body))

        def _refused(self) -> bool:
            b = server.behaviour
            if b.html:
                self._send(200, b"<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>", "text/html")
                return True
            if b.api_key is not None and self.headers.get("Authorization") != f"Bearer {b.api_key}":
                if b.forbid:
                    self._error(403, "Forbidden", "authentication_error")
                else:
                    self._error(401, "Invalid API Key", "authentication_error")
                return True
            return False

        # -- routes ----------------------------------------------------------

        def do_GET(self) -> None:
            self._log(None)
            if self._refused():
                return
            b = server.behaviour
            if self.path == "/v1/models":
                data = []
                for model in b.models:
                    entry: dict[str, Any] = {"id": model, "object": "model", "created": 0, "owned_by": b.owned_by}
                    if b.max_model_len:
                        entry["max_model_len"] = b.max_model_len
                    data.append(entry)
                self._json(200, {"object": "list", "data": data})
            elif self.path == "/tinychat/lessons" and b.lessons is not None:
                raw = b.lessons if isinstance(b.lessons, bytes) else json.dumps(b.lessons).encode()
                if b.lessons_chunked:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    for start in range(0, len(raw), 65536):
                        piece = raw[start:start + 65536]
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                else:
                    self._send(200, raw)
            else:
                self._send(404, b"<html><body>Not Found</body></html>", "text/html")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = None
            self._log(body)
            if self._refused():
                return
            if self.path != "/v1/chat/completions":
                self._send(404, b"<html><body>Not Found</body></html>", "text/html")
                return
            b = server.behaviour
            if not isinstance(body, dict):
                self._error(400, "Invalid JSON", "invalid_request_error")
                return
            if body.get("model") not in b.models:
                self._error(404, f"The model `{body.get('model')}` does not exist.", "NotFoundError")
                return
            self._stream(body)

        def _event(self, value: Any) -> None:
            data = b"data: " + (value if isinstance(value, bytes) else json.dumps(value).encode()) + b"\n\n"
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        def _stream(self, body: dict[str, Any]) -> None:
            b = server.behaviour
            tokens = b.by_seed.get(body.get("seed"), b.reply)  # type: ignore[arg-type]
            tokens = tokens[: int(body.get("max_tokens") or len(tokens))]
            finish = b.finish_reason if len(tokens) == len(b.by_seed.get(body.get("seed"), b.reply)) else "length"
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            want_logprobs = bool(body.get("logprobs")) and b.logprobs
            base = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0, "model": body["model"]}
            self._event({**base, "choices": [{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}]})
            for n, token in enumerate(tokens):
                if b.stop_after is not None and n >= b.stop_after:
                    # Killed mid-reply: the connection closes without a final chunk.
                    self.close_connection = True
                    self.wfile.flush()
                    self.connection.shutdown(2)
                    return
                if b.token_delay:
                    time.sleep(b.token_delay)
                choice: dict[str, Any] = {"index": 0, "delta": {"content": token}, "finish_reason": None}
                if want_logprobs:
                    alternatives = (token, token.upper() + "?", "…")
                    choice["logprobs"] = {"content": [_logprob_entry(token, (0.5, 0.3, 0.1), alternatives)]}
                self._event({**base, "choices": [choice]})
            self._event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
            if b.usage and (body.get("stream_options") or {}).get("include_usage"):
                self._event({**base, "choices": [], "usage": {"prompt_tokens": 12, "completion_tokens": len(tokens)}})
            self._event(b"[DONE]")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    return Handler
