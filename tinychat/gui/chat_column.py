"""The middle column of the main window: the classroom strip, the chat (or the welcome screen) and the message box.

``ChatColumn(lessons)`` builds the widgets into ``widget``; the window keeps
them as ``classroom_strip``, ``chat_view``, ``welcome``, ``chat_stack``,
``prompt_edit``, ``send_button`` and ``stop_button``. The texts keep the
"MainWindow" translation context.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from tinychat.gui.chat_view import ChatView
from tinychat.gui.classroom_strip import ClassroomStrip
from tinychat.gui.icons import icon
from tinychat.gui.prompt_edit import PromptEdit
from tinychat.gui.welcome import WelcomeView


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class ChatColumn:
    """The widgets of the chat column, laid out in ``widget``."""

    def __init__(self, lessons) -> None:
        chat_side = self.widget = QWidget()
        chat_layout = QVBoxLayout(chat_side)
        chat_layout.setContentsMargins(0, 0, 0, 0)
        chat_layout.setSpacing(6)
        self.classroom_strip = ClassroomStrip()
        self.classroom_strip.hide()
        chat_layout.addWidget(self.classroom_strip)
        self.chat_view = ChatView()
        self.welcome = WelcomeView(lessons)
        self.chat_stack = QStackedWidget()
        self.chat_stack.setObjectName("chatStack")
        self.chat_stack.addWidget(self.welcome)
        self.chat_stack.addWidget(self.chat_view)
        chat_layout.addWidget(self.chat_stack, 1)
        prompt_row = QHBoxLayout()
        prompt_row.setSpacing(6)
        self.prompt_edit = PromptEdit()
        self.send_button = QPushButton(icon("send"), _tr("Send"))
        self.send_button.setObjectName("sendButton")
        self.send_button.setToolTip(_tr("Send the message (Enter)"))
        self.stop_button = QPushButton(icon("stop"), _tr("Stop"))
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setToolTip(_tr("Stop the reply here (Esc); the text so far is kept"))
        buttons = QVBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        prompt_row.addWidget(self.prompt_edit, 1)
        prompt_row.addLayout(buttons)
        chat_layout.addLayout(prompt_row)
