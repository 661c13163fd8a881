"""One language for everything TinyChat shows, and the translation hook for the core's sentences.

:func:`current_language` is the only place that decides the language: the
window's menus (Qt's translator), the lessons, the glossary, number formats
and the command line's messages all ask it. The choice, strongest first:

1. ``TINYCHAT_LANG`` (``es``, ``en``, or a locale name such as ``es_MX``);
2. the language chosen in Preferences (set here with :func:`set_preferred_language`);
3. the system's: ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` (in the order POSIX reads
   them), else what the window's toolkit reports (Windows and macOS set no such
   variables), else, on Windows without the toolkit, the user's locale as
   Python reads it, else English.

The core must not import Qt, yet its error sentences end up in the window,
which translates through Qt: the window installs Qt's translator here at
start-up. The command line installs :class:`TsCatalogue`, which reads the same
Spanish catalogue (``tinychat_es.ts``) with the standard library, so that it
stays fast and never loads Qt just to print a sentence.
"""

from __future__ import annotations

import logging
import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from collections.abc import Callable

log = logging.getLogger("tinychat.i18n")

#: The languages TinyChat is written in; anything else is shown in English.
LANGUAGES: tuple[str, ...] = ("en", "es")
DEFAULT_LANGUAGE = "en"
ENV_LANG = "TINYCHAT_LANG"
#: The value of the language preference that means "follow the system".
SYSTEM = "system"
#: The locale variables that name the language of messages, in the order POSIX consults them.
LOCALE_VARIABLES: tuple[str, ...] = ("LC_ALL", "LC_MESSAGES", "LANG")

def _untranslated(context: str, text: str) -> str:
    return text


_translate: Callable[[str, str], str] = _untranslated
_preferred: str = SYSTEM
_toolkit_language: str | None = None


def set_translator(func: Callable[[str, str], str]) -> None:
    global _translate
    _translate = func


def translate(context: str, text: str) -> str:
    """Translate ``text`` in ``context``; the same signature as QCoreApplication.translate."""
    return _translate(context, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark ``text`` for extraction into the translation files without translating it yet.

    Qt's lupdate recognises this name in Python sources, so sentences defined in
    the core are collected for translators while the core stays free of Qt.
    """
    return text


# -- which language -------------------------------------------------------------


def normalize_language(language: str | None) -> str:
    """``"es_MX"``, ``"es-419"``, ``"es_ES.UTF-8"`` or ``"ES"`` become ``"es"``; anything else becomes English."""
    if not language:
        return DEFAULT_LANGUAGE
    code = language.strip().replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def set_preferred_language(choice: str | None) -> None:
    """The language chosen in Preferences: a code from :data:`LANGUAGES`, or :data:`SYSTEM`."""
    global _preferred
    _preferred = choice if choice in LANGUAGES else SYSTEM


def preferred_language() -> str:
    return _preferred


def set_toolkit_language(name: str | None) -> None:
    """What the window's toolkit says the system language is, used when no locale variable is set."""
    global _toolkit_language
    _toolkit_language = name or None


def system_language() -> str:
    """The system's language: the first locale variable that is set, else the toolkit's, else English.

    ``C`` and ``POSIX`` (the locale of containers and scripts) mean English.
    """
    for name in LOCALE_VARIABLES:
        value = os.environ.get(name, "").strip()
        if value:
            return normalize_language(value)
    if _toolkit_language is None and sys.platform == "win32":
        return _windows_language()
    return normalize_language(_toolkit_language)


def _windows_language() -> str:
    """The user's language on Windows, where the command line has no locale variables and no Qt.

    Python sets LC_CTYPE to the user's locale at start; Windows names it in
    English words ("Spanish_Mexico") or, on newer systems, as "es-MX".
    """
    import locale

    name = (locale.getlocale(locale.LC_CTYPE)[0] or "").lower()
    if name.startswith("spanish"):
        return "es"
    return normalize_language(name)


def language_override() -> str | None:
    """The language ``TINYCHAT_LANG`` asks for, or None when it is not set."""
    value = os.environ.get(ENV_LANG, "").strip()
    return normalize_language(value) if value else None


def current_language() -> str:
    """The language TinyChat speaks now ("en" or "es"): ``TINYCHAT_LANG``, else the preference, else the system's."""
    override = language_override()
    if override:
        return override
    if _preferred in LANGUAGES:
        return _preferred
    return system_language()


# -- the command line's catalogue -------------------------------------------------


class TsCatalogue:
    """The finished translations of a Qt ``.ts`` file, for code that runs without Qt.

    The command line reads the same catalogue as the window so that a sentence
    is translated once. It parses the XML source rather than the compiled
    ``.qm`` because the standard library reads XML (the ``.qm`` format is Qt's
    own binary layout), and it takes only what lrelease would compile: messages
    whose translation is finished.
    """

    def __init__(self, messages: dict[tuple[str, str], str]) -> None:
        self.messages = messages

    @classmethod
    def load(cls, path: Path) -> TsCatalogue:
        """Read ``path``; raises OSError or ET.ParseError when it is missing or unreadable."""
        root = ET.parse(path).getroot()
        messages: dict[tuple[str, str], str] = {}
        for context in root.iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                source = message.findtext("source")
                translation = message.find("translation")
                if (
                    source is None
                    or translation is None
                    or translation.get("type") in ("unfinished", "obsolete", "vanished")
                ):
                    continue
                if translation.text:
                    messages[(name, source)] = translation.text
        return cls(messages)

    def translate(self, context: str, text: str) -> str:
        return self.messages.get((context, text), text)


def catalogue_path(language: str, folder: Path | None = None) -> Path:
    if folder is None:
        from tinychat.core import paths

        folder = paths.resources_dir() / "translations"
    return folder / f"tinychat_{language}.ts"


def install_catalogue(language: str | None = None, folder: Path | None = None) -> str:
    """Translate the core's and the command line's sentences into ``language`` (default: the current one), without Qt.

    Returns a sentence for the log when the catalogue is missing or unreadable
    (the texts then stay in English), else "".
    """
    language = language or current_language()
    if language == DEFAULT_LANGUAGE:
        set_translator(lambda context, text: text)
        return ""
    path = catalogue_path(language, folder)
    if not path.is_file():
        set_translator(lambda context, text: text)
        return f"The translation file {path} could not be read (it is missing); messages are shown in English."
    set_translator(_LazyCatalogue(path).translate)
    return ""


class _LazyCatalogue:
    """Reads the catalogue on the first sentence translated.

    Starting the window also passes through the command line's set-up, and the
    window replaces this translator with Qt's before it translates anything:
    it never pays for parsing the XML.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.catalogue: TsCatalogue | None = None

    def translate(self, context: str, text: str) -> str:
        if self.catalogue is None:
            try:
                self.catalogue = TsCatalogue.load(self.path)
            except (OSError, ET.ParseError) as exc:
                log.warning(
                    "The translation file %s could not be read (%s); messages are shown in English.", self.path, exc
                )
                self.catalogue = TsCatalogue({})
        return self.catalogue.translate(context, text)


# -- numbers --------------------------------------------------------------------

#: Decimal and thousands separators per language, as Qt's QLocale (CLDR) writes them.
_SEPARATORS: dict[str, tuple[str, str]] = {"en": (".", ","), "es": (",", ".")}
#: Spanish leaves four-digit numbers ungrouped (CLDR's minimum grouping digits: "4096", but "49.152").
_MIN_GROUPING: dict[str, int] = {"en": 1, "es": 2}


def format_number(value: float, decimals: int | None = 0, language: str | None = None) -> str:
    """``value`` with ``decimals`` decimals (None: as few as it needs), in the separators of ``language``.

    ``language`` defaults to the current one.

    The window formats numbers with Qt's QLocale; the command line cannot load
    Qt for that, and the two languages' rules are two separators and one
    grouping rule, so they are written out here. A test checks this against
    QLocale for both languages.
    """
    language = normalize_language(language or current_language())
    decimal_sep, group_sep = _SEPARATORS[language]
    text = f"{abs(value):g}" if decimals is None else f"{abs(value):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    if len(whole) >= 4 + _MIN_GROUPING[language] - 1:
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = group_sep.join([whole, *groups])
    sign = "-" if value < 0 else ""
    return sign + whole + (decimal_sep + fraction if fraction else "")


def format_percent(fraction: float, decimals: int = 1, language: str | None = None) -> str:
    """``0.195`` as "19.5%" (English) or "19,5%" (Spanish)."""
    return format_number(fraction * 100, decimals, language) + "%"
