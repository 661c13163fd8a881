"""The speed report: ``tinychat bench`` as a person runs it, its JSON schema, and llama-bench missing or broken."""

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tinychat.core import speed
from tinychat.core.llama_tools import ENV_TOOLS_DIR, find_tool

#: The report's schema, version 1, written out here on purpose: a field renamed or dropped in
#: tinychat/core/speed.py fails this test until VERSION is raised and this list follows.
FIELDS_V1 = (
    "schema", "version", "created", "quick", "tinychat",
    "machine.cpu", "machine.logical_cores", "machine.system", "machine.python",
    "model.name", "model.file", "model.sha256", "model.size_bytes", "model.parameters", "model.description",
    "model.layers",
    "settings.threads", "settings.n_ctx", "settings.gpu_layers", "settings.gpu_layers_asked", "settings.device",
    "settings.flash_attention", "settings.llama_cpp_python", "settings.llama_bench_build",
    "settings.llama_bench_flash_attention", "settings.new_tokens", "settings.prompt_tokens",
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


def test_schema_is_stable():
    assert speed.SCHEMA == "tinychat.speed-report"
    assert speed.VERSION == 1
    # Fields may be added (then add them here too), never renamed or removed within a version.
    assert set(FIELDS_V1) <= set(speed.FIELDS)
    assert speed.missing_fields({}) == list(speed.FIELDS)
    assert speed.missing_fields({"model": {"name": None}})[:2] == ["schema", "version"]


def _env_without_llama_bench(tmp_path):
    """TINYCHAT_LLAMA_TOOLS_DIR at an empty folder and a PATH with no llama-bench on it."""
    env = dict(os.environ)
    empty = tmp_path / "no-tools"
    empty.mkdir()
    env[ENV_TOOLS_DIR] = str(empty)
    env["PATH"] = os.pathsep.join(
        d for d in env.get("PATH", "").split(os.pathsep) if d and not (Path(d) / "llama-bench").exists()
    )
    env["TINYCHAT_DATA_DIR"] = str(tmp_path / "data")
    assert shutil.which("llama-bench", path=env["PATH"]) is None
    return env


def bench(*args, env=None, timeout=600):
    return subprocess.run(
        [sys.executable, "-m", "tinychat", "bench", *args],
        capture_output=True, text=True, env=env, timeout=timeout,
    )


def _check_report(report):
    assert report["schema"] == speed.SCHEMA and report["version"] == speed.VERSION
    assert speed.missing_fields(report) == []
    assert [d["depth"] for d in report["depths"]] == list(speed.QUICK_DEPTHS)
    assert report["quick"] is True
    assert len(report["model"]["sha256"]) == 64
    assert report["settings"]["threads"] == 1  # TINYCHAT_THREADS, the same for every side
    assert len(report["ttft"]["turns"]) == 10
    # Every side that runs is measured once in a quick run (one repetition).
    for side in ("window", "engine", "bare"):
        assert len(report["generation"][side]["runs"]) == 1, side


@pytest.mark.model
def test_bench_json_quick_without_llama_bench(tmp_path):
    env = _env_without_llama_bench(tmp_path)
    result = bench("--json", "--quick", env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    _check_report(report)
    assert report["llama_bench"] == {"available": False, "path": None}
    assert report["generation"]["llama_bench"] == {"tokens_per_s": None, "runs": []}
    assert report["ratios"]["bare_over_llama_bench"] is None
    # It says so, and how to build it.
    [note] = [n for n in report["notes"] if "--build-tools" in n["text"]]
    assert note["message"] == speed.LLAMA_BENCH_MISSING
    assert "Traceback" not in result.stderr


@pytest.mark.model
@pytest.mark.skipif(find_tool("llama-bench") is None, reason="llama-bench is not built on this machine")
def test_bench_json_quick_with_llama_bench(tmp_path):
    env = dict(os.environ, TINYCHAT_DATA_DIR=str(tmp_path / "data"))
    result = bench("--json", "--quick", "--output", str(tmp_path / "report.json"), env=env)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    _check_report(report)
    assert report["llama_bench"]["available"] is True
    assert len(report["generation"]["llama_bench"]["runs"]) == 1
    assert report["settings"]["llama_bench_build"]
    assert json.loads((tmp_path / "report.json").read_text(encoding="utf-8")) == report


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda d: d / "missing.gguf", "does not exist"),
        (lambda d: d, "is a folder"),
        (lambda d: _write(d / "text.gguf", b"hello, this is not a model" * 10), "not a GGUF model file"),
        (lambda d: _write(d / "cut.gguf", b"GGUF\x03\x00\x00\x00" + b"\x00" * 7), "cut short"),
    ],
    ids=["missing", "folder", "not-gguf", "cut-short"],
)
def test_bench_hostile_model(tmp_path, make, expected):
    path = make(tmp_path)
    result = bench("--model", str(path), "--no-window", env=_env_without_llama_bench(tmp_path))
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("tinychat: "), result.stderr
    assert expected in lines[-1]
    assert "Traceback" not in result.stderr


def test_bench_bad_threads(tmp_path):
    result = bench("--threads", "0", env=_env_without_llama_bench(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip() == "tinychat: --threads must be at least 1."


def _write(path, data):
    path.write_bytes(data)
    return path


def _script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


SETUP = speed.RunSetup(model=Path("model.gguf"), threads=1, n_ctx=512, gpu_layers=0, messages=(("user", "Hi"),))


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in programs are shell scripts")
def test_llama_bench_that_fails_is_one_sentence(tmp_path):
    tool = _script(tmp_path / "llama-bench", 'echo "error: failed to load model" >&2; exit 1')
    with pytest.raises(speed.SpeedError, match="llama-bench failed: error: failed to load model"):
        speed.run_llama_bench(tool, SETUP, 32)
    garbled = _script(tmp_path / "garbled", "echo 'not json'")
    with pytest.raises(speed.SpeedError, match="llama-bench failed"):
        speed.run_llama_bench(garbled, SETUP, 32)


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in programs are shell scripts")
def test_llama_bench_is_stopped_by_cancel(tmp_path):
    tool = _script(tmp_path / "slow", "sleep 30")
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    with pytest.raises(speed.SpeedCancelled):
        speed.run_llama_bench(tool, SETUP, 32, cancel=cancel, timeout_s=20)


@pytest.mark.skipif(find_tool("llama-bench") is None, reason="llama-bench is not built on this machine")
@pytest.mark.model
def test_llama_bench_figures_are_read(starter_path):
    setup = speed.RunSetup(model=starter_path, threads=1, n_ctx=512, gpu_layers=0, messages=(), new_tokens=8)
    figures = speed.run_llama_bench(find_tool("llama-bench"), setup, 16)
    assert figures["pp"] > 0 and figures["tg"] > 0


@pytest.mark.model
def test_report_stops_when_cancelled(starter_path):
    cancel = threading.Event()
    seen = []

    def progress(text, fraction):
        seen.append((text, fraction))
        if len(seen) == 3:
            cancel.set()

    options = speed.SpeedOptions.quick_run(starter_path, llama_bench=False)
    with pytest.raises(speed.SpeedCancelled):
        speed.run_report(options, progress=progress, cancel=cancel)
    assert len(seen) == 3
    assert all(0 < fraction <= 1 for _text, fraction in seen)


def test_cpu_model_and_memory_are_read():
    assert speed.cpu_model()
    if sys.platform != "win32":
        assert speed.peak_rss_mb() > 1



def test_notes_stay_english_in_the_report_and_are_shown_translated():
    from tinychat.core.i18n import install_catalogue

    note = speed.make_note(
        "Depth {depth} was skipped: the context window holds {n_ctx} tokens.", depth=2048, n_ctx=1024
    )
    assert note["text"] == "Depth 2048 was skipped: the context window holds 1024 tokens."
    assert install_catalogue("es") == ""  # restored after the test by conftest's restore_module_state
    assert speed.note_text(note) == "Se omitió la profundidad 2048: la ventana de contexto admite 1024 tokens."
    assert speed.note_text({"text": "kept", "message": "{missing}", "values": {}}) == "kept"


def test_bench_with_the_window_path_refuses_a_damaged_model_in_one_sentence(tmp_path):
    """The window's model thread is already running when the load fails: it is ended, not left to abort Qt."""
    path = _write_return(tmp_path / "odd ñ;name.gguf", b"GGUF\x03\x00garbage")
    result = bench("--quick", "--model", str(path), env=_env_without_llama_bench(tmp_path))
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("tinychat: ")
    assert "QThread" not in result.stderr and "Traceback" not in result.stderr


def _write_return(path, data):
    path.write_bytes(data)
    return path
