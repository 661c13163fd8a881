"""Where TinyChat keeps its files, and where it finds its own.

Everything TinyChat writes lives under one data folder so that ``--data-dir``
or ``TINYCHAT_DATA_DIR`` can move all of it at once: tests use that to never
touch the real home. In that order, the data folder is:

1. ``--data-dir DIR`` (``set_data_dir``), then ``TINYCHAT_DATA_DIR``;
2. portable mode: a ``portable`` folder beside the program (see
   ``program_dir``) holds everything; a plain file named ``portable`` there
   puts everything in a ``portable-data`` folder beside it instead;
3. platformdirs' per-user data folder.

The log goes to platformdirs' per-user log folder, except in the first two
cases, where it stays in ``<data>/logs`` so nothing is written anywhere else.

The resources (catalog, glossary, lessons, icons, translations) are found in
the installed package (``tinychat/resources``, mapped there by the build from
the checkout's top-level ``resources/``), in the checkout itself, or in a
PyInstaller bundle.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import platformdirs

from tinychat import APP_NAME
import contextlib

ENV_DATA_DIR = "TINYCHAT_DATA_DIR"
PORTABLE_MARKER = "portable"
PORTABLE_FILE_DATA = "portable-data"
#: Where the pointer to a data folder chosen in Preferences lives (tests point it at a temporary folder).
ENV_CONFIG_DIR = "TINYCHAT_CONFIG_DIR"
POINTER_FILE = "data-folder.json"

_override: Path | None = None
_UNREAD = object()
#: The pointer's folder, read once per process: a new choice takes effect at the next start.
_chosen: object = _UNREAD
_models_override: Path | None = None


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    """Use ``path`` as the data folder for the rest of this process (None: the default)."""
    global _override, _chosen
    _override = Path(path).expanduser().resolve() if path else None
    _chosen = _UNREAD


def program_dir() -> Path:
    """The folder the program lives in: where a ``portable`` marker is looked for.

    For a PyInstaller bundle, the folder holding the ``tinychat`` executable.
    For a pip install, the Python environment's folder (``sys.prefix``: the
    virtual environment's root, e.g. ``.venv/``), since its ``bin/tinychat``
    is a generated script shared with other tools.
    """
    if getattr(sys, "frozen", False):
        if os.environ.get("APPIMAGE"):  # inside an AppImage: beside the .AppImage file, not the mounted image
            return Path(os.environ["APPIMAGE"]).resolve().parent
        return Path(sys.executable).resolve().parent
    return Path(sys.prefix).resolve()


def portable_dir() -> Path | None:
    """The data folder of portable mode, or None when no marker is beside the program."""
    marker = program_dir() / PORTABLE_MARKER
    if marker.is_dir():
        return marker
    if marker.is_file():
        return marker.parent / PORTABLE_FILE_DATA
    return None


def _chosen_data_dir() -> tuple[Path, bool]:
    """The data folder and whether it was chosen by the person (flag, variable, portable marker)."""
    if _override is not None:
        return _override, True
    if os.environ.get(ENV_DATA_DIR):
        return Path(os.environ[ENV_DATA_DIR]).expanduser().resolve(), True
    portable = portable_dir()
    if portable is not None:
        return portable, True
    chosen = _usable_chosen_data_dir()
    if chosen is not None:
        return chosen, True
    return default_data_dir(), False


def data_dir() -> Path:
    base, _ = _chosen_data_dir()
    _make(base)
    return base


def _make(folder: Path) -> None:
    """Create ``folder`` if it can be; in a read-only data folder, whoever writes says what is wrong.

    Reading must still work there (listing models, opening conversations).
    """
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)


def is_portable() -> bool:
    return _override is None and not os.environ.get(ENV_DATA_DIR) and portable_dir() is not None


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def data_dir_is_overridden() -> bool:
    """True when --data-dir, TINYCHAT_DATA_DIR or portable mode decides the data folder
    (Preferences cannot change it then)."""
    return _override is not None or bool(os.environ.get(ENV_DATA_DIR)) or is_portable()


def config_dir() -> Path:
    """The per-user configuration folder; it holds only the pointer to a data folder chosen in Preferences.

    The pointer cannot live in the data folder it points to, so it lives here.
    In portable mode it lives in the portable folder, so nothing is written outside it.
    """
    if os.environ.get(ENV_CONFIG_DIR):
        return Path(os.environ[ENV_CONFIG_DIR]).expanduser().resolve()
    portable = portable_dir()
    if portable is not None:
        return portable / "config"
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def pointer_file() -> Path:
    return config_dir() / POINTER_FILE


def chosen_data_dir() -> Path | None:
    """The data folder chosen in Preferences, or None (never chosen, or the pointer is unreadable)."""
    import json

    try:
        value = json.loads(pointer_file().read_text(encoding="utf-8")).get("data_dir")
    except (OSError, ValueError, AttributeError):
        return None
    return Path(value).expanduser() if isinstance(value, str) and value else None


def _usable_chosen_data_dir() -> Path | None:
    global _chosen
    if _chosen is _UNREAD:
        _chosen = chosen_data_dir()
        if _chosen is not None:
            try:
                _chosen.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                # A USB stick that is not plugged in: the usual folder, and the log says why.
                import logging

                logging.getLogger("tinychat.paths").warning(
                    "data folder %s is unusable (%s); using the default", _chosen, exc
                )
                _chosen = None
    return _chosen  # type: ignore[return-value]


def set_models_dir(path: str | os.PathLike[str] | None) -> None:
    """Keep models in ``path`` for the rest of this process (None or "": models/ in the data folder)."""
    global _models_override
    _models_override = Path(path).expanduser() if path else None


def default_models_dir() -> Path:
    return data_dir() / "models"


def models_dir() -> Path:
    path = _models_override or default_models_dir()
    _make(path)
    return path


def settings_file() -> Path:
    return data_dir() / "settings.json"


def log_dir() -> Path:
    """The folder of the log: platformdirs' log folder, or ``<data>/logs`` when the data folder was chosen."""
    base, chosen = _chosen_data_dir()
    path = base / "logs" if chosen else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Caches of the libraries TinyChat uses (Hugging Face, fontconfig): inside the data folder when portable."""
    base, chosen = _chosen_data_dir()
    return base / "cache" if chosen else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def is_writable(folder: Path) -> bool:
    """True when a file can really be created in ``folder`` (os.access is wrong for root and read-only mounts)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".tinychat-write-test-"):
            return True
    except OSError:
        return False


def ensure_writable_data_dir() -> str | None:
    """Check the data folder can be written; if it is read-only, work on a copy for this run.

    A read-only folder (a write-protected USB stick, a folder without permission)
    is replaced for this process by a temporary folder holding a copy of its
    conversations, settings and templates, with its models linked, so nothing
    disappears from view and new work is not refused. Returns None when all is
    well (or when the path is no folder at all, which the commands report
    themselves), else one sentence saying what happened and what to do.
    """
    from tinychat.core.i18n import translate

    base, _ = _chosen_data_dir()
    if is_writable(base) or not base.is_dir():
        return None
    fallback = Path(tempfile.mkdtemp(prefix="tinychat-"))
    for name in ("chats.sqlite3", "settings.json", "model-hashes.json"):
        try:
            if (base / name).is_file():
                shutil.copy2(base / name, fallback / name)
        except OSError:
            pass  # unreadable too: the session starts without it
    try:
        if (base / "templates").is_dir():
            shutil.copytree(base / "templates", fallback / "templates")
        if (base / "models").is_dir():
            (fallback / "models").symlink_to(base / "models", target_is_directory=True)
    except OSError:
        pass
    set_data_dir(fallback)
    return translate(
        "Paths",
        "The data folder %1 cannot be written (a read-only disk or a missing permission), so this session "
        "works on a copy of its conversations and settings in %2, which is lost when the computer restarts; "
        "to keep new work, start TinyChat with --data-dir and a folder you can write to.",
    ).replace("%1", str(base)).replace("%2", str(fallback))


def use_private_library_folders() -> None:
    """In portable mode, point the libraries' own caches into the portable folder.

    Hugging Face's cache and fontconfig's cache would otherwise be written in the
    home folder, and the system keyring would keep a token on the host. Called
    before those libraries are imported.
    """
    if not is_portable():
        return
    cache = cache_dir()
    os.environ["HF_HOME"] = str(cache / "huggingface")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    # A token typed on a lab computer must not stay in that computer's keyring:
    # with this backend TinyChat keeps it in memory for the session and says so.
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


def resources_dir() -> Path:
    """The resources folder: inside the installed package, in a checkout, or in a PyInstaller bundle."""
    package = Path(__file__).resolve().parents[1]
    candidates = [
        package / "resources",  # a wheel install, and the PyInstaller bundle (collected there)
        package.parent / "resources",  # a source checkout or an editable install
    ]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.append(Path(bundle) / "tinychat" / "resources")
    for candidate in candidates:
        if (candidate / "catalog.json").is_file():
            return candidate
    return candidates[0]
