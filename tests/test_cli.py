"""The command line as a person runs it: a real process, real output, real exit codes."""

import json
import os
import subprocess
import sys

import pytest

from tinychat import __version__


def tinychat(*args, input=None, data_dir=None):
    env = dict(os.environ)
    if data_dir is not None:
        env["TINYCHAT_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "tinychat", *args],
        capture_output=True, text=True, input=input, env=env, timeout=120,
    )


def test_version():
    result = tinychat("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"tinychat {__version__}"


@pytest.mark.model
def test_ask_json_contract():
    result = tinychat("ask", "Name a colour.", "--seed", "11", "--max-new-tokens", "20", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"text", "model", "template", "params", "seed", "stats"}
    assert data["text"]
    assert data["model"].endswith(".gguf")
    assert data["template"] == "gguf"
    assert data["seed"] == 11
    assert data["params"]["max_new_tokens"] == 20
    assert data["params"]["temperature"] == 0.2  # the starter model's recommended value
    stats = data["stats"]
    assert set(stats) >= {"prompt_tokens", "completion_tokens", "ttft_s", "tokens_per_s", "stop_reason"}
    assert stats["stop_reason"] in {"eos", "length"}
    assert 0 < stats["completion_tokens"] <= 20


@pytest.mark.model
def test_streamed_text_equals_json_text_for_the_same_seed():
    args = ["ask", "Tell me about cats.", "--seed", "5", "--temperature", "1.0", "--max-new-tokens", "30"]
    streamed = tinychat(*args)
    as_json = tinychat(*args, "--json")
    assert streamed.returncode == as_json.returncode == 0
    assert streamed.stdout == json.loads(as_json.stdout)["text"] + "\n"


@pytest.mark.model
def test_random_seed_is_reported():
    data = json.loads(tinychat("ask", "Hi", "--max-new-tokens", "4", "--json").stdout)
    assert data["params"]["seed"] is None
    assert isinstance(data["seed"], int)


@pytest.mark.model
def test_prompt_from_stdin_and_system_prompt():
    result = tinychat(
        "ask", "-", "--system", "You answer in one word.", "--max-new-tokens", "8", "--json", input="Capital of Italy?"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["stats"]["prompt_tokens"] > 5


@pytest.mark.parametrize(
    "args, code, fragment",
    [
        (["ask", "   "], 2, "the prompt is empty"),
        (["ask", "hi", "--temperature", "3"], 2, "Temperature must be between 0.00 and 2.00"),
        (["ask", "hi", "--top-k", "-4", "--top-p", "2"], 2, "Top-p must be between"),
        (["ask", "hi", "--max-new-tokens", "100000"], 2, "Max new tokens must be between 1 and 4,096"),
        (["ask", "hi", "--model", "/no/such/model.gguf"], 1, "does not exist"),
        (["ask", "hi", "--seed", "-3"], 2, "seed must be a whole number"),
        (["ask", "hi", "--temperature", "warm"], 2, "invalid float value"),
    ],
)
def test_bad_input_gets_one_clear_sentence(args, code, fragment):
    result = tinychat(*args)
    assert result.returncode == code
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_not_a_gguf_file(tmp_path):
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"PK\x03\x04 not a model")
    result = tinychat("ask", "hi", "--model", str(fake))
    assert result.returncode == 1
    assert "is not a GGUF model file" in result.stderr


@pytest.mark.model
def test_ask_saves_and_continues_a_conversation(tmp_path):
    data_dir = tmp_path / "data"
    first = tinychat("ask", "My name is Ana.", "--seed", "1", "--max-new-tokens", "12", "--json", data_dir=data_dir)
    assert first.returncode == 0, first.stderr
    chat_id = json.loads(first.stdout)["chat_id"]
    assert isinstance(chat_id, int)
    second = tinychat("ask", "What is my name?", "--chat", str(chat_id), "--seed", "1", "--max-new-tokens", "12",
                      "--json", data_dir=data_dir)
    assert second.returncode == 0, second.stderr
    data = json.loads(second.stdout)
    assert data["chat_id"] == chat_id
    # The second turn read the first one: its prompt is longer than a fresh question's.
    assert data["stats"]["prompt_tokens"] > json.loads(first.stdout)["stats"]["prompt_tokens"]
    listed = tinychat("chats", "list", "--json", data_dir=data_dir)
    [_conversation] = json.loads(listed.stdout)
    shown = tinychat("chats", "export", str(chat_id), "--format", "json", data_dir=data_dir)
    exported = json.loads(shown.stdout)
    contents = [m["content"] for m in exported["messages"]]
    assert "My name is Ana." in contents and "What is my name?" in contents
    replies = [m for m in exported["messages"] if m["role"] == "assistant"]
    assert len(replies) == 2 and all(len(m["model_sha256"]) == 64 and m["seed"] == 1 for m in replies)


@pytest.mark.model
def test_no_save_leaves_no_conversation(tmp_path):
    data_dir = tmp_path / "data"
    result = tinychat("ask", "Hi", "--no-save", "--max-new-tokens", "3", "--json", data_dir=data_dir)
    assert result.returncode == 0
    assert json.loads(result.stdout)["chat_id"] is None
    assert json.loads(tinychat("chats", "list", "--json", data_dir=data_dir).stdout) == []


def test_continuing_an_unknown_conversation_says_so(tmp_path):
    result = tinychat("ask", "Hi", "--chat", "999", data_dir=tmp_path / "data")
    assert result.returncode == 1
    assert "999" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.model
def test_kill_9_in_the_middle_of_a_reply_keeps_what_was_written(tmp_path):
    """A real `tinychat ask` killed mid-generation: after reopening, the question and the
    reply so far are there, and the reply is marked interrupted."""
    import signal
    import time

    from tinychat.core.store import STATUS_INTERRUPTED, Store

    data_dir = tmp_path / "data"
    env = dict(os.environ, TINYCHAT_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "tinychat", "ask", "Write a very long story about a lighthouse.",
         "--max-new-tokens", "2000", "--temperature", "1", "--seed", "4"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    printed = b""
    deadline = time.monotonic() + 60
    while len(printed) < 200 and time.monotonic() < deadline:
        printed += process.stdout.read1(4096)
    time.sleep(1.0)  # past the half-second save interval
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    process.stdout.close()
    process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    assert len(printed) >= 200, "the reply started streaming"

    store = Store(data_dir / "chats.sqlite3")
    try:
        [conversation] = store.list_conversations()
        question, reply = store.active_branch(conversation.id)
        assert question.content == "Write a very long story about a lighthouse."
        assert reply.status == STATUS_INTERRUPTED
        assert len(reply.content) >= 150
        assert printed.decode("utf-8", "ignore").startswith(reply.content[:100])
    finally:
        store.close()
