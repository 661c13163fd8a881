"""Step mode on the starter model: the same tokens as a normal reply, forcing, rewinding."""

from __future__ import annotations

import pytest

from tinychat.core.engine import Engine
from tinychat.core.params import GenerationParams
from tinychat.core.probe import ProbeError
from tinychat.core.stepper import StepSession

pytestmark = pytest.mark.model

MESSAGES = [{"role": "user", "content": "Write one sentence about the sea."}]


@pytest.mark.parametrize(
    "params",
    [
        GenerationParams(temperature=0.9, seed=11, max_new_tokens=16),
        GenerationParams(temperature=1.3, top_k=0, top_p=0.9, min_p=0.0, repeat_penalty=1.3, seed=3, max_new_tokens=16),
    ],
)
def test_stepping_writes_what_the_engine_writes(engine, params):
    reply = engine.generate(MESSAGES, params)
    session = StepSession.from_prompt(engine, MESSAGES, params)
    steps = session.run(params.max_new_tokens)
    assert [s.token for s in steps if not s.end_of_turn] == reply.token_ids
    assert session.text == reply.text
    assert all(not s.forced and s.prob > 0 for s in steps)


def test_forcing_a_token_changes_the_continuation(engine):
    params = GenerationParams(temperature=0.0, max_new_tokens=8)
    plain = StepSession.from_prompt(engine, "The capital of France is", params, raw=True)
    plain.run(6)
    forced = StepSession.from_prompt(engine, "The capital of France is", params, raw=True)
    first = forced.trace().raw.top(2)
    assert plain.steps[0].token == first[0][0]
    step = forced.step(force=first[1][0])
    assert step.forced and step.token == first[1][0]
    assert step.prob == 0.0  # greedy would never have picked it
    assert step.raw_prob == pytest.approx(first[1][1])
    forced.run(5)
    assert forced.tokens[1:] != plain.tokens[1:]
    assert forced.text != plain.text


def test_rewind_and_the_same_seed_reproduce(engine):
    params = GenerationParams(temperature=1.2, top_k=0, top_p=1.0, min_p=0.0, seed=2024, max_new_tokens=20)
    session = StepSession.from_prompt(engine, "Once upon a time", params, raw=True)
    session.run(8)
    first = session.tokens
    session.rewind(5)
    assert session.tokens == first[:3]
    assert engine.llm.n_tokens == len(session.prompt_tokens) + 3
    session.run(5)
    assert session.tokens == first
    # Rewind and force something else: the path changes, then rewind again and it comes back.
    session.rewind(5)
    alternative = session.trace().raw.top(3)[2][0]
    session.step(force=alternative)
    assert session.tokens[3] == alternative
    session.rewind(1)
    session.run(5)
    assert session.tokens == first


def test_a_normal_reply_in_between_does_not_disturb_the_steps(engine):
    params = GenerationParams(temperature=0.8, seed=8, max_new_tokens=10)
    alone = StepSession.from_prompt(engine, "My favourite food is", params, raw=True)
    alone.run(6)
    interrupted = StepSession.from_prompt(engine, "My favourite food is", params, raw=True)
    interrupted.run(3)
    engine.generate(MESSAGES, GenerationParams(seed=1, max_new_tokens=4))
    interrupted.run(3)
    assert interrupted.tokens == alone.tokens


def test_bad_steps_get_a_sentence(engine):
    params = GenerationParams(temperature=0.0, max_new_tokens=2)
    session = StepSession.from_prompt(engine, "Hello", params, raw=True)
    with pytest.raises(ProbeError, match="not in this model's vocabulary"):
        session.step(force=10**7)
    session.run(5)
    assert len(session.steps) == 2 and session.finished
    with pytest.raises(ProbeError, match="maximum number of new tokens"):
        session.step()
    session.rewind(1)
    assert not session.finished


def test_forcing_the_end_of_turn_ends_the_reply(engine):
    session = StepSession.from_prompt(engine, MESSAGES, GenerationParams(temperature=0.0, max_new_tokens=5))
    session.step()
    step = session.step(force=engine.llm.token_eos())
    assert step.end_of_turn and session.finished
    with pytest.raises(ProbeError, match="ended its reply"):
        session.step()
    session.rewind(1)
    assert session.step().token != engine.llm.token_eos()


def test_a_full_context_and_unloading_the_model_mid_session(starter_path):
    own = Engine()
    own.load(starter_path, n_ctx=256, n_threads=1)  # the smallest window llama.cpp makes
    session = StepSession.from_prompt(
        own, "Once upon a time", GenerationParams(temperature=0.0, max_new_tokens=256), raw=True
    )
    # Force past any end of turn so that the reply runs into the end of the context window.
    while not session.finished:
        step = session.step()
        if step.end_of_turn:
            session.rewind(1)
            session.step(force=session.trace().raw.top(2)[1][0])
    assert len(session.prompt_tokens) + len(session.steps) == 256
    with pytest.raises(ProbeError, match="context window is full"):
        session.step()
    session.rewind(1)
    session.step()
    own.unload()
    with pytest.raises(ProbeError, match="unloaded or replaced"):
        session.step()
    with pytest.raises(ProbeError, match="unloaded or replaced"):
        session.rewind()
