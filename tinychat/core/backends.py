"""The window's model: a file loaded here, or a model on an inference server, whichever was chosen last.

:class:`Backends` is itself a :class:`~tinychat.core.engine_protocol.ChatEngine`:
the window's model thread holds one and does not care where the model runs.
``load(path)`` loads a file with the local engine; ``connect(target)`` uses a
server's model. Switching frees the other one (a laptop's memory goes back
when a server does the work). A failed switch keeps what was working, as a
failed load does in :meth:`tinychat.core.engine.Engine.load`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence

from tinychat.core.engine import ModelInfo, ModelLoadError, NoModelLoaded, StepCallback, TokenCallback
from tinychat.core.engine_protocol import ChatEngine, EngineFactory
from tinychat.core.i18n import translate
from tinychat.core.params import GenerationParams
from tinychat.core.remote import RemoteEngine, RemoteTarget
from tinychat.core.results import GenerationResult
from tinychat.core.speculative import DraftCallback
from tinychat.core.templates import ChatTemplate, RenderedPrompt


class Backends:
    """A local engine made by ``local_factory`` (on first use) and, while connected, a :class:`RemoteEngine`."""

    def __init__(self, local_factory: EngineFactory) -> None:
        self._local_factory = local_factory
        self._local: ChatEngine | None = None
        self._remote: RemoteEngine | None = None
        self._active: ChatEngine | None = None

    # -- which one ---------------------------------------------------------------

    @property
    def remote(self) -> RemoteEngine | None:
        """The server in use (None: the model runs here, or none is loaded)."""
        return self._remote if self._active is self._remote else None

    @property
    def local(self) -> ChatEngine:
        if self._local is None:
            self._local = self._local_factory()
        return self._local

    @property
    def in_use(self) -> ChatEngine | None:
        """The engine replies come from: the local one, the server, or None before a load."""
        return self._active

    @property
    def notes(self) -> list[str]:
        """What the server in use cannot do (empty for a local model)."""
        remote = self.remote
        return list(remote.notes) if remote is not None else []

    @property
    def info(self) -> ModelInfo | None:
        return self._active.info if self._active is not None else None

    @property
    def template(self) -> ChatTemplate | None:
        return self._active.template if self._active is not None else None

    @property
    def loaded(self) -> bool:
        return self._active is not None and self._active.loaded

    def _require(self) -> ChatEngine:
        if self._active is None:
            raise NoModelLoaded(translate("Engine", "No model is loaded. Choose a model first."))
        return self._active

    # -- switching ---------------------------------------------------------------

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
        """Load a model file here; the server in use (if any) stays in use when the file cannot be loaded."""
        try:
            info = self.local.load(
                path, n_ctx=n_ctx, n_threads=n_threads, n_gpu_layers=n_gpu_layers, n_batch=n_batch,
                flash_attn=flash_attn,
            )
        except ModelLoadError as exc:
            if self.remote is not None:
                exc.kept = self.remote.info
            raise
        self._drop_remote()
        self._active = self._local
        return info

    def connect(self, target: RemoteTarget) -> ModelInfo:
        """Use a model on a server; what was in use stays when the server cannot be used."""
        remote = RemoteEngine()
        try:
            info = remote.connect(target)
        except ModelLoadError as exc:
            exc.kept = self.info
            raise
        self._drop_remote()
        if self._local is not None:
            self._local.close()  # the model's memory goes back to the laptop
        self._remote = self._active = remote
        return info

    def _drop_remote(self) -> None:
        if self._remote is not None:
            self._remote.close()
            self._remote = None

    # -- the ChatEngine interface, passed on --------------------------------------

    def set_speculative(self, mode: str, draft_model: str | os.PathLike[str] | None = None) -> None:
        self._require().set_speculative(mode, draft_model)

    def render(self, messages: Sequence[Mapping[str, str]], template: ChatTemplate | None = None) -> RenderedPrompt:
        return self._require().render(messages, template)

    def tokenize(self, rendered: RenderedPrompt) -> list[int]:
        return self._require().tokenize(rendered)

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
        return self._require().generate(
            messages, params, on_token=on_token, cancel=cancel, template=template, on_step=on_step,
            on_draft=on_draft,
        )

    def generate_from_tokens(  # noqa: PLR0913 - the engine protocol's signature
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
        return self._require().generate_from_tokens(
            tokens, params, stops=stops, on_token=on_token, cancel=cancel,
            template_source=template_source, prompt_text=prompt_text, on_step=on_step, on_draft=on_draft,
        )

    def close(self) -> None:
        self._drop_remote()
        if self._local is not None:
            self._local.close()
        self._active = None
