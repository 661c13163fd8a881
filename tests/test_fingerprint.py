import hashlib
import os

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
