"""Run a command with some folders read-only, as on a write-protected USB stick.

As root, permissions do not stop writes, so the folders are bind-mounted
read-only in a private mount namespace (``unshare -m``); as another user,
``chmod 555`` is enough. Both are real read-only folders to the program.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path
from collections.abc import Sequence

import pytest


def run_with_read_only(folders: Sequence[Path], command: Sequence[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        if shutil.which("unshare") is None:
            pytest.skip("running as root without unshare: cannot make a folder read-only")
        script = 'for d in "$@"; do [ "$d" = -- ] && break; mount --bind -o ro "$d" "$d" || exit 99; done; ' \
                 'while [ "$1" != -- ]; do shift; done; shift; exec "$@"'
        full = ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh",
                *map(str, folders), "--", *command]
        result = subprocess.run(full, **kwargs)
        if result.returncode == 99:
            pytest.skip("cannot bind-mount read-only here (no mount namespace)")
        return result
    modes = {folder: folder.stat().st_mode for folder in folders}
    try:
        for folder in folders:
            folder.chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
        return subprocess.run(list(command), **kwargs)
    finally:
        for folder, mode in modes.items():
            folder.chmod(mode)


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
