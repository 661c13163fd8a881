"""Prompt templates: how a list of chat messages becomes the text the model reads.

The GGUF's own ``tokenizer.chat_template`` is rendered with llama-cpp-python's
Jinja2ChatFormatter, which already uses jinja2's ImmutableSandboxedEnvironment,
so a template from a downloaded file cannot reach Python internals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

import jinja2
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from tinychat.core.i18n import translate

Message = Mapping[str, str]

#: Inserted after the first character of a special-token string found in user text,
#: so that the tokenizer sees ordinary characters instead of a control token.
ZERO_WIDTH_SPACE = "\u200b"


class TemplateError(ValueError):
    """A template could not be compiled or rendered; the message says why and what to do."""


@dataclass(frozen=True)
class RenderedPrompt:
    text: str
    stops: tuple[str, ...]
    #: True when the tokenizer must add the BOS token itself (the template did not write it).
    add_bos: bool
    source: str
    warning: str = ""


@dataclass(frozen=True)
class ChatTemplate:
    name: str
    #: Where the template came from: a built-in's name, "gguf", or a file path.
    source: str
    jinja: str
    stops: tuple[str, ...] = ()
    warning: str = ""
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)

    def render(
        self,
        messages: Sequence[Message],
        *,
        bos_token: str = "",
        eos_token: str = "",
        add_generation_prompt: bool = True,
    ) -> RenderedPrompt:
        key = (bos_token, eos_token, add_generation_prompt)
        formatter = self._compiled.get(key)
        if formatter is None:
            try:
                formatter = Jinja2ChatFormatter(
                    template=self.jinja,
                    eos_token=eos_token,
                    bos_token=bos_token,
                    add_generation_prompt=add_generation_prompt,
                )
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateError(
                    translate("Templates", "The prompt template '{name}' has a syntax error on line {line}: {msg}.").format(
                        name=self.name, line=exc.lineno, msg=exc.message
                    )
                ) from exc
            self._compiled[key] = formatter
        try:
            response = formatter(messages=[dict(m) for m in messages])
        except jinja2.exceptions.SecurityError as exc:
            raise TemplateError(
                translate(
                    "Templates",
                    "The prompt template '{name}' tried something templates may not do ({msg}); "
                    "it was stopped. Use another template.",
                ).format(name=self.name, msg=exc)
            ) from exc
        except (jinja2.TemplateError, ValueError, TypeError) as exc:
            raise TemplateError(
                translate("Templates", "The prompt template '{name}' failed while rendering: {msg}.").format(
                    name=self.name, msg=exc
                )
            ) from exc
        text = response.prompt
        stops = tuple(dict.fromkeys([*self.stops, *(s for s in (eos_token,) if s)]))
        add_bos = not (bos_token and text.startswith(bos_token))
        return RenderedPrompt(text=text, stops=stops, add_bos=add_bos, source=self.source, warning=self.warning)


def gguf_template(jinja_source: str) -> ChatTemplate:
    return ChatTemplate(name="gguf", source="gguf", jinja=jinja_source)


def neutralise(text: str, special_tokens: Iterable[str]) -> str:
    """Make special-token strings in user text harmless.

    Prompts are tokenized with special tokens enabled (the template's own
    markers must become control tokens), so a user typing ``<|im_end|>`` would
    otherwise close their turn and forge the model's. A zero-width space after
    the first character keeps the text readable while the tokenizer no longer
    sees the control token.
    """
    for token in sorted({t for t in special_tokens if len(t) > 1}, key=len, reverse=True):
        if token in text:
            text = text.replace(token, token[0] + ZERO_WIDTH_SPACE + token[1:])
    return text


def neutralise_messages(messages: Sequence[Message], special_tokens: Iterable[str]) -> list[dict[str, str]]:
    """Copies of ``messages`` whose text cannot inject control tokens.

    Every role is treated alike: the system prompt is typed by a person, and a
    reply may have been edited by one.
    """
    specials = list(special_tokens)
    return [{**m, "content": neutralise(m.get("content", ""), specials)} for m in messages]
