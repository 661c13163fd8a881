"""Seeded fuzzing of everything TinyChat reads from outside: GGUF headers, chat templates, Markdown.

Each family runs in a subprocess (tests/fuzz_worker.py) under a memory limit,
so an abort (llama.cpp, C++ bad_alloc, Qt) or runaway memory shows up as a
failed case instead of ending pytest, and a hang as a timeout. Every case
must end in success or in one sentence; a traceback, a crash or a hang fails.
The counts are printed (pytest -s shows them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

WORKER = Path(__file__).with_name("fuzz_worker.py")
SEED = 20261129
HEADER_CASES = 150
TEMPLATE_MUTANTS = 60


def run_worker(*args: str, timeout: int, env_extra: dict | None = None) -> tuple[Counter, list[dict]]:
    env = {**os.environ, **(env_extra or {})}
    try:
        done = subprocess.run(
            [sys.executable, str(WORKER), *args], capture_output=True, text=True, timeout=timeout, env=env,
        )
        hung = False
        stdout, stderr, code = done.stdout, done.stderr, done.returncode
    except subprocess.TimeoutExpired as exc:
        hung = True
        stdout = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        stderr = exc.stderr.decode() if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        code = None
    records = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    counts = Counter()
    last_started = None
    for record in records:
        if record["outcome"] == "start":
            last_started = record["case"]
        elif record["outcome"] in ("ok", "sentence", "traceback"):
            counts["tried"] += 1
            counts[record["outcome"]] += 1
            last_started = None
    finished = bool(records) and records[-1]["outcome"] == "end"
    counts["hangs"] = int(hung)
    counts["crashes"] = int(not hung and (code != 0 or not finished))
    summary = f"{args[0]}: " + ", ".join(
        f"{k} {counts[k]}" for k in ("tried", "ok", "sentence", "traceback", "crashes", "hangs")
    )
    print(summary)
    if counts["crashes"] or counts["hangs"]:
        pytest.fail(f"{summary}; the process ended during {last_started!r} (exit {code}):\n{stderr[-3000:]}")
    assert "Traceback" not in stderr, stderr[-3000:]
    return counts, records


def tracebacks(records: list[dict]) -> list[str]:
    return [f"{r['case']}:\n{r['detail']}" for r in records if r["outcome"] == "traceback"]


@pytest.mark.fuzz
def test_fuzzed_gguf_headers_end_in_a_sentence_or_success(tmp_path):
    counts, records = run_worker("headers", str(SEED), str(HEADER_CASES), str(tmp_path), timeout=600)
    assert counts["tried"] == HEADER_CASES + 10
    assert not tracebacks(records), "\n\n".join(tracebacks(records)[:3])
    assert counts["sentence"] > HEADER_CASES // 2  # most mutations break the file, and each says so


@pytest.mark.fuzz
def test_hostile_and_fuzzed_templates_end_in_a_sentence_or_success():
    counts, records = run_worker("templates", str(SEED), str(TEMPLATE_MUTANTS), timeout=600)
    assert not tracebacks(records), "\n\n".join(tracebacks(records)[:3])
    assert counts["sentence"] > 0 and counts["tried"] > 2 * TEMPLATE_MUTANTS


@pytest.mark.fuzz
def test_hostile_markdown_renders_without_crash_or_hang():
    counts, records = run_worker("markdown", timeout=600, env_extra={"QT_QPA_PLATFORM": "offscreen"})
    assert not tracebacks(records), "\n\n".join(tracebacks(records)[:3])
    assert counts["ok"] == counts["tried"] > 10
