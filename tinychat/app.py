"""Start the window."""

from __future__ import annotations

import logging
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

    The language is ``language`` if given, else :func:`tinychat.core.i18n.current_language`
    (``TINYCHAT_LANG``, then the preference, then the system's). It also
    becomes QLocale's default, so that numbers are written the same way in
    every widget. A missing catalogue leaves the English texts and one
    sentence in ``app.property("translationNotice")`` and the log.
    """
    from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

    i18n.set_translator(QCoreApplication.translate)
    i18n.set_toolkit_language(QLocale.system().name())
    language = i18n.normalize_language(language) if language else i18n.current_language()
    locale = QLocale(QLocale.Language.Spanish) if language == "es" else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    QLocale.setDefault(locale)
    folder = paths.resources_dir() / "translations"
    installed = []
    app.setProperty("translationNotice", "")
    if language != i18n.DEFAULT_LANGUAGE:
        ours = QTranslator(app)
        if ours.load(locale, "tinychat", "_", str(folder)):
            app.installTranslator(ours)
            installed.append(ours)
        else:
            notice = f"The Spanish translation ({folder / 'tinychat_es.qm'}) is missing, so TinyChat is shown in English."
            logging.getLogger("tinychat").warning(notice)
            app.setProperty("translationNotice", notice)
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


def run(model: str | None = None, settings=None) -> int:
    """Open the window; ``settings`` are the ones the command line already read (read here otherwise)."""
    try:
        _configure_logging()
    except OSError as exc:  # an unwritable data folder: the window says so below
        logging.getLogger("tinychat").warning("no log file: %s", exc)
    from tinychat.core.preferences import apply_to_process

    if settings is None:
        settings = load_settings()
    apply_to_process(settings)
    app = create_app()
    from tinychat.gui.main_window import MainWindow
    from tinychat.gui.theme import theme_manager

    themes = theme_manager(app)
    themes.apply(settings.theme)
    if settings.text_scale != 100:
        themes.set_text_scale(settings.text_scale)
    window = MainWindow(startup_model(model, settings), settings)
    window.show()
    return app.exec()


def startup_model(model: str | None, settings) -> Path | None:
    """The model to open: ``--model``, else the default model of Preferences, else the last one used, else the starter."""
    if model:
        return Path(model).expanduser()
    for candidate in (settings.default_model, settings.last_model):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return starter_model_path()
