"""Experiment export: the files parse and say exactly what happened in the run."""

from __future__ import annotations

import csv
import hashlib
import json

import pytest

from tinychat.core.experiment import CSV_COLUMNS, ExperimentRun, ExportError
from tinychat.core.params import GenerationParams
from tinychat.core.stepper import StepSession

pytestmark = pytest.mark.model

PARAMS = GenerationParams(
    temperature=0.9, top_k=30, top_p=0.9, min_p=0.02, repeat_penalty=1.1, seed=77, max_new_tokens=6
)


@pytest.fixture(scope="module")
def run(engine):
    session = StepSession.from_prompt(engine, "¿Qué es un token?", PARAMS, alternatives=5)
    session.step()
    forced_token = session.trace().raw.top(3)[2][0]
    session.step(force=forced_token)
    session.run(4)
    return session, ExperimentRun.from_session(session, prompt="¿Qué es un token?")


def test_json_parses_and_matches_the_run(run, tmp_path, starter_path):
    session, experiment = run
    path = experiment.write_json(tmp_path / "out" / "run.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "tinychat-experiment"
    assert data["model_file"] == starter_path.name
    assert data["model_sha256"] == hashlib.sha256(starter_path.read_bytes()).hexdigest()
    assert data["template"] == "gguf" and "im_start" in data["template_text"]
    assert data["prompt"] == "¿Qué es un token?" and "¿Qué es un token?" in data["prompt_text"]
    assert data["seed"] == 77 and data["params"]["seed"] == 77
    assert {
        k: data["params"][k] for k in ("temperature", "top_k", "top_p", "min_p", "repeat_penalty", "max_new_tokens")
    } == {
        "temperature": 0.9,
        "top_k": 30,
        "top_p": 0.9,
        "min_p": 0.02,
        "repeat_penalty": 1.1,
        "max_new_tokens": 6,
    }
    assert data["order"] == ["penalties", "top_k", "top_p", "min_p", "temperature"]
    tokens = data["tokens"]
    assert [t["token"] for t in tokens] == session.tokens
    assert [t["forced"] for t in tokens] == [False, True, False, False, False, False][: len(tokens)]
    assert data["text"] == session.text
    for record, step in zip(tokens, session.steps, strict=True):
        assert record["piece"] == step.piece
        assert record["prob"] == step.prob and record["raw_prob"] == step.raw_prob
        alts = record["alternatives"]
        assert len(alts) == 5
        assert [a["raw_prob"] for a in alts] == sorted((a["raw_prob"] for a in alts), reverse=True)
        if not record["forced"]:
            assert record["prob"] > 0
    # The forced token was the third likeliest: it is among the alternatives with its raw probability.
    forced = tokens[1]
    assert forced["alternatives"][2]["token"] == forced["token"]
    assert forced["alternatives"][2]["raw_prob"] == forced["raw_prob"]
    assert ExperimentRun.read_json(path) == experiment


def test_csv_parses_and_matches_the_run(run, tmp_path):
    session, experiment = run
    path = experiment.write_csv(tmp_path / "run.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 5 * len(session.steps)
    for step in session.steps:
        mine = [r for r in rows if int(r["step"]) == step.index]
        assert [int(r["rank"]) for r in mine] == [1, 2, 3, 4, 5]
        assert {int(r["token_id"]) for r in mine} == {step.token}
        assert {r["piece"] for r in mine} == {step.piece}
        assert [int(r["alt_token_id"]) for r in mine] == [a.token for a in step.alternatives]
        assert [float(r["alt_raw_prob"]) for r in mine] == [a.raw_prob for a in step.alternatives]
        assert [float(r["alt_prob"]) for r in mine] == [a.prob for a in step.alternatives]
        assert float(mine[0]["prob"]) == step.prob
        assert {r["forced"] for r in mine} == {str(int(step.forced))}
    assert {r["seed"] for r in rows} == {"77"}
    assert {r["top_k"] for r in rows} == {"30"}
    assert {r["model_sha256"] for r in rows} == {experiment.model_sha256}


def test_export_errors_are_sentences(run, tmp_path):
    _, experiment = run
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="Cannot save"):
        experiment.write_json(blocker / "run.json")
    # Nothing half-written next to an existing export either.
    good = experiment.write_csv(tmp_path / "run.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "run.csv"]
    assert good.read_text(encoding="utf-8-sig").startswith("step,")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ExportError, match="not a valid experiment"):
        ExperimentRun.read_json(bad)
    other = tmp_path / "other.json"
    other.write_text('{"hello": 1}')
    with pytest.raises(ExportError, match="not a TinyChat experiment"):
        ExperimentRun.read_json(other)
