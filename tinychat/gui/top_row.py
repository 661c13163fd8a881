"""The row across the top of the main window: the model's name, the loading bar and the window's buttons.

``TopRow()`` builds the widgets and ``layout``; the window keeps them as
``model_label``, ``loading_bar``, ``new_button``, ``manager_button``,
``open_button``, ``classroom_button`` and ``panel_button``. The texts keep
the "MainWindow" translation context.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QToolButton

from tinychat.gui.icons import icon
from tinychat.gui.plaintext import plain


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class TopRow:
    """The widgets of the top row, laid out in ``layout``."""

    def __init__(self) -> None:
        top = self.layout = QHBoxLayout()
        top.setSpacing(6)
        self.model_label = plain(QLabel(_tr("No model loaded")))
        self.model_label.setObjectName("modelLabel")
        self.model_label.setTextFormat(Qt.TextFormat.PlainText)
        self.model_label.setAccessibleDescription(_tr("The model that writes the replies"))
        font = self.model_label.font()
        font.setBold(True)
        self.model_label.setFont(font)
        self.loading_bar = QProgressBar()
        self.loading_bar.setObjectName("loadingBar")
        self.loading_bar.setRange(0, 0)
        self.loading_bar.setMaximumWidth(160)
        self.loading_bar.setTextVisible(False)
        self.loading_bar.setAccessibleName(_tr("Loading the model"))
        self.loading_bar.hide()
        self.open_button = QPushButton(icon("open"), _tr("Open model…"))
        self.open_button.setObjectName("openModel")
        self.open_button.setToolTip(_tr("Load a .gguf model file from disk"))
        self.new_button = QPushButton(icon("new-chat"), _tr("New conversation"))
        self.new_button.setObjectName("newConversation")
        self.new_button.setToolTip(_tr("Start a new conversation (Ctrl+N)"))
        top.addWidget(self.model_label)
        top.addWidget(self.loading_bar)
        top.addStretch(1)
        self.manager_button = QPushButton(icon("models"), _tr("Models…"))
        self.manager_button.setObjectName("modelManager")
        self.manager_button.setToolTip(_tr("Download models from Hugging Face, import or delete them (Ctrl+M)"))
        top.addWidget(self.new_button)
        top.addWidget(self.manager_button)
        top.addWidget(self.open_button)
        self.classroom_button = QToolButton()
        self.classroom_button.setObjectName("classroomButton")
        self.panel_button = QToolButton()
        self.panel_button.setObjectName("panelButton")
        top.addSpacing(6)
        top.addWidget(self.classroom_button)
        top.addWidget(self.panel_button)
