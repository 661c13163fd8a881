"""Does speculative decoding help on this machine? Plain vs prompt lookup vs a draft model, in one run.

    .venv/bin/python benchmarks/bench_speculative.py [--tokens 96] [--repeats 3] [--draft PATH]

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
to show the cost of checking: how much a batch of n tokens costs against n
single tokens on this CPU.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tokens", type=int, default=96)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--draft", help="draft model (default: the starter model itself)")
    args = parser.parse_args()
    os.environ.setdefault("TINYCHAT_THREADS", "1")
    model = starter_model_path()
    if model is None:
        print("The starter model is not installed.", file=sys.stderr)
        return 1
    engine = Engine()
    engine.load(model, n_ctx=2048, flash_attn=True)
    params = GenerationParams(temperature=0.0, max_new_tokens=args.tokens, seed=1)
    modes = (speculative.OFF, speculative.LOOKUP, speculative.DRAFT)
    print(f"threads: {os.environ['TINYCHAT_THREADS']}, {args.tokens} tokens, {args.repeats} repeats, "
          f"draft: {args.draft or 'the starter model itself'}")
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
