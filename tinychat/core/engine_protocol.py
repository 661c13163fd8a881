"""What the window needs from an engine, and nothing more.

:class:`~tinychat.core.engine.Engine` (llama.cpp) is the engine TinyChat runs.
The window's model thread (``gui.engine_worker.EngineController``) is given an
*engine factory* and talks to what it makes only through :class:`ChatEngine`,
so a test can give it an engine that needs no model file and streams a
scripted reply (``tests/fake_engine.py``). The window's logic (sending,
stopping, saving, branching, fitting the conversation to the context) is then
tested in seconds; what only llama.cpp can show stays in the tests marked
``model``.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Protocol
from collections.abc import Callable, Mapping, Sequence

from tinychat.core.params import GenerationParams
from tinychat.core.results import GenerationResult
from tinychat.core.templates import ChatTemplate, RenderedPrompt

if TYPE_CHECKING:  # for the annotations only
    from tinychat.core.engine import ModelInfo, StepCallback, TokenCallback
    from tinychat.core.speculative import DraftCallback


class ChatEngine(Protocol):
    """One loaded model, used from one thread at a time; ``cancel`` may be set from any thread."""

    #: The loaded model (None before a load and after a failed one).
    info: ModelInfo | None
    #: The template the model uses when none is chosen.
    template: ChatTemplate | None

    @property
    def loaded(self) -> bool: ...

    def load(
        self,
        path: str | os.PathLike[str],
        *,
        n_ctx: int | None = None,
        n_threads: int | None = None,
        n_gpu_layers: int = 0,
        n_batch: int | None = None,
        flash_attn: str = "auto",
    ) -> ModelInfo:
        """Load a model, replacing the current one; raise ``EngineError`` with a sentence.

        ``n_gpu_layers``: 0, N, -1 all, -2 automatic (tinychat.core.hardware); ``n_threads`` and
        ``n_batch`` None: automatic; ``flash_attn``: "auto", "on" or "off".
        """
        ...

    def set_speculative(self, mode: str, draft_model: str | os.PathLike[str] | None = None) -> None:
        """Speculative decoding for the next replies: "off", "lookup" or "draft" (with a draft model file)."""
        ...

    def render(self, messages: Sequence[Mapping[str, str]], template: ChatTemplate | None = None) -> RenderedPrompt: ...

    def tokenize(self, rendered: RenderedPrompt) -> list[int]: ...

    def generate(
        self,
        messages: Sequence[Mapping[str, str]],
        params: GenerationParams,
        *,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        template: ChatTemplate | None = None,
        on_step: StepCallback | None = None,
        on_draft: DraftCallback | None = None,
    ) -> GenerationResult:
        """Stream a reply; ``on_token`` gets each piece of text, ``on_step`` each token's distribution."""
        ...

    def generate_from_tokens(  # noqa: PLR0913 - the engine's signature; its callbacks are keyword-only
        self,
        tokens: list[int],
        params: GenerationParams,
        *,
        stops: Sequence[str] = (),
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        template_source: str = "",
        prompt_text: str = "",
        on_step: StepCallback | None = None,
        on_draft: DraftCallback | None = None,
    ) -> GenerationResult:
        """Stream a reply to an already tokenized prompt (continuing a cut-off reply)."""
        ...

    def close(self) -> None: ...


#: Makes a fresh engine; called on the model thread.
EngineFactory = Callable[[], ChatEngine]
