"""A missing Qt system library gives one sentence with the install command, not Qt's abort."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tinychat.app import missing_library_sentence, missing_xcb_libraries


def test_sentence_names_the_debian_and_fedora_packages():
    sentence = missing_library_sentence(["libxcb-cursor.so.0", "libxcb-icccm.so.4"])
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4" in sentence
    assert "sudo dnf install xcb-util-cursor xcb-util-wm" in sentence
    assert sentence.count(".") >= 1 and "\n" not in sentence


@pytest.fixture
def plugin_missing_a_library(tmp_path) -> Path:
    """A real shared object that needs a library which is then removed, as ldd sees a broken plugin."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("no C compiler to build the test library")
    (tmp_path / "dep.c").write_text("int tinychat_dep(void) { return 1; }\n")
    (tmp_path / "plugin.c").write_text("int tinychat_dep(void);\nint plugin(void) { return tinychat_dep(); }\n")
    dep = tmp_path / "libxcb-tinychat-test.so.0"
    subprocess.run([cc, "-shared", "-fPIC", "-Wl,-soname,libxcb-tinychat-test.so.0", "-o", dep,
                    tmp_path / "dep.c"], check=True)
    plugin = tmp_path / "libqxcb.so"
    subprocess.run([cc, "-shared", "-fPIC", "-o", plugin, tmp_path / "plugin.c", dep], check=True)
    dep.unlink()
    return plugin


def test_ldd_finds_the_missing_library(plugin_missing_a_library):
    assert missing_xcb_libraries(plugin_missing_a_library) == ["libxcb-tinychat-test.so.0"]


def test_nothing_missing_for_a_complete_library():
    assert missing_xcb_libraries(Path(sys.executable).resolve()) == []


def test_tinychat_says_which_package_to_install_when_xcb_cannot_load(tmp_path):
    if not missing_xcb_libraries():
        pytest.skip("every library Qt's xcb plugin needs is installed here")
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", DISPLAY=":99", TINYCHAT_DATA_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "tinychat"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "sudo apt install" in lines[0] and "Aborted" not in result.stderr


def test_no_display_is_one_sentence(tmp_path):
    if missing_xcb_libraries():
        pytest.skip("the missing libraries are reported first here")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="xcb", TINYCHAT_DATA_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "tinychat"], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "DISPLAY" in lines[0]
