"""Cost of rendering a reply as Markdown, by size: it should grow in proportion to the text.

    .venv/bin/python benchmarks/bench_render.py

Renders replies of about 100 kB and 1 MB of each hostile shape (one huge code
block, one very long line, one huge line inside a code block, ordinary prose
with code) as a saved reply in the conversation view (ChatView.show_turns) and
in a MarkdownView, 800 px wide, laid out as the window would, and prints the
milliseconds and the ratio 1 MB / 100 kB for each (goal: ratio <= 12, i.e.
linear; and about 100 ms per 100 kB). Timings on a shared machine are noisy:
run it twice.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from tinychat.gui.chat_view import ChatView, Turn
from tinychat.gui.markdown_view import MarkdownView


def code_block(size: int) -> str:
    line = "    total = compute(value, other) + 42  # a comment\n"
    return "```python\n" + line * (size // len(line)) + "```\n"


def long_line(size: int) -> str:
    return "word" * (size // 4)


def long_code_line(size: int) -> str:
    return "```\n" + "x" * size + "\n```\n"


def prose(size: int) -> str:
    part = "Some **bold** text and a [link](https://example.org) in a paragraph.\n\n```python\nprint(1)\n```\n\n"
    return part * (size // len(part))


SHAPES = {"code block": code_block, "long line": long_line, "long code line": long_code_line, "prose": prose}


def render_ms(view, text: str) -> float:
    start = time.perf_counter()
    if isinstance(view, ChatView):
        view.show_turns([Turn("user", "You", "Show me."), Turn("assistant", "Model", text, message_id=1)])
    else:
        view.setMarkdownSafely(text)
    view.document().setTextWidth(800)
    view.document().size()  # forces layout of the whole document
    QApplication.processEvents()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    worst = 0.0
    for view in (ChatView(), MarkdownView()):
        view.resize(800, 600)
        view.show()
        for name, make in SHAPES.items():
            # A different text each time: the conversation view keeps rendered replies.
            small = min(render_ms(view, make(100_000) + f"\n\nrun {i}") for i in range(2))
            big = render_ms(view, make(1_000_000))
            ratio = big / small if small else float("inf")
            worst = max(worst, ratio)
            print(
                f"{type(view).__name__:12s} {name:15s} 100 kB: {small:8.1f} ms   1 MB: {big:8.1f} ms   ratio "
                f"{ratio:5.1f}"
            )
    print(f"worst ratio 1 MB / 100 kB: {worst:.1f} (goal <= 12)")
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
