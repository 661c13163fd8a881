"""The sampler pipeline on small made-up score vectors, with every expected value worked out by hand.

Most tests use five tokens whose raw probabilities are 0.05, 0.4, 0.1, 0.3 and
0.15 (scores are their logarithms), deliberately not in order, so that the
tests also see where llama.cpp sorts its candidates and where it does not.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from tinychat.core.params import GenerationParams
from tinychat.core.sampling import (
    ENGINE_ORDER,
    LlamaRng,
    SamplingError,
    entropy_bits,
    run_pipeline,
)

P = [0.05, 0.4, 0.1, 0.3, 0.15]
LOGITS = np.log(np.array(P, dtype=np.float64)).astype(np.float32)

# Every filter off and temperature 1: the sampler changes nothing.
OFF = GenerationParams(temperature=1.0, top_k=0, top_p=1.0, min_p=0.0, repeat_penalty=1.0)


def H(*probs):
    """Entropy in bits of the given probabilities, written out."""
    return -sum(p * math.log2(p) for p in probs)


def as_dict(stage):
    return {int(i): float(p) for i, p in zip(stage.ids, stage.probs, strict=True)}


def assert_probs(stage, expected, tol=1e-6):
    got = as_dict(stage)
    assert sorted(got) == sorted(expected)
    for token, p in expected.items():
        assert got[token] == pytest.approx(p, abs=tol), token


def test_raw_distribution_and_entropy():
    trace = run_pipeline(LOGITS, OFF)
    assert_probs(trace.raw, dict(enumerate(P)))
    assert trace.raw.entropy_bits == pytest.approx(H(*P), abs=1e-6)
    assert trace.order == ENGINE_ORDER
    assert [s.name for s in trace.stages] == ["penalties", "top_k", "top_p", "min_p", "temperature"]
    for stage in trace.stages[:-1]:
        assert not stage.applied and stage.removed.size == 0
    assert_probs(trace.last, dict(enumerate(P)))
    assert trace.final.prob(1) == pytest.approx(0.4, abs=1e-6)
    assert not trace.greedy and trace.notes == ()


def test_top_k_keeps_the_k_likeliest():
    trace = run_pipeline(LOGITS, OFF.replace(top_k=2))
    stage = trace.stage("top_k")
    assert stage.applied
    assert list(stage.ids) == [1, 3]  # sorted, likeliest first, as llama.cpp leaves them
    assert_probs(stage, {1: 4 / 7, 3: 3 / 7})
    assert sorted(stage.removed.tolist()) == [0, 2, 4]
    assert stage.entropy_bits == pytest.approx(H(4 / 7, 3 / 7), abs=1e-6)
    assert trace.final.top() == [(1, pytest.approx(4 / 7, abs=1e-6)), (3, pytest.approx(3 / 7, abs=1e-6))]


def test_top_k_larger_than_the_vocabulary_keeps_everything_and_says_so():
    trace = run_pipeline(LOGITS, OFF.replace(top_k=10))
    stage = trace.stage("top_k")
    assert stage.size == 5 and stage.removed.size == 0
    assert "vocabulary has only 5 tokens" in stage.note
    assert any("vocabulary has only 5 tokens" in n for n in trace.notes)


def test_top_p_keeps_the_smallest_prefix_reaching_p():
    trace = run_pipeline(LOGITS, OFF.replace(top_p=0.8))
    stage = trace.stage("top_p")
    # 0.4, then 0.4 + 0.3 = 0.7 < 0.8, then 0.85 >= 0.8: three tokens.
    assert list(stage.ids) == [1, 3, 4]
    assert_probs(stage, {1: 0.4 / 0.85, 3: 0.3 / 0.85, 4: 0.15 / 0.85})
    assert sorted(stage.removed.tolist()) == [0, 2]

    stage = run_pipeline(LOGITS, OFF.replace(top_p=0.65)).stage("top_p")
    assert list(stage.ids) == [1, 3]


def test_top_p_zero_keeps_one_token_and_says_so():
    trace = run_pipeline(LOGITS, OFF.replace(top_p=0.0))
    stage = trace.stage("top_p")
    assert list(stage.ids) == [1]
    assert stage.entropy_bits == 0.0
    assert "Top-p 0 keeps only the likeliest token" in stage.note
    assert trace.notes == (stage.note,)
    assert trace.final.top() == [(1, 1.0)]


def test_min_p_is_relative_to_the_top_probability_and_keeps_array_order():
    # 0.3 x 0.4 = 0.12: tokens 0 (0.05) and 2 (0.1) fall below it.
    stage = run_pipeline(LOGITS, OFF.replace(min_p=0.3)).stage("min_p")
    assert list(stage.ids) == [1, 3, 4]  # unsorted input: llama.cpp keeps the original order
    assert_probs(stage, {1: 0.4 / 0.85, 3: 0.3 / 0.85, 4: 0.15 / 0.85})
    assert sorted(stage.removed.tolist()) == [0, 2]
    # 0.5 x 0.4 = 0.2: only 0.4 and 0.3 stay.
    stage = run_pipeline(LOGITS, OFF.replace(min_p=0.5)).stage("min_p")
    assert_probs(stage, {1: 4 / 7, 3: 3 / 7})
    # 1.0: only the top token can reach its own probability.
    stage = run_pipeline(LOGITS, OFF.replace(min_p=1.0)).stage("min_p")
    assert list(stage.ids) == [1]


@pytest.mark.parametrize(
    ("temperature", "power"),
    [(2.0, 0.5), (0.5, 2.0), (0.25, 4.0)],
)
def test_temperature_divides_the_scores(temperature, power):
    # Dividing log p by T raises every probability to the power 1/T before renormalising.
    weights = [p**power for p in P]
    expected = {i: w / sum(weights) for i, w in enumerate(weights)}
    trace = run_pipeline(LOGITS, OFF.replace(temperature=temperature))
    stage = trace.stage("temperature")
    assert_probs(stage, expected, tol=1e-5)
    assert stage.entropy_bits == pytest.approx(H(*expected.values()), abs=1e-5)
    assert np.allclose(stage.logits, LOGITS / temperature)
    for token, p in expected.items():
        assert trace.final.prob(token) == pytest.approx(p, abs=1e-5)


def test_higher_temperature_means_higher_entropy():
    entropies = [run_pipeline(LOGITS, OFF.replace(temperature=t)).last.entropy_bits for t in (0.25, 0.5, 1.0, 2.0)]
    assert entropies == sorted(entropies)
    assert entropies[-1] < math.log2(5)


def test_repeat_penalty_divides_positive_and_multiplies_negative_scores():
    logits = np.array([2.0, -1.0, 0.5, 1.0], dtype=np.float32)
    trace = run_pipeline(logits, OFF.replace(repeat_penalty=2.0), recent_tokens=[0, 1, 0])
    stage = trace.stage("penalties")
    assert stage.applied and stage.removed.size == 0
    assert stage.logits.tolist() == [1.0, -2.0, 0.5, 1.0]
    weights = [math.exp(1.0), math.exp(-2.0), math.exp(0.5), math.exp(1.0)]
    assert_probs(stage, {i: w / sum(weights) for i, w in enumerate(weights)})


def test_repeat_penalty_only_looks_at_the_last_n_tokens():
    logits = np.array([2.0, -1.0, 0.5, 1.0], dtype=np.float32)
    trace = run_pipeline(logits, OFF.replace(repeat_penalty=2.0), recent_tokens=[0, 1, 3], penalty_last_n=1)
    assert trace.stage("penalties").logits.tolist() == [2.0, -1.0, 0.5, 0.5]


def test_temperature_zero_is_greedy_and_says_so():
    logits = np.array([2.0, 1.9, 0.0], dtype=np.float32)
    params = GenerationParams(temperature=0.0, top_k=1, top_p=0.1, min_p=0.9, repeat_penalty=1.1)
    trace = run_pipeline(logits, params, recent_tokens=[0])
    assert trace.greedy and trace.final.greedy
    assert any("greedy" in note for note in trace.notes)
    # 2.0 / 1.1 = 1.818 < 1.9: the penalty hands the win to token 1.
    assert trace.final.top() == [(1, 1.0)]
    for name in ("top_k", "top_p", "min_p", "temperature"):
        stage = trace.stage(name)
        assert not stage.applied and stage.size == 3 and "greedy" in stage.note
    # Greedy uses no random numbers: any generator gives the same token.
    assert trace.final.draw(LlamaRng(1)) == trace.final.draw(LlamaRng(2)) == 1


def test_all_stages_in_the_engine_order():
    params = GenerationParams(temperature=0.5, top_k=3, top_p=0.8, min_p=0.7, repeat_penalty=1.0)
    trace = run_pipeline(LOGITS, params)
    # top_k 3: 0.4, 0.3, 0.15 out of 0.85.
    assert_probs(trace.stage("top_k"), {1: 0.4 / 0.85, 3: 0.3 / 0.85, 4: 0.15 / 0.85})
    # top_p 0.8: 0.4/0.85 = 0.47 < 0.8, then 0.7/0.85 = 0.82 >= 0.8.
    assert_probs(trace.stage("top_p"), {1: 4 / 7, 3: 3 / 7})
    # min_p 0.7: 0.7 x 4/7 = 0.4 <= 3/7 = 0.43, so both stay.
    assert_probs(trace.stage("min_p"), {1: 4 / 7, 3: 3 / 7})
    # temperature 0.5 squares the probabilities: 16/49 and 9/49, i.e. 16/25 and 9/25.
    assert_probs(trace.stage("temperature"), {1: 16 / 25, 3: 9 / 25})
    assert trace.final.prob(1) == pytest.approx(0.64, abs=1e-6)
    assert trace.final.prob(3) == pytest.approx(0.36, abs=1e-6)
    assert trace.final.prob(4) == 0.0
    assert [s.entropy_bits for s in trace.stages][-1] == pytest.approx(H(0.64, 0.36), abs=1e-6)


def test_a_different_order_keeps_a_different_set():
    params = OFF.replace(temperature=0.5, top_p=0.8)
    engine = run_pipeline(LOGITS, params)
    # Engine order: top_p on the raw probabilities keeps 0.4, 0.3, 0.15, then T=0.5 squares them.
    squares = {1: 0.16, 3: 0.09, 4: 0.0225}
    assert_probs(engine.last, {k: v / 0.2725 for k, v in squares.items()})
    # Temperature first: 0.16, 0.09, ... out of 0.285 gives 0.561 then 0.877 >= 0.8: two tokens.
    swapped = run_pipeline(LOGITS, params, order=["temperature", "top_p"])
    assert swapped.order == ("temperature", "top_p")
    assert_probs(swapped.stage("top_p"), {1: 16 / 25, 3: 9 / 25})
    assert swapped.final.prob(4) == 0.0 and engine.final.prob(4) > 0.08


def test_the_draw_walks_the_candidates_in_llama_cpp_order():
    sorted_final = run_pipeline(LOGITS, OFF.replace(top_k=2)).final  # [1, 3]: 4/7, 3/7
    assert sorted_final.choose(0.0) == 1
    assert sorted_final.choose(0.57) == 1
    assert sorted_final.choose(0.58) == 3
    unsorted_final = run_pipeline(LOGITS, OFF.replace(min_p=0.3)).final  # [1, 3, 4] in id order
    assert list(unsorted_final.ids) == [1, 3, 4]
    assert unsorted_final.choose(0.45) == 1  # 0.45 x 0.85 = 0.38 <= 0.4
    assert unsorted_final.choose(0.8) == 3  # 0.68 <= 0.7
    assert unsorted_final.choose(0.9) == 4  # 0.765 > 0.7
    everything = run_pipeline(LOGITS, OFF).final  # the whole vocabulary, in id order
    assert everything.choose(0.04) == 0 and everything.choose(0.06) == 1 and everything.choose(0.99) == 4


def test_llama_rng_is_the_standard_mersenne_twister():
    # The C++ standard fixes the 10000th output of a default-seeded std::mt19937 at 4123659995.
    rng = LlamaRng(5489)
    assert int(rng._bits.random_raw(10000)[-1]) == 4123659995
    # Its first two outputs are 3499211612 and 581869302; a double takes 53 bits from both.
    rng = LlamaRng(5489)
    assert rng.uniform() == (3499211612 + 581869302 * 2**32) / 2**64
    state = rng.getstate()
    a = rng.uniform()
    rng.setstate(state)
    assert rng.uniform() == a


def test_sampling_frequencies_follow_the_final_distribution():
    final = run_pipeline(LOGITS, OFF.replace(temperature=0.5, top_p=0.8)).final
    rng = LlamaRng(42)
    draws = [final.draw(rng) for _ in range(4000)]
    for token, expected in ((1, 0.16 / 0.2725), (3, 0.09 / 0.2725), (4, 0.0225 / 0.2725)):
        assert draws.count(token) / 4000 == pytest.approx(expected, abs=0.03)
    assert set(draws) == {1, 3, 4}


def test_entropy_bits():
    assert entropy_bits(np.array([0.5, 0.5])) == 1.0
    assert entropy_bits(np.array([1.0, 0.0])) == 0.0
    assert entropy_bits(np.full(8, 1 / 8)) == pytest.approx(3.0)


@pytest.mark.parametrize(
    ("logits", "params", "order", "message"),
    [
        (np.array([1.0, np.nan]), OFF, None, "invalid scores"),
        (np.zeros((2, 3)), OFF, None, "one number per vocabulary token"),
        (np.zeros(0), OFF, None, "one number per vocabulary token"),
        (LOGITS, OFF.replace(temperature=-1.0), None, "cannot be negative"),
        (LOGITS, OFF.replace(repeat_penalty=0.0), None, "greater than 0"),
        (LOGITS, OFF.replace(top_p=float("nan")), None, "must be a number"),
        (LOGITS, OFF, ["top_k", "top_k"], "at most once"),
        (LOGITS, OFF, ["typo"], "at most once"),
    ],
)
def test_bad_input_gets_a_sentence(logits, params, order, message):
    kwargs = {} if order is None else {"order": order}
    with pytest.raises(SamplingError, match=message):
        run_pipeline(logits, params, **kwargs)


def test_the_pipeline_does_not_change_its_input():
    logits = LOGITS.copy()
    run_pipeline(logits, GenerationParams(temperature=0.3, top_k=2, repeat_penalty=1.5), recent_tokens=[1])
    assert np.array_equal(logits, LOGITS)
