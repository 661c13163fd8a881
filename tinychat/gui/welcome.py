"""What the chat area shows before a conversation starts: a first screen that teaches.

It says which model is loaded, offers three prompts to try and the lessons,
says in one sentence what the sliders do, and where more models come from.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from tinychat.core.i18n import QT_TRANSLATE_NOOP
from tinychat.gui.icons import icon

#: Three first prompts that work even with the 135M starter model (translated for Spanish classes).
_PROMPTS = (
    QT_TRANSLATE_NOOP("Welcome", "What is the capital of France?"),
    QT_TRANSLATE_NOOP("Welcome", "Write a short poem about the sea."),
    QT_TRANSLATE_NOOP("Welcome", "Give me three tips for studying for an exam."),
)


def suggested_prompts() -> list[str]:
    return [QCoreApplication.translate("Welcome", text) for text in _PROMPTS]


def _heading(text: str, scale: float = 1.15) -> QLabel:
    label = QLabel(text)
    label.setProperty("headingScale", scale)
    label.setWordWrap(True)
    return label


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class WelcomeView(QScrollArea):
    """The empty chat's first screen. Clicking a prompt or a lesson asks the window to use it."""

    promptChosen = Signal(str)
    lessonChosen = Signal(str)  # lesson id
    modelsRequested = Signal()

    def __init__(self, lessons=(), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeView")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(self.tr("Getting started"))
        self.viewport().setBackgroundRole(QPalette.ColorRole.Base)
        page = QWidget()
        page.setBackgroundRole(QPalette.ColorRole.Base)
        page.setForegroundRole(QPalette.ColorRole.Text)
        outer = QHBoxLayout(page)
        outer.setContentsMargins(24, 20, 24, 20)
        column = QVBoxLayout()
        column.setSpacing(10)
        outer.addStretch(1)
        outer.addLayout(column, 8)
        outer.addStretch(1)

        column.addWidget(_heading(self.tr("Welcome to TinyChat"), 1.4))
        self.model_line = _wrapped("")
        self.model_line.setObjectName("welcomeModel")
        column.addWidget(self.model_line)
        models_row = QHBoxLayout()
        self.models_button = QPushButton(icon("models"), self.tr("Get more models…"))
        self.models_button.setObjectName("welcomeModels")
        self.models_button.setToolTip(self.tr("Open the model manager (Ctrl+M)"))
        self.models_button.setAccessibleDescription(
            self.tr("Opens the model manager, which downloads models from Hugging Face and imports files")
        )
        self.models_button.clicked.connect(self.modelsRequested)
        models_row.addWidget(self.models_button, 0, Qt.AlignmentFlag.AlignTop)
        self.models_line = _wrapped(
            self.tr("The model manager downloads models from Hugging Face and imports files you already have.")
        )
        models_row.addWidget(self.models_line, 1)
        column.addLayout(models_row)

        column.addSpacing(8)
        column.addWidget(_heading(self.tr("Try one of these")))
        self.prompt_buttons: list[QPushButton] = []
        for text in suggested_prompts():
            button = self._choice_button(text, "prompt")
            button.setToolTip(self.tr("Send this prompt to the model"))
            button.setAccessibleDescription(self.tr("Sends this prompt to the model"))
            button.clicked.connect(lambda _checked=False, chosen=text: self.promptChosen.emit(chosen))
            column.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.prompt_buttons.append(button)

        self.lesson_buttons: list[QPushButton] = []
        if lessons:
            column.addSpacing(8)
            column.addWidget(_heading(self.tr("Lessons")))
            self.lesson_grid = QGridLayout()
            self.lesson_grid.setHorizontalSpacing(8)
            self.lesson_grid.setVerticalSpacing(6)
            language = QLocale().name()
            for lesson in lessons:
                button = self._choice_button(lesson.text("title", language), "lesson")
                button.setToolTip(
                    self.tr("Put this lesson's prompt and settings in place, with a note on what it shows")
                )
                button.setAccessibleDescription(
                    self.tr("Puts this lesson's prompt and settings in place, with a note on what it shows")
                )
                button.clicked.connect(lambda _checked=False, chosen=lesson.id: self.lessonChosen.emit(chosen))
                self.lesson_buttons.append(button)
            self._columns = 0
            self._place_lessons(1)
            column.addLayout(self.lesson_grid)

        column.addSpacing(8)
        column.addWidget(_heading(self.tr("The sliders")))
        self.sliders_line = _wrapped(
            self.tr(
                "The sliders beside the chat change how the next reply is written: temperature makes it more "
                "or less surprising, top-k and top-p limit which words can come next, and max new tokens "
                "limits its length."
            )
        )
        column.addWidget(self.sliders_line)
        column.addStretch(1)
        self.setWidget(page)
        self._apply_heading_fonts()
        self.set_model("", loaded=False)

    def _apply_heading_fonts(self) -> None:
        """Headings a little larger than the page's font, whatever that is (classroom mode enlarges it)."""
        base = self.font()
        for label in self.findChildren(QLabel):
            scale = label.property("headingScale")
            if scale:
                font = QFont(base)
                font.setBold(True)
                if base.pointSizeF() > 0:
                    font.setPointSizeF(base.pointSizeF() * float(scale))
                label.setFont(font)

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._apply_heading_fonts()

    def _place_lessons(self, columns: int) -> None:
        """The lesson buttons in one column, or two when the chat is wide enough for them."""
        if columns == self._columns:
            return
        self._columns = columns
        for button in self.lesson_buttons:
            self.lesson_grid.removeWidget(button)
        for i, button in enumerate(self.lesson_buttons):
            self.lesson_grid.addWidget(button, i // columns, i % columns, Qt.AlignmentFlag.AlignLeft)
        self.lesson_grid.setColumnStretch(columns, 1)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.lesson_buttons:
            widest = max(button.sizeHint().width() for button in self.lesson_buttons)
            room = (self.viewport().width() - 2 * 24) * 8 // 10
            self._place_lessons(2 if room >= 2 * widest + 8 else 1)

    def _choice_button(self, text: str, icon_name: str) -> QPushButton:
        button = QPushButton(icon(icon_name), text)
        button.setIconSize(QSize(18, 18))
        button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        button.setAccessibleName(text)
        return button

    def set_model(self, name: str, loaded: bool) -> None:
        """Say which model answers (``name`` is shown as plain text, whatever it contains)."""
        if loaded:
            self.model_line.setText(self.tr("The model loaded is %1.").replace("%1", name))
        elif name:
            self.model_line.setText(name)
        else:
            self.model_line.setText(self.tr("No model is loaded yet: open one, or get one from the model manager."))
        for button in self.prompt_buttons:
            button.setEnabled(loaded)
