"""Cost of streaming one token into the conversation view: short vs long conversation.

    .venv/bin/python benchmarks/bench_chat_view.py [--tokens 400]

Fills one ChatView with about 1 k characters of earlier conversation and
another with about 100 k, then streams the same tokens into a new reply in
each, alternating, and prints the median time per appended token and the
ratio long / short (goal <= 1.2). It also streams into the long view from a
worker-like timer and reports the worst event-loop stall (goal < 30 ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from tinychat.gui.chat_view import ChatView

TURN = ("A paragraph of an earlier answer, long enough to wrap over a few lines in the view "
        "so that the document has real layout work to do. ") * 3
TOKENS = [" the", " model", " writes", " one", " token", " at", " a", " time", ",", " and", "\n"]


def filled_view(chars: int) -> ChatView:
    view = ChatView()
    view.resize(800, 600)
    view.show()
    written = 0
    turn = 0
    while written < chars:
        view.add_message("user" if turn % 2 == 0 else "assistant", "You" if turn % 2 == 0 else "Model", TURN)
        written += len(TURN)
        turn += 1
    view.begin_reply("Model")
    QApplication.processEvents()
    return view


def time_appends(view: ChatView, count: int) -> list[float]:
    times = []
    for i in range(count):
        piece = TOKENS[i % len(TOKENS)]
        start = time.perf_counter()
        view.append_to_reply(piece)
        QApplication.processEvents()  # include the layout and paint the event loop does
        times.append(time.perf_counter() - start)
    return times


def worst_stall(view: ChatView, count: int, interval_ms: int = 5) -> float:
    """Stream ``count`` tokens from a timer and measure how late a 1 ms heartbeat timer runs."""
    loop = QEventLoop()
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]
    worst = [0.0]

    def beat():
        now = clock.nsecsElapsed()
        worst[0] = max(worst[0], (now - last[0]) / 1e6)
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(1)
    heartbeat.timeout.connect(beat)
    sent = [0]

    def feed():
        view.append_to_reply(TOKENS[sent[0] % len(TOKENS)])
        sent[0] += 1
        if sent[0] >= count:
            producer.stop()
            loop.quit()

    producer = QTimer()
    producer.setInterval(interval_ms)
    producer.timeout.connect(feed)
    heartbeat.start()
    producer.start()
    loop.exec()
    heartbeat.stop()
    return worst[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    short, long_ = filled_view(1_000), filled_view(100_000)
    short_times, long_times = [], []
    for round_ in range(args.rounds):
        for which in ((short, long_) if round_ % 2 == 0 else (long_, short)):
            (short_times if which is short else long_times).extend(time_appends(which, args.tokens))
    s, lg = statistics.median(short_times), statistics.median(long_times)
    print(f"short view ({len(short.toPlainText()):>7} chars): {s * 1e6:8.1f} µs per token (median)")
    print(f"long view  ({len(long_.toPlainText()):>7} chars): {lg * 1e6:8.1f} µs per token (median)")
    print(f"ratio long / short: {lg / s:.3f}  (goal <= 1.2)")
    stall = worst_stall(long_, args.tokens)
    print(f"worst event-loop stall while streaming into the long view: {stall:.1f} ms  (goal < 30 ms)")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
