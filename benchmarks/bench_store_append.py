"""Cost of saving a streaming reply on the window's thread: a reply of 1 k characters vs one of 100 k.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_store_append.py [--seconds 3] [--rate 60]

Where the save runs: in the window, ``ReplyWriter.append`` is called by
``ConversationController._on_token``, a slot of ``EngineController.token``;
that signal is emitted on the window's (GUI) thread when it takes the text the
model thread has streamed (gui/engine_worker.py), so the append and the save
that it makes every half second (``ReplyWriter.flush`` -> ``Store._save_reply``,
one SQLite UPDATE of the whole reply) run on the window's thread, never on the
generation thread.

This script calls ``append`` the same way, ``--rate`` times per second (one
call per delivered piece of text), into two replies in the same conversations
file, one already 1 k characters long and one 100 k, alternating. It prints
the mean and worst time spent inside ``append`` per call for each, the ratio
long / short of the mean (goal <= 1.2), and the share of the window thread's
time that saving takes while streaming (goal < 1 %). The worst case is one
save of the whole reply.

Why the save stays on the window's thread: it takes well under a millisecond
for a 100 k reply twice a second (sqlite3 releases the interpreter lock while
SQLite works, so the model thread is not held up), while moving it to another
thread would add a second writer to the conversations file, ordering between
the last streaming save and ``finish``, and a second way of reporting a full disk.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from tinychat.core.store import Store

TOKENS = [" the", " model", " writes", " one", " token", " at", " a", " time", ",", " and", "\n"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rate", type=float, default=60.0, help="tokens per second to simulate")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "chats.sqlite3") as store:
        writers = {}
        for label, size in (("1 k", 1_000), ("100 k", 100_000)):
            conv = store.create_conversation(label)
            store.add_message(conv.id, "user", "question")
            writer = store.begin_reply(conv.id)
            writer.append("x" * size)
            writer.flush()
            writers[label] = writer
        timings: dict[str, list[float]] = {label: [] for label in writers}
        gap = 1.0 / args.rate
        end = time.monotonic() + args.seconds
        n = 0
        while time.monotonic() < end:
            for label, writer in writers.items():
                token = TOKENS[n % len(TOKENS)]
                start = time.perf_counter()
                writer.append(token)
                timings[label].append(time.perf_counter() - start)
            n += 1
            time.sleep(gap)
        for writer in writers.values():
            writer.finish()

    means = {label: statistics.fmean(values) for label, values in timings.items()}
    for label, values in timings.items():
        print(f"{label:>6} characters: {len(values)} calls, mean {means[label] * 1e6:8.1f} µs, "
              f"worst {max(values) * 1e3:6.2f} ms")
    print(f"ratio 100 k / 1 k (mean per call): {means['100 k'] / means['1 k']:.2f}  (goal <= 1.2)")
    share = sum(timings["100 k"]) / args.seconds
    print(f"window thread's time spent saving a 100 k reply while streaming: {share * 100:.2f} %  (goal < 1 %)")


if __name__ == "__main__":
    main()
