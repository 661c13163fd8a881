"""Where files go: portable mode, the log folder, and a data folder that cannot be written."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from readonly import files_under, run_with_read_only

from tinychat.core import paths


@pytest.fixture
def program(tmp_path, monkeypatch):
    """A program folder (sys.prefix, as for a venv install) with no chosen data folder."""
    folder = tmp_path / "env"
    folder.mkdir()
    monkeypatch.setattr(sys, "prefix", str(folder))
    monkeypatch.delenv(paths.ENV_DATA_DIR)
    for name in ("HF_HOME", "XDG_CACHE_HOME", "PYTHON_KEYRING_BACKEND"):
        # Set first, so that what use_private_library_folders writes into os.environ is
        # undone after the test (a delenv of an absent variable records nothing to restore,
        # and a leftover XDG_CACHE_HOME moved every later test's cache folder).
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
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


def test_a_path_that_is_no_folder_is_left_to_the_commands(tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data folder should be")
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(blocked))
    assert paths.ensure_writable_data_dir() is None  # the store says it in its own sentence


@pytest.mark.model
def test_a_read_only_data_folder_keeps_its_conversations_in_view(tmp_path):
    data = tmp_path / "stick"
    env = dict(os.environ, TINYCHAT_DATA_DIR=str(data))
    tinychat = [sys.executable, "-m", "tinychat"]
    first = subprocess.run([*tinychat, "ask", "Hi", "--max-new-tokens", "3"], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    before = files_under(data)

    listing = run_with_read_only([data], [*tinychat, "chats", "list", "--json"], env=env,
                                 capture_output=True, text=True)
    assert listing.returncode == 0, listing.stderr
    assert len(json.loads(listing.stdout)) == 1
    lines = listing.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be written" in lines[0] and "--data-dir" in lines[0]

    again = run_with_read_only([data], [*tinychat, "ask", "Hello", "--max-new-tokens", "3", "--json"], env=env,
                               capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["text"]
    assert files_under(data) == before


def test_resources_are_found_in_the_checkout():
    assert (paths.resources_dir() / "catalog.json").is_file()
    assert (paths.resources_dir() / "translations" / "tinychat_es.qm").is_file()
