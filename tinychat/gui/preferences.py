"""The Preferences dialog (Edit → Preferences…, Ctrl+,).

Theme and text size apply while the dialog is open (Cancel puts them back);
the models folder and the model options apply on OK; the language and the
data folder apply at the next start, and the dialog says so beside them: the
window's texts are set once when it is built, and switching the data folder
under an open conversation would split it across two folders.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tinychat.core import i18n, paths
from tinychat.gui.load_controls import GpuLayersBox, batch_box, flash_attn_combo, threads_box
from tinychat.core.preferences import choose_data_dir, writable_problem
from tinychat.core.settings import TEXT_SCALE_RANGE, Settings, save_settings
from tinychat.gui.theme import theme_manager
from tinychat.gui.window_fit import fit_to_screen
import contextlib


def _tr(text: str) -> str:
    return QCoreApplication.translate("Preferences", text)


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


class _FolderField(QWidget):
    """A folder path with a Choose… button."""

    def __init__(self, placeholder: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setClearButtonEnabled(True)
        self.button = QPushButton(self.tr("Choose…"))
        self._title = title
        self.button.clicked.connect(self._choose)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)

    def _choose(self) -> None:
        start = self.edit.text() or self.edit.placeholderText()
        folder = QFileDialog.getExistingDirectory(self, self._title, start)
        if folder:
            self.edit.setText(folder)

    def text(self) -> str:
        return self.edit.text().strip()


class PreferencesDialog(QDialog):
    """Edits ``settings`` (the window's Settings object); saves them on OK."""

    #: Emitted after OK with the settings as they are now.
    applied = Signal(object)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle(self.tr("Preferences"))
        self.settings = settings
        self.themes = theme_manager()
        self._theme_before = self.themes.choice
        self._scale_before = self.themes.scale
        self.restart_needed = False

        appearance = QGroupBox(self.tr("Appearance"))
        form = self._form(appearance)

        self.language = QComboBox()
        self.language.setObjectName("prefLanguage")
        system_name = self.tr("Spanish") if i18n.system_language() == "es" else self.tr("English")
        self.language.addItem(self.tr("Follow the system (%1)").replace("%1", system_name), "system")
        self.language.addItem("English", "en")
        self.language.addItem("Español", "es")
        self._select(self.language, settings.language)
        self.language_note = _note(self.tr("Applies when TinyChat starts again."))
        override = i18n.language_override()
        if override:
            self.language_note.setText(
                self.tr("TINYCHAT_LANG is set to Spanish, so TinyChat is in Spanish whatever you choose here.")
                if override == "es"
                else self.tr("TINYCHAT_LANG is set to English, so TinyChat is in English whatever you choose here.")
            )
        form.addRow(self._label(self.tr("&Language:"), self.language), self.language)
        form.addRow("", self.language_note)

        self.theme = QComboBox()
        self.theme.setObjectName("prefTheme")
        self.theme.addItem(self.tr("Follow the system"), "system")
        self.theme.addItem(self.tr("Light"), "light")
        self.theme.addItem(self.tr("Dark"), "dark")
        self._select(self.theme, settings.theme)
        self.theme.currentIndexChanged.connect(lambda _i: self.themes.apply(self.theme.currentData()))
        form.addRow(self._label(self.tr("&Theme:"), self.theme), self.theme)

        self.text_scale = QSpinBox()
        self.text_scale.setObjectName("prefTextScale")
        self.text_scale.setRange(*TEXT_SCALE_RANGE)
        self.text_scale.setSingleStep(10)
        self.text_scale.setSuffix(" %")
        self.text_scale.setValue(settings.text_scale)
        self.text_scale.setToolTip(
            self.tr("The size of all text, in percent of the system's. Classroom mode (F5) enlarges it further.")
        )
        self.text_scale.valueChanged.connect(self.themes.set_text_scale)
        form.addRow(self._label(self.tr("Te&xt size:"), self.text_scale), self.text_scale)

        model_group = QGroupBox(self.tr("Model"))
        form = self._form(model_group)
        self.default_model = QComboBox()
        self.default_model.setObjectName("prefDefaultModel")
        self._fill_models()
        form.addRow(self._label(self.tr("&Default model:"), self.default_model), self.default_model)

        self.threads = threads_box(settings.n_threads)
        self.threads.setObjectName("prefThreads")
        form.addRow(self._label(self.tr("CPU t&hreads:"), self.threads), self.threads)

        self.batch_size = batch_box(settings.n_batch)
        self.batch_size.setObjectName("prefBatchSize")
        form.addRow(self._label(self.tr("&Batch size:"), self.batch_size), self.batch_size)

        self.context_size = QSpinBox()
        self.context_size.setObjectName("prefContextSize")
        self.context_size.setRange(0, 1_048_576)
        self.context_size.setSingleStep(512)
        self.context_size.setSpecialValueText(self.tr("automatic"))
        self.context_size.setValue(settings.n_ctx)
        self.context_size.setToolTip(
            self.tr("How many tokens the model can read at once. Larger needs more memory. Automatic: up to 4096.")
        )
        form.addRow(self._label(self.tr("&Context window:"), self.context_size), self.context_size)

        self.gpu_layers = GpuLayersBox()
        self.gpu_layers.setObjectName("prefGpuLayers")
        if self.gpu_layers.isEnabled():
            self.gpu_layers.setValue(settings.n_gpu_layers)
        form.addRow(self._label(self.tr("&GPU layers:"), self.gpu_layers), self.gpu_layers)

        self.flash_attn = flash_attn_combo(settings.flash_attn)
        self.flash_attn.setObjectName("prefFlashAttn")
        form.addRow(self._label(self.tr("&Flash attention:"), self.flash_attn), self.flash_attn)
        form.addRow("", _note(self.tr("These apply when a model is next loaded.")))

        folders = QGroupBox(self.tr("Folders"))
        form = self._form(folders)
        self.models_dir = _FolderField(str(paths.default_models_dir()), self.tr("Models folder"))
        self.models_dir.setObjectName("prefModelsDir")
        self.models_dir.edit.setText(settings.models_dir)
        form.addRow(self._label(self.tr("&Models folder:"), self.models_dir.edit), self.models_dir)

        self.data_dir = _FolderField(str(paths.default_data_dir()), self.tr("Data folder"))
        self.data_dir.setObjectName("prefDataDir")
        self._data_dir_before = str(paths.data_dir())
        self.data_dir.edit.setText(
            "" if self._data_dir_before == str(paths.default_data_dir()) else self._data_dir_before
        )
        if paths.data_dir_is_overridden():
            self.data_dir.setEnabled(False)
            data_note = self.tr("Set by --data-dir or TINYCHAT_DATA_DIR for this run: %1").replace(
                "%1", self._data_dir_before
            )
        else:
            data_note = self.tr(
                "Conversations, settings and models. Applies when TinyChat starts again; "
                "what is in the current folder stays there."
            )
        form.addRow(self._label(self.tr("D&ata folder:"), self.data_dir.edit), self.data_dir)
        self.data_dir_note = _note(data_note)
        form.addRow("", self.data_dir_note)

        self.problem = QLabel()
        self.problem.setObjectName("prefProblem")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setStyleSheet("color: #c62828; font-weight: bold;")
        self.problem.hide()
        self.read_only_note = _note(
            self.tr("Your settings file is kept as it is, so these changes last until TinyChat closes.")
        )
        self.read_only_note.setVisible(settings.read_only)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        self.setMinimumWidth(640)

        layout = QVBoxLayout(self)
        for group in (appearance, model_group, folders):
            layout.addWidget(group)
        layout.addWidget(self.read_only_note)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        layout.addWidget(buttons)
        # Qt opens a dialog at most two thirds of the screen high, which squashed the model options'
        # boxes on a 768-pixel screen; it gets the height its rows need, within the screen.
        hint = self.sizeHint()
        fit_to_screen(self, hint.width(), hint.height(), near=parent, center=False)

    @staticmethod
    def _form(group: QGroupBox) -> QFormLayout:
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    @staticmethod
    def _select(combo: QComboBox, data: str) -> None:
        combo.setCurrentIndex(max(0, combo.findData(data)))

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    def _fill_models(self) -> None:
        from tinychat.core.catalog import starter_model_path
        from tinychat.core.hub import installed_models

        self.default_model.addItem(self.tr("The last model used"), "")
        seen = set()
        starter = starter_model_path()
        candidates = [starter] if starter else []
        with contextlib.suppress(OSError):
            candidates += [m.path for m in installed_models() if m.complete]
        if self.settings.default_model:
            candidates.append(Path(self.settings.default_model))
        for path in candidates:
            if str(path) in seen:
                continue
            seen.add(str(path))
            self.default_model.addItem(path.name, str(path))
            self.default_model.setItemData(self.default_model.count() - 1, str(path), Qt.ItemDataRole.ToolTipRole)
        self._select(self.default_model, self.settings.default_model)

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def accept(self) -> None:
        """Check the folders, then store and apply everything; a folder that cannot be written keeps the dialog open."""
        for field in (self.models_dir, self.data_dir):
            if field.isEnabled() and field.text():
                problem = writable_problem(field.text())
                if problem:
                    self._say(problem)
                    field.edit.setFocus()
                    return
        settings = self.settings
        self.restart_needed = self.language.currentData() != settings.language
        settings.language = self.language.currentData()
        settings.theme = self.theme.currentData()
        settings.text_scale = self.text_scale.value()
        settings.default_model = self.default_model.currentData() or ""
        settings.n_threads = self.threads.value()
        settings.n_batch = self.batch_size.value()
        settings.flash_attn = self.flash_attn.currentData()
        settings.n_ctx = self.context_size.value()
        if self.gpu_layers.isEnabled():
            settings.n_gpu_layers = self.gpu_layers.value()
        settings.models_dir = self.models_dir.text()
        paths.set_models_dir(settings.models_dir or None)
        if self.data_dir.isEnabled():
            wanted = self.data_dir.text() or str(paths.default_data_dir())
            if str(Path(wanted).expanduser().resolve()) != str(Path(self._data_dir_before).resolve()):
                try:
                    choose_data_dir(wanted, settings)
                except OSError as exc:
                    self._say(self.tr("The data folder was not changed: %1").replace("%1", exc.strerror or str(exc)))
                    return
                self.restart_needed = True
        try:
            save_settings(settings)
        except OSError as exc:
            self._say(self.tr("The preferences could not be saved: %1").replace("%1", exc.strerror or str(exc)))
            return
        self.applied.emit(settings)
        super().accept()

    def reject(self) -> None:
        self.themes.apply(self._theme_before)
        self.themes.set_text_scale(self._scale_before)
        super().reject()


def install_preferences_action(window: QMainWindow) -> QAction:
    """Add Edit → Preferences… (Ctrl+, and the platform's own shortcut) to ``window``'s menu bar."""
    bar = window.menuBar()
    menu = window.findChild(QMenu, "editMenu")
    if menu is None:
        menu = QMenu(_tr("&Edit"), window)
        menu.setObjectName("editMenu")
        actions = bar.actions()
        if len(actions) > 1:
            bar.insertMenu(actions[1], menu)
        else:
            bar.addMenu(menu)
    action = QAction(_tr("&Preferences…"), window)
    action.setObjectName("preferencesAction")
    action.setMenuRole(QAction.MenuRole.PreferencesRole)
    shortcuts = [QKeySequence(QKeySequence.StandardKey.Preferences), QKeySequence("Ctrl+,")]
    unique = []
    for shortcut in shortcuts:
        if not shortcut.isEmpty() and shortcut not in unique:
            unique.append(shortcut)
    action.setShortcuts(unique)
    action.triggered.connect(lambda: open_preferences(window))
    menu.addAction(action)
    window.preferences_action = action
    return action


def open_preferences(window: QMainWindow) -> PreferencesDialog:
    """Show the dialog for the window's settings; apply what it changed when it closes with OK."""
    dialog = PreferencesDialog(window.settings, window)
    dialog.applied.connect(lambda settings: apply_to_window(window, settings, dialog.restart_needed))
    window.preferences_dialog = dialog
    dialog.open()
    return dialog


def apply_to_window(window: QMainWindow, settings: Settings, restart_needed: bool) -> None:
    """What the window shows of the preferences: its model options, and classroom mode at the new text size."""
    window.context_size.setValue(settings.n_ctx)
    window.model_box.threads.setValue(settings.n_threads)
    window.model_box.batch_size.setValue(settings.n_batch)
    if window.gpu_layers.isEnabled():
        window.gpu_layers.setValue(settings.n_gpu_layers)
    if window.classroom_action.isChecked():
        window.set_classroom_mode(True)
    else:
        window.set_classroom_mode(False)
    if restart_needed:
        window.statusBar().showMessage(
            _tr("Saved. The new language or data folder applies when TinyChat starts again."), 10000
        )
