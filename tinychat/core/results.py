"""What one generated reply carries with it: the text, the seed used and the measured stats."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from tinychat.core.i18n import QT_TRANSLATE_NOOP, translate
from tinychat.core.params import GenerationParams

EMPTY_REPLY_NOTE = QT_TRANSLATE_NOOP(
    "Results",
    "The model ended its reply at once, without writing anything: it probably does not understand this "
    "prompt format, so choose the model's own chat template.",
)


def empty_reply_note(text: str, stop_reason: StopReason | None) -> str:
    """Why a reply is empty, in one sentence ("" when it is not, or when Stop or an error explains it)."""
    if text.strip() or stop_reason is not StopReason.EOS:
        return ""
    return translate("Results", EMPTY_REPLY_NOTE)


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
    #: llama.cpp's threads while this reply was written (0: not known).
    threads: int = 0
    #: The server's base URL when the reply came from an inference server ("": this computer).
    endpoint: str = ""
    #: Speculative decoding ("" : plain decoding, else "lookup" or "draft"; tinychat.core.speculative):
    #: tokens guessed, kept and thrown away, and evaluations of the model (the prompt's included; plain: one a token).
    speculative: str = ""
    drafted: int = 0
    accepted: int = 0
    rejected: int = 0
    evaluations: int = 0
    #: Why speculative decoding was asked for but not used ("" : it was used, or not asked for).
    speculative_note: str = ""

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
    #: A sentence about how the reply ran that the person should see (a thread collapse), or "".
    note: str = ""
