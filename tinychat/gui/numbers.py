"""Numbers as the chosen language writes them ("19,5" and "49.152" in Spanish), through QLocale.

The application sets QLocale's default to TinyChat's language at start-up
(tinychat.app), so every widget and these helpers agree;
tinychat.core.i18n.format_number writes the same for the command line.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale


def number(value: float, decimals: int = 0) -> str:
    if decimals:
        return QLocale().toString(float(value), "f", decimals)
    return QLocale().toString(round(value))


def percent(fraction: float, decimals: int = 1) -> str:
    """``0.195`` as "19.5%" or "19,5%"."""
    return number(fraction * 100, decimals) + "%"
