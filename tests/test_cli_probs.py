"""``tinychat probs`` run as a real command in a subprocess, on the starter model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tinychat.core.probe import next_token, softmax

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]


def tinychat(*args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        # One thread: the result does not depend on it, and it keeps the test quick on a busy machine.
        [sys.executable, "-m", "tinychat", "--data-dir", str(data_dir), "probs", "--threads", "1", *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=120,
    )


def test_table_for_the_capital_of_france(isolated_data_dir):
    done = tinychat("The capital of France is", "--raw", "--top", "5", data_dir=isolated_data_dir)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert '" Paris"' in out.splitlines()[6]  # the first row of the table, under its header and rule
    for label in ("raw", "repeat penalty", "top-k", "top-p", "min-p", "temperature", "entropy"):
        assert label in out
    assert "raw text, no template" in out


def test_json_matches_the_model_and_the_settings(engine, isolated_data_dir):
    done = tinychat(
        "The capital of France is", "--raw", "--json", "--top", "4",
        "--temperature", "1.0", "--top-k", "3", "--top-p", "1", "--min-p", "0",
        data_dir=isolated_data_dir,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["template"] is None and report["prompt"] == "The capital of France is"
    assert report["params"]["top_k"] == 3
    assert [s["name"] for s in report["stages"]] == ["raw", "penalties", "top_k", "top_p", "min_p", "temperature"]
    top_k = report["stages"][2]
    assert top_k["kept"] == 3 and top_k["removed"] == engine.info.n_vocab - 3
    rows = report["tokens"]
    assert rows[0]["piece"] == " Paris"
    # The same scores as the model gives in this process.
    probs = softmax(next_token(engine, "The capital of France is", raw=True).logits)
    for row in rows:
        assert row["probs"]["raw"] == pytest.approx(probs[row["token"]], abs=1e-4)
    # top_k 3 renormalises the three survivors; the fourth row is cut.
    kept = [probs[row["token"]] for row in rows[:3]]
    for row, p in zip(rows[:3], kept, strict=False):
        assert row["final"] == pytest.approx(p / sum(kept), abs=1e-4)
    assert rows[3]["final"] == 0.0 and rows[3]["probs"]["top_k"] == 0.0


def test_edge_cases_are_explained(isolated_data_dir):
    done = tinychat("Hi", "--json", "--top-k", "100000", "--top-p", "0", "--temperature", "0", "--order",
                    "temperature,top_k,top_p", data_dir=isolated_data_dir)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["order"] == ["temperature", "top_k", "top_p"]
    assert report["greedy"] is True
    assert any("greedy" in note for note in report["notes"])
    finals = [row["final"] for row in report["tokens"]]
    assert finals.count(1.0) == 1 and sum(finals) == 1.0

    done = tinychat("Hi", "--top-k", "100000", "--top-p", "0", data_dir=isolated_data_dir)
    assert done.returncode == 0, done.stderr
    assert "vocabulary has only 49152 tokens" in done.stdout
    assert "Top-p 0 keeps only the likeliest token" in done.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Hi", "--order", "top_k,banana"], "sampler order"),
        (["Hi", "--top-p", "2"], "Top-p must be between"),
        (["   "], "the prompt is empty"),
        (["Hi", "--top", "0"], "--top must be at least 1"),
        (["Hi", "--model", "no/such/model.gguf"], "does not exist"),
        (["word " * 400, "--raw", "--n-ctx", "256"], "too long"),
        (["hi", "--n-ctx", "16"], "at least 256"),
    ],
)
def test_bad_input_gets_one_sentence(isolated_data_dir, args, message):
    done = tinychat(*args, data_dir=isolated_data_dir)
    assert done.returncode == 1
    assert done.stdout == ""
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr
