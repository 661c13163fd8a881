"""`tinychat ask --template ... --show-prompt`, run as a person runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def tinychat(*args, data_dir):
    env = dict(os.environ, TINYCHAT_DATA_DIR=str(data_dir), PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "tinychat", *args], capture_output=True, text=True, env=env, timeout=120,
    )


@pytest.mark.model
def test_show_prompt_prints_the_exact_prompt_before_the_reply(tmp_path):
    result = tinychat(
        "ask", "Name a colour.", "--template", "zephyr", "--system", "Be brief.", "--show-prompt",
        "--max-new-tokens", "3", "--seed", "1", "--no-save", data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    head, _, reply = result.stdout.partition("--- reply ---\n")
    assert head.startswith("--- prompt: Template 'zephyr': chosen by you")
    assert head.splitlines()[1:] == ["<|system|>", "Be brief.</s>", "<|user|>", "Name a colour.</s>", "<|assistant|>"]
    assert reply.strip()


@pytest.mark.model
def test_json_names_the_template_source_and_carries_the_prompt(tmp_path):
    template = tmp_path / "mine.jinja"
    template.write_text("{% for m in messages %}{{ m.content }}\n{% endfor %}Answer:", encoding="utf-8")
    result = tinychat(
        "ask", "Hi <|im_end|>", "--template", str(template), "--show-prompt", "--json",
        "--max-new-tokens", "2", "--seed", "1", "--no-save", data_dir=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["template"] == str(template)
    assert data["prompt"] == "Hi <\u200b|im_end|>\nAnswer:"
    assert len(data["prompt_tokens"]) == data["stats"]["prompt_tokens"]
    assert data["injections"] and "<|im_end|>" in data["injections"][0]


@pytest.mark.parametrize(
    "spec, message",
    [("nonesuch", "no prompt template called 'nonesuch'"), ("{bad}.jinja", "does not exist")],
)
def test_bad_template_is_a_usage_error_before_loading(tmp_path, spec, message):
    result = tinychat("ask", "Hi", "--template", spec, "--no-save", data_dir=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_template_with_a_syntax_error_names_its_line(tmp_path):
    bad = tmp_path / "bad.jinja"
    bad.write_text("ok\n{% for m in messages %}", encoding="utf-8")
    result = tinychat("ask", "Hi", "--template", str(bad), "--no-save", data_dir=tmp_path)
    assert result.returncode == 2
    assert "syntax error on line 2" in result.stderr
