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

ENV_DATA_DIR = "TINYCHAT_DATA_DIR"
PORTABLE_MARKER = "portable"
PORTABLE_FILE_DATA = "portable-data"

_override: Path | None = None


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    """Use ``path`` as the data folder for the rest of this process (None: the default)."""
    global _override
    _override = Path(path).expanduser().resolve() if path else None


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
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)), False


def data_dir() -> Path:
    base, _ = _chosen_data_dir()
    base.mkdir(parents=True, exist_ok=True)
    return base


def is_portable() -> bool:
    return _override is None and not os.environ.get(ENV_DATA_DIR) and portable_dir() is not None


def models_dir() -> Path:
    path = data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
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
