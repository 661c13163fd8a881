"""The surprise meter: how likely the model found each token of a text, straight from llama.cpp's scores.

For every token after the first, llama.cpp gives the scores it had for that
position *before* seeing the token; the token's probability p and its surprise
−log₂ p (in bits) follow. Perplexity is 2 to the mean surprise: "as unsure as
choosing among this many equally likely tokens".

Two models (or two quantizations of one) on the same text: per-token KL
divergence KL(A‖B) in nats, the figure llama.cpp's perplexity tool reports, and
whether both put the same token first. That needs the same vocabulary; with
different ones each model's perplexity is still shown.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable

import llama_cpp
import numpy as np

from tinychat.core.engine import MIN_N_CTX, default_threads, loading_llama
from tinychat.core.fingerprint import sha256_of
from tinychat.core.i18n import format_number, translate
from tinychat.core.inside.forward import Cancelled, InsideError
from tinychat.core.inside.tokens_view import Tokenizer, tokenization

_CTX = "Inside"

#: The surprise meter reads at most this many tokens (llama.cpp keeps scores for every one: tokens x vocabulary floats).
MAX_SURPRISE_TOKENS = 1024
TOP_ALTERNATIVES = 5

Fraction = Callable[[float], None]


@dataclass(frozen=True)
class Alternative:
    id: int
    piece: str
    prob: float


@dataclass(frozen=True)
class TokenSurprise:
    index: int
    id: int
    piece: str
    start: int
    end: int
    #: None for the first token: nothing came before it to predict it from.
    prob: float | None
    rank: int | None
    alternatives: tuple[Alternative, ...]

    @property
    def bits(self) -> float | None:
        if self.prob is None:
            return None
        return -math.log2(max(self.prob, 1e-300))

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "id": self.id,
            "piece": self.piece,
            "start": self.start,
            "end": self.end,
            "prob": None if self.prob is None else round(self.prob, 8),
            "bits": None if self.bits is None else round(self.bits, 4),
            "rank": self.rank,
            "alternatives": [{"id": a.id, "piece": a.piece, "prob": round(a.prob, 6)} for a in self.alternatives],
        }


@dataclass
class SurpriseResult:
    model: str
    path: Path
    sha256: str
    text: str
    tokens: list[TokenSurprise]
    dropped: int
    total: int
    vocabulary: tuple[int, int]
    #: log-probabilities over the vocabulary at each scored position (the one before each token). (scored, vocab)
    log_probs: np.ndarray = field(repr=False)

    @property
    def scored(self) -> list[TokenSurprise]:
        return [t for t in self.tokens if t.prob is not None]

    @property
    def mean_bits(self) -> float:
        bits = [b for b in (t.bits for t in self.scored) if b is not None]
        return float(np.mean(bits)) if bits else 0.0

    @property
    def perplexity(self) -> float:
        return float(2.0 ** self.mean_bits) if self.scored else 0.0

    def note(self) -> str:
        if not self.dropped:
            return ""
        return translate(
            _CTX,
            "The text is {total} tokens long; the surprise meter reads its first {used} tokens and leaves out "
            "the last {dropped}.",
        ).format(
            total=format_number(self.total), used=format_number(len(self.tokens)), dropped=format_number(self.dropped)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "view": "surprise",
            "model": self.model,
            "sha256": self.sha256,
            "text": self.text,
            "tokens_scored": len(self.scored),
            "dropped_tokens": self.dropped,
            "perplexity": round(self.perplexity, 4),
            "mean_bits": round(self.mean_bits, 4),
            "tokens": [t.to_dict() for t in self.tokens],
        }

    def csv_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["index", "id", "piece", "prob", "bits", "rank", "alternatives"]]
        for t in self.tokens:
            alts = "; ".join(f"{a.piece!r} {a.prob:.4f}" for a in t.alternatives)
            rows.append(
                [
                    t.index,
                    t.id,
                    t.piece,
                    "" if t.prob is None else f"{t.prob:.8f}",
                    "" if t.bits is None else f"{t.bits:.4f}",
                    t.rank or "",
                    alts,
                ]
            )
        return rows


def _open_scoring_model(path: Path, n_ctx: int) -> llama_cpp.Llama:
    try:
        # As the chat's engine loads: llama.cpp's own flash-attention choice, so that its probabilities are
        # the chat's, and the file's chat templates left uncompiled (hostile ones included).
        with contextlib.redirect_stderr(io.StringIO()), loading_llama():
            threads = default_threads()
            llm = llama_cpp.Llama(
                model_path=str(path),
                n_ctx=max(n_ctx, MIN_N_CTX),
                n_batch=min(512, max(n_ctx, 32)),
                n_threads=threads,
                n_threads_batch=threads,
                logits_all=True,
                verbose=True,
            )
    except (ValueError, RuntimeError, OSError) as exc:
        raise InsideError(
            translate(_CTX, "llama.cpp could not load {name}; the file may be incomplete.").format(name=path.name)
        ) from exc
    llm.verbose = False
    return llm


def measure_surprise(  # noqa: C901 - one branch per way the text can be too short or too long
    path: str | os.PathLike[str],
    text: str,
    *,
    limit: int = MAX_SURPRISE_TOKENS,
    progress: Fraction | None = None,
    cancel: threading.Event | None = None,
) -> SurpriseResult:
    if not text.strip():
        raise InsideError(translate(_CTX, "The text is empty; type or paste some text to look at."))
    with Tokenizer(path) as tok:
        all_ids = tok.ids(text)
        shown = tokenization(tok, all_ids, text, bos=tok.adds_bos)
        vocabulary = tok.vocabulary_key()
        n_ctx_train = int(tok.llm._model.n_ctx_train())
    limit = max(2, min(limit, n_ctx_train or limit))
    ids = all_ids[:limit]
    if len(ids) < 2:
        raise InsideError(
            translate(
                _CTX,
                "The text is a single token; the surprise meter needs at least two, since the first has "
                "nothing before it.",
            )
        )
    if progress is not None:
        progress(0.1)
    model_path = Path(path)
    llm = _open_scoring_model(model_path, len(ids))
    try:
        if cancel is not None and cancel.is_set():
            raise Cancelled
        # Batches of 64 tokens: progress, and a chance to cancel, between them.
        llm.reset()
        for start in range(0, len(ids), 64):
            if cancel is not None and cancel.is_set():
                raise Cancelled
            llm.eval(ids[start : start + 64])
            if progress is not None:
                progress(0.1 + 0.8 * min(start + 64, len(ids)) / len(ids))
        logits = np.array(llm.scores[: len(ids) - 1], dtype=np.float64)
    finally:
        llm.close()
    logits -= logits.max(axis=-1, keepdims=True)
    log_probs = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    targets = np.asarray(ids[1:])
    target_lp = log_probs[np.arange(len(targets)), targets]
    ranks = 1 + (log_probs > target_lp[:, None]).sum(axis=-1)
    alt_ids = np.argsort(-log_probs, axis=-1)[:, :TOP_ALTERNATIVES]
    with Tokenizer(path) as tok:
        pieces = {}

        def piece(t: int) -> str:
            if t not in pieces:
                pieces[t] = tok.piece_text(t)
            return pieces[t]

        tokens = []
        for i, t in enumerate(ids):
            placed = shown.tokens[i]
            if i == 0:
                tokens.append(TokenSurprise(0, int(t), piece(int(t)), placed.start, placed.end, None, None, ()))
                continue
            row = i - 1
            alts = tuple(Alternative(int(a), piece(int(a)), float(np.exp(log_probs[row, a]))) for a in alt_ids[row])
            tokens.append(
                TokenSurprise(
                    i,
                    int(t),
                    piece(int(t)),
                    placed.start,
                    placed.end,
                    float(np.exp(target_lp[row])),
                    int(ranks[row]),
                    alts,
                )
            )
    if progress is not None:
        progress(1.0)
    return SurpriseResult(
        model=model_path.name,
        path=model_path,
        sha256=sha256_of(model_path),
        text=text,
        tokens=tokens,
        dropped=len(all_ids) - len(ids),
        total=len(all_ids),
        vocabulary=vocabulary,
        log_probs=log_probs.astype(np.float32),
    )


@dataclass
class Comparison:
    a: SurpriseResult
    b: SurpriseResult
    #: Per scored token: KL(A‖B) in nats and whether both models put the same token first; None when the
    #: vocabularies differ.
    kl: np.ndarray | None
    same_top: np.ndarray | None

    @property
    def comparable(self) -> bool:
        return self.kl is not None

    def refusal(self) -> str:
        return translate(
            _CTX,
            "{a} and {b} cut text into different tokens (different vocabularies), so their predictions cannot be "
            "compared token by token; only each model's perplexity is shown.",
        ).format(a=self.a.model, b=self.b.model)

    @property
    def mean_kl(self) -> float:
        return float(self.kl.mean()) if self.kl is not None and self.kl.size else 0.0

    @property
    def agreement(self) -> float:
        return float(self.same_top.mean()) if self.same_top is not None and self.same_top.size else 0.0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"view": "surprise_comparison", "a": self.a.to_dict(), "b": self.b.to_dict()}
        if self.kl is None or self.same_top is None:
            out["comparable"] = False
            out["note"] = self.refusal()
            return out
        out["comparable"] = True
        out["mean_kl_nats"] = round(self.mean_kl, 6)
        out["top1_agreement"] = round(self.agreement, 6)
        out["per_token"] = [
            {"index": t.index, "piece": t.piece, "kl_nats": round(float(k), 6), "same_top": bool(s)}
            for t, k, s in zip(self.a.scored, self.kl, self.same_top, strict=False)
        ]
        return out

    def csv_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["index", "piece", "prob_a", "prob_b", "kl_nats", "same_top"]]
        if self.kl is None or self.same_top is None:
            return rows
        for ta, tb, k, s in zip(self.a.scored, self.b.scored, self.kl, self.same_top, strict=False):
            rows.append([ta.index, ta.piece, f"{ta.prob:.8f}", f"{tb.prob:.8f}", f"{float(k):.6f}", int(bool(s))])
        return rows


def compare(a: SurpriseResult, b: SurpriseResult) -> Comparison:
    """A is the reference (the larger quantization, say); B is compared with it."""
    if a.vocabulary != b.vocabulary or [t.id for t in a.tokens] != [t.id for t in b.tokens]:
        return Comparison(a, b, None, None)
    pa, pb = a.log_probs.astype(np.float64), b.log_probs.astype(np.float64)
    kl = np.sum(np.exp(pa) * (pa - pb), axis=-1)
    same = np.argmax(pa, axis=-1) == np.argmax(pb, axis=-1)
    return Comparison(a, b, np.maximum(kl, 0.0), same)

