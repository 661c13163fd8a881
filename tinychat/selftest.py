"""``tinychat --self-test``: prove that this installation works, in a few seconds.

Used on a freshly built wheel and on the PyInstaller bundle, with no network:
it finds the resources, loads the starter model, generates a few tokens, opens
the window off screen and waits until its worker has loaded the model, and
loads the Spanish catalogue. It works in a temporary data folder, so it leaves
nothing behind. Exit status 0 when everything worked, 1 otherwise.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable

from tinychat import __version__
from tinychat.core import paths

TOKENS = 8
WINDOW_TIMEOUT_S = 120


def _check_resources() -> str:
    from tinychat.core.catalog import load_catalog
    from tinychat.core.glossary import load_glossary
    from tinychat.core.lessons import load_lessons

    folder = paths.resources_dir()
    models = load_catalog()
    terms = load_glossary()
    lessons = load_lessons()
    return f"{folder}: {len(models)} catalogue models, {len(terms.ids)} glossary terms, {len(lessons)} lessons"


def _check_model() -> str:
    from tinychat.core.catalog import STARTER_MISSING_HELP, starter_model_path
    from tinychat.core.engine import Engine
    from tinychat.core.params import GenerationParams

    path = starter_model_path()
    if path is None:
        raise RuntimeError(STARTER_MISSING_HELP)
    from tinychat.core.hardware import GPU_AUTO, supports_gpu_offload

    engine = Engine()
    try:
        # Automatic GPU layers: a GPU build shows here that it really offloads.
        info = engine.load(path, n_gpu_layers=GPU_AUTO)
        params = GenerationParams(max_new_tokens=TOKENS, seed=1)
        result = engine.generate([{"role": "user", "content": "Hello"}], params)
    finally:
        engine.close()
    build = "GPU build" if supports_gpu_offload() else "CPU-only build"
    where = f"{info.device}; threads: {info.n_threads}; llama.cpp {build}, devices: {info.backend}"
    if result.error:
        raise RuntimeError(result.error)
    if result.stats.completion_tokens < 1:
        raise RuntimeError("the starter model generated no token")
    return f"{path.name}: {result.stats.completion_tokens} tokens, {result.text!r} ({where})"


def _check_window_and_spanish() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer, QTranslator

    from tinychat.app import create_app
    from tinychat.core.catalog import starter_model_path
    from tinychat.gui.main_window import MainWindow

    _app = create_app()  # kept alive while the checks run
    spanish = QTranslator()
    folder = paths.resources_dir() / "translations"
    if not spanish.load("tinychat_es", str(folder)):
        raise RuntimeError(f"the Spanish catalogue tinychat_es.qm cannot be loaded from {folder}")
    help_menu = spanish.translate("MainWindow", "&Help")
    if not help_menu or help_menu == "&Help":
        raise RuntimeError("the Spanish catalogue does not translate the Help menu")

    window = MainWindow(starter_model_path())
    outcome: dict[str, str] = {}
    loop = QEventLoop()
    window.controller.modelLoaded.connect(lambda info: (outcome.setdefault("loaded", info.name), loop.quit()))
    window.controller.modelLoadFailed.connect(lambda message: (outcome.setdefault("failed", message), loop.quit()))
    QTimer.singleShot(WINDOW_TIMEOUT_S * 1000, loop.quit)
    window.show()
    if not window.controller.info and window.controller.loading:
        loop.exec()
    window.close()
    QCoreApplication.processEvents()
    if "failed" in outcome:
        raise RuntimeError(f"the window could not load the model: {outcome['failed']}")
    if window.controller.info is None:
        raise RuntimeError("the window did not finish loading the model")
    return f"window shown and model loaded; Spanish catalogue: '&Help' -> '{help_menu}'"


def run_self_test() -> int:
    data = tempfile.mkdtemp(prefix="tinychat-self-test-")
    paths.set_data_dir(data)
    checks: list[tuple[str, Callable[[], str]]] = [
        ("resources", _check_resources),
        ("model", _check_model),
        ("window and Spanish", _check_window_and_spanish),
    ]
    print(f"TinyChat {__version__} self-test (Python {sys.version.split()[0]}, {sys.executable})")
    failed = 0
    try:
        for name, check in checks:
            start = time.perf_counter()
            try:
                detail = check()
            except Exception as exc:  # each failure is reported, then the next check runs
                failed += 1
                print(f"FAIL {name}: {type(exc).__name__}: {exc}")
            else:
                print(f"ok   {name} ({time.perf_counter() - start:.1f} s): {detail}")
    finally:
        paths.set_data_dir(None)
        shutil.rmtree(data, ignore_errors=True)
    print("Self-test passed." if not failed else f"Self-test failed: {failed} of {len(checks)} checks.")
    return 0 if not failed else 1
