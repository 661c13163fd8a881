"""The conversation sidebar on a real store file, driven with the keyboard and mouse (offscreen)."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from tinychat.core.store import SCHEMA_VERSION, Store
from tinychat.gui.chat_sidebar import ID_ROLE, ChatSidebar


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "chats.sqlite3") as opened:
        for title, text in (("Fotosíntesis", "¿Cómo hacen las plantas su comida?"), ("Tokens", "What is a token?")):
            conv = opened.create_conversation(title)
            opened.add_message(conv.id, "user", text)
        yield opened


@pytest.fixture
def sidebar(qtbot, store):
    widget = ChatSidebar(store)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def titles(sidebar):
    return [sidebar.list_widget.item(i).text() for i in range(sidebar.list_widget.count())]


def test_lists_newest_first(sidebar):
    assert titles(sidebar) == ["Tokens", "Fotosíntesis"]
    assert sidebar.empty_label.isHidden()


def test_clicking_a_conversation_selects_it(qtbot, sidebar, store):
    item = sidebar.list_widget.item(1)
    rect = sidebar.list_widget.visualItemRect(item)
    with qtbot.waitSignal(sidebar.conversationSelected) as blocker:
        qtbot.mouseClick(sidebar.list_widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [item.data(ID_ROLE), -1]
    assert store.conversation(blocker.args[0]).title == "Fotosíntesis"


def test_ctrl_n_starts_a_new_conversation_at_the_top(qtbot, sidebar, store):
    with qtbot.waitSignal(sidebar.conversationCreated) as blocker:
        qtbot.keyClick(sidebar.list_widget, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    new_id = blocker.args[0]
    assert store.list_conversations()[0].id == new_id
    assert sidebar.current_id() == new_id and sidebar.list_widget.count() == 3
    # Nobody wrote in it yet: another "New conversation" goes back to it, no second empty entry.
    with qtbot.waitSignal(sidebar.conversationCreated) as blocker:
        qtbot.mouseClick(sidebar.new_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] == new_id and sidebar.list_widget.count() == 3
    assert len(store.list_conversations()) == 3
    store.add_message(new_id, "user", "hola")
    with qtbot.waitSignal(sidebar.conversationCreated) as blocker:
        qtbot.mouseClick(sidebar.new_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] != new_id
    assert len(store.list_conversations()) == 4


def test_f2_renames_in_place(qtbot, sidebar, store):
    sidebar.list_widget.setFocus()
    sidebar.list_widget.setCurrentRow(0)
    conversation_id = sidebar.current_id()
    qtbot.keyClick(sidebar.list_widget, Qt.Key.Key_F2)
    editor = sidebar.list_widget.focusWidget()
    assert editor is not sidebar.list_widget
    editor.selectAll()
    editor.insert("Tokens y más 😀")  # QTest types ASCII only
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.conversation(conversation_id).title == "Tokens y más 😀")
    assert "Tokens y más 😀" in titles(sidebar)


def test_an_empty_name_keeps_the_old_one(sidebar, store):
    conversation_id = store.list_conversations()[0].id
    assert not sidebar.rename(conversation_id, "   ")
    assert store.conversation(conversation_id).title == "Tokens"


def test_delete_then_undo(qtbot, sidebar, store):
    sidebar.list_widget.setFocus()
    sidebar.list_widget.setCurrentRow(0)
    doomed = sidebar.current_id()
    with qtbot.waitSignal(sidebar.conversationDeleted) as blocker:
        qtbot.keyClick(sidebar.list_widget, Qt.Key.Key_Delete)
    assert blocker.args == [doomed]
    assert titles(sidebar) == ["Fotosíntesis"]
    assert sidebar.undo_bar.isVisible() and "Tokens" in sidebar.undo_label.text()
    assert [c.id for c in store.list_conversations()] != [doomed]
    with qtbot.waitSignal(sidebar.conversationRestored):
        qtbot.mouseClick(sidebar.undo_button, Qt.MouseButton.LeftButton)
    assert titles(sidebar) == ["Tokens", "Fotosíntesis"]
    assert not sidebar.undo_bar.isVisible() and sidebar.current_id() == doomed


def test_search_finds_message_text_and_reports_the_message(qtbot, sidebar, store):
    qtbot.keyClicks(sidebar.search_edit, "PLANTAS")
    qtbot.waitUntil(lambda: sidebar.list_widget.count() == 1)
    assert titles(sidebar)[0].startswith("Fotosíntesis\n") and "plantas" in titles(sidebar)[0]
    with qtbot.waitSignal(sidebar.conversationSelected) as blocker:
        sidebar.list_widget.setCurrentRow(0)
    conversation_id, message_id = blocker.args
    assert store.message(message_id).conversation_id == conversation_id
    sidebar.search_edit.clear()
    qtbot.keyClicks(sidebar.search_edit, "nothing like this")
    qtbot.waitUntil(lambda: sidebar.list_widget.count() == 0)
    assert sidebar.empty_label.isVisible() and "nothing like this" in sidebar.empty_label.text()


def test_a_read_only_store_shows_a_sentence_instead_of_failing(qtbot, tmp_path):
    path = tmp_path / "newer.sqlite3"
    with Store(path) as writable:
        writable.create_conversation("kept")
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with Store(path) as store:
        widget = ChatSidebar(store)
        qtbot.addWidget(widget)
        widget.show()
        assert "newer version" in widget.error_label.text()
        widget.list_widget.setCurrentRow(0)
        widget.delete_current()
        assert titles(widget) == ["kept"] and not widget.undo_bar.isVisible()
        assert widget.new_conversation() is None
        assert "newer version" in widget.error_label.text()
