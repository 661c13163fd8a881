"""The speed report: how fast a model runs here, through TinyChat and without it, in one run.

One report measures, with the same model file, threads, context size, GPU
layers, prompt, sampler and seed on every side:

- generation tokens/s through the window's path (worker thread, chat view,
  store: measured by the GUI side, see :class:`WindowPath`), through the
  :class:`~tinychat.core.engine.Engine` alone, through bare llama-cpp-python
  (``Llama.generate`` with the same sampler), and through llama.cpp's own
  ``llama-bench`` (tg) when it is installed;
- prompt tokens/s (bare llama-cpp-python and ``llama-bench`` pp);
- time to the first token at turn 1 and turn 10 of one conversation;
- load time and peak memory (RSS) of this process;
- generation tokens/s with 0, 512, 1024 and 2048 tokens already in the
  context (as far as the context allows).

The sides take turns, repetition after repetition, in a rotating order, so
that whatever else the machine is doing hits all of them alike. Every run is
bounded: a fixed number of tokens and repetitions (``quick`` makes them small
enough for a test). The report is a plain dict with a stable, versioned schema
(:data:`SCHEMA`, :data:`VERSION`), written as JSON by ``tinychat bench --json``
and drawn by the Performance window.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from tinychat import __version__
from tinychat.core.hardware import release_worker_threads
from tinychat.core.i18n import QT_TRANSLATE_NOOP, translate

SCHEMA = "tinychat.speed-report"
#: Bumped whenever a field is renamed, removed or changes meaning (adding a field does not).
VERSION = 1
DEPTHS = (0, 512, 1024, 2048)
QUICK_DEPTHS = (0, 128)
PROMPT = "Write a long story about a lighthouse keeper and a storm."
#: Short questions for the multi-turn measurement (time to first token at turn 1 and turn 10).
TURN_QUESTIONS = (
    "What is a token?",
    "Why is the sky blue?",
    "Name three rivers.",
    "What is a lighthouse?",
    "How do birds fly?",
    "What is rain?",
    "Count to five.",
    "What is a storm?",
    "Who keeps a lighthouse?",
    "Say goodbye.",
)
LLAMA_BENCH_TIMEOUT_S = 600

_CTX = "Speed"
LLAMA_BENCH_MISSING = QT_TRANSLATE_NOOP(
    _CTX,
    "llama.cpp's own llama-bench was not found, so the report has no reference from llama.cpp itself. "
    "Build it once with: tinychat bench --build-tools (about ten minutes on two cores).",
)
NO_WINDOW_PATH = QT_TRANSLATE_NOOP(
    _CTX, "The window's path was not measured (it needs Qt); its figures are empty."
)


def _t(text: str) -> str:
    return translate(_CTX, text)


class SpeedError(RuntimeError):
    """The report could not run; the message is one sentence for the person.

    ``template`` and ``values``: the sentence before translation, so a report can keep it
    in English (the JSON is the same in every language) and show it translated.
    """

    def __init__(self, message: str, template: str = "", **values: Any) -> None:
        super().__init__(message)
        self.template = template or message
        self.values = values

    @classmethod
    def of(cls, template: str, **values: Any) -> SpeedError:
        return cls(_t(template).format(**values), template, **values)


def make_note(template: str, **values: Any) -> dict[str, Any]:
    """A note of the report: its English sentence (``text``), and the template and values to translate it."""
    return {"text": template.format(**values), "message": template, "values": values}


def note_text(note: dict[str, Any]) -> str:
    """A report's note in the current language."""
    try:
        return str(_t(note["message"]).format(**note.get("values", {})))
    except (KeyError, IndexError, ValueError, TypeError):
        return str(note.get("text", ""))


class SpeedCancelled(Exception):
    """The person stopped the report."""


@dataclass(frozen=True)
class SpeedOptions:
    model: Path
    threads: int | None = None
    gpu_layers: int = 0
    new_tokens: int = 128
    prompt_tokens: int = 128
    repetitions: int = 3
    depths: tuple[int, ...] = DEPTHS
    turns: int = 10
    #: Tokens of each reply in the multi-turn measurement.
    turn_tokens: int = 24
    quick: bool = False
    llama_bench: bool = True

    @classmethod
    def quick_run(cls, model: Path, **kwargs: Any) -> SpeedOptions:
        """A report small enough for a test: few tokens, one repetition, shallow depths."""
        values: dict[str, Any] = dict(
            new_tokens=16, prompt_tokens=32, repetitions=1, depths=QUICK_DEPTHS, turn_tokens=4, quick=True
        )
        values.update(kwargs)
        return cls(model=model, **values)


@dataclass(frozen=True)
class RunSetup:
    """What every side of the report shares; the window's side loads its model with these."""

    model: Path
    threads: int
    n_ctx: int
    gpu_layers: int
    messages: tuple[tuple[str, str], ...]
    temperature: float = 0.8
    top_k: int = 40
    top_p: float = 0.95
    min_p: float = 0.05
    repeat_penalty: float = 1.0
    seed: int = 1
    new_tokens: int = 128

    def message_dicts(self) -> list[dict[str, str]]:
        return [{"role": role, "content": content} for role, content in self.messages]

    def params(self) -> Any:
        from tinychat.core.params import GenerationParams

        return GenerationParams(
            temperature=self.temperature, top_k=self.top_k, top_p=self.top_p, min_p=self.min_p,
            repeat_penalty=self.repeat_penalty, seed=self.seed, max_new_tokens=self.new_tokens,
        )


class WindowPath(Protocol):
    """The window's side, given by the GUI (core cannot import Qt): one reply through the real worker and view."""

    def measure(self, setup: RunSetup) -> float:
        """Send ``setup``'s messages through the window's path; the reply's tokens/s as the window received them."""

    def close(self) -> None: ...


Progress = Callable[[str, float], None]


@dataclass
class _Series:
    runs: list[float] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"tokens_per_s": statistics.median(self.runs) if self.runs else None, "runs": list(self.runs)}


# -- the machine -------------------------------------------------------------------------------------------


def cpu_model() -> str:
    """The processor's name, as the system reports it."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    if sys.platform == "darwin":
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                ["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True, text=True, timeout=5, check=False
            )
            if out.stdout.strip():
                return out.stdout.strip()
    return platform.processor() or platform.machine() or "unknown"


def peak_rss_mb() -> float | None:
    """This process's peak resident memory in MB (None where the system does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _machine() -> dict[str, Any]:
    return {
        "cpu": cpu_model(),
        "logical_cores": os.cpu_count() or 0,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


# -- llama-bench ------------------------------------------------------------------------------------------


def run_llama_bench(
    tool: Path,
    setup: RunSetup,
    prompt_tokens: int,
    *,
    timeout_s: float = LLAMA_BENCH_TIMEOUT_S,
    cancel: threading.Event | None = None,
) -> dict[str, Any]:
    """One run of llama.cpp's ``llama-bench`` (pp and tg, one repetition): its figures and build.

    Raises SpeedError with a sentence when it fails or prints something else than its JSON.
    """
    layers = setup.gpu_layers if setup.gpu_layers >= 0 else 999  # llama-bench's "all"
    command = [
        str(tool), "-m", str(setup.model), "-t", str(setup.threads), "-ngl", str(layers),
        "-p", str(prompt_tokens), "-n", str(setup.new_tokens), "-r", "1", "-o", "json",
    ]
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True
        )
    except OSError as exc:
        raise SpeedError.of(
            QT_TRANSLATE_NOOP(_CTX, "llama-bench could not be started: {reason}."), reason=str(exc.strerror or exc)
        ) from None
    deadline = time.monotonic() + timeout_s
    try:
        while True:
            try:
                stdout, stderr = process.communicate(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel.is_set():
                    raise SpeedCancelled from None
                if time.monotonic() > deadline:
                    raise SpeedError.of(
                        QT_TRANSLATE_NOOP(_CTX, "llama-bench did not finish within {seconds} seconds."),
                        seconds=int(timeout_s),
                    ) from None
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return _parse_llama_bench(process.returncode, stdout, stderr)


def _parse_llama_bench(returncode: int, stdout: str, stderr: str) -> dict[str, Any]:
    try:
        entries = json.loads(stdout)
    except ValueError:
        entries = None
    if returncode != 0 or not isinstance(entries, list):
        tail = " ".join((stderr or "").strip().splitlines()[-2:])
        raise SpeedError.of(QT_TRANSLATE_NOOP(_CTX, "llama-bench failed: {reason}"), reason=tail or str(returncode))
    result: dict[str, Any] = {"pp": None, "tg": None, "build": "", "flash_attention": None}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        result["build"] = f"{entry.get('build_number', '')} {entry.get('build_commit', '')}".strip()
        result["flash_attention"] = entry.get("flash_attn")
        rate = entry.get("avg_ts")
        if entry.get("n_gen", 0) == 0 and entry.get("n_prompt", 0) > 0:
            result["pp"] = rate
        elif entry.get("n_gen", 0) > 0:
            result["tg"] = rate
    return result


# -- the measurements ---------------------------------------------------------------------------------------


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise SpeedCancelled


def _bare_generate(
    llm: Any, tokens: Sequence[int], setup: RunSetup, cancel: threading.Event | None
) -> tuple[float | None, float | None]:
    """Bare llama-cpp-python with the engine's sampler, seed and stopping rule, nothing else.

    Returns (tokens/s after the first token, seconds to the first token: reading the prompt).
    """
    import llama_cpp

    llm.reset()
    llm.set_seed(setup.seed)
    vocab = llm._model.vocab
    start = time.perf_counter()
    first: float | None = None
    count = 0
    stream = llm.generate(
        list(tokens), top_k=setup.top_k, top_p=setup.top_p, min_p=setup.min_p, typical_p=1.0,
        temp=setup.temperature, repeat_penalty=setup.repeat_penalty, reset=True,
    )
    try:
        for token in stream:
            if first is None:
                first = time.perf_counter()
            if cancel is not None and cancel.is_set():
                break
            if llama_cpp.llama_vocab_is_eog(vocab, token):
                break
            llm._model.detokenize([token])
            count += 1
            if count >= setup.new_tokens:
                break
    finally:
        stream.close()
    end = time.perf_counter()
    # Not timed: the window's model thread measures next (see hardware.release_worker_threads).
    release_worker_threads()
    _check_cancel(cancel)
    ttft = first - start if first is not None else None
    if first is None or count < 2 or end <= first:
        return None, ttft
    return (count - 1) / (end - first), ttft


def _bare_prompt(llm: Any, tokens: Sequence[int]) -> float:
    """Prompt tokens/s of bare llama-cpp-python: one evaluation of ``tokens`` from an empty cache."""
    llm.reset()
    start = time.perf_counter()
    llm.eval(list(tokens))
    rate = len(tokens) / max(time.perf_counter() - start, 1e-9)
    release_worker_threads()
    return rate


def _filler(llm: Any, count: int) -> list[int]:
    """``count`` tokens of ordinary text, to fill the context before a depth measurement."""
    text = (
        "The keeper climbed the stairs of the lighthouse every evening, lit the lamp, and watched the sea. "
        "Ships passed far away; gulls slept on the rocks; the wind came and went with the tide. "
    )
    unit = llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)
    tokens: list[int] = []
    while len(tokens) < count:
        tokens.extend(unit)
    return tokens[:count]


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def _n_ctx(model: Path, options: SpeedOptions) -> int:
    from tinychat.core.gguf_info import GGUFInfoError, read_gguf_info

    try:
        trained = read_gguf_info(model).context_length or 4096
    except GGUFInfoError as exc:
        raise SpeedError(str(exc)) from None
    wanted = max(options.depths, default=0) + options.prompt_tokens + options.new_tokens + 64
    wanted = max(wanted, options.turns * (options.turn_tokens + 40) + 64, 512)
    return min(trained, wanted)


class _Report:
    """One run of the report; :func:`run_report` is the way in."""

    def __init__(
        self,
        options: SpeedOptions,
        window_path: WindowPath | None,
        progress: Progress | None,
        cancel: threading.Event | None,
        llama_bench: Path | None,
    ) -> None:
        self.options = options
        self.window_path = window_path
        self.progress = progress
        self.cancel = cancel
        self.llama_bench = llama_bench
        self.notes: list[dict[str, Any]] = []
        self.steps_done = 0
        self.steps = (
            2 + (options.repetitions + 1) * 3 + len(options.depths) + options.turns
        )

    def say(self, text: str) -> None:
        _check_cancel(self.cancel)
        self.steps_done += 1
        if self.progress is not None:
            self.progress(text, min(1.0, self.steps_done / self.steps))

    def run(self) -> dict[str, Any]:
        import llama_cpp

        from tinychat.core.engine import Engine, EngineError, default_threads
        from tinychat.core.fingerprint import sha256_of

        options = self.options
        threads = options.threads or default_threads()
        self.say(_t("Loading the model…"))
        model = Path(options.model).expanduser()
        engine = Engine()
        start = time.perf_counter()
        try:
            info = engine.load(model, n_ctx=_n_ctx(model, options), n_threads=threads, n_gpu_layers=options.gpu_layers)
        except (EngineError, SpeedError) as exc:
            if self.window_path is not None:  # its model thread is already running: end it too
                self.window_path.close()
            raise SpeedError(str(exc)) from None
        load_s = time.perf_counter() - start
        rss_after_load = peak_rss_mb()
        bare: Any = None
        try:
            n_ctx = info.n_ctx
            setup = RunSetup(
                # The layers the engine really offloaded ("automatic" is resolved by then), for every side.
                model=info.path, threads=threads, n_ctx=n_ctx, gpu_layers=info.gpu_layers,
                messages=(("user", PROMPT),), new_tokens=options.new_tokens,
            )
            prompt_ids = engine.tokenize(engine.render(setup.message_dicts()))
            # What llama.cpp chose for the engine (its "auto" resolved), for every side.
            flash = "on" if info.flash_attn else "off"
            self.say(_t("Loading the model a second time for bare llama-cpp-python…"))
            start = time.perf_counter()
            bare = llama_cpp.Llama(
                model_path=str(info.path), n_ctx=n_ctx, n_threads=threads, n_threads_batch=threads,
                n_gpu_layers=info.gpu_layers, flash_attn=info.flash_attn, verbose=False,
            )
            bare_load_s = time.perf_counter() - start
            series = self._generation(engine, bare, setup, prompt_ids)
            depths = self._depths(bare, setup)
            ttft = self._turns(engine, setup)
            sha = sha256_of(info.path)
        finally:
            if bare is not None:
                bare.close()
            engine.close()
            if self.window_path is not None:
                self.window_path.close()
        window, engine_s, bare_s, bench_tg = (series[k] for k in ("window", "engine", "bare", "llama_bench"))
        prompt_bare, bench_pp, bench_info = series["prompt_bare"], series["prompt_bench"], series["bench_info"]
        report: dict[str, Any] = {
            "schema": SCHEMA,
            "version": VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "quick": options.quick,
            "tinychat": __version__,
            "machine": _machine(),
            "model": {
                "name": info.name,
                "file": info.path.name,
                "sha256": sha,
                "size_bytes": info.file_size,
                "parameters": info.n_params,
                "description": info.description,
                "layers": info.n_layers,
            },
            "settings": {
                "threads": threads,
                "n_ctx": n_ctx,
                "gpu_layers": info.gpu_layers,
                "gpu_layers_asked": options.gpu_layers,
                "device": info.device,
                "flash_attention": flash,
                "flash_attention_asked": info.flash_attn_asked,
                "llama_cpp_python": getattr(llama_cpp, "__version__", "unknown"),
                "llama_bench_build": bench_info.get("build", ""),
                "llama_bench_flash_attention": bench_info.get("flash_attention"),
                "new_tokens": options.new_tokens,
                "prompt_tokens": options.prompt_tokens,
                "repetitions": options.repetitions,
                "sampler": {
                    "temperature": setup.temperature, "top_k": setup.top_k, "top_p": setup.top_p,
                    "min_p": setup.min_p, "seed": setup.seed,
                },
            },
            "load_s": load_s,
            "bare_load_s": bare_load_s,
            "memory": {
                "peak_rss_after_load_mb": rss_after_load,
                "peak_rss_mb": peak_rss_mb(),
                "model_file_mb": info.file_size / (1024 * 1024),
            },
            "generation": {
                "window": window.to_dict(),
                "engine": engine_s.to_dict(),
                "bare": bare_s.to_dict(),
                "llama_bench": bench_tg.to_dict(),
            },
            "prompt": {"bare": prompt_bare.to_dict(), "llama_bench": bench_pp.to_dict()},
            "ttft": ttft,
            "depths": depths,
            "llama_bench": {
                "available": self.llama_bench is not None,
                "path": str(self.llama_bench) if self.llama_bench else None,
            },
            "notes": [n for i, n in enumerate(self.notes) if n not in self.notes[:i]],
        }
        gen = report["generation"]
        report["ratios"] = {
            "window_over_bare": _ratio(gen["window"]["tokens_per_s"], gen["bare"]["tokens_per_s"]),
            "engine_over_bare": _ratio(gen["engine"]["tokens_per_s"], gen["bare"]["tokens_per_s"]),
            "window_over_llama_bench": _ratio(gen["window"]["tokens_per_s"], gen["llama_bench"]["tokens_per_s"]),
            "bare_over_llama_bench": _ratio(gen["bare"]["tokens_per_s"], gen["llama_bench"]["tokens_per_s"]),
            "prompt_bare_over_llama_bench": _ratio(
                report["prompt"]["bare"]["tokens_per_s"], report["prompt"]["llama_bench"]["tokens_per_s"]
            ),
            "ttft_turn_10_over_turn_1": _ratio(ttft["turn_10_s"], ttft["turn_1_s"]),
        }
        return report

    def _generation(self, engine: Any, bare: Any, setup: RunSetup, prompt_ids: list[int]) -> dict[str, Any]:
        """Every side in turn, repetition after repetition (a warm-up round first, not counted)."""
        options = self.options
        series: dict[str, Any] = {
            k: _Series() for k in ("window", "engine", "bare", "llama_bench", "prompt_bare", "prompt_bench")
        }
        series["bench_info"] = {}
        params = setup.params()
        prompt_sample = _filler(bare, options.prompt_tokens)
        sides = ["window", "engine", "bare", "llama_bench"]
        if self.window_path is None:
            sides.remove("window")
            self.notes.append(make_note(NO_WINDOW_PATH))
        if self.llama_bench is None:
            sides.remove("llama_bench")
            self.notes.append(make_note(LLAMA_BENCH_MISSING))
        names = {
            "window": _t("through the window"),
            "engine": _t("through TinyChat's engine"),
            "bare": _t("bare llama-cpp-python"),
            "llama_bench": _t("llama-bench"),
        }
        for repetition in range(options.repetitions + 1):
            counted = repetition > 0
            # Rotate the order, so that no side always runs first (or right after the same one).
            shift = repetition % len(sides)
            for side in sides[shift:] + sides[:shift]:
                _check_cancel(self.cancel)
                if self.progress is not None:
                    label = _t("Generating {side} (round {n} of {total})") if counted else _t("Warming up {side}")
                    self.progress(
                        label.format(side=names[side], n=repetition, total=options.repetitions),
                        min(1.0, self.steps_done / self.steps),
                    )
                rate = self._one(side, engine, bare, setup, params, prompt_ids, prompt_sample, series, counted)
                if counted and rate is not None:
                    series[side].runs.append(rate)
            self.steps_done += 3
        return series

    def _one(  # noqa: PLR0913 - one repetition of one side, with everything the sides share
        self, side: str, engine: Any, bare: Any, setup: RunSetup, params: Any, prompt_ids: list[int],
        prompt_sample: list[int], series: dict[str, Any], counted: bool,
    ) -> float | None:
        if side == "window":
            assert self.window_path is not None
            return self.window_path.measure(setup)
        if side == "engine":
            engine.invalidate_cache()
            result = engine.generate(setup.message_dicts(), params, cancel=self.cancel)
            _check_cancel(self.cancel)
            rate: float | None = result.stats.tokens_per_s
            return rate
        if side == "bare":
            rate, _ttft = _bare_generate(bare, prompt_ids, setup, self.cancel)
            if counted:
                series["prompt_bare"].runs.append(_bare_prompt(bare, prompt_sample))
            return rate
        assert self.llama_bench is not None
        try:
            figures = run_llama_bench(self.llama_bench, setup, self.options.prompt_tokens, cancel=self.cancel)
        except SpeedError as exc:
            self.notes.append(make_note(exc.template, **exc.values))
            return None
        series["bench_info"] = figures
        if counted and figures["pp"]:
            series["prompt_bench"].runs.append(float(figures["pp"]))
        return float(figures["tg"]) if figures["tg"] else None

    def _depths(self, bare: Any, setup: RunSetup) -> list[dict[str, Any]]:
        """Generation speed with ``depth`` tokens already in the context (bare llama-cpp-python)."""
        results: list[dict[str, Any]] = []
        room = setup.n_ctx - setup.new_tokens - 8
        for depth in self.options.depths:
            self.say(_t("Generating after {depth} tokens of context…").format(depth=depth))
            if depth > room:
                results.append({"depth": depth, "tokens_per_s": None, "prompt_tokens_per_s": None})
                self.notes.append(
                    make_note(
                        QT_TRANSLATE_NOOP(_CTX, "Depth {depth} was skipped: the context window holds {n_ctx} tokens."),
                        depth=depth, n_ctx=setup.n_ctx,
                    )
                )
                continue
            filler = _filler(bare, depth)
            prompt = [bare.token_bos(), *filler] if depth else [bare.token_bos()]
            rate, ttft = _bare_generate(bare, prompt, setup, self.cancel)
            # Reading the context is most of the time to the first token once it is long.
            prompt_rate = len(prompt) / ttft if depth >= 32 and ttft else None
            results.append({"depth": depth, "tokens_per_s": rate, "prompt_tokens_per_s": prompt_rate})
        return results

    def _turns(self, engine: Any, setup: RunSetup) -> dict[str, Any]:
        """Time to the first token at each turn of one conversation, through the engine (its cache reuse included).

        After each reply the engine reads it into its cache, untimed, as the
        window does while the person reads it (EngineController._save_state):
        the next turn then reads only its new question.
        """
        options = self.options
        params = replace(setup, new_tokens=options.turn_tokens).params()
        engine.invalidate_cache()
        messages: list[dict[str, str]] = []
        times: list[float | None] = []
        for turn in range(options.turns):
            self.say(_t("Conversation turn {n} of {total}…").format(n=turn + 1, total=options.turns))
            messages.append({"role": "user", "content": TURN_QUESTIONS[turn % len(TURN_QUESTIONS)]})
            result = engine.generate(messages, params, cancel=self.cancel)
            _check_cancel(self.cancel)
            times.append(result.stats.ttft_s)
            engine.extend_prefix(engine.follow_prefix(messages, result.text))
            messages.append({"role": "assistant", "content": result.text})
        return {
            "turn_1_s": times[0] if times else None,
            "turn_10_s": times[9] if len(times) >= 10 else None,
            "turns": times,
        }


def run_report(
    options: SpeedOptions,
    *,
    window_path: WindowPath | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> dict[str, Any]:
    """Measure and return the report (see the module's description). Raises SpeedError or SpeedCancelled."""
    from tinychat.core.llama_tools import find_tool

    bench = find_tool("llama-bench") if options.llama_bench else None
    return _Report(options, window_path, progress, cancel, bench).run()


#: Every field of a report, as dotted paths; a report always has all of them (a figure it could not
#: measure is null). Changing this list other than by adding to it means a new VERSION.
FIELDS = (
    "schema", "version", "created", "quick", "tinychat",
    "machine.cpu", "machine.logical_cores", "machine.system", "machine.python",
    "model.name", "model.file", "model.sha256", "model.size_bytes", "model.parameters", "model.description",
    "model.layers",
    "settings.threads", "settings.n_ctx", "settings.gpu_layers", "settings.gpu_layers_asked", "settings.device",
    "settings.flash_attention", "settings.flash_attention_asked", "settings.llama_cpp_python",
    "settings.llama_bench_build", "settings.llama_bench_flash_attention", "settings.new_tokens",
    "settings.prompt_tokens",
    "settings.repetitions", "settings.sampler",
    "load_s", "bare_load_s",
    "memory.peak_rss_after_load_mb", "memory.peak_rss_mb", "memory.model_file_mb",
    "generation.window.tokens_per_s", "generation.window.runs",
    "generation.engine.tokens_per_s", "generation.engine.runs",
    "generation.bare.tokens_per_s", "generation.bare.runs",
    "generation.llama_bench.tokens_per_s", "generation.llama_bench.runs",
    "prompt.bare.tokens_per_s", "prompt.llama_bench.tokens_per_s",
    "ttft.turn_1_s", "ttft.turn_10_s", "ttft.turns",
    "depths",
    "llama_bench.available", "llama_bench.path",
    "ratios.window_over_bare", "ratios.engine_over_bare", "ratios.window_over_llama_bench",
    "ratios.bare_over_llama_bench", "ratios.prompt_bare_over_llama_bench", "ratios.ttft_turn_10_over_turn_1",
    "notes",
)


def missing_fields(report: dict[str, Any]) -> list[str]:
    """The dotted paths of :data:`FIELDS` that ``report`` lacks (a null value counts as present)."""
    missing = []
    for path in FIELDS:
        node: Any = report
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                missing.append(path)
                break
            node = node[part]
    return missing
