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

_override: Path | None = None


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    """Use ``path`` as the data folder for the rest of this process (None: the default)."""
    global _override
    _override = Path(path).expanduser().resolve() if path else None


def data_dir() -> Path:
    if _override is not None:
        base = _override
    elif os.environ.get(ENV_DATA_DIR):
        base = Path(os.environ[ENV_DATA_DIR]).expanduser().resolve()
    else:
        base = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    _make(base)
    return base


def _make(folder: Path) -> None:
    """Create ``folder`` if it can be; in a read-only data folder, whoever writes says what is wrong.

    Reading must still work there (listing models, opening conversations).
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass


def models_dir() -> Path:
    path = data_dir() / "models"
    _make(path)
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
