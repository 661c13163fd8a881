"""Speculative decoding: guess the next few tokens cheaply, let the model check them all in one evaluation.

Plain decoding runs the whole model once per token. Speculative decoding asks
a *drafter* for a guess of the next few tokens and evaluates the last token
and the guesses in one batch: the model's prediction at every position comes
out of that single evaluation. The reply takes the model's own token at each
position, one after another; while it equals the guess the next guess is
already checked, and at the first difference the rest of the guesses are
thrown away (their positions are removed from the KV cache). So the reply is
the model's own, token for token, and a good guess saves whole evaluations.

Two drafters:

* **prompt lookup** (llama-cpp-python's ``LlamaPromptLookupDecoding``): finds
  the last few tokens earlier in the conversation and guesses that what
  followed them then follows now. Free, and right when the reply repeats its
  input (summarising, rewriting, quoting code).
* **a draft model**: a smaller model with the same vocabulary writes the guess
  greedily (TinyLlama-1.1B drafting for a Llama-2-vocabulary 7B model).

Why TinyChat runs the checking loop itself instead of passing ``draft_model=``
to ``llama_cpp.Llama``: llama-cpp-python then keeps the scores of every
position of the context (``logits_all``: n_ctx × n_vocab floats, 800 MB for
the starter model at 4096 tokens), needs the draft chosen when the model
loads, and does not say which guesses were accepted, which is what the
window shows.

The model's own token is drawn with the same llama.cpp sampler chain as plain
decoding, once per token of the reply and never for a rejected guess, so the
sampler's random numbers and repeat-penalty history are the ones plain
decoding would use. What can still differ is arithmetic: llama.cpp computes a
multi-token batch with other kernels than a single token. Measured on the
starter model (benchmarks/bench_speculative.py, ``--check-batches``): with
flash attention off, the scores of batched positions differ from the
one-at-a-time ones by up to about 1 logit once the context passes a few dozen
tokens, and the gap between the best and second-best token is often smaller
than that, so a greedy reply could change; with flash attention on, the two
are identical to the last bit. Speculation therefore runs only on a model
loaded with flash attention, and otherwise the reply is written plainly, with
a note that says why (:data:`NEEDS_FLASH_ATTENTION`).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable, Generator

import llama_cpp
import numpy as np
import numpy.typing as npt
from llama_cpp.llama_speculative import LlamaDraftModel, LlamaPromptLookupDecoding

from tinychat.core.gguf_info import GGUFInfoError, format_parameter_count, read_gguf_info, vocabulary_digest
from tinychat.core.i18n import QT_TRANSLATE_NOOP, translate

_CTX = "Speculative"

OFF, LOOKUP, DRAFT = "off", "lookup", "draft"
MODES: tuple[str, ...] = (OFF, LOOKUP, DRAFT)
#: Tokens guessed per step. More guesses cost more when they are wrong; 4 to 10 is usual.
DEFAULT_DRAFT_TOKENS = 8
#: The longest and shortest n-gram prompt lookup searches for (llama-cpp-python's default: 2 down to 1).
LOOKUP_NGRAM = 3
LOOKUP_MIN_NGRAM = 2

NEEDS_FLASH_ATTENTION = QT_TRANSLATE_NOOP(
    _CTX,
    "Speculative decoding was not used: this model was loaded without flash attention, and without it llama.cpp "
    "computes a batch of tokens with slightly different arithmetic than one token at a time, so the reply could "
    "differ from plain decoding. Load the model again with speculative decoding on.",
)


class SpeculativeError(RuntimeError):
    """A drafter that cannot be used; ``str(error)`` is the sentence to show."""


@dataclass
class SpeculativeCounts:
    """What the drafter guessed and what the model kept, for one reply.

    ``accepted + rejected == drafted`` always: every guessed token is either
    confirmed by the model or thrown away (including the guesses still waiting
    when the reply stops, which count as rejected).
    """

    mode: str = OFF
    drafted: int = 0
    accepted: int = 0
    rejected: int = 0
    #: Evaluations of the model, the prompt's included: plain decoding needs one per token.
    evaluations: int = 0
    #: Tokens of the reply so far.
    tokens: int = 0

    @property
    def acceptance(self) -> float | None:
        """Share of guessed tokens the model kept (None before any guess)."""
        return self.accepted / self.drafted if self.drafted else None

    @property
    def tokens_per_evaluation(self) -> float | None:
        """Reply tokens per evaluation of the model: 1.0 is what plain decoding gets."""
        return self.tokens / self.evaluations if self.evaluations else None


@dataclass(frozen=True)
class DraftMark:
    """Sent before each token's text while speculating: was this token guessed, and the counts so far."""

    #: The token about to be shown was guessed by the drafter and confirmed by the model.
    accepted: bool
    counts: SpeculativeCounts
    #: The drafter had guessed another token here: the model's own replaces the rest of that guess.
    corrected: bool = False


DraftCallback = Callable[[DraftMark], None]


class PromptLookupDrafter(LlamaPromptLookupDecoding):
    """llama-cpp-python's prompt lookup, without guesses from a single matching token.

    The library falls back to the last token alone when no longer n-gram
    matches; a guess from one common token (" the", ",") is nearly always
    wrong, and on a small model on a CPU a wrong guess costs more than it
    saves (benchmarks/bench_speculative.py). So the search stops at
    :data:`LOOKUP_MIN_NGRAM`, using the library's own search for each size.
    """

    mode = LOOKUP

    def __init__(self, n_draft: int = DEFAULT_DRAFT_TOKENS) -> None:
        super().__init__(max_ngram_size=LOOKUP_NGRAM, num_pred_tokens=n_draft)

    def __call__(self, input_ids: npt.NDArray[np.intc], /, **kwargs: Any) -> npt.NDArray[np.intc]:
        n = int(input_ids.shape[0])
        for size in range(min(self.max_ngram_size, n - 1), LOOKUP_MIN_NGRAM - 1, -1):
            # With a window this size only, the library's search tries exactly this n-gram and then n-1 ...
            # 1: ask it for this size and keep the answer only if that n-gram really occurs earlier.
            tail = input_ids[-size:]
            windows = np.lib.stride_tricks.sliding_window_view(input_ids[:-1], size)
            if not np.all(windows == tail, axis=1).any():
                continue
            return self.find_candidate_pred_tokens(input_ids, size, self.num_pred_tokens)
        return np.zeros(0, dtype=np.intc)

    def close(self) -> None:
        pass


class ModelDrafter(LlamaDraftModel):
    """A second, smaller llama.cpp model that guesses greedily (the most likely token each time).

    It keeps its own KV cache: each call evaluates only what changed since its
    previous guess (the tokens the big model kept or corrected).
    """

    mode = DRAFT

    def __init__(self, llm: llama_cpp.Llama, n_draft: int = DEFAULT_DRAFT_TOKENS) -> None:
        self.llm = llm
        self.n_draft = n_draft
        self._n_vocab = llm.n_vocab()
        self._vocab = llm._model.vocab

    def __call__(self, input_ids: npt.NDArray[np.intc], /, **kwargs: Any) -> npt.NDArray[np.intc]:
        llm = self.llm
        n = int(input_ids.shape[0])
        room = llm.n_ctx() - n - 1
        if room <= 0 or n == 0:
            return np.zeros(0, dtype=np.intc)
        have = llm.input_ids[: llm.n_tokens]
        common = min(have.shape[0], n)
        if common:
            differs = np.flatnonzero(have[:common] != input_ids[:common])
            if differs.size:
                common = int(differs[0])
        # The last token is evaluated again when nothing new came: its scores are needed.
        llm.n_tokens = min(common, n - 1)
        llm.eval(input_ids[llm.n_tokens :].tolist())
        guess: list[int] = []
        for _ in range(min(self.n_draft, room)):
            scores = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm._ctx.ctx, -1), shape=(self._n_vocab,))
            token = int(np.argmax(scores))
            if llama_cpp.llama_vocab_is_eog(self._vocab, token):
                break
            guess.append(token)
            if len(guess) < self.n_draft:
                llm.eval([token])
        return np.asarray(guess, dtype=np.intc)

    def close(self) -> None:
        self.llm.close()


Drafter = PromptLookupDrafter | ModelDrafter


def check_draft_model(target: Path, draft: Path) -> None:
    """Refuse, with a sentence, a draft model that cannot draft for ``target``: larger, or another vocabulary.

    Both checks read only the files' headers: the draft is refused before
    anything is loaded.
    """
    try:
        target_info = read_gguf_info(target)
        draft_info = read_gguf_info(draft)
    except GGUFInfoError as exc:
        raise SpeculativeError(str(exc)) from None
    if draft_info.parameter_count > target_info.parameter_count:
        raise SpeculativeError(
            translate(
                _CTX,
                "{draft} cannot draft for {target}: it is the larger model ({draft_params} parameters against "
                "{target_params}), so guessing with it would be slower than writing the reply plainly. "
                "Choose a smaller draft model.",
            ).format(
                draft=draft.name, target=target.name,
                draft_params=_params(draft_info.parameter_count), target_params=_params(target_info.parameter_count),
            )
        )
    try:
        mine, theirs = vocabulary_digest(target), vocabulary_digest(draft)
    except GGUFInfoError as exc:
        raise SpeculativeError(str(exc)) from None
    if mine is None or theirs is None or mine != theirs:
        raise SpeculativeError(
            translate(
                _CTX,
                "{draft} cannot draft for {target}: their vocabularies differ ({draft_n} tokens against "
                "{target_n}, or the same number with other tokens), so its guesses would mean other words. "
                "Choose a draft model of the same family (the same tokenizer).",
            ).format(
                draft=draft.name, target=target.name,
                draft_n=theirs[0] if theirs else "?", target_n=mine[0] if mine else "?",
            )
        )


def _params(n: int) -> str:
    return format_parameter_count(n)


def vocabulary_fingerprint(llm: llama_cpp.Llama) -> str:
    """sha256 of a loaded model's token texts, in order (the same digest from the loaded vocabulary)."""
    digest = hashlib.sha256()
    model = llm._model
    for token in range(model.n_vocab()):
        text = model.token_get_text(token).encode("utf-8", errors="surrogatepass")
        digest.update(len(text).to_bytes(8, "little") + text)
    return digest.hexdigest()


def batched_scores_match(llm: llama_cpp.Llama) -> bool:
    """Whether llama.cpp computes a batch of tokens with the same arithmetic as one token (see the module's doc).

    True with flash attention on (or left to llama.cpp, which turns it on
    wherever the backend has it), False with it off.
    """
    return int(llm.context_params.flash_attn_type) != int(llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED)


class Verifier:
    """Evaluates a prompt and yields the reply's tokens, checking the drafter's guesses in batches.

    Used by the engine's token loop in place of ``Llama.generate``: the loop
    reads :attr:`row` (the batch row whose scores the last token was drawn
    from, for the probability view) and :attr:`last_accepted` after each token.
    """

    def __init__(
        self,
        llm: llama_cpp.Llama,
        drafter: Drafter,
        sampler: Any,
        *,
        budget: int,
        cancel: threading.Event,
    ) -> None:
        self.llm = llm
        self.drafter = drafter
        self.sampler = sampler
        self.budget = budget
        self.cancel = cancel
        self.counts = SpeculativeCounts(mode=drafter.mode)
        self.row = -1
        self.last_accepted = False
        self.last_corrected = False
        self._pending = 0  # guesses in the last batch not yet checked

    def _decode(self, batch_tokens: list[int]) -> None:
        llm = self.llm
        n_past = llm.n_tokens
        llm._batch.set_batch(batch=batch_tokens, n_past=n_past, logits_all=True)
        llm._ctx.decode(llm._batch)
        llm.input_ids[n_past : n_past + len(batch_tokens)] = batch_tokens
        llm.n_tokens += len(batch_tokens)
        self.counts.evaluations += 1

    def _guess(self, base: int) -> list[int]:
        llm = self.llm
        llm.input_ids[llm.n_tokens] = base
        left = min(self.budget - self.counts.tokens, llm.n_ctx() - llm.n_tokens - 2, llm.n_batch - 1)
        if left <= 0:
            return []
        guess = self.drafter(llm.input_ids[: llm.n_tokens + 1])
        return [int(t) for t in guess[:left]]

    def tokens(self, prompt: list[int]) -> Generator[int, None, None]:
        """The reply's tokens. The engine has already kept the reusable part of the KV cache (``llm.n_tokens``)."""
        llm = self.llm
        ctx = llm._ctx
        llm.eval(prompt[llm.n_tokens :])
        self.counts.evaluations += 1  # the prompt's, which gives the first token as in plain decoding
        self.row = -1
        guess: list[int] = []
        try:
            while True:
                base_pos = llm.n_tokens - len(guess) - 1  # where the batch's first token sits
                checked = 0
                while True:
                    token = int(self.sampler.sample(ctx, self.row))
                    hit = checked < len(guess) and token == guess[checked]
                    if hit:
                        checked += 1
                        self.counts.accepted += 1
                        self._pending -= 1
                    self.last_accepted = hit
                    self.last_corrected = not hit and checked < len(guess)
                    self.counts.tokens += 1
                    yield token
                    if not hit:
                        break
                    self.row += 1
                    if checked == len(guess):
                        # Every guess kept: the last row's scores give one more token of the model's own.
                        token = int(self.sampler.sample(ctx, self.row))
                        self.last_accepted = self.last_corrected = False
                        self.counts.tokens += 1
                        yield token
                        break
                wrong = len(guess) - checked
                if wrong:
                    self.counts.rejected += wrong
                    self._pending -= wrong
                    keep = base_pos + 1 + checked
                    ctx.kv_cache_seq_rm(-1, keep, -1)
                    llm.n_tokens = keep
                if self.cancel.is_set():
                    return
                guess = self._guess(token)
                self.counts.drafted += len(guess)
                self._pending = len(guess)
                self._decode([token, *guess])
                self.row = 0
        finally:
            # Guesses never checked because the reply ended count as rejected.
            self.counts.rejected += self._pending
            self._pending = 0


def make_drafter(mode: str, draft_llm: llama_cpp.Llama | None = None, n_draft: int = DEFAULT_DRAFT_TOKENS) -> Drafter:
    if mode == LOOKUP:
        return PromptLookupDrafter(n_draft)
    if mode == DRAFT and draft_llm is not None:
        return ModelDrafter(draft_llm, n_draft)
    raise SpeculativeError(translate(_CTX, "Choose a draft model file for speculative decoding."))
