"""Probe prompts for a class: what to ask a small model, and what the answer shows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tinychat.core import paths


@dataclass(frozen=True)
class Lesson:
    id: str
    title: dict[str, str]
    prompt: dict[str, str]
    shows: dict[str, str]
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, part: str, language: str) -> str:
        """``part`` ("title", "prompt" or "shows") in ``language``, falling back to English."""
        values: dict[str, str] = getattr(self, part)
        return values.get(language.split("_")[0]) or values["en"]


@lru_cache(maxsize=4)
def load_lessons(path: Path | None = None) -> tuple[Lesson, ...]:
    path = path or paths.resources_dir() / "lessons.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(Lesson(**item) for item in data["lessons"])
