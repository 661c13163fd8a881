"""``tinychat chats`` run as a real command in a subprocess, on a real data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tinychat.core.params import GenerationParams
from tinychat.core.results import GenerationResult, GenerationStats
from tinychat.core.store import Store

REPO = Path(__file__).resolve().parents[1]


def tinychat(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONIOENCODING="utf-8")
    env.pop("TINYCHAT_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "tinychat", "--data-dir", str(data), *args],
        capture_output=True, text=True, encoding="utf-8", env=env, timeout=60,
    )


@pytest.fixture
def data(tmp_path):
    folder = tmp_path / "portable"
    folder.mkdir()
    with Store(folder / "chats.sqlite3") as store:
        first = store.create_conversation("Primera")
        store.add_message(first.id, "user", "¿Qué es un token? 😀")
        result = GenerationResult(text="Un trozo de palabra.", seed=7, params=GenerationParams(temperature=0.4),
                                  stats=GenerationStats(completion_tokens=5, tokens_per_s=50.0))
        store.record_exchange(None, "segunda pregunta", result, model_path="/m/smol.gguf")
    return folder


def test_list_newest_first_as_text_and_json(data):
    done = tinychat(data, "chats", "list")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "segunda pregunta" in lines[0] and "Primera" in lines[1]
    done = tinychat(data, "chats", "list", "--json")
    listed = json.loads(done.stdout)
    assert [(c["id"], c["title"], c["messages"]) for c in listed] == [(2, "segunda pregunta", 2), (1, "Primera", 1)]
    assert listed[0]["model_file"] == "smol.gguf"


def test_an_empty_data_folder_lists_nothing(tmp_path):
    done = tinychat(tmp_path / "new", "chats", "list", "--json")
    assert done.returncode == 0 and json.loads(done.stdout) == []


def test_show_and_export_markdown(data, tmp_path):
    shown = tinychat(data, "chats", "show", "2")
    assert shown.returncode == 0, shown.stderr
    assert "## Assistant" in shown.stdout and "seed 7" in shown.stdout and "Un trozo de palabra." in shown.stdout
    out = tmp_path / "chat.md"
    done = tinychat(data, "chats", "export", "1", "--format", "md", "-o", str(out))
    assert done.returncode == 0 and done.stdout == ""
    assert "¿Qué es un token? 😀" in out.read_text(encoding="utf-8")


def test_export_json_then_import_makes_a_copy(data, tmp_path):
    exported = tinychat(data, "chats", "export", "2", "--format", "json")
    assert exported.returncode == 0, exported.stderr
    path = tmp_path / "copy.json"
    path.write_text(exported.stdout, encoding="utf-8")
    done = tinychat(data, "chats", "import", str(path))
    assert done.returncode == 0, done.stderr
    assert "as conversation 3" in done.stdout
    again = json.loads(tinychat(data, "chats", "export", "3", "--format", "json").stdout)
    original = json.loads(exported.stdout)
    assert [m["content"] for m in again["messages"]] == [m["content"] for m in original["messages"]]
    assert again["messages"][-1]["seed"] == 7


@pytest.mark.parametrize(
    "args, words",
    [
        (("chats", "show", "42"), "no conversation number 42"),
        (("chats", "export", "abc", "--format", "json"), "not a conversation number"),
        (("chats", "import", "missing.json"), "Could not read"),
    ],
)
def test_errors_are_one_sentence_and_exit_1(data, args, words):
    done = tinychat(data, *args)
    assert done.returncode == 1
    assert words in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_importing_a_truncated_file_says_so(data, tmp_path):
    text = tinychat(data, "chats", "export", "2", "--format", "json").stdout
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    done = tinychat(data, "chats", "import", str(cut))
    assert done.returncode == 1 and "ends too early" in done.stderr
    assert len(json.loads(tinychat(data, "chats", "list", "--json").stdout)) == 2


def test_a_damaged_file_is_reported_and_kept(tmp_path):
    folder = tmp_path / "damaged"
    folder.mkdir()
    (folder / "chats.sqlite3").write_bytes(b"garbage" * 1000)
    done = tinychat(folder, "chats", "list", "--json")
    assert done.returncode == 0 and json.loads(done.stdout) == []
    assert "damaged" in done.stderr
    kept = [p for p in folder.iterdir() if p.name.startswith("chats.sqlite3.damaged-")]
    assert len(kept) == 1 and kept[0].read_bytes() == b"garbage" * 1000


def test_a_data_folder_that_cannot_be_used_is_one_sentence(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = tinychat(blocker, "chats", "list")
    assert done.returncode == 1 and "--data-dir" in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
