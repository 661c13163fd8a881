"""The main window's menu bar (File, Edit, View, Lessons, Teach, Help) and what its entries do.

``WindowMenus(window)`` builds the menus on a MainWindow and puts the actions
the rest of the window and its tests use back on the window (``new_action``,
``view_menu``, ``classroom_action``, ``pace_group``, ``lessons_menu``,
``help_menu``, ``panel_action`` ...). The texts keep the "MainWindow"
translation context they had when the window built the menus itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QSize, Qt, QUrl
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from tinychat.core import paths
from tinychat.gui.icons import icon

if TYPE_CHECKING:
    from tinychat.gui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class WindowMenus:
    """Builds the window's menus; owns the slots that only the menus use."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self._build_file_menu()
        from tinychat.gui.preferences import install_preferences_action

        install_preferences_action(window)
        self._build_view_menu()
        self._build_lessons_menu()
        from tinychat.gui.teaching import install_teaching_actions

        install_teaching_actions(window)
        from tinychat.gui.lesson_actions import install_lesson_actions

        install_lesson_actions(window, window.file_menu, window.teaching.menu)
        self._build_help_menu()
        self._build_panel_toggle()

    # -- building ------------------------------------------------------------

    def _build_file_menu(self) -> None:
        window = self.window
        file_menu = window.file_menu = window.menuBar().addMenu(_tr("&File"))
        window.new_action = window.sidebar.new_action
        file_menu.addAction(window.new_action)
        window.open_action = file_menu.addAction(_tr("&Open model…"), window.choose_model_file)
        window.open_action.setShortcut(QKeySequence.StandardKey.Open)
        window.manager_action = file_menu.addAction(_tr("&Model manager…"), window.open_model_manager)
        window.manager_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_M))
        file_menu.addSeparator()
        window.export_action = file_menu.addAction(_tr("&Export conversation…"), window.export_conversation)
        window.export_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_E))
        file_menu.addAction(_tr("&Import conversation…"), window.import_conversation)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(_tr("&Quit"), window.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)

    def _build_view_menu(self) -> None:
        window = self.window
        view_menu = window.view_menu = window.menuBar().addMenu(_tr("&View"))
        window.classroom_action = view_menu.addAction(_tr("&Classroom mode (large text)"))
        window.classroom_action.setCheckable(True)
        window.classroom_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        pace_menu = view_menu.addMenu(_tr("Read-along &speed"))
        window.pace_group = QActionGroup(window)
        for rate in (0, 2, 5, 10, 20):
            if rate == 0:
                label = _tr("As fast as the model goes")
            else:
                label = _tr("%1 tokens per second").replace("%1", str(rate))
            action = pace_menu.addAction(label)
            action.setCheckable(True)
            action.setData(rate)
            action.setChecked(rate == 0)
            window.pace_group.addAction(action)

    def _build_lessons_menu(self) -> None:
        from tinychat.core.i18n import current_language
        from tinychat.core.lessons import load_lessons

        window = self.window
        menu = window.lessons_menu = window.menuBar().addMenu(_tr("&Lessons"))
        language = current_language()
        for lesson in load_lessons():
            action = menu.addAction(lesson.text("title", language))
            action.setData(lesson.id)
            action.triggered.connect(lambda _checked=False, chosen=lesson: self.start_lesson(chosen, language))

    def _build_help_menu(self) -> None:
        window = self.window
        window.help_menu = window.menuBar().addMenu(_tr("&Help"))
        glossary_action = window.help_menu.addAction(_tr("&Glossary"), window.open_glossary)
        glossary_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        window.performance_action = window.help_menu.addAction(
            _tr("&Performance (speed report)…"), self.open_performance
        )
        window.help_menu.addAction(_tr("Open the &log folder"), self.open_log_folder)
        window.help_menu.addAction(_tr("&About TinyChat"), self.show_about)

    def _build_panel_toggle(self) -> None:
        """The settings panel's toggle (F9, Ctrl+Shift+P, View menu, top row) and the classroom button."""
        window = self.window
        window.panel_action = QAction(icon("settings-panel"), _tr("Settings &panel"), window)
        window.panel_action.setObjectName("panelAction")
        window.panel_action.setCheckable(True)
        window.panel_action.setChecked(True)
        window.panel_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_F9), QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_P)]
        )
        window.panel_action.setToolTip(_tr("Show or hide the settings beside the chat (F9)"))
        window.view_menu.insertAction(window.view_menu.actions()[0], window.panel_action)
        window.panel_button.setDefaultAction(window.panel_action)
        window.panel_button.setAccessibleName(_tr("Settings panel"))
        window.panel_button.setAccessibleDescription(_tr("Shows or hides the settings beside the chat (F9)"))
        window.classroom_action.setIcon(icon("classroom"))
        window.classroom_action.setToolTip(_tr("Classroom mode: large text and values for a projector (F5)"))
        window.classroom_button.setDefaultAction(window.classroom_action)
        window.classroom_button.setAccessibleName(_tr("Classroom mode"))
        window.classroom_button.setAccessibleDescription(
            _tr("Large text and large sampling values for a projector (F5)")
        )
        for button in (window.panel_button, window.classroom_button):
            button.setAutoRaise(True)
            button.setIconSize(QSize(22, 22))
        window.reset_layout_action = window.view_menu.addAction(_tr("&Reset the layout"), window.reset_layout)
        window.reset_layout_action.setToolTip(
            _tr("Give the chat, the conversations and the settings their usual widths")
        )

    # -- what the entries do -------------------------------------------------

    def set_classroom_mode(self, on: bool) -> None:
        """Projector-size text across the whole window, and the sampling values as large numbers over the chat."""
        from tinychat.gui.theme import theme_manager

        window = self.window
        app = QApplication.instance()
        normal_font = theme_manager(app).base_font()  # the text size of Preferences
        font = app.font() if on else normal_font
        if on:
            font.setPointSizeF(normal_font.pointSizeF() * 1.6)
        app.setFont(font)
        window.chat_view.setFont(font)
        window.prompt_edit.setFont(font)
        window.prompt_edit.setMaximumHeight(window.prompt_edit.fontMetrics().lineSpacing() * 6 + 16)
        # The settings keep their normal size, so the sliders stay usable beside a wide chat; the
        # strip shows the class their values. The list of conversations makes room for the chat.
        if on:
            pinned = QFont(normal_font)
            pinned.setPointSizeF(normal_font.pointSizeF())
            window.side_tabs.setFont(pinned)
        else:
            window.side_tabs.setFont(QFont())
        window.sidebar.setVisible(not on)
        window.classroom_strip.setVisible(on)
        window.classroom_strip.set_scale(2.0, font)
        side = round(QFontMetrics(font).height() * 0.9)
        for button in (
            window.send_button, window.stop_button, window.new_button, window.manager_button, window.open_button,
        ):
            button.setIconSize(QSize(side, side))
        window._show_values_on_strip()

    def start_lesson(self, lesson, language: str) -> None:
        """Put a probe prompt in the box (not sent) with its settings, and say what it shows."""
        from tinychat.core.lessons import NEUTRAL_NOTE

        window = self.window
        window.prompt_edit.setPlainText(lesson.text("prompt", language))
        # One parameter at a time: the lesson's own values, every other sampler neutral.
        window.param_panel.set_params(lesson.settings(window.param_panel.params()))
        window.show_banner(
            _tr("What this shows: %1").replace("%1", lesson.text("shows", language))
            + " " + QCoreApplication.translate("Lessons", NEUTRAL_NOTE),
            error=False,
        )
        window.prompt_edit.setFocus()

    def start_lesson_by_id(self, lesson_id: str) -> None:
        from tinychat.core.lessons import load_lessons

        for lesson in load_lessons():
            if lesson.id == lesson_id:
                self.start_lesson(lesson, QLocale().name())

    def open_log_folder(self) -> bool:
        """Show the folder of TinyChat's log in the file manager; say where it is if none opens."""
        window = self.window
        try:
            folder = paths.log_dir()
        except OSError as exc:
            window.show_banner(_tr("The log folder cannot be created: %1").replace("%1", str(exc)), error=True)
            return False
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            return True
        window.show_banner(
            _tr("No file manager could be opened; the log is in %1").replace("%1", str(folder)), error=False
        )
        return False

    def show_about(self) -> None:
        import llama_cpp
        from PySide6 import __version__ as pyside_version

        from tinychat import __version__

        QMessageBox.about(
            self.window,
            _tr("About TinyChat"),
            _tr(
                "<h3>TinyChat %1</h3><p>Chat with small language models offline, and see how they work.</p>"
                "<p>llama-cpp-python %2 · PySide6 %3</p><p>Apache-2.0</p>"
            )
            .replace("%1", __version__)
            .replace("%2", llama_cpp.__version__)
            .replace("%3", pyside_version),
        )

    def open_performance(self) -> None:
        """The speed report, on the loaded model (else the starter) with the window's threads and GPU layers."""
        from tinychat.core.catalog import starter_model_path
        from tinychat.gui.performance_window import PerformanceWindow
        from tinychat.gui.window_fit import fit_to_screen

        window = self.window
        info = window.controller.info
        options = window.model_box.load_options(window.settings)
        existing = getattr(window, "performance_window", None)
        if existing is not None and existing.running:
            existing.raise_()
            existing.activateWindow()
            return
        if existing is not None:
            existing.close()
            existing.deleteLater()
        window.performance_window = PerformanceWindow(
            info.path if info is not None else starter_model_path(),
            threads=options.n_threads,
            gpu_layers=options.n_gpu_layers,
            open_glossary=window.open_glossary,
            classroom_action=window.classroom_action,
            parent=window,
        )
        window.performance_window.setWindowFlag(Qt.WindowType.Window)
        fit_to_screen(window.performance_window, 1280, 820, near=window)
        window.performance_window.show()

    def open_glossary(self, term: str | None = None) -> None:
        from tinychat.gui.glossary_panel import GlossaryDialog

        window = self.window
        if getattr(window, "glossary", None) is None:
            window.glossary = GlossaryDialog(window)
            teaching = getattr(window, "teaching", None)
            if teaching is not None:  # "Try it" links open the Look-inside window on that view
                window.glossary.panel.tryRequested.connect(teaching.open_inside_at)
        if window.classroom_action.isChecked():
            window.glossary.panel.set_font_scale(1.6)
        if term:
            window.glossary.show_term(term)
        else:
            window.glossary.show()
            window.glossary.activateWindow()
