"""Per-token probabilities from the engine (the chat's probability view)."""

from __future__ import annotations

import pytest

from tinychat.core.params import GenerationParams
from tinychat.core.probe import read_logits
from tinychat.core.sampling import run_pipeline

pytestmark = pytest.mark.model

MESSAGES = [{"role": "user", "content": "Name three colours."}]


@pytest.mark.parametrize(
    "params",
    [
        GenerationParams(
            temperature=0.9, top_k=40, top_p=0.95, min_p=0.05, repeat_penalty=1.1, seed=11, max_new_tokens=24
        ),
        GenerationParams(temperature=1.2, top_k=0, top_p=0.9, min_p=0.0, repeat_penalty=1.0, seed=5, max_new_tokens=12),
        GenerationParams(temperature=0.0, top_k=40, seed=3, max_new_tokens=12),
        GenerationParams(temperature=1.5, top_k=5, top_p=1.0, min_p=0.0, repeat_penalty=1.5, seed=9, max_new_tokens=24),
        GenerationParams(temperature=0.7, top_k=3, top_p=0.5, min_p=0.2, repeat_penalty=1.2, seed=2, max_new_tokens=16),
    ],
)
def test_details_match_the_pipeline_and_do_not_change_the_text(engine, params):
    plain = engine.generate(MESSAGES, params)
    details, expected = [], []

    def on_step(detail):
        # The scores the token was drawn from are still the context's current ones.
        logits = read_logits(engine)
        trace = run_pipeline(logits, params, [d.token for d in details][-64:])
        expected.append((trace.raw.prob(detail.token), trace.final.prob(detail.token), trace.raw.top(10)))
        details.append(detail)

    probed = engine.generate(MESSAGES, params, on_step=on_step)
    assert probed.text == plain.text
    assert probed.token_ids == plain.token_ids
    assert [d.token for d in details] == probed.token_ids
    assert "".join(d.text for d in details) == probed.text or probed.text.startswith("".join(d.text for d in details))
    for detail, (raw, final, top) in zip(details, expected, strict=True):
        assert detail.raw_prob == pytest.approx(raw, rel=1e-5)
        assert detail.prob == pytest.approx(final, rel=1e-4, abs=1e-7)
        assert detail.prob > 0  # the drawn token survived the sampler
        assert [a.token for a in detail.alternatives] == [t for t, _ in top]
        assert len(detail.alternatives) == 10
    if params.temperature == 0:
        assert all(d.prob == 1.0 for d in details)
