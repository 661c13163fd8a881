"""Export to Markdown and JSON, and import of JSON files, on real store files."""

from __future__ import annotations

import json
from typing import Any
from collections.abc import Mapping

import pytest

from tinychat.core.export import (
    FORMAT,
    ImportFileError,
    conversation_to_dict,
    import_file,
    import_json,
    parse_export,
    to_json,
    to_markdown,
)
from tinychat.core.params import GenerationParams
from tinychat.core.results import GenerationResult, GenerationStats, StopReason
from tinychat.core.store import STATUS_INTERRUPTED, Store

AWKWARD = "😀 שלום مرحبا NUL\x00 <script>alert(1)</script>\n```python\nprint('hi')\n```"


def _normalised(data: Mapping[str, Any]) -> dict[str, Any]:
    """An export with message ids replaced by positions, so two copies compare equal."""
    index = {m["id"]: n for n, m in enumerate(data["messages"])}
    messages = [
        {**m, "id": index[m["id"]], "parent_id": None if m["parent_id"] is None else index[m["parent_id"]]}
        for m in data["messages"]
    ]
    conversation = dict(data["conversation"])
    conversation["active_leaf_id"] = index[conversation["active_leaf_id"]]
    return {"conversation": conversation, "messages": messages}


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "chats.sqlite3") as opened:
        yield opened


@pytest.fixture
def conversation(store):
    conv = store.create_conversation("Demo for class", system_prompt="Be brief.", template_source="gguf",
                                     model_file="smol.gguf")
    store.add_message(conv.id, "system", "Be brief.")
    user = store.add_message(conv.id, "user", AWKWARD)
    for seed in (1, 2):
        writer = store.begin_reply(conv.id, parent_id=user.id, model_file="smol.gguf", model_sha256="ab" * 32,
                                   template_source="gguf", system_prompt="Be brief.")
        writer.append("partial")
        params = GenerationParams(temperature=0.2, top_k=10, seed=seed)
        stats = GenerationStats(prompt_tokens=12, completion_tokens=5, prompt_tokens_evaluated=12, ttft_s=0.05,
                                tokens_per_s=88.25, total_s=0.1, stop_reason=StopReason.LENGTH)
        writer.finish(GenerationResult(text=f"answer {seed} 😀", seed=seed, params=params, stats=stats))
    cut = store.begin_reply(conv.id, parent_id=user.id)
    cut.append("cut off")
    cut.interrupt("The computer went to sleep.")
    store.select(store.siblings(cut.message_id)[1].id)  # version 2 of 3 on screen
    return conv


def test_json_export_then_import_gives_the_same_conversation(store, conversation, tmp_path):
    exported = conversation_to_dict(store, conversation.id)
    assert exported["format"] == FORMAT and exported["version"] == 1
    assert len(exported["messages"]) == 5
    path = tmp_path / "demo.json"
    path.write_text(to_json(store, conversation.id), encoding="utf-8")

    with Store(tmp_path / "other.sqlite3") as other:
        new_id = import_file(other, path)
        again = conversation_to_dict(other, new_id)
        assert _normalised(again) == _normalised(exported)
        assert [m.content for m in other.active_branch(new_id)] == ["Be brief.", AWKWARD, "answer 2 😀"]
        reply = other.active_branch(new_id)[-1]
        assert reply.generation_params() == GenerationParams(temperature=0.2, top_k=10, seed=2)
        assert reply.generation_stats().stop_reason is StopReason.LENGTH
        assert other.message(max(m.id for m in other.messages(new_id))).status == STATUS_INTERRUPTED


def test_markdown_is_readable_and_names_what_made_each_reply(store, conversation):
    text = to_markdown(store, conversation.id)
    assert text.startswith("# Demo for class\n")
    assert "## User\n\n" + AWKWARD in text
    assert "## System\n\nBe brief." in text
    assert "> smol.gguf · seed 2 · temperature 0.2 · top-k 10 · top-p 0.95" in text
    assert "88.2 tokens/s" in text and "stop: length" in text
    assert "answer 2 😀" in text and "answer 1" not in text
    assert "2 other versions" in text


def _error(store, text: str) -> str:
    with pytest.raises(ImportFileError) as raised:
        import_json(store, text)
    return str(raised.value)


def test_a_truncated_file_is_rejected_with_a_sentence(store, conversation):
    text = to_json(store, conversation.id)
    before = len(store.list_conversations())
    for cut in range(40, len(text), 97):
        message = _error(store, text[:cut])
        assert "ends too early" in message
    assert len(store.list_conversations()) == before


def test_a_file_damaged_in_the_middle_says_so(store, conversation):
    text = to_json(store, conversation.id)
    assert '"messages": [' in text
    message = _error(store, text.replace('"messages": [', '"messages": [,', 1))
    assert "damaged at line" in message


@pytest.mark.parametrize(
    "text, words",
    [
        ("hello, world", "not valid JSON"),
        ("[1, 2, 3]", "not a TinyChat conversation"),
        (json.dumps({"format": "something-else", "version": 1}), "not a TinyChat conversation"),
        (json.dumps({"format": FORMAT, "version": 99, "conversation": {}, "messages": []}), "newer TinyChat"),
        (json.dumps({"format": FORMAT, "version": 1, "conversation": {}}), "list of messages is missing"),
        (json.dumps({"format": FORMAT, "version": 1, "conversation": {}, "messages": [
            {"id": 1, "parent_id": 7, "role": "user", "content": "x"}]}), "not earlier in the file"),
        (json.dumps({"format": FORMAT, "version": 1, "conversation": {}, "messages": [
            {"id": 1, "parent_id": None, "role": "wizard", "content": "x"}]}), "unknown role"),
        (json.dumps({"format": FORMAT, "version": 1, "conversation": {}, "messages": [
            {"id": 1, "parent_id": None, "role": "user", "content": None}]}), "has no text"),
    ],
)
def test_files_that_are_not_ours_are_rejected(store, text, words):
    with pytest.raises(ImportFileError) as raised:
        parse_export(text)
    assert words in str(raised.value)
    assert "Traceback" not in str(raised.value)


def test_a_binary_or_missing_file_is_rejected(store, tmp_path):
    binary = tmp_path / "photo.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    with pytest.raises(ImportFileError, match="not text"):
        import_file(store, binary)
    with pytest.raises(ImportFileError, match="Could not read"):
        import_file(store, tmp_path / "missing.json")
    assert store.list_conversations() == []


def test_lone_surrogates_in_an_imported_file_are_repaired_not_refused(store):
    text = json.dumps({"format": FORMAT, "version": 1, "conversation": {"title": "broken \udc80 title"},
                       "messages": [{"id": 1, "parent_id": None, "role": "user", "content": "a \ud800 b 😀"}]})
    assert "\\ud800" in text
    new_id = import_json(store, text)
    assert store.conversation(new_id).title == "broken \ufffd title"
    assert [m.content for m in store.active_branch(new_id)] == ["a \ufffd b 😀"]
