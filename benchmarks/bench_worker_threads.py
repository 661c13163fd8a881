"""Generation while another thread that once computed is still alive: its OpenMP threads kept vs released.

    nice .venv/bin/python benchmarks/bench_worker_threads.py [--threads 2] [--tokens 64] [--repeats 3] [--model PATH]

TinyChat has several threads that run llama.cpp: the window's model thread, and
the speed report's, a lesson's or the Inside window's beside it. With GCC's
OpenMP (llama.cpp's CPU backend on Linux) each of them keeps its own worker
threads after its computation; once there are more of those than cores, every
computation's threads sleep at each step instead of spinning, and generation
collapses. tinychat.core.hardware.release_worker_threads frees the calling
thread's workers after each reply and each request of the window's workers.

Two sides, alternating, each the median of --repeats runs of --tokens tokens
(bare llama-cpp-python, greedy, one token per evaluation) on this thread:

- **kept**: another thread evaluated a prompt with the same thread count and now waits;
- **released**: the same, but that thread called release_worker_threads after evaluating.

Prints tokens/s of each and the ratio released / kept (1.0 where there is
nothing to release: macOS, Windows, a llama.cpp built without OpenMP).
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time

import llama_cpp
import numpy as np

from tinychat.core import hardware
from tinychat.core.catalog import starter_model_path


def rate(llm: llama_cpp.Llama, tokens: int) -> float:
    llm.reset()
    llm.eval(llm.tokenize(b"Once upon a time"))
    start = time.perf_counter()
    for _ in range(tokens):
        llm.eval([int(np.argmax(llm.scores[llm.n_tokens - 1]))])
    return tokens / (time.perf_counter() - start)


def with_other_thread(llm: llama_cpp.Llama, other: llama_cpp.Llama, tokens: int, release: bool) -> float:
    """Tokens/s here while a thread that evaluated with ``other`` waits (its workers released or not)."""
    ready, leave = threading.Event(), threading.Event()

    def other_side() -> None:
        other.reset()
        other.eval(other.tokenize(b"The lighthouse keeper"))
        if release:
            hardware.release_worker_threads()
        ready.set()
        leave.wait()

    thread = threading.Thread(target=other_side)
    thread.start()
    try:
        ready.wait()
        result = rate(llm, tokens)
    finally:
        leave.set()
        thread.join()
    hardware.release_worker_threads()  # this thread's own, so that each run starts alike
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    path = args.model or str(starter_model_path())

    def load() -> llama_cpp.Llama:
        return llama_cpp.Llama(path, n_ctx=512, n_threads=args.threads, n_threads_batch=args.threads, verbose=False)

    llm, other = load(), load()
    rate(llm, 8)  # warm-up
    runs: dict[str, list[float]] = {"kept": [], "released": []}
    for repeat in range(args.repeats):
        order = ["kept", "released"] if repeat % 2 == 0 else ["released", "kept"]
        for side in order:
            runs[side].append(with_other_thread(llm, other, args.tokens, release=side == "released"))
    kept, released = (statistics.median(runs[k]) for k in ("kept", "released"))
    print(f"{args.threads} threads, {args.tokens} tokens, {args.repeats} repetitions each (median)")
    print(f"OpenMP runtime found: {hardware._openmp_runtime() is not None}")
    print(f"another thread's workers kept:     {kept:7.1f} tokens/s  {[round(r, 1) for r in runs['kept']]}")
    print(f"another thread's workers released: {released:7.1f} tokens/s  {[round(r, 1) for r in runs['released']]}")
    print(f"released / kept: {released / kept:.2f}")
    llm.close()
    other.close()


if __name__ == "__main__":
    main()
