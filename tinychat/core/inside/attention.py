"""Attention: for each layer and head, how much each token (query) looks at each earlier token (key)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

import numpy as np

from tinychat.core.i18n import QT_TRANSLATE_NOOP, translate
from tinychat.core.inside.forward import forward
from tinychat.core.inside.subject import Prompt, ReferenceCheck, Subject

_CTX = "Inside"

ATTENTION_NOTE = QT_TRANSLATE_NOOP(
    "Inside",
    "Each row is one token looking back: the darker a cell, the more of that row's attention goes to that "
    "earlier token. Every row adds up to 100%. Many heads pour most of it onto the first token, a resting place.",
)

Fraction = Callable[[float], None]


@dataclass
class AttentionResult:
    model: str
    sha256: str
    prompt: Prompt
    pieces: list[str]
    #: (layers, heads, query, key); row q sums to 1 over keys 0..q.
    weights: np.ndarray = field(repr=False)
    check: ReferenceCheck | None = None

    @property
    def n_layers(self) -> int:
        return int(self.weights.shape[0])

    @property
    def n_heads(self) -> int:
        return int(self.weights.shape[1])

    def head(self, layer: int, head: int | None) -> np.ndarray:
        """One head's query x key map, or the average over the layer's heads (``head`` None)."""
        return self.weights[layer].mean(axis=0) if head is None else self.weights[layer, head]

    def last_token(self, layer: int | None = None, head: int | None = None) -> np.ndarray:
        """How the last token spreads its attention over the text: one layer (or all, averaged), one head or all."""
        if layer is None:
            return (
                self.weights[:, :, -1, :].mean(axis=(0, 1))
                if head is None
                else self.weights[:, head, -1, :].mean(axis=0)
            )
        return self.head(layer, head)[-1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "view": "attention",
            "model": self.model,
            "sha256": self.sha256,
            "prompt": self.prompt.text,
            "tokens": [{"id": t, "piece": p} for t, p in zip(self.prompt.ids, self.pieces, strict=True)],
            "note": translate(_CTX, ATTENTION_NOTE),
            "dropped_tokens": self.prompt.dropped,
            "check": self.check.to_dict() if self.check else None,
            # weights[layer][head][query][key]
            "weights": np.round(self.weights, 5).tolist(),
        }

    def csv_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["layer", "head", "query", "query_piece", "key", "key_piece", "weight"]]
        n = self.weights.shape[2]
        for layer in range(self.n_layers):
            for head in range(self.n_heads):
                for q in range(n):
                    for k in range(q + 1):
                        rows.append(
                            [
                                layer,
                                head,
                                q,
                                self.pieces[q],
                                k,
                                self.pieces[k],
                                f"{self.weights[layer, head, q, k]:.6f}",
                            ]
                        )
        return rows


def attention_maps(
    subject: Subject,
    prompt: Prompt,
    *,
    check: bool = True,
    progress: Fraction | None = None,
    cancel: threading.Event | None = None,
) -> AttentionResult:
    subject.check_architecture()
    load = (lambda d, t: progress(0.6 * d / max(t, 1))) if progress is not None else None
    weights = subject.weights(progress=load, cancel=cancel)
    step = (lambda d, t: progress(0.6 + 0.4 * d / max(t, 1))) if progress is not None else None
    fp = forward(weights, prompt.ids, keep_attention=True, progress=step, cancel=cancel)
    assert fp.attention is not None
    result = AttentionResult(
        model=subject.name,
        sha256=subject.sha256,
        prompt=prompt,
        pieces=subject.pieces(prompt.ids),
        weights=fp.attention,
    )
    if check:
        result.check = subject.check(fp.logits[-1], prompt.ids)
    return result
