"""``ask``, ``probs`` and ``chats`` with --endpoint: a real process against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tinychat.core.settings import load_settings
from tinychat.core.store import Store
from tests.openai_server import OpenAIServer


def tinychat(*args, env=None):
    full = dict(os.environ)
    # Never the computer's own keyring (a desktop one may ask to be unlocked): no key is kept at all.
    full["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    full.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tinychat", *args], capture_output=True, text=True, env=full, timeout=120
    )


@pytest.fixture
def server():
    with OpenAIServer() as s:
        yield s


def test_ask_streams_from_the_server_and_saves_where_it_ran(server, isolated_data_dir):
    result = tinychat("ask", "Hi", "--endpoint", server.root, "--seed", "3", "--temperature", "0.5", "--top-k", "7")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hello, class!\n"
    body = server.chat_requests()[-1]
    assert body["seed"] == 3 and body["temperature"] == 0.5 and body["top_k"] == 7
    with Store(isolated_data_dir / "chats.sqlite3") as store:
        conversation = store.list_conversations()[0]
        reply = store.active_branch(conversation.id)[-1]
        assert reply.content == "Hello, class!" and reply.model_file == "tiny-model" and reply.seed == 3
        assert reply.generation_stats().endpoint == server.url
        assert store.endpoints() == {conversation.id: [server.url]}
    # The server is remembered for the window's Connect dialog.
    assert load_settings().recent_servers[0] == {"url": server.url, "model": "tiny-model"}
    listed = tinychat("chats", "list", "--endpoint", server.root, "--json")
    assert [c["endpoints"] for c in json.loads(listed.stdout)] == [[server.url]]
    assert "on the server " + server.url in tinychat("chats", "show", str(conversation.id)).stdout
    other = tinychat("chats", "list", "--endpoint", "http://127.0.0.1:1")
    assert other.returncode == 0 and other.stdout == "" and "No saved conversation has replies" in other.stderr


def test_ask_json_names_the_endpoint_and_model(server):
    server.behaviour.models = ("a", "b")
    result = tinychat("ask", "Hi", "--endpoint", server.url, "--remote-model", "b", "--json", "--no-save")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["model"] == "b" and data["endpoint"] == server.url and data["text"] == "Hello, class!"
    assert data["stats"]["ttft_s"] is not None


def test_the_key_comes_from_the_named_variable(server):
    server.behaviour.api_key = "sesame"
    refused = tinychat("ask", "Hi", "--endpoint", server.url, "--no-save")
    assert refused.returncode == 1
    assert "refused the API key" in refused.stderr and "Traceback" not in refused.stderr
    empty = tinychat("ask", "Hi", "--endpoint", server.url, "--api-key-env", "CLASS_KEY", "--no-save",
                     env={"CLASS_KEY": ""})
    assert empty.returncode == 1 and "CLASS_KEY" in empty.stderr
    ok = tinychat("ask", "Hi", "--endpoint", server.url, "--api-key-env", "CLASS_KEY", "--no-save",
                  env={"CLASS_KEY": "sesame"})
    assert ok.returncode == 0, ok.stderr
    assert "sesame" not in ok.stdout + ok.stderr


def test_a_reply_cut_off_is_kept_and_the_command_fails(server, isolated_data_dir):
    server.behaviour.stop_after = 2
    result = tinychat("ask", "Hi", "--endpoint", server.url)
    assert result.returncode == 1
    assert result.stdout.startswith("Hello,")
    assert "generation failed" in result.stderr and "Traceback" not in result.stderr
    with Store(isolated_data_dir / "chats.sqlite3") as store:
        reply = store.active_branch(store.list_conversations()[0].id)[-1]
        assert reply.content == "Hello," and reply.status == "interrupted"


def test_server_down_and_wrong_options_are_sentences(server):
    down = tinychat("ask", "Hi", "--endpoint", "http://127.0.0.1:1", "--no-save")
    assert down.returncode == 1 and "Nothing answers at 127.0.0.1:1" in down.stderr
    both = tinychat("ask", "Hi", "--endpoint", server.url, "--template", "chatml")
    assert both.returncode == 2 and "--template" in both.stderr
    unknown = tinychat("ask", "Hi", "--endpoint", server.url, "--remote-model", "nope", "--no-save")
    assert unknown.returncode == 1 and "no model called nope" in unknown.stderr


def test_a_server_that_ignores_sliders_says_so(server):
    server.behaviour.owned_by = "library"
    result = tinychat("ask", "Hi", "--endpoint", server.url, "--no-save")
    assert result.returncode == 0
    assert "Ollama ignores" in result.stderr and "Top-k" in result.stderr


def test_probs_from_the_server(server):
    result = tinychat("probs", "Hi", "--endpoint", server.url, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["chosen"] == "Hello" and data["endpoint"] == server.url
    assert [t["piece"] for t in data["tokens"]] == ["Hello", "HELLO?", "…"]
    assert data["tokens"][0]["prob"] == pytest.approx(0.5)
    assert server.chat_requests()[-1]["max_tokens"] == 1
    table = tinychat("probs", "Hi", "--endpoint", server.url)
    assert '"HELLO?"' in table.stdout and "30" in table.stdout and "sampler's stages are not shown" in table.stdout


def test_probs_from_a_server_without_probabilities(server):
    server.behaviour.logprobs = False
    result = tinychat("probs", "Hi", "--endpoint", server.url, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["tokens"] == []
    assert any("no token probabilities" in note for note in data["notes"])
    raw = tinychat("probs", "Hi", "--endpoint", server.url, "--raw")
    assert raw.returncode == 1 and "--raw" in raw.stderr
