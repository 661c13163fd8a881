"""What the Sampling Lab's bar chart shows, as plain data computed from a sampling trace.

Kept out of the widget so that it is tested without a display and the
widget only paints.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable

from tinychat.core.sampling import TOP_K, TOP_P, FinalDistribution, LlamaRng, SamplingTrace


@dataclass(frozen=True)
class ChartRow:
    token: int
    piece: str
    raw_prob: float
    #: Probability in the distribution the draw uses; 0 when a stage removed the token.
    final_prob: float


@dataclass(frozen=True)
class CutOff:
    """A line drawn after ``after_rows`` rows: the rows above it survive ``stage``."""

    stage: str
    after_rows: int
    value: float


@dataclass(frozen=True)
class ChartData:
    rows: tuple[ChartRow, ...]
    cutoffs: tuple[CutOff, ...]
    greedy: bool
    #: Tokens that survive the sampler in all, shown or not.
    kept: int
    vocabulary: int

    @property
    def max_prob(self) -> float:
        return max((max(r.raw_prob, r.final_prob) for r in self.rows), default=0.0)


def chart_data(trace: SamplingTrace, piece: Callable[[int], str], n: int = 15) -> ChartData:
    """The ``n`` likeliest tokens before sampling, with their probabilities after it.

    A cut-off line is drawn where top-k or top-p stops keeping the shown rows
    (only when the survivors form the top of the list, which is always the
    case unless a repeat penalty reordered the tokens).
    """
    top = trace.raw.top(n)
    rows = tuple(ChartRow(t, piece(t), p, trace.final.prob(t)) for t, p in top)
    cutoffs = []
    for name in (TOP_K, TOP_P):
        try:
            stage = trace.stage(name)
        except KeyError:
            continue
        if not stage.applied:
            continue
        survived = [stage.prob(r.token) > 0 for r in rows]
        prefix = next((i for i, alive in enumerate(survived) if not alive), len(rows))
        if prefix < len(rows) and not any(survived[prefix:]):
            value = float(getattr(trace.params, name)) if trace.params is not None else float("nan")
            cutoffs.append(CutOff(name, prefix, value))
    return ChartData(
        rows=rows,
        cutoffs=tuple(cutoffs),
        greedy=trace.greedy,
        kept=int(trace.final.ids.size),
        vocabulary=trace.raw.size,
    )


@dataclass(frozen=True)
class Histogram:
    """``draws`` samples from one distribution: how often each token came out, and how often it should have."""

    draws: int
    counts: dict[int, int]
    expected: dict[int, float]


def sample_histogram(final: FinalDistribution, draws: int = 100, *, seed: int = 0) -> Histogram:
    """Draw ``draws`` times with llama.cpp's random numbers from ``seed`` (the "sample 100 times" button).

    The same seed gives the same counts as llama.cpp's own sampler would.
    """
    rng = LlamaRng(seed)
    counts: dict[int, int] = {}
    for _ in range(max(0, int(draws))):
        token = final.draw(rng)
        counts[token] = counts.get(token, 0) + 1
    expected = {int(t): float(p) * draws for t, p in zip(final.ids, final.probs, strict=True) if p > 0}
    return Histogram(draws=int(draws), counts=counts, expected=expected)
