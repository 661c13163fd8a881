"""What the main window looks like at the next start: the conversation, classroom mode, the probability view,
the layout.

The window calls :func:`restore_window_state` once it is built and
:func:`remember_window_state` before it saves its settings. The geometry and
the splitter are restored by the window itself (settings.window_geometry and
settings.window_state); this adds the rest.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QCoreApplication, QTimer
from PySide6.QtWidgets import QMainWindow

from tinychat.core.settings import Settings
from tinychat.core.store import StoreError


def _bytes(text: str) -> QByteArray:
    return QByteArray.fromBase64(text.encode("ascii"))


def _text(data: QByteArray) -> str:
    return bytes(data.toBase64()).decode("ascii")


def restore_window_state(window: QMainWindow, settings: Settings) -> None:
    if settings.main_window_state:
        window.restoreState(_bytes(settings.main_window_state))
    if settings.classroom_mode:
        window.classroom_action.setChecked(True)
    teaching = getattr(window, "teaching", None)
    if settings.probability_view and teaching is not None:
        teaching.probs_action.setChecked(True)
    if settings.window_state and hasattr(window, "splitter"):
        # Again, now that classroom mode has set the text size the panes' minimum widths depend on.
        window.splitter.restoreState(_bytes(settings.window_state))
    if settings.last_conversation is not None:
        try:
            last = window.store.conversation(settings.last_conversation)
        except StoreError:
            last = None  # gone, or the store is a temporary one: start with a new conversation
        if last is not None and not last.deleted:
            window.open_conversation(settings.last_conversation)
    notices = [getattr(window.store, "notice", ""), settings.notice()]
    app = QCoreApplication.instance()
    if app is not None and app.property("translationNotice"):
        window.statusBar().showMessage(str(app.property("translationNotice")), 15000)
    from tinychat.core.preferences import data_dir_problem

    problem = data_dir_problem()
    if problem:
        if not notices[0]:  # the store has not already said that the folder is unusable
            notices.append(problem)
        notices.append(QCoreApplication.translate("Preferences", "Choose another data folder in Edit → Preferences."))
    text = " ".join(n for n in notices if n)
    if text:
        # After the constructor: loading the first model clears the banner, and a missing
        # starter model puts its own sentence there; this one goes first, the other stays.
        QTimer.singleShot(0, lambda: _show_first(window, text))


def _show_first(window: QMainWindow, text: str) -> None:
    if window.banner.isVisible() and window.banner.text() and text not in window.banner.text():
        text = f"{text} {window.banner.text()}"
    window.show_banner(text, error=True)


def remember_window_state(window: QMainWindow, settings: Settings) -> None:
    settings.main_window_state = _text(window.saveState())
    settings.classroom_mode = window.classroom_action.isChecked()
    teaching = getattr(window, "teaching", None)
    settings.probability_view = bool(teaching is not None and teaching.probs_action.isChecked())
    conversation_id = window.conversation.conversation_id
    settings.last_conversation = conversation_id if conversation_id is not None and conversation_id >= 0 else None
