"""Does speculative decoding help on this machine? Plain vs prompt lookup vs a draft model, in one run.

    .venv/bin/python benchmarks/bench_speculative.py [--tokens 96] [--repeats 3] [--draft PATH] [--check-batches]

One engine with the starter model, loaded with flash attention (which
speculative decoding needs; see tinychat.core.speculative), writes greedy
replies to two prompts: one that repeats its input (rewrite a paragraph,
where prompt lookup should help) and one that does not (a short story). For
each prompt it alternates plain decoding, prompt lookup and a draft model
(the starter model drafting for itself unless ``--draft`` names a smaller
one) ``--repeats`` times, each from an empty KV cache, and prints per mode:
the median tokens/s of the reply after its first token, the ratio to plain
decoding measured in the same run, tokens per evaluation of the model and the
share of guesses kept. Every reply is also checked to be the plain one.

Self-drafting cannot win (the guess costs as much as the model); it is there
to show the cost of checking. The run starts with that cost: the time of one
evaluation of a batch of n tokens (scores for every row, as checking needs)
against one token, on the same context. Speculation pays only when a batch
of n costs clearly less than n single tokens *and* the guesses are kept.

``--check-batches`` also prints how far llama.cpp's batched scores are from
one-at-a-time ones, with flash attention off and on (why speculative decoding
needs it on; see tinychat.core.speculative).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

import llama_cpp
import numpy as np

from tinychat.core import speculative
from tinychat.core.catalog import starter_model_path
from tinychat.core.engine import Engine
from tinychat.core.params import GenerationParams

PARAGRAPH = (
    "The village library opened in 1921 with three hundred books donated by local families. For decades it was "
    "run by volunteers, who kept the doors open two evenings a week and lent books to farmers, teachers and "
    "children. In 1987 the council gave it a new building beside the school, with a reading room, a children's "
    "corner and the first computer in the village."
)
PROMPTS = {
    "repeats its input": f"Rewrite this paragraph in your own words, keeping every fact:\n\n{PARAGRAPH}",
    "does not": "Write a short story about a fox who learns to swim.",
}


def batch_costs(engine: Engine, prompt: str, sizes=(1, 2, 4, 8, 16), repeats: int = 5) -> None:
    """Median time of one evaluation of n tokens (all rows' scores) after the prompt, against n = 1."""
    llm = engine.llm
    tokens = engine.tokenize(engine.render([{"role": "user", "content": prompt}]))
    filler = tokens[-16:]
    times: dict[int, list[float]] = {n: [] for n in sizes}
    for _ in range(repeats):
        for n in sizes:
            engine.invalidate_cache()
            llm.reset()
            llm.eval(tokens)
            llm._batch.set_batch(batch=filler[:n], n_past=llm.n_tokens, logits_all=True)
            start = time.perf_counter()
            llm._ctx.decode(llm._batch)
            times[n].append(time.perf_counter() - start)
    one = statistics.median(times[1])
    print("\ncost of checking: one evaluation of n tokens against one token")
    print(f"  {'n':>3} {'ms':>8} {'x one token':>12} {'per token':>10}")
    for n in sizes:
        t = statistics.median(times[n])
        print(f"  {n:3d} {t * 1000:8.2f} {t / one:12.2f} {t / one / n:10.2f}")
    engine.invalidate_cache()


def batch_differences(model, prompt: str, steps: int = 40) -> None:
    """Largest difference between batched and one-at-a-time scores of the same tokens, flash attention off and on."""
    print("\nbatched scores against one token at a time (the same tokens, greedy):")
    for flash in (False, True):
        llm = llama_cpp.Llama(model_path=str(model), n_ctx=1024, n_threads=1, n_threads_batch=1,
                              flash_attn=flash, verbose=False)
        n_vocab = llm.n_vocab()

        def scores(row: int = -1, llm: llama_cpp.Llama = llm, n_vocab: int = n_vocab) -> np.ndarray:
            return np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(llm._ctx.ctx, row), shape=(n_vocab,)).copy()

        tokens = llm.tokenize(prompt.encode(), special=True)
        llm.reset()
        llm.eval(tokens)
        single, reply = [scores()], []
        for _ in range(steps):
            reply.append(int(single[-1].argmax()))
            llm.eval([reply[-1]])
            single.append(scores())
        llm.reset()
        llm.eval(tokens)
        batched = [scores()]
        for i in range(0, steps, 8):
            chunk = reply[i:i + 8]
            llm._batch.set_batch(batch=chunk, n_past=llm.n_tokens, logits_all=True)
            llm._ctx.decode(llm._batch)
            llm.n_tokens += len(chunk)
            batched += [scores(j) for j in range(len(chunk))]
        gap = max(float(np.abs(a - b).max()) for a, b in zip(single, batched, strict=True))
        margins = [float(np.diff(np.sort(s)[-2:])[0]) for s in single]
        close = sum(m < gap for m in margins)
        print(f"  flash attention {'on ' if flash else 'off'}: largest difference {gap:.4f} logits; "
              f"{close} of {len(margins)} positions have their best two tokens closer than that")
        llm.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tokens", type=int, default=96)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--draft", help="draft model (default: the starter model itself)")
    parser.add_argument("--check-batches", action="store_true", help="compare batched and single-token scores")
    args = parser.parse_args()
    os.environ.setdefault("TINYCHAT_THREADS", "1")
    model = starter_model_path()
    if model is None:
        print("The starter model is not installed.", file=sys.stderr)
        return 1
    engine = Engine()
    engine.load(model, n_ctx=2048, flash_attn="on")
    params = GenerationParams(temperature=0.0, max_new_tokens=args.tokens, seed=1)
    modes = (speculative.OFF, speculative.LOOKUP, speculative.DRAFT)
    print(f"threads: {os.environ['TINYCHAT_THREADS']}, {args.tokens} tokens, {args.repeats} repeats, "
          f"draft: {args.draft or 'the starter model itself'}")
    if args.check_batches:
        batch_differences(model, PROMPTS["repeats its input"])
    batch_costs(engine, PROMPTS["repeats its input"])
    for label, prompt in PROMPTS.items():
        speeds: dict[str, list[float]] = {m: [] for m in modes}
        per_eval: dict[str, list[float]] = {m: [] for m in modes}
        kept: dict[str, list[float]] = {m: [] for m in modes}
        plain_text = None
        for _ in range(args.repeats):
            for mode in modes:
                engine.set_speculative(mode, (args.draft or model) if mode == speculative.DRAFT else None)
                engine.invalidate_cache()
                result = engine.generate([{"role": "user", "content": prompt}], params)
                stats = result.stats
                if mode == speculative.OFF:
                    plain_text = result.text
                elif result.text != plain_text:
                    print(f"  {mode}: the reply differs from plain decoding", file=sys.stderr)
                if stats.tokens_per_s:
                    speeds[mode].append(stats.tokens_per_s)
                evals = stats.evaluations or stats.completion_tokens
                per_eval[mode].append(stats.completion_tokens / max(evals, 1))
                kept[mode].append(stats.accepted / stats.drafted if stats.drafted else 0.0)
        plain = statistics.median(speeds[speculative.OFF])
        print(f"\nprompt that {label}:")
        print(f"  {'mode':8} {'tokens/s':>9} {'ratio':>6} {'tok/eval':>9} {'kept':>6}")
        for mode in modes:
            speed = statistics.median(speeds[mode])
            print(f"  {mode:8} {speed:9.1f} {speed / plain:6.2f} {statistics.median(per_eval[mode]):9.2f} "
                  f"{statistics.median(kept[mode]):6.0%}")
    engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
