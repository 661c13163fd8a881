"""Checks shared by the layout, accessibility and screenshot tests: what a person (or a screen reader) would miss."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QAccessible
from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QStyle,
    QStyleOptionComboBox,
    QTabWidget,
    QWidget,
)

SIZES = ((1600, 1000), (1024, 768))

_R = QAccessible.Role
INTERACTIVE_ROLES = {
    _R.PushButton, _R.CheckBox, _R.RadioButton, _R.ComboBox, _R.SpinBox, _R.Slider, _R.EditableText,
    _R.List, _R.Table, _R.Tree, _R.PageTab, _R.PageTabList, _R.ButtonMenu, _R.ButtonDropDown, _R.Link, _R.Dial,
}


def clipped_widgets(window: QWidget) -> list[str]:
    """Visible labels, number boxes, buttons and list boxes narrower than they need to show their whole text."""
    found = []
    for combo in window.findChildren(QComboBox):
        # A list box shows its chosen item: that text must fit.
        if combo.isVisible() and combo.width() > 0:
            option = QStyleOptionComboBox()
            combo.initStyleOption(option)
            text = QSize(combo.fontMetrics().horizontalAdvance(combo.currentText()), combo.fontMetrics().height())
            needed = combo.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, option, text, combo).width()
            if combo.width() < needed:
                found.append(
                    f"QComboBox {combo.objectName() or '?'} {combo.currentText()!r}: {combo.width()} px < {needed} px"
                )
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, (QLabel, QAbstractSpinBox, QAbstractButton)):
            continue
        if widget.width() <= 0 or widget.height() <= 0:
            continue
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed = widget.minimumSizeHint().width()
        else:
            needed = widget.sizeHint().width()
        if widget.width() < needed:
            text = widget.text() if hasattr(widget, "text") else ""
            found.append(
                f"{type(widget).__name__} {widget.objectName() or '?'} {text!r}: {widget.width()} px < {needed} px"
            )
    return found


def _walk(iface, out):
    if iface is None or not iface.isValid():
        return out
    out.append(iface)
    for i in range(iface.childCount()):
        _walk(iface.child(i), out)
    return out


def unnamed_controls(window: QWidget) -> list[str]:
    """Interactive controls, found through the accessibility tree, without a name or a description.

    Every page of every tab widget is visited. A tab bar's own description is not
    checked: Qt's tab bar interface reports only its tabs' descriptions (the tooltips).
    """
    problems: set[str] = set()

    def check() -> None:
        QApplication.processEvents()
        for iface in _walk(QAccessible.queryAccessibleInterface(window), []):
            if iface.state().invisible or iface.role() not in INTERACTIVE_ROLES:
                continue
            obj = iface.object()
            where = f"{iface.role().name} {type(obj).__name__ if obj else 'item'} {obj.objectName() if obj else ''}"
            if not iface.text(QAccessible.Text.Name).strip():
                problems.add(f"no name: {where}")
            if iface.role() != _R.PageTabList and not iface.text(QAccessible.Text.Description).strip():
                problems.add(f"no description: {where} {iface.text(QAccessible.Text.Name)!r}")

    check()
    for tabs in window.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        current = tabs.currentIndex()
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            check()
        tabs.setCurrentIndex(current)
    return sorted(problems)


@contextmanager
def language(code: str):
    """TinyChat's and Qt's translations for ``code`` while the block runs (windows must be built inside it)."""
    from tinychat.app import _install_translations, create_app

    app = create_app()
    before = QLocale()  # before installing: that sets the default locale too
    installed = _install_translations(app, code) if code != "en" else []
    # As on a computer set to that language: lessons, glossary and numbers follow the locale too.
    QLocale.setDefault(QLocale(code))
    try:
        yield code
    finally:
        QLocale.setDefault(before)
        for translator in installed:
            QCoreApplication.removeTranslator(translator)


def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go: $TINYCHAT_SCREENSHOTS when set (to look at them afterwards), else the test's tmp folder."""
    folder = Path(os.environ.get("TINYCHAT_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def settle(rounds: int = 5) -> None:
    for _ in range(rounds):
        QApplication.processEvents()


__all__ = ["SIZES", "clipped_widgets", "language", "screenshot_dir", "settle", "unnamed_controls"]
