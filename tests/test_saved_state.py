"""Conversations reopen warm: llama.cpp's state of a prompt saved on disk, loaded back, never trusted."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys

import pytest

from tinychat.core.engine import Engine
from tinychat.core.fingerprint import sha256_of
from tinychat.core.params import GenerationParams
from tinychat.core.saved_state import MAGIC, SUFFIX, StateCache, next_prompt_prefix

pytestmark = pytest.mark.model

LIVELY = GenerationParams(temperature=0.9, top_k=40, top_p=0.95, max_new_tokens=24, seed=7)
FIRST = [{"role": "user", "content": "Tell me about the sea in two sentences."}]


def _engine(path):
    engine = Engine()
    engine.load(path)
    engine.info.sha256 = sha256_of(path)
    return engine


@pytest.fixture(scope="module")
def loaded_pair(starter_path):
    first, second = _engine(starter_path), _engine(starter_path)
    yield first, second
    first.close()
    second.close()


@pytest.fixture
def two_engines(loaded_pair, starter_path):
    """One engine that writes the first turn, one standing for a new run of TinyChat (nothing in its cache)."""
    for engine in loaded_pair:
        engine.invalidate_cache()
        engine.info.sha256 = sha256_of(starter_path)
    return loaded_pair


def _turn_two(engine, cache):
    reply = engine.generate(FIRST, LIVELY)
    cache.save(engine, next_prompt_prefix(engine, FIRST, reply.text))
    return [*FIRST, {"role": "assistant", "content": reply.text}, {"role": "user", "content": "And the sky?"}]


def _tokens(engine, conversation):
    return engine.tokenize(engine.render(conversation))


def test_a_reopened_conversation_reads_only_the_new_text_and_writes_the_same_reply(two_engines, tmp_path):
    first, reopened = two_engines
    cache = StateCache(tmp_path / "states")
    conversation = _turn_two(first, cache)
    assert len(list(cache.folder.glob(f"*{SUFFIX}"))) == 1

    held = cache.restore(reopened, _tokens(reopened, conversation))
    # Everything but the new message ("And the sky?" and the assistant's header: about ten tokens).
    assert held >= len(_tokens(reopened, conversation)) - 12
    warm = reopened.generate(conversation, LIVELY)
    assert warm.stats.prompt_tokens_evaluated == warm.stats.prompt_tokens - held

    # The same reply as an engine that reads the whole conversation from scratch.
    reopened.invalidate_cache()
    cold = reopened.generate(conversation, LIVELY)
    assert cold.stats.prompt_tokens_evaluated == cold.stats.prompt_tokens
    assert warm.text == cold.text
    assert warm.token_ids == cold.token_ids


def test_each_turn_replaces_the_shorter_state_of_its_conversation(two_engines, tmp_path):
    first, _ = two_engines
    cache = StateCache(tmp_path / "states")
    conversation = _turn_two(first, cache)
    first.generate(conversation, LIVELY)
    cache.save(first)
    assert len(list(cache.folder.glob(f"*{SUFFIX}"))) == 1


def test_the_cap_evicts_the_least_recently_used(two_engines, tmp_path):
    first, _ = two_engines
    cache = StateCache(tmp_path / "states")
    first.generate(FIRST, LIVELY)
    one = cache.save(first)
    first.generate([{"role": "user", "content": "Name three rivers."}], LIVELY)
    two = cache.save(first)
    assert one.exists() and two.exists()
    cache.cap_bytes = two.stat().st_size + 1
    cache.evict()
    assert not one.exists() and two.exists()


def _corruptions(data: bytes):
    yield "cut short", data[: len(data) - 100]
    yield "one byte changed", data[:-50] + bytes([data[-50] ^ 0xFF]) + data[-49:]
    yield "not a state file", b"hello" + data[5:]
    yield "empty", b""
    header_end = data.index(b"}") + 1
    yield "damaged header", data[: len(MAGIC) + 8] + b"{" * (header_end - len(MAGIC) - 8) + data[header_end:]


@pytest.mark.parametrize("damage", ["cut short", "one byte changed", "not a state file", "empty", "damaged header"])
def test_a_damaged_state_file_is_ignored_with_a_log_line(two_engines, tmp_path, caplog, damage):
    first, reopened = two_engines
    cache = StateCache(tmp_path / "states")
    conversation = _turn_two(first, cache)
    (path,) = cache.folder.glob(f"*{SUFFIX}")
    path.write_bytes(dict(_corruptions(path.read_bytes()))[damage])

    with caplog.at_level(logging.WARNING, logger="tinychat.saved_state"):
        assert cache.restore(reopened, _tokens(reopened, conversation)) == 0
    assert "ignored the saved state" in caplog.text
    assert not path.exists()
    result = reopened.generate(conversation, LIVELY)
    assert result.stats.prompt_tokens_evaluated == result.stats.prompt_tokens


def test_a_state_of_another_model_is_never_loaded(two_engines, tmp_path):
    first, reopened = two_engines
    cache = StateCache(tmp_path / "states")
    conversation = _turn_two(first, cache)
    reopened.info.sha256 = "0" * 64  # another file
    assert cache.restore(reopened, _tokens(reopened, conversation)) == 0
    result = reopened.generate(conversation, LIVELY)
    assert result.stats.prompt_tokens_evaluated == result.stats.prompt_tokens


def test_a_payload_llama_cpp_refuses_leaves_an_empty_cache(two_engines):
    first, reopened = two_engines
    first.generate(FIRST, LIVELY)
    tokens, payload = first.prefix_state()
    # A well-formed file around a payload that is not what its tokens say (checksums match: a crafted file).
    assert not reopened.load_prefix_state(tokens, payload[: len(payload) // 2])
    assert not reopened.load_prefix_state(tokens[:-3], payload)
    assert reopened.cached_prefix(tokens) == 0
    result = reopened.generate(FIRST, LIVELY)
    assert result.stats.prompt_tokens_evaluated == result.stats.prompt_tokens


# -- the command line: 'tinychat ask --chat ID' in a new process ----------------


def _ask(data_dir, *args):
    env = dict(os.environ, TINYCHAT_DATA_DIR=str(data_dir))
    result = subprocess.run(
        [sys.executable, "-m", "tinychat", "ask", *args, "--json"],
        capture_output=True, text=True, env=env, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_ask_chat_in_a_new_process_reads_only_the_new_message_and_writes_the_same_reply(tmp_path):
    warm_dir = tmp_path / "warm"
    first = _ask(warm_dir, "Tell me about the sea.", "--seed", "3", "--max-new-tokens", "24")
    assert list((warm_dir / "kv-states").glob(f"*{SUFFIX}"))
    # The same data folder without its saved states: the conversation is read from the start there.
    cold_dir = tmp_path / "cold"
    shutil.copytree(warm_dir, cold_dir, ignore=shutil.ignore_patterns("kv-states"))

    args = ("And the sky?", "--chat", str(first["chat_id"]), "--seed", "5", "--max-new-tokens", "24")
    warm, cold = _ask(warm_dir, *args), _ask(cold_dir, *args)
    assert cold["stats"]["prompt_tokens_evaluated"] == cold["stats"]["prompt_tokens"]
    # Only the new message was read (and the assistant's header after it), not the first turn.
    assert warm["stats"]["prompt_tokens_evaluated"] <= 12
    assert warm["text"] == cold["text"]
