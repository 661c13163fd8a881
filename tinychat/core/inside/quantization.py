"""The quantization lesson: the same model at two quantizations, and where the smaller file starts to disagree.

A GGUF file stores the same weights at a chosen number of bits per weight
(Q8_0 about 8.5, Q4_K_M about 4.8, Q2_K about 2.6). Fewer bits make a smaller,
faster file and a model that predicts a little differently. The surprise
comparison already measures that difference per token (KL divergence and
whether both files put the same token first); this module finds the two
installed files to compare, puts the larger one first as the reference, and
says in words where the smaller one begins to drift.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterable, Sequence

from tinychat.core.catalog import entry_for_file
from tinychat.core.i18n import QT_TRANSLATE_NOOP, format_number, format_percent, translate
from tinychat.core.inside.surprise import Comparison
from tinychat.core.inside.tokens_view import VISIBLE

_CTX = "Inside"

#: Bits per weight, roughly, of the quantizations a student meets (llama.cpp's figures); larger is closer to the
#: original. Unknown names sort as 16 (a float file).
BITS = {
    "Q2_K": 2.6, "Q3_K_S": 3.4, "Q3_K_M": 3.9, "Q3_K_L": 4.3, "Q4_0": 4.5, "Q4_1": 5.0, "Q4_K_S": 4.6,
    "Q4_K_M": 4.8, "Q5_0": 5.5, "Q5_1": 6.0, "Q5_K_S": 5.5, "Q5_K_M": 5.7, "Q6_K": 6.6, "Q8_0": 8.5,
    "F16": 16.0, "BF16": 16.0, "F32": 32.0,
}
_QUANT = re.compile(
    r"(?<![A-Za-z0-9])(Q[2-8]_K(?:_[SML])?|Q[4-8]_[01]|IQ[1-4]_[A-Z]+|BF16|F16|F32)(?![A-Za-z0-9])", re.IGNORECASE
)

#: A token "clearly disagrees" when KL(reference ‖ smaller) at that position passes this many nats.
CLEAR_KL = 0.1

LESSON = QT_TRANSLATE_NOOP(
    "Inside",
    "The quantization lesson: the same model stored with fewer bits per weight. The larger file is the reference; "
    "for every token the table shows how far the smaller file's next-token probabilities moved from it (KL "
    "divergence, in nats: 0 means identical) and whether both still put the same token first. Small files drift "
    "first on uncertain tokens, where several continuations were almost equally likely.",
)


def quantization_of(path: str | os.PathLike[str]) -> str:
    match = _QUANT.search(Path(path).name)
    return match.group(1).upper() if match else ""


def bits_of(path: str | os.PathLike[str]) -> float:
    return BITS.get(quantization_of(path), 16.0)


def _family(path: Path) -> str:
    entry = entry_for_file(path)
    if entry is not None:
        return entry.id
    return _QUANT.sub("", path.stem).strip(".-_ ").lower()


def siblings(model: str | os.PathLike[str], installed: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The installed files of the same model at another quantization, largest first."""
    here = Path(model)
    family, quant = _family(here), quantization_of(here)
    found = {
        Path(p) for p in installed
        if Path(p) != here and _family(Path(p)) == family and quantization_of(p) and quantization_of(p) != quant
    }
    return sorted(found, key=bits_of, reverse=True)


def reference_first(a: Path, b: Path) -> tuple[Path, Path]:
    """The pair ordered as the lesson needs it: the file with more bits per weight first."""
    return (a, b) if bits_of(a) >= bits_of(b) else (b, a)


def missing_sentence(model: str | os.PathLike[str]) -> str:
    """With one quantization only: which to download to have a lesson."""
    here = Path(model)
    entry = entry_for_file(here)
    quant = quantization_of(here) or "?"
    if entry is not None and entry.repo and not entry.bundled and not entry.pypi:
        smaller = "Q2_K" if bits_of(here) > 3 else "Q8_0"
        return translate(
            _CTX,
            "Only one quantization of {model} is installed ({quant}). For the lesson, download {other} of the same "
            "model in Models (repo {repo}), then choose it here.",
        ).format(model=entry.name, quant=quant, other=smaller, repo=entry.repo)
    return translate(
        _CTX,
        "Only one quantization of {model} is installed ({quant}). For the lesson, download two quantizations of "
        "one model in Models, for example TinyLlama-1.1B-Chat's Q2_K and Q8_0 (repo "
        "TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF), and open this window on one of them.",
    ).format(model=entry.name if entry else here.name, quant=quant)


@dataclass(frozen=True)
class Drift:
    """Where the smaller file begins to disagree with the reference."""

    #: Index (in the text's tokens) of the first token whose likeliest next token differs, or None.
    first_other_choice: int | None
    #: Index of the first token where KL passes CLEAR_KL, or None.
    first_clear_kl: int | None
    #: The token with the largest KL and that KL.
    worst: int | None
    worst_kl: float

    def sentence(self, comparison: Comparison) -> str:
        c = comparison
        head = translate(
            _CTX,
            "{small} against {big}: mean KL {kl} nats, same first choice at {agree} of the tokens.",
        ).format(
            small=c.b.model,
            big=c.a.model,
            kl=format_number(c.mean_kl, 4),
            agree=format_percent(c.agreement, 0),
        )
        scored = {t.index: t for t in c.a.scored}
        parts = [head]
        if self.first_other_choice is None:
            parts.append(translate(_CTX, "On this text the smaller file never changes the likeliest next token."))
        else:
            t = scored[self.first_other_choice]
            parts.append(
                translate(
                    _CTX,
                    "It first expects another token at token {n}, where the text has “{piece}”.",
                ).format(n=t.index, piece=t.piece.translate(VISIBLE))
            )
        if self.worst is not None:
            t = scored[self.worst]
            parts.append(
                translate(_CTX, "It moves most at token {n}, where the text has “{piece}”: KL {kl} nats.").format(
                    n=t.index, piece=t.piece.translate(VISIBLE), kl=format_number(self.worst_kl, 3)
                )
            )
        return " ".join(parts)


def drift(comparison: Comparison) -> Drift | None:
    """None when the two files cannot be compared token by token."""
    if comparison.kl is None or comparison.same_top is None:
        return None
    indices: Sequence[int] = [t.index for t in comparison.a.scored]
    other = [i for i, same in zip(indices, comparison.same_top, strict=False) if not same]
    clear = [i for i, k in zip(indices, comparison.kl, strict=False) if k > CLEAR_KL]
    worst_at = int(comparison.kl.argmax()) if comparison.kl.size else None
    return Drift(
        first_other_choice=other[0] if other else None,
        first_clear_kl=clear[0] if clear else None,
        worst=indices[worst_at] if worst_at is not None else None,
        worst_kl=float(comparison.kl[worst_at]) if worst_at is not None else 0.0,
    )
