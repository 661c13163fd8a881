"""The prompt X-ray: exactly what the model receives for the next turn.

For a conversation, a template and a loaded engine it gives the rendered text,
the tokens the engine will evaluate (id, bytes, where each sits in the text),
which of them are control tokens, and where a person's text contained a
control-token string that TinyChat neutralised. It goes through the same
Engine.render and Engine.tokenize calls as generation, so the count shown is
the count evaluated.

The window computes it on a thread of its own with ``VocabOnly``: a second
copy of the model's tokenizer (vocabulary only, no weights, no context), so
the engine, busy generating on its worker thread, is never touched, and a slow
or hostile template cannot freeze the window.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any
from collections.abc import Mapping, Sequence

import llama_cpp
import llama_cpp._internals

from tinychat.core.i18n import translate
from tinychat.core.store import clean_text
from tinychat.core.templates import ChatTemplate, RenderedPrompt, neutralise_messages


@dataclass(frozen=True)
class XrayToken:
    index: int
    id: int
    #: The token's bytes. A character of several bytes (an accent, an emoji) may be
    #: split over two or more tokens, whose bytes alone are not valid UTF-8.
    piece: bytes
    #: True for control tokens (<|im_start|>, </s>, ...), which the model reads as structure, not text.
    special: bool
    #: Character span in XrayResult.text; empty (start == end) for a token the tokenizer added (BOS).
    start: int
    end: int
    #: True when the tokenizer added the token itself (it is not in the text).
    added: bool = False

    @property
    def partial(self) -> bool:
        """The piece is part of a character, not whole characters."""
        try:
            self.piece.decode("utf-8")
        except UnicodeDecodeError:
            return True
        return False

    @property
    def display(self) -> str:
        """The piece as text; bytes of a split character are shown as <0xE2> and so on."""
        text = self.piece.decode("utf-8", errors="surrogateescape")
        # surrogateescape maps each undecodable byte to U+DC80..U+DCFF.
        return "".join(f"<0x{ord(c) - 0xDC00:02X}>" if 0xDC80 <= ord(c) <= 0xDCFF else c for c in text)


@dataclass(frozen=True)
class Injection:
    """A control-token string found in a message, which was neutralised before tokenizing."""

    message_index: int
    role: str
    token: str
    count: int

    @property
    def sentence(self) -> str:
        return translate(
            "Xray",
            "Message {n} ({role}) contains {token}: as typed it would have injected that control token "
            "into the prompt. TinyChat sent it as plain text instead.",
        ).format(n=self.message_index + 1, role=self.role, token=self.token)


@dataclass(frozen=True)
class XrayResult:
    text: str
    tokens: tuple[XrayToken, ...]
    template: ChatTemplate
    rendered: RenderedPrompt
    injections: tuple[Injection, ...]
    n_ctx: int

    @property
    def token_count(self) -> int:
        return len(self.tokens)

    @property
    def token_ids(self) -> list[int]:
        return [t.id for t in self.tokens]

    @property
    def special_spans(self) -> list[tuple[int, int]]:
        """Character spans of the control tokens in ``text`` (for highlighting)."""
        return [(t.start, t.end) for t in self.tokens if t.special and t.end > t.start]

    @property
    def over_by(self) -> int:
        """How many tokens too long the prompt is (0 when it fits with room for one reply token)."""
        return max(0, self.token_count - self.n_ctx + 1)

    @property
    def template_sentence(self) -> str:
        return self.template.reason or translate("Xray", "Template '{name}'.").format(name=self.template.name)


def find_injections(messages: Sequence[Mapping[str, str]], special_tokens: Sequence[str]) -> list[Injection]:
    """Where messages contain control-token strings (longest first, not counted twice inside a longer one)."""
    ordered = sorted({t for t in special_tokens if len(t) > 1}, key=len, reverse=True)
    found: list[Injection] = []
    for index, message in enumerate(messages):
        text = message.get("content", "")
        for token in ordered:
            count = text.count(token)
            if count:
                found.append(Injection(index, message.get("role", ""), token, count))
                text = text.replace(token, "")
    return found


def _char_offsets(text: str) -> list[int]:
    """For every byte offset of text's UTF-8 encoding, the character offset it falls in."""
    offsets: list[int] = []
    for i, ch in enumerate(text):
        offsets.extend([i] * len(ch.encode("utf-8")))
    offsets.append(len(text))
    return offsets


def tokens_of(engine, rendered: RenderedPrompt, ids: Sequence[int]) -> tuple[XrayToken, ...]:
    """Pair each token id with its bytes and its place in ``rendered.text``."""
    return _tokens(engine.llm._model, rendered, ids)


def _tokens(model: Any, rendered: RenderedPrompt, ids: Sequence[int]) -> tuple[XrayToken, ...]:
    data = rendered.text.encode("utf-8")
    chars = _char_offsets(rendered.text)
    cursor = 0
    out: list[XrayToken] = []
    for index, token in enumerate(ids):
        # detokenize one token with special=True: control tokens come back as their text.
        piece = model.detokenize([token], special=True)
        special = bool(model.token_get_attr(token) & llama_cpp.LLAMA_TOKEN_ATTR_CONTROL)
        start = cursor
        if piece and data.startswith(piece, cursor):
            cursor += len(piece)
        elif piece.startswith(b" ") and data.startswith(piece[1:], cursor):
            # SentencePiece tokenizers write a space before the first word that is not in the text.
            cursor += len(piece) - 1
        added = cursor == start and index == 0 and special and rendered.add_bos
        out.append(
            XrayToken(
                index=index, id=token, piece=piece, special=special,
                start=chars[start], end=chars[cursor], added=added,
            )
        )
    return tuple(out)


def xray(engine, messages: Sequence[Mapping[str, str]], template: ChatTemplate | None = None) -> XrayResult:
    """What ``engine.generate(messages, template=template)`` would evaluate, explained.

    Raises TemplateError for a bad template and NoModelLoaded without a model.
    """
    info = engine._require_info()
    chosen = template or engine.template
    rendered = engine.render(messages, template)
    ids = engine.tokenize(rendered)
    return XrayResult(
        text=rendered.text,
        tokens=tokens_of(engine, rendered, ids),
        template=chosen,
        rendered=rendered,
        injections=tuple(find_injections(messages, info.special_tokens)),
        n_ctx=info.n_ctx,
    )


class VocabOnly:
    """A model file's tokenizer alone, loaded without weights or a context (a fraction of a second).

    It tokenizes exactly as the engine's Llama does (the same llama.cpp
    vocabulary and the same call), and belongs to whichever thread made it.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        params = llama_cpp.llama_model_default_params()
        params.vocab_only = True
        self.path = str(path)
        # verbose=True: the quiet mode redirects the process's stdout and stderr
        # while it loads, which would swallow other threads' output.
        self.model = llama_cpp._internals.LlamaModel(path_model=self.path, params=params, verbose=True)

    def tokenize(self, rendered: RenderedPrompt) -> list[int]:
        text = clean_text(rendered.text)
        return self.model.tokenize(text.encode("utf-8"), add_bos=rendered.add_bos, special=True)

    def close(self) -> None:
        self.model.close()


def xray_with_vocab(
    vocab: VocabOnly, info: Any, template: ChatTemplate, messages: Sequence[Mapping[str, str]]
) -> XrayResult:
    """xray() for a model described by ``info`` (a ModelInfo), tokenized by ``vocab`` instead of the engine.

    Renders as Engine.render does. Raises TemplateError for a bad template.
    """
    safe = neutralise_messages(messages, info.special_tokens)
    rendered = template.render(safe, bos_token=info.bos_token, eos_token=info.eos_token)
    ids = vocab.tokenize(rendered)
    return XrayResult(
        text=rendered.text,
        tokens=_tokens(vocab.model, rendered, ids),
        template=template,
        rendered=rendered,
        injections=tuple(find_injections(messages, info.special_tokens)),
        n_ctx=info.n_ctx,
    )
