"""A conversation read from the KV cache gives, with a seed, the same reply as the same conversation read afresh.

llama.cpp's numbers for a position depend on the batch that computed it (with
flash attention on, even on how a prompt is cut into batches), so the engine
reads every prompt in the same batches, split where earlier turns end, whether
part of it comes from the cache or not (Engine._prompt_bounds). These tests
try the ways a conversation reaches the cache: turn by turn, with the reply
read ahead (the window), edited, continued, longer than a batch, and with
flash attention on and off.
"""

from __future__ import annotations

import pytest

from tinychat.core.continuation import continue_reply
from tinychat.core.engine import Engine
from tinychat.core.params import GenerationParams
from tinychat.core.saved_state import next_prompt_prefix

pytestmark = pytest.mark.model

LIVELY = GenerationParams(temperature=1.0, top_k=0, top_p=1.0, min_p=0.0, max_new_tokens=32, seed=1234)
FOLLOW_UPS = ("Make it shorter.", "Now about mountains.", "And rivers?")
FIRST = [{"role": "user", "content": "Write a short poem about the sea."}]


def _load(path, **options) -> Engine:
    engine = Engine()
    engine.load(path, n_ctx=2048, **options)
    return engine


@pytest.fixture(scope="module", params=["auto", "off"], ids=["flash-attention-auto", "flash-attention-off"])
def pair(request, starter_path):
    """An engine that holds conversations, and one that reads them from scratch, with the same settings."""
    warm, cold = _load(starter_path, flash_attn=request.param), _load(starter_path, flash_attn=request.param)
    yield warm, cold
    warm.close()
    cold.close()


def _fresh(engine: Engine, conversation, params=LIVELY):
    engine.invalidate_cache()
    result = engine.generate(conversation, params)
    assert result.stats.prompt_tokens_evaluated == result.stats.prompt_tokens
    return result


def _grow(engine: Engine, read_ahead: bool):
    """Three turns in one engine; with ``read_ahead`` each reply is read into the cache as the window does."""
    engine.invalidate_cache()
    conversation = list(FIRST)
    for follow_up in FOLLOW_UPS:
        result = engine.generate(conversation, LIVELY)
        if read_ahead:
            engine.extend_prefix(next_prompt_prefix(engine, conversation, result.text))
        conversation += [{"role": "assistant", "content": result.text}, {"role": "user", "content": follow_up}]
    return conversation


@pytest.mark.parametrize("read_ahead", [False, True], ids=["turn-by-turn", "reply-read-ahead"])
def test_a_conversation_grown_in_the_cache_replies_as_one_read_afresh(pair, read_ahead):
    warm, cold = pair
    conversation = _grow(warm, read_ahead)
    last = warm.generate(conversation, LIVELY)
    # Only the last turn was read: the new question, and the last reply unless it was read ahead.
    assert last.stats.prompt_tokens_evaluated < 60 if read_ahead else last.stats.prompt_tokens_evaluated < 120
    assert last.token_ids == _fresh(cold, conversation).token_ids


def test_an_edited_question_reads_from_the_edit_and_replies_as_afresh(pair):
    warm, cold = pair
    conversation = _grow(warm, read_ahead=True)
    warm.generate(conversation, LIVELY)
    edited = [*conversation[:2], {"role": "user", "content": "Make it longer, please."}]
    result = warm.generate(edited, LIVELY)
    assert 0 < result.stats.prompt_tokens_evaluated < result.stats.prompt_tokens
    assert result.token_ids == _fresh(cold, edited).token_ids


def test_the_same_question_again_replies_the_same(pair):
    warm, _cold = pair
    conversation = _grow(warm, read_ahead=False)
    first = warm.generate(conversation, LIVELY)
    again = warm.generate(conversation, LIVELY)
    assert again.stats.prompt_tokens_evaluated < again.stats.prompt_tokens
    assert again.token_ids == first.token_ids


def test_after_a_continued_reply_the_next_turn_replies_as_afresh(pair):
    warm, cold = pair
    warm.invalidate_cache()
    partial = warm.generate(FIRST, LIVELY.replace(max_new_tokens=8))
    rest = continue_reply(warm, FIRST, partial.text, LIVELY.replace(max_new_tokens=12))
    conversation = [*FIRST, {"role": "assistant", "content": partial.text + rest.text},
                    {"role": "user", "content": "Make it shorter."}]
    warm.extend_prefix(next_prompt_prefix(warm, FIRST, partial.text + rest.text))  # declined: not in its own batches
    after = warm.generate(conversation, LIVELY)
    assert after.token_ids == _fresh(cold, conversation).token_ids


def test_prompts_longer_than_a_batch_are_cut_alike(starter_path):
    warm, cold = _load(starter_path, n_batch=32), _load(starter_path, n_batch=32)
    try:
        conversation = _grow(warm, read_ahead=True)
        last = warm.generate(conversation, LIVELY)
        assert last.stats.prompt_tokens > 3 * 32
        assert last.token_ids == _fresh(cold, conversation).token_ids
    finally:
        warm.close()
        cold.close()
