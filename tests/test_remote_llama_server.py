"""RemoteEngine against a real inference server on 127.0.0.1 with the starter model: llama-cpp-python's own
server module (``python -m llama_cpp.server``), started by the test. Skipped, with the reason, where its
extras (fastapi, uvicorn, sse-starlette, starlette-context, pydantic-settings) are not installed."""

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
from tinychat.core.remote import KIND_LLAMA_CPP_PYTHON, RemoteEngine, RemoteError, RemoteTarget, probe_server
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


@pytest.fixture(scope="module")
def llama_server(starter_path):
    missing = _server_module_missing()
    if missing:
        pytest.skip(missing)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(starter_path), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "1024", "--n_threads", os.environ.get("TINYCHAT_THREADS", "1")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            probe_server(url)
            break
        except RemoteError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("llama-cpp-python's server did not start")
            time.sleep(0.5)
    yield process, url
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def connect(url: str) -> RemoteEngine:
    engine = RemoteEngine()
    engine.connect(RemoteTarget(url))
    return engine


def test_seeded_replies_are_identical_through_the_server(llama_server):
    _process, url = llama_server
    engine = connect(url)
    assert engine.server is not None and engine.server.kind == KIND_LLAMA_CPP_PYTHON
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
    _process, url = llama_server
    engine = connect(url)
    details = []
    result = engine.generate(MESSAGES, GenerationParams(max_new_tokens=8, seed=4), on_step=details.append)
    assert details, "llama-cpp-python's server sent no logprobs"
    assert "".join(d.text for d in details) == result.text
    assert all(0 < d.raw_prob <= 1 for d in details)
    assert all(d.alternatives for d in details)
    assert engine.logprobs_seen is True


def test_a_server_killed_mid_reply_keeps_the_partial_reply(starter_path):
    missing = _server_module_missing()
    if missing:
        pytest.skip(missing)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(starter_path), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "1024", "--n_threads", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                probe_server(url)
                break
            except RemoteError:
                assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.5)
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
