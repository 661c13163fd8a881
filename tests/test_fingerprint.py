import hashlib
import os

import pytest

from tinychat.core.fingerprint import sha256_of


def test_digest_is_right_and_cached(tmp_path):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"GGUF" + os.urandom(10_000))
    expected = hashlib.sha256(model.read_bytes()).hexdigest()
    assert sha256_of(model) == expected
    assert sha256_of(model) == expected  # from the cache


def test_a_changed_file_is_hashed_again(tmp_path):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"one")
    first = sha256_of(model)
    model.write_bytes(b"two, longer")
    assert sha256_of(model) == hashlib.sha256(b"two, longer").hexdigest() != first


def test_a_damaged_cache_is_ignored(tmp_path):
    from tinychat.core import paths

    (paths.data_dir() / "model-hashes.json").write_text("[not a cache")
    model = tmp_path / "m.gguf"
    model.write_bytes(b"abc")
    assert sha256_of(model) == hashlib.sha256(b"abc").hexdigest()


def test_hash_file_feeds_other_digests_and_reports_progress(tmp_path):
    from tinychat.core.fingerprint import hash_file

    data = bytes(range(256)) * 100
    path = tmp_path / "blob.bin"
    path.write_bytes(data)
    sha1 = hashlib.sha1(usedforsecurity=False)
    done = []
    assert hash_file(path, also=(sha1,), progress=done.append, chunk_size=4096) == hashlib.sha256(data).hexdigest()
    assert sha1.hexdigest() == hashlib.sha1(data, usedforsecurity=False).hexdigest()
    assert done[-1] == len(data) and done == sorted(done) and len(done) == 7


def test_hash_file_stops_when_progress_raises(tmp_path):
    from tinychat.core.fingerprint import hash_file

    path = tmp_path / "blob.bin"
    path.write_bytes(b"x" * 10_000)
    seen = []

    def stop_after_first(done):
        seen.append(done)
        raise InterruptedError

    with pytest.raises(InterruptedError):
        hash_file(path, progress=stop_after_first, chunk_size=1000)
    assert seen == [1000]


@pytest.fixture
def hash_count(monkeypatch):
    """How many times the real hashing function has read a file (it stays the real one)."""
    from tinychat.core import fingerprint

    real = fingerprint.hash_file
    calls = []

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(fingerprint, "hash_file", counting)
    return calls


def test_the_cache_is_used_until_the_size_or_the_time_changes(tmp_path, hash_count):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"same")
    sha256_of(model)
    sha256_of(model)
    assert len(hash_count) == 1
    stat = model.stat()
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched, same bytes
    assert sha256_of(model) == hashlib.sha256(b"same").hexdigest()
    assert len(hash_count) == 2
    model.write_bytes(b"same, and more")
    sha256_of(model)
    assert len(hash_count) == 3


@pytest.mark.model
def test_ask_never_hashes_the_model_while_the_reply_streams(starter_path, hash_count, monkeypatch, capsys):
    from tinychat.cli import ask, main

    at_each_token = []
    monkeypatch.setattr(ask, "_print_piece", lambda piece: at_each_token.append(len(hash_count)))
    assert main(["ask", "Name a colour.", "--seed", "2", "--max-new-tokens", "8", "--model", str(starter_path)]) == 0
    assert len(at_each_token) > 1
    # Hashed once (a fresh data folder), before the first token and not again until the last.
    assert at_each_token[0] == at_each_token[-1] == len(hash_count) == 1
