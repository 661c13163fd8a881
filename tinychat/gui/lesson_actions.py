"""Lesson files and class sharing in the main window.

File → Open a lesson… / Save these settings as a lesson…, Teach → Share my
model with the class…, and Teach → Lessons from the server (the lessons a
server shared with ``tinychat serve`` offers, listed while connected to it).
``install_lesson_actions(window)`` expects the main window's ``param_panel``,
``prompt_edit``, ``controller``, ``show_banner`` and its File menu
(``export_action``'s menu) and Teach menu (``window.teaching.menu``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QMenu,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from tinychat.core.i18n import current_language
from tinychat.core.lesson_file import (
    SUFFIX,
    LessonFileError,
    LessonPreset,
    lessons_dir,
    load_lesson_file,
    save_lesson_file,
    slug,
)
from tinychat.core.params import GenerationParams

if TYPE_CHECKING:
    from tinychat.gui.share_panel import SharePanel


def _tr(text: str) -> str:
    return QCoreApplication.translate("LessonActions", text)


#: A lesson's title in a menu: longer titles are cut (the banner shows the whole title when it is chosen).
MENU_TITLE_CHARS = 80


def menu_text(title: str) -> str:
    """A title from outside as a menu entry's plain text: one line, cut to MENU_TITLE_CHARS, with "&" shown
    as itself rather than taken as a keyboard shortcut (and no tab, which would start a shortcut column)."""
    line = " ".join(title.split())
    if len(line) > MENU_TITLE_CHARS:
        line = line[: MENU_TITLE_CHARS - 1].rstrip() + "…"
    return line.replace("&", "&&")


def _lines(edit: QPlainTextEdit) -> list[str]:
    return [line.strip() for line in edit.toPlainText().splitlines() if line.strip()]


class LessonSaveDialog(QDialog):
    """Title, notes and starter prompts in English and Spanish for a lesson made from the window's settings."""

    def __init__(self, params: GenerationParams, system_prompt: str, prompt: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lessonSaveDialog")
        self.setWindowTitle(_tr("Save these settings as a lesson"))
        self.params = params
        self.system_prompt = system_prompt
        root = QVBoxLayout(self)
        intro = QLabel(_tr(
            "The lesson keeps the sliders, the seed and the system prompt as they are now. Write its title, "
            "what to look at, and the prompts to try (one per line) in English, Spanish or both."))
        intro.setWordWrap(True)
        root.addWidget(intro)
        form = QFormLayout()
        self.title_en, self.title_es = QLineEdit(), QLineEdit()
        self.notes_en, self.notes_es = QPlainTextEdit(), QPlainTextEdit()
        self.prompts_en, self.prompts_es = QPlainTextEdit(), QPlainTextEdit()
        for edit in (self.notes_en, self.notes_es, self.prompts_en, self.prompts_es):
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(edit.fontMetrics().lineSpacing() * 4 + 12)
        (self.prompts_es if current_language() == "es" else self.prompts_en).setPlainText(prompt)
        rows = (
            (_tr("Title (English):"), self.title_en), (_tr("Title (Spanish):"), self.title_es),
            (_tr("What it shows (English):"), self.notes_en), (_tr("What it shows (Spanish):"), self.notes_es),
            (_tr("Prompts to try (English):"), self.prompts_en), (_tr("Prompts to try (Spanish):"), self.prompts_es),
        )
        for label, edit in rows:
            edit.setAccessibleName(label.rstrip(":"))
            form.addRow(label, edit)
        root.addLayout(form)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        root.addWidget(self.problem_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)

    def lesson(self) -> LessonPreset:
        prompts_en, prompts_es = _lines(self.prompts_en), _lines(self.prompts_es)
        prompts = []
        for i in range(max(len(prompts_en), len(prompts_es))):
            texts = {"en": prompts_en[i] if i < len(prompts_en) else "", "es": prompts_es[i] if i < len(prompts_es)
                     else ""}
            prompts.append({code: text for code, text in texts.items() if text})
        titles = {"en": self.title_en.text().strip(), "es": self.title_es.text().strip()}
        notes = {"en": self.notes_en.toPlainText().strip(), "es": self.notes_es.toPlainText().strip()}
        return LessonPreset(
            title={k: v for k, v in titles.items() if v}, notes={k: v for k, v in notes.items() if v},
            system_prompt=self.system_prompt, params=self.params, prompts=tuple(prompts),
        )

    def _check(self) -> None:
        if not (self.title_en.text().strip() or self.title_es.text().strip()):
            self.problem_label.setText(_tr("Give the lesson a title in English or Spanish."))
            return
        self.accept()


class LessonActions(QObject):
    """The lesson file entries and the share panel, for the main window."""

    def __init__(self, window: QMainWindow, file_menu, teach_menu) -> None:
        super().__init__(window)
        self.window = window
        self.last_message = ""
        self.share_panel: SharePanel | None = None
        before = window.export_action
        self.open_action = QAction(_tr("Open a &lesson…"), window)
        self.open_action.setToolTip(_tr("Open a lesson file: its settings, system prompt and prompts to try"))
        self.open_action.triggered.connect(lambda: self.open_lesson())
        self.save_action = QAction(_tr("&Save these settings as a lesson…"), window)
        self.save_action.setToolTip(_tr("Keep the sliders, seed and system prompt in a file to give to students"))
        self.save_action.triggered.connect(lambda: self.save_lesson())
        file_menu.insertAction(before, self.open_action)
        file_menu.insertAction(before, self.save_action)
        file_menu.insertSeparator(before)
        self.share_action = QAction(_tr("Share my model with the &class…"), window)
        self.share_action.setObjectName("shareAction")
        self.share_action.setToolTip(_tr("Let students' TinyChat use the model loaded here, with an access key"))
        self.share_action.triggered.connect(self.open_share_panel)
        teach_menu.addSeparator()
        teach_menu.addAction(self.share_action)
        # The lessons a shared server offers, beside sharing; shown only while there are some.
        self.server_lessons: tuple[LessonPreset, ...] = ()
        self.server_menu = QMenu(_tr("Lessons from the &server"), teach_menu)
        self.server_menu.setObjectName("serverLessonsMenu")
        teach_menu.addMenu(self.server_menu)
        self.set_server_lessons(())
        window.controller.modelLoaded.connect(self._on_model_loaded)
        window.installEventFilter(self)

    # -- lessons -------------------------------------------------------------

    def _say(self, text: str, error: bool) -> None:
        self.last_message = text
        self.window.show_banner(text, error=error)

    def open_lesson(self, path: str | Path | None = None) -> LessonPreset | None:
        if path is None:
            folder = lessons_dir()
            chosen, _filter = QFileDialog.getOpenFileName(
                self.window, _tr("Open a lesson"), str(folder if folder.is_dir() else Path.home()),
                _tr("TinyChat lessons (*.json);;All files (*)"),
            )
            if not chosen:
                return None
            path = chosen
        try:
            lesson = load_lesson_file(path)
        except LessonFileError as exc:
            self._say(str(exc), error=True)
            return None
        self.apply(lesson)
        return lesson

    def apply(self, lesson: LessonPreset) -> None:
        """The lesson's sliders, seed and system prompt in the window, its first prompt in the box (not sent)."""
        window = self.window
        language = current_language()
        window.param_panel.set_params(lesson.params)
        window.param_panel.system_prompt.setPlainText(lesson.system_prompt)
        prompts = lesson.prompt_texts(language)
        if prompts:
            window.prompt_edit.setPlainText(prompts[0])
        parts = [_tr("Lesson: %1.").replace("%1", lesson.text("title", language))]
        if lesson.text("notes", language):
            parts.append(lesson.text("notes", language))
        if len(prompts) > 1:
            parts.append(_tr("Prompts to try: %1").replace("%1", " · ".join(prompts)))
        self._say(" ".join(parts), error=False)
        window.prompt_edit.setFocus()

    def set_server_lessons(self, lessons: tuple[LessonPreset, ...]) -> None:
        """List ``lessons`` (from the server in use) under Lessons from the server; none hides the entry."""
        self.server_lessons = tuple(lessons)
        self.server_menu.clear()
        language = current_language()
        for lesson in self.server_lessons:
            action = self.server_menu.addAction(menu_text(lesson.text("title", language)))
            action.triggered.connect(lambda _checked=False, chosen=lesson: self.apply(chosen))
        self.server_menu.menuAction().setVisible(bool(self.server_lessons))

    def save_lesson(self, path: str | Path | None = None, dialog: LessonSaveDialog | None = None) -> Path | None:
        window = self.window
        if dialog is None:
            dialog = LessonSaveDialog(
                window.param_panel.params(), window.param_panel.system_text(), window.prompt_edit.toPlainText(),
                window,
            )
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
        lesson = dialog.lesson()
        if path is None:
            title = lesson.text("title", current_language())
            chosen, _filter = QFileDialog.getSaveFileName(
                window, _tr("Save the lesson"), str(lessons_dir() / slug(title)),
                _tr("TinyChat lessons (*%1)").replace("%1", SUFFIX),
            )
            if not chosen:
                return None
            path = chosen
        try:
            saved = save_lesson_file(path, lesson)
        except LessonFileError as exc:
            self._say(str(exc), error=True)
            return None
        except OSError as exc:
            self._say(_tr("The lesson could not be saved in %1: %2. Choose another folder.").replace(
                "%1", str(path)).replace("%2", exc.strerror or str(exc)), error=True)
            return None
        note = ""
        if saved.parent == lessons_dir():
            note = " " + _tr("Lessons in this folder are offered to the class while you share your model.")
        self._say(_tr("Lesson saved as %1.").replace("%1", saved.name) + note, error=False)
        return saved

    # -- sharing -------------------------------------------------------------

    def _model_path(self) -> Path | None:
        info = getattr(self.window.controller, "info", None)
        return Path(info.path) if info is not None else None

    def open_share_panel(self) -> SharePanel:
        # Imported when first asked for: the window's start does not need the server's modules.
        from tinychat.gui.share_panel import SharePanel

        if self.share_panel is None:
            self.share_panel = SharePanel(self._model_path(), self.window)
        else:
            self.share_panel.set_model(self._model_path())
        self.share_panel.show()
        self.share_panel.activateWindow()
        return self.share_panel

    def _on_model_loaded(self, *_args) -> None:
        remote = getattr(self.window.controller.engine, "remote", None)
        self.set_server_lessons(getattr(remote, "lessons", ()) if remote is not None else ())
        if self.share_panel is not None:
            self.share_panel.set_model(self._model_path())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close and self.share_panel is not None:
            self.share_panel.shutdown()
        return False


def install_lesson_actions(window: QMainWindow, file_menu, teach_menu) -> LessonActions:
    """Add the lesson entries and the share action; the returned object is also kept as ``window.lessons``."""
    actions = LessonActions(window, file_menu, teach_menu)
    window.lesson_actions = actions
    return actions
