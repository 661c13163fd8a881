"""tinychat serve: the real servers started on 127.0.0.1 with the starter model, behind the keyed gate."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest

from tinychat.core import serve
from tinychat.core.lesson_file import LessonPreset, lessons_dir, save_lesson_file
from tinychat.core.llama_tools import find_tool
from tinychat.core.params import GenerationParams

KEY = "TEST-KEYS-2345"


# -- without a model ------------------------------------------------------------


def test_access_keys_are_typeable_and_compared_forgivingly():
    keys = {serve.new_access_key() for _ in range(50)}
    assert len(keys) == 50
    for key in keys:
        assert len(key) == 14 and key.count("-") == 2
        assert not set(key.replace("-", "")) & set("0O1IL")
    key = "ABCD-EFGH-JKMN"
    assert serve.key_matches(" abcd-efgh-jkmn ", key)
    assert not serve.key_matches("ABCD-EFGH-JKMP", key)
    assert not serve.key_matches("", key) and not serve.key_matches(None, key)


def test_students_are_computers_seen_recently_and_requests_per_minute_a_sliding_minute():
    now = [1000.0]
    stats = serve.ClassStats(clock=lambda: now[0])
    stats.started("10.0.0.2", generation=True)
    stats.started("10.0.0.3", generation=True)
    stats.started("10.0.0.3", generation=False)  # a list of lessons is a visit, not a reply
    stats.finished(ok=True)
    assert stats.snapshot() == {"students": 2, "requests_per_minute": 2, "in_flight": 1, "requests": 2,
                                "errors": 0, "refused": 0}
    now[0] += 61
    stats.finished(ok=False)
    figures = stats.snapshot()
    assert (figures["students"], figures["requests_per_minute"], figures["errors"]) == (2, 0, 1)
    now[0] += serve.ACTIVE_WINDOW_S
    assert stats.snapshot()["students"] == 0


def test_loopback_is_the_default_and_the_network_is_a_choice():
    assert not serve.is_open_to_network("127.0.0.1")
    assert serve.is_open_to_network("0.0.0.0")
    assert serve.base_urls("127.0.0.1", 8080) == ["http://127.0.0.1:8080/v1"]
    assert all(url.endswith(":8080/v1") for url in serve.base_urls("0.0.0.0", 8080))


def test_a_port_in_use_is_one_sentence():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(serve.ServeError, match=f"Port {port} is already in use"):
            serve.bind_socket("127.0.0.1", port)


def test_without_llama_server_the_python_server_is_used_and_the_teacher_is_told(monkeypatch, tmp_path):
    monkeypatch.setenv("TINYCHAT_LLAMA_TOOLS_DIR", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    choice = serve.choose_backend("auto")
    assert choice.name == serve.LLAMA_CPP_PYTHON
    assert "llama-server was not found" in choice.note and "one student at a time" in choice.note
    with pytest.raises(serve.ServeError, match="llama-server was not found"):
        serve.choose_backend(serve.LLAMA_SERVER)


def test_an_installed_app_uses_the_llama_server_beside_it_and_never_python_m(monkeypatch, tmp_path):
    monkeypatch.setenv("TINYCHAT_LLAMA_TOOLS_DIR", str(tmp_path / "tools"))
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    app = tmp_path / "TinyChat"
    app.mkdir()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(app / "tinychat"))
    with pytest.raises(serve.ServeError, match="beside TinyChat or on the PATH"):
        serve.choose_backend("auto")
    program = app / "llama-server"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    choice = serve.choose_backend("auto")
    assert choice.name == serve.LLAMA_SERVER and choice.program == program


def test_the_python_server_is_told_not_to_cut_off_a_reply_for_the_next():
    choice = serve.BackendChoice(serve.LLAMA_CPP_PYTHON, None, "")
    command = serve.backend_command(choice, Path("m.gguf"), 9000, 4)
    assert command[command.index("--interrupt_requests") + 1] == "False"
    assert command[command.index("--host") + 1] == "127.0.0.1"
    llama = serve.backend_command(serve.BackendChoice(serve.LLAMA_SERVER, Path("llama-server"), ""),
                                  Path("m.gguf"), 9000, 8)
    assert llama[llama.index("--parallel") + 1] == "8" and "--cont-batching" in llama
    assert llama[llama.index("--host") + 1] == "127.0.0.1"


# -- the real servers -------------------------------------------------------------


class Served:
    """``tinychat serve --status-json`` in a subprocess, and its events."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tinychat", "serve", "--status-json", "--port", "0", "--key", KEY,
             "--threads", "1", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.events: list[dict] = []

    def next_event(self, kind: str, timeout: float = 180) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            event = json.loads(line)
            self.events.append(event)
            if event["event"] == kind:
                return event
            assert event["event"] != "error", event
        raise AssertionError(f"no {kind} event: {self.events} {self.process.stderr.read()}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.communicate(timeout=20)  # reads what is left and closes the pipes
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
        return self.process.returncode

    def children(self) -> list[int]:
        found = []
        for task in Path(f"/proc/{self.process.pid}/task").iterdir():
            found += [int(pid) for pid in (task / "children").read_text().split()]
        return found


def backends():
    return [
        serve.LLAMA_CPP_PYTHON,
        pytest.param(serve.LLAMA_SERVER, marks=pytest.mark.skipif(
            find_tool("llama-server") is None, reason="llama-server is not built: python -m tinychat.core.llama_tools",
        )),
    ]


def chat(url: str, key: str | None, **extra) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    body = {"messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 12, "seed": 3,
            "temperature": 0.0, **extra}
    return httpx.post(url + "/chat/completions", json=body, headers=headers, timeout=120)


@pytest.mark.model
@pytest.mark.parametrize("backend", backends())
def test_serve_answers_with_the_key_refuses_without_and_offers_the_lessons(starter_path, backend):
    lesson = LessonPreset(title={"en": "Shared", "es": "Compartida"}, params=GenerationParams(seed=4))
    save_lesson_file(lessons_dir() / "shared.tinychat-lesson.json", lesson)
    served = Served("--model", str(starter_path), "--backend", backend, "--parallel", "2")
    try:
        ready = served.next_event("ready")
        assert ready["backend"] == backend and ready["key"] == KEY
        assert ready["open_to_network"] is False and ready["urls"][0].startswith("http://127.0.0.1:")
        url = ready["urls"][0]

        refused = chat(url, None)
        assert refused.status_code == 401 and "access key" in refused.json()["error"]["message"]
        assert chat(url, "WRONG-KEYS-2345").status_code == 401
        assert httpx.get(url.removesuffix("/v1") + "/tinychat/lessons", timeout=10).status_code == 401

        answered = chat(url, KEY.lower())
        assert answered.status_code == 200, answered.text
        first = answered.json()["choices"][0]["message"]["content"]
        assert first.strip()
        # Seeded and greedy: the same reply through the gate again, streamed this time.
        with httpx.stream("POST", url + "/chat/completions", headers={"X-Api-Key": KEY}, timeout=120,
                          json={"messages": [{"role": "user", "content": "Say hello."}], "max_tokens": 12,
                                "seed": 3, "temperature": 0.0, "stream": True}) as stream:
            pieces, lines = [], []
            for line in stream.iter_lines():
                lines.append(line)
                if line.startswith("data: ") and line != "data: [DONE]":
                    delta = json.loads(line[6:])["choices"][0]["delta"]
                    pieces.append(delta.get("content") or "")
        assert "".join(pieces) == first
        # Where the teacher keeps the model is nobody's business: not in the replies either.
        assert str(starter_path.parent) not in answered.text + "".join(lines)

        base = url.removesuffix("/v1")
        headers = {"Authorization": f"Bearer {KEY}"}
        shared = httpx.get(base + "/tinychat/lessons", headers=headers, timeout=10).json()["lessons"]
        assert shared == [lesson.to_dict()]
        info = httpx.get(base + "/tinychat/info", headers=headers, timeout=10).json()
        assert info["backend"] == backend and info["model"] == starter_path.name
        models = httpx.get(url + "/models", headers=headers, timeout=10).json()
        assert starter_path.name in json.dumps(models) and str(starter_path.parent) not in json.dumps(models)

        status = httpx.get(base + "/tinychat/status", headers=headers, timeout=10).json()
        assert status["students"] == 1 and status["requests"] == 2 and status["requests_per_minute"] == 2
        assert status["refused"] == 3 and status["errors"] == 0 and status["in_flight"] == 0
        # The status lines (every two seconds) reach the same figures.
        while served.next_event("stats", timeout=10)["requests"] != 2:
            pass
        children = served.children()
        assert children
        # The server behind the gate has its own key, and not on its command line, which every
        # user of the computer can read.
        (server,) = children
        argv = Path(f"/proc/{server}/cmdline").read_bytes().decode().split("\0")
        assert not any("key" in arg.lower() for arg in argv), argv
        upstream = f"http://127.0.0.1:{argv[argv.index('--port') + 1]}/v1"
        assert chat(upstream, None).status_code == 401
    finally:
        code = served.stop()
    assert code == 0
    # The server behind the gate went with it, and the class's port is free again.
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", int(url.rsplit(":", 1)[1].split("/")[0]))) != 0


@pytest.mark.model
def test_when_the_model_server_dies_serve_says_so_and_stops(starter_path):
    served = Served("--model", str(starter_path), "--backend", serve.LLAMA_CPP_PYTHON)
    try:
        served.next_event("ready")
        for pid in served.children():
            os.kill(pid, signal.SIGKILL)
        error = None
        deadline = time.monotonic() + 30
        while error is None and time.monotonic() < deadline:
            line = served.process.stdout.readline()
            if line and json.loads(line)["event"] == "error":
                error = json.loads(line)
        assert error is not None and "The model server stopped" in error["message"]
        assert served.process.wait(timeout=20) == 1  # it ends by itself
    finally:
        served.stop()


@pytest.mark.model
def test_a_port_in_use_is_said_before_loading_anything(starter_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "tinychat", "serve", "--model", str(starter_path), "--port", str(port)],
            capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"tinychat: Port {port} is already in use on this computer: choose another port, or stop the program "
        "that uses it."
    )


def test_a_missing_model_is_one_sentence(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tinychat", "serve", "--model", str(tmp_path / "nothing.gguf"), "--port", "0"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"tinychat: The model file {tmp_path / 'nothing.gguf'} was not found."


def test_a_damaged_model_is_one_sentence_before_any_server_starts(tmp_path):
    broken = tmp_path / "odd ñ;name.gguf"
    broken.write_bytes(b"GGUF\x03\x00garbage")
    result = subprocess.run(
        [sys.executable, "-m", "tinychat", "serve", "--model", str(broken), "--port", "0"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [lines[0]] and lines[0].startswith("tinychat: ") and "GGUF version" in lines[0]
    assert "model server stopped" not in result.stderr


def test_a_completion_request_names_the_served_model_and_odd_bodies_go_as_they_came():
    named = json.loads(serve._naming_the_model(b'{"messages": [], "model": "/home/t/m.gguf"}', "m.gguf"))
    assert named == {"messages": [], "model": "m.gguf"}
    assert json.loads(serve._naming_the_model(b'{"messages": []}', "m.gguf"))["model"] == "m.gguf"
    for odd in (b"", b"not json", b"[1, 2]", b"[" * 100_000 + b"]" * 100_000, b'"text"'):
        assert serve._naming_the_model(odd, "m.gguf") == odd
