"""How much faster tinychat.core.gguf_info reads a header than gguf.GGUFReader.

Run: python benchmarks/bench_gguf_info.py [MODEL.gguf]  (default: the starter model)
Prints both times and their ratio, measured in the same run on the same file.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import gguf

from tinychat.core.catalog import starter_model_path
from tinychat.core.gguf_info import read_gguf_info


def best_of(func, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else starter_model_path()
    if path is None:
        print("No model given and the starter model is not installed.", file=sys.stderr)
        return 1
    baseline = best_of(lambda: gguf.GGUFReader(path), 2)
    ours = best_of(lambda: read_gguf_info(path), 5)
    print(f"file: {path}")
    print(f"gguf.GGUFReader:          {baseline * 1000:8.1f} ms")
    print(f"gguf_info.read_gguf_info: {ours * 1000:8.1f} ms")
    print(f"ratio (GGUFReader / ours): {baseline / ours:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
