"""Translation hook for sentences the core shows to people.

The core must not import Qt, yet its error sentences end up in the window,
which translates through Qt. The window installs Qt's translator here at
start-up; the command line keeps the identity function until it gains its
own catalogue.
"""

from __future__ import annotations

from typing import Callable

_translate: Callable[[str, str], str] = lambda context, text: text


def set_translator(func: Callable[[str, str], str]) -> None:
    global _translate
    _translate = func


def translate(context: str, text: str) -> str:
    """Translate ``text`` in ``context``; the same signature as QCoreApplication.translate."""
    return _translate(context, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Mark ``text`` for extraction into the translation files without translating it yet.

    Qt's lupdate recognises this name in Python sources, so sentences defined in
    the core are collected for translators while the core stays free of Qt.
    """
    return text
