"""Step mode: generate one token at a time, see the distribution it came from, force another, rewind.

Each step runs the sampling pipeline on the real scores and draws with
llama.cpp's own random numbers (:class:`~tinychat.core.sampling.LlamaRng`),
so a session that is never forced writes the same tokens as the engine's
reply with the same seed and settings. A forced token uses no random number.

The scores of every position are kept (one vocabulary-sized float32 array per
step, about 200 KB for a 49k vocabulary), so rewinding only truncates the KV
cache: nothing is evaluated again, and stepping forward after a rewind gives
the same tokens as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable

import llama_cpp
import numpy as np

from tinychat.core.engine import Engine
from tinychat.core.i18n import translate
from tinychat.core.params import GenerationParams
from tinychat.core.probe import (
    Prompt,
    ProbeError,
    context_limit,
    evaluate,
    forget_engine_cache,
    prompt_tokens,
    read_logits,
    token_piece,
)
from tinychat.core.sampling import (
    DEFAULT_PENALTY_LAST_N,
    ENGINE_ORDER,
    LlamaRng,
    SamplingTrace,
    check_order,
    run_pipeline,
)


@dataclass(frozen=True)
class Candidate:
    token: int
    piece: str
    #: Probability before any sampler, and in the distribution the draw used (0: filtered out).
    raw_prob: float
    prob: float


@dataclass(frozen=True)
class Step:
    index: int
    token: int
    piece: str
    forced: bool
    #: The chosen token's probability before any sampler, and in the distribution the draw used.
    raw_prob: float
    prob: float
    #: True when the token ends the model's turn; the session stops there.
    end_of_turn: bool
    #: The likeliest tokens before the sampler at this position, likeliest first.
    #: (Only these are kept: a whole trace holds several vocabulary-sized arrays.)
    alternatives: tuple[Candidate, ...]
    entropy_raw_bits: float
    entropy_final_bits: float


class StepSession:
    """One reply, built token by token on an engine's loaded model."""

    def __init__(
        self,
        engine: Engine,
        tokens: list[int],
        params: GenerationParams,
        *,
        prompt_text: str = "",
        template: str = "",
        order: Iterable[str] = ENGINE_ORDER,
        penalty_last_n: int = DEFAULT_PENALTY_LAST_N,
        alternatives: int = 10,
    ):
        info = engine._require_info()
        self.engine = engine
        self.params = params.validated(n_ctx=info.n_ctx)
        self.seed = self.params.resolve_seed()
        self.order = check_order(order)
        self.penalty_last_n = penalty_last_n
        self.n_alternatives = max(0, int(alternatives))
        self.prompt_tokens = list(tokens)
        self.prompt_text = prompt_text
        self.template = template
        self._llm = engine.llm
        self._n_ctx = context_limit(engine)
        self._rng = LlamaRng(self.seed)
        self.steps: list[Step] = []
        # _logits[i] and _rng_states[i]: the scores and generator state before step i.
        self._logits: list[np.ndarray] = [evaluate(engine, self.prompt_tokens)]
        self._rng_states: list[dict] = [self._rng.getstate()]
        self._traces: dict[int, SamplingTrace] = {}

    @classmethod
    def from_prompt(
        cls,
        engine: Engine,
        prompt: Prompt,
        params: GenerationParams,
        *,
        raw: bool = False,
        system: str | None = None,
        order: Iterable[str] = ENGINE_ORDER,
        alternatives: int = 10,
    ) -> StepSession:
        tokens, text, source = prompt_tokens(engine, prompt, raw=raw, system=system)
        return cls(engine, tokens, params, prompt_text=text, template=source, order=order, alternatives=alternatives)

    # -- state ---------------------------------------------------------------

    @property
    def tokens(self) -> list[int]:
        return [s.token for s in self.steps]

    @property
    def text(self) -> str:
        return self._llm.detokenize([s.token for s in self.steps if not s.end_of_turn]).decode(
            "utf-8", errors="replace"
        )

    @property
    def finished(self) -> bool:
        if self.steps and self.steps[-1].end_of_turn:
            return True
        return len(self.prompt_tokens) + len(self.steps) >= self._n_ctx or len(self.steps) >= self.params.max_new_tokens

    def trace(self) -> SamplingTrace:
        """The distribution for the next token, stage by stage."""
        index = len(self.steps)
        trace = self._traces.get(index)
        if trace is None:
            recent = self.tokens[-self.penalty_last_n :] if self.penalty_last_n > 0 else self.tokens
            trace = run_pipeline(
                self._logits[index], self.params, recent, order=self.order, penalty_last_n=self.penalty_last_n
            )
            self._traces[index] = trace
        return trace

    @property
    def logits(self) -> np.ndarray:
        """The raw scores for the next token."""
        return self._logits[len(self.steps)]

    # -- moving --------------------------------------------------------------

    def step(self, force: int | None = None) -> Step:
        """Choose the next token (or take ``force``), evaluate it, and return what happened."""
        self._check_model()
        if self.finished:
            raise ProbeError(self.finished_reason())
        n_vocab = self._llm.n_vocab()
        if force is not None and not 0 <= int(force) < n_vocab:
            raise ProbeError(
                translate("Probe", "Token {token} is not in this model's vocabulary (0 to {last}).").format(
                    token=force, last=n_vocab - 1
                )
            )
        self._ensure_context()
        index = len(self.steps)
        trace = self.trace()
        token = int(force) if force is not None else trace.final.draw(self._rng)
        end = bool(llama_cpp.llama_vocab_is_eog(self._llm._model.vocab, token))
        step = Step(
            index=index,
            token=token,
            piece=token_piece(self.engine, token),
            forced=force is not None,
            raw_prob=trace.raw.prob(token),
            prob=trace.final.prob(token),
            end_of_turn=end,
            alternatives=tuple(
                Candidate(t, token_piece(self.engine, t), p, trace.final.prob(t))
                for t, p in trace.raw.top(self.n_alternatives)
            ),
            entropy_raw_bits=trace.raw.entropy_bits,
            entropy_final_bits=trace.last.entropy_bits,
        )
        self.steps.append(step)
        if not end:
            # The engine evaluates each reply token on its own, one-token batch; so do we.
            self._llm.eval([token])
            self._logits.append(read_logits(self.engine))
        else:
            self._logits.append(self._logits[-1])
        self._rng_states.append(self._rng.getstate())
        self._traces.pop(index, None)  # only the next position's trace is kept
        return step

    def run(self, count: int) -> list[Step]:
        """Up to ``count`` steps, stopping at the end of the turn or the token budget."""
        done: list[Step] = []
        while len(done) < count and not self.finished:
            done.append(self.step())
        return done

    def use_params(self, params: GenerationParams) -> None:
        """New settings for the next step; the session's seed stays, and cached traces are dropped if they change."""
        info = self.engine._require_info()
        params = params.replace(seed=self.seed).validated(n_ctx=info.n_ctx)
        if params != self.params:
            self.params = params
            self._traces.clear()

    def rewind(self, count: int = 1) -> None:
        """Take back the last ``count`` tokens; the next step starts from the state before them."""
        self._check_model()
        count = max(0, min(int(count), len(self.steps)))
        if count == 0:
            return
        del self.steps[len(self.steps) - count :]
        del self._logits[len(self.steps) + 1 :]
        del self._rng_states[len(self.steps) + 1 :]
        self._traces.clear()
        self._rng.setstate(self._rng_states[-1])
        keep = self._kv_length()
        self._llm._ctx.kv_cache_seq_rm(-1, keep, -1)
        self._llm.n_tokens = keep

    # -- keeping the context honest ------------------------------------------

    def _kv_length(self) -> int:
        return len(self.prompt_tokens) + sum(1 for s in self.steps if not s.end_of_turn)

    def _check_model(self) -> None:
        if not self.engine.loaded or self.engine.llm is not self._llm:
            raise ProbeError(
                translate(
                    "Probe",
                    "The model was unloaded or replaced, so this step-by-step reply cannot go on. Start it again.",
                )
            )

    def _ensure_context(self) -> None:
        """Re-evaluate if something else (a normal reply, another probe) used the context meanwhile."""
        keep = self._kv_length()
        expected = self.prompt_tokens + [s.token for s in self.steps if not s.end_of_turn]
        llm = self._llm
        if llm.n_tokens == keep and list(llm.input_ids[:keep]) == expected:
            return
        # The same batches as the first time (prompt at once, then one token at a time),
        # so the scores come out identical.
        evaluate(self.engine, self.prompt_tokens)
        for token in expected[len(self.prompt_tokens) :]:
            llm.eval([token])
        forget_engine_cache(self.engine)

    def finished_reason(self) -> str:
        """Why no further step can be taken, as a sentence (meaningful once ``finished``)."""
        if self.steps and self.steps[-1].end_of_turn:
            return translate("Probe", "The model has ended its reply. Rewind to try another path.")
        if len(self.steps) >= self.params.max_new_tokens:
            return translate("Probe", "The reply reached the maximum number of new tokens. Rewind, or raise the limit.")
        return translate("Probe", "The context window is full. Rewind, or start with a shorter prompt.")
