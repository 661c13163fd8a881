"""Hostile files and text: each ends in one sentence, never a crash, a traceback or a frozen window.

One test per defect found by trying TinyChat as an attacker would; the seeded
fuzz test over many more cases is tests/test_fuzz.py.
"""

from __future__ import annotations

import math
import os
import signal
import sqlite3
import struct
import subprocess
import sys

import numpy as np
import pytest
from gguf import GGUFWriter

from tinychat.core import hub
from tinychat.core.engine import Engine, ModelLoadError
from tinychat.core.gguf_info import GGUFInfoError, read_gguf_info
from tinychat.core.templates import ChatTemplate, TemplateError, gguf_template, resolve_template

# --- GGUF headers that llama.cpp asserts on -------------------------------------------------

BASE = {
    "llama.context_length": 512,
    "llama.block_count": 2,
    "llama.embedding_length": 32,
    "llama.attention.head_count": 4,
    "llama.attention.head_count_kv": 2,
    "llama.attention.layer_norm_rms_epsilon": 1e-5,
    "llama.rope.freq_base": 10000.0,
}


def gguf_with(path, vocab: int = 100, **changes):
    """A small llama-shaped GGUF whose hyperparameters are BASE with ``changes`` (key with dots as __)."""
    values = dict(BASE)
    values.update({k.replace("__", "."): v for k, v in changes.items()})
    writer = GGUFWriter(str(path), "llama")
    for key, value in values.items():
        if isinstance(value, float):
            writer.add_float32(key, value)
        else:
            writer.add_uint32(key, value)
    writer.add_tokenizer_model("llama")
    writer.add_token_list([f"tok{i}" for i in range(vocab)])
    writer.add_tensor("token_embd.weight", np.zeros((100, 32), dtype=np.float32))
    for layer in range(2):
        writer.add_tensor(f"blk.{layer}.attn_norm.weight", np.ones(32, dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


BAD_HEADERS = [
    ({"llama__block_count": 0}, "llama.block_count"),
    ({"llama__block_count": 513}, "llama.block_count"),
    ({"llama__block_count": 2**32 - 1}, "llama.block_count"),
    ({"llama__context_length": 2**32 - 1}, "llama.context_length"),
    ({"llama__context_length": 0}, "llama.context_length"),
    ({"llama__attention__layer_norm_rms_epsilon": math.nan}, "llama.attention.layer_norm_rms_epsilon"),
    ({"llama__attention__layer_norm_rms_epsilon": 0.0}, "llama.attention.layer_norm_rms_epsilon"),
    ({"llama__rope__freq_base": math.inf}, "llama.rope.freq_base"),
    ({"llama__attention__head_count": 0}, "llama.attention.head_count"),
    ({"llama__attention__head_count": 5}, "llama.attention.head_count"),
    ({"llama__attention__head_count_kv": 3}, "llama.attention.head_count_kv"),
    ({"llama__embedding_length": 64}, "llama.embedding_length"),
    ({"vocab": 99}, "tokenizer.ggml.tokens"),
]


@pytest.mark.parametrize("changes, field", BAD_HEADERS, ids=[f for _c, f in BAD_HEADERS])
def test_impossible_hyperparameters_are_refused_naming_the_field(tmp_path, changes, field):
    path = gguf_with(tmp_path / "bad.gguf", **changes)
    with pytest.raises(GGUFInfoError) as caught:
        read_gguf_info(path)
    assert field in str(caught.value) and "damaged" in str(caught.value)
    with pytest.raises(GGUFInfoError):
        hub.import_gguf(path)
    assert hub.installed_models() == []
    with pytest.raises(ModelLoadError) as loading:
        Engine().load(path)
    assert field in str(loading.value)


def test_a_sound_small_header_still_reads(tmp_path):
    info = read_gguf_info(gguf_with(tmp_path / "good.gguf"))
    assert info.block_count == 2 and info.vocab_size == 100


def _raw_gguf(kv: bytes, kv_count: int) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", 3, 0, kv_count) + kv


def _key(name: str) -> bytes:
    return struct.pack("<Q", len(name)) + name.encode()


def test_arrays_nested_deeply_are_a_sentence_not_a_recursion_error(tmp_path):
    depth = 100_000
    nested = struct.pack("<I", 9) + (struct.pack("<IQ", 9, 1) * depth) + struct.pack("<IQ", 4, 0)
    path = tmp_path / "deep.gguf"
    path.write_bytes(_raw_gguf(_key("general.deep") + nested, 1))
    with pytest.raises(GGUFInfoError) as caught:
        read_gguf_info(path)
    assert "nested" in str(caught.value)


def test_a_corrupt_length_is_not_called_an_interrupted_download(tmp_path):
    path = tmp_path / "length.gguf"
    # A string whose length field claims far more than the whole file, in a file
    # too large for its header to have been cut short (sparse: no disk used).
    path.write_bytes(_raw_gguf(_key("general.name") + struct.pack("<I", 8) + struct.pack("<Q", 2**60) + b"x" * 64, 1))
    with open(path, "r+b") as f:
        f.truncate(64 * 1024 * 1024)
    with pytest.raises(GGUFInfoError) as caught:
        read_gguf_info(path)
    assert "larger than the whole file" in str(caught.value)
    assert "interrupted" not in str(caught.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_pipe_named_like_a_model_does_not_block(tmp_path):
    fifo = tmp_path / "x.gguf"
    os.mkfifo(fifo)
    with pytest.raises(GGUFInfoError) as caught:
        read_gguf_info(fifo)
    assert "not a regular file" in str(caught.value)
    with pytest.raises(GGUFInfoError):
        hub.import_gguf(fifo)
    with pytest.raises(ModelLoadError) as loading:
        Engine().load(fifo)
    assert "not a regular file" in str(loading.value)
    # The command line too: a process that would block forever is killed by the timeout.
    done = subprocess.run(
        [sys.executable, "-m", "tinychat", "models", "info", str(fifo)],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode != 0 and "not a regular file" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


# --- hostile templates ----------------------------------------------------------------------

HOSTILE_TEMPLATES = {
    "multiply": "{{ 'a' * 10**9 }}",
    "percent width": "{{ '%1000000000d' % 1 }}",
    "format width": "{{ '{:>1000000000}'.format(1) }}",
    "format filter": "{{ '%*d'|format(10**9, 1) }}",
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}x",
    "recursion": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "range": "{{ range(10**9) | list }}",
    "doubling": (
        "{% set ns = namespace(s='a') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}"
    ),
    "center": "{{ 'a' | center(10**9) }}",
    "ljust": "{{ 'a'.ljust(10**9) }}",
    "tojson indent": "{{ messages | tojson(indent=10**9) }}",
    "power": "{{ 7 ** (10 ** 7) }}",
    "deep brackets": "{{" + "(" * 5000 + "1" + ")" * 5000 + "}}",
    "syntax": "{% for m in messages %}",
}
MESSAGES = [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize("source", HOSTILE_TEMPLATES.values(), ids=HOSTILE_TEMPLATES.keys())
def test_hostile_templates_end_in_a_sentence(source):
    for template in (ChatTemplate("mine", "mine", source), gguf_template(source)):
        with pytest.raises(TemplateError) as caught:
            template.render(MESSAGES)
        assert str(caught.value).startswith("The prompt template")


def test_compiling_a_huge_constant_allocates_nothing():
    """jinja2's optimizer folded 'a' * 10**9 while compiling: 4 GB; now the process keeps under 1 GB."""
    code = (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "from tinychat.core.templates import ChatTemplate, TemplateError\n"
        "t = ChatTemplate('x', 'x', \"{{ 'a' * 10**9 }}{{ ('b' * 10**5) * 10**5 }}\")\n"
        "t.check()\n"
        "try:\n    t.render([{'role': 'user', 'content': 'hi'}])\nexcept TemplateError as e:\n    print('SENTENCE', "
        "e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "SENTENCE" in done.stdout


def test_a_gguf_template_that_does_not_compile_falls_back_to_a_named_built_in():
    chosen = resolve_template(None, chat_template="{% if %}", special_tokens=["<|im_start|>"])
    assert chosen.name == "chatml" and chosen.warning and "syntax error" in chosen.warning


@pytest.mark.model
def test_a_model_whose_own_template_is_broken_still_loads(tmp_path, starter_path):
    data = bytearray(starter_path.read_bytes())
    original = read_gguf_info(starter_path).chat_template.encode()
    at = data.find(original)
    assert at > 0
    broken = b"{% if %}{{ 'a' * 10**9 }}"
    data[at:at + len(original)] = broken + b" " * (len(original) - len(broken))  # same length: offsets hold
    path = tmp_path / "broken-template.gguf"
    path.write_bytes(bytes(data))
    engine = Engine()
    try:
        engine.load(path, n_ctx=256)
        assert engine.template.name == "chatml"
        assert "cannot be used" in engine.template.warning
        assert engine.render(MESSAGES).text.startswith("<|im_start|>user")
    finally:
        engine.close()


# --- input text -----------------------------------------------------------------------------


@pytest.mark.model
def test_undecodable_input_is_cleaned_before_tokenizing(engine):
    messages = [{"role": "user", "content": "bad bytes \udcff\udcfe and a lone \ud800 surrogate"}]
    tokens = engine.tokenize(engine.render(messages))
    assert tokens and "\ufffd" in engine.render(messages).text


@pytest.mark.model
def test_undecodable_bytes_on_the_command_line_are_no_traceback(starter_path, isolated_data_dir):
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"tinychat", b"ask", b"--model", bytes(starter_path),
         b"--max-new-tokens", b"2", b"--seed", b"1", b"caf\xe9 \xff"],
        capture_output=True, timeout=300, env={**os.environ, "TINYCHAT_DATA_DIR": str(isolated_data_dir)},
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert done.returncode == 0


@pytest.mark.model
def test_undecodable_bytes_on_stdin_are_no_traceback(starter_path, isolated_data_dir):
    done = subprocess.run(
        [sys.executable, "-m", "tinychat", "ask", "--model", str(starter_path), "--max-new-tokens", "2",
         "--seed", "1", "-"],
        input=b"caf\xe9 \xff \xed\xa0\x80\n", capture_output=True, timeout=300,
        # strict: what a UTF-8 locale gives stdin (the C locale would hide the problem).
        env={**os.environ, "TINYCHAT_DATA_DIR": str(isolated_data_dir), "PYTHONIOENCODING": "utf-8:strict"},
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
    assert done.returncode == 0


# --- sentences that say what happened --------------------------------------------------------


def test_a_lock_is_not_blamed_on_another_tinychat_window():
    from tinychat.core.store import _translate_error

    sentence = str(_translate_error(sqlite3.OperationalError("database is locked")))
    assert "another program" in sentence


def test_models_list_works_when_the_models_folder_cannot_be_made(isolated_data_dir):
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    (isolated_data_dir / "models").write_text("a file where the folder should be")
    assert hub.installed_models() == []
    done = subprocess.run(
        [sys.executable, "-m", "tinychat", "--data-dir", str(isolated_data_dir), "models", "list"],
        capture_output=True, text=True, timeout=120,
    )
    assert "Traceback" not in done.stderr


# --- Ctrl-C in the terminal ------------------------------------------------------------------


def test_ctrl_c_closes_the_window_cleanly(tmp_path, isolated_data_dir):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TINYCHAT_DATA_DIR": str(isolated_data_dir)}
    code = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from tinychat import app as tc\n"
        "from tinychat.gui.main_window import MainWindow\n"
        "qt = tc.create_app()\n"
        "w = MainWindow(None, tc.load_settings())\n"
        "w.show()\n"
        "t = tc.end_on_ctrl_c(w)\n"
        "QTimer.singleShot(0, lambda: print('READY', flush=True))\n"
        "code = qt.exec()\n"
        "print('CLOSED', code, flush=True)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert proc.stdout.readline().strip() == "READY"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "CLOSED 0" in out, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert (isolated_data_dir / "settings.json").exists()  # closed through closeEvent, which saves


# --- a read-only data folder ----------------------------------------------------------------------


def _as_a_plain_user() -> list[str]:
    """A command prefix that runs without root's right to write anywhere (or nothing, for a plain user)."""
    import shutil

    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot be simulated")
    drop = "-dac_override,-dac_read_search,-fowner"
    return [setpriv, "--bounding-set", drop, "--inh-caps", drop]


def test_a_read_only_data_folder_is_reported_as_such(isolated_data_dir):
    from tinychat.core.store import open_store

    store = open_store()
    conversation = store.create_conversation("Kept safe")
    store.add_message(conversation.id, "user", "Hello")
    store.close()
    prefix = _as_a_plain_user()
    os.chmod(isolated_data_dir, 0o555)
    try:
        env = {**os.environ, "TINYCHAT_DATA_DIR": str(isolated_data_dir)}
        chats = subprocess.run([*prefix, sys.executable, "-m", "tinychat", "chats", "list"],
                               capture_output=True, text=True, timeout=120, env=env)
        models = subprocess.run([*prefix, sys.executable, "-m", "tinychat", "models", "list"],
                                capture_output=True, text=True, timeout=120, env=env)
    finally:
        os.chmod(isolated_data_dir, 0o755)
    assert chats.returncode == 0, chats.stderr
    assert "Kept safe" in chats.stdout and "cannot be written" in chats.stderr
    assert "damaged" not in chats.stderr and "Traceback" not in chats.stderr
    assert models.returncode == 0 and "Traceback" not in models.stderr, models.stderr
