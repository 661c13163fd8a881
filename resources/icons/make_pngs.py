"""Render tinychat.svg into the PNG sizes desktops look for (hicolor/NxN/apps), and tinychat.ico.

Run after changing the SVG, from anywhere:  .venv/bin/python resources/icons/make_pngs.py
The PNGs are committed, so installing never needs Qt's SVG renderer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
APP_ID = "io.github.tinychat.TinyChat"
HERE = Path(__file__).resolve().parent


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter on images needs a GUI application
    renderer = QSvgRenderer(str(HERE / "tinychat.svg"))
    if not renderer.isValid():
        print("tinychat.svg cannot be read", file=sys.stderr)
        return 1
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = HERE / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            print(f"could not write {target}", file=sys.stderr)
            return 1
        print(target.relative_to(HERE))
    # Windows (the bundle's program and the installer) wants an .ico; Qt's ico plugin writes one size.
    ico = QImage(str(HERE / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png"))
    if not ico.save(str(HERE / "tinychat.ico"), "ICO"):
        print("could not write tinychat.ico", file=sys.stderr)
        return 1
    print("tinychat.ico")
    return 0


if __name__ == "__main__":
    sys.exit(main())
