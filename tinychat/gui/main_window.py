"""The main window: the conversation, the prompt box, and the sampling controls beside them."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, Qt, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tinychat.core import paths
from tinychat.core.catalog import STARTER_MISSING_HELP, CatalogEntry, default_params_for, entry_for_file
from tinychat.core.engine import ModelInfo, supports_gpu_offload
from tinychat.core.results import GenerationResult, StopReason
from tinychat.core.settings import Settings, save_settings
from tinychat.gui.chat_view import ChatView
from tinychat.gui.engine_worker import EngineController, LoadOptions
from tinychat.gui.param_panel import ParameterPanel
from tinychat.gui.prompt_edit import PromptEdit

log = logging.getLogger("tinychat.gui")


class MainWindow(QMainWindow):
    def __init__(self, model_path: str | Path | None = None, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("TinyChat"))
        self.resize(1100, 720)
        self.messages: list[dict[str, str]] = []
        self.entry: CatalogEntry | None = None
        self.model_path: Path | None = None
        self._pending_user_text = ""

        self.controller = EngineController(self)
        self.controller.loadingStarted.connect(self._on_loading_started)
        self.controller.modelLoaded.connect(self._on_model_loaded)
        self.controller.modelLoadFailed.connect(self._on_model_load_failed)
        self.controller.token.connect(self._on_token)
        self.controller.generationFinished.connect(self._on_generation_finished)
        self.controller.generationFailed.connect(self._on_generation_failed)

        self._build_ui()
        self._restore_settings()
        self._update_buttons()
        if model_path is not None:
            self.load_model(model_path)
        else:
            self.show_banner(QCoreApplication.translate("Catalog", STARTER_MISSING_HELP), error=True)

    # -- layout --------------------------------------------------------------

    def _build_ui(self) -> None:
        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(8, 8, 8, 4)

        top = QHBoxLayout()
        self.model_label = QLabel(self.tr("No model loaded"))
        self.model_label.setObjectName("modelLabel")
        font = self.model_label.font()
        font.setBold(True)
        self.model_label.setFont(font)
        self.loading_bar = QProgressBar()
        self.loading_bar.setObjectName("loadingBar")
        self.loading_bar.setRange(0, 0)
        self.loading_bar.setMaximumWidth(160)
        self.loading_bar.setTextVisible(False)
        self.loading_bar.hide()
        self.open_button = QPushButton(self.tr("Open model…"))
        self.open_button.setObjectName("openModel")
        self.open_button.setToolTip(self.tr("Load a .gguf model file from disk"))
        self.open_button.clicked.connect(self.choose_model_file)
        self.new_button = QPushButton(self.tr("New conversation"))
        self.new_button.setObjectName("newConversation")
        self.new_button.clicked.connect(self.new_conversation)
        top.addWidget(self.model_label)
        top.addWidget(self.loading_bar)
        top.addStretch(1)
        top.addWidget(self.new_button)
        top.addWidget(self.open_button)
        root.addLayout(top)

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        root.addWidget(self.banner)

        splitter = self.splitter = QSplitter(Qt.Orientation.Horizontal)
        chat_side = QWidget()
        chat_layout = QVBoxLayout(chat_side)
        chat_layout.setContentsMargins(0, 0, 0, 0)
        self.chat_view = ChatView()
        chat_layout.addWidget(self.chat_view, 1)
        prompt_row = QHBoxLayout()
        self.prompt_edit = PromptEdit()
        self.prompt_edit.submitted.connect(self.send)
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setObjectName("sendButton")
        self.send_button.setToolTip(self.tr("Send the message (Enter)"))
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setToolTip(self.tr("Stop the reply here (Esc); the text so far is kept"))
        self.stop_button.clicked.connect(self.stop)
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        prompt_row.addWidget(self.prompt_edit, 1)
        prompt_row.addLayout(buttons)
        chat_layout.addLayout(prompt_row)
        splitter.addWidget(chat_side)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.param_panel = ParameterPanel()
        side_layout.addWidget(self.param_panel)
        side_layout.addWidget(self._build_model_group())
        side_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(side)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(side.sizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 4)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, False)
        root.addWidget(splitter, 1)
        self.setCentralWidget(central)

        status = self.statusBar()
        self.speed_label = QLabel()
        self.speed_label.setObjectName("speedLabel")
        self.ttft_label = QLabel()
        self.ttft_label.setObjectName("ttftLabel")
        self.context_label = QLabel()
        self.context_label.setObjectName("contextLabel")
        self.device_label = QLabel()
        self.device_label.setObjectName("deviceLabel")
        for label in (self.speed_label, self.ttft_label, self.context_label, self.device_label):
            status.addPermanentWidget(label)
        self.speed_label.setToolTip(self.tr("How fast the reply was written, after its first token"))
        self.ttft_label.setToolTip(self.tr("Time from Send until the first token: mostly reading the prompt"))
        self.context_label.setToolTip(
            self.tr("Tokens the conversation uses, out of the model's context window (how much it can read at once)")
        )
        self.device_label.setToolTip(self.tr("Where the model runs"))

        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.stop)
        self._build_menus()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.new_action = file_menu.addAction(self.tr("&New conversation"), self.new_conversation)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.open_action = file_menu.addAction(self.tr("&Open model…"), self.choose_model_file)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("&Quit"), self.close)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.help_menu.addAction(self.tr("&About TinyChat"), self.show_about)

    def show_about(self) -> None:
        import llama_cpp
        from PySide6 import __version__ as pyside_version
        from PySide6.QtWidgets import QMessageBox

        from tinychat import __version__

        QMessageBox.about(
            self,
            self.tr("About TinyChat"),
            self.tr(
                "<h3>TinyChat %1</h3><p>Chat with small language models offline, and see how they work.</p>"
                "<p>llama-cpp-python %2 · PySide6 %3</p><p>Apache-2.0</p>"
            )
            .replace("%1", __version__)
            .replace("%2", llama_cpp.__version__)
            .replace("%3", pyside_version),
        )

    def _build_model_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Model"))
        form = QFormLayout(group)
        self.gpu_layers = QSpinBox()
        self.gpu_layers.setObjectName("gpuLayers")
        self.gpu_layers.setRange(-1, 999)
        self.gpu_layers.setSpecialValueText(self.tr("all"))
        self.gpu_layers.setValue(0)
        if supports_gpu_offload():
            self.gpu_layers.setToolTip(
                self.tr("How many of the model's layers run on the GPU. More is faster while they fit in its memory.")
            )
        else:
            self.gpu_layers.setEnabled(False)
            self.gpu_layers.setToolTip(
                self.tr(
                    "This build of llama.cpp runs on the CPU only. Install llama-cpp-python with GPU support "
                    "(see the README) to offload layers to a GPU."
                )
            )
        self.context_size = QSpinBox()
        self.context_size.setObjectName("contextSize")
        self.context_size.setRange(0, 1_048_576)
        self.context_size.setSingleStep(512)
        self.context_size.setSpecialValueText(self.tr("automatic"))
        self.context_size.setToolTip(
            self.tr("How many tokens the model can read at once. Larger needs more memory. Automatic: up to 4096.")
        )
        self.reload_button = QPushButton(self.tr("Reload with these settings"))
        self.reload_button.setObjectName("reloadModel")
        self.reload_button.clicked.connect(self.reload_model)
        form.addRow(self.tr("GPU layers"), self.gpu_layers)
        form.addRow(self.tr("Context window"), self.context_size)
        form.addRow(self.reload_button)
        return group

    # -- model ---------------------------------------------------------------

    def load_model(self, path: str | Path) -> None:
        self._remember_params()
        self.model_path = Path(path)
        options = LoadOptions(n_ctx=self.context_size.value() or None, n_gpu_layers=self.gpu_layers.value())
        self.controller.load_model(self.model_path, options)

    def reload_model(self) -> None:
        if self.model_path is not None:
            self.load_model(self.model_path)

    def choose_model_file(self) -> None:
        start = str(self.model_path.parent if self.model_path else paths.models_dir())
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a GGUF model"), start, self.tr("GGUF models (*.gguf);;All files (*)")
        )
        if name:
            self.load_model(name)

    @Slot(str)
    def _on_loading_started(self, path: str) -> None:
        self.hide_banner()
        self.model_label.setText(self.tr("Loading %1…").replace("%1", Path(path).name))
        self.loading_bar.show()
        self._update_buttons()

    @Slot(object)
    def _on_model_loaded(self, info: ModelInfo) -> None:
        self.loading_bar.hide()
        self.entry = entry_for_file(info.path)
        name = self.entry.name if self.entry else info.name
        self.model_label.setText(name)
        self.model_label.setToolTip(str(info.path))
        self.param_panel.set_context_limit(info.n_ctx)
        recommended = default_params_for(info.path)
        self.param_panel.set_recommended(recommended)
        remembered = self.settings.params_for(info.path.name)
        self.param_panel.set_params(remembered or recommended)
        self.settings.last_model = str(info.path)
        if self.entry and self.entry.system_prompt:
            self.param_panel.system_prompt.setPlaceholderText(
                self.tr("Empty: “%1”").replace("%1", self.entry.system_prompt)
            )
        else:
            self.param_panel.system_prompt.setPlaceholderText(self.tr("Empty: the model's own default"))
        if self.entry and self.entry.warning:
            self.show_banner(QCoreApplication.translate("Catalog", self.entry.warning), error=True)
        self.device_label.setText(info.device)
        self._show_context_use(0, info.n_ctx)
        self._update_buttons()

    @Slot(str)
    def _on_model_load_failed(self, message: str) -> None:
        self.loading_bar.hide()
        self.model_label.setText(self.tr("No model loaded"))
        self.show_banner(message, error=True)
        self._update_buttons()

    # -- conversation ----------------------------------------------------------

    def conversation(self) -> list[dict[str, str]]:
        """The messages to send: the system prompt (if any) and every turn so far."""
        system = self.param_panel.system_text() or (self.entry.system_prompt if self.entry else "")
        head = [{"role": "system", "content": system}] if system else []
        return head + [dict(m) for m in self.messages]

    @Slot()
    def send(self) -> None:
        if self.controller.generating:
            return
        text = self.prompt_edit.toPlainText()
        if not text.strip():
            self.statusBar().showMessage(self.tr("Write a message first."), 4000)
            return
        info = self.controller.info
        if info is None:
            self.statusBar().showMessage(
                self.tr("No model is loaded yet. Wait for it to load, or open a model."), 6000
            )
            return
        params = self.param_panel.params()
        problems = params.problems(info.n_ctx)
        if problems:
            self.show_banner(" ".join(problems), error=True)
            return
        self._remember_params()
        self.messages.append({"role": "user", "content": text})
        self._pending_user_text = text
        self.chat_view.add_message("user", self.tr("You"), text)
        self.prompt_edit.clear()
        self.chat_view.begin_reply(self.model_label.text())
        self.controller.generate(self.conversation(), params)
        self._update_buttons()

    @Slot()
    def stop(self) -> None:
        self.controller.stop()

    def new_conversation(self) -> None:
        self.stop()
        self.messages.clear()
        self.chat_view.clear_conversation()
        if self.controller.info is not None:
            self._show_context_use(0, self.controller.info.n_ctx)

    @Slot(str)
    def _on_token(self, piece: str) -> None:
        self.chat_view.append_to_reply(piece)

    @Slot(object)
    def _on_generation_finished(self, result: GenerationResult) -> None:
        stats = result.stats
        note = ""
        if stats.stop_reason is StopReason.STOPPED:
            note = self.tr("Stopped. The reply so far is kept.")
        elif stats.stop_reason is StopReason.LENGTH:
            note = self.tr("The reply reached the token limit (max new tokens or the context window).")
        elif stats.stop_reason is StopReason.ERROR:
            note = self.tr("The reply broke off: %1").replace("%1", result.error)
        self.chat_view.end_reply(note, error=stats.stop_reason is StopReason.ERROR)
        self.messages.append({"role": "assistant", "content": result.text})
        self.param_panel.set_last_seed(result.seed)
        if stats.tokens_per_s is not None:
            self.speed_label.setText(self.tr("%1 tokens/s").replace("%1", f"{stats.tokens_per_s:.1f}"))
        if stats.ttft_s is not None:
            self.ttft_label.setText(self.tr("first token %1 s").replace("%1", f"{stats.ttft_s:.2f}"))
        self.device_label.setText(stats.device)
        if self.controller.info is not None:
            self._show_context_use(stats.prompt_tokens + stats.completion_tokens, self.controller.info.n_ctx)
        self._update_buttons()

    @Slot(str)
    def _on_generation_failed(self, message: str) -> None:
        self.chat_view.end_reply()
        # The message was never answered: take it out of the conversation and give
        # the text back, so nothing the person wrote is lost.
        if self.messages and self.messages[-1]["role"] == "user":
            self.messages.pop()
        if not self.prompt_edit.toPlainText().strip():
            self.prompt_edit.setPlainText(self._pending_user_text)
        self.chat_view.add_note(
            self.tr("Not sent: %1 Your message is back in the box.").replace("%1", message), error=True
        )
        self._update_buttons()

    # -- status ----------------------------------------------------------------

    def _show_context_use(self, used: int, n_ctx: int) -> None:
        self.context_label.setText(self.tr("%1 / %2 tokens").replace("%1", str(used)).replace("%2", str(n_ctx)))

    def show_banner(self, text: str, error: bool = False) -> None:
        colour = "#fdecea" if error else "#e8f4fd"
        border = "#c62828" if error else "#1565c0"
        self.banner.setStyleSheet(
            f"QLabel#banner {{ background: {colour}; color: #1a1a1a; border: 1px solid {border}; "
            "border-radius: 4px; padding: 6px; }"
        )
        self.banner.setText(text)
        self.banner.show()

    def hide_banner(self) -> None:
        self.banner.hide()

    def _update_buttons(self) -> None:
        busy = self.controller.generating
        ready = self.controller.info is not None and not self.controller.loading
        self.send_button.setEnabled(ready and not busy)
        self.stop_button.setEnabled(busy)
        self.reload_button.setEnabled(self.model_path is not None and not self.controller.loading)
        self.open_button.setEnabled(not self.controller.loading)

    # -- settings ------------------------------------------------------------

    def _restore_settings(self) -> None:
        self.gpu_layers.setValue(self.settings.n_gpu_layers if self.gpu_layers.isEnabled() else 0)
        self.context_size.setValue(self.settings.n_ctx or 0)
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode("ascii")))
        if self.settings.window_state:
            self.splitter.restoreState(QByteArray.fromBase64(self.settings.window_state.encode("ascii")))

    def _remember_params(self) -> None:
        info = self.controller.info
        if info is not None:
            self.settings.remember_params(info.path.name, self.param_panel.params())

    def save_settings(self) -> None:
        self._remember_params()
        self.settings.n_gpu_layers = self.gpu_layers.value()
        self.settings.n_ctx = self.context_size.value() or None
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64()).decode("ascii")
        self.settings.window_state = bytes(self.splitter.saveState().toBase64()).decode("ascii")
        try:
            save_settings(self.settings)
        except OSError as exc:
            # Closing must never fail over settings; the log keeps the reason.
            log.warning("could not save settings: %s", exc)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.save_settings()
        self.controller.shutdown()
        super().closeEvent(event)
