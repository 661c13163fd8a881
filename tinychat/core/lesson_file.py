"""Lesson files: a teacher's settings for one exercise, saved from the window and opened by students.

A lesson file is a small JSON document (``.tinychat-lesson.json``)::

    {
      "format": "tinychat-lesson",
      "version": 1,
      "title":  {"en": "Temperature and the sea", "es": "La temperatura y el mar"},
      "notes":  {"en": "What to look at...",     "es": "Qué mirar..."},
      "system_prompt": "You are a poet.",
      "params": {"temperature": 0.7, "top_k": 40, "top_p": 0.95, "min_p": 0.05,
                 "max_new_tokens": 64, "repeat_penalty": 1.0, "seed": 1},
      "prompts": [{"en": "Write one sentence about the sea.", "es": "Escribe una frase sobre el mar."}]
    }

The texts are per language, like the built-in lessons (``resources/lessons.json``,
whose ``title``/``params`` it shares; its ``shows`` is ``notes`` here and its one
``prompt`` is a list of starter ``prompts``). A text missing in one language falls
back to the other. ``seed`` may be ``null`` (a new seed every reply).

Lesson files come from outside (a USB stick, a shared folder, a server), so
:func:`parse_lesson` treats them as hostile: a size cap, JSON nesting and types
checked, each sampler value range-checked by :mod:`tinychat.core.params`, every
text length bounded. Any problem is one sentence (:class:`LessonFileError`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinychat.core.atomic import write_text_atomically
from tinychat.core.i18n import translate
from tinychat.core.params import SPECS, GenerationParams

FORMAT = "tinychat-lesson"
VERSION = 1
SUFFIX = ".tinychat-lesson.json"
#: A lesson is a few paragraphs; anything bigger is not one.
MAX_BYTES = 64 * 1024
MAX_TITLE = 200
MAX_TEXT = 8000
MAX_PROMPTS = 20
#: Only the languages TinyChat speaks; a file may carry one or both.
LANGUAGES = ("en", "es")
#: The largest reply a lesson may ask for (no model TinyChat runs has a longer context).
MAX_NEW_TOKENS = 32768

_CTX = "LessonFile"


def _t(text: str) -> str:
    return translate(_CTX, text)


class LessonFileError(ValueError):
    """A lesson file that cannot be used; the message is one sentence saying why and what to do."""


@dataclass(frozen=True)
class LessonPreset:
    title: dict[str, str]
    params: GenerationParams
    notes: dict[str, str] = field(default_factory=dict)
    system_prompt: str = ""
    prompts: tuple[dict[str, str], ...] = ()

    def text(self, part: str, language: str) -> str:
        """``part`` ("title" or "notes") in ``language``, else in the other language, else empty."""
        return _in_language(getattr(self, part), language)

    def prompt_texts(self, language: str) -> list[str]:
        """The starter prompts in ``language`` (each falling back to the other language)."""
        return [_in_language(prompt, language) for prompt in self.prompts]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "title": dict(self.title),
            "notes": dict(self.notes),
            "system_prompt": self.system_prompt,
            "params": self.params.to_dict(),
            "prompts": [dict(prompt) for prompt in self.prompts],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _in_language(texts: dict[str, str], language: str) -> str:
    short = language.split("_")[0]
    if texts.get(short):
        return texts[short]
    return next((texts[code] for code in LANGUAGES if texts.get(code)), "")


def slug(title: str) -> str:
    """A file name for a lesson titled ``title`` (letters, digits and dashes)."""
    name = re.sub(r"[^\w]+", "-", title.lower(), flags=re.UNICODE).strip("-_")
    return (name[:60] or "lesson") + SUFFIX


# -- reading ------------------------------------------------------------------


def _texts(value: Any, what: str, limit: int, required: bool) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise LessonFileError(
            _t("Its {what} must be texts by language, like {{\"en\": \"...\", \"es\": \"...\"}}.").format(what=what)
        )
    texts: dict[str, str] = {}
    for code, text in value.items():
        if code not in LANGUAGES:
            continue  # another language: kept out rather than refused, so a later TinyChat's files still open
        if not isinstance(text, str):
            raise LessonFileError(_t("Its {what} in \"{code}\" must be text.").format(what=what, code=code))
        if len(text) > limit:
            raise LessonFileError(
                _t("Its {what} is longer than {limit} characters.").format(what=what, limit=limit)
            )
        texts[code] = text
    if required and not any(texts.values()):
        raise LessonFileError(_t("It has no {what} in English or Spanish.").format(what=what))
    return texts


def _params(value: Any) -> GenerationParams:
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise LessonFileError(_t("Its sampler values must be a list of names and numbers."))
    known = {**{name: None for name in SPECS}, "seed": None}
    values = {name: item for name, item in value.items() if name in known}
    for name, item in values.items():
        if name == "seed" and item is None:
            continue
        if isinstance(item, bool) or not isinstance(item, (int, float)):
            raise LessonFileError(_t("Its value for {name} must be a number.").format(name=name))
    params = GenerationParams().replace(**values)
    if isinstance(params.max_new_tokens, (int, float)) and params.max_new_tokens > MAX_NEW_TOKENS:
        raise LessonFileError(_t("It asks for replies of more than {limit} tokens.").format(limit=MAX_NEW_TOKENS))
    problems = params.problems()
    if problems:
        raise LessonFileError(problems[0])
    # A whole number written as 40.0 is the same value; keep the types the sliders expect.
    return params.replace(top_k=int(params.top_k), max_new_tokens=int(params.max_new_tokens))


def lesson_from_dict(data: Any) -> LessonPreset:
    """Check a decoded lesson and return it; raises LessonFileError with the first problem."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise LessonFileError(_t("It is not a TinyChat lesson."))
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise LessonFileError(_t("Its version must be a whole number from 1 up."))
    if version > VERSION:
        raise LessonFileError(_t("It was written by a newer TinyChat (lesson version {version}): update TinyChat "
                                 "to open it.").format(version=version))
    system_prompt = data.get("system_prompt", "")
    if not isinstance(system_prompt, str):
        raise LessonFileError(_t("Its system prompt must be text."))
    if len(system_prompt) > MAX_TEXT:
        raise LessonFileError(_t("Its system prompt is longer than {limit} characters.").format(limit=MAX_TEXT))
    prompts = data.get("prompts", [])
    if not isinstance(prompts, list):
        raise LessonFileError(_t("Its starter prompts must be a list."))
    if len(prompts) > MAX_PROMPTS:
        raise LessonFileError(_t("It has more than {limit} starter prompts.").format(limit=MAX_PROMPTS))
    what_prompt = _t("starter prompt")
    return LessonPreset(
        title=_texts(data.get("title"), _t("title"), MAX_TITLE, required=True),
        notes=_texts(data.get("notes"), _t("notes"), MAX_TEXT, required=False),
        system_prompt=system_prompt,
        params=_params(data.get("params")),
        prompts=tuple(_texts(prompt, what_prompt, MAX_TEXT, required=True) for prompt in prompts),
    )


def parse_lesson(raw: bytes | str) -> LessonPreset:
    """A lesson from the bytes of a file (or a server's answer); LessonFileError says what is wrong."""
    if len(raw) > MAX_BYTES:
        raise LessonFileError(_t("It is larger than {size} kB, too large for a lesson.").format(size=MAX_BYTES // 1024))
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        data = json.loads(text)
    except UnicodeDecodeError:
        raise LessonFileError(_t("It is not text (UTF-8).")) from None
    except json.JSONDecodeError as exc:
        raise LessonFileError(
            _t("It is not complete JSON (a problem at line {line}, column {column}).").format(
                line=exc.lineno, column=exc.colno
            )
        ) from None
    except RecursionError:
        raise LessonFileError(_t("Its JSON is nested too deeply.")) from None
    return lesson_from_dict(data)


def _sentence(path: Path, reason: str) -> str:
    return _t("The lesson {file} cannot be opened: {reason}").format(file=path.name, reason=reason)


def load_lesson_file(path: str | Path) -> LessonPreset:
    """Read and check a lesson file; LessonFileError is one sentence naming the file."""
    path = Path(path)
    try:
        if not path.is_file():
            raise LessonFileError(_sentence(path, _t("it is not a file.")))
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # never more than the cap, whatever the file's size
    except OSError as exc:
        raise LessonFileError(_sentence(path, exc.strerror or str(exc))) from None
    try:
        return parse_lesson(raw)
    except LessonFileError as exc:
        reason = str(exc)
        raise LessonFileError(_sentence(path, reason[:1].lower() + reason[1:])) from None


def save_lesson_file(path: str | Path, lesson: LessonPreset) -> Path:
    """Write ``lesson`` (checked first, so what is saved always opens again); raises OSError or LessonFileError."""
    lesson_from_dict(lesson.to_dict())
    text = lesson.to_json()
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise LessonFileError(_t("This lesson is larger than {size} kB: shorten its notes or prompts.").format(
            size=MAX_BYTES // 1024))
    return write_text_atomically(path, text)


def lessons_dir() -> Path:
    """Where the window saves lessons by default, and what ``tinychat serve`` shares."""
    from tinychat.core import paths

    return paths.data_dir() / "lessons"


def shared_lessons(folder: Path | None = None, limit: int = 50) -> tuple[list[LessonPreset], list[str]]:
    """The valid lessons in ``folder`` (at most ``limit``), and a sentence for each file left out."""
    folder = folder or lessons_dir()
    lessons: list[LessonPreset] = []
    problems: list[str] = []
    if not folder.is_dir():
        return lessons, problems
    for path in sorted(folder.glob("*.json"))[:limit]:
        try:
            lessons.append(load_lesson_file(path))
        except LessonFileError as exc:
            problems.append(str(exc))
    return lessons, problems
