"""The main window: the conversation, the prompt box, and the sampling controls beside them."""

from __future__ import annotations

import logging
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QLocale, Qt, Slot
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tinychat.core import paths
from tinychat.core.catalog import (
    STARTER_MISSING_HELP,
    CatalogEntry,
    default_params_for,
    display_name,
    entry_for_file,
)
from tinychat.core.backends import Backends
from tinychat.core.engine import Engine, ModelInfo
from tinychat.core.engine_protocol import EngineFactory
from tinychat.core.results import GenerationResult, StopReason
from tinychat.core.settings import Settings, save_settings
from tinychat.core.store import Message, Store, StoreError
from tinychat.core.templates import ChatTemplate, context_overflow
from tinychat.gui import conversation_files
from tinychat.gui.chat_column import ChatColumn
from tinychat.gui.chat_sidebar import ChatSidebar
from tinychat.gui.conversation import ConversationController, ReplySetup
from tinychat.gui.engine_worker import EngineController
from tinychat.gui.model_box import ModelBox
from tinychat.gui.param_panel import ParameterPanel
from tinychat.gui.plaintext import plain_rich
from tinychat.gui.server_dialog import install_server_actions
from tinychat.gui.settings_column import SettingsColumn
from tinychat.gui.status_bar import WindowStatus
from tinychat.gui.top_row import TopRow
from tinychat.gui.window_fit import fit_to_screen
from tinychat.gui.window_menus import WindowMenus
from tinychat.gui.window_state import remember_window_state, restore_window_state
from tinychat.gui.xray_panel import XrayPanel

log = logging.getLogger("tinychat.gui")


class MainWindow(QMainWindow):
    def __init__(
        self,
        model_path: str | Path | None = None,
        settings: Settings | None = None,
        engine_factory: EngineFactory = Engine,
    ) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("TinyChat"))
        self.entry: CatalogEntry | None = None
        self.model_path: Path | None = None
        self._editing: Message | None = None
        self.store = self._open_store()

        # The model runs here (engine_factory) or on an inference server (File > Connect to a server…).
        self.controller = EngineController(self, lambda: Backends(engine_factory), keep_states=True)
        self._build_ui()
        self.conversation = ConversationController(self.store, self.chat_view, self.controller, self)
        self._connect()
        install_server_actions(self)
        self._restore_settings()
        if self.store.notice:
            self.show_banner(self.store.notice, error=True)
        restore_window_state(self, self.settings)
        self._update_buttons()
        if model_path is not None:
            self.load_model(model_path)
        else:
            self.show_banner(QCoreApplication.translate("Catalog", STARTER_MISSING_HELP), error=True)

    # -- layout --------------------------------------------------------------

    def _build_ui(self) -> None:
        central = QWidget()
        root = QVBoxLayout(central)
        root.setContentsMargins(8, 6, 8, 4)
        root.setSpacing(6)

        top = TopRow()
        self.model_label, self.loading_bar = top.model_label, top.loading_bar
        self.new_button, self.manager_button, self.open_button = top.new_button, top.manager_button, top.open_button
        self.classroom_button, self.panel_button = top.classroom_button, top.panel_button
        root.addLayout(top.layout)

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()
        root.addWidget(self.banner)

        splitter = self.splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("mainSplitter")
        splitter.setChildrenCollapsible(False)
        self.sidebar = ChatSidebar(self.store)
        self.sidebar.setMinimumWidth(150)
        splitter.addWidget(self.sidebar)
        chat = ChatColumn(self._lessons())
        self.classroom_strip, self.chat_view, self.welcome = chat.classroom_strip, chat.chat_view, chat.welcome
        self.chat_stack, self.prompt_edit = chat.chat_stack, chat.prompt_edit
        self.send_button, self.stop_button = chat.send_button, chat.stop_button
        splitter.addWidget(chat.widget)

        self.param_panel = ParameterPanel()
        box = self.model_box = ModelBox(self)
        self.template_combo, self.template_reason = box.template_combo, box.template_reason
        self.template_edit_button, self.reload_button = box.template_edit_button, box.reload_button
        self.gpu_layers, self.context_size, self.model_group = box.gpu_layers, box.context_size, box.model_group
        self.settings_column = SettingsColumn([self.param_panel, box.template_group, self.model_group])
        self.side_tabs = QTabWidget()
        self.side_tabs.setObjectName("sideTabs")
        self.side_tabs.addTab(self.settings_column, self.tr("Settings"))
        self.xray_panel = XrayPanel()
        self.side_tabs.addTab(self.xray_panel, self.tr("Prompt X-ray"))
        self.side_tabs.setTabToolTip(1, self.tr("The exact text and tokens the model reads for the next reply"))
        splitter.addWidget(self.side_tabs)
        # The chat takes what the window gains; the two side columns keep their width.
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 0)
        splitter.setCollapsible(2, True)
        root.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self._show_values_on_strip()
        self._describe_controls()

        self.status_figures = WindowStatus(self)
        self.speed_label, self.ttft_label = self.status_figures.speed_label, self.status_figures.ttft_label
        self.context_label, self.device_label = self.status_figures.context_label, self.status_figures.device_label

        self._panel_width = 0
        self.menus = WindowMenus(self)
        fit_to_screen(self, 1440, 900)
        self.reset_layout()

    # -- layout helpers ------------------------------------------------------

    @staticmethod
    def _lessons():
        from tinychat.core.lessons import load_lessons

        return load_lessons()

    def _connect(self) -> None:
        """Every signal of the window's parts to the window, in one place (the order is the order slots run in)."""
        controller, conversation, welcome = self.controller, self.conversation, self.welcome
        controller.loadingStarted.connect(self._on_loading_started)
        controller.modelLoaded.connect(self._on_model_loaded)
        controller.modelLoadFailed.connect(self._on_model_load_failed)
        for signal in (controller.loadingStarted, controller.modelLoaded, controller.modelLoadFailed):
            # After the window's own slots, so the model label is already up to date.
            signal.connect(self._show_model_on_welcome)
        # The top row, the message box and its buttons.
        self.open_button.clicked.connect(self.choose_model_file)
        self.new_button.clicked.connect(self.new_conversation)
        self.manager_button.clicked.connect(self.open_model_manager)
        self.prompt_edit.submitted.connect(self.send)
        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(self.stop)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self).activated.connect(self.stop)
        # The welcome screen and the classroom strip.
        welcome.promptChosen.connect(self._send_suggestion)
        welcome.lessonChosen.connect(lambda lesson_id: self.menus.start_lesson_by_id(lesson_id))
        welcome.modelsRequested.connect(self.open_model_manager)
        self.chat_view.document().contentsChanged.connect(self._show_welcome_if_empty)
        self.param_panel.paramsChanged.connect(self._show_values_on_strip)
        # The menus, the settings panel and the model box.
        self.classroom_action.toggled.connect(self.set_classroom_mode)
        self.pace_group.triggered.connect(lambda action: controller.set_pace(action.data()))
        self.panel_action.toggled.connect(self.set_settings_panel_visible)
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._sync_panel_action())
        self.model_box.templateChanged.connect(self._refresh_xray)
        self.reload_button.clicked.connect(self.reload_model)
        self.model_box.connect_speculation()
        # The conversation, the X-ray and the list of conversations.
        conversation.replyFinished.connect(self._on_reply_finished)
        conversation.replyFailed.connect(self._on_reply_failed)
        conversation.notice.connect(self._on_notice)
        conversation.conversationChanged.connect(self._on_conversation_changed)
        conversation.turnAction.connect(self._on_turn_action)
        self.xray_panel.updated.connect(self._on_xray_updated)
        self.chat_view.linkClicked.connect(self.open_link)
        self.prompt_edit.textChanged.connect(self._refresh_xray)
        self.param_panel.system_prompt.textChanged.connect(self._refresh_xray)
        conversation.replyFinished.connect(lambda _r: self._refresh_xray())
        self.sidebar.conversationSelected.connect(lambda cid, _mid: self.open_conversation(cid))
        self.sidebar.conversationCreated.connect(self.open_conversation)
        self.sidebar.conversationDeleted.connect(self._on_conversation_deleted)

    def _describe_controls(self) -> None:
        """Names and descriptions for screen readers, and a tab order that follows the screen."""
        self.side_tabs.setTabToolTip(0, self.tr("Sampling values, system prompt, template and model settings"))
        self.side_tabs.tabBar().setAccessibleDescription(self.tr("Settings, or the prompt as the model reads it"))
        for widget, name, description in (
            (
                self.prompt_edit,
                self.tr("Message"),
                self.tr("Write a message; Enter sends it, Shift+Enter starts a new line"),
            ),
            (self.chat_view, self.tr("Conversation"), self.tr("The conversation; the links under each turn act on it")),
            (self.template_combo, self.tr("Prompt template"), self.template_combo.toolTip()),
            (self.template_edit_button, "", self.template_edit_button.toolTip()),
            (self.reload_button, "", self.tr("Load the model again with the GPU layers and context window above")),
            (self.new_button, "", self.new_button.toolTip()),
        ):
            if name:
                widget.setAccessibleName(name)
            widget.setAccessibleDescription(description)
        self.reload_button.setToolTip(self.reload_button.accessibleDescription())
        # Tab goes: top row, conversations, the chat and the message, Send, then the settings.
        order = [
            self.new_button, self.manager_button, self.open_button, self.classroom_button, self.panel_button,
            self.sidebar.search_edit, self.sidebar.new_button, self.sidebar.list_widget,
            self.welcome, self.chat_view, self.prompt_edit, self.send_button, self.stop_button, self.side_tabs,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _default_splitter_sizes(self, width: int) -> list[int]:
        """Conversations, chat, settings: the chat gets most of the width at every window size."""
        side = max(self.side_tabs.minimumSizeHint().width(), min(360, int(width * 0.24)))
        bar = max(self.sidebar.minimumWidth(), min(240, int(width * 0.16)))
        return [bar, max(200, width - side - bar - 24), side]

    def reset_layout(self) -> None:
        """The usual widths for the window's present size, with the settings panel shown."""
        self.splitter.setSizes(self._default_splitter_sizes(self.width()))
        self._sync_panel_action()

    def settings_panel_visible(self) -> bool:
        return self.splitter.sizes()[2] > 0

    def set_settings_panel_visible(self, visible: bool) -> None:
        sizes = self.splitter.sizes()
        if visible and sizes[2] == 0:
            width = max(self._panel_width, self.side_tabs.minimumSizeHint().width())
            sizes[1], sizes[2] = max(0, sizes[1] - width), width
            self.splitter.setSizes(sizes)
        elif not visible and sizes[2] > 0:
            self._panel_width = sizes[2]
            sizes[1], sizes[2] = sizes[1] + sizes[2], 0
            self.splitter.setSizes(sizes)
        self._sync_panel_action()

    def _sync_panel_action(self) -> None:
        self.panel_action.blockSignals(True)
        self.panel_action.setChecked(self.settings_panel_visible())
        self.panel_action.blockSignals(False)

    def _show_values_on_strip(self) -> None:
        self.classroom_strip.show_params(self.param_panel.params())

    def _show_welcome_if_empty(self) -> None:
        empty = self.chat_view.document().isEmpty()
        self.chat_stack.setCurrentWidget(self.welcome if empty else self.chat_view)

    def _show_model_on_welcome(self, *_args) -> None:
        self.welcome.set_model(self.model_label.text(), loaded=self.controller.info is not None)

    def _send_suggestion(self, text: str) -> None:
        self.prompt_edit.setPlainText(text)
        self.send()

    def set_classroom_mode(self, on: bool) -> None:
        """Projector-size text across the whole window, and the sampling values as large numbers over the chat."""
        self.menus.set_classroom_mode(on)

    def start_lesson(self, lesson, language: str) -> None:
        """Put a probe prompt in the box (not sent) with its settings, and say what it shows."""
        self.menus.start_lesson(lesson, language)

    def current_template(self) -> ChatTemplate | None:
        """The template for the next reply, with the reason it was chosen (None: no model yet)."""
        return self.model_box.current_template()

    def _refresh_xray(self) -> None:
        engine = self.controller.engine
        self.xray_panel.set_engine(engine)
        if engine is None:
            return
        self.xray_panel.set_template(self.current_template())
        self.xray_panel.set_messages(
            self.conversation.prompt_messages(self.prompt_edit.toPlainText(), system_prompt=self._system_prompt())
        )

    def _on_xray_updated(self, result) -> None:
        info = self.controller.info
        if result is None or info is None:
            return
        self._show_context_use(result.token_count, info.n_ctx, next_turn=True)

    def open_link(self, url) -> None:
        """A link in a reply is opened only after the person sees where it goes and agrees."""
        from PySide6.QtGui import QDesktopServices

        answer = QMessageBox.question(
            self,
            self.tr("Open a link"),
            plain_rich(
                self.tr("The model wrote a link to:\n%1\n\nModels invent addresses. Open it in your browser?")
                .replace("%1", url.toString())
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            QDesktopServices.openUrl(url)

    # -- export and import -------------------------------------------------------

    def export_conversation(self, path: str | None = None) -> bool:
        """Save the conversation on screen as Markdown (readable) or JSON (complete, re-importable)."""
        return conversation_files.export_conversation(self, path)

    def import_conversation(self, path: str | None = None) -> bool:
        return conversation_files.import_conversation(self, path)

    # -- other windows ---------------------------------------------------------

    def open_model_manager(self) -> None:
        from tinychat.gui.model_manager import ModelManagerDialog

        if getattr(self, "model_manager", None) is None:
            self.model_manager = ModelManagerDialog(self)
            self.model_manager.modelChosen.connect(self.load_model)
        self.model_manager.show()
        self.model_manager.activateWindow()

    def open_glossary(self, term: str | None = None) -> None:
        self.menus.open_glossary(term)

    # -- model ---------------------------------------------------------------

    def load_model(self, path: str | Path) -> None:
        self._remember_params()
        self.model_path = Path(path)
        self.controller.load_model(self.model_path, self.model_box.load_options(self.settings))

    def reload_model(self) -> None:
        if self.model_path is not None:
            self.load_model(self.model_path)

    def model_dialog_folder(self) -> Path:
        """Where "Open model…" starts: the folder last chosen there, else the models folder
        (never the folder of the starter model, deep inside the Python installation)."""
        last = getattr(self, "_last_model_dir", None)
        if last is not None and last.is_dir():
            return last
        return paths.models_dir()

    def choose_model_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a GGUF model"), str(self.model_dialog_folder()),
            self.tr("GGUF models (*.gguf);;All files (*)"),
        )
        if name:
            self._last_model_dir = Path(name).parent
            self.load_model(name)

    @Slot(str)
    def _on_loading_started(self, path: str) -> None:
        self.xray_panel.set_engine(None)
        self.hide_banner()
        if "://" in path:  # an inference server's address
            self.model_label.setText(self.tr("Connecting to %1…").replace("%1", path))
        else:
            self.model_label.setText(self.tr("Loading %1…").replace("%1", Path(path).name))
        self.loading_bar.show()
        self._update_buttons()

    @Slot(object)
    def _on_model_loaded(self, info: ModelInfo) -> None:
        self.loading_bar.hide()
        if info.endpoint:
            # On a server: the file loaded last stays the one "Use the model on this computer" loads.
            self.entry = None
            self.model_label.setText(info.device)
            self.model_label.setToolTip(plain_rich(info.description))
        else:
            self.entry = entry_for_file(info.path)
            self.model_path = info.path
            self.model_label.setText(display_name(info.path))
            self.model_label.setToolTip(plain_rich(str(info.path)))
            self.settings.last_model = str(info.path)
        self.param_panel.set_context_limit(info.n_ctx)
        recommended = default_params_for(info.path)
        self.param_panel.set_recommended(recommended)
        remembered = self.settings.params_for(info.model_file)
        self.param_panel.set_params(remembered or recommended)
        if self.entry and self.entry.system_prompt:
            self.param_panel.system_prompt.setPlaceholderText(
                self.tr("Empty: “%1”").replace("%1", self.entry.system_prompt)
            )
        else:
            self.param_panel.system_prompt.setPlaceholderText(self.tr("Empty: the model's own default"))
        if self.entry and self.entry.warning:
            self.show_banner(QCoreApplication.translate("Catalog", self.entry.warning), error=True)
        self.status_figures.show_model(info)
        if info.notes:  # GPU layers that could not be given as asked: one sentence each
            self.show_banner(" ".join(info.notes))
        self._show_context_use(0, info.n_ctx)
        self.model_box.show_model(info)
        self._refresh_xray()
        self._update_buttons()
        self._warm_up()

    @Slot(str)
    def _on_model_load_failed(self, message: str) -> None:
        self.loading_bar.hide()
        kept = self.controller.info
        if kept is not None:
            # The model that was working is still loaded: carry on with it.
            self._on_model_loaded(kept)
            message += " " + self.tr("%1 is still loaded.").replace("%1", display_name(kept.path))
        else:
            self.model_label.setText(self.tr("No model loaded"))
        self.show_banner(message, error=True)
        self._update_buttons()

    # -- conversation ----------------------------------------------------------

    def _open_store(self) -> Store:
        try:
            return Store()
        except StoreError as exc:
            # The data folder is unusable: keep conversations in a temporary file for
            # this run rather than refusing to chat, and say so.
            import tempfile

            store = Store(Path(tempfile.mkdtemp(prefix="tinychat-")) / "chats.sqlite3")
            store.notice = self.tr("%1 Conversations are kept only until TinyChat closes.").replace("%1", str(exc))
            return store

    @property
    def messages(self) -> list[dict[str, str]]:
        return self.conversation.messages

    def _system_prompt(self) -> str:
        return self.param_panel.system_text() or (self.entry.system_prompt if self.entry else "")

    def _reply_setup(self, params, drop_messages: int = 0) -> ReplySetup | None:
        info = self.controller.info
        if info is None:
            return None
        template = self.current_template()
        return ReplySetup(
            params=params,
            system_prompt=self._system_prompt(),
            model_title=self.model_label.text(),
            model_file=info.model_file,
            model_sha256=info.sha256,
            template_source=template.source if template is not None else "",
            template=template,
            drop_messages=drop_messages,
        )

    def _fit_to_context(self, messages: list[dict[str, str]], params) -> int | None:
        """How many of the oldest messages to leave out so the next turn fits (None: the person declined).

        Never silent: when the conversation has outgrown the context window,
        the person is told by how much and asked before anything is left out
        (the messages stay saved; only the prompt is shorter).
        """
        engine, info = self.controller.engine, self.controller.info
        if engine is None or info is None:
            return 0
        template = self.current_template()

        def count(candidate: list[dict[str, str]]) -> int:
            return len(engine.tokenize(engine.render(candidate, template)))

        overflow = context_overflow(messages, count, info.n_ctx, params.max_new_tokens)
        if overflow is None:
            return 0
        answer = QMessageBox.question(
            self,
            self.tr("The conversation is too long"),
            self.tr(
                "The conversation needs %1 tokens, but the context window holds %2 (with room for the reply). "
                "Leave out the oldest %3 messages from what the model reads? They stay saved, and the system "
                "prompt is kept."
            )
            .replace("%1", QLocale().toString(overflow.needed))
            .replace("%2", QLocale().toString(overflow.n_ctx))
            .replace("%3", QLocale().toString(overflow.drop)),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        return overflow.drop

    def _ready_params(self):
        """The panel's parameters if a reply can start now; otherwise None after saying why."""
        if self.controller.generating or self.conversation.busy:
            return None
        info = self.controller.info
        if info is None:
            self.statusBar().showMessage(
                self.tr("No model is loaded yet. Wait for it to load, or open a model."), 6000
            )
            return None
        params = self.param_panel.params()
        problems = params.problems(info.n_ctx)
        if problems:
            self.show_banner(" ".join(problems), error=True)
            return None
        return params

    @Slot()
    def send(self) -> None:
        text = self.prompt_edit.toPlainText()
        if not text.strip():
            if not self.controller.generating:
                self.statusBar().showMessage(self.tr("Write a message first."), 4000)
            return
        params = self._ready_params()
        if params is None:
            return
        self._remember_params()
        drop = 0
        if self._editing is None:
            drop = self._fit_to_context(
                self.conversation.prompt_messages(text, system_prompt=self._system_prompt()), params
            )
            if drop is None:
                return
        replacing, self._editing = self._editing, None
        if self.conversation.send(text, self._reply_setup(params, drop), replacing=replacing):
            self.prompt_edit.clear()
            if replacing is not None:
                self.hide_banner()
        self._update_buttons()

    def regenerate(self, reply: Message) -> None:
        params = self._ready_params()
        if params is not None and self.conversation.regenerate(reply.id, self._reply_setup(params)):
            self._update_buttons()

    def continue_reply(self, reply: Message) -> None:
        params = self._ready_params()
        if params is not None and self.conversation.continue_(reply.id, self._reply_setup(params)):
            self._update_buttons()

    def edit_message(self, message: Message) -> None:
        """Put an earlier question back in the box; sending it makes a new version of that turn."""
        self._editing = message
        self.prompt_edit.setPlainText(message.content)
        self.prompt_edit.setFocus()
        self.show_banner(
            self.tr("Editing an earlier message. Send makes it a new version (the old one stays); Esc cancels."),
            error=False,
        )

    def cancel_edit(self) -> None:
        if self._editing is not None:
            self._editing = None
            self.prompt_edit.clear()
            self.hide_banner()

    @Slot()
    def stop(self) -> None:
        if self.controller.generating:
            self.controller.stop()
        else:
            self.cancel_edit()

    def new_conversation(self) -> None:
        self.sidebar.new_conversation()

    def open_conversation(self, conversation_id: int | None) -> None:
        self.cancel_edit()
        self.conversation.open(conversation_id)

    @Slot(int)
    def _on_conversation_changed(self, conversation_id: int) -> None:
        self.sidebar.refresh()
        if conversation_id >= 0:
            self.sidebar.select_conversation(conversation_id)
            self.param_panel.system_prompt.setPlainText(self.conversation.system_prompt())
        if self.controller.info is not None:
            self._show_context_use(0, self.controller.info.n_ctx)
        self._warm_up()

    def _warm_up(self) -> None:
        """A conversation reopened: its saved state is loaded on the model thread before the next send."""
        if self.conversation.conversation_id is None or self.controller.generating:
            return
        # The next message's text is not known yet; only the conversation before it is looked up.
        messages = self.conversation.prompt_messages("?", system_prompt=self._system_prompt())
        self.controller.warm_up(messages, self.current_template())

    @Slot(int)
    def _on_conversation_deleted(self, conversation_id: int) -> None:
        if conversation_id == self.conversation.conversation_id:
            self.conversation.open(None)

    @Slot(str, object)
    def _on_turn_action(self, action: str, message: Message) -> None:
        if action == "regenerate":
            self.regenerate(message)
        elif action == "continue":
            self.continue_reply(message)
        elif action == "edit":
            self.edit_message(message)
        elif action == "settings":
            params = message.generation_params()
            if params is not None:
                self.param_panel.set_params(params.replace(seed=message.seed))
                self.param_panel.system_prompt.setPlainText(message.system_prompt)
                self.statusBar().showMessage(
                    self.tr("The panel now holds that reply's settings and seed: Regenerate gives the same text."),
                    8000,
                )

    @Slot(object)
    def _on_reply_finished(self, result: GenerationResult) -> None:
        self.sidebar.refresh()  # the title and the order may have changed
        stats = result.stats
        if stats.stop_reason is StopReason.STOPPED:
            self.statusBar().showMessage(self.tr("Stopped. The reply so far is kept."), 6000)
        elif stats.stop_reason is StopReason.ERROR:
            self.show_banner(self.tr("The reply broke off: %1").replace("%1", result.error), error=True)
        self.param_panel.set_last_seed(result.seed)
        self.status_figures.show_reply_stats(stats)
        if result.note:  # fewer threads from the next reply on
            self.show_banner(result.note)
        if self.controller.info is not None:
            self._show_context_use(stats.prompt_tokens + stats.completion_tokens, self.controller.info.n_ctx)
        self._update_buttons()

    @Slot(str, str)
    def _on_reply_failed(self, message: str, text: str) -> None:
        # Nothing the person wrote is lost: the question goes back into the box.
        if text and not self.prompt_edit.toPlainText().strip():
            self.prompt_edit.setPlainText(text)
        note = self.tr("Not sent: %1").replace("%1", message)
        if text:
            note += " " + self.tr("Your message is back in the box.")
        self.chat_view.add_note(note, error=True)
        self._update_buttons()

    @Slot(str, bool)
    def _on_notice(self, text: str, error: bool) -> None:
        if error:
            self.show_banner(text, error=True)
        else:
            self.statusBar().showMessage(text, 4000)

    # -- status ----------------------------------------------------------------

    def _show_context_use(self, used: int, n_ctx: int, next_turn: bool = False) -> None:
        self.status_figures.show_context_use(used, n_ctx, next_turn)

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
        busy = self.controller.generating or self.conversation.busy
        ready = self.controller.info is not None and not self.controller.loading
        self.send_button.setEnabled(ready and not busy)
        self.stop_button.setEnabled(busy)
        self.reload_button.setEnabled(self.model_path is not None and not self.controller.loading)
        self.open_button.setEnabled(not self.controller.loading)

    # -- settings ------------------------------------------------------------

    def _restore_settings(self) -> None:
        self.model_box.restore(self.settings)
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode("ascii")))
        if self.settings.window_state:
            self.splitter.restoreState(QByteArray.fromBase64(self.settings.window_state.encode("ascii")))
        self._sync_panel_action()

    def _remember_params(self) -> None:
        info = self.controller.info
        if info is not None:
            self.settings.remember_params(info.model_file, self.param_panel.params())

    def save_settings(self) -> None:
        self._remember_params()
        self.model_box.remember(self.settings)
        remember_window_state(self, self.settings)
        self.settings.window_geometry = bytes(self.saveGeometry().toBase64()).decode("ascii")
        self.settings.window_state = bytes(self.splitter.saveState().toBase64()).decode("ascii")
        try:
            save_settings(self.settings)
        except OSError as exc:
            # Closing must never fail over settings; the log keeps the reason.
            log.warning("could not save settings: %s", exc)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.controller.shutdown()
        manager = getattr(self, "model_manager", None)
        if manager is not None:
            # Its threads must end before the dialog goes with the window (downloads resume later).
            manager.shutdown()
        self.store.close()
        super().closeEvent(event)
