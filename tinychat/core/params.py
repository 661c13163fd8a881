"""Generation parameters: one typed, validated object shared by the window and the CLI."""

from __future__ import annotations

import dataclasses
import math
import secrets
from dataclasses import dataclass
from typing import Any
from collections.abc import Mapping

from tinychat.core.i18n import QT_TRANSLATE_NOOP, format_number, translate

SEED_MAX = 2**31 - 1


class ParamError(ValueError):
    """One or more parameters are outside their range; the message says which and how to fix it."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


@dataclass(frozen=True)
class ParamSpec:
    """What a parameter means and which values it accepts; the window builds its sliders from this."""

    name: str
    label: str
    minimum: float
    maximum: float | None  # None: bounded by the model's context window
    step: float
    decimals: int
    help: str


SPECS: dict[str, ParamSpec] = {
    spec.name: spec
    for spec in (
        ParamSpec(
            "temperature",
            QT_TRANSLATE_NOOP("Params", "Temperature"),
            0.0, 2.0, 0.05, 2,
            QT_TRANSLATE_NOOP(
                "Params",
                "Divides the scores before sampling: low values make the likeliest word win, "
                "high values make surprising words more likely. 0 always picks the top word.",
            ),
        ),
        ParamSpec(
            "top_k",
            QT_TRANSLATE_NOOP("Params", "Top-k"),
            0, 200, 1, 0,
            QT_TRANSLATE_NOOP(
                "Params",
                "Keeps only the k likeliest next tokens before drawing one. 0 turns the filter off.",
            ),
        ),
        ParamSpec(
            "top_p",
            QT_TRANSLATE_NOOP("Params", "Top-p"),
            0.0, 1.0, 0.01, 2,
            QT_TRANSLATE_NOOP(
                "Params",
                "Keeps the smallest set of likeliest tokens whose probabilities add up to p. "
                "1 turns the filter off.",
            ),
        ),
        ParamSpec(
            "min_p",
            QT_TRANSLATE_NOOP("Params", "Min-p"),
            0.0, 1.0, 0.01, 2,
            QT_TRANSLATE_NOOP(
                "Params",
                "Drops tokens less likely than this fraction of the top token's probability. "
                "0 turns the filter off.",
            ),
        ),
        ParamSpec(
            "max_new_tokens",
            QT_TRANSLATE_NOOP("Params", "Max new tokens"),
            1, None, 1, 0,
            QT_TRANSLATE_NOOP(
                "Params",
                "The reply stops after this many tokens, even in the middle of a sentence.",
            ),
        ),
        ParamSpec(
            "repeat_penalty",
            QT_TRANSLATE_NOOP("Params", "Repeat penalty"),
            1.0, 2.0, 0.05, 2,
            QT_TRANSLATE_NOOP(
                "Params",
                "Makes tokens that already appeared recently less likely. 1 turns it off.",
            ),
        ),
    )
}


@dataclass(frozen=True)
class GenerationParams:
    """Everything that decides which tokens the sampler draws.

    ``seed=None`` means a fresh random seed for every reply; the seed actually
    used is always reported with the reply, so any reply can be reproduced.
    """

    temperature: float = 0.7
    top_k: int = 40
    top_p: float = 0.95
    min_p: float = 0.05
    max_new_tokens: int = 256
    repeat_penalty: float = 1.0
    seed: int | None = None

    def replace(self, **changes: Any) -> GenerationParams:
        return dataclasses.replace(self, **changes)

    def problems(self, n_ctx: int | None = None) -> list[str]:
        """Each parameter out of range, as a sentence that says what to do."""
        problems: list[str] = []
        for name, spec in SPECS.items():
            value = getattr(self, name)
            maximum = spec.maximum if spec.maximum is not None else n_ctx
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append(
                    translate("Params", "{name} must be a number, not {value!r}.").format(
                        name=translate("Params", spec.label), value=value
                    )
                )
                continue
            if spec.decimals == 0 and int(value) != value:
                problems.append(
                    translate("Params", "{name} must be a whole number, not {value}.").format(
                        name=translate("Params", spec.label), value=value
                    )
                )
                continue
            if math.isnan(value) or value < spec.minimum or (maximum is not None and value > maximum):
                hi = "∞" if maximum is None else _fmt(maximum, spec.decimals)
                problems.append(
                    translate("Params", "{name} must be between {lo} and {hi}; {value} is outside.").format(
                        name=translate("Params", spec.label),
                        lo=_fmt(spec.minimum, spec.decimals),
                        hi=hi,
                        value=format_number(value, 0 if float(value).is_integer() else None)
                        if not math.isnan(value)
                        else value,
                    )
                )
        if self.seed is not None and (
            isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed <= SEED_MAX
        ):
            problems.append(
                translate("Params", "The seed must be a whole number between 0 and {max}, or random.").format(
                    max=SEED_MAX
                )
            )
        return problems

    def validated(self, n_ctx: int | None = None) -> GenerationParams:
        """Return self if every value is in range; otherwise raise ParamError naming each problem."""
        problems = self.problems(n_ctx)
        if problems:
            raise ParamError(problems)
        return self

    def resolve_seed(self) -> int:
        """The seed to use for one reply: the fixed one, or a new random one."""
        return self.seed if self.seed is not None else secrets.randbelow(SEED_MAX + 1)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GenerationParams:
        """Build from a mapping, ignoring unknown keys (so older or newer files still load)."""
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


def _fmt(value: float, decimals: int) -> str:
    """A bound as the current language writes numbers ("0,00" in Spanish)."""
    return format_number(value, decimals) if decimals else format_number(int(value))
