"""Continue a reply that was cut off (by Stop, or by the token limit).

The conversation up to the reply's question is rendered with the template as
usual, which ends with the start of the model's turn; the text the reply
already has is appended to that, so the model carries on mid-sentence instead
of starting a new answer.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from collections.abc import Mapping, Sequence

from tinychat.core.engine import Engine, StepCallback, TokenCallback
from tinychat.core.params import GenerationParams
from tinychat.core.results import GenerationResult
from tinychat.core.templates import ChatTemplate, neutralise


def continue_reply(
    engine: Engine,
    messages: Sequence[Mapping[str, str]],
    partial: str,
    params: GenerationParams,
    *,
    on_token: TokenCallback | None = None,
    cancel: threading.Event | None = None,
    template: ChatTemplate | None = None,
    on_step: StepCallback | None = None,
) -> GenerationResult:
    """Generate the rest of ``partial``, the model's unfinished answer to ``messages``.

    ``messages`` ends with the question; the result's text is only the new part.
    """
    info = engine.info
    if info is None:
        return engine.generate(messages, params)  # raises NoModelLoaded with its sentence
    params = params.validated(n_ctx=info.n_ctx)
    rendered = engine.render(messages, template)
    rendered = replace(rendered, text=rendered.text + neutralise(partial, info.special_tokens))
    tokens = engine.tokenize(rendered)
    return engine.generate_from_tokens(
        tokens, params, stops=rendered.stops, on_token=on_token, cancel=cancel,
        template_source=rendered.source, prompt_text=rendered.text, on_step=on_step,
    )
