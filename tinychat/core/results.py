"""What one generated reply carries with it: the text, the seed used and the measured stats."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from tinychat.core.params import GenerationParams


class StopReason(str, Enum):
    EOS = "eos"  # the model ended its turn (end-of-generation token or a stop sequence)
    LENGTH = "length"  # max_new_tokens reached, or the context window is full
    STOPPED = "stopped"  # the person pressed Stop
    ERROR = "error"


@dataclass
class GenerationStats:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    #: Prompt tokens that had to be evaluated (the rest came from the KV cache).
    prompt_tokens_evaluated: int = 0
    ttft_s: float | None = None
    tokens_per_s: float | None = None
    total_s: float = 0.0
    stop_reason: StopReason = StopReason.EOS
    device: str = "CPU"

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["stop_reason"] = self.stop_reason.value
        return data


@dataclass
class GenerationResult:
    text: str
    seed: int
    params: GenerationParams
    stats: GenerationStats
    model: str = ""
    template: str = ""
    prompt: str = ""
    error: str = ""
    token_ids: list[int] = field(default_factory=list)
