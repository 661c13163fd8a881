"""Cost of saving a streaming reply: a reply of 1 k characters vs one of 100 k.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_store_append.py [--seconds 3] [--rate 60]

Streams tokens at ``--rate`` tokens per second into two replies in the same
conversations file, one already 1 k characters long and one 100 k, alternating,
through ReplyWriter.append (which saves every half second). Prints the mean
and worst time spent inside ``append`` per token for each, and the ratio
long / short of the mean. The worst case is one save of the whole reply; it
runs on the generation thread, never on the window's.
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
        print(f"{label:>6} characters: {len(values)} tokens, mean {means[label] * 1e6:8.1f} µs, "
              f"worst {max(values) * 1e3:6.2f} ms")
    print(f"ratio 100 k / 1 k (mean per token): {means['100 k'] / means['1 k']:.2f}")


if __name__ == "__main__":
    main()
