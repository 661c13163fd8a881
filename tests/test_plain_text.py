"""Data shown in labels, tooltips and message boxes is text, never HTML that Qt would act on.

A model called ``<img src="...">`` (or a file, a Hub repo, a conversation
title) used to be rendered as HTML by labels in Qt's AutoText mode, and Qt read
the named local file to draw it (``/dev/zero`` grew the window to 4.5 GB).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from tinychat.core.settings import load_settings
from tinychat.gui.markdown_view import SafeTextDocument
from tinychat.gui.plaintext import plain_rich


@pytest.fixture
def hostile(tmp_path):
    picture = tmp_path / "big.png"
    image = QImage(400, 400, QImage.Format.Format_RGB32)
    image.fill(0xFF0000)
    assert image.save(str(picture))
    return f'Model <img src="{picture}"> <b>bold</b>'


def _assert_literal(label, text):
    label.setText(text)
    assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    assert label.text() == text
    # Drawn as HTML, the 400-pixel picture would make the label at least that tall.
    assert label.sizeHint().height() < 200, label.objectName()


def test_window_labels_that_show_data_are_plain_text(qtbot, hostile):
    from tinychat.gui.main_window import MainWindow

    window = MainWindow(None, load_settings())
    qtbot.addWidget(window)
    labels = [
        window.model_label, window.sidebar.undo_label, window.sidebar.error_label,
        window.xray_panel.template_label, window.xray_panel.warning_label, window.xray_panel.count_label,
        window.speed_label, window.device_label, window.template_reason, window.banner,
    ]
    for label in labels:
        _assert_literal(label, hostile)


def test_model_manager_and_compare_labels_are_plain_text(qtbot, hostile):
    from tinychat.gui.ab_compare import ABCompareWindow
    from tinychat.gui.model_manager import ModelManagerDialog

    manager = ModelManagerDialog()
    qtbot.addWidget(manager)
    try:
        for label in (manager.status_label, manager.warning_label, manager.info_label, manager.repo_warning):
            _assert_literal(label, hostile)
    finally:
        manager.shutdown()
    compare = ABCompareWindow(None)
    qtbot.addWidget(compare)
    try:
        for column in (compare.a, compare.b):
            _assert_literal(column.model_label, hostile)
            _assert_literal(column.stats, hostile)
        _assert_literal(compare.message, hostile)
    finally:
        compare.shutdown()


def test_tooltips_and_message_boxes_show_data_literally(hostile):
    doc = SafeTextDocument()
    doc.setHtml(plain_rich(hostile + "\nsecond line"))
    assert doc.toPlainText() == hostile + "\nsecond line"
    assert doc.refused == []  # nothing was even asked for
    assert plain_rich("") == ""
