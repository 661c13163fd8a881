"""Where TinyChat keeps its files.

Everything lives under one data folder (platformdirs' user data dir) so that
``--data-dir`` or ``TINYCHAT_DATA_DIR`` can move all of it at once: tests use
that to never touch the real home, and a student can carry a portable copy on
a USB stick.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from tinychat import APP_NAME

ENV_DATA_DIR = "TINYCHAT_DATA_DIR"
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


def data_dir() -> Path:
    if _override is not None:
        base = _override
    elif os.environ.get(ENV_DATA_DIR):
        base = Path(os.environ[ENV_DATA_DIR]).expanduser().resolve()
    else:
        base = _usable_chosen_data_dir() or default_data_dir()
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def data_dir_is_overridden() -> bool:
    """True when --data-dir or TINYCHAT_DATA_DIR decides the data folder (Preferences cannot change it then)."""
    return _override is not None or bool(os.environ.get(ENV_DATA_DIR))


def config_dir() -> Path:
    """The per-user configuration folder; it holds only the pointer to a data folder chosen in Preferences.

    The pointer cannot live in the data folder it points to, so it lives here.
    """
    if os.environ.get(ENV_CONFIG_DIR):
        return Path(os.environ[ENV_CONFIG_DIR]).expanduser().resolve()
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

                logging.getLogger("tinychat.paths").warning("data folder %s is unusable (%s); using the default", _chosen, exc)
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
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_file() -> Path:
    return data_dir() / "settings.json"


def resources_dir() -> Path:
    """The resources/ folder: beside the package in a source checkout, or installed as data."""
    candidates = [
        Path(__file__).resolve().parents[2] / "resources",
        Path(sys.prefix) / "share" / "tinychat" / "resources",
    ]
    for candidate in candidates:
        if (candidate / "catalog.json").is_file():
            return candidate
    return candidates[0]
