"""Connect to a server…: use a model on an OpenAI-compatible inference server instead of a file.

The dialog takes the server's address (the recent ones are offered), an
optional API key (kept in the system keyring, never in TinyChat's files),
tests the connection off the GUI thread, lists the server's models and says
which server it is and what it ignores. Connecting hands a
:class:`~tinychat.core.remote.RemoteTarget` to the window's model thread
(``EngineController.connect_server``), which answers like a model load.

:class:`ServerActions` puts "Connect to a server…" and "Use the model on this
computer" in the File menu, beside the model entries, and tells the person
what a server does not give (probabilities, sliders it ignores).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tinychat.core.remote import (
    IGNORED_PARAMS,
    RemoteError,
    RemoteTarget,
    ServerInfo,
    ignored_params_note,
    load_api_key,
    no_logprobs_note,
    normalise_base_url,
    probe_server,
    save_api_key,
)
from tinychat.core.results import GenerationResult
from tinychat.core.settings import Settings
from tinychat.gui.plaintext import plain
from tinychat.gui.worker import BackgroundRunner, Report

if TYPE_CHECKING:
    from tinychat.gui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("ServerDialog", text)


def _probe(url: str, key: str) -> object:
    def work(_state: object, _report: Report) -> tuple[ServerInfo, str]:
        base_url = normalise_base_url(url)
        # The key typed wins; otherwise the one kept for this server (a keyring read can be slow).
        used = key or load_api_key(base_url) or ""
        return probe_server(base_url, used or None), used

    return work


class ServerDialog(QDialog):
    """Address, key, Test; then a model from the server's list, and Connect."""

    #: The person chose a server and a model.
    connectRequested = Signal(object)  # RemoteTarget

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverDialog")
        self.setWindowTitle(self.tr("Connect to a server"))
        self.settings = settings
        self.server: ServerInfo | None = None
        self._key_used = ""

        intro = plain(QLabel(self.tr(
            "Use a model that runs on another computer: a school server with llama-server, vLLM or Ollama, or a "
            "teacher's laptop. Ask your teacher for the address (and the key, if there is one)."
        )))
        intro.setWordWrap(True)

        self.url_combo = QComboBox()
        self.url_combo.setObjectName("serverUrl")
        self.url_combo.setEditable(True)
        self.url_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for server in settings.recent_servers:
            self.url_combo.addItem(server["url"], server.get("model", ""))
        self.url_combo.setCurrentText(settings.recent_servers[0]["url"] if settings.recent_servers else "")
        line = self.url_combo.lineEdit()
        line.setPlaceholderText("http://192.168.1.10:8080")
        self.url_combo.setAccessibleName(self.tr("Server address"))
        self.url_combo.setToolTip(self.tr("llama-server and vLLM: http://host:8080 · Ollama: http://host:11434/v1"))

        self.key_edit = QLineEdit()
        self.key_edit.setObjectName("serverKey")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(self.tr("Only if the server asks for one"))
        self.key_edit.setAccessibleName(self.tr("API key"))
        key_note = plain(QLabel(self.tr("Kept in the system keyring, never in TinyChat's files.")))
        key_note.setObjectName("keyNote")
        key_note.setWordWrap(True)

        self.test_button = QPushButton(self.tr("&Test the connection"))
        self.test_button.setObjectName("testButton")

        self.model_combo = QComboBox()
        self.model_combo.setObjectName("serverModels")
        self.model_combo.setAccessibleName(self.tr("Model on the server"))
        self.model_combo.setEnabled(False)

        self.status_label = plain(QLabel(self.tr("Type the address, then test the connection.")))
        self.status_label.setObjectName("serverStatus")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow(self.tr("&Address:"), self.url_combo)
        form.addRow(self.tr("API &key:"), self.key_edit)
        form.addRow("", key_note)
        form.addRow("", self.test_button)
        form.addRow(self.tr("&Model:"), self.model_combo)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = self.buttons.addButton(self.tr("&Connect"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.status_label, 1)
        layout.addWidget(self.buttons)

        self._runner: BackgroundRunner[None] = BackgroundRunner(
            "server-probe", expected=(RemoteError,), parent=self
        )
        self.test_button.clicked.connect(self.test_connection)
        self.buttons.accepted.connect(self.accept_connection)
        self.buttons.rejected.connect(self.reject)
        self.url_combo.currentTextChanged.connect(self._forget_test)
        self.key_edit.textChanged.connect(self._forget_test)
        self.resize(560, self.sizeHint().height())

    # -- testing -------------------------------------------------------------------

    def _forget_test(self) -> None:
        self.server = None
        self.model_combo.clear()
        self.model_combo.setEnabled(False)
        self.connect_button.setEnabled(False)

    def test_connection(self) -> None:
        self._forget_test()
        self.test_button.setEnabled(False)
        self._say(self.tr("Asking the server for its models…"))
        self._runner.submit(
            _probe(self.url_combo.currentText(), self.key_edit.text().strip()),
            kind="probe", on_done=self._on_probed, on_failed=self._on_probe_failed,
        )

    def _on_probed(self, answer: tuple[ServerInfo, str]) -> None:
        server, self._key_used = answer
        self.test_button.setEnabled(True)
        if not server.models:
            self._say(self.tr("The server answers, but lists no models. Load a model on the server first."), True)
            return
        self.server = server
        remembered = next((s.get("model", "") for s in self.settings.recent_servers if s["url"] == server.base_url), "")
        self.model_combo.blockSignals(True)
        for model in server.models:
            self.model_combo.addItem(model.id, model.id)
        self.model_combo.setCurrentIndex(max(0, self.model_combo.findData(remembered)))
        self.model_combo.blockSignals(False)
        self.model_combo.setEnabled(True)
        self.connect_button.setEnabled(True)
        count = len(server.models)
        text = (
            self.tr("Connected to %1: one model.") if count == 1 else self.tr("Connected to %1: %2 models.")
        ).replace("%1", server.kind_name).replace("%2", str(count))
        if self._key_used and not self.key_edit.text().strip():
            text += " " + self.tr("The key kept for this server was used.")
        note = ignored_params_note(server.kind)
        self._say(text + ("\n" + note if note else ""))

    def _on_probe_failed(self, message: str, _exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        self._say(message, error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet("color: #b00020;" if error else "")

    # -- connecting --------------------------------------------------------------

    def accept_connection(self) -> None:
        server = self.server
        if server is None or self.model_combo.currentIndex() < 0:
            return
        model = self.model_combo.currentData()
        typed = self.key_edit.text().strip()
        if typed:
            problem = save_api_key(server.base_url, typed)
            if problem:
                self._say(problem)
        self.settings.remember_server(server.base_url, model)
        self.connectRequested.emit(RemoteTarget(server.base_url, model, self._key_used or None))
        self.accept()

    def done(self, result: int) -> None:
        self._runner.shutdown()
        super().done(result)


class ServerActions:
    """The File menu's server entries, and what the window says about a model on a server."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: ServerDialog | None = None
        self.connect_action = QAction(_tr("Connect to a &server…"), window)
        self.connect_action.setObjectName("connectServerAction")
        self.connect_action.setToolTip(
            _tr("Use a model on llama-server, vLLM, Ollama or another OpenAI-compatible server")
        )
        self.connect_action.triggered.connect(self.open_dialog)
        self.local_action = QAction(_tr("Use the model on this &computer"), window)
        self.local_action.setObjectName("localModelAction")
        self.local_action.setToolTip(_tr("Stop using the server and load the last model file again"))
        self.local_action.triggered.connect(self.use_local_model)
        self.local_action.setEnabled(False)
        menu = window.file_menu
        actions = menu.actions()
        after = actions[actions.index(window.manager_action) + 1] if window.manager_action in actions else None
        menu.insertActions(after, [self.connect_action, self.local_action])
        window.controller.modelLoaded.connect(self._on_model_loaded)
        window.conversation.replyFinished.connect(self._on_reply_finished)

    def open_dialog(self) -> ServerDialog:
        self.dialog = ServerDialog(self.window.settings, self.window)
        self.dialog.connectRequested.connect(self.window.controller.connect_server)
        self.dialog.show()
        return self.dialog

    def use_local_model(self) -> None:
        if self.window.model_path is not None:
            self.window.load_model(self.window.model_path)

    def _engine_notes(self) -> list[str]:
        engine = self.window.controller.engine
        return list(getattr(engine, "notes", [])) if engine is not None else []

    def _on_model_loaded(self, info) -> None:
        on_server = bool(info.endpoint)
        self.local_action.setEnabled(on_server and self.window.model_path is not None)
        remote = getattr(self.window.controller.engine, "remote", None)
        self._mark_ignored_sliders(remote.server.kind if remote is not None and remote.server is not None else "")
        if on_server:
            notes = self._engine_notes()
            count = len(getattr(remote, "lessons", ())) if remote is not None else 0
            if count:
                notes.append((
                    _tr("This server offers a lesson: choose it in Teach → Lessons from the server.") if count == 1
                    else _tr("This server offers %1 lessons: choose one in Teach → Lessons from the server.")
                ).replace("%1", str(count)))
            if notes:
                self.window.show_banner("\n".join(notes), error=False)

    def _mark_ignored_sliders(self, kind: str) -> None:
        """Grey the sliders the server is known to ignore, with the reason as their tooltip (all on again
        for a model on this computer): a slider that changes nothing must not look as if it did."""
        ignored = set(IGNORED_PARAMS.get(kind, ()))
        note = ignored_params_note(kind) if ignored else ""
        for name, row in self.window.param_panel.rows.items():
            off = name in ignored
            row.setEnabled(not off)
            tip = note if off else QCoreApplication.translate("Params", row.spec.help)
            for widget in (row, row.slider, row.box, row.label):
                if widget is not None:
                    widget.setToolTip(tip)

    def _on_reply_finished(self, result: GenerationResult) -> None:
        """The probability view was on and the server sent no probabilities: say why the reply is not shaded."""
        engine = self.window.controller.engine
        remote = getattr(engine, "remote", None)
        if remote is None or not self.window.controller.token_details or remote.logprobs_seen is not False:
            return
        if result.text:
            kind = remote.server.kind if remote.server is not None else ""
            self.window.chat_view.add_note(no_logprobs_note(kind), error=False)


def install_server_actions(window: MainWindow) -> ServerActions:
    """Add the server entries to ``window``'s File menu; kept as ``window.server_actions``."""
    actions = ServerActions(window)
    window.server_actions = actions
    return actions
