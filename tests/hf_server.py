"""A small, real HTTP server that speaks enough of the Hugging Face Hub API for huggingface_hub.

It answers what huggingface_hub 2.4 asks for:

- ``GET /api/models/{repo}`` and ``/api/models/{repo}/revision/{rev}`` (``model_info``;
  with ``blobs=true`` the siblings carry size and LFS sha256),
- ``GET /api/models?search=...`` (``list_models``),
- ``GET /api/whoami-v2`` (``whoami``),
- ``HEAD``/``GET /{repo}/resolve/{rev}/{path}`` with ETag, X-Repo-Commit,
  X-Linked-Etag, X-Linked-Size, Content-Length and Range (206),

and the error shapes of the real Hub (``X-Error-Code: RepoNotFound``,
``EntryNotFound``, ``GatedRepo``; 401 "Invalid credentials" for a bad token).

Switches for tests: ``drop_after[path] = n`` closes the connection after n body
bytes (once), ``corrupt.add(path)`` serves other bytes than the hash promises,
``chunk_delay`` slows transfers so a test can cancel mid-file, and every request
is logged in ``requests``. Misbehaviours of a hostile or broken server:
``overflow[path] = n`` sends n bytes more than Content-Length announces,
``stall_after[path] = n`` sends n bytes and then nothing (the connection stays
open), ``no_hash`` serves files with no published hash, ``cdn_loop`` makes the
CDN redirect to itself forever, ``broken_json`` drops the LFS fields Hub
answers carry.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

COMMIT = "a" * 40
GOOD_TOKEN = "hf_good_token"


@dataclass
class Repo:
    files: dict[str, bytes]
    gated: bool = False
    allowed_tokens: set[str] = field(default_factory=lambda: {GOOD_TOKEN})
    lfs: bool = True  # False: served as plain git files (ETag is the git blob sha1)
    tags: list[str] = field(default_factory=lambda: ["gguf"])


@dataclass
class LoggedRequest:
    method: str
    path: str
    headers: dict[str, str]


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class FakeHub:
    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}
        self.drop_after: dict[str, int] = {}
        self.corrupt: set[str] = set()
        self.chunk_delay = 0.0
        # Like the real Hub, answer resolve requests with a redirect to a "CDN"
        # (here: the same server under another host name, so another origin).
        self.cdn = False
        self.cdn_fail_once = False  # the first CDN request gets 403, as an expired signed URL would
        self.chunk_size = 64 * 1024
        self.overflow: dict[str, int] = {}
        self.stall_after: dict[str, int] = {}
        self.no_hash = False
        self.cdn_loop: set[str] = set()
        self.broken_json = False
        self._stop_stalling = threading.Event()
        self.requests: list[LoggedRequest] = []
        self.valid_tokens = {GOOD_TOKEN: "student"}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeHub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop_stalling.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def add_repo(self, repo_id: str, files: dict[str, bytes], **kwargs) -> Repo:
        self.repos[repo_id] = Repo(files, **kwargs)
        return self.repos[repo_id]

    def file_requests(self, path: str, method: str = "GET") -> list[LoggedRequest]:
        return [
            r for r in self.requests if r.method == method and r.path.endswith("/" + path) and "/resolve/" in r.path
        ]

    def _handler_class(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):
                pass

            # --- helpers
            def _send_json(self, status: int, body, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            def _error(self, status: int, code: str | None = None, message: str = "error") -> None:
                headers = {"X-Error-Message": message}
                if code:
                    headers["X-Error-Code"] = code
                self._send_json(status, {"error": message}, headers)

            def _token(self) -> str | None:
                auth = self.headers.get("Authorization", "")
                return auth[7:] if auth.startswith("Bearer ") else None

            def _check_access(self, repo: Repo) -> bool:
                """Answer as the Hub does; True when the request may go on."""
                token = self._token()
                if token is not None and token not in hub.valid_tokens:
                    self._error(401, None, "Invalid credentials in Authorization header")
                    return False
                if repo.gated and token is None:
                    self._error(
                        401,
                        "GatedRepo",
                        "Access to model is restricted. You must have access to it and be authenticated.",
                    )
                    return False
                if repo.gated and token not in repo.allowed_tokens:
                    self._error(
                        403, "GatedRepo", "Access to model is restricted and you are not in the authorized list."
                    )
                    return False
                return True

            # --- routes
            def do_HEAD(self):
                self._route()

            def do_GET(self):
                self._route()

            def _route(self) -> None:
                hub.requests.append(LoggedRequest(self.command, self.path, dict(self.headers)))
                url = urlparse(self.path)
                path = unquote(url.path)
                query = parse_qs(url.query)
                if path == "/api/whoami-v2":
                    return self._whoami()
                if path == "/api/models":
                    return self._search(query)
                m = re.match(r"^/api/models/([^/]+/[^/]+)(?:/revision/[^/]+)?$", path)
                if m:
                    return self._model_info(m[1], query)
                m = re.match(r"^/([^/]+/[^/]+)/resolve/([^/]+)/(.+)$", path)
                if m:
                    return self._resolve(m[1], m[3])
                m = re.match(r"^/cdn/([^/]+/[^/]+)/(.+)$", path)
                if m:
                    return self._cdn(m[1], m[2])
                self._error(404, None, "Not found")

            def _whoami(self) -> None:
                token = self._token()
                if token not in hub.valid_tokens:
                    return self._error(401, None, "Invalid credentials in Authorization header")
                self._send_json(200, {"type": "user", "name": hub.valid_tokens[token], "fullname": "A Student"})

            def _search(self, query) -> None:
                text = query.get("search", [""])[0].lower()
                limit = int(query.get("limit", ["1000"])[0])
                hits = [
                    {"id": rid, "_id": rid, "downloads": 10 * (i + 1), "likes": i, "gated": r.gated, "tags": r.tags}
                    for i, (rid, r) in enumerate(sorted(hub.repos.items()))
                    if text in rid.lower()
                ]
                self._send_json(200, hits[:limit])

            def _model_info(self, repo_id: str, query) -> None:
                repo = hub.repos.get(repo_id)
                if repo is None:
                    return self._error(404, "RepoNotFound", "Repository not found")
                token = self._token()
                if token is not None and token not in hub.valid_tokens:
                    return self._error(401, None, "Invalid credentials in Authorization header")
                with_blobs = query.get("blobs", ["false"])[0].lower() == "true"
                siblings = []
                for name, data in repo.files.items():
                    entry = {"rfilename": name}
                    if with_blobs:
                        entry["size"] = len(data) if not repo.lfs else 134
                        entry["blobId"] = git_blob_sha1(data)
                        if repo.lfs and hub.broken_json:
                            entry["lfs"] = {"size": len(data)}  # no sha256, no pointerSize
                        elif repo.lfs and not hub.no_hash:
                            entry["lfs"] = {
                                "size": len(data),
                                "sha256": hashlib.sha256(data).hexdigest(),
                                "pointerSize": 134,
                            }
                    siblings.append(entry)
                self._send_json(200, {
                    "id": repo_id, "_id": repo_id, "sha": COMMIT, "private": False,
                    "gated": "manual" if repo.gated else False, "tags": repo.tags, "siblings": siblings,
                })

            def _resolve(self, repo_id: str, filename: str) -> None:
                repo = hub.repos.get(repo_id)
                if repo is None:
                    return self._error(404, "RepoNotFound", "Repository not found")
                if not self._check_access(repo):
                    return
                data = repo.files.get(filename)
                if data is None:
                    return self._error(404, "EntryNotFound", "Entry not found")
                if hub.cdn:
                    digest = hashlib.sha256(data).hexdigest()
                    port = self.server.server_address[1]
                    self.send_response(302)
                    self.send_header("Location", f"http://localhost:{port}/cdn/{repo_id}/{filename}?signature=x")
                    self.send_header("ETag", '"redirect"')
                    self.send_header("X-Linked-Etag", f'"{digest}"')
                    self.send_header("X-Linked-Size", str(len(data)))
                    self.send_header("X-Repo-Commit", COMMIT)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self._serve(repo, filename, data)

            def _cdn(self, repo_id: str, filename: str) -> None:
                repo = hub.repos.get(repo_id)
                data = repo.files.get(filename) if repo else None
                if data is None:
                    return self._error(404, None, "Not found")
                if filename in hub.cdn_loop:
                    port = self.server.server_address[1]
                    self.send_response(302)
                    self.send_header("Location", f"http://localhost:{port}/cdn/{repo_id}/{filename}?again=1")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if hub.cdn_fail_once:
                    hub.cdn_fail_once = False
                    return self._error(403, None, "Request has expired")
                self._serve(repo, filename, data)

            def _serve(self, repo: Repo, filename: str, data: bytes) -> None:
                digest = hashlib.sha256(data).hexdigest() if repo.lfs else git_blob_sha1(data)
                body = data
                if filename in hub.corrupt:
                    body = bytes(b ^ 0xFF for b in data)
                start, status = 0, 200
                range_header = self.headers.get("Range")
                if range_header and self.command == "GET":
                    m = re.match(r"bytes=(\d+)-$", range_header)
                    if m and int(m[1]) < len(data):
                        start, status = int(m[1]), 206
                    elif m:
                        self.send_response(416)
                        self.send_header("Content-Range", f"bytes */{len(data)}")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                self.send_response(status)
                self.send_header("Content-Type", "application/octet-stream")
                if not hub.no_hash:
                    self.send_header("ETag", f'"{digest}"')
                self.send_header("X-Repo-Commit", COMMIT)
                if repo.lfs and not hub.no_hash:
                    self.send_header("X-Linked-Etag", f'"{digest}"')
                    self.send_header("X-Linked-Size", str(len(data)))
                self.send_header("Accept-Ranges", "bytes")
                if status == 206:
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                extra = hub.overflow.get(filename, 0) if self.command == "GET" else 0
                if extra:
                    # The announced size (HEAD, the Hub's listing) stays; the body has
                    # no length of its own and simply goes on until the server closes.
                    self.close_connection = True
                    self.send_header("Connection", "close")
                else:
                    self.send_header("Content-Length", str(len(data) - start))
                self.end_headers()
                if self.command == "HEAD":
                    return
                if extra:
                    body = body + b"\0" * extra
                stall_at = hub.stall_after.get(filename)
                if stall_at is not None:
                    self.wfile.write(body[start:max(stall_at, start)])
                    self.wfile.flush()
                    hub._stop_stalling.wait(30)  # send nothing more; the client must give up or cancel
                    self.close_connection = True
                    return
                drop_at = hub.drop_after.pop(filename, None)
                pos = start
                while pos < len(body):
                    end = min(pos + hub.chunk_size, len(body))
                    if drop_at is not None and end > drop_at:
                        end = max(drop_at, pos)
                        self.wfile.write(body[pos:end])
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    try:
                        self.wfile.write(body[pos:end])
                        self.wfile.flush()
                    except (BrokenPipeError, ConnectionResetError):
                        self.close_connection = True
                        return
                    pos = end
                    if hub.chunk_delay:
                        time.sleep(hub.chunk_delay)

        return Handler


try:
    import pytest
except ImportError:  # pragma: no cover - the server also runs on its own
    pytest = None

if pytest is not None:

    @pytest.fixture
    def fake_hub(monkeypatch):
        """A running FakeHub with HF_ENDPOINT pointing at it."""
        hub = FakeHub().start()
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        yield hub
        hub.stop()
