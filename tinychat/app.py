"""Start the window."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tinychat import APP_NAME, __version__
from tinychat.core import i18n, logs, paths
from tinychat.core.catalog import starter_model_path
from tinychat.core.settings import load_settings

log = logging.getLogger("tinychat.app")

# The shared libraries Qt's xcb platform plugin needs that a minimal desktop
# may lack (found with ldd on PySide6 6.11's libqxcb.so and libQt6XcbQpa.so),
# by file name: (Debian/Ubuntu package, Fedora package).
XCB_LIBRARY_PACKAGES = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-xinerama.so.0": ("libxcb-xinerama0", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libSM.so.6": ("libsm6", "libSM"),
    "libICE.so.6": ("libice6", "libICE"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libGLX.so.0": ("libglx0", "libglvnd-glx"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
}


def _platform_is_xcb() -> bool:
    """Whether Qt is about to use its xcb (X11) platform plugin."""
    if not sys.platform.startswith("linux"):
        return False
    chosen = os.environ.get("QT_QPA_PLATFORM", "").strip().lower()
    if chosen:
        return chosen.split(":")[0].split(";")[0] == "xcb"
    # Qt tries Wayland first in a Wayland session, and falls back to xcb.
    return not os.environ.get("WAYLAND_DISPLAY")


def missing_xcb_libraries(plugin: Path | None = None) -> list[str]:
    """The shared libraries the xcb platform plugin needs and cannot find (by ``ldd``); [] when unknown."""
    ldd = shutil.which("ldd")
    if plugin is None:
        from PySide6.QtCore import QLibraryInfo

        plugin = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms" / "libqxcb.so"
    if ldd is None or not plugin.is_file():
        return []
    env = dict(os.environ)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # a PyInstaller bundle carries some of these libraries itself
        env["LD_LIBRARY_PATH"] = os.pathsep.join(filter(None, [bundle, env.get("LD_LIBRARY_PATH")]))
    try:
        out = subprocess.run(
            [ldd, str(plugin)], capture_output=True, text=True, timeout=20, env=env, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    missing = []
    for line in out.splitlines():
        name, _, where = line.strip().partition(" => ")
        if where.strip() == "not found" and name not in missing:
            missing.append(name)
    return missing


def missing_library_sentence(missing: list[str]) -> str:
    """One sentence naming the missing libraries and the command that installs them."""
    debian = sorted({XCB_LIBRARY_PACKAGES.get(name, (name, name))[0] for name in missing})
    fedora = sorted({XCB_LIBRARY_PACKAGES.get(name, (name, name))[1] for name in missing})
    return i18n.translate(
        "App",
        "The window cannot open because Qt's X11 support needs system libraries that are missing (%1); "
        "install them with 'sudo apt install %2' (Debian, Ubuntu) or 'sudo dnf install %3' (Fedora), "
        "then start TinyChat again.",
    ).replace("%1", ", ".join(missing)).replace("%2", " ".join(debian)).replace("%3", " ".join(fedora))


def check_qt_platform() -> str | None:
    """None when Qt's platform plugin can load, else one sentence with the fix."""
    if not _platform_is_xcb():
        return None
    missing = missing_xcb_libraries()
    if missing:
        return missing_library_sentence(missing)
    if not os.environ.get("DISPLAY"):
        return i18n.translate(
            "App",
            "No graphical display was found (DISPLAY is not set), so the window cannot open; start TinyChat "
            "from a desktop session, or use its command line (tinychat --help).",
        )
    return None



#: The translators the last _install_translations installed: the next call takes them out first, so only
#: one language's catalogue is ever in force (a second QApplication set-up must not keep the first's).
_installed_translators: list = []


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
    locale = (
        QLocale(QLocale.Language.Spanish)
        if language == "es"
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    )
    QLocale.setDefault(locale)
    folder = paths.resources_dir() / "translations"
    for translator in _installed_translators:
        app.removeTranslator(translator)
    installed = []
    app.setProperty("translationNotice", "")
    if language != i18n.DEFAULT_LANGUAGE:
        ours = QTranslator(app)
        if ours.load(locale, "tinychat", "_", str(folder)):
            app.installTranslator(ours)
            installed.append(ours)
        else:
            notice = (
                f"The Spanish translation ({folder / 'tinychat_es.qm'}) is missing, so TinyChat is shown in English."
            )
            logging.getLogger("tinychat").warning(notice)
            app.setProperty("translationNotice", notice)
    qt_own = QTranslator(app)
    if qt_own.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        installed.append(qt_own)
    _installed_translators[:] = installed
    return installed


#: The language create_app installed ("language") and its translators ("translators").
_app_translations: dict = {}


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
    # Called again (a second window, the tests), it changes the translators only when the
    # language changed, and removes the ones it installed before: Qt keeps every installed
    # translator until it is removed, so another language's would otherwise stay on top.
    language = i18n.current_language()
    if _app_translations.get("language") != language:
        from PySide6.QtCore import QCoreApplication

        for translator in _app_translations.get("translators", []):
            QCoreApplication.removeTranslator(translator)
        _app_translations.update(language=language, translators=_install_translations(app, language))
    else:
        from PySide6.QtCore import QCoreApplication, QLocale

        # The core's texts go through Qt's translator (whatever replaced it since).
        i18n.set_translator(QCoreApplication.translate)
        i18n.set_toolkit_language(QLocale.system().name())
    return app


def show_splash(app):
    """Show the icon and "Starting TinyChat…" at once, while the window's modules load.

    A plain frameless widget rather than QSplashScreen: QSplashScreen.show() waits
    up to a second for the window system to confirm the window is exposed.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPixmap
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    picture = paths.resources_dir() / "icons" / "hicolor" / "256x256" / "apps" / "io.github.tinychat.TinyChat.png"
    pixmap = QPixmap(str(picture))
    if pixmap.isNull():
        return None
    splash = QWidget(None, Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
    splash.setObjectName("splash")
    layout = QVBoxLayout(splash)
    icon = QLabel()
    icon.setPixmap(pixmap.scaled(128, 128, Qt.AspectRatioMode.KeepAspectRatio,
                                 Qt.TransformationMode.SmoothTransformation))
    icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
    text = QLabel(app.translate("App", "Starting TinyChat…"))
    text.setAlignment(Qt.AlignmentFlag.AlignCenter)
    layout.addWidget(icon)
    layout.addWidget(text)
    splash.resize(260, 200)
    splash.show()
    app.processEvents()
    return splash


def install_crash_dialog(app, window) -> None:
    """Log uncaught exceptions, save the streaming reply, and show one dialog (not one per error)."""
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QMessageBox

    class _Relay(QObject):
        crashed = Signal(str)

    relay = _Relay(app)
    shown = []

    def on_gui_thread(text: str) -> None:
        try:
            writer = window.conversation._writer
            if writer is not None:
                writer.flush()
        except Exception:
            log.exception("could not save the reply after an error")
        if shown:
            return
        shown.append(True)
        QMessageBox.critical(
            window,
            app.translate("App", "TinyChat"),
            app.translate(
                "App",
                "Something went wrong inside TinyChat (%1). Your conversation is saved; the details are "
                "in the log (Help → Open the log folder). If the window misbehaves, restart TinyChat.",
            ).replace("%1", text),
        )

    relay.crashed.connect(on_gui_thread)
    app._tinychat_crash_relay = relay  # keep it alive with the application
    logs.install_crash_hook(lambda exc: relay.crashed.emit(f"{type(exc).__name__}: {exc}"))


def run(model: str | None = None, settings=None) -> int:
    """Open the window; ``settings`` are the ones the command line already read (read here otherwise)."""
    problem = check_qt_platform()
    if problem:
        print(f"tinychat: {problem}", file=sys.stderr)
        return 1
    from tinychat.core.preferences import apply_to_process

    if settings is None:
        settings = load_settings()
    apply_to_process(settings)
    app = create_app()
    splash = show_splash(app)
    data_problem = paths.ensure_writable_data_dir()
    log_file = logs.configure_logging()
    log.info("TinyChat %s starting; log %s", __version__, log_file)
    # Importing the window brings in llama.cpp, numpy, gguf and Jinja2: most
    # of the start-up time (see benchmarks/bench_startup.py), behind the splash.
    from tinychat.gui.main_window import MainWindow
    from tinychat.gui.theme import theme_manager

    themes = theme_manager(app)
    themes.apply(settings.theme)
    if settings.text_scale != 100:
        themes.set_text_scale(settings.text_scale)
    window = MainWindow(startup_model(model, settings), settings)
    install_crash_dialog(app, window)
    window.show()
    if splash is not None:
        splash.close()
        splash.deleteLater()
    if data_problem:
        log.warning(data_problem)
        window.show_banner(data_problem, error=True)
    ctrl_c = end_on_ctrl_c(window)  # the timer must live as long as the loop
    try:
        return app.exec()
    finally:
        del ctrl_c


def startup_model(model: str | None, settings) -> Path | None:
    """The model to open: ``--model``, else the default model of Preferences, else the last one used,
    else the starter."""
    if model:
        return Path(model).expanduser()
    for candidate in (settings.default_model, settings.last_model):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return starter_model_path()


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
