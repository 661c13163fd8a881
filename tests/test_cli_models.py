"""``tinychat models`` as a person runs it: a real process against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gguf_files import write_tiny_gguf
from hf_server import fake_hub  # noqa: F401 - the fixture

REPO = "school/Tiny-GGUF"
FILE = "tiny-model.Q8_0.gguf"


def _env(data_dir, hub=None):
    env = dict(os.environ)
    env["TINYCHAT_DATA_DIR"] = str(data_dir)
    # No real keyring (and no plaintext fallback) in tests.
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    if hub is not None:
        env["HF_ENDPOINT"] = hub.url
    return env


def tinychat(*args, data_dir, hub=None, input=None):
    return subprocess.run(
        [sys.executable, "-m", "tinychat", "--data-dir", str(data_dir), "models", *args],
        capture_output=True, text=True, env=_env(data_dir, hub), timeout=120, input=input,
    )


@pytest.fixture(scope="module")
def model_bytes(tmp_path_factory):
    return write_tiny_gguf(tmp_path_factory.mktemp("g") / "m.gguf", vocab=2000, embedding=128).read_bytes()


@pytest.fixture
def repo(fake_hub, model_bytes):  # noqa: F811
    fake_hub.add_repo(REPO, {FILE: model_bytes, "README.md": b"hi"})
    return fake_hub


def test_files_and_download(repo, tmp_path, model_bytes):
    listed = tinychat("files", REPO, "--json", data_dir=tmp_path, hub=repo)
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    [model] = data["models"]
    assert model["name"] == FILE and model["quantization"] == "Q8_0" and model["size"] == len(model_bytes)
    assert model["memory"]["verdict"] in {"fits", "tight", "wont_fit"}
    assert model["memory"]["total"] > len(model_bytes)

    got = tinychat("download", REPO, FILE, data_dir=tmp_path, hub=repo)
    assert got.returncode == 0, got.stderr
    assert "Downloaded and verified" in got.stdout
    assert "%" in got.stderr  # progress went to stderr
    path = tmp_path / "models" / FILE
    assert hashlib.sha256(path.read_bytes()).hexdigest() == hashlib.sha256(model_bytes).hexdigest()

    listing = json.loads(tinychat("list", "--json", data_dir=tmp_path).stdout)
    assert [m["name"] for m in listing["models"]] == [FILE]
    assert listing["models"][0]["repo"] == REPO

    info = json.loads(tinychat("info", FILE, "--json", data_dir=tmp_path).stdout)
    assert info["architecture"] == "llama" and info["has_chat_template"]

    removed = tinychat("remove", FILE, data_dir=tmp_path)
    assert removed.returncode == 0 and not path.exists()


def test_ctrl_c_leaves_a_resumable_part(repo, tmp_path, model_bytes):
    repo.chunk_size = 8 * 1024
    repo.chunk_delay = 0.02
    proc = subprocess.Popen(
        [sys.executable, "-m", "tinychat", "models", "download", REPO, FILE],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(tmp_path, repo),
    )
    part = tmp_path / "models" / (FILE + ".part")
    deadline = time.monotonic() + 60
    while not (part.exists() and part.stat().st_size > 0) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "run the same command again" in err
    assert "Traceback" not in err
    kept = part.stat().st_size
    assert 0 < kept < len(model_bytes)
    assert json.loads(tinychat("list", "--json", data_dir=tmp_path).stdout)["models"] == []

    repo.chunk_delay = 0
    again = tinychat("download", REPO, FILE, "--json", data_dir=tmp_path, hub=repo)
    assert again.returncode == 0, again.stderr
    last = repo.file_requests(FILE)[-1]
    assert {k.lower(): v for k, v in last.headers.items()}["range"] == f"bytes={kept}-"
    [path] = json.loads(again.stdout)["paths"]
    assert Path(path).read_bytes() == model_bytes


@pytest.mark.parametrize(
    "setup, args, fragment",
    [
        (None, ["files", "nobody/nothing"], "There is no model called nobody/nothing"),
        (None, ["download", REPO, "missing.gguf"], "has no GGUF file called missing.gguf"),
        ("gated", ["download", "meta/gated", FILE], "accept the licence on the model page"),
        ("nogguf", ["files", "x/safetensors-only"], "holds no GGUF files"),
        ("corrupt", ["download", REPO, FILE], "arrived damaged"),
    ],
)
def test_hub_errors_are_one_sentence(repo, tmp_path, model_bytes, setup, args, fragment):
    if setup == "gated":
        repo.add_repo("meta/gated", {FILE: model_bytes}, gated=True)
    elif setup == "nogguf":
        repo.add_repo("x/safetensors-only", {"model.safetensors": b"x"})
    elif setup == "corrupt":
        repo.corrupt.add(FILE)
    result = tinychat(*args, data_dir=tmp_path, hub=repo)
    assert result.returncode == 1
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not list((tmp_path / "models").glob("*.gguf"))


def test_gated_listing_says_what_to_do(repo, tmp_path, model_bytes):
    repo.add_repo("meta/gated", {FILE: model_bytes}, gated=True)
    result = tinychat("files", "meta/gated", data_dir=tmp_path, hub=repo)
    assert result.returncode == 0, result.stderr
    assert "accept the licence on the model page" in result.stdout
    assert json.loads(tinychat("files", "meta/gated", "--json", data_dir=tmp_path, hub=repo).stdout)["gated"]


def test_network_down(tmp_path):
    env = _env(tmp_path)
    env["HF_ENDPOINT"] = "http://127.0.0.1:9"  # the discard port: nothing answers
    result = subprocess.run([sys.executable, "-m", "tinychat", "models", "files", REPO],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert "network seems to be down" in result.stderr


def test_import_info_and_bad_files(tmp_path):
    source = write_tiny_gguf(tmp_path / "mine.gguf", arch="qwen2", context_length=4096)
    imported = tinychat("import", str(source), "--json", data_dir=tmp_path / "d")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["path"].endswith("mine.gguf")
    info = tinychat("info", str(source), data_dir=tmp_path / "d")
    assert "qwen2" in info.stdout and "4,096" in info.stdout  # numbers as English writes them

    bad = tmp_path / "bad.gguf"
    bad.write_text("not a model")
    for args, fragment in [
        (["import", str(bad)], "is not a GGUF model file"),
        (["info", str(tmp_path / "nope.gguf")], "does not exist"),
        (["info", str(tmp_path)], "is a folder"),
        (["remove", "nothing.gguf"], "No installed model is called"),
        (["info", str(source), "--n-ctx", "3"], "--n-ctx must be at least"),
    ]:
        result = tinychat(*args, data_dir=tmp_path / "d")
        assert result.returncode in (1, 2) and fragment in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert [m["name"] for m in json.loads(tinychat("list", "--json", data_dir=tmp_path / "d").stdout)["models"]] == [
        "mine.gguf"
    ]


def test_usage_errors(tmp_path):
    assert tinychat(data_dir=tmp_path).returncode == 2
    assert tinychat("download", REPO, data_dir=tmp_path).returncode == 2


def test_catalog_warning_is_shown_for_the_32k_model(fake_hub, tmp_path, model_bytes):  # noqa: F811
    fake_hub.add_repo(
        "Doctor-Shotgun/TinyLlama-1.1B-32k-Instruct", {"tinyllama-1.1b-32k-instruct.Q8_0.gguf": model_bytes}
    )
    result = tinychat("files", "Doctor-Shotgun/TinyLlama-1.1B-32k-Instruct", data_dir=tmp_path, hub=fake_hub)
    assert result.returncode == 0, result.stderr
    assert "no safety alignment" in result.stdout


def test_login_without_keyring(fake_hub, tmp_path):  # noqa: F811
    from hf_server import GOOD_TOKEN

    good = tinychat("login", input=GOOD_TOKEN + "\n", data_dir=tmp_path, hub=fake_hub)
    assert good.returncode == 0, good.stderr
    assert "Signed in as student" in good.stdout
    assert "no password keyring" in good.stderr
    bad = tinychat("login", input="hf_wrong\n", data_dir=tmp_path, hub=fake_hub)
    assert bad.returncode == 1 and "refused the saved token" in bad.stderr


def test_list_names_the_bundled_starter_model(tmp_path):
    listing = json.loads(tinychat("list", "--json", data_dir=tmp_path).stdout)
    assert listing["starter"].endswith(".gguf")
    text = tinychat("list", data_dir=tmp_path).stdout
    assert "Starter model (comes with TinyChat): SmolLM2-135M-Instruct.Q4_1.gguf" in text


def test_info_finds_the_starter_model_by_the_name_list_shows(tmp_path, starter_path):
    listed = tinychat("list", data_dir=tmp_path / "d")
    assert starter_path.name in listed.stdout
    info = tinychat("info", starter_path.name, data_dir=tmp_path / "d")
    assert info.returncode == 0, info.stderr
    assert re.search(r"^Architecture: +llama$", info.stdout, re.M) and str(starter_path) in info.stdout
