"""The logit lens: what each layer would predict if the model stopped there.

After every layer the residual stream (one vector per token) is pushed through
the model's final norm and output matrix, as if the remaining layers were not
there. For the last layer this *is* the model's prediction; for the layers
before it, it is an approximation (those vectors were never trained to be read
this way), which is why the view says so.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

import numpy as np

from tinychat.core.i18n import QT_TRANSLATE_NOOP, translate
from tinychat.core.inside.forward import Cancelled, ForwardPass, blas_threads, forward, output_logits
from tinychat.core.inside.subject import Prompt, ReferenceCheck, Subject

_CTX = "Inside"

APPROXIMATE_NOTE = QT_TRANSLATE_NOOP(
    "Inside",
    "Rows before the last are approximate: they apply the final norm and output matrix to a layer the model "
    "never meant to be read that way. The last row is the model's real prediction.",
)

# Rows of the output matrix product done at once: 256 x 49k floats is 50 MB.
_CHUNK = 256

Fraction = Callable[[float], None]


@dataclass
class LensResult:
    model: str
    sha256: str
    prompt: Prompt
    pieces: list[str]
    #: (layers + 1, positions, top): row 0 is the embedding, row l the stream after layer l.
    top_ids: np.ndarray
    top_probs: np.ndarray
    #: The last layer's top token at the last position (" Paris"), and its probability after each layer.
    answer_id: int
    answer_piece: str
    answer_probs: np.ndarray
    #: The probability, after each layer, of the token the last layer predicts at each position. (layers + 1, positions)
    final_token_probs: np.ndarray
    #: The last position's scores from the last layer, for the check against llama.cpp.
    last_logits: np.ndarray = field(repr=False)
    check: ReferenceCheck | None = None
    pieces_of: dict[int, str] = field(default_factory=dict, repr=False)

    @property
    def n_layers(self) -> int:
        return self.top_ids.shape[0] - 1

    def piece(self, token: int) -> str:
        return self.pieces_of.get(int(token), "")

    def to_dict(self) -> dict[str, Any]:
        grid = []
        for layer in range(self.top_ids.shape[0]):
            for pos in range(self.top_ids.shape[1]):
                grid.append(
                    {
                        "layer": layer,
                        "position": pos,
                        "input": self.pieces[pos],
                        "top": [
                            {"id": int(t), "piece": self.piece(t), "prob": round(float(p), 6)}
                            for t, p in zip(self.top_ids[layer, pos], self.top_probs[layer, pos], strict=True)
                        ],
                    }
                )
        return {
            "view": "logit_lens",
            "model": self.model,
            "sha256": self.sha256,
            "prompt": self.prompt.text,
            "tokens": [{"id": t, "piece": p} for t, p in zip(self.prompt.ids, self.pieces, strict=True)],
            "note": translate(_CTX, APPROXIMATE_NOTE),
            "dropped_tokens": self.prompt.dropped,
            "answer": {
                "id": self.answer_id,
                "piece": self.answer_piece,
                "prob_by_layer": [round(float(p), 6) for p in self.answer_probs],
            },
            "check": self.check.to_dict() if self.check else None,
            "grid": grid,
        }

    def csv_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["layer", "position", "input", "rank", "id", "piece", "prob"]]
        for layer in range(self.top_ids.shape[0]):
            for pos in range(self.top_ids.shape[1]):
                for rank, (t, p) in enumerate(
                    zip(self.top_ids[layer, pos], self.top_probs[layer, pos], strict=True), 1
                ):
                    rows.append([layer, pos, self.pieces[pos], rank, int(t), self.piece(t), f"{float(p):.6f}"])
        return rows


def lens_from_pass(
    subject: Subject,
    prompt: Prompt,
    fp: ForwardPass,
    *,
    top: int = 5,
    progress: Fraction | None = None,
    cancel: threading.Event | None = None,
) -> LensResult:
    weights = subject.weights()
    n_rows, n_pos, dim = fp.residuals.shape
    flat = fp.residuals.reshape(n_rows * n_pos, dim)
    final_ids = np.argmax(fp.logits, axis=-1)  # the last layer's choice at each position
    top_ids = np.empty((n_rows * n_pos, top), dtype=np.int64)
    top_probs = np.empty((n_rows * n_pos, top), dtype=np.float64)
    final_probs = np.empty(n_rows * n_pos, dtype=np.float64)
    targets = np.tile(final_ids, n_rows)
    for start in range(0, flat.shape[0], _CHUNK):
        if cancel is not None and cancel.is_set():
            raise Cancelled
        stop = min(start + _CHUNK, flat.shape[0])
        rows = np.arange(stop - start)
        with blas_threads():
            logits = output_logits(weights, flat[start:stop])
        part = np.argpartition(logits, -top, axis=-1)[:, -top:]  # the top scores, in no order yet
        # Softmax in place (float32 is plenty for a probability shown to 3 decimals; float64 doubles the time).
        logits -= logits.max(axis=-1, keepdims=True)
        np.exp(logits, out=logits)
        total = logits.sum(axis=-1, dtype=np.float64)
        part_p = np.take_along_axis(logits, part, axis=-1) / total[:, None]
        order = np.argsort(-part_p, axis=-1, kind="stable")
        top_ids[start:stop] = np.take_along_axis(part, order, axis=-1)
        top_probs[start:stop] = np.take_along_axis(part_p, order, axis=-1)
        final_probs[start:stop] = logits[rows, targets[start:stop]] / total
        if progress is not None:
            progress(stop / flat.shape[0])
    top_ids = top_ids.reshape(n_rows, n_pos, top)
    top_probs = top_probs.reshape(n_rows, n_pos, top)
    final_token_probs = final_probs.reshape(n_rows, n_pos)
    answer = int(final_ids[-1])
    pieces_of = {int(t): subject.piece(int(t)) for t in np.unique(top_ids)}
    pieces_of.setdefault(answer, subject.piece(answer))
    return LensResult(
        model=subject.name,
        sha256=subject.sha256,
        prompt=prompt,
        pieces=subject.pieces(prompt.ids),
        top_ids=top_ids,
        top_probs=top_probs,
        answer_id=answer,
        answer_piece=pieces_of[answer],
        answer_probs=final_token_probs[:, -1].copy(),
        final_token_probs=final_token_probs,
        last_logits=fp.logits[-1].copy(),
        pieces_of=pieces_of,
    )


def logit_lens(
    subject: Subject,
    prompt: Prompt,
    *,
    top: int = 5,
    check: bool = True,
    progress: Fraction | None = None,
    cancel: threading.Event | None = None,
) -> LensResult:
    """The grid of layers x positions for ``prompt``, checked against llama.cpp's own last-layer scores."""
    subject.check_architecture()

    def stage(offset: float, width: float) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        return lambda done, total: progress(offset + width * done / max(total, 1))

    weights = subject.weights(progress=stage(0.0, 0.4), cancel=cancel)
    fp = forward(weights, prompt.ids, progress=stage(0.4, 0.3), cancel=cancel)
    lens_progress = (lambda f: progress(0.7 + 0.3 * f)) if progress is not None else None
    result = lens_from_pass(subject, prompt, fp, top=top, progress=lens_progress, cancel=cancel)
    if check:
        result.check = subject.check(result.last_logits, prompt.ids)
    return result
