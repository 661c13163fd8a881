"""The list of saved conversations beside the chat: new, rename, delete with undo, search.

The sidebar works on the store directly (every action is one short SQLite
transaction) and tells the window which conversation to show through
signals; it never touches the chat view.
"""

from __future__ import annotations

import datetime

from PySide6.QtCore import QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tinychat.gui.plaintext import plain, plain_rich
from tinychat.core.store import Conversation, Store, StoreError
from tinychat.gui.icons import icon

ID_ROLE = Qt.ItemDataRole.UserRole
MESSAGE_ROLE = Qt.ItemDataRole.UserRole + 1

#: How long the "deleted — Undo" bar stays; the conversation stays restorable in the store after that.
UNDO_VISIBLE_MS = 10_000
SEARCH_DELAY_MS = 200


class ChatSidebar(QWidget):
    #: The person chose a conversation (id); in search results, also the message found (or -1).
    conversationSelected = Signal(int, int)
    #: A conversation was created from the sidebar (id); it is also selected.
    conversationCreated = Signal(int)
    #: The conversation with this id was deleted (the window clears the view if it showed it).
    conversationDeleted = Signal(int)
    conversationRestored = Signal(int)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chatSidebar")
        self.store = store
        self._last_deleted: int | None = None
        self._refreshing = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

        top = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("chatSearch")
        self.search_edit.setPlaceholderText(self.tr("Search conversations"))
        self.search_edit.setClearButtonEnabled(True)
        self.new_button = QPushButton(self.tr("New"))
        self.new_button.setObjectName("newChatButton")
        self.new_button.setToolTip(self.tr("Start a new conversation (Ctrl+N)"))
        # An icon, so the search box keeps its width in a narrow column.
        self.new_button.setText("")
        self.new_button.setIcon(icon("new-chat"))
        self.new_button.setAccessibleName(self.tr("New conversation"))
        self.search_edit.setAccessibleName(self.tr("Search conversations"))
        self.search_edit.setAccessibleDescription(self.tr("Shows only the conversations whose title or text match"))
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.new_button)
        layout.addLayout(top)

        self.list_widget = QListWidget()
        self.list_widget.setObjectName("chatList")
        self.list_widget.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list_widget.setEditTriggers(QListWidget.EditTrigger.EditKeyPressed)
        # Long titles end in "…" (the whole title is in the tooltip) instead of scrolling sideways.
        self.list_widget.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list_widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_widget.setAccessibleName(self.tr("Conversations"))
        self.list_widget.setAccessibleDescription(
            self.tr("Your saved conversations; F2 renames the chosen one, Delete deletes it")
        )
        layout.addWidget(self.list_widget, 1)

        self.empty_label = QLabel(self.tr("No conversations yet."))
        self.empty_label.setObjectName("chatListEmpty")
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)

        self.undo_bar = QFrame()
        self.undo_bar.setObjectName("undoBar")
        self.undo_bar.setFrameShape(QFrame.Shape.StyledPanel)
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(6, 2, 6, 2)
        self.undo_label = plain(QLabel())
        self.undo_label.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.setObjectName("undoDeleteButton")
        self.undo_button.setAccessibleDescription(self.tr("Bring back the conversation just deleted"))
        undo_layout.addWidget(self.undo_label, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.hide()
        layout.addWidget(self.undo_bar)

        self.error_label = plain(QLabel())
        self.error_label.setObjectName("chatStoreError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c62828;")
        layout.addWidget(self.error_label)
        self._show_notice(store.notice)

        self.new_action = QAction(self.tr("New conversation"), self)
        self.new_action.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        self.new_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.addAction(self.new_action)
        self.rename_action = QAction(self.tr("Rename"), self)
        self.rename_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        self.rename_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action = QAction(self.tr("Delete"), self)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.list_widget.addAction(self.rename_action)
        self.list_widget.addAction(self.delete_action)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.setInterval(UNDO_VISIBLE_MS)

        self.new_button.clicked.connect(self.new_conversation)
        self.new_action.triggered.connect(self.new_conversation)
        self.rename_action.triggered.connect(self.rename_current)
        self.delete_action.triggered.connect(self.delete_current)
        self.undo_button.clicked.connect(self.undo_delete)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self._search_timer.timeout.connect(self.refresh)
        self._undo_timer.timeout.connect(self.undo_bar.hide)
        self.list_widget.currentItemChanged.connect(self._on_current_changed)
        self.list_widget.itemChanged.connect(self._on_item_renamed)
        self.list_widget.customContextMenuRequested.connect(self._show_menu)

        self.refresh()

    # -- what is shown -------------------------------------------------------

    def current_id(self) -> int | None:
        item = self.list_widget.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    @Slot()
    def refresh(self) -> None:
        """Reload the list from the store (newest first), or the search results."""
        keep = self.current_id()
        query = self.search_edit.text().strip()
        try:
            if query:
                rows = self._search_rows(query)
            else:
                rows = [
                    (c.id, -1, c.title or self.tr("New conversation"), self._tooltip(c))
                    for c in self.store.list_conversations()
                ]
        except StoreError as error:
            self._show_error(str(error))
            return
        self._refreshing = True
        try:
            self.list_widget.clear()
            for conversation_id, message_id, text, tooltip in rows:
                item = QListWidgetItem(text)
                item.setData(ID_ROLE, conversation_id)
                item.setData(MESSAGE_ROLE, message_id)
                item.setToolTip(plain_rich(tooltip))
                if not query:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                self.list_widget.addItem(item)
                if conversation_id == keep and self.list_widget.currentItem() is None:
                    self.list_widget.setCurrentItem(item)
        finally:
            self._refreshing = False
        self._show_notice(self.store.notice)  # an earlier error is over once the list loads again
        if query:
            self.empty_label.setText(self.tr("No conversation contains “%1”.").replace("%1", query))
        else:
            self.empty_label.setText(self.tr("No conversations yet."))
        self.empty_label.setVisible(not rows)

    def _search_rows(self, query: str) -> list[tuple[int, int, str, str]]:
        rows = []
        for hit in self.store.search(query):
            title = hit.conversation_title or self.tr("Untitled")
            text = title if hit.message_id is None else f"{title}\n    {hit.snippet}"
            rows.append((hit.conversation_id, -1 if hit.message_id is None else hit.message_id, text, hit.snippet))
        return rows

    def _tooltip(self, conversation: Conversation) -> str:
        when = datetime.datetime.fromtimestamp(conversation.updated).strftime("%Y-%m-%d %H:%M")
        changed = self.tr("Last changed %1").replace("%1", when)
        return f"{conversation.title}\n{changed}" if conversation.title else changed

    def select_conversation(self, conversation_id: int) -> bool:
        for row in range(self.list_widget.count()):
            item = self.list_widget.item(row)
            if item.data(ID_ROLE) == conversation_id:
                self.list_widget.setCurrentItem(item)
                return True
        return False

    # -- actions -------------------------------------------------------------

    @Slot()
    def new_conversation(self) -> int | None:
        try:
            # One empty "New conversation" at most: another click goes back to it.
            conversation = self.store.empty_conversation() or self.store.create_conversation()
        except StoreError as error:
            self._show_error(str(error))
            return None
        self.search_edit.clear()
        self.refresh()
        self.conversationCreated.emit(conversation.id)
        self.select_conversation(conversation.id)
        return conversation.id

    @Slot()
    def rename_current(self) -> None:
        item = self.list_widget.currentItem()
        if item is not None and item.flags() & Qt.ItemFlag.ItemIsEditable:
            self.list_widget.editItem(item)

    def rename(self, conversation_id: int, title: str) -> bool:
        title = " ".join(title.split())
        if not title:
            self.refresh()  # an empty name is not a name: show the old one again
            return False
        try:
            self.store.rename(conversation_id, title)
        except StoreError as error:
            self.refresh()
            self._show_error(str(error))
            return False
        self.refresh()
        return True

    @Slot()
    def delete_current(self) -> None:
        conversation_id = self.current_id()
        if conversation_id is not None:
            self.delete(conversation_id)

    def delete(self, conversation_id: int) -> bool:
        try:
            title = self.store.conversation(conversation_id).title
            self.store.delete(conversation_id)
        except StoreError as error:
            self._show_error(str(error))
            return False
        self._last_deleted = conversation_id
        self.undo_label.setText(self.tr("“%1” deleted.").replace("%1", title or self.tr("Untitled")))
        self.undo_bar.show()
        self._undo_timer.start()
        self.refresh()
        self.conversationDeleted.emit(conversation_id)
        return True

    @Slot()
    def undo_delete(self) -> None:
        if self._last_deleted is None:
            return
        conversation_id, self._last_deleted = self._last_deleted, None
        self.undo_bar.hide()
        try:
            self.store.restore(conversation_id)
        except StoreError as error:
            self._show_error(str(error))
            return
        self.refresh()
        self.select_conversation(conversation_id)
        self.conversationRestored.emit(conversation_id)

    # -- reactions -----------------------------------------------------------

    def _on_current_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None and not self._refreshing:
            self.conversationSelected.emit(current.data(ID_ROLE), current.data(MESSAGE_ROLE))

    def _on_item_renamed(self, item: QListWidgetItem) -> None:
        if not self._refreshing:
            # Deferred: refreshing rebuilds the list, which must not happen inside the editor's commit.
            cid, text = item.data(ID_ROLE), item.text()
            QTimer.singleShot(0, lambda: self.rename(cid, text))

    def _show_menu(self, position: QPoint) -> None:
        if self.list_widget.itemAt(position) is None:
            return
        menu = QMenu(self)
        menu.addAction(self.rename_action)
        menu.addAction(self.delete_action)
        menu.exec(self.list_widget.viewport().mapToGlobal(position))

    def _show_notice(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def _show_error(self, text: str) -> None:
        self._show_notice(text)
