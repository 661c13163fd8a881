"""Real next-token scores from the starter model, and agreement with llama.cpp's own sampler."""

from __future__ import annotations

import numpy as np
import pytest

from tinychat.core.engine import ContextOverflow
from tinychat.core.params import GenerationParams
from tinychat.core.probe import LlamaCppSampler, ProbeError, next_token, softmax, token_piece, top_ids
from tinychat.core.sampling import LlamaRng, run_pipeline

pytestmark = pytest.mark.model

FRANCE = "The capital of France is"


@pytest.fixture(scope="module")
def france(engine):
    return next_token(engine, FRANCE, raw=True)


def test_after_the_capital_of_france_comes_paris(engine, france):
    top = france.top(engine, 10)
    pieces = [alt.piece for alt in top]
    assert " Paris" in pieces
    assert pieces[0] == " Paris"
    assert [alt.prob for alt in top] == sorted((alt.prob for alt in top), reverse=True)
    assert france.template == "" and france.prompt_text == FRANCE
    assert france.logits.shape == (engine.info.n_vocab,)


def test_top_ids_agrees_with_a_full_sort(france):
    full = np.argsort(-france.logits, kind="stable")[:25]
    assert top_ids(france.logits, 25).tolist() == full.tolist()
    assert top_ids(france.logits, 0).size == 0


def test_the_chat_template_is_used_unless_raw(engine):
    probe = next_token(engine, "Say hello.", system="Be brief.")
    assert probe.template
    assert "<|im_start|>assistant" in probe.prompt_text and "Be brief." in probe.prompt_text
    assert probe.prompt_tokens[-1] != next_token(engine, "Say hello.", raw=True).prompt_tokens[-1]


def test_token_pieces_show_control_tokens(engine):
    eos = engine.llm.token_eos()
    assert token_piece(engine, eos) == engine.info.eos_token


SETTINGS = [
    GenerationParams(),  # the defaults: every stage active
    GenerationParams(temperature=1.0, top_k=0, top_p=0.9, min_p=0.0),
    GenerationParams(temperature=1.5, top_k=0, top_p=1.0, min_p=0.0),  # the whole vocabulary
    GenerationParams(temperature=0.6, top_k=200, top_p=0.99, min_p=0.02),
    GenerationParams(temperature=1.2, top_k=0, top_p=1.0, min_p=0.01),  # min_p on an unsorted array
    GenerationParams(temperature=0.9, top_k=5, top_p=0.0, min_p=0.0),  # top_p 0
    GenerationParams(temperature=0.0),  # greedy
]


@pytest.mark.parametrize("params", SETTINGS, ids=lambda p: f"T{p.temperature}-k{p.top_k}-p{p.top_p}-m{p.min_p}")
def test_pipeline_agrees_with_llama_cpp(france, params):
    reference = LlamaCppSampler(france.logits.size, params, seed=1234)
    rng = LlamaRng(1234)
    trace = run_pipeline(france.logits, params)
    first = reference.apply(france.logits)
    # The same candidates, in the same order, with the same probabilities.
    assert first.ids.tolist() == trace.final.ids.tolist()
    np.testing.assert_allclose(trace.final.probs, first.probs, atol=1e-5, rtol=0)
    # And the same seed draws the same tokens, one after another.
    ours = [trace.final.draw(rng)] + [trace.final.draw(rng) for _ in range(199)]
    theirs = [first.token] + [reference.apply(france.logits).token for _ in range(199)]
    assert ours == theirs
    reference.close()


def test_top_k_one_picks_llama_cpps_token(france):
    params = GenerationParams(temperature=0.8, top_k=1)
    reference = LlamaCppSampler(france.logits.size, params, seed=7)
    choice = reference.apply(france.logits)
    trace = run_pipeline(france.logits, params)
    assert trace.final.ids.tolist() == [choice.token] == [int(np.argmax(france.logits))]


def test_repeat_penalty_agrees_with_llama_cpp(engine, france):
    params = GenerationParams(temperature=1.0, top_k=0, top_p=0.95, min_p=0.0, repeat_penalty=1.8)
    paris = int(top_ids(france.logits, 1)[0])
    recent = [paris, 260, 4528, 260]
    reference = LlamaCppSampler(france.logits.size, params, seed=99)
    for token in recent:
        reference.accept(token)
    choice = reference.apply(france.logits)
    trace = run_pipeline(france.logits, params, recent)
    assert trace.final.ids.tolist() == choice.ids.tolist()
    np.testing.assert_allclose(trace.final.probs, choice.probs, atol=1e-5, rtol=0)
    # The penalty makes " Paris" less likely than it was.
    assert trace.final.prob(paris) < softmax(france.logits)[paris]


def test_a_prompt_longer_than_the_context_is_refused(engine):
    with pytest.raises(ContextOverflow, match="too long"):
        next_token(engine, "word " * (engine.info.n_ctx + 10), raw=True)


def test_raw_prompts_must_be_text(engine):
    with pytest.raises(ProbeError, match="plain text"):
        next_token(engine, [{"role": "user", "content": "hi"}], raw=True)


def test_the_engine_still_replies_the_same_after_a_probe(engine):
    params = GenerationParams(seed=5, max_new_tokens=8)
    messages = [{"role": "user", "content": "Name a colour."}]
    before = engine.generate(messages, params)
    next_token(engine, "Something else entirely", raw=True)
    after = engine.generate(messages, params)
    assert after.token_ids == before.token_ids
