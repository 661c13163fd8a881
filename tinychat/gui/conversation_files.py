"""Export the main window's conversation to a file, and import one from a file.

Functions of the window (its ``conversation``, ``store``, ``sidebar``,
``show_banner`` and status bar) rather than of the conversation alone, because
they ask for a file name and report in the window. The texts keep the
"MainWindow" translation context.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog

from tinychat.core.store import StoreError

if TYPE_CHECKING:
    from tinychat.gui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def export_conversation(window: MainWindow, path: str | None = None) -> bool:
    """Save the conversation on screen as Markdown (readable) or JSON (complete, re-importable)."""
    from tinychat.core.export import ExportError, export_conversation, write_text_atomically

    conversation_id = window.conversation.conversation_id
    if conversation_id is None:
        window.statusBar().showMessage(_tr("There is no conversation to export yet."), 5000)
        return False
    if path is None:
        title = window.store.conversation(conversation_id).title or "conversation"
        safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in title).strip()[:60] or "conversation"
        path, _ = QFileDialog.getSaveFileName(
            window, _tr("Export conversation"), str(Path.home() / f"{safe}.md"),
            _tr("Markdown (*.md);;JSON, complete (*.json)"),
        )
        if not path:
            return False
    fmt = "json" if path.lower().endswith(".json") else "md"
    try:
        write_text_atomically(path, export_conversation(window.store, conversation_id, fmt))
    except (ExportError, StoreError, OSError) as exc:
        window.show_banner(_tr("The conversation was not exported: %1").replace("%1", str(exc)), error=True)
        return False
    window.statusBar().showMessage(_tr("Exported to %1").replace("%1", path), 6000)
    return True


def import_conversation(window: MainWindow, path: str | None = None) -> bool:
    """Add a conversation exported as JSON to the list, and open it."""
    from tinychat.core.export import ImportFileError, import_file

    if path is None:
        path, _ = QFileDialog.getOpenFileName(
            window, _tr("Import conversation"), str(Path.home()), _tr("TinyChat conversations (*.json)")
        )
        if not path:
            return False
    try:
        conversation_id = import_file(window.store, path)
    except (ImportFileError, StoreError, OSError) as exc:
        window.show_banner(str(exc), error=True)
        return False
    window.sidebar.refresh()
    window.sidebar.select_conversation(conversation_id)
    return True
