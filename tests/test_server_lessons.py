"""The lessons a shared server offers, fetched after connecting, against a real HTTP server on 127.0.0.1
(tests/openai_server.py): a good list, servers without the endpoint, and every malformed answer."""

from __future__ import annotations

import json
import logging
import socket

import httpx2 as httpx
import pytest

from tinychat.core import lesson_file, server_lessons
from tinychat.core.lesson_file import LessonPreset, lessons_dir, save_lesson_file
from tinychat.core.params import GenerationParams
from tinychat.core.remote import RemoteEngine, RemoteError, RemoteTarget
from tinychat.core.server_lessons import fetch_server_lessons, lessons_url
from tests.openai_server import OpenAIServer
from tests.test_serve import KEY, Served


def lesson(title_en: str, title_es: str = "", temperature: float = 1.3, **extra) -> dict:
    titles = {"en": title_en, **({"es": title_es} if title_es else {})}
    return {
        "format": "tinychat-lesson",
        "version": 1,
        "title": titles,
        "notes": {"en": "Look at the words."},
        "system_prompt": "You are a poet.",
        "params": {"temperature": temperature, "top_k": 12, "top_p": 0.8, "max_new_tokens": 33, "seed": 5},
        "prompts": [{"en": "Write about the sea.", "es": "Escribe sobre el mar."}],
        **extra,
    }


@pytest.fixture
def server():
    with OpenAIServer() as s:
        yield s


def connect(server: OpenAIServer, key: str | None = None) -> RemoteEngine:
    engine = RemoteEngine()
    engine.connect(RemoteTarget(server.url, "tiny-model", key))
    return engine


def warnings_logged(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "tinychat.remote" and r.levelno >= logging.WARNING]


def test_lessons_url_is_beside_the_api():
    assert lessons_url("http://10.0.0.2:8080/v1") == "http://10.0.0.2:8080/tinychat/lessons"
    assert lessons_url("http://host/proxy/v1/") == "http://host/proxy/tinychat/lessons"


def test_a_shared_server_offers_its_lessons_with_the_key(server, caplog):
    server.behaviour.api_key = "ABCD-EFGH"
    server.behaviour.lessons = {"lessons": [lesson("The sea", "El mar"), lesson("Cold", temperature=0.1)]}
    engine = connect(server, "ABCD-EFGH")
    assert [item.text("title", "es") for item in engine.lessons] == ["El mar", "Cold"]
    first = engine.lessons[0]
    assert first.params.temperature == 1.3 and first.params.top_k == 12 and first.params.seed == 5
    assert first.system_prompt == "You are a poet."
    asked = [r for r in server.requests if r.path == "/tinychat/lessons"]
    assert len(asked) == 1 and asked[0].headers["Authorization"] == "Bearer ABCD-EFGH"
    assert warnings_logged(caplog) == []
    engine.close()
    assert engine.lessons == ()


def test_a_server_without_lessons_has_none_silently(server, caplog):
    # llama-server, vLLM and Ollama answer 404 with a page there.
    caplog.set_level(logging.DEBUG, logger="tinychat.remote")
    engine = connect(server)
    assert engine.loaded and engine.lessons == ()
    assert any(r.path == "/tinychat/lessons" for r in server.requests)
    assert warnings_logged(caplog) == []


def test_a_web_page_in_place_of_lessons_is_no_lessons(server, caplog):
    server.behaviour.lessons = b"<!DOCTYPE html><html><body>Open WebUI</body></html>"
    assert connect(server).lessons == ()
    assert warnings_logged(caplog) == []


@pytest.mark.parametrize(
    ("answer", "logged"),
    [
        (b'{"lessons": [{"format": "tinychat-lesson"', "not JSON"),
        (b"[1, 2, 3]", "no list of lessons"),
        (b'{"lessons": "all of them"}', "no list of lessons"),
        (b'{"lessons": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "not JSON"),
        (b"\xff\xfe not text", "not JSON"),
    ],
    ids=["cut-off", "a-list", "not-a-list", "nested-too-deep", "not-utf8"],
)
def test_a_malformed_answer_is_logged_and_the_connection_stands(server, caplog, answer, logged):
    server.behaviour.lessons = answer
    engine = connect(server)
    assert engine.loaded and engine.lessons == ()
    lines = warnings_logged(caplog)
    assert len(lines) == 1 and logged in lines[0]


def test_each_hostile_lesson_is_left_out_and_the_good_ones_kept(server, caplog):
    hostile = [
        "not a lesson",
        {"format": "something-else", "version": 1, "title": {"en": "x"}},
        lesson("x" * 1000),  # a title longer than a lesson file allows
        lesson("Hot", params={"temperature": "very"}),
        lesson("Endless", params={"max_new_tokens": 10**12}),
        lesson("Far future", version=99),
        lesson("Huge", notes={"en": "y" * lesson_file.MAX_TEXT, "es": "z" * lesson_file.MAX_TEXT}) | {
            "prompts": [{"en": "p" * lesson_file.MAX_TEXT}] * 10},
        lesson("No prompts list", prompts="write"),
    ]
    server.behaviour.lessons = {"lessons": [lesson("Good one"), *hostile, lesson("Good two")]}
    engine = connect(server)
    assert [item.text("title", "en") for item in engine.lessons] == ["Good one", "Good two"]
    lines = warnings_logged(caplog)
    assert len(lines) == len(hostile)
    assert lines[0].startswith("lesson 2 from http://127.0.0.1:") and "not a TinyChat lesson" in lines[0]
    assert "larger than 64 kB" in lines[6]


def test_at_most_fifty_lessons_are_listed(server, caplog):
    server.behaviour.lessons = {"lessons": [lesson(f"Lesson {n}") for n in range(60)]}
    engine = connect(server)
    assert len(engine.lessons) == server_lessons.MAX_LESSONS
    assert engine.lessons[-1].text("title", "en") == "Lesson 49"
    assert "only the first 50" in warnings_logged(caplog)[0]


@pytest.mark.parametrize("chunked", [False, True], ids=["with-a-length", "in-pieces"])
def test_a_huge_answer_is_not_read(server, caplog, chunked):
    server.behaviour.lessons = b'{"lessons": ["' + b"x" * (server_lessons.MAX_ANSWER_BYTES + 1) + b'"]}'
    server.behaviour.lessons_chunked = chunked
    engine = connect(server)
    assert engine.loaded and engine.lessons == ()
    assert "more than" in warnings_logged(caplog)[0]


def test_a_slow_answer_is_given_up(server, caplog):
    server.behaviour.lessons = json.dumps({"lessons": [lesson("Slow")] * 20}).encode()
    server.behaviour.lessons_chunked = True
    with httpx.Client() as client:
        assert fetch_server_lessons(client, server.url, time_limit=0.0) == ()
        assert [item.text("title", "en") for item in fetch_server_lessons(client, server.url)] == ["Slow"] * 20
    assert "took more than" in warnings_logged(caplog)[0]


def test_a_server_gone_has_no_lessons(caplog):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with httpx.Client() as client:
        assert fetch_server_lessons(client, f"http://127.0.0.1:{port}/v1") == ()
    assert warnings_logged(caplog) == []


@pytest.mark.model
def test_the_lessons_of_tinychat_serve_reach_a_connected_student(starter_path, caplog):
    """The real gate (tinychat serve, llama-cpp-python's server behind it) offers the teacher's saved lessons;
    a file in the folder that is not a lesson is not offered."""
    folder = lessons_dir()
    first = LessonPreset(title={"en": "Hot", "es": "Caliente"}, params=GenerationParams(temperature=1.5, seed=9),
                         system_prompt="Answer in one line.", prompts=({"en": "Name a colour."},))
    second = LessonPreset(title={"es": "Solo en español"}, params=GenerationParams(top_k=5))
    save_lesson_file(folder / "a-hot.tinychat-lesson.json", first)
    save_lesson_file(folder / "b-spanish.tinychat-lesson.json", second)
    (folder / "c-broken.tinychat-lesson.json").write_text('{"format": "tinychat-lesson", "version": 1}')
    served = Served("--model", str(starter_path), "--backend", "llama-cpp-python")
    try:
        url = served.next_event("ready")["urls"][0]
        with pytest.raises(RemoteError, match="refused the API key"):
            connect_to(url, None)
        engine = connect_to(url, KEY)
        assert engine.lessons == (first, second)
        assert [item.text("title", "en") for item in engine.lessons] == ["Hot", "Solo en español"]
        assert warnings_logged(caplog) == []
    finally:
        served.stop()


def connect_to(url: str, key: str | None) -> RemoteEngine:
    engine = RemoteEngine()
    engine.connect(RemoteTarget(url, "", key))
    return engine
