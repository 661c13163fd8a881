"""RemoteEngine against real inference servers on 127.0.0.1 with the starter model, started by the tests:
llama-cpp-python's own server module (``python -m llama_cpp.server``), and llama.cpp's llama-server where it
has been built (tinychat.core.llama_tools). Each is skipped, with the reason, where it is missing: the server
module needs its extras (fastapi, uvicorn, sse-starlette, starlette-context, pydantic-settings)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from tinychat.core.params import GenerationParams
from tinychat.core.remote import (
    KIND_LLAMA_CPP_PYTHON,
    KIND_LLAMA_SERVER,
    RemoteEngine,
    RemoteError,
    RemoteTarget,
    probe_server,
)
from tinychat.core.results import StopReason

pytestmark = pytest.mark.model

MESSAGES = [{"role": "user", "content": "Tell me a short story about a cat."}]


def _server_module_missing() -> str:
    try:
        import llama_cpp.server.app  # noqa: F401
    except ImportError as exc:
        return f"llama-cpp-python's server needs its extras ({exc.name} is not installed)"
    return ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _command(kind: str, model: str, port: int) -> list[str]:
    threads = os.environ.get("TINYCHAT_THREADS", "1")
    if kind == "llama-cpp-python":
        missing = _server_module_missing()
        if missing:
            pytest.skip(missing)
        return [sys.executable, "-m", "llama_cpp.server", "--model", model, "--host", "127.0.0.1",
                "--port", str(port), "--n_ctx", "1024", "--n_threads", threads]
    from tinychat.core.llama_tools import find_tool

    tool = find_tool("llama-server")
    if tool is None:
        pytest.skip("llama-server is not built (tinychat.core.llama_tools builds it once)")
    return [str(tool), "-m", model, "--host", "127.0.0.1", "--port", str(port), "-c", "2048", "-t", threads,
            "--parallel", "2"]


def _start(kind: str, model: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(_command(kind, model, port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            probe_server(url)
            return process, url
        except RemoteError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                pytest.fail(f"{kind} did not start")
            time.sleep(0.5)


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module", params=["llama-cpp-python", "llama-server"])
def llama_server(request, starter_path):
    process, url = _start(request.param, str(starter_path))
    yield request.param, url
    _stop(process)


def connect(url: str) -> RemoteEngine:
    engine = RemoteEngine()
    engine.connect(RemoteTarget(url))
    return engine


def test_seeded_replies_are_identical_through_the_server(llama_server):
    kind, url = llama_server
    engine = connect(url)
    assert engine.server is not None
    assert engine.server.kind == (KIND_LLAMA_CPP_PYTHON if kind == "llama-cpp-python" else KIND_LLAMA_SERVER)
    params = GenerationParams(temperature=1.0, top_k=40, top_p=0.95, min_p=0.05, max_new_tokens=24, seed=123)
    # llama-cpp-python's server keeps the last prompt in its cache and evaluates only its last token again
    # (it has no per-request switch, unlike llama-server's cache_prompt): a batch of another size, so the
    # first reply to a prompt can differ in the last digits from the next ones. From the same cache state,
    # the same seed gives the same reply.
    engine.generate(MESSAGES, params)
    pieces: list[str] = []
    first = engine.generate(MESSAGES, params, on_token=pieces.append)
    again = engine.generate(MESSAGES, params)
    other = engine.generate(MESSAGES, params.replace(seed=321))
    assert first.text and len(pieces) > 1 and "".join(pieces) == first.text
    assert again.text == first.text
    assert other.text != first.text
    assert first.stats.completion_tokens > 1 and first.stats.tokens_per_s and first.stats.ttft_s is not None
    # top-k 1 is greedy whatever the seed: the server honours top_k.
    greedy = [engine.generate(MESSAGES, params.replace(top_k=1, seed=s)).text for s in (1, 2)]
    assert greedy[0] == greedy[1]


def test_logprobs_reach_the_probability_view(llama_server):
    _kind, url = llama_server
    engine = connect(url)
    details = []
    result = engine.generate(MESSAGES, GenerationParams(max_new_tokens=8, seed=4), on_step=details.append)
    assert details, "llama-cpp-python's server sent no logprobs"
    assert "".join(d.text for d in details) == result.text
    assert all(0 < d.raw_prob <= 1 for d in details)
    assert all(d.alternatives for d in details)
    assert engine.logprobs_seen is True


@pytest.mark.parametrize("kind", ["llama-cpp-python", "llama-server"])
def test_a_server_killed_mid_reply_keeps_the_partial_reply(starter_path, kind):
    process, url = _start(kind, str(starter_path))
    try:
        engine = connect(url)
        killed = threading.Event()

        def on_token(_piece: str) -> None:
            if not killed.is_set():
                killed.set()
                process.kill()

        result = engine.generate(MESSAGES, GenerationParams(max_new_tokens=400, seed=1), on_token=on_token)
        assert killed.is_set()
        assert result.text
        assert result.stats.stop_reason is StopReason.ERROR
        assert result.error
    finally:
        process.kill()
        process.wait()
