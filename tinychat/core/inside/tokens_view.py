"""The tokenizer playground: a text cut into the model's tokens, with their ids, bytes and place in the text.

The cutting is llama.cpp's own (a vocabulary-only ``Llama``: no weights are
read, so opening another model just to count its tokens takes a fraction of a
second).
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import llama_cpp

from tinychat.core.engine import check_model_file
from tinychat.core.i18n import QT_TRANSLATE_NOOP, translate
from tinychat.core.inside.forward import InsideError

_CTX = "Inside"

#: The same sentence in two languages, for the lesson "Spanish costs more tokens on an English-first tokenizer".
LANGUAGE_PAIR = (
    ("en", "The weather is nice today, so we are going to walk to the park after lunch."),
    ("es", "Hoy hace buen tiempo, así que vamos a caminar hasta el parque después de comer."),
)
LANGUAGE_NAMES = {"en": QT_TRANSLATE_NOOP("Inside", "English"), "es": QT_TRANSLATE_NOOP("Inside", "Spanish")}

# Shown in place of characters that would otherwise be invisible in a token.
VISIBLE = str.maketrans({" ": "␣", "\n": "↵", "\t": "⇥", "\r": "␍"})


def shown_piece(data: bytes) -> str:
    """Bytes as text with invisible characters made visible; a byte that is only part of a character as <0xNN>."""
    text = data.decode("utf-8", errors="surrogateescape")
    return "".join(
        f"<0x{ord(ch) - 0xDC00:02X}>" if 0xDC80 <= ord(ch) <= 0xDCFF else ch.translate(VISIBLE) for ch in text
    )


@dataclass(frozen=True)
class Token:
    index: int
    id: int
    #: The token's bytes as the model writes them.
    piece: bytes
    #: Where the token sits in the text, in characters ([start, end)); -1 when it cannot be placed (a control token).
    start: int
    end: int
    special: bool

    @property
    def shown(self) -> str:
        """The piece with spaces as ␣ and newlines as ↵; bytes that are only part of a character as <0xNN>."""
        return shown_piece(self.piece)

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "id": self.id,
            "piece": self.shown,
            "bytes": self.piece.hex(" "),
            "start": self.start,
            "end": self.end,
            "special": self.special,
        }


@dataclass(frozen=True)
class Tokenization:
    model: str
    text: str
    tokens: tuple[Token, ...]
    bos: bool

    @property
    def count(self) -> int:
        return len(self.tokens)

    @property
    def words(self) -> int:
        return len(self.text.split())

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "text": self.text,
            "count": self.count,
            "characters": len(self.text),
            "words": self.words,
            "bos": self.bos,
            "tokens": [t.to_dict() for t in self.tokens],
        }


class Tokenizer:
    """A model's tokenizer, read from its GGUF file without the weights."""

    def __init__(self, path: str | os.PathLike[str]):
        model_path = check_model_file(path)
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                self.llm = llama_cpp.Llama(model_path=str(model_path), vocab_only=True, verbose=True)
        except (ValueError, RuntimeError, OSError) as exc:
            raise InsideError(
                translate(
                    _CTX, "llama.cpp could not read the vocabulary of {name}; the file may be incomplete."
                ).format(name=model_path.name)
            ) from exc
        self.llm.verbose = False
        self.path = model_path
        self.name = model_path.name

    @property
    def vocab(self):
        return self.llm._model.vocab

    @property
    def n_vocab(self) -> int:
        return int(self.llm.n_vocab())

    @property
    def adds_bos(self) -> bool:
        return bool(self.llm._model.add_bos_token())

    def close(self) -> None:
        self.llm.close()

    def __enter__(self) -> Tokenizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ids(self, text: str, *, bos: bool | None = None, special: bool = False) -> list[int]:
        return self.llm.tokenize(text.encode("utf-8"), add_bos=self.adds_bos if bos is None else bos, special=special)

    def piece(self, token: int) -> bytes:
        """The token's bytes, control tokens by name (``<|im_start|>``)."""
        size = 64
        while True:
            buffer = ctypes.create_string_buffer(size)
            n = llama_cpp.llama_token_to_piece(self.vocab, llama_cpp.llama_token(token), buffer, size, 0, True)
            if n >= 0:
                return buffer.raw[:n]
            size = -n

    def piece_text(self, token: int) -> str:
        data = self.piece(token)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return "".join(f"<0x{b:02X}>" for b in data)

    def is_special(self, token: int) -> bool:
        attr = llama_cpp.llama_vocab_get_attr(self.vocab, token)
        return bool(attr & (llama_cpp.LLAMA_TOKEN_ATTR_CONTROL | llama_cpp.LLAMA_TOKEN_ATTR_UNKNOWN))

    def vocabulary_key(self) -> tuple[int, int]:
        """Two models share a vocabulary when every id has the same text: (size, hash of all the texts)."""
        texts = tuple(llama_cpp.llama_vocab_get_text(self.vocab, i) for i in range(self.n_vocab))
        return self.n_vocab, hash(texts)

    def tokenize(self, text: str, *, bos: bool | None = None, special: bool = False) -> Tokenization:
        return tokenization(
            self, self.ids(text, bos=bos, special=special), text, bos=self.adds_bos if bos is None else bos
        )


def tokenization(tokenizer: Tokenizer, ids: list[int], text: str, *, bos: bool) -> Tokenization:
    """Place each token in ``text`` by its bytes; tokens whose bytes do not come from the text get no place."""
    pieces = [tokenizer.piece(t) for t in ids]
    specials = [tokenizer.is_special(t) for t in ids]
    data = text.encode("utf-8")
    # The byte where each character starts, to turn byte offsets into character offsets.
    char_of_byte = []
    for i, ch in enumerate(text):
        char_of_byte.extend([i] * len(ch.encode("utf-8")))
    char_of_byte.append(len(text))

    def to_char(offset: int, *, up: bool) -> int:
        offset = max(0, min(offset, len(data)))
        c = char_of_byte[offset]
        # A token that ends inside a character owns the whole character.
        if up and offset < len(data) and offset > 0 and char_of_byte[offset - 1] == c:
            return c + 1
        return c

    joined = b"".join(p for p, s in zip(pieces, specials, strict=True) if not s)
    # SentencePiece tokenizers (TinyLlama, Llama 2) add a space before the text; it is not in the text itself.
    shift = 1 if joined != data and joined == b" " + data else 0
    placeable = joined[shift:] == data
    tokens = []
    cursor = -shift
    for index, (token, piece, special) in enumerate(zip(ids, pieces, specials, strict=True)):
        if special or not placeable:
            tokens.append(Token(index, int(token), piece, -1, -1, special))
            continue
        start, end = cursor, cursor + len(piece)
        cursor = end
        tokens.append(Token(index, int(token), piece, to_char(start, up=False), to_char(end, up=True), False))
    return Tokenization(model=tokenizer.name, text=text, tokens=tuple(tokens), bos=bos)


@dataclass(frozen=True)
class LanguageCount:
    language: str
    sentence: str
    tokens: int
    words: int
    characters: int

    @property
    def tokens_per_word(self) -> float:
        return self.tokens / self.words if self.words else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "sentence": self.sentence,
            "tokens": self.tokens,
            "words": self.words,
            "characters": self.characters,
            "tokens_per_word": round(self.tokens_per_word, 3),
        }


def compare_languages(tokenizer: Tokenizer) -> list[LanguageCount]:
    """The same sentence in English and Spanish, counted in this model's tokens (no start-of-text token)."""
    out = []
    for language, sentence in LANGUAGE_PAIR:
        n = len(tokenizer.ids(sentence, bos=False))
        out.append(LanguageCount(language, sentence, n, len(sentence.split()), len(sentence)))
    return out


def count_in(path: str | os.PathLike[str], text: str) -> tuple[str, int]:
    """(model file name, token count) of ``text`` in another model's tokenizer."""
    with Tokenizer(path) as other:
        return Path(path).name, len(other.ids(text, bos=False))
