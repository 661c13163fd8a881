"""One model being looked at: llama.cpp for its tokenizer, template and reference scores, and its
weights for the NumPy pass.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Sequence

import numpy as np

from tinychat.core.engine import Engine, EngineError
from tinychat.core.fingerprint import sha256_of
from tinychat.core.i18n import format_number, translate
from tinychat.core.inside.forward import InsideError, LlamaWeights, Progress, check_architecture, load_weights
from tinychat.core.probe import ProbeError, context_limit, evaluate, prompt_tokens, token_piece, top_ids

_CTX = "Inside"

#: The lens and attention views look at this many tokens at most (the grid and the heat maps grow with its square).
MAX_VIEW_TOKENS = 128


@dataclass(frozen=True)
class Prompt:
    ids: tuple[int, ...]
    text: str
    #: Tokens left out because the text was too long for the view (0: none).
    dropped: int
    #: How many tokens the full text had.
    total: int

    def note(self) -> str:
        if not self.dropped:
            return ""
        return translate(
            _CTX,
            "The text is {total} tokens long; this view uses its first {used} tokens and leaves out the last "
            "{dropped}.",
        ).format(
            total=format_number(self.total), used=format_number(len(self.ids)), dropped=format_number(self.dropped)
        )


#: The NumPy pass and llama.cpp agree when they put the same token first and no probability differs by more than this.
#: llama.cpp itself moves probabilities by up to about 0.04 between reading a prompt at once and token by token.
AGREEMENT_TOLERANCE = 0.05


@dataclass(frozen=True)
class ReferenceCheck:
    """How the NumPy pass's last layer compares with llama.cpp's own scores for the same tokens."""

    same_top1: bool
    #: How many of llama.cpp's 10 likeliest tokens are among the NumPy pass's 10 likeliest.
    top10_overlap: int
    max_prob_diff: float
    llama_cpp_top: tuple[tuple[int, float], ...]

    @property
    def agrees(self) -> bool:
        return self.same_top1 and self.max_prob_diff <= AGREEMENT_TOLERANCE

    def to_dict(self) -> dict:
        return {
            "agrees_with_llama_cpp": self.agrees,
            "same_top1": self.same_top1,
            "top10_overlap": self.top10_overlap,
            "max_probability_difference": round(self.max_prob_diff, 6),
            "llama_cpp_top10": [{"id": t, "prob": round(p, 6)} for t, p in self.llama_cpp_top],
        }

    def sentence(self) -> str:
        if self.agrees:
            return translate(
                _CTX,
                "Checked against llama.cpp: the same likeliest token, {overlap} of its 10 likeliest tokens in common, "
                "and no probability differs by more than {diff} (llama.cpp rounds its numbers in its own way).",
            ).format(overlap=self.top10_overlap, diff=format_number(self.max_prob_diff, 3))
        return translate(
            _CTX,
            "Warning: the last layer differs from llama.cpp's own scores (largest difference {diff}); these "
            "figures may be wrong for this model.",
        ).format(diff=format_number(self.max_prob_diff, 3))


def probabilities(logits: np.ndarray) -> np.ndarray:
    x = np.asarray(logits, dtype=np.float64)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class Subject:
    """Loads the model into llama.cpp once; the float32 weights are read when a layer view first needs them."""

    def __init__(self, path: str | os.PathLike[str], engine: Engine | None = None, *, n_threads: int | None = None):
        self.path = Path(path)
        self._own_engine = engine is None
        if engine is None:
            engine = Engine()
            engine.load(self.path, n_threads=n_threads)
        self.engine = engine
        self._sha256 = ""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def sha256(self) -> str:
        if not self._sha256:
            self._sha256 = sha256_of(self.path)
        return self._sha256

    @property
    def n_ctx_train(self) -> int:
        info = self.engine.info
        return int(info.n_ctx_train) if info else 0

    def close(self) -> None:
        if self._own_engine:
            self.engine.close()

    def __enter__(self) -> Subject:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def piece(self, token: int) -> str:
        return token_piece(self.engine, token)

    def pieces(self, ids: Sequence[int]) -> list[str]:
        return [self.piece(t) for t in ids]

    def check_architecture(self) -> None:
        check_architecture(self.path)

    def weights(self, progress: Progress | None = None, cancel: threading.Event | None = None) -> LlamaWeights:
        return load_weights(self.path, progress=progress, cancel=cancel)

    def prompt(self, text: str, *, raw: bool = True, system: str | None = None, limit: int = MAX_VIEW_TOKENS) -> Prompt:
        """The tokens of ``text`` (raw, or as one user message in the model's chat template), at most ``limit``."""
        if not text.strip():
            raise InsideError(translate(_CTX, "The text is empty; type or paste some text to look at."))
        try:
            ids, rendered, _source = prompt_tokens(self.engine, text, raw=raw, system=system)
        except (ProbeError, EngineError) as exc:
            raise InsideError(str(exc)) from exc
        limit = min(limit, context_limit(self.engine) - 1)
        kept = ids[:limit]
        return Prompt(ids=tuple(int(t) for t in kept), text=rendered, dropped=len(ids) - len(kept), total=len(ids))

    def reference_logits(self, ids: Sequence[int]) -> np.ndarray:
        """llama.cpp's own next-token scores after ``ids``."""
        return evaluate(self.engine, list(ids))

    def check(self, last_logits: np.ndarray, ids: Sequence[int]) -> ReferenceCheck:
        reference = self.reference_logits(ids)
        ours, theirs = probabilities(last_logits), probabilities(reference)
        ours_top, theirs_top = top_ids(last_logits, 10), top_ids(reference, 10)
        return ReferenceCheck(
            same_top1=bool(ours_top[0] == theirs_top[0]),
            top10_overlap=len(set(ours_top.tolist()) & set(theirs_top.tolist())),
            max_prob_diff=float(np.max(np.abs(ours - theirs))),
            llama_cpp_top=tuple((int(t), float(theirs[t])) for t in theirs_top),
        )
