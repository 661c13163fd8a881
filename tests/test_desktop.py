"""Desktop integration: the entry and AppStream metadata validate; install-desktop writes a working menu entry."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tinychat.cli import main
from tinychat.core import paths

DESKTOP = paths.resources_dir() / "desktop" / "io.github.tinychat.TinyChat.desktop"
METAINFO = paths.resources_dir() / "desktop" / "io.github.tinychat.TinyChat.metainfo.xml"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (Debian: apt-get install desktop-file-utils appstream)")
    return found


def test_desktop_entry_validates():
    result = subprocess.run([tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr


def test_appstream_metainfo_validates():
    result = subprocess.run([tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_png_icons_in_every_usual_size():
    from PySide6.QtGui import QImage

    for size in SIZES:
        png = (
            paths.resources_dir() / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "io.github.tinychat.TinyChat.png"
        )
        image = QImage(str(png))
        assert not image.isNull(), png
        assert (image.width(), image.height()) == (size, size)
        # Not an empty square: the SVG was really drawn into it.
        assert any(image.pixelColor(x, y).alpha() > 0 for x in range(size) for y in range(size))


def test_install_desktop_writes_the_entry_for_this_installation(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert main(["install-desktop"]) == 0
    entry = tmp_path / "share" / "applications" / "io.github.tinychat.TinyChat.desktop"
    exec_line = next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))
    program = exec_line.removeprefix("Exec=").split()[0].strip('"')
    assert Path(program).is_absolute() and Path(program).is_file()
    assert Path(program).parent == Path(sys.executable).parent
    for size in SIZES:
        assert (tmp_path / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
                / "io.github.tinychat.TinyChat.png").is_file()
    assert (
        tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / "io.github.tinychat.TinyChat.svg"
    ).is_file()
    assert (tmp_path / "share" / "metainfo" / "io.github.tinychat.TinyChat.metainfo.xml").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout

    assert main(["install-desktop", "--remove"]) == 0
    assert not entry.exists()
    assert "Removed" in capsys.readouterr().out


def test_install_desktop_into_an_unwritable_folder_says_so(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "share"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert main(["install-desktop"]) == 1
    err = capsys.readouterr().err
    assert "could not be written" in err and "Traceback" not in err
