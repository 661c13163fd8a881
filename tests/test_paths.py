"""Where files go: portable mode, the log folder, and a data folder that cannot be written."""

from __future__ import annotations

import os
import sys

import pytest

from tinychat.core import paths


@pytest.fixture
def program(tmp_path, monkeypatch):
    """A program folder (sys.prefix, as for a venv install) with no chosen data folder."""
    folder = tmp_path / "env"
    folder.mkdir()
    monkeypatch.setattr(sys, "prefix", str(folder))
    monkeypatch.delenv(paths.ENV_DATA_DIR)
    for name in ("HF_HOME", "XDG_CACHE_HOME", "PYTHON_KEYRING_BACKEND"):
        monkeypatch.delenv(name, raising=False)
    return folder


def test_a_portable_folder_holds_everything(program):
    (program / "portable").mkdir()
    assert paths.is_portable()
    assert paths.data_dir() == program / "portable"
    assert paths.models_dir() == program / "portable" / "models"
    assert paths.log_dir() == program / "portable" / "logs"
    paths.use_private_library_folders()
    assert os.environ["HF_HOME"] == str(program / "portable" / "cache" / "huggingface")
    assert os.environ["XDG_CACHE_HOME"] == str(program / "portable" / "cache")
    assert os.environ["PYTHON_KEYRING_BACKEND"] == "keyring.backends.fail.Keyring"


def test_a_portable_file_puts_everything_beside_it(program):
    (program / "portable").write_text("")
    assert paths.data_dir() == program / "portable-data"


def test_without_a_marker_nothing_changes(program, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert not paths.is_portable()
    assert paths.data_dir() == tmp_path / "share" / "TinyChat"
    paths.use_private_library_folders()
    assert "HF_HOME" not in os.environ


def test_data_dir_flag_wins_over_the_marker(program, tmp_path):
    (program / "portable").mkdir()
    paths.set_data_dir(tmp_path / "chosen")
    assert paths.data_dir() == tmp_path / "chosen"
    assert not paths.is_portable()


def test_an_unwritable_data_folder_is_said_and_replaced_for_the_session(tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(blocked))
    sentence = paths.ensure_writable_data_dir()
    assert sentence is not None and str(blocked) in sentence and "--data-dir" in sentence
    assert "\n" not in sentence
    assert paths.is_writable(paths.data_dir()) and paths.data_dir() != blocked
    assert paths.ensure_writable_data_dir() is None


def test_resources_are_found_in_the_checkout():
    assert (paths.resources_dir() / "catalog.json").is_file()
    assert (paths.resources_dir() / "translations" / "tinychat_es.qm").is_file()
