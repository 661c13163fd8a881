"""Cost of the conversation redraw on each send and each finished reply, by conversation size.

    .venv/bin/python benchmarks/bench_chat_view.py [--sizes 10000 100000 300000] [--rounds 5]

Every turn redraws the conversation view twice: when a message is sent
(``ChatView.show_turns`` with the new question, then ``begin_reply``) and when
the reply is finished (``show_turns`` with the reply rendered as Markdown in
place of the streamed text). This script times both, layout and painting
included (the view is shown and the event loop runs after each), for
conversations of growing size (Markdown replies and plain questions), and the
same two steps in an empty conversation: the cost of the new text alone. Each
turn has a reply never seen before (a new message id), so no rendered Markdown
comes from the view's cache. Sizes alternate within each round so that machine
noise hits them alike. It prints the median time per turn (both redraws) for
each size, its ratio to the new text alone, and the ratio of the largest
conversation to the smallest (goal <= 1.5: the redraw costs the new text, not
the conversation; any conversation that fills the window also paints a full
window of text, which the empty one does not). The sizes start where the
conversation already fills the window: the turn that first overflows it also
lays everything out again once, because the scroll bar appears and narrows the
text.

A second part times what streaming costs per token: inserting a piece into
the reply and the layout and painting that follow, in a 1 k and a 100 k
character conversation (goal: ratio <= 1.2), and the worst event-loop stall
while tokens arrive from a timer (goal < 30 ms).
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from tinychat.gui.chat_view import ChatView, Turn

QUESTION = "Can you explain that again, with an example, and say why it matters for the class?"
REPLY = (
    "Here is **one way** to see it: the model reads the whole prompt, then writes one token at a time.\n\n"
    "- each token is *sampled* from a probability distribution\n"
    "- `temperature` flattens or sharpens it\n\n"
    "A paragraph of an earlier answer, long enough to wrap over a few lines in the view so that the "
    "document has real layout work to do. " * 2
)
TOKENS = [" the", " model", " writes", " one", " token", " at", " a", " time", ",", " and", "\n"]
_ids = itertools.count(1)


def conversation(chars: int) -> list[Turn]:
    turns: list[Turn] = []
    written = 0
    while written < chars:
        turns.append(Turn("user", "You", QUESTION, next(_ids), markdown=False,
                          actions=(("edit", "Edit"), ("copy", "Copy"))))
        turns.append(Turn("assistant", "Model", REPLY, next(_ids), meta="seed 1  ·  120 tokens",
                          actions=(("regenerate", "Regenerate"), ("copy", "Copy"))))
        written += len(QUESTION) + len(REPLY)
    return turns


def settle() -> None:
    QApplication.processEvents()  # the layout and painting the event loop does after a change


def one_turn(view: ChatView, earlier: list[Turn]) -> float:
    """Seconds for the two redraws of one turn after ``earlier`` (the streamed text itself is not timed)."""
    view.show_turns(earlier)  # where the conversation stands before the turn (not timed)
    settle()
    question = Turn("user", "You", QUESTION, next(_ids), markdown=False, actions=(("edit", "Edit"),))
    reply = Turn("assistant", "Model", REPLY + f" ({next(_ids)})", next(_ids), meta="seed 2",
                 actions=(("regenerate", "Regenerate"),))
    start = time.perf_counter()
    view.show_turns([*earlier, question])  # on send
    view.begin_reply("Model")
    settle()
    sent = time.perf_counter() - start
    view.append_to_reply(reply.text)
    view.end_reply()
    settle()
    start = time.perf_counter()
    view.show_turns([*earlier, question, reply])  # on the finished reply
    settle()
    return sent + time.perf_counter() - start


def redraws(sizes: list[int], rounds: int) -> None:
    views = {}
    for size in [0, *sizes]:
        view = ChatView()
        view.resize(800, 600)
        view.show()
        views[size] = (view, conversation(size))
        view.show_turns(views[size][1])
        settle()
    times: dict[int, list[float]] = {size: [] for size in views}
    for round_ in range(rounds):
        order = list(views) if round_ % 2 == 0 else list(reversed(views))
        for size in order:
            view, earlier = views[size]
            times[size].append(one_turn(view, earlier))
    alone = statistics.median(times[0])
    print(f"new text alone (empty conversation): {alone * 1e3:8.1f} ms per turn (send + finished reply)")
    for size in sizes:
        view, _ = views[size]
        t = statistics.median(times[size])
        print(f"conversation of {len(view.toPlainText()):>8} chars: {t * 1e3:8.1f} ms per turn,"
              f" ratio to the new text alone {t / alone:6.2f}")
    growth = statistics.median(times[sizes[-1]]) / statistics.median(times[sizes[0]])
    print(f"ratio largest / smallest conversation: {growth:.2f}  (goal <= 1.5: the redraw does not grow with the "
          "conversation; against the new text alone, a full window of text is painted instead of a few lines)")


def filled_view(chars: int) -> ChatView:
    view = ChatView()
    view.resize(800, 600)
    view.show()
    view.show_turns(conversation(chars))
    view.add_message("user", "You", QUESTION)
    view.begin_reply("Model")
    settle()
    return view


def time_appends(view: ChatView, count: int) -> list[float]:
    times = []
    for i in range(count):
        piece = TOKENS[i % len(TOKENS)]
        start = time.perf_counter()
        view.append_to_reply(piece)
        settle()
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


def streaming(tokens: int, rounds: int) -> None:
    short, long_ = filled_view(1_000), filled_view(100_000)
    short_times, long_times = [], []
    for round_ in range(rounds):
        for which in ((short, long_) if round_ % 2 == 0 else (long_, short)):
            (short_times if which is short else long_times).extend(time_appends(which, tokens))
    s, lg = statistics.median(short_times), statistics.median(long_times)
    print(f"streaming, {len(short.toPlainText()):>7} chars: {s * 1e6:8.1f} µs per token (median)")
    print(f"streaming, {len(long_.toPlainText()):>7} chars: {lg * 1e6:8.1f} µs per token (median)")
    print(f"ratio long / short: {lg / s:.3f}  (goal <= 1.2)")
    stall = worst_stall(long_, tokens)
    print(f"worst event-loop stall while streaming into the long view: {stall:.1f} ms  (goal < 30 ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 300_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=300, help="tokens per round in the streaming part")
    parser.add_argument("--no-streaming", action="store_true", help="time the redraws only")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    redraws(args.sizes, args.rounds)
    if not args.no_streaming:
        streaming(args.tokens, 3)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
