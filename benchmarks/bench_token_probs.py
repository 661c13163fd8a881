"""What showing each token's probability costs the real window's streaming.

    .venv/bin/python benchmarks/bench_token_probs.py [--model PATH] [--tokens 64] [--rounds 5] [--threads 1]

Streams the same reply (same prompt, settings and seed) through TinyChat's
real MainWindow (window_run.py) with Teach > "Show token probabilities" off
and on, alternating so that background load hits both alike. With it on, the
whole real path runs: the engine's ``on_step`` reads every position's scores
and top alternatives on the model thread, the details travel with the text to
the window's thread (``EngineController.tokenDetail``) and the chat view
shades each token (``ChatView.add_token_detail``), besides the usual
insertion, saving and painting. Each run is timed from the first text shown to
the finished reply painted. Prints the median tokens/s of each, their ratio
(goal >= 0.90), and checks that the text is the same and that the view shaded
the tokens.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from window_run import open_window, stream_once, use_scratch_data_folder

PROMPT = "Tell me a short story about a lighthouse keeper and a storm."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: TinyChat's)")
    args = parser.parse_args()
    scratch = use_scratch_data_folder(args.threads)

    from tinychat.core.catalog import starter_model_path
    from tinychat.core.params import GenerationParams

    model = args.model or starter_model_path()
    if model is None:
        print("No model: pass --model PATH.", file=sys.stderr)
        return 1
    window = open_window(model)
    if window is None:
        print("The window could not load the model.", file=sys.stderr)
        return 1
    window.param_panel.set_params(GenerationParams(
        temperature=0.8, top_k=40, top_p=0.95, min_p=0.05, repeat_penalty=1.1, max_new_tokens=args.tokens, seed=1234,
    ))
    probabilities = window.teaching.probs_action

    def run(on: bool):
        probabilities.setChecked(on)
        result = stream_once(window, PROMPT)
        shaded = len(window.chat_view._detail_ranges)
        if on and shaded == 0:
            raise SystemExit("The probability view shaded nothing: the benchmark does not measure what it says.")
        return result

    run(True)  # warm-up
    plain, shown, texts = [], [], set()
    for round_ in range(args.rounds):
        for on in ((False, True) if round_ % 2 == 0 else (True, False)):
            result = run(on)
            (shown if on else plain).append(result.tokens_per_s)
            texts.add(result.text)
    name = window.controller.info.path.name
    window.close()
    if len(texts) != 1:
        print("The probability view changed the reply.", file=sys.stderr)
        return 1
    a, b = statistics.median(plain), statistics.median(shown)
    print(f"{name}: {args.tokens} tokens at most per run, {args.rounds} rounds, through the real window")
    print(f"probabilities off: {a:8.1f} tokens/s  (runs: {', '.join(f'{x:.1f}' for x in plain)})")
    print(f"probabilities on:  {b:8.1f} tokens/s  (runs: {', '.join(f'{x:.1f}' for x in shown)})")
    ratio = b / a
    print(f"ratio on / off: {ratio:.3f}  (goal >= 0.90: {'met' if ratio >= 0.90 else 'NOT met'})")
    scratch.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
