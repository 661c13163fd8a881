"""The conversation store on real SQLite files: round trips, versions, migrations and bad input."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tinychat.core import store as store_errors
from tinychat.core.params import GenerationParams
from tinychat.core.results import GenerationResult, GenerationStats, StopReason
from tinychat.core.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    STATUS_COMPLETE,
    STATUS_INTERRUPTED,
    Store,
    StoreFullError,
    StoreReadOnlyError,
    NotFoundError,
)

REPO = Path(__file__).resolve().parents[1]

AWKWARD = "emoji 😀👩‍👩‍👧 · RTL שלום עולם مرحبا · NUL\x00inside · ñandú\r\n\ttab"


@pytest.fixture
def db(tmp_path):
    return tmp_path / "chats.sqlite3"


def _result(text: str, seed: int = 1234, stop: StopReason = StopReason.EOS, error: str = "") -> GenerationResult:
    params = GenerationParams(temperature=0.3, top_k=12, top_p=0.8, min_p=0.02, max_new_tokens=77,
                              repeat_penalty=1.1, seed=None)
    stats = GenerationStats(prompt_tokens=31, completion_tokens=9, prompt_tokens_evaluated=20, ttft_s=0.125,
                            tokens_per_s=42.5, total_s=0.4, stop_reason=stop, device="CPU")
    return GenerationResult(text=text, seed=seed, params=params, stats=stats, model="m.gguf",
                            template="gguf", error=error)


def test_default_location_is_the_data_folder(isolated_data_dir):
    with Store() as store:
        store.create_conversation("x")
    assert (isolated_data_dir / "chats.sqlite3").is_file()


def test_every_field_round_trips_through_the_file(db):
    with Store(db) as store:
        conv = store.create_conversation(
            "Demo", system_prompt="Be brief.", template_source="chatml", model_file="smol.gguf"
        )
        system = store.add_message(conv.id, "system", "Be brief.")
        user = store.add_message(conv.id, "user", AWKWARD)
        writer = store.begin_reply(
            conv.id, model_file="smol.gguf", model_sha256="ab" * 32, template_source="chatml",
            system_prompt="Be brief.", params=GenerationParams(seed=99), seed=99,
        )
        for piece in ("Hola", " ", "😀", " mundo"):
            writer.append(piece)
        result = _result("Hola 😀 mundo", seed=99)
        writer.finish(result)
        reply_id = writer.message_id
        store.add_message(conv.id, "assistant", "hand-written", model_file="x.gguf", model_sha256="cd" * 32,
                          template_source="t", system_prompt="s", params={"temperature": 0.1}, seed=5,
                          stats={"prompt_tokens": 1}, error="oops", status=STATUS_INTERRUPTED)

    with Store(db) as store:
        again = store.conversation(conv.id)
        assert (again.title, again.system_prompt, again.template_source, again.model_file) == (
            "Demo", "Be brief.", "chatml", "smol.gguf"
        )
        branch = store.active_branch(conv.id)
        assert [m.role for m in branch] == ["system", "user", "assistant", "assistant"]
        assert [m.id for m in branch[:3]] == [system.id, user.id, reply_id]
        assert branch[1].content == AWKWARD
        reply = branch[2]
        assert reply.content == "Hola 😀 mundo"
        assert reply.status == STATUS_COMPLETE
        assert (reply.model_file, reply.model_sha256, reply.template_source, reply.system_prompt) == (
            "smol.gguf", "ab" * 32, "chatml", "Be brief."
        )
        assert reply.seed == 99
        assert reply.generation_params() == result.params
        assert reply.generation_stats() == result.stats
        assert reply.stats["stop_reason"] == "eos"
        assert reply.created <= reply.updated
        last = branch[3]
        assert (last.model_file, last.model_sha256, last.template_source, last.system_prompt, last.params,
                last.seed, last.stats, last.error, last.status) == (
            "x.gguf", "cd" * 32, "t", "s", {"temperature": 0.1}, 5, {"prompt_tokens": 1}, "oops",
            STATUS_INTERRUPTED,
        )


def test_awkward_text_and_a_1_mb_paste_round_trip_exactly(db):
    paste = ("línea con ñ y 😀 y שלום\x00" * 50_000)[: 1_000_000]
    with Store(db) as store:
        conv = store.create_conversation()
        message = store.add_message(conv.id, "user", paste)
    with Store(db) as store:
        assert store.message(message.id).content == paste
        assert [h.message_id for h in store.search("שלום\x00LÍNEA")] == [message.id]


def test_title_comes_from_the_first_user_message(db):
    with Store(db) as store:
        conv = store.create_conversation()
        store.add_message(conv.id, "user", "  What is\na token?  " + "x" * 100)
        title = store.conversation(conv.id).title
        assert title.startswith("What is a token?") and len(title) <= 60 and title.endswith("…")


def test_list_is_newest_first_and_delete_can_be_undone(db):
    with Store(db) as store:
        first = store.create_conversation("first")
        second = store.create_conversation("second")
        assert [c.id for c in store.list_conversations()] == [second.id, first.id]
        store.add_message(first.id, "user", "bump")
        assert [c.id for c in store.list_conversations()] == [first.id, second.id]
        store.rename(second.id, "renamed")
        assert store.conversation(second.id).title == "renamed"
        store.delete(first.id)
        assert [c.id for c in store.list_conversations()] == [second.id]
        assert store.search("bump") == []
        store.restore(first.id)
        assert [c.id for c in store.list_conversations()] == [first.id, second.id]
        store.delete(first.id)
        assert store.purge_deleted() == 1
        with pytest.raises(NotFoundError):
            store.conversation(first.id)
        with pytest.raises(NotFoundError):
            store.rename(first.id, "gone")


def test_search_ignores_case_and_finds_titles(db):
    with Store(db) as store:
        a = store.create_conversation("Álgebra")
        store.add_message(a.id, "user", "¿Qué es un TOKEN?")
        b = store.create_conversation("otra")
        store.add_message(b.id, "user", "nada que ver")
        hits = store.search("token")
        assert [(h.conversation_id, h.role) for h in hits] == [(a.id, "user")]
        assert "TOKEN" in hits[0].snippet
        assert [(h.conversation_id, h.message_id) for h in store.search("álgebra")] == [(a.id, None)]
        assert store.search("   ") == []


def test_regenerate_keeps_every_version_and_they_can_be_browsed(db):
    with Store(db) as store:
        conv = store.create_conversation()
        user = store.add_message(conv.id, "user", "Tell me a joke")
        versions = []
        for n in range(3):
            writer = store.begin_reply(conv.id, parent_id=user.id, seed=n)
            writer.append(f"joke {n}")
            versions.append(writer.finish().id)
        siblings = store.siblings(versions[0])
        assert [m.content for m in siblings] == ["joke 0", "joke 1", "joke 2"]
        assert store.active_branch(conv.id)[-1].id == versions[2]
        branch = store.select(versions[1])
        assert [m.content for m in branch] == ["Tell me a joke", "joke 1"]
    with Store(db) as store:  # the choice of version is saved
        assert [m.content for m in store.active_branch(conv.id)] == ["Tell me a joke", "joke 1"]


def test_edit_and_resend_makes_a_branch_and_keeps_the_old_turns(db):
    with Store(db) as store:
        conv = store.create_conversation()
        q1 = store.add_message(conv.id, "user", "q1")
        a1 = store.add_message(conv.id, "assistant", "a1")
        q2 = store.add_message(conv.id, "user", "q2")
        a2 = store.add_message(conv.id, "assistant", "a2")
        edited = store.add_message(conv.id, "user", "q1 edited", parent_id=q1.parent_id)
        store.add_message(conv.id, "assistant", "a1 for edited")
        assert [m.content for m in store.active_branch(conv.id)] == ["q1 edited", "a1 for edited"]
        assert [m.id for m in store.siblings(edited.id)] == [q1.id, edited.id]
        # Going back to the first version shows all of its later turns again.
        assert [m.id for m in store.select(q1.id)] == [q1.id, a1.id, q2.id, a2.id]
        assert len(store.messages(conv.id)) == 6


def test_a_message_of_another_conversation_is_not_a_parent(db):
    with Store(db) as store:
        a = store.create_conversation()
        b = store.create_conversation()
        m = store.add_message(a.id, "user", "x")
        with pytest.raises(NotFoundError):
            store.add_message(b.id, "user", "y", parent_id=m.id)
        with pytest.raises(NotFoundError):
            store.add_message(999, "user", "y")


def test_record_exchange_starts_then_continues_a_conversation(db):
    with Store(db) as store:
        cid = store.record_exchange(None, "first question", _result("first answer"),
                                    model_path="/models/smol.gguf", model_sha256="ef" * 32,
                                    system_prompt="Be kind.")
        again = store.record_exchange(cid, "second question", _result("second answer", seed=5),
                                      model_path="/models/smol.gguf", model_sha256="ef" * 32,
                                      system_prompt="Be kind.")
        assert again == cid
        branch = store.active_branch(cid)
        assert [(m.role, m.content) for m in branch] == [
            ("system", "Be kind."), ("user", "first question"), ("assistant", "first answer"),
            ("user", "second question"), ("assistant", "second answer"),
        ]
        assert branch[-1].model_file == "smol.gguf" and branch[-1].seed == 5
        assert branch[-1].template_source == "gguf"
        assert store.conversation(cid).title == "first question"


def test_a_reply_that_failed_is_kept_and_marked_interrupted(db):
    with Store(db) as store:
        conv = store.create_conversation()
        store.add_message(conv.id, "user", "q")
        writer = store.begin_reply(conv.id)
        writer.append("partial")
        message = writer.interrupt("The model stopped answering.")
        assert (message.content, message.status, message.error) == (
            "partial", STATUS_INTERRUPTED, "The model stopped answering."
        )
        writer = store.begin_reply(conv.id)
        message = writer.finish(_result("half", stop=StopReason.ERROR, error="boom"))
        assert (message.status, message.error) == (STATUS_INTERRUPTED, "boom")


def _write_version_1_file(path: Path) -> None:
    """A file as the first release wrote it: only the first migration, user_version 1."""
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO conversations (id, title, created, updated) VALUES (1, 'old', 1.0, 4.0)")
    rows = [
        (1, None, "user", "q"), (2, 1, "assistant", "v1"), (3, 1, "assistant", "v2"), (4, 3, "user", "follow-up"),
    ]
    for mid, parent, role, content in rows:
        conn.execute(
            "INSERT INTO messages (id, conversation_id, parent_id, role, content, created, updated, seed, params_json)"
            " VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)",
            (mid, parent, role, content, float(mid), float(mid), 7 if role == "assistant" else None,
             '{"temperature": 0.5}' if role == "assistant" else None),
        )
    conn.commit()
    conn.close()


def test_a_version_1_file_is_migrated_and_keeps_everything(db):
    _write_version_1_file(db)
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION == 2
        assert store.notice == ""
        assert [m.content for m in store.active_branch(1)] == ["q", "v2", "follow-up"]
        assert [m.content for m in store.siblings(2)] == ["v1", "v2"]
        assert store.message(2).params == {"temperature": 0.5} and store.message(2).seed == 7
        store.select(2)
        assert [m.content for m in store.active_branch(1)] == ["q", "v1"]
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_a_damaged_file_is_moved_aside_unchanged_and_a_fresh_one_started(db):
    garbage = b"this is not a database\x00" * 500
    db.write_bytes(garbage)
    with Store(db) as store:
        assert store.moved_aside is not None
        assert store.moved_aside.read_bytes() == garbage
        assert store.moved_aside.name.startswith("chats.sqlite3.damaged-")
        assert "damaged" in store.notice and str(store.moved_aside) in store.notice
        store.create_conversation("fresh")
    with Store(db) as store:
        assert store.notice == "" and [c.title for c in store.list_conversations()] == ["fresh"]


def test_a_database_with_scribbled_pages_is_moved_aside(db):
    with Store(db) as store:
        conv = store.create_conversation()
        for n in range(200):
            store.add_message(conv.id, "user", f"message {n} " * 40)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db.read_bytes())
    page = 4096
    for offset in range(page * 2, len(data), page):  # keep the header page, spoil the rest
        data[offset:offset + 64] = b"\xff" * 64
    db.write_bytes(bytes(data))
    with Store(db) as store:
        assert store.moved_aside is not None and store.moved_aside.read_bytes() == bytes(data)
        assert store.list_conversations() == []


def test_a_file_from_a_newer_version_opens_read_only_and_is_never_changed(db):
    with Store(db) as store:
        conv = store.create_conversation("from the future")
        store.add_message(conv.id, "user", "hello")
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = db.read_bytes()
    with Store(db) as store:
        assert store.read_only
        assert "newer version" in store.notice and "read-only" in store.notice
        assert [m.content for m in store.active_branch(conv.id)] == ["hello"]
        with pytest.raises(StoreReadOnlyError) as raised:
            store.add_message(conv.id, "user", "more")
        assert "newer version" in str(raised.value)
    assert db.read_bytes() == before


def test_a_full_disk_gives_a_sentence_and_the_reply_text_is_kept(db):
    with Store(db) as store:
        conv = store.create_conversation()
        store.add_message(conv.id, "user", "q")
        writer = store.begin_reply(conv.id, flush_interval=0.0)
        writer.append("saved part. ")
        # A real SQLITE_FULL: the file may not grow past its current size.
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages}")
        big = "x" * 200_000
        writer.append(big)  # never raises: the generation must go on
        assert isinstance(writer.save_error, StoreFullError)
        assert "disk is full" in str(writer.save_error)
        assert writer.text == "saved part. " + big
        with pytest.raises(StoreFullError):
            store.add_message(conv.id, "user", big)
        with pytest.raises(StoreFullError):
            writer.finish(_result("saved part. " + big))
        assert writer.text == "saved part. " + big
        assert store.message(writer.message_id).content == "saved part. "
        # Space again: the next save writes everything that was kept.
        store._conn.execute("PRAGMA max_page_count = 1073741823")
        assert writer.finish(_result("saved part. " + big)).content == "saved part. " + big
        assert writer.save_error is None


CHILD = textwrap.dedent(
    """
    import sys, time
    from tinychat.core.store import Store
    store = Store(sys.argv[1])
    conv = store.create_conversation("crash test")
    store.add_message(conv.id, "user", "earlier question")
    store.add_message(conv.id, "assistant", "earlier answer")
    store.add_message(conv.id, "user", "tell me more")
    writer = store.begin_reply(conv.id, seed=42)
    n = 0
    while True:
        writer.append(f"{n} ")
        print(n, flush=True)
        n += 1
        time.sleep(0.003)
    """
)


def test_kill_9_mid_reply_keeps_earlier_messages_and_the_flushed_text(db):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    with subprocess.Popen([sys.executable, "-c", CHILD, str(db)], stdout=subprocess.PIPE, text=True, env=env) as child:
        seen, killed_at = _run_and_kill(child)
    assert child.returncode == -signal.SIGKILL
    assert seen, "the writing process never started"

    with Store(db) as store:
        conv = store.list_conversations()[0]
        branch = store.active_branch(conv.id)
        assert [m.content for m in branch[:3]] == ["earlier question", "earlier answer", "tell me more"]
        cut = branch[3]
        assert cut.status == STATUS_INTERRUPTED and cut.seed == 42
        numbers = [int(n) for n in cut.content.split()]
        assert numbers == list(range(len(numbers)))
        # Everything appended up to 0.5 s (plus scheduling slack) before the kill is on disk.
        must_have = max(n for t, n in seen if t <= killed_at - 0.75)
        assert numbers and numbers[-1] >= must_have


def _run_and_kill(child: subprocess.Popen) -> tuple[list[tuple[float, int]], float]:
    seen: list[tuple[float, int]] = []

    def read() -> None:
        for line in child.stdout:
            seen.append((time.monotonic(), int(line)))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + 30
    while (not seen or time.monotonic() - seen[0][0] < 1.6) and time.monotonic() < deadline:
        time.sleep(0.05)
    killed_at = time.monotonic()
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    reader.join(5)
    return seen, killed_at


def test_a_cut_reply_can_be_continued_in_place(db):
    with Store(db) as store:
        conv = store.create_conversation()
        store.add_message(conv.id, "user", "count")
        cut = store.begin_reply(conv.id)
        cut.append("one two")
        cut.interrupt()
        store.add_message(conv.id, "user", "elsewhere", parent_id=None)
        writer = store.continue_reply(cut.message_id)
        assert store.message(cut.message_id).status == "streaming"
        writer.append(" three")
        finished = writer.finish(_result(" three four", seed=8))
        # The reply keeps its own seed (none was known: it was interrupted); the continuation's is beside it.
        assert (finished.content, finished.status, finished.seed) == ("one two three four", STATUS_COMPLETE, None)
        assert [c["seed"] for c in finished.stats["continuations"]] == [8]
        assert store.history(conv.id) == [
            {"role": "user", "content": "count"}, {"role": "assistant", "content": "one two three four"},
        ]


def test_continuing_a_reply_keeps_its_seed_and_params_and_counts_both_parts(db):
    with Store(db) as store:
        conv = store.create_conversation()
        store.add_message(conv.id, "user", "count")
        first = store.begin_reply(conv.id, params=GenerationParams(max_new_tokens=4))
        first.append("one two")
        original = first.finish(_result("one two", seed=42))
        params_before, stats_before = original.params, original.stats
        writer = store.continue_reply(original.id)
        later = _result(" three four", seed=7)
        later.params = GenerationParams(temperature=1.3, max_new_tokens=9)
        finished = writer.finish(later)
        assert finished.content == "one two three four"
        assert finished.seed == 42 and finished.params == params_before
        assert finished.stats["completion_tokens"] == stats_before["completion_tokens"] + later.stats.completion_tokens
        [continuation] = finished.stats["continuations"]
        assert continuation["seed"] == 7
        assert GenerationParams.from_dict(continuation["params"]) == later.params
        assert finished.generation_stats() is not None  # the extra key does not break reading the stats


@pytest.mark.model
def test_a_stored_reply_is_reproduced_from_what_is_stored_with_it(db, engine, starter_path):
    messages = [{"role": "user", "content": "Name three colours."}]
    result = engine.generate(messages, GenerationParams(max_new_tokens=16, temperature=0.9, seed=None))
    with Store(db) as store:
        cid = store.record_exchange(None, messages[0]["content"], result, model_path=starter_path,
                                    model_sha256="0" * 64)
    with Store(db) as store:
        history = store.history(cid)
        reply = store.active_branch(cid)[-1]
    assert history[:-1] == messages
    again = engine.generate(history[:-1], reply.generation_params().replace(seed=reply.seed))
    assert again.text == reply.content == result.text
    assert reply.model_file == starter_path.name
    assert reply.generation_stats().completion_tokens == result.stats.completion_tokens


def test_a_data_folder_that_is_a_file_gives_a_sentence(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(store_errors.StoreError) as raised:
        Store(blocker / "chats.sqlite3")
    assert "--data-dir" in str(raised.value)
    assert blocker.read_text() == "x"


def test_a_reply_streams_from_a_worker_thread_while_the_window_reads(db):
    with Store(db) as store:
        conv = store.create_conversation()
        store.add_message(conv.id, "user", "q")
        writer = store.begin_reply(conv.id, flush_interval=0.0)
        pieces = [f"{n} " for n in range(300)]

        def generate() -> None:
            for piece in pieces:
                writer.append(piece)
            writer.finish()

        worker = threading.Thread(target=generate)
        worker.start()
        seen = []
        while worker.is_alive():
            seen.append(store.message(writer.message_id).content)
            store.list_conversations()
            store.search("q")
        worker.join()
        assert all("".join(pieces).startswith(text) for text in seen)
        assert store.message(writer.message_id).content == "".join(pieces)
        assert writer.save_error is None


def test_another_programs_database_is_kept_aside_not_written_into(db):
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('tortilla')")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with Store(db) as store:
        assert store.moved_aside is not None and store.moved_aside.read_bytes() == before
        assert "not made by TinyChat" in store.notice
        assert store.list_conversations() == []


def test_a_file_that_cannot_be_opened_is_not_taken_for_damaged(db):
    db.mkdir()  # a folder where the file should be: SQLite cannot open it, but nothing is broken
    (db / "keep.txt").write_text("mine")
    with pytest.raises(store_errors.StoreError) as raised:
        Store(db)
    assert "could not be used" in str(raised.value)
    assert (db / "keep.txt").read_text() == "mine"
    assert [p.name for p in db.parent.iterdir()] == [db.name]


def test_remove_unanswered_takes_back_only_a_leaf(tmp_path):
    from tinychat.core.store import Store, StoreError

    store = Store(tmp_path / "chats.sqlite3")
    conv = store.create_conversation()
    question = store.add_message(conv.id, "user", "first")
    reply = store.add_message(conv.id, "assistant", "answer")
    unsent = store.add_message(conv.id, "user", "too long to send")
    store.remove_unanswered(unsent.id)
    assert [m.id for m in store.active_branch(conv.id)] == [question.id, reply.id]
    with pytest.raises(StoreError):
        store.remove_unanswered(question.id)
    assert len(store.messages(conv.id)) == 2
    store.close()


def test_a_continuation_that_never_started_puts_the_reply_back(tmp_path):
    """A failed Continue (a server that cannot continue, a context already full) must not lose the reply."""
    from tinychat.core.store import Store

    with Store(tmp_path / "chats.sqlite3") as store:
        cid = store.create_conversation().id
        store.add_message(cid, "user", "Hi")
        reply = store.add_message(cid, "assistant", "Half a repl", status="interrupted", error="cut off")
        writer = store.continue_reply(reply.id)
        assert store.message(reply.id).status == "streaming"
        writer.append("y")
        back = writer.abandon()
        assert (back.content, back.status, back.error) == ("Half a repl", "interrupted", "cut off")
        assert [m.content for m in store.active_branch(cid)] == ["Hi", "Half a repl"]
