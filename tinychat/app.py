"""Start the window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from tinychat import APP_NAME, __version__
from tinychat.core import i18n, paths
from tinychat.core.catalog import starter_model_path
from tinychat.core.settings import load_settings


def _configure_logging() -> None:
    log_file = paths.data_dir() / "tinychat.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _install_translations(app, language: str | None = None) -> list:
    """Install TinyChat's and Qt's own translations; return the translators installed.

    The language is ``language`` if given, else the ``TINYCHAT_LANG`` environment
    variable (``es``, ``en``...), else the system's. A language with no catalogue
    leaves the English texts.
    """
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

    i18n.set_translator(QCoreApplication.translate)
    language = (language or os.environ.get("TINYCHAT_LANG", "")).strip()
    locale = QLocale(language) if language else QLocale.system()
    folder = paths.resources_dir() / "translations"
    installed = []
    ours = QTranslator(app)
    if ours.load(locale, "tinychat", "_", str(folder)):
        app.installTranslator(ours)
        installed.append(ours)
    qt_own = QTranslator(app)
    if qt_own.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        installed.append(qt_own)
    return installed


def create_app(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("io.github.tinychat.TinyChat")
    icon = paths.resources_dir() / "icons" / "tinychat.svg"
    if icon.is_file():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    app.setOrganizationName(APP_NAME)
    _install_translations(app)
    return app


def run(model: str | None = None) -> int:
    _configure_logging()
    app = create_app()
    from tinychat.gui.main_window import MainWindow

    settings = load_settings()
    if model:
        model_path: Path | None = Path(model).expanduser()
    elif settings.last_model and Path(settings.last_model).is_file():
        model_path = Path(settings.last_model)
    else:
        model_path = starter_model_path()
    window = MainWindow(model_path, settings)
    window.show()
    ctrl_c = end_on_ctrl_c(window)  # the timer must live as long as the loop
    try:
        return app.exec()
    finally:
        del ctrl_c


def end_on_ctrl_c(window):
    """Ctrl-C in the terminal closes the window as its close button does (settings saved, store closed).

    Python runs a signal handler only when the interpreter gets control, which
    Qt's event loop (C++) does not give it; a timer hands it control five times
    a second. Returns the timer, which must be kept alive.
    """
    import signal

    from PySide6.QtCore import QTimer

    def close_window(_signum, _frame) -> None:
        QTimer.singleShot(0, window.close)

    signal.signal(signal.SIGINT, close_window)
    timer = QTimer(window)
    timer.timeout.connect(lambda: None)
    timer.start(200)
    return timer
