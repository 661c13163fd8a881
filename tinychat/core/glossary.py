"""The glossary: short and long explanations of every term the app shows, in English and Spanish.

The window uses ``short`` as tooltips (the ids of the sampling parameters are
the names in :data:`tinychat.core.params.SPECS`, plus ``seed``) and the
glossary panel shows ``long``. The data lives in ``resources/glossary.json``
so that teachers can correct a sentence without touching code.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from collections.abc import Iterable, Mapping

from tinychat.core import paths
from tinychat.core.i18n import QT_TRANSLATE_NOOP, translate

SCHEMA = 1
LANGUAGES: tuple[str, ...] = ("en", "es")
DEFAULT_LANGUAGE = "en"
PARTS: tuple[str, ...] = ("term", "short", "long")


class GlossaryError(ValueError):
    """The glossary file is missing or malformed; the message says which file and what is wrong."""


def normalize_language(language: str | None) -> str:
    """``"es_MX"``, ``"es-419"`` or ``"ES"`` become ``"es"``; anything unknown becomes English."""
    if not language:
        return DEFAULT_LANGUAGE
    code = language.replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents, so "lógica", "Logica" and "LOGICA" compare equal.

    Decomposing with NFKD and dropping the combining marks also folds "ñ" to
    "n", which is what people typing without a Spanish keyboard expect.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _key(text: str) -> str:
    """The lookup form of an id or alias: folded, with "-", "_" and runs of spaces made one space."""
    return " ".join(fold(text).replace("_", " ").replace("-", " ").split())


@dataclass(frozen=True)
class Term:
    id: str
    aliases: tuple[str, ...]
    term: Mapping[str, str]
    short: Mapping[str, str]
    long: Mapping[str, str]
    see_also: tuple[str, ...]
    #: A view of the Look-inside window where the idea can be tried ("tokens": the tokenizer playground), and the
    #: link's text in each language; empty when the term has none.
    try_view: str = ""
    try_label: Mapping[str, str] = field(default_factory=dict)

    def try_text(self, language: str | None = None) -> str:
        return self.try_label.get(normalize_language(language)) or self.try_label.get(DEFAULT_LANGUAGE, "")

    def text(self, part: str, language: str | None = None) -> str:
        """``part`` ("term", "short" or "long") in ``language``, falling back to English."""
        if part not in PARTS:
            raise ValueError(f"unknown glossary part {part!r}; expected one of {', '.join(PARTS)}")
        values: Mapping[str, str] = getattr(self, part)
        return values.get(normalize_language(language)) or values[DEFAULT_LANGUAGE]

    def name(self, language: str | None = None) -> str:
        return self.text("term", language)


class Glossary:
    """All terms, with lookup by id or alias and search in one language."""

    def __init__(self, terms: Iterable[Term]):
        self.terms: tuple[Term, ...] = tuple(terms)
        self._by_id: dict[str, Term] = {t.id: t for t in self.terms}
        self._index: dict[str, Term] = {}
        for t in self.terms:
            for name in (t.id, *t.aliases):
                self._index.setdefault(_key(name), t)

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self):
        return iter(self.terms)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __getitem__(self, key: str) -> Term:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._by_id)

    def get(self, key: object) -> Term | None:
        """The term whose id or one of whose aliases is ``key``, ignoring case, accents, "-" and "_"."""
        if not isinstance(key, str):
            return None
        return self._by_id.get(key) or self._index.get(_key(key))

    def tooltip(self, key: str, language: str | None = None) -> str:
        """The one-sentence explanation of ``key`` for a tooltip, or "" when there is no such term."""
        found = self.get(key)
        return found.text("short", language) if found else ""

    def sorted_terms(self, language: str | None = None) -> list[Term]:
        """Every term, in alphabetical order of its name in ``language`` (accents ignored)."""
        return sorted(self.terms, key=lambda t: (fold(t.name(language)), t.id))

    def search(self, query: str, language: str | None = None) -> list[Term]:
        """Terms matching ``query`` in ``language``, best matches first.

        Every word of the query must begin a word of the term's name, one of
        its aliases, or its short or long text; case and accents are ignored,
        so "entropia" finds "Entropía". A match in the name or an alias ranks
        above one in the tooltip, which ranks above one in the explanation;
        within a rank the order is alphabetical. An empty query returns every
        term.
        """
        words = _words(query)
        if not words:
            return self.sorted_terms(language)
        phrase = " ".join(words)
        ranked: list[tuple[int, str, Term]] = []
        for t in self.terms:
            labels = [_key(label) for label in (t.name(language), t.id, *t.aliases)]
            label_words = set(_words(" ".join(labels)))
            short_words = set(_words(t.text("short", language)))
            long_words = set(_words(t.text("long", language)))
            if any(label == phrase for label in labels):
                rank = 0
            elif any(label.startswith(phrase) for label in labels):
                rank = 1
            elif _all_begin(words, label_words):
                rank = 2
            elif _all_begin(words, label_words | short_words):
                rank = 3
            elif _all_begin(words, label_words | short_words | long_words):
                rank = 4
            else:
                continue
            ranked.append((rank, fold(t.name(language)), t))
        ranked.sort(key=lambda item: (item[0], item[1], item[2].id))
        return [t for _, _, t in ranked]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", _key(text))


def _all_begin(words: list[str], vocabulary: set[str]) -> bool:
    """Whether every query word begins some word of ``vocabulary`` ("cuantiz" begins "cuantizacion")."""
    return all(any(v.startswith(w) for v in vocabulary) for w in words)


def _problem(path: Path, detail: str, **values: Any) -> GlossaryError:
    """An error naming the file; ``detail`` is a translatable sentence with ``{placeholders}``."""
    return GlossaryError(
        translate(
            "Glossary",
            "The glossary file {path} cannot be used: {detail} Reinstall TinyChat, or restore the file.",
        ).format(path=path, detail=translate("Glossary", detail).format(**values))
    )


def _text_map(raw: Any, part: str, term_id: str, path: Path) -> dict[str, str]:
    english = raw.get(DEFAULT_LANGUAGE) if isinstance(raw, Mapping) else None
    if not isinstance(english, str) or not english.strip():
        raise _problem(
            path,
            QT_TRANSLATE_NOOP("Glossary", "\"{part}\" of \"{id}\" needs a non-empty English (\"en\") text."),
            part=part,
            id=term_id,
        )
    return {lang: text for lang, text in raw.items() if isinstance(text, str) and text.strip()}


#: The Look-inside views a term may link to.
TRY_VIEWS = ("tokens", "surprise", "lens", "attention")


def _try_link(raw: Any, term_id: str, path: Path) -> tuple[str, dict[str, str]]:
    """A term's optional {"view": ..., "label": {"en": ..., "es": ...}}: where to try the idea in TinyChat."""
    if raw is None:
        return "", {}
    if not isinstance(raw, Mapping) or raw.get("view") not in TRY_VIEWS:
        raise _problem(
            path,
            QT_TRANSLATE_NOOP("Glossary", "\"try\" of \"{id}\" must name one of the views {views}."),
            id=term_id,
            views=", ".join(TRY_VIEWS),
        )
    return str(raw["view"]), _text_map(raw.get("label"), "try", term_id, path)


def parse_glossary(data: Any, path: Path) -> Glossary:
    """Check the structure of the decoded JSON and build the :class:`Glossary`."""
    if not isinstance(data, Mapping) or data.get("schema") != SCHEMA or not isinstance(data.get("terms"), list):
        raise _problem(
            path,
            QT_TRANSLATE_NOOP("Glossary", "it must be an object with \"schema\": {schema} and a list of \"terms\"."),
            schema=SCHEMA,
        )
    terms: list[Term] = []
    seen: set[str] = set()
    for number, item in enumerate(data["terms"], start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("id"), str) or not item["id"]:
            raise _problem(path, QT_TRANSLATE_NOOP("Glossary", "term number {number} has no \"id\"."), number=number)
        term_id = item["id"]
        if term_id in seen:
            raise _problem(path, QT_TRANSLATE_NOOP("Glossary", "the id \"{id}\" appears twice."), id=term_id)
        seen.add(term_id)
        aliases = item.get("aliases", [])
        see_also = item.get("see_also", [])
        if not (
            isinstance(aliases, list)
            and isinstance(see_also, list)
            and all(isinstance(a, str) for a in [*aliases, *see_also])
        ):
            raise _problem(
                path,
                QT_TRANSLATE_NOOP("Glossary", "\"aliases\" and \"see_also\" of \"{id}\" must be lists of text."),
                id=term_id,
            )
        try_view, try_label = _try_link(item.get("try"), term_id, path)
        terms.append(
            Term(
                id=term_id,
                aliases=tuple(aliases),
                term=_text_map(item.get("term"), "term", term_id, path),
                short=_text_map(item.get("short"), "short", term_id, path),
                long=_text_map(item.get("long"), "long", term_id, path),
                see_also=tuple(see_also),
                try_view=try_view,
                try_label=try_label,
            )
        )
    for t in terms:
        missing = [s for s in t.see_also if s not in seen]
        if missing:
            raise _problem(
                path,
                QT_TRANSLATE_NOOP("Glossary", "\"{id}\" refers to unknown terms: {missing}."),
                id=t.id,
                missing=", ".join(missing),
            )
    return Glossary(terms)


def glossary_path() -> Path:
    return paths.resources_dir() / "glossary.json"


@lru_cache(maxsize=4)
def load_glossary(path: Path | None = None) -> Glossary:
    """The glossary from ``path`` (default: resources/glossary.json), read once and cached.

    Raises :class:`GlossaryError` with a sentence for people when the file is
    missing, is not JSON, or does not have the expected structure.
    """
    path = Path(path) if path is not None else glossary_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _problem(path, QT_TRANSLATE_NOOP("Glossary", "it does not exist.")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _problem(path, QT_TRANSLATE_NOOP("Glossary", "it could not be read ({error})."), error=exc) from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _problem(
            path,
            QT_TRANSLATE_NOOP("Glossary", "it is not valid JSON (line {line}, column {column})."),
            line=exc.lineno,
            column=exc.colno,
        ) from None
    return parse_glossary(data, path)
