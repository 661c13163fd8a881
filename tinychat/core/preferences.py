"""Preferences that act outside the settings file: the language, the models folder, the data folder.

Shared by the window and the command line, so both follow the same choices.
The data folder holds the settings file, so the choice of data folder cannot
be recorded there: it goes into a small pointer file in the per-user
configuration folder (:func:`tinychat.core.paths.pointer_file`), read once at
start. ``--data-dir`` and ``TINYCHAT_DATA_DIR`` still win over it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from tinychat.core import i18n, paths
from tinychat.core.atomic import write_text_atomically
from tinychat.core.i18n import QT_TRANSLATE_NOOP, translate
from tinychat.core.settings import Settings

_CTX = "Preferences"

_NOT_WRITABLE = QT_TRANSLATE_NOOP(_CTX, "TinyChat cannot write in {folder}; choose a folder you can write to.")
_NOT_A_FOLDER = QT_TRANSLATE_NOOP(_CTX, "{folder} is a file, not a folder; choose a folder.")


def apply_to_process(settings: Settings) -> None:
    """Make the language and models folder of ``settings`` the ones this process uses."""
    i18n.set_preferred_language(settings.language)
    paths.set_models_dir(settings.models_dir or None)


def writable_problem(folder: str | os.PathLike[str]) -> str:
    """One sentence when TinyChat cannot keep files in ``folder`` (it is created if missing), else ""."""
    path = Path(folder).expanduser()
    if path.exists() and not path.is_dir():
        return translate(_CTX, _NOT_A_FOLDER).format(folder=path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError:
        return translate(_CTX, _NOT_WRITABLE).format(folder=path)
    return ""


def choose_data_dir(folder: str | os.PathLike[str] | None, settings: Settings | None = None) -> None:
    """Use ``folder`` as the data folder from the next start (None: the usual per-user folder).

    ``settings`` are copied into the new folder when it has none yet, so the
    preferences (language, theme...) come along; conversations and models stay
    where they are. Raises OSError when the pointer cannot be written.
    """
    pointer = paths.pointer_file()
    if folder is None or Path(folder).expanduser().resolve() == paths.default_data_dir().resolve():
        pointer.unlink(missing_ok=True)
        return
    target = Path(folder).expanduser().resolve()
    write_text_atomically(pointer, json.dumps({"data_dir": str(target)}, indent=2, ensure_ascii=False))
    if settings is not None and not (target / paths.settings_file().name).exists():
        from tinychat.core.settings import save_settings

        save_settings(settings, target / paths.settings_file().name)


def data_dir_problem() -> str:
    """One sentence when the data folder in use cannot be written to, else ""."""
    try:
        folder = paths.data_dir()
    except OSError as exc:
        return translate(_CTX, _NOT_WRITABLE).format(folder=exc.filename or paths.default_data_dir())
    return writable_problem(folder)
