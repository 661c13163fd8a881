"""Probe prompts for a class: what to ask a small model, and what the answer shows.

A lesson isolates one parameter: every sampler it does not set is neutral
(top-k 0, top-p 1, min-p 0, repeat penalty 1), so that what changes in the
reply comes from the one setting the lesson is about.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tinychat.core import paths
from tinychat.core.i18n import QT_TRANSLATE_NOOP
from tinychat.core.params import GenerationParams

#: The samplers switched off, so that a lesson's own setting is the only one at work.
NEUTRAL_SAMPLERS: dict[str, Any] = {"top_k": 0, "top_p": 1.0, "min_p": 0.0, "repeat_penalty": 1.0}

NEUTRAL_NOTE = QT_TRANSLATE_NOOP(
    "Lessons", "The other samplers are off for this lesson: top-k 0, top-p 1, min-p 0, repeat penalty 1."
)


@dataclass(frozen=True)
class Lesson:
    id: str
    title: dict[str, str]
    prompt: dict[str, str]
    shows: dict[str, str]
    params: dict[str, Any] = field(default_factory=dict)
    #: Values of the lesson's parameter to try one after the other, with the same seed.
    sweep: dict[str, list[Any]] = field(default_factory=dict)

    def settings(self, base: GenerationParams) -> GenerationParams:
        """``base`` with the other samplers neutral and the lesson's own values set."""
        return base.replace(**{**NEUTRAL_SAMPLERS, **self.params})

    def text(self, part: str, language: str) -> str:
        """``part`` ("title", "prompt" or "shows") in ``language``, falling back to English."""
        values: dict[str, str] = getattr(self, part)
        return values.get(language.split("_")[0]) or values["en"]


@lru_cache(maxsize=4)
def load_lessons(path: Path | None = None) -> tuple[Lesson, ...]:
    path = path or paths.resources_dir() / "lessons.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(Lesson(**item) for item in data["lessons"])
