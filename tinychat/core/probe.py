"""The model's real next-token scores, read from llama.cpp, and llama.cpp's own sampler as a reference.

``llama-cpp-python`` keeps logits only when the model is loaded with
``logits_all=True``, which costs a context x vocabulary array and tens of
milliseconds per token. We need the scores of the last position only, so we
read them straight from the llama.cpp context (``llama_get_logits_ith(ctx, -1)``)
right after evaluating, before anything else runs on that context.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from collections.abc import Mapping, Sequence

import llama_cpp
import numpy as np
from llama_cpp import _internals

from tinychat.core.engine import ContextOverflow, Engine
from tinychat.core.i18n import translate
from tinychat.core.params import GenerationParams
from tinychat.core.sampling import SamplingError

Prompt = str | Sequence[Mapping[str, str]]


class ProbeError(ValueError):
    """The prompt cannot be probed; the message says why and what to do."""


@dataclass(frozen=True)
class Alternative:
    token: int
    piece: str
    logit: float
    prob: float


@dataclass(frozen=True)
class NextToken:
    """The scores for the token after ``prompt_text``, over the whole vocabulary."""

    logits: np.ndarray
    prompt_tokens: tuple[int, ...]
    prompt_text: str
    #: Where the prompt template came from ("gguf", a built-in's name...), or "" for raw text.
    template: str

    def top(self, engine: Engine, n: int = 10) -> list[Alternative]:
        probs = softmax(self.logits)
        return [
            Alternative(int(t), token_piece(engine, int(t)), float(self.logits[t]), float(probs[t]))
            for t in top_ids(self.logits, n)
        ]


def softmax(logits: np.ndarray) -> np.ndarray:
    weights = np.exp(logits.astype(np.float64) - float(np.max(logits)))
    return weights / weights.sum()


def top_ids(logits: np.ndarray, n: int) -> np.ndarray:
    """The ``n`` highest-scoring token ids, highest first, without sorting the whole vocabulary."""
    n = max(0, min(int(n), logits.size))
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    part = np.argpartition(-logits, n - 1)[:n] if n < logits.size else np.arange(logits.size)
    return part[np.lexsort((part, -logits[part]))]


def read_logits(engine: Engine) -> np.ndarray:
    """A copy of the scores llama.cpp computed for the last evaluated position."""
    llm = engine.llm
    pointer = llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1)
    if not pointer:
        raise ProbeError(translate("Probe", "llama.cpp has no scores to show yet; evaluate a prompt first."))
    return np.ctypeslib.as_array(pointer, shape=(llm.n_vocab(),)).copy()


def token_piece(engine: Engine, token: int) -> str:
    """The text of one token as the model writes it; control tokens show their name,
    and a token that is only part of a UTF-8 character shows its bytes (``<0xE2>``)."""
    vocab = engine.llm._model.vocab
    size = 64
    while True:
        buffer = ctypes.create_string_buffer(size)
        n = llama_cpp.llama_token_to_piece(vocab, llama_cpp.llama_token(token), buffer, size, 0, True)
        if n >= 0:
            data = buffer.raw[:n]
            break
        size = -n
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return "".join(f"<0x{b:02X}>" for b in data)


def forget_engine_cache(engine: Engine) -> None:
    """Tell the engine that its KV cache no longer holds its last prompt.

    The engine reuses the cached prefix of its previous prompt; after we
    evaluate something else in the same context it must start afresh.
    """
    engine.invalidate_cache()


def prompt_tokens(
    engine: Engine, prompt: Prompt, *, raw: bool = False, system: str | None = None
) -> tuple[list[int], str, str]:
    """(tokens, text, template source) for a prompt.

    ``raw``: the text goes to the model as it is, with no chat template (the
    model just continues it). Otherwise a string is one user message (after
    ``system``, if given), rendered through the engine's template.
    """
    if raw:
        if not isinstance(prompt, str):
            raise ProbeError(translate("Probe", "A raw prompt must be plain text, not a list of messages."))
        from tinychat.core.store import clean_text

        text = clean_text(prompt)  # undecodable bytes from argv or stdin arrive as lone surrogates
        tokens = engine.llm.tokenize(text.encode("utf-8"), add_bos=True, special=False)
        source = ""
    else:
        if isinstance(prompt, str):
            messages = ([{"role": "system", "content": system}] if system else []) + [
                {"role": "user", "content": prompt}
            ]
        else:
            messages = [dict(m) for m in prompt]
        rendered = engine.render(messages)
        tokens, text, source = engine.tokenize(rendered), rendered.text, rendered.source
    if not tokens:
        raise ProbeError(translate("Probe", "The prompt is empty; type something for the model to continue."))
    return tokens, text, source


def context_limit(engine: Engine) -> int:
    """How many tokens fit. llama.cpp pads a small context window up (to 256), but
    llama-cpp-python sizes its token buffer by the size asked for: the smaller one counts."""
    llm = engine.llm
    return min(int(llm.n_ctx()), len(llm.input_ids))


def evaluate(engine: Engine, tokens: Sequence[int]) -> np.ndarray:
    """Evaluate ``tokens`` from an empty cache, as the engine does before a reply, and return the next-token scores."""
    llm = engine.llm
    limit = context_limit(engine)
    if len(tokens) >= limit:
        raise ContextOverflow(len(tokens), limit)
    forget_engine_cache(engine)
    llm.reset()
    llm.eval(list(tokens))
    return read_logits(engine)


def next_token(engine: Engine, prompt: Prompt, *, raw: bool = False, system: str | None = None) -> NextToken:
    """The model's scores for the token that comes after ``prompt``."""
    tokens, text, source = prompt_tokens(engine, prompt, raw=raw, system=system)
    logits = evaluate(engine, tokens)
    return NextToken(logits=logits, prompt_tokens=tuple(tokens), prompt_text=text, template=source)


# -- llama.cpp's own sampler, for comparison ---------------------------------------


@dataclass(frozen=True)
class LlamaCppChoice:
    """What llama.cpp's chain did with one score vector: the candidates its draw saw
    (in its array order, with the probabilities its ``dist`` stage computed) and the token it chose."""

    ids: np.ndarray
    probs: np.ndarray
    token: int


class LlamaCppSampler:
    """llama.cpp's sampler chain, built the way ``Llama._init_sampler`` builds the engine's.

    Applied to a score vector directly (``llama_sampler_apply``), so the
    candidates are visible after every stage including the draw. One draw is
    made per :meth:`apply`, from the chain's own mt19937 seeded with ``seed``.
    """

    def __init__(self, n_vocab: int, params: GenerationParams, seed: int, *, penalty_last_n: int = 64):
        if params.temperature < 0:
            raise SamplingError(
                translate("Sampling", "Temperature cannot be negative; use 0 to always pick the likeliest token.")
            )
        self.n_vocab = n_vocab
        self.chain = _internals.LlamaSampler()
        self.chain.add_penalties(
            n_vocab=n_vocab,
            penalty_last_n=penalty_last_n,
            penalty_repeat=params.repeat_penalty,
            penalty_freq=0.0,
            penalty_present=0.0,
        )
        self.greedy = params.temperature == 0
        if self.greedy:
            self.chain.add_greedy()
        else:
            self.chain.add_top_k(params.top_k)
            self.chain.add_typical(1.0, 1)
            self.chain.add_top_p(params.top_p, 1)
            self.chain.add_min_p(params.min_p, 1)
            self.chain.add_temp(params.temperature)
            self.chain.add_dist(seed)
        self._data = _internals.LlamaTokenDataArray(n_vocab=n_vocab)

    def accept(self, token: int) -> None:
        """Record a generated token (for the repeat penalty), as llama.cpp does after each draw."""
        self.chain.accept(token)

    def apply(self, logits: np.ndarray) -> LlamaCppChoice:
        data = self._data
        data.copy_logits(np.asarray(logits, dtype=np.float32))
        data.candidates.selected = -1
        llama_cpp.llama_sampler_apply(self.chain.sampler, ctypes.byref(data.candidates))
        size, selected = int(data.candidates.size), int(data.candidates.selected)
        # Stages that shrink the array move the survivors to its front, in place.
        kept = data.candidates_data[:size]
        ids = np.array(kept["id"], dtype=np.int32)
        probs = np.ones(1, dtype=np.float32) if self.greedy else np.array(kept["p"], dtype=np.float32)
        token = int(ids[selected])
        if self.greedy:
            ids = np.array([token], dtype=np.int32)
        return LlamaCppChoice(ids=ids, probs=probs, token=token)

    def close(self) -> None:
        self.chain.close()
