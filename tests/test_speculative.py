"""Speculative decoding: the same reply as plain decoding, honest counts, and drafts that are refused."""

from __future__ import annotations

import pytest
from gguf_files import tiny_parameter_count, write_tiny_gguf

from tinychat.core import speculative
from tinychat.core.engine import Engine, EngineError
from tinychat.core.gguf_info import vocabulary_digest
from tinychat.core.params import GenerationParams

PARAGRAPH = (
    "The village library opened in 1921 with three hundred books donated by local families. For decades it was "
    "run by volunteers, who kept the doors open two evenings a week and lent books to farmers, teachers and children."
)
PROMPTS = (
    f"Rewrite this paragraph, keeping every fact: {PARAGRAPH}",
    "What is the capital of France?",
    "Write a short poem about the sea.",
    "List three colours and one fruit of each colour.",
)
GREEDY = GenerationParams(temperature=0.0, max_new_tokens=48, seed=7)


@pytest.fixture(scope="module")
def flash_engine(starter_path):
    """The starter model loaded with flash attention, which speculative decoding needs."""
    eng = Engine()
    eng.load(starter_path, n_ctx=1024, flash_attn="on")
    yield eng
    eng.close()


def _reply(eng: Engine, prompt: str, params: GenerationParams = GREEDY, marks: list | None = None):
    # Every reply starts from an empty KV cache, so plain and speculative read the prompt the same way.
    eng.invalidate_cache()
    return eng.generate([{"role": "user", "content": prompt}], params, on_draft=marks.append if marks is not None
                        else None)


@pytest.mark.model
@pytest.mark.parametrize("mode", [speculative.LOOKUP, speculative.DRAFT])
def test_greedy_reply_is_the_plain_reply(flash_engine, starter_path, mode):
    flash_engine.set_speculative(speculative.OFF)
    plain = [_reply(flash_engine, prompt) for prompt in PROMPTS]
    # The starter model drafts for itself: the same vocabulary, so it is allowed, and every guess is checked.
    flash_engine.set_speculative(mode, starter_path if mode == speculative.DRAFT else None)
    try:
        for prompt, expected in zip(PROMPTS, plain, strict=True):
            marks: list[speculative.DraftMark] = []
            got = _reply(flash_engine, prompt, marks=marks)
            assert got.token_ids == expected.token_ids, prompt
            assert got.text == expected.text
            stats = got.stats
            assert stats.speculative == mode
            assert stats.accepted + stats.rejected == stats.drafted
            assert sum(mark.accepted for mark in marks) == stats.accepted
            assert len(marks) == len(got.token_ids)
            # Accepted guesses save evaluations: never more evaluations than tokens.
            assert stats.evaluations <= len(got.token_ids)
        # The paragraph to rewrite is where guessing pays: some guesses were right.
        rewrite = _reply(flash_engine, PROMPTS[0])
        assert rewrite.stats.accepted > 0
        assert rewrite.stats.evaluations < len(rewrite.token_ids)
    finally:
        flash_engine.set_speculative(speculative.OFF)


@pytest.mark.model
def test_sampled_reply_with_a_seed_is_the_plain_reply(flash_engine):
    params = GenerationParams(temperature=0.8, top_k=40, top_p=0.95, max_new_tokens=40, seed=1234)
    flash_engine.set_speculative(speculative.OFF)
    plain = _reply(flash_engine, PROMPTS[0], params)
    flash_engine.set_speculative(speculative.LOOKUP)
    try:
        looked_up = _reply(flash_engine, PROMPTS[0], params)
    finally:
        flash_engine.set_speculative(speculative.OFF)
    assert looked_up.text == plain.text
    assert looked_up.stats.drafted > 0


@pytest.mark.model
def test_counts_add_up_when_the_reply_is_cut_short(flash_engine):
    # A budget that ends the reply in the middle of a batch of guesses: the unchecked ones count as rejected.
    flash_engine.set_speculative(speculative.LOOKUP)
    try:
        for budget in (5, 9, 13):
            result = _reply(flash_engine, PROMPTS[0], GenerationParams(temperature=0.0, max_new_tokens=budget, seed=1))
            stats = result.stats
            assert len(result.token_ids) == budget
            assert stats.accepted + stats.rejected == stats.drafted
    finally:
        flash_engine.set_speculative(speculative.OFF)


@pytest.mark.model
def test_without_flash_attention_the_reply_is_plain_and_says_why(starter_path):
    # Flash attention turned off by hand (Preferences): the default, llama.cpp's "auto", has it on.
    engine = Engine()
    try:
        engine.load(starter_path, n_ctx=1024, flash_attn="off")
        engine.set_speculative(speculative.LOOKUP)
        result = engine.generate([{"role": "user", "content": PROMPTS[0]}], GREEDY)
    finally:
        engine.close()
    assert result.stats.speculative == ""
    assert result.stats.drafted == 0
    assert "flash attention" in result.stats.speculative_note


def test_vocabulary_digest_tells_vocabularies_apart(tmp_path):
    a = vocabulary_digest(write_tiny_gguf(tmp_path / "a.gguf", vocab=100))
    b = vocabulary_digest(write_tiny_gguf(tmp_path / "b.gguf", vocab=100, seed=3))
    c = vocabulary_digest(write_tiny_gguf(tmp_path / "c.gguf", vocab=120))
    assert a is not None and a[0] == 100
    assert a == b  # same tokens, other weights
    assert c is not None and c[0] == 120 and c != a


def test_a_draft_with_another_vocabulary_is_refused(tmp_path, starter_path):
    small = write_tiny_gguf(tmp_path / "other-vocab.gguf", vocab=100)
    with pytest.raises(speculative.SpeculativeError) as caught:
        speculative.check_draft_model(starter_path, small)
    message = str(caught.value)
    assert "vocabularies differ" in message and "other-vocab.gguf" in message
    assert "\n" not in message


def test_a_draft_larger_than_the_model_is_refused(tmp_path):
    target = write_tiny_gguf(tmp_path / "target.gguf", vocab=100, embedding=32)
    larger = write_tiny_gguf(tmp_path / "larger.gguf", vocab=100, embedding=64)
    assert tiny_parameter_count(100, 64) > tiny_parameter_count(100, 32)
    with pytest.raises(speculative.SpeculativeError, match="larger model"):
        speculative.check_draft_model(target, larger)
    # The other way round, and the same size, are fine.
    speculative.check_draft_model(larger, target)
    speculative.check_draft_model(target, target)


@pytest.mark.model
def test_engine_refuses_a_bad_draft_and_stays_plain(engine, tmp_path):
    bad = write_tiny_gguf(tmp_path / "tiny.gguf", vocab=100)
    with pytest.raises(EngineError, match="vocabularies differ"):
        engine.set_speculative(speculative.DRAFT, bad)
    assert engine.speculative_mode == speculative.OFF
    with pytest.raises(EngineError, match="draft model file"):
        engine.set_speculative(speculative.DRAFT, None)
    with pytest.raises(EngineError, match="does not exist"):
        engine.set_speculative(speculative.DRAFT, tmp_path / "missing.gguf")


def _tinychat(*args, data_dir):
    import os
    import subprocess
    import sys

    env = dict(os.environ, TINYCHAT_DATA_DIR=str(data_dir))
    return subprocess.run(
        [sys.executable, "-m", "tinychat", *args], capture_output=True, text=True, env=env, timeout=300
    )


@pytest.mark.model
def test_ask_with_prompt_lookup_writes_the_plain_reply_and_its_counts(tmp_path):
    import json

    question = f"Rewrite this paragraph, keeping every fact: {PARAGRAPH}"
    common = ("ask", question, "--temperature", "0", "--max-new-tokens", "24", "--no-save", "--json")
    plain = _tinychat(*common, data_dir=tmp_path)
    looked_up = _tinychat(*common, "--speculative", "lookup", data_dir=tmp_path)
    assert plain.returncode == 0 and looked_up.returncode == 0, looked_up.stderr
    a, b = json.loads(plain.stdout), json.loads(looked_up.stdout)
    assert b["text"] == a["text"]
    assert b["stats"]["speculative"] == "lookup" and a["stats"]["speculative"] == ""
    assert b["stats"]["accepted"] + b["stats"]["rejected"] == b["stats"]["drafted"] > 0


@pytest.mark.model
def test_ask_refuses_a_draft_of_another_vocabulary_in_one_sentence(tmp_path):
    bad = write_tiny_gguf(tmp_path / "tiny.gguf", vocab=100)
    result = _tinychat("ask", "Hi", "--speculative", "draft", "--draft-model", str(bad), "--no-save",
                       data_dir=tmp_path)
    assert result.returncode == 1
    assert "vocabularies differ" in result.stderr
    assert "Traceback" not in result.stderr
    missing = _tinychat("ask", "Hi", "--speculative", "draft", "--no-save", data_dir=tmp_path)
    assert missing.returncode == 1 and "Choose a draft model file" in missing.stderr


@pytest.mark.model
def test_the_probability_view_reads_the_row_each_token_was_drawn_from(flash_engine):
    params = GenerationParams(temperature=0.0, max_new_tokens=20, seed=7)

    def details(mode):
        flash_engine.set_speculative(mode)
        found = []
        flash_engine.invalidate_cache()
        flash_engine.generate([{"role": "user", "content": PROMPTS[0]}], params, on_step=found.append)
        return [(d.token, round(d.raw_prob, 5), tuple(a.token for a in d.alternatives)) for d in found]

    try:
        assert details(speculative.LOOKUP) == details(speculative.OFF)
    finally:
        flash_engine.set_speculative(speculative.OFF)


@pytest.mark.model
def test_a_follow_up_reply_with_flash_attention_is_the_one_read_afresh(flash_engine):
    # Another conversation first, which leaves its prompt in the KV cache.
    rewrite = [{"role": "user", "content": PROMPTS[0]}]
    flash_engine.set_speculative(speculative.LOOKUP)
    try:
        flash_engine.invalidate_cache()
        fresh = flash_engine.generate(rewrite, GREEDY)
        flash_engine.generate([{"role": "user", "content": PROMPTS[2]}], GREEDY)
        again = flash_engine.generate(rewrite, GREEDY)
    finally:
        flash_engine.set_speculative(speculative.OFF)
    assert again.text == fresh.text
    assert again.stats.prompt_tokens_evaluated == again.stats.prompt_tokens


@pytest.mark.model
def test_guessed_bursts_are_not_taken_for_the_models_speed(starter_path):
    # Accepted guesses come out microseconds apart; counted as the model's pace, they made the
    # next plain reply look like a collapse, and the engine dropped to one thread.
    engine = Engine()
    try:
        engine.load(starter_path, n_ctx=1024, n_threads=2)
        engine.set_speculative(speculative.LOOKUP)
        guessed = _reply(engine, PROMPTS[0])
        assert guessed.stats.accepted > 0
        engine.set_speculative(speculative.OFF)
        plain = _reply(engine, PROMPTS[0])
        assert plain.note == ""
        assert plain.stats.threads == 2
    finally:
        engine.close()
