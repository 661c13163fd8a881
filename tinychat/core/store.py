"""Conversations on disk: one SQLite file in the data folder.

Messages form a tree (``parent_id``): regenerating a reply or editing a user
message and sending it again adds a sibling next to the earlier version, so
nothing a person wrote or a model generated is ever deleted to make room for
a new version. Each conversation remembers the leaf of the branch on screen
(``active_leaf_id``); the branch is the path from that leaf up to the root.

Every assistant reply carries what made it (model file and its sha256,
template source, system prompt, every sampling parameter, the seed actually
used) and what it measured (stats), so it can be reproduced later.

A reply is written while it streams (:class:`ReplyWriter`), at least every
half second, so a crash or ``kill -9`` loses at most the last half second;
on the next open such a reply is marked ``interrupted`` and kept.

The standard library's sqlite3 is enough here: WAL mode keeps readers and
the streaming writer from blocking each other, and ``PRAGMA user_version``
holds the schema version that :data:`MIGRATIONS` steps forward.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterable, Mapping, Sequence

from tinychat.core import paths
from tinychat.core.i18n import translate
from tinychat.core.params import GenerationParams
from tinychat.core.results import GenerationResult, GenerationStats, StopReason

DB_FILENAME = "chats.sqlite3"

ROLES = ("system", "user", "assistant")
STATUS_COMPLETE = "complete"
STATUS_STREAMING = "streaming"
STATUS_INTERRUPTED = "interrupted"
STATUSES = (STATUS_COMPLETE, STATUS_STREAMING, STATUS_INTERRUPTED)

#: Seconds between two saves of a streaming reply.
FLUSH_INTERVAL_S = 0.5

_TITLE_LENGTH = 60


# --- schema -----------------------------------------------------------------
#
# MIGRATIONS[i] brings a file from version i to version i + 1. A released
# entry is never edited: a later change is a new entry at the end.

_V1 = """
CREATE TABLE conversations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    title           TEXT    NOT NULL DEFAULT '',
    created         REAL    NOT NULL,
    updated         REAL    NOT NULL,
    system_prompt   TEXT    NOT NULL DEFAULT '',
    template_source TEXT    NOT NULL DEFAULT '',
    model_file      TEXT    NOT NULL DEFAULT '',
    deleted         REAL
);
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    parent_id       INTEGER REFERENCES messages(id) ON DELETE CASCADE,
    role            TEXT    NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content         TEXT    NOT NULL DEFAULT '',
    created         REAL    NOT NULL,
    updated         REAL    NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'complete'
                            CHECK (status IN ('complete', 'streaming', 'interrupted')),
    model_file      TEXT    NOT NULL DEFAULT '',
    model_sha256    TEXT    NOT NULL DEFAULT '',
    template_source TEXT    NOT NULL DEFAULT '',
    system_prompt   TEXT    NOT NULL DEFAULT '',
    params_json     TEXT,
    seed            INTEGER,
    stats_json      TEXT,
    error           TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
CREATE INDEX messages_by_parent ON messages(parent_id);
CREATE INDEX messages_by_status ON messages(status);
"""

# Version 1 showed the branch ending at the newest message. Version 2 remembers
# which version of each turn the person chose, as the leaf of the visible branch.
_V2 = """
ALTER TABLE conversations ADD COLUMN active_leaf_id INTEGER REFERENCES messages(id) ON DELETE SET NULL;
UPDATE conversations SET active_leaf_id =
    (SELECT max(m.id) FROM messages m WHERE m.conversation_id = conversations.id);
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2)
SCHEMA_VERSION = len(MIGRATIONS)


# --- errors -----------------------------------------------------------------


class StoreError(RuntimeError):
    """Saving or reading conversations failed; ``str(error)`` is the sentence to show."""


class StoreFullError(StoreError):
    """The disk (or the database's size limit) is full."""


class StoreReadOnlyError(StoreError):
    """The file was opened read-only (it comes from a newer TinyChat) or cannot be written."""


class NotFoundError(StoreError, LookupError):
    """No conversation or message has that id."""


#: Below this much free space, an SQLite "disk I/O error" is taken to mean a full disk:
#: SQLite says so when it cannot grow its -shm file, for instance.
_NEARLY_FULL = 1024 * 1024


def _disk_nearly_full(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        return shutil.disk_usage(path.parent).free < _NEARLY_FULL
    except OSError:
        return False


def _translate_error(error: sqlite3.Error, path: Path | None = None) -> StoreError:
    text = str(error).lower()
    if "full" in text or ("disk i/o" in text and _disk_nearly_full(path)):
        return StoreFullError(
            translate(
                "Store",
                "The conversation could not be saved because the disk is full. "
                "Free some space and try again; the text is still on screen.",
            )
        )
    if "readonly" in text or "read-only" in text:
        return StoreReadOnlyError(
            translate(
                "Store",
                "The conversation could not be saved because the conversations file is read-only.",
            )
        )
    if "locked" in text or "busy" in text:
        return StoreError(
            translate(
                "Store",
                "The conversations file is in use by another program (another TinyChat window, a backup or a "
                "sync tool). Try again in a moment.",
            )
        )
    return StoreError(
        translate("Store", "The conversations file could not be used: {reason}.").format(reason=error)
    )


# --- records ----------------------------------------------------------------


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    created: float
    updated: float
    system_prompt: str = ""
    template_source: str = ""
    model_file: str = ""
    deleted: float | None = None
    active_leaf_id: int | None = None


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    parent_id: int | None
    role: str
    content: str
    created: float
    updated: float
    status: str = STATUS_COMPLETE
    model_file: str = ""
    model_sha256: str = ""
    template_source: str = ""
    system_prompt: str = ""
    #: GenerationParams.to_dict() of the reply, None for user and system messages.
    params: dict[str, Any] | None = None
    seed: int | None = None
    #: GenerationStats.to_dict() of the reply, None until it finished.
    stats: dict[str, Any] | None = None
    error: str = ""

    def generation_params(self) -> GenerationParams | None:
        return GenerationParams.from_dict(self.params) if self.params is not None else None

    def generation_stats(self) -> GenerationStats | None:
        if self.stats is None:
            return None
        known = {k: v for k, v in self.stats.items() if k in GenerationStats.__dataclass_fields__}
        if "stop_reason" in known:
            try:
                known["stop_reason"] = StopReason(known["stop_reason"])
            except ValueError:
                known["stop_reason"] = StopReason.ERROR
        return GenerationStats(**known)


@dataclass(frozen=True)
class SearchHit:
    conversation_id: int
    conversation_title: str
    message_id: int | None
    role: str
    snippet: str


#: Columns a caller may set on a message (besides conversation, parent, role, content).
REPLY_FIELDS = (
    "model_file", "model_sha256", "template_source", "system_prompt", "params", "seed", "stats", "error",
)

_MESSAGE_COLUMNS = (
    "id, conversation_id, parent_id, role, content, created, updated, status, model_file, model_sha256, "
    "template_source, system_prompt, params_json, seed, stats_json, error"
)
_CONVERSATION_COLUMNS = (
    "id, title, created, updated, system_prompt, template_source, model_file, deleted, active_leaf_id"
)

_ACTIVE_LEAF = object()  # "attach to the end of the branch on screen"


def _conversation(row: Sequence[Any]) -> Conversation:
    return Conversation(*row)


def _message(row: Sequence[Any]) -> Message:
    values = list(row)
    values[12] = json.loads(values[12]) if values[12] is not None else None
    values[14] = json.loads(values[14]) if values[14] is not None else None
    return Message(*values)


def _json_or_none(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (GenerationParams, GenerationStats)):
        value = value.to_dict()
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def title_from(text: str) -> str:
    """A conversation title from its first message: the first line, shortened."""
    line = " ".join(text.replace("\x00", " ").split())
    if len(line) > _TITLE_LENGTH:
        line = line[: _TITLE_LENGTH - 1].rstrip() + "…"
    return line or translate("Store", "New conversation")


def _casefold(value: Any) -> str:
    return value.casefold() if isinstance(value, str) else ""


def _now() -> float:
    return time.time()


# --- opening ----------------------------------------------------------------


def default_path() -> Path:
    return paths.data_dir() / DB_FILENAME


def _aside_name(path: Path, label: str) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.{label}-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.{label}-{stamp}-{n}")
    return candidate


def _connect(path: Path, read_only: bool, immutable: bool = False) -> sqlite3.Connection:
    if read_only:
        uri = "file:" + urllib.parse.quote(str(path)) + "?mode=ro" + ("&immutable=1" if immutable else "")
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.create_function("tc_fold", 1, _casefold, deterministic=True)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _check_readable(conn: sqlite3.Connection) -> int:
    """The file's schema version; raises sqlite3.DatabaseError if it is not a sound database."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    result = conn.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise sqlite3.DatabaseError(result)
    return int(version)


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    """True when the file itself is broken (not merely locked or not readable to us)."""
    name = getattr(error, "sqlite_errorname", None)
    # quick_check's own findings come as a DatabaseError without an SQLite error code.
    return name in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or (name is None and type(error) is sqlite3.DatabaseError)


class Store:
    """The conversations file. Safe to share between the GUI thread and one worker thread.

    After opening, :attr:`notice` holds a sentence for the person when the file
    could not be used normally (moved aside because it was damaged, or opened
    read-only because a newer TinyChat wrote it); it is empty otherwise.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None):
        try:
            self.path = Path(path) if path is not None else default_path()
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(
                translate("Store", "The folder for conversations could not be created: {reason}. "
                          "Choose another data folder with --data-dir.").format(reason=error.strerror or error)
            ) from error
        self.read_only = False
        self.notice = ""
        self.moved_aside: Path | None = None
        self._lock = threading.RLock()
        self._conn = self._open()

    # opening and closing

    def _open(self) -> sqlite3.Connection:
        try:
            return self._open_for_writing()
        except StoreError:
            conn = self._open_in_read_only_folder()
            if conn is None:
                raise
            return conn

    def _open_in_read_only_folder(self) -> sqlite3.Connection | None:
        """A sound file in a folder TinyChat may not write (a read-only stick, a shared folder), opened to read."""
        if not self.path.is_file() or (os.access(self.path.parent, os.W_OK) and os.access(self.path, os.W_OK)):
            return None
        if Path(str(self.path) + "-wal").exists():
            return None  # recent messages wait in the -wal file, which only a writable folder lets SQLite read
        try:
            # immutable: SQLite then needs no -shm file, which it could not create here.
            conn = _connect(self.path, read_only=True, immutable=True)
            version = _check_readable(conn)
        except sqlite3.Error:
            return None
        if version == 0 or version > SCHEMA_VERSION:
            conn.close()
            return None
        self.read_only = True
        self.notice = translate(
            "Store",
            "The data folder {folder} is read-only: TinyChat shows the conversations in it but cannot save "
            "new ones. To chat, make the folder writable or choose another one with --data-dir.",
        ).format(folder=self.path.parent)
        return conn

    def _open_for_writing(self) -> sqlite3.Connection:
        existed = self.path.exists() and self.path.stat().st_size > 0
        conn: sqlite3.Connection | None = None
        try:
            conn = _connect(self.path, read_only=False)
            version = _check_readable(conn) if existed else 0
            foreign = existed and version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError as error:
            if conn is not None:
                conn.close()
            if not existed or not _is_damage(error):
                raise _translate_error(error, self.path) from error
            return self._start_fresh_after_damage()
        try:
            if foreign:
                # Some other program's database under our name: keep it, as for a damaged one.
                conn.close()
                return self._start_fresh_after_damage(foreign=True)
            if version > SCHEMA_VERSION:
                conn.close()
                conn = _connect(self.path, read_only=True)
                self.read_only = True
                self.notice = translate(
                    "Store",
                    "The conversations file {path} was written by a newer version of TinyChat "
                    "(format {found}, this version knows up to {known}). It is open read-only and "
                    "will not be changed; update TinyChat to add to it.",
                ).format(path=self.path, found=version, known=SCHEMA_VERSION)
                return conn
        except sqlite3.Error as error:
            raise _translate_error(error, self.path) from error
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate(conn, version)
            self._recover_interrupted(conn)
        except sqlite3.Error as error:
            conn.close()
            raise _translate_error(error, self.path) from error
        return conn

    def _start_fresh_after_damage(self, foreign: bool = False) -> sqlite3.Connection:
        aside = _aside_name(self.path, "not-tinychat" if foreign else "damaged")
        # The -wal and -shm files belong to the damaged file: keep them with it,
        # and never let SQLite replay them into the fresh one.
        try:
            for suffix in ("", "-wal", "-shm"):
                source = Path(str(self.path) + suffix)
                if source.exists():
                    os.replace(source, Path(str(aside) + suffix))
        except OSError as error:
            raise StoreError(
                translate("Store", "The conversations file {path} is damaged and could not be moved aside "
                          "({reason}); it was left as it is. Move it away by hand, then start TinyChat again.")
                .format(path=self.path, reason=error.strerror or error)
            ) from error
        self.moved_aside = aside
        if foreign:
            self.notice = translate(
                "Store",
                "The conversations file was not made by TinyChat. It was kept unchanged as "
                "{aside} and a new, empty one was started.",
            ).format(aside=aside)
        else:
            self.notice = translate(
                "Store",
                "The conversations file was damaged and could not be read. It was kept unchanged as "
                "{aside} and a new, empty one was started.",
            ).format(aside=aside)
        try:
            conn = _connect(self.path, read_only=False)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate(conn, 0)
        except sqlite3.Error as error:
            raise _translate_error(error, self.path) from error
        return conn

    @staticmethod
    def _migrate(conn: sqlite3.Connection, version: int) -> None:
        for target in range(version + 1, SCHEMA_VERSION + 1):
            # executescript would commit on its own; one explicit transaction per
            # step keeps a half-applied migration from ever reaching the disk.
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(MIGRATIONS[target - 1]):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {int(target)}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    @staticmethod
    def _recover_interrupted(conn: sqlite3.Connection) -> None:
        # A reply still marked 'streaming' when the file is opened was cut by a
        # crash. A writer that is in fact still alive (another window) sets it
        # back to 'streaming' on its next save and to 'complete' when it ends.
        conn.execute(
            "UPDATE messages SET status = ? WHERE status = ?", (STATUS_INTERRUPTED, STATUS_STREAMING)
        )

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._read("PRAGMA user_version")[0][0])

    # low level

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._conn.execute(sql, args).fetchall()
            except sqlite3.Error as error:
                raise _translate_error(error, self.path) from error

    def _write(self, work: Callable[[_TextSafeConnection], Any]) -> Any:
        """Run ``work`` in one transaction; sqlite errors become StoreError sentences."""
        if self.read_only:
            raise StoreReadOnlyError(self.notice)
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    result = work(_TextSafeConnection(conn))
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as error:
                raise _translate_error(error, self.path) from error
            return result

    # conversations

    def create_conversation(
        self, title: str = "", *, system_prompt: str = "", template_source: str = "", model_file: str = ""
    ) -> Conversation:
        now = _now()

        def work(conn: _TextSafeConnection) -> int:
            cur = conn.execute(
                "INSERT INTO conversations (title, created, updated, system_prompt, template_source, model_file)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (title, now, now, system_prompt, template_source, model_file),
            )
            return _inserted_id(cur)

        return self.conversation(self._write(work))

    def conversation(self, conversation_id: int) -> Conversation:
        rows = self._read(f"SELECT {_CONVERSATION_COLUMNS} FROM conversations WHERE id = ?", (conversation_id,))
        if not rows:
            raise NotFoundError(
                translate("Store", "There is no conversation number {id}.").format(id=conversation_id)
            )
        return _conversation(rows[0])

    def list_conversations(self, *, include_deleted: bool = False) -> list[Conversation]:
        """Newest first (by the time of the last change)."""
        where = "" if include_deleted else "WHERE deleted IS NULL"
        rows = self._read(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations {where} ORDER BY updated DESC, id DESC"
        )
        return [_conversation(row) for row in rows]

    def empty_conversation(self) -> Conversation | None:
        """The newest conversation with no message and no name, if any (a "New conversation"
        nobody wrote in yet: starting another one reuses it instead of adding an empty entry)."""
        rows = self._read(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations c WHERE deleted IS NULL AND title = '' "
            "AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id) "
            "ORDER BY updated DESC, id DESC LIMIT 1"
        )
        return _conversation(rows[0]) if rows else None

    def rename(self, conversation_id: int, title: str) -> None:
        self._update_conversation(conversation_id, "UPDATE conversations SET title = ? WHERE id = ?", (title,))

    def set_conversation_settings(
        self,
        conversation_id: int,
        *,
        system_prompt: str | None = None,
        template_source: str | None = None,
        model_file: str | None = None,
    ) -> None:
        for column, value in (
            ("system_prompt", system_prompt), ("template_source", template_source), ("model_file", model_file)
        ):
            if value is not None:
                self._update_conversation(
                    conversation_id, f"UPDATE conversations SET {column} = ? WHERE id = ?", (value,)
                )

    def delete(self, conversation_id: int) -> None:
        """Hide a conversation; :meth:`restore` brings it back (undo)."""
        self._update_conversation(
            conversation_id, "UPDATE conversations SET deleted = ? WHERE id = ?", (_now(),)
        )

    def restore(self, conversation_id: int) -> None:
        self._update_conversation(
            conversation_id, "UPDATE conversations SET deleted = NULL WHERE id = ?", ()
        )

    def purge_deleted(self, older_than_s: float = 0.0) -> int:
        """Remove for good the conversations deleted more than ``older_than_s`` seconds ago."""
        cutoff = _now() - older_than_s

        def work(conn: _TextSafeConnection) -> int:
            ids = [r[0] for r in conn.execute(
                "SELECT id FROM conversations WHERE deleted IS NOT NULL AND deleted <= ?", (cutoff,)
            )]
            for cid in ids:
                conn.execute("UPDATE conversations SET active_leaf_id = NULL WHERE id = ?", (cid,))
                conn.execute("DELETE FROM messages WHERE conversation_id = ?", (cid,))
                conn.execute("DELETE FROM conversations WHERE id = ?", (cid,))
            return len(ids)

        return self._write(work)

    def _update_conversation(self, conversation_id: int, sql: str, args: tuple) -> None:
        def work(conn: _TextSafeConnection) -> int:
            return conn.execute(sql, (*args, conversation_id)).rowcount

        if not self._write(work):
            self.conversation(conversation_id)  # raises NotFoundError

    def search(self, query: str, *, limit: int = 200) -> list[SearchHit]:
        """Messages containing ``query`` (ignoring case), newest conversations first.

        A conversation whose title matches but none of whose messages do is
        listed once, with ``message_id`` None.
        """
        needle = query.casefold()
        if not needle.strip():
            return []
        rows = self._read(
            "SELECT c.id, c.title, m.id, m.role, m.content FROM messages m"
            " JOIN conversations c ON c.id = m.conversation_id"
            " WHERE c.deleted IS NULL AND instr(tc_fold(m.content), ?) > 0"
            " ORDER BY c.updated DESC, m.id LIMIT ?",
            (needle, limit),
        )
        hits = [SearchHit(cid, title, mid, role, _snippet(content, needle)) for cid, title, mid, role, content in rows]
        found = {hit.conversation_id for hit in hits}
        for cid, title in self._read(
            "SELECT id, title FROM conversations WHERE deleted IS NULL AND instr(tc_fold(title), ?) > 0"
            " ORDER BY updated DESC",
            (needle,),
        ):
            if cid not in found:
                hits.append(SearchHit(cid, title, None, "", title))
        return hits

    # messages

    def endpoints(self) -> dict[int, list[str]]:
        """Per conversation, the inference servers its replies came from (none: all made on this computer)."""
        rows = self._read(
            "SELECT DISTINCT conversation_id, json_extract(stats_json, '$.endpoint') FROM messages"
            " WHERE role = 'assistant' AND stats_json IS NOT NULL AND json_valid(stats_json)"
            " AND json_extract(stats_json, '$.endpoint') != '' ORDER BY id"
        )
        found: dict[int, list[str]] = {}
        for conversation_id, endpoint in rows:
            if isinstance(endpoint, str) and endpoint not in found.setdefault(conversation_id, []):
                found[conversation_id].append(endpoint)
        return found

    def message(self, message_id: int) -> Message:
        rows = self._read(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,))
        if not rows:
            raise NotFoundError(translate("Store", "There is no message number {id}.").format(id=message_id))
        return _message(rows[0])

    def messages(self, conversation_id: int) -> list[Message]:
        """Every message of the conversation, all branches, oldest first."""
        rows = self._read(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id", (conversation_id,)
        )
        return [_message(row) for row in rows]

    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str,
        *,
        parent_id: Any = _ACTIVE_LEAF,
        status: str = STATUS_COMPLETE,
        **fields: Any,
    ) -> Message:
        """Add a message under ``parent_id`` (by default the end of the branch on screen).

        Passing the parent of an existing message adds a new version beside it:
        that is how an edited user message is resent, or a reply regenerated.
        The new message becomes the end of the branch on screen.
        """
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {role!r}")
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
        unknown = set(fields) - set(REPLY_FIELDS)
        if unknown:
            raise TypeError(f"unknown message fields: {sorted(unknown)}")
        now = _now()

        def work(conn: _TextSafeConnection) -> int:
            row = conn.execute(
                "SELECT active_leaf_id, title FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
            if row is None:
                raise NotFoundError(
                    translate("Store", "There is no conversation number {id}.").format(id=conversation_id)
                )
            parent = row[0] if parent_id is _ACTIVE_LEAF else parent_id
            if parent is not None:
                owner = conn.execute("SELECT conversation_id FROM messages WHERE id = ?", (parent,)).fetchone()
                if owner is None or owner[0] != conversation_id:
                    raise NotFoundError(
                        translate("Store", "There is no message number {id} in this conversation.").format(id=parent)
                    )
            cur = conn.execute(
                "INSERT INTO messages (conversation_id, parent_id, role, content, created, updated, status,"
                " model_file, model_sha256, template_source, system_prompt, params_json, seed, stats_json, error)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    conversation_id, parent, role, content, now, now, status,
                    fields.get("model_file", ""), fields.get("model_sha256", ""),
                    fields.get("template_source", ""), fields.get("system_prompt", ""),
                    _json_or_none(fields.get("params")), fields.get("seed"),
                    _json_or_none(fields.get("stats")), fields.get("error", ""),
                ),
            )
            new_id = _inserted_id(cur)
            title = row[1] or (title_from(content) if role == "user" else "")
            conn.execute(
                "UPDATE conversations SET active_leaf_id = ?, updated = ?, title = ? WHERE id = ?",
                (new_id, now, title, conversation_id),
            )
            return new_id

        return self.message(self._write(work))

    def active_branch(self, conversation_id: int) -> list[Message]:
        """The messages on screen, from the first to the active leaf."""
        conversation = self.conversation(conversation_id)
        if conversation.active_leaf_id is None:
            return []
        rows = self._read(
            f"WITH RECURSIVE branch(id, depth) AS ("
            f" SELECT ?, 0 UNION ALL"
            f" SELECT m.parent_id, b.depth + 1 FROM messages m JOIN branch b ON m.id = b.id"
            f" WHERE m.parent_id IS NOT NULL)"
            f" SELECT {', '.join('m.' + c.strip() for c in _MESSAGE_COLUMNS.split(','))}"
            f" FROM branch b JOIN messages m ON m.id = b.id ORDER BY b.depth DESC",
            (conversation.active_leaf_id,),
        )
        return [_message(row) for row in rows]

    def history(self, conversation_id: int) -> list[dict[str, str]]:
        """The branch on screen as the engine's ``messages`` (role and content), to continue it."""
        return [{"role": m.role, "content": m.content} for m in self.active_branch(conversation_id)]

    def siblings(self, message_id: int) -> list[Message]:
        """Every version of this turn (the message itself included), oldest first: "2 / 3"."""
        message = self.message(message_id)
        if message.parent_id is None:
            rows = self._read(
                f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? AND parent_id IS NULL"
                " ORDER BY id",
                (message.conversation_id,),
            )
        else:
            rows = self._read(
                f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE parent_id = ? ORDER BY id", (message.parent_id,)
            )
        return [_message(row) for row in rows]

    def children(self, message_id: int) -> list[Message]:
        rows = self._read(f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE parent_id = ? ORDER BY id", (message_id,))
        return [_message(row) for row in rows]

    def select(self, message_id: int) -> list[Message]:
        """Show the branch through ``message_id`` (e.g. version 2 of a reply); returns that branch.

        Below the chosen message the branch follows the newest version of each later turn.
        """
        message = self.message(message_id)

        def work(conn: _TextSafeConnection) -> None:
            leaf = message_id
            while True:
                row = conn.execute("SELECT max(id) FROM messages WHERE parent_id = ?", (leaf,)).fetchone()
                if row[0] is None:
                    break
                leaf = row[0]
            conn.execute(
                "UPDATE conversations SET active_leaf_id = ? WHERE id = ?", (leaf, message.conversation_id)
            )

        self._write(work)
        return self.active_branch(message.conversation_id)

    def remove_unanswered(self, message_id: int) -> None:
        """Take back a message that nothing follows (a question that could not be sent).

        Only a leaf can go, so no reply or later turn is ever lost with it; the
        branch on screen then ends at its parent again.
        """
        message = self.message(message_id)

        def work(conn: _TextSafeConnection) -> None:
            if conn.execute("SELECT 1 FROM messages WHERE parent_id = ? LIMIT 1", (message_id,)).fetchone():
                raise StoreError(
                    translate("Store", "Message {id} has replies, so it is kept.").format(id=message_id)
                )
            conn.execute(
                "UPDATE conversations SET active_leaf_id = ? WHERE id = ? AND active_leaf_id = ?",
                (message.parent_id, message.conversation_id, message_id),
            )
            conn.execute("DELETE FROM messages WHERE id = ?", (message_id,))

        self._write(work)

    def import_tree(self, conversation: Mapping[str, Any], messages: Sequence[Mapping[str, Any]]) -> int:
        """Add a whole conversation at once (an imported file); returns its new id.

        ``messages`` carry their old ids; parents must come before children.
        New ids are given and the tree is rebuilt with them, all in one
        transaction, so a failed import leaves nothing half-written.
        """
        now = _now()

        def work(conn: _TextSafeConnection) -> int:
            cur = conn.execute(
                "INSERT INTO conversations (title, created, updated, system_prompt, template_source, model_file)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    conversation.get("title", ""), conversation.get("created", now), conversation.get("updated", now),
                    conversation.get("system_prompt", ""), conversation.get("template_source", ""),
                    conversation.get("model_file", ""),
                ),
            )
            cid = _inserted_id(cur)
            new_ids: dict[Any, int] = {}
            for m in messages:
                status = m.get("status", STATUS_COMPLETE)
                if status == STATUS_STREAMING:  # nothing is writing it any more
                    status = STATUS_INTERRUPTED
                cur = conn.execute(
                    "INSERT INTO messages (conversation_id, parent_id, role, content, created, updated, status,"
                    " model_file, model_sha256, template_source, system_prompt, params_json, seed, stats_json, error)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        cid, new_ids[m["parent_id"]] if m.get("parent_id") is not None else None,
                        m["role"], m["content"], m.get("created", now), m.get("updated", m.get("created", now)),
                        status, m.get("model_file", ""), m.get("model_sha256", ""), m.get("template_source", ""),
                        m.get("system_prompt", ""), _json_or_none(m.get("params")), m.get("seed"),
                        _json_or_none(m.get("stats")), m.get("error", ""),
                    ),
                )
                new_ids[m["id"]] = _inserted_id(cur)
            leaf = conversation.get("active_leaf_id")
            active = new_ids.get(leaf) if leaf is not None else None
            if active is None and new_ids:
                active = max(new_ids.values())
            conn.execute("UPDATE conversations SET active_leaf_id = ? WHERE id = ?", (active, cid))
            return cid

        return self._write(work)

    # replies

    def begin_reply(  # noqa: PLR0913 - the stored reply's fields, all keyword-only
        self,
        conversation_id: int,
        *,
        parent_id: Any = _ACTIVE_LEAF,
        model_file: str = "",
        model_sha256: str = "",
        template_source: str = "",
        system_prompt: str = "",
        params: GenerationParams | Mapping[str, Any] | None = None,
        seed: int | None = None,
        flush_interval: float = FLUSH_INTERVAL_S,
    ) -> ReplyWriter:
        """Start saving an assistant reply as it streams.

        To regenerate a reply, pass ``parent_id=old_reply.parent_id``: the new
        reply becomes another version beside the old one.
        """
        if isinstance(params, GenerationParams):
            params = params.to_dict()
        message = self.add_message(
            conversation_id, "assistant", "", parent_id=parent_id, status=STATUS_STREAMING,
            model_file=model_file, model_sha256=model_sha256, template_source=template_source,
            system_prompt=system_prompt, params=dict(params) if params is not None else None, seed=seed,
        )
        return ReplyWriter(self, message, flush_interval)

    def continue_reply(self, message_id: int, *, flush_interval: float = FLUSH_INTERVAL_S) -> ReplyWriter:
        """Go on writing a reply that was cut off; new text is added after what it already has.

        ``finish(result)`` then stores the old text followed by ``result.text``.
        The reply keeps its own parameters and seed (so "use its settings" still
        reproduces it); its stats count the tokens of both parts and say why the
        last part stopped, and list each continuation's seed, parameters and
        stats under ``"continuations"``.
        """
        message = self.message(message_id)
        if message.role != "assistant":
            raise ValueError("only an assistant reply can be continued")
        self._save_reply(message_id, message.content, STATUS_STREAMING)
        self._write(lambda conn: conn.execute(
            "UPDATE conversations SET active_leaf_id = ? WHERE id = ?", (message_id, message.conversation_id)
        ))
        return ReplyWriter(self, message, flush_interval, prefix=message.content, continued=message)

    def record_exchange(
        self,
        conversation_id: int | None,
        user_text: str,
        result: GenerationResult,
        *,
        model_path: str | os.PathLike[str] = "",
        model_sha256: str = "",
        template_source: str = "",
        system_prompt: str = "",
    ) -> int:
        """Save one finished question and answer (the command line's ``ask``); returns the conversation id.

        With ``conversation_id`` None a new conversation is started (holding the
        system prompt, if any, as its first message).
        """
        model_file = Path(model_path).name if model_path else ""
        template_source = template_source or result.template
        if conversation_id is None:
            conversation_id = self.create_conversation(
                system_prompt=system_prompt, template_source=template_source, model_file=model_file
            ).id
            if system_prompt:
                self.add_message(conversation_id, "system", system_prompt)
        self.add_message(conversation_id, "user", user_text)
        writer = self.begin_reply(
            conversation_id, model_file=model_file, model_sha256=model_sha256,
            template_source=template_source, system_prompt=system_prompt,
            params=result.params, seed=result.seed,
        )
        writer.finish(result)
        return conversation_id

    def _save_reply(self, message_id: int, content: str, status: str, extra: Mapping[str, Any] | None = None) -> None:
        now = _now()
        extra = dict(extra or {})

        def work(conn: _TextSafeConnection) -> None:
            sets = ["content = ?", "status = ?", "updated = ?"]
            args: list[Any] = [content, status, now]
            for column, value in extra.items():
                sets.append(f"{column} = ?")
                args.append(value)
            conn.execute(f"UPDATE messages SET {', '.join(sets)} WHERE id = ?", (*args, message_id))
            if status != STATUS_STREAMING:
                conn.execute(
                    "UPDATE conversations SET updated = ? WHERE id = (SELECT conversation_id FROM messages WHERE id "
                    "= ?)",
                    (now, message_id),
                )

        self._write(work)


class ReplyWriter:
    """Saves one streaming reply: :meth:`append` per token, :meth:`finish` at the end.

    ``append`` is cheap (a list append and a clock read) and writes to disk at
    most every ``flush_interval`` seconds, so the text lost in a crash is at most
    that much. A failed save (a full disk) never loses text: :attr:`text` keeps
    everything, :attr:`save_error` says what went wrong, and the next save tries
    again. ``append`` never raises, so a full disk does not stop the generation;
    ``finish`` raises StoreError if the final save fails.
    """

    def __init__(
        self,
        store: Store,
        message: Message,
        flush_interval: float = FLUSH_INTERVAL_S,
        prefix: str = "",
        continued: Message | None = None,
    ):
        self.store = store
        #: The reply as it was before a continuation (None for a new reply).
        self.continued = continued
        #: Text the reply already had before this generation (a continued reply).
        self.prefix = prefix
        self.message_id = message.id
        self.conversation_id = message.conversation_id
        self.flush_interval = flush_interval
        self.save_error: StoreError | None = None
        self.finished = False
        self._parts: list[str] = [prefix] if prefix else []
        self._last_flush = time.monotonic()

    @property
    def text(self) -> str:
        if len(self._parts) > 1:
            self._parts[:] = ["".join(self._parts)]
        return self._parts[0] if self._parts else ""

    def append(self, piece: str) -> None:
        if not piece:
            return
        self._parts.append(piece)
        if time.monotonic() - self._last_flush >= self.flush_interval:
            self.flush()

    def flush(self) -> bool:
        """Write the text so far; False (and :attr:`save_error` set) if it could not be saved."""
        self._last_flush = time.monotonic()
        try:
            self.store._save_reply(self.message_id, self.text, STATUS_STREAMING)
        except StoreError as error:
            self.save_error = error
            return False
        self.save_error = None
        return True

    def finish(self, result: GenerationResult | None = None) -> Message:
        """Save the whole reply with its stats and mark it complete.

        With ``result`` the stored text, parameters, seed and stats are the
        result's. A reply that ended in an error is kept and marked
        ``interrupted``, with the error sentence beside it.
        """
        extra: dict[str, Any] = {}
        status = STATUS_COMPLETE
        if result is not None:
            if self.prefix + result.text != self.text:
                self._parts[:] = [self.prefix + result.text]
            if self.continued is not None:
                extra = {"stats_json": _json_or_none(_continued_stats(self.continued, result)), "error": result.error}
            else:
                extra = {
                    "params_json": _json_or_none(result.params),
                    "seed": result.seed,
                    "stats_json": _json_or_none(result.stats),
                    "error": result.error,
                }
            if result.error or result.stats.stop_reason == StopReason.ERROR:
                status = STATUS_INTERRUPTED
        self.store._save_reply(self.message_id, self.text, status, extra)
        self.finished = True
        self.save_error = None
        return self.store.message(self.message_id)

    def abandon(self) -> Message:
        """A continuation that never started: the reply goes back to what it was (text, status and error)."""
        if self.continued is None:
            raise ValueError("only a continued reply can be abandoned")
        self._parts[:] = [self.prefix]
        self.store._save_reply(
            self.message_id, self.prefix, self.continued.status, {"error": self.continued.error}
        )
        self.finished = True
        return self.store.message(self.message_id)

    def interrupt(self, error: str = "") -> Message:
        """Keep what was generated and mark it interrupted (the generation failed or was abandoned)."""
        self.store._save_reply(self.message_id, self.text, STATUS_INTERRUPTED, {"error": error})
        self.finished = True
        return self.store.message(self.message_id)


def _continued_stats(reply: Message, result: GenerationResult) -> dict[str, Any]:
    """The stats of ``reply`` after ``result`` continued it: its own, with the tokens of both
    parts, why the last part stopped, and each continuation's seed, parameters and stats."""
    new = result.stats.to_dict()
    stats = dict(reply.stats) if reply.stats is not None else dict(new)
    earlier = stats.get("continuations")
    continuations = list(earlier) if isinstance(earlier, list) else []
    continuations.append({"seed": result.seed, "params": result.params.to_dict(), "stats": new})
    before = reply.stats.get("completion_tokens", 0) if reply.stats is not None else 0
    stats["completion_tokens"] = int(before or 0) + int(new.get("completion_tokens") or 0)
    stats["stop_reason"] = new.get("stop_reason")
    stats["continuations"] = continuations
    return stats


def clean_text(text: str) -> str:
    """``text`` with any lone UTF-16 surrogate (which UTF-8 cannot hold) replaced by U+FFFD.

    They come only from broken input, such as a JSON file with a "\\ud800"
    escape; SQLite would refuse the whole message for one such character.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


class _TextSafeConnection:
    """The connection as write transactions see it: text that UTF-8 cannot hold is repaired, not refused."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def execute(self, sql: str, args: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, args)
        except UnicodeEncodeError:  # rare: clean only then, so the usual path costs nothing
            return self._conn.execute(sql, [clean_text(a) if isinstance(a, str) else a for a in args])


def _inserted_id(cur: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just wrote; sqlite3 gives None only if no row was inserted."""
    if cur.lastrowid is None:  # inside _write, which rolls back and words it as a StoreError
        raise sqlite3.DatabaseError("no row was inserted")
    return cur.lastrowid


def _snippet(content: str, needle: str, width: int = 80) -> str:
    at = content.casefold().find(needle)
    if at < 0:
        return content[:width]
    start = max(0, at - width // 2)
    end = min(len(content), at + len(needle) + width // 2)
    return ("…" if start else "") + content[start:end].replace("\n", " ") + ("…" if end < len(content) else "")


def _statements(script: str) -> Iterable[str]:
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()


def open_store(path: str | os.PathLike[str] | None = None) -> Store:
    """The conversations file in the data folder (or at ``path``)."""
    return Store(path)
