"""How much does showing each token's probability and top alternatives cost?

Generates the same reply (same seed) twice per round: once plainly, once also
reading the scores of every position straight from llama.cpp
(``llama_get_logits_ith``) and picking the top alternatives with
``np.argpartition`` plus one log-sum-exp over the vocabulary for their
probabilities. Rounds alternate the two so that background load hits both
alike. Prints the median tokens/s of each and their ratio (goal: >= 0.90).

    python benchmarks/bench_token_probs.py [--model PATH] [--tokens 64] [--rounds 5] [--top 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tinychat.core.catalog import starter_model_path
from tinychat.core.engine import Engine
from tinychat.core.params import GenerationParams
from tinychat.core.probe import read_logits

PROMPT = [{"role": "user", "content": "Tell me a short story about a lighthouse keeper and a storm."}]


def top_alternatives(logits: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    top = np.argpartition(-logits, n - 1)[:n]
    top = top[np.argsort(-logits[top])]
    peak = float(logits.max())
    log_total = peak + float(np.log(np.exp(logits - peak).sum()))
    return top, np.exp(logits[top] - log_total)


def one_run(engine: Engine, tokens: list[int], n_tokens: int, top: int | None, seed: int) -> tuple[float, list[int]]:
    llm = engine.llm
    llm.reset()
    llm.set_seed(seed)
    out: list[int] = []
    first = None
    stream = llm.generate(tokens, top_k=40, top_p=0.95, min_p=0.05, temp=0.8, repeat_penalty=1.0, reset=True)
    for token in stream:
        if first is None:
            first = time.perf_counter()  # the prompt is evaluated; time the generation only
        if top is not None:
            # The scores this token was drawn from: the next one is not evaluated until we ask for it.
            top_alternatives(read_logits(engine), top)
        out.append(token)
        if len(out) >= n_tokens:
            break
    stream.close()
    elapsed = time.perf_counter() - first
    return (len(out) - 1) / elapsed, out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=None)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    path = args.model or starter_model_path()
    if path is None:
        print("No model: pass --model PATH.", file=sys.stderr)
        return 1
    engine = Engine()
    info = engine.load(path, n_threads=args.threads)
    tokens = engine.tokenize(engine.render(PROMPT))
    print(f"{info.name}: vocabulary {info.n_vocab}, {args.tokens} tokens per run, {args.rounds} rounds, top {args.top}")
    one_run(engine, tokens, 8, args.top, 1)  # warm-up
    plain, probed = [], []
    for round_ in range(args.rounds):
        runs = [(None, plain), (args.top, probed)]
        if round_ % 2:
            runs.reverse()
        outputs = []
        for top, bucket in runs:
            rate, out = one_run(engine, tokens, args.tokens, top, seed=1234 + round_)
            bucket.append(rate)
            outputs.append(out)
        assert outputs[0] == outputs[1], "reading the scores changed the reply"
    a, b = statistics.median(plain), statistics.median(probed)
    print(f"plain generation:            {a:8.1f} tokens/s  (runs: {', '.join(f'{x:.1f}' for x in plain)})")
    print(f"with top-{args.top} probabilities:   {b:8.1f} tokens/s  (runs: {', '.join(f'{x:.1f}' for x in probed)})")
    ratio = b / a
    print(f"ratio: {ratio:.3f}  (goal >= 0.90: {'met' if ratio >= 0.90 else 'NOT met'})")

    # The engine's own path: Engine.generate with and without the on_step hook
    # (what the chat's probability view uses: scores, sampler stages, top 10 and their text).
    params = GenerationParams(
        temperature=0.8, top_k=40, top_p=0.95, min_p=0.05, repeat_penalty=1.1, max_new_tokens=args.tokens
    )
    engine.generate(PROMPT, params.replace(seed=1, max_new_tokens=8), on_step=lambda d: None)  # warm-up
    plain_e, hooked_e = [], []
    for round_ in range(args.rounds):
        runs = [(None, plain_e), (lambda detail: None, hooked_e)]
        if round_ % 2:
            runs.reverse()
        texts = []
        for hook, bucket in runs:
            result = engine.generate(PROMPT, params.replace(seed=1234 + round_), on_step=hook)
            bucket.append(result.stats.tokens_per_s)
            texts.append(result.text)
        assert texts[0] == texts[1], "the on_step hook changed the reply"
    a, b = statistics.median(plain_e), statistics.median(hooked_e)
    print(f"engine, plain:               {a:8.1f} tokens/s  (runs: {', '.join(f'{x:.1f}' for x in plain_e)})")
    print(f"engine, with on_step:        {b:8.1f} tokens/s  (runs: {', '.join(f'{x:.1f}' for x in hooked_e)})")
    ratio = b / a
    print(f"engine ratio: {ratio:.3f}  (goal >= 0.90: {'met' if ratio >= 0.90 else 'NOT met'})")
    engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
