"""The sha256 of a file: the one helper that reads a file to hash it, and a remembered digest per model.

Every reply is stored with the sha256 of the model that wrote it, so that it can
be reproduced from the very same file. Hashing a 1 GB model takes seconds, so
the digest is cached per (path, size, modification time) in the data folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterable

from tinychat.core import paths
from tinychat.core.atomic import write_text_atomically

CHUNK = 4 * 1024 * 1024


def _cache_file() -> Path:
    return paths.data_dir() / "model-hashes.json"


def _key(path: Path) -> str:
    stat = path.stat()
    return f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"


def hash_file(
    path: str | os.PathLike[str],
    *,
    also: Iterable[Any] = (),
    progress: Callable[[int], None] | None = None,
    chunk_size: int = CHUNK,
) -> str:
    """The file's sha256 as hex, read once in chunks.

    ``also``: more ``hashlib`` objects fed the same bytes (the Hub's git blob
    sha1, for instance). ``progress(bytes_done)`` is called after each chunk; it
    may raise to stop (a cancelled download's check).
    """
    digest = hashlib.sha256()
    others = list(also)
    done = 0
    with Path(path).open("rb") as f:
        while chunk := f.read(chunk_size):
            digest.update(chunk)
            for other in others:
                other.update(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done)
    return digest.hexdigest()


def sha256_of(path: str | os.PathLike[str]) -> str:
    """The file's sha256 as hex; from the cache when the file has not changed."""
    path = Path(path)
    key = _key(path)
    cache_path = _cache_file()
    try:
        cache = json.loads(cache_path.read_text(encoding="utf-8"))
        if not isinstance(cache, dict):
            cache = {}
    except (OSError, ValueError):
        cache = {}
    if isinstance(cache.get(key), str):
        return cache[key]
    value = hash_file(path)
    cache[key] = value
    with contextlib.suppress(OSError):  # the cache only saves time; the digest itself is right
        write_text_atomically(cache_path, json.dumps(cache))
    return value
