"""Start-up: no network without a user action, the rotating log, Help → Open the log folder, the crash hook."""

from __future__ import annotations

import ipaddress
import logging
import socket
import sys
import threading

import pytest
from PySide6.QtCore import QObject, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from tinychat.app import create_app, install_crash_dialog
from tinychat.core import logs, paths
from tinychat.gui.main_window import MainWindow


class NetworkUsed(RuntimeError):
    pass


_guard = {"on": False, "seen": []}


def _audit(event: str, args) -> None:
    """Refuse (and remember) any connection or name lookup beyond this machine while the guard is on."""
    if not _guard["on"]:
        return
    if event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple):
            try:
                if ipaddress.ip_address(address[0]).is_loopback:
                    return
            except ValueError:
                pass
            _guard["seen"].append((event, address))
            raise NetworkUsed(f"connection to {address}")
    elif event == "socket.getaddrinfo" and args[0] not in ("localhost", "127.0.0.1", "::1", None):
        _guard["seen"].append((event, args[0]))
        raise NetworkUsed(f"name lookup of {args[0]}")


sys.addaudithook(_audit)  # audit hooks cannot be removed; it does nothing while the guard is off


@pytest.fixture
def network_guard():
    _guard["seen"] = []
    _guard["on"] = True
    try:
        yield _guard["seen"]
    finally:
        _guard["on"] = False


def test_the_guard_catches_a_connection(network_guard):
    with pytest.raises(NetworkUsed):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)  # TEST-NET-1: refused before any packet
    with pytest.raises(NetworkUsed):
        socket.getaddrinfo("huggingface.co", 443)
    assert len(network_guard) == 2


@pytest.mark.model
def test_no_network_while_the_window_starts_loads_and_replies(qtbot, starter_path, network_guard):
    create_app()
    window = MainWindow(starter_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.controller.info is not None, timeout=60000)
    window.prompt_edit.setPlainText("Hello!")
    with qtbot.waitSignal(window.controller.generationFinished, timeout=60000):
        window.send()
    window.close()
    assert network_guard == []


@pytest.fixture
def log_file():
    path = logs.configure_logging()
    yield path
    logs.stop_logging()


def test_the_log_rotates_in_the_data_folders_logs(log_file, isolated_data_dir):
    assert log_file == isolated_data_dir / "logs" / "tinychat.log"
    chunk = "x" * 1000
    for _ in range(logs.MAX_BYTES // 1000 + 50):
        logging.getLogger("tinychat.test").info(chunk)
    assert log_file.with_name("tinychat.log.1").is_file()
    assert log_file.stat().st_size < logs.MAX_BYTES


def test_log_folder_without_a_chosen_data_folder_is_platformdirs(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.delenv(paths.ENV_DATA_DIR)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "env"))  # no portable marker there
    assert paths.log_dir() == __import__("pathlib").Path(platformdirs.user_log_dir("TinyChat", appauthor=False))
    assert paths.log_dir().is_relative_to(tmp_path / "state")


class _Opened(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_help_opens_the_log_folder(qtbot, isolated_data_dir):
    create_app()
    window = MainWindow(None)
    qtbot.addWidget(window)
    opened = _Opened()
    QDesktopServices.setUrlHandler("file", opened, "open")
    try:
        action = next(a for a in window.help_menu.actions() if "log folder" in a.text())
        action.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [u.toLocalFile() for u in opened.urls] == [str(isolated_data_dir / "logs")]


def test_an_uncaught_error_is_logged_and_shown_once(qtbot, log_file):
    app = create_app()
    window = MainWindow(None)
    qtbot.addWidget(window)
    shown: list[str] = []

    def close_dialog():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, close_dialog)

    saved = sys.excepthook, threading.excepthook
    try:
        install_crash_dialog(app, window)

        def fail(n):
            raise ValueError(f"broken thing {n}")

        QTimer.singleShot(0, close_dialog)
        for n in (1, 2):
            worker = threading.Thread(target=fail, args=(n,))
            worker.start()
            worker.join()
        qtbot.waitUntil(lambda: bool(shown), timeout=5000)
        qtbot.wait(200)
    finally:
        sys.excepthook, threading.excepthook = saved
    assert len(shown) == 1 and "broken thing 1" in shown[0] and "conversation is saved" in shown[0]
    text = log_file.read_text()
    assert "ValueError: broken thing 1" in text and "ValueError: broken thing 2" in text
    assert "Traceback" in text


def test_the_splash_says_tinychat_is_starting(qtbot):
    from PySide6.QtWidgets import QLabel

    from tinychat.app import show_splash

    app = create_app()
    splash = show_splash(app)
    qtbot.addWidget(splash)
    assert splash.isVisible()
    assert [label.text() for label in splash.findChildren(QLabel) if label.text()] == ["Starting TinyChat…"]
    splash.close()
