"""RemoteEngine against a real HTTP server on 127.0.0.1 (tests/openai_server.py): streaming, the sliders in
the request, probabilities, and every way a server can fail, each as one sentence."""

from __future__ import annotations

import socket
import threading

import pytest

from tinychat.core.engine import ModelLoadError
from tinychat.core.engine_protocol import ChatEngine
from tinychat.core.params import GenerationParams
from tinychat.core.remote import (
    KIND_LLAMA_SERVER,
    KIND_OLLAMA,
    KIND_UNKNOWN,
    KIND_VLLM,
    RemoteEngine,
    RemoteError,
    RemoteTarget,
    identify_kind,
    ignored_params_note,
    normalise_base_url,
    probe_server,
)
from tinychat.core.results import StopReason
from tinychat.core.store import Store
from tests.openai_server import OpenAIServer

MESSAGES = [{"role": "user", "content": "Hi"}]
PARAMS = GenerationParams(temperature=0.8, top_k=20, top_p=0.9, min_p=0.1, repeat_penalty=1.1, max_new_tokens=50,
                          seed=7)


@pytest.fixture
def server():
    with OpenAIServer() as s:
        yield s


def connected(server: OpenAIServer, key: str | None = None, **kwargs) -> RemoteEngine:
    engine = RemoteEngine(**kwargs)
    engine.connect(RemoteTarget(server.url, "tiny-model", key))
    return engine


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_remote_engine_is_a_chat_engine():
    engine: ChatEngine = RemoteEngine()
    assert not engine.loaded


@pytest.mark.parametrize(
    ("typed", "base"),
    [
        ("192.168.1.10:8080", "http://192.168.1.10:8080/v1"),
        ("http://host:8080/", "http://host:8080/v1"),
        ("http://host:11434/v1/", "http://host:11434/v1"),
        ("https://school.example/llm/v1", "https://school.example/llm/v1"),
    ],
)
def test_addresses_as_people_type_them(typed, base):
    assert normalise_base_url(typed) == base


@pytest.mark.parametrize("typed", ["", "   ", "ftp://host", "http://host:port", "not an address"])
def test_a_bad_address_is_a_sentence(typed):
    with pytest.raises(RemoteError) as error:
        normalise_base_url(typed)
    assert str(error.value).endswith(".")


def test_models_listed_and_server_identified(server):
    server.behaviour.models = ("a", "b")
    info = probe_server(server.root)
    assert [m.id for m in info.models] == ["a", "b"]
    assert info.kind == KIND_LLAMA_SERVER
    assert info.base_url == server.url


def test_identify_kind():
    assert identify_kind(["vllm"], {}) == KIND_VLLM
    assert identify_kind(["library"], {}) == KIND_OLLAMA
    assert identify_kind(["me"], {"server": "nginx"}) == KIND_UNKNOWN


def test_a_reply_streams_with_its_stats(server):
    engine = connected(server)
    pieces: list[str] = []
    result = engine.generate(MESSAGES, PARAMS, on_token=pieces.append)
    assert pieces == ["Hello", ",", " class", "!"]
    assert result.text == "Hello, class!"
    assert result.stats.stop_reason is StopReason.EOS
    assert result.stats.completion_tokens == 4
    assert result.stats.prompt_tokens == 12  # the server's own count
    assert result.stats.ttft_s is not None and result.stats.ttft_s >= 0
    assert result.stats.tokens_per_s is not None and result.stats.tokens_per_s > 0
    assert result.stats.endpoint == server.url
    assert "127.0.0.1" in result.stats.device and "tiny-model" in result.stats.device
    assert result.model == "tiny-model"
    assert result.seed == 7


def test_sliders_and_seed_reach_the_request(server):
    engine = connected(server)
    engine.generate(MESSAGES, PARAMS)
    body = server.chat_requests()[-1]
    assert body["temperature"] == 0.8 and body["top_p"] == 0.9 and body["max_tokens"] == 50 and body["seed"] == 7
    assert body["top_k"] == 20 and body["min_p"] == 0.1 and body["repeat_penalty"] == 1.1
    assert body["repetition_penalty"] == 1.1  # vLLM's name
    assert body["stream"] is True
    assert "logprobs" not in body  # only asked for when the probability view is on


def test_the_seed_decides_the_reply(server):
    server.behaviour.by_seed = {1: ("one",), 2: ("two",)}
    engine = connected(server)
    assert engine.generate(MESSAGES, PARAMS.replace(seed=1)).text == "one"
    assert engine.generate(MESSAGES, PARAMS.replace(seed=2)).text == "two"
    # A fixed seed asks llama-server not to reuse its cached prompt (whose logits differ slightly).
    assert server.chat_requests()[-1]["cache_prompt"] is False
    # A random seed is drawn here and sent, so the reply can be reproduced.
    result = engine.generate(MESSAGES, PARAMS.replace(seed=None))
    assert server.chat_requests()[-1]["seed"] == result.seed
    assert "cache_prompt" not in server.chat_requests()[-1]


def test_max_tokens_reached_is_length(server):
    result = connected(server).generate(MESSAGES, PARAMS.replace(max_new_tokens=2))
    assert result.text == "Hello,"
    assert result.stats.stop_reason is StopReason.LENGTH


def test_token_details_from_logprobs(server):
    engine = connected(server)
    details = []
    result = engine.generate(MESSAGES, PARAMS, on_step=details.append)
    body = server.chat_requests()[-1]
    assert body["logprobs"] is True and body["top_logprobs"] > 0
    assert [d.text for d in details] == ["Hello", ",", " class", "!"]
    first = details[0]
    assert first.piece == "Hello"
    assert first.raw_prob == pytest.approx(0.5)
    assert not first.after_sampler
    assert [a.piece for a in first.alternatives] == ["Hello", "HELLO?", "…"]
    assert first.alternatives[1].raw_prob == pytest.approx(0.3)
    assert [d.index for d in details] == [0, 1, 2, 3]
    assert engine.logprobs_seen is True
    assert result.text == "Hello, class!"


def test_a_server_without_logprobs_says_why_the_view_is_empty(server):
    server.behaviour.logprobs = False
    engine = connected(server)
    details = []
    result = engine.generate(MESSAGES, PARAMS, on_step=details.append)
    assert details == []
    assert result.text == "Hello, class!"
    assert engine.logprobs_seen is False
    assert any("no token probabilities" in note for note in engine.notes)


def test_a_server_that_ignores_top_k_is_named(server):
    server.behaviour.owned_by = "library"
    server.behaviour.server_header = ""
    engine = connected(server)
    assert engine.server is not None and engine.server.kind == KIND_OLLAMA
    assert any("Top-k" in note and "Ollama" in note for note in engine.notes)
    # Filters that are off change nothing, so no note names them.
    off = GenerationParams(top_k=0, min_p=0.0, repeat_penalty=1.0)
    assert ignored_params_note(KIND_OLLAMA, off) == ""
    assert "Min-p" in ignored_params_note(KIND_OLLAMA, off.replace(min_p=0.2))
    assert ignored_params_note(KIND_LLAMA_SERVER) == ""


def test_server_down():
    engine = RemoteEngine()
    with pytest.raises(ModelLoadError) as error:
        engine.connect(RemoteTarget(f"http://127.0.0.1:{free_port()}", "m"))
    assert "Nothing answers at 127.0.0.1:" in str(error.value)
    assert not engine.loaded


def test_a_name_that_does_not_resolve():
    with pytest.raises(RemoteError) as error:
        probe_server("http://no-such-host.invalid:8080")
    assert "no-such-host.invalid" in str(error.value)


def test_a_web_page_is_not_an_api(server):
    server.behaviour.html = True
    with pytest.raises(RemoteError) as error:
        probe_server(server.root)
    assert "not as an OpenAI-compatible API" in str(error.value)


def test_a_wrong_path_is_not_an_api(server):
    with pytest.raises(RemoteError) as error:
        probe_server(server.root + "/somewhere")
    assert "not as an OpenAI-compatible API" in str(error.value)


@pytest.mark.parametrize("forbid", [False, True])
def test_a_missing_or_wrong_key(server, forbid):
    server.behaviour.api_key = "sesame"
    server.behaviour.forbid = forbid
    for key in (None, "wrong"):
        with pytest.raises(RemoteError) as error:
            probe_server(server.url, key)
        assert "refused the API key" in str(error.value)
        assert ("403" if forbid else "401") in str(error.value)
    assert probe_server(server.url, "sesame").models
    engine = connected(server, "sesame")
    assert engine.generate(MESSAGES, PARAMS).text == "Hello, class!"
    assert server.requests[-1].headers["Authorization"] == "Bearer sesame"


def test_a_model_the_server_does_not_have(server):
    engine = RemoteEngine()
    with pytest.raises(ModelLoadError) as error:
        engine.connect(RemoteTarget(server.url, "gpt-9"))
    assert "no model called gpt-9" in str(error.value) and "tiny-model" in str(error.value)
    # The model went away after connecting: the reply cannot start, and says why.
    engine = connected(server)
    server.behaviour.models = ("other",)
    with pytest.raises(RemoteError) as error:
        engine.generate(MESSAGES, PARAMS)
    assert "no model called tiny-model" in str(error.value)


def test_a_stream_that_stops_mid_reply_keeps_what_arrived(server, tmp_path):
    server.behaviour.stop_after = 2
    engine = connected(server)
    result = engine.generate(MESSAGES, PARAMS)
    assert result.text == "Hello,"
    assert result.stats.stop_reason is StopReason.ERROR
    assert "cut off" in result.error or "without saying why" in result.error
    # Saved, it is kept and marked interrupted, with where it came from.
    with Store(tmp_path / "chats.sqlite3") as store:
        cid = store.record_exchange(None, "Hi", result, model_path=result.model)
        reply = store.active_branch(cid)[-1]
        assert reply.content == "Hello,"
        assert reply.status == "interrupted"
        assert reply.model_file == "tiny-model"
        stats = reply.generation_stats()
        assert stats is not None and stats.endpoint == server.url


def test_a_slow_server_times_out_with_a_sentence(server):
    server.behaviour.token_delay = 1.0
    engine = connected(server, read_timeout=0.3)
    with pytest.raises(RemoteError) as error:
        engine.generate(MESSAGES, PARAMS)
    assert "stopped answering" in str(error.value)


def test_stop_keeps_the_reply_so_far(server):
    server.behaviour.token_delay = 0.05
    engine = connected(server)
    cancel = threading.Event()
    pieces: list[str] = []

    def on_token(piece: str) -> None:
        pieces.append(piece)
        if len(pieces) == 2:
            cancel.set()

    result = engine.generate(MESSAGES, PARAMS, on_token=on_token, cancel=cancel)
    assert result.stats.stop_reason is StopReason.STOPPED
    assert result.text == "Hello,"
    assert result.error == ""


def test_the_prompt_is_formatted_by_the_server(server):
    engine = connected(server)
    rendered = engine.render(MESSAGES)
    assert "server" in rendered.warning and "Hi" in rendered.text
    assert engine.tokenize(rendered) == []
    with pytest.raises(RemoteError):
        engine.generate_from_tokens([1, 2], PARAMS)


def test_what_vllm_says_about_its_model(server):
    server.behaviour.owned_by = "vllm"
    server.behaviour.server_header = "uvicorn"
    server.behaviour.models = ("Qwen/Qwen2.5-0.5B-Instruct",)
    server.behaviour.max_model_len = 2048
    engine = RemoteEngine()
    info = engine.connect(RemoteTarget(server.url, "Qwen/Qwen2.5-0.5B-Instruct"))
    assert engine.server is not None and engine.server.kind == KIND_VLLM
    assert info.n_ctx == 2048 and info.model_file == "Qwen/Qwen2.5-0.5B-Instruct"
    assert info.device.endswith("· Qwen/Qwen2.5-0.5B-Instruct")
    assert engine.notes == []  # vLLM reads top_k, min_p and repetition_penalty


def test_a_model_named_by_its_path_is_shown_by_its_file_name(server):
    server.behaviour.owned_by = "me"
    server.behaviour.models = ("/srv/models/SmolLM2-135M-Instruct.Q4_1.gguf",)
    info = RemoteEngine().connect(RemoteTarget(server.url))
    assert info.device.endswith("· SmolLM2-135M-Instruct.Q4_1.gguf")
    assert info.model_file == "/srv/models/SmolLM2-135M-Instruct.Q4_1.gguf"  # what replies record
