"""llama.cpp's state of a conversation's prompt, kept on disk so that a conversation reopens warm.

Within one run the engine keeps the previous prompt in the KV cache (see
``Engine._reusable_prefix``). A conversation reopened after a restart, or
continued with ``tinychat ask --chat ID``, would otherwise be read again from
its first token: turn 10 then waits many times longer for its first token than
turn 1. After each reply the engine's batch-computed prefix (the prompt, never
the reply's own tokens) is written here with llama.cpp's sequence state; before
the next reply the longest saved prefix of the new prompt is loaded back.

Keys: a file holds the *signature* of what computed it (the model's sha256,
llama.cpp's version and every context setting that changes the numbers) and
its tokens. Only a file with the same signature is ever loaded, and the one
that is the longest prefix of the new prompt wins; the engine then reads the
rest in the batches a fresh evaluation uses, so a seeded reply is the same text
as from a fresh evaluation.

A state file is never trusted: its magic, header, size and payload checksum
are checked before llama.cpp sees a byte, and llama.cpp's own checks and the
engine's (positions 0..n-1 in the cache) after. A file that fails any of them
is logged, deleted, and the prompt is simply evaluated again.

The folder has a size cap; the least recently used files go first (the
modification time is the last use). A state that extends another one of the
same signature makes the shorter one useless and replaces it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Mapping, Sequence

from tinychat.core import paths

if TYPE_CHECKING:  # the engine imports llama.cpp; this module is imported by it, never the other way round
    from tinychat.core.engine import Engine
    from tinychat.core.templates import ChatTemplate

log = logging.getLogger("tinychat.saved_state")

MAGIC = b"TinyChat llama.cpp state 1\n"
SUFFIX = ".kvstate"
#: Default cap of the folder (the starter model's state is about 23 kB a token).
DEFAULT_CAP_BYTES = 1024 * 1024 * 1024
#: A header larger than this is not ours (the token list of a 128 k context is about 1 MB of JSON).
MAX_HEADER_BYTES = 16 * 1024 * 1024
_LENGTH = struct.Struct(">Q")


def default_folder() -> Path:
    return paths.data_dir() / "kv-states"


class StateFileError(ValueError):
    """A state file that is not one TinyChat wrote for this model (truncated, damaged, foreign)."""


@dataclass(frozen=True)
class _Header:
    path: Path
    signature: str
    tokens: tuple[int, ...]
    payload_sha256: str
    payload_size: int
    payload_offset: int


def _file_stem(signature: str, tokens: Sequence[int]) -> str:
    sig = hashlib.sha256(signature.encode("utf-8")).hexdigest()[:16]
    body = hashlib.sha256(json.dumps(list(tokens)).encode("ascii")).hexdigest()[:32]
    return f"{sig}-{body}"


def _signature_prefix(signature: str) -> str:
    return hashlib.sha256(signature.encode("utf-8")).hexdigest()[:16]


def _read_header(path: Path) -> _Header:
    """The header of a state file; raises StateFileError (or OSError) for anything but a well-formed one."""
    with path.open("rb") as f:
        if f.read(len(MAGIC)) != MAGIC:
            raise StateFileError("not a TinyChat state file")
        raw_length = f.read(_LENGTH.size)
        if len(raw_length) != _LENGTH.size:
            raise StateFileError("cut short in its header")
        (length,) = _LENGTH.unpack(raw_length)
        if length > MAX_HEADER_BYTES:
            raise StateFileError("header too large")
        raw = f.read(length)
        if len(raw) != length:
            raise StateFileError("cut short in its header")
    try:
        header: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise StateFileError("damaged header") from exc
    if not isinstance(header, dict):
        raise StateFileError("damaged header")
    signature, tokens = header.get("signature"), header.get("tokens")
    digest, size = header.get("payload_sha256"), header.get("payload_size")
    if (
        not isinstance(signature, str)
        or not isinstance(tokens, list)
        or not tokens
        or not all(type(t) is int and t >= 0 for t in tokens)
        or not isinstance(digest, str)
        or type(size) is not int
        or size <= 0
    ):
        raise StateFileError("damaged header")
    offset = len(MAGIC) + _LENGTH.size + length
    if path.stat().st_size != offset + size:
        raise StateFileError("cut short or padded: its size does not match its header")
    return _Header(path, signature, tuple(tokens), digest, size, offset)


def next_prompt_prefix(
    engine: Engine, messages: Sequence[Mapping[str, str]], reply: str, template: ChatTemplate | None = None
) -> list[int]:
    """The tokens the next prompt will start with, whatever the next message says (Engine.follow_prefix).

    ``messages`` and ``reply``: the conversation the reply answered, and the reply.
    """
    return engine.follow_prefix(messages, reply, template)


class StateCache:
    """A folder of saved prompt states, shared by the window and the command line."""

    def __init__(self, folder: str | os.PathLike[str] | None = None, cap_bytes: int = DEFAULT_CAP_BYTES) -> None:
        self.folder = Path(folder) if folder is not None else default_folder()
        self.cap_bytes = cap_bytes

    # -- reading ---------------------------------------------------------------

    def _headers(self, signature: str) -> list[_Header]:
        """Well-formed files of this signature; damaged ones are logged and removed."""
        found = []
        try:
            candidates = sorted(self.folder.glob(f"{_signature_prefix(signature)}-*{SUFFIX}"))
        except OSError:
            return []
        for path in candidates:
            try:
                header = _read_header(path)
            except FileNotFoundError:
                continue  # removed meanwhile (another TinyChat made room, or replaced it)
            except (StateFileError, OSError) as exc:
                self._discard(path, str(exc))
                continue
            if header.signature == signature:
                found.append(header)
        return found

    def restore(self, engine: Engine, tokens: Sequence[int]) -> int:
        """Load the saved state sharing the longest prefix with ``tokens`` into ``engine``, if it helps.

        Returns how many leading tokens the engine now holds for ``tokens`` (0:
        nothing loaded). Never raises for a bad file: it is logged and removed,
        and the prompt is evaluated as if there were none.
        """
        signature = engine.state_signature()
        if not signature or not tokens:
            return 0
        held = engine.cached_prefix(tokens)
        best: _Header | None = None
        best_common = held
        for header in self._headers(signature):
            # Usable whole or not at all: its end is where its last batch ended (see Engine._prompt_bounds).
            usable = len(header.tokens)
            if best_common < usable < len(tokens) and tuple(tokens[:usable]) == header.tokens:
                best, best_common = header, usable
        if best is None:
            return held
        try:
            payload = self._payload(best)
        except (StateFileError, OSError) as exc:
            self._discard(best.path, str(exc))
            return held  # the engine was not touched
        if not engine.load_prefix_state(best.tokens, payload):
            self._discard(best.path, "llama.cpp refused it")
            return 0
        with contextlib.suppress(OSError):
            os.utime(best.path)  # used now: last to be evicted
        log.info("loaded a saved state of %d tokens from %s", len(best.tokens), best.path.name)
        return engine.cached_prefix(tokens)

    def _payload(self, header: _Header) -> bytes:
        with header.path.open("rb") as f:
            f.seek(header.payload_offset)
            payload = f.read(header.payload_size + 1)
        if len(payload) != header.payload_size:
            raise StateFileError("cut short")
        if hashlib.sha256(payload).hexdigest() != header.payload_sha256:
            raise StateFileError("damaged: its checksum does not match")
        return payload

    # -- writing ---------------------------------------------------------------

    def save(self, engine: Engine, follows: Sequence[int] = ()) -> Path | None:
        """Write the engine's batch-computed prefix; after a reply, never while one streams.

        ``follows``: the next prompt's tokens up to where its new message starts
        (see :func:`next_prompt_prefix`); the reply is then evaluated in batches
        first, so that reopening reads only the new message.
        Errors (a full disk, a read-only folder) are logged: the cache only saves time.
        """
        signature = engine.state_signature()
        if not signature:
            return None
        if follows:
            engine.extend_prefix(follows)
        saved = engine.prefix_state()
        if saved is None:
            return None
        tokens, payload = saved
        target = self.folder / f"{_file_stem(signature, tokens)}{SUFFIX}"
        try:
            if target.exists():
                os.utime(target)
                return target
            self._write(target, signature, tokens, payload)
            for header in self._headers(signature):
                shorter = len(header.tokens) < len(tokens) and tuple(tokens[: len(header.tokens)]) == header.tokens
                if shorter:
                    header.path.unlink(missing_ok=True)
            self.evict()
        except OSError as exc:
            log.warning("could not save the conversation's state in %s: %s", self.folder, exc)
            return None
        return target

    def _write(self, target: Path, signature: str, tokens: Sequence[int], payload: bytes) -> None:
        header = json.dumps({
            "signature": signature,
            "tokens": list(tokens),
            "payload_sha256": hashlib.sha256(payload).hexdigest(),
            "payload_size": len(payload),
        }).encode("utf-8")
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC)
                handle.write(_LENGTH.pack(len(header)))
                handle.write(header)
                handle.write(payload)
            # No fsync: a state lost in a crash is only time lost, and the checks above catch a torn file.
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def evict(self) -> None:
        """Remove the least recently used files until the folder is under its cap."""
        files = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            with contextlib.suppress(OSError):
                stat = path.stat()
                files.append((stat.st_mtime_ns, stat.st_size, path))
        total = sum(size for _mtime, size, _path in files)
        for _mtime, size, path in sorted(files):
            if total <= self.cap_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.folder.glob(f"*{SUFFIX}"))

    def _discard(self, path: Path, reason: str) -> None:
        log.warning("ignored the saved state %s (%s); the conversation is read again instead", path.name, reason)
        with contextlib.suppress(OSError):
            path.unlink()
