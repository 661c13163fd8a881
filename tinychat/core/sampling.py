"""The sampler, stage by stage: what each setting does to the next-token distribution.

This reproduces, in numpy, the llama.cpp sampler chain that llama-cpp-python
builds for every reply (``Llama._init_sampler``)::

    penalties -> top_k -> typical -> top_p -> min_p -> temperature -> dist

``typical`` is always off in TinyChat (``typical_p=1.0``), so it is left out.
With temperature 0 the chain is ``penalties -> greedy`` instead: the filters
are not applied at all, and the token with the highest score wins.

Why write it again instead of calling llama.cpp? llama.cpp's chain only hands
back the token it drew; a teacher wants to see every step in between (which
tokens each filter removed, how the probabilities and the entropy change),
and wants to move a stage elsewhere to show what a different order would do.
So every stage below follows the C code in ``llama-sampler.cpp`` closely:
the same float32 arithmetic, the same order of the candidate array (the draw
walks that array, so its order decides which token a random number lands on),
the same min_keep of 1. ``tests/test_probe.py`` checks the result against
llama.cpp's own chain on the real model.

Where the two can still differ:

* ties: llama.cpp sorts with ``std::partial_sort``, which leaves the order of
  equal scores unspecified; here equal scores keep their previous order;
* the last bit of ``exp``: numpy's float32 ``exp`` and the C library's
  ``expf`` may round differently by one unit in the last place, which can
  only matter when a cumulative sum lands exactly on the top-p threshold or a
  random number lands exactly on a boundary between two tokens.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from collections.abc import Iterable, Sequence

import numpy as np

from tinychat.core.i18n import translate
from tinychat.core.params import GenerationParams

PENALTIES = "penalties"
TOP_K = "top_k"
TOP_P = "top_p"
MIN_P = "min_p"
TEMPERATURE = "temperature"

#: The order in which the engine (llama-cpp-python's sampler chain) applies the stages.
ENGINE_ORDER: tuple[str, ...] = (PENALTIES, TOP_K, TOP_P, MIN_P, TEMPERATURE)
STAGE_NAMES = frozenset(ENGINE_ORDER)

#: How many recent tokens the repeat penalty looks at (llama-cpp-python's ``last_n_tokens_size``).
DEFAULT_PENALTY_LAST_N = 64


class SamplingError(ValueError):
    """The logits or the settings cannot be sampled from; the message says why and what to do."""


# -- llama.cpp's random numbers -------------------------------------------------


class LlamaRng:
    """The random numbers of llama.cpp's ``dist`` stage: ``std::mt19937`` seeded with the seed,
    read through ``std::uniform_real_distribution<double>(0, 1)``.

    numpy's legacy Mersenne Twister seeding is the same ``init_genrand`` as the
    C++ standard library's, and ``generate_canonical<double, 53>`` combines two
    32-bit outputs as ``(first + second * 2**32) / 2**64``. With this, a seed
    gives the same draws here as inside llama.cpp (libstdc++ and libc++ agree on
    that formula).
    """

    def __init__(self, seed: int):
        if not 0 <= int(seed) < 2**32:
            raise SamplingError(translate("Sampling", "The seed must be a whole number between 0 and 4294967295."))
        self.seed = int(seed)
        self._bits = np.random.RandomState(self.seed)._bit_generator

    def uniform(self) -> float:
        low, high = (int(x) for x in self._bits.random_raw(2))
        value = (low + high * 4294967296.0) / 18446744073709551616.0
        return value if value < 1.0 else math.nextafter(1.0, 0.0)

    def getstate(self) -> dict:
        return dict(self._bits.state)

    def setstate(self, state: dict) -> None:
        self._bits.state = state


# -- results -------------------------------------------------------------------


def _softmax(logits: np.ndarray) -> np.ndarray:
    if logits.size == 0:
        return np.zeros(0)
    shifted = logits.astype(np.float64) - float(np.max(logits))
    weights = np.exp(shifted)
    return weights / weights.sum()


def entropy_bits(probs: np.ndarray) -> float:
    """Shannon entropy in bits: 0 when one token is certain, log2(n) when n tokens are equally likely."""
    p = np.asarray(probs, dtype=np.float64)
    p = p[p > 0]
    # max(): a single certain token gives -0.0, which would print as "-0.00".
    return max(0.0, float(-(p * np.log2(p)).sum())) if p.size else 0.0


@dataclass(frozen=True, eq=False)  # holds numpy arrays: compare fields explicitly
class Stage:
    """The candidates after one stage.

    ``ids``, ``logits`` and ``probs`` are aligned and in the order llama.cpp keeps
    its candidate array (use :meth:`top` for the likeliest first). ``probs`` is
    the softmax of the surviving scores, i.e. what the draw would use if the
    chain stopped here.
    """

    name: str
    applied: bool
    ids: np.ndarray
    logits: np.ndarray
    probs: np.ndarray
    removed: np.ndarray
    entropy_bits: float
    note: str = ""

    @property
    def size(self) -> int:
        return int(self.ids.size)

    def prob(self, token: int) -> float:
        hit = np.flatnonzero(self.ids == token)
        return float(self.probs[hit[0]]) if hit.size else 0.0

    def top(self, n: int | None = None) -> list[tuple[int, float]]:
        """(token id, probability) pairs, likeliest first; ties by token id."""
        order = np.lexsort((self.ids, -self.probs))
        if n is not None:
            order = order[: max(0, n)]
        return [(int(self.ids[i]), float(self.probs[i])) for i in order]


@dataclass(frozen=True, eq=False)  # holds numpy arrays: compare fields explicitly
class FinalDistribution:
    """What the draw sees: the surviving tokens in llama.cpp's array order and their probabilities,
    computed the way llama.cpp's ``dist`` stage computes them (or one certain token when greedy)."""

    ids: np.ndarray
    probs: np.ndarray
    greedy: bool
    #: The unnormalised float32 weights and their double-precision sum, exactly as the draw uses them.
    _weights: np.ndarray = field(repr=False)
    _total: float = field(repr=False)

    def prob(self, token: int) -> float:
        hit = np.flatnonzero(self.ids == token)
        return float(self.probs[hit[0]]) if hit.size else 0.0

    def top(self, n: int | None = None) -> list[tuple[int, float]]:
        order = np.lexsort((self.ids, -self.probs.astype(np.float64)))
        if n is not None:
            order = order[: max(0, n)]
        return [(int(self.ids[i]), float(self.probs[i])) for i in order]

    def choose(self, u: float) -> int:
        """The token that llama.cpp's ``dist`` picks for the uniform number ``u`` in [0, 1)."""
        if self.greedy or self.ids.size == 1:
            return int(self.ids[0])
        target = self._total * u
        # The same walk as llama_sampler_dist_apply: accumulate in double, in array
        # order, and stop at the first running sum that reaches the target.
        cumulative = np.cumsum(self._weights.astype(np.float64))
        index = int(np.searchsorted(cumulative, target, side="left"))
        return int(self.ids[min(index, self.ids.size - 1)])

    def draw(self, rng: LlamaRng) -> int:
        """Draw a token with llama.cpp's random numbers; greedy uses none, as in llama.cpp."""
        if self.greedy:
            return int(self.ids[0])
        # llama.cpp draws even when one token is left, to keep its generator in step.
        return self.choose(rng.uniform())


@dataclass(frozen=True, eq=False)  # holds numpy arrays: compare fields explicitly
class SamplingTrace:
    """The next-token distribution before the sampler (``raw``), after each stage, and as drawn."""

    order: tuple[str, ...]
    raw: Stage
    stages: tuple[Stage, ...]
    final: FinalDistribution
    greedy: bool
    notes: tuple[str, ...]
    params: GenerationParams | None = None

    def stage(self, name: str) -> Stage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(name)

    @property
    def last(self) -> Stage:
        return self.stages[-1] if self.stages else self.raw


# -- the stages ------------------------------------------------------------------


class _Candidates:
    """llama.cpp's ``llama_token_data_array``: ids and scores in array order, and whether it is sorted."""

    def __init__(self, logits: np.ndarray):
        self.ids = np.arange(logits.size, dtype=np.int32)
        self.logits = logits.astype(np.float32, copy=True)
        self.sorted = False

    def sort(self) -> None:
        # Descending by score; equal scores keep their order (see the module notes).
        order = np.argsort(-self.logits, kind="stable")
        self.ids, self.logits = self.ids[order], self.logits[order]
        self.sorted = True

    def keep(self, index: np.ndarray | slice) -> None:
        self.ids, self.logits = self.ids[index], self.logits[index]


def _expf_weights(logits: np.ndarray, sorted_: bool) -> np.ndarray:
    """expf(logit - max) in float32, as llama.cpp's softmax and dist stages compute it."""
    max_l = logits[0] if sorted_ else np.max(logits)
    return np.exp((logits - np.float32(max_l)).astype(np.float32)).astype(np.float32)


def _apply_penalties(c: _Candidates, recent: Sequence[int], penalty: float, last_n: int) -> tuple[bool, str]:
    if last_n == 0 or np.float32(penalty) == np.float32(1.0):
        return False, translate("Sampling", "Repeat penalty 1 leaves the scores unchanged.")
    window = list(recent)[-last_n:] if last_n > 0 else list(recent)
    if not window:
        c.sorted = False
        return True, translate("Sampling", "No tokens have been generated yet, so there is nothing to penalise.")
    mask = np.isin(c.ids, np.asarray(sorted(set(window)), dtype=np.int32))
    values = c.logits[mask]
    p = np.float32(penalty)
    c.logits[mask] = np.where(values <= 0, values * p, values / p).astype(np.float32)
    c.sorted = False
    return True, translate("Sampling", "{count} recently used tokens were made less likely.").format(
        count=int(mask.sum())
    )


def _apply_top_k(c: _Candidates, k: int, n_vocab: int) -> tuple[bool, str]:
    if k <= 0:
        return False, translate("Sampling", "Top-k 0 turns the filter off.")
    note = ""
    if k > n_vocab:
        note = translate(
            "Sampling", "Top-k is {k} but the vocabulary has only {n} tokens, so it keeps them all."
        ).format(k=k, n=n_vocab)
    elif k > c.ids.size:
        note = translate("Sampling", "Top-k is {k} but only {n} candidates are left, so it keeps them all.").format(
            k=k, n=c.ids.size
        )
    k = min(k, c.ids.size)
    if not c.sorted:
        c.sort()
    c.keep(slice(0, k))
    return True, note


def _apply_top_p(c: _Candidates, p: float) -> tuple[bool, str]:
    if np.float32(p) >= np.float32(1.0):
        return False, translate("Sampling", "Top-p 1 turns the filter off.")
    # llama_sampler_softmax_impl(cur_p, false): probabilities of the current scores,
    # summed in float32 in the array's current order.
    weights = _expf_weights(c.logits, c.sorted)
    total = np.cumsum(weights, dtype=np.float32)[-1]
    probs = (weights / total).astype(np.float32)
    if not c.sorted:
        order = np.argsort(-c.logits, kind="stable")
        c.ids, c.logits, probs = c.ids[order], c.logits[order], probs[order]
        c.sorted = True
    cumulative = np.cumsum(probs, dtype=np.float32)
    reached = np.flatnonzero(cumulative >= np.float32(p))
    last = int(reached[0]) + 1 if reached.size else c.ids.size  # min_keep = 1: at least one token
    c.keep(slice(0, last))
    note = ""
    if p <= 0:
        note = translate("Sampling", "Top-p 0 keeps only the likeliest token (one token always survives).")
    return True, note


def _apply_min_p(c: _Candidates, p: float) -> tuple[bool, str]:
    if np.float32(p) <= 0 or c.ids.size == 0:
        return False, translate("Sampling", "Min-p 0 turns the filter off.")
    # p_i >= p * p_max  <=>  logit_i >= max_logit + log(p); llama.cpp compares scores in float32.
    max_logit = c.logits[0] if c.sorted else np.max(c.logits)
    min_logit = np.float32(max_logit) + np.float32(np.log(np.float32(p)))
    keep = c.logits >= min_logit
    keep[int(np.argmax(c.logits))] = True  # the top token always survives
    c.keep(np.flatnonzero(keep))
    return True, ""


def _apply_temperature(c: _Candidates, temperature: float) -> tuple[bool, str]:
    c.logits = (c.logits / np.float32(temperature)).astype(np.float32)
    if np.float32(temperature) == np.float32(1.0):
        return True, translate("Sampling", "Temperature 1 leaves the scores unchanged.")
    return True, ""


def _final(c: _Candidates, greedy: bool) -> FinalDistribution:
    if greedy:
        # llama_sampler_greedy: the first highest score in array order.
        best = int(np.argmax(c.logits))
        one = np.array([c.ids[best]], dtype=np.int32)
        return FinalDistribution(one, np.ones(1, dtype=np.float32), True, np.ones(1, dtype=np.float32), 1.0)
    if c.ids.size == 1:
        return FinalDistribution(c.ids.copy(), np.ones(1, dtype=np.float32), False, np.ones(1, dtype=np.float32), 1.0)
    weights = _expf_weights(c.logits, c.sorted)
    total = float(np.cumsum(weights.astype(np.float64))[-1])
    probs = (weights.astype(np.float64) / total).astype(np.float32)
    return FinalDistribution(c.ids.copy(), probs, False, weights, total)


def _snapshot(name: str, applied: bool, c: _Candidates, before: np.ndarray, note: str) -> Stage:
    probs = _softmax(c.logits)
    removed = np.setdiff1d(before, c.ids, assume_unique=True) if applied else np.zeros(0, dtype=np.int32)
    return Stage(
        name=name,
        applied=applied,
        ids=c.ids.copy(),
        logits=c.logits.copy(),
        probs=probs,
        removed=removed.astype(np.int32),
        entropy_bits=entropy_bits(probs),
        note=note,
    )


def check_order(order: Iterable[str]) -> tuple[str, ...]:
    order = tuple(order)
    unknown = [name for name in order if name not in STAGE_NAMES]
    if unknown or len(set(order)) != len(order):
        raise SamplingError(
            translate(
                "Sampling",
                "The sampler order must name each of these stages at most once: {names}; got {order}.",
            ).format(names=", ".join(ENGINE_ORDER), order=", ".join(order) or "nothing")
        )
    return order


def run_pipeline(  # noqa: C901, PLR0912 - llama.cpp's sampler stages in their order, one branch per stage
    logits: np.ndarray | Sequence[float],
    params: GenerationParams,
    recent_tokens: Sequence[int] = (),
    *,
    order: Iterable[str] = ENGINE_ORDER,
    penalty_last_n: int = DEFAULT_PENALTY_LAST_N,
) -> SamplingTrace:
    """Run the sampler stages on the scores for one position and keep what each stage did.

    ``logits`` are the model's raw scores over the whole vocabulary;
    ``recent_tokens`` are the tokens generated so far in this reply (the engine's
    repeat penalty looks only at the reply's own tokens, the last
    ``penalty_last_n`` of them). ``order`` lists the stages to apply;
    the default is the engine's.
    """
    scores = np.asarray(logits)
    if scores.ndim != 1 or scores.size == 0:
        raise SamplingError(
            translate(
                "Sampling", "The scores must be one number per vocabulary token; got an array of shape {shape}."
            ).format(shape=tuple(scores.shape))
        )
    scores = scores.astype(np.float32)
    if np.isnan(scores).any() or np.isposinf(scores).any():
        raise SamplingError(
            translate(
                "Sampling",
                "The model produced invalid scores (not a number or infinite); reload the model and try again.",
            )
        )
    order = check_order(order)
    problems = []
    for name in ("temperature", "top_p", "min_p", "repeat_penalty"):
        value = getattr(params, name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            problems.append(
                translate("Sampling", "{name} must be a number, not {value!r}.").format(name=name, value=value)
            )
    if not problems:
        if params.temperature < 0:
            problems.append(
                translate("Sampling", "Temperature cannot be negative; use 0 to always pick the likeliest token.")
            )
        if params.repeat_penalty <= 0:
            problems.append(translate("Sampling", "The repeat penalty must be greater than 0; use 1 to turn it off."))
    if isinstance(params.top_k, bool) or not isinstance(params.top_k, int):
        problems.append(
            translate("Sampling", "Top-k must be a whole number, not {value!r}.").format(value=params.top_k)
        )
    if problems:
        raise SamplingError(" ".join(problems))

    n_vocab = int(scores.size)
    greedy = params.temperature == 0
    notes: list[str] = []
    c = _Candidates(scores)
    raw = _snapshot("raw", False, c, c.ids, "")
    stages: list[Stage] = []
    if greedy:
        notes.append(
            translate(
                "Sampling",
                "Temperature 0 means greedy decoding: the likeliest token is always chosen, "
                "and top-k, top-p and min-p are not used.",
            )
        )
    for name in order:
        before = c.ids.copy()
        if greedy and name != PENALTIES:
            stages.append(
                _snapshot(name, False, c, before, translate("Sampling", "Not used with temperature 0 (greedy)."))
            )
            continue
        if name == PENALTIES:
            applied, note = _apply_penalties(c, recent_tokens, float(params.repeat_penalty), penalty_last_n)
        elif name == TOP_K:
            applied, note = _apply_top_k(c, int(params.top_k), n_vocab)
        elif name == TOP_P:
            applied, note = _apply_top_p(c, float(params.top_p))
        elif name == MIN_P:
            applied, note = _apply_min_p(c, float(params.min_p))
        else:
            applied, note = _apply_temperature(c, float(params.temperature))
        stages.append(_snapshot(name, applied, c, before, note))
        edge_case = (name == TOP_K and params.top_k > before.size) or (name == TOP_P and params.top_p <= 0)
        if note and edge_case:
            notes.append(note)
    return SamplingTrace(
        order=order,
        raw=raw,
        stages=tuple(stages),
        final=_final(c, greedy),
        greedy=greedy,
        notes=tuple(notes),
        params=params,
    )


def readable_token(piece: str) -> str:
    """A token's text as a person reads it: spaces as ␣, newlines as ↵, tabs as →, no quotes.

    The token list, tooltips and tables show this instead of Python's repr.
    Other invisible characters are shown by their code point (⟨U+0007⟩).
    """
    if piece == "":
        return "∅"
    out = []
    for char in piece:
        if char == " ":
            out.append("␣")
        elif char == "\n":
            out.append("↵")
        elif char == "\t":
            out.append("→")
        elif char == "\r":
            out.append("⏎")
        elif not char.isprintable():
            out.append(f"⟨U+{ord(char):04X}⟩")
        else:
            out.append(char)
    return "".join(out)
