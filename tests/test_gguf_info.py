"""GGUF header reading on the real starter model and on small files written with gguf's writer."""

from __future__ import annotations

import os
import sys

import gguf
import pytest

from gguf_files import tiny_parameter_count, write_tiny_gguf
from tinychat.core.gguf_info import (
    GGUFInfoError,
    Verdict,
    estimate_for_info,
    estimate_memory,
    file_type_name,
    format_parameter_count,
    kv_cache_bytes,
    read_gguf_info,
    total_ram_bytes,
)


def test_starter_model_header(starter_path):
    info = read_gguf_info(starter_path)
    assert info.architecture == "llama"
    assert info.architecture_known
    assert info.file_type == "Q4_1"
    assert info.context_length == 8192
    assert info.block_count == 30
    assert info.vocab_size == 49152
    assert info.has_chat_template and "<|im_start|>" in info.chat_template
    assert info.license == "apache-2.0"
    assert info.file_size == starter_path.stat().st_size
    assert format_parameter_count(info.parameter_count) == "135M"
    assert info.tensor_types["Q4_1"] > info.tensor_types.get("Q8_0", 0)


def test_agrees_with_gguf_reader(starter_path):
    """The fast reader must report what gguf's own (slow) reader sees."""
    reader = gguf.GGUFReader(starter_path)
    info = read_gguf_info(starter_path)
    assert info.parameter_count == sum(t.n_elements for t in reader.tensors)
    assert len(info.tensors) == len(reader.tensors)
    assert [t.name for t in info.tensors] == [t.name for t in reader.tensors]
    assert [t.type_name for t in info.tensors] == [t.tensor_type.name for t in reader.tensors]
    assert info.chat_template == reader.fields["tokenizer.chat_template"].contents()
    assert info.n_embd_kv == 3 * (576 // 9)


def test_written_file(tmp_path):
    path = write_tiny_gguf(tmp_path / "tiny.gguf", arch="qwen2", context_length=1024, block_count=3, license="mit")
    info = read_gguf_info(path)
    assert info.architecture == "qwen2"
    assert info.context_length == 1024
    assert info.block_count == 3
    assert info.license == "mit"
    assert info.parameter_count == tiny_parameter_count(block_count=3)
    assert info.tensor_types == {"F32": 4, "F16": 3}
    assert info.vocab_size == 100
    assert info.to_dict()["has_chat_template"] is True


def test_parameter_count_key_wins_and_missing_pieces(tmp_path):
    path = write_tiny_gguf(tmp_path / "t.gguf", template=None, license=None, file_type=None, parameter_count=7_000)
    info = read_gguf_info(path)
    assert info.parameter_count == 7_000
    assert not info.has_chat_template
    assert info.license == ""
    assert info.file_type == ""
    assert info.quantization == "F32"  # the most common tensor type stands in


def test_unknown_architecture_is_reported(tmp_path):
    info = read_gguf_info(write_tiny_gguf(tmp_path / "t.gguf", arch="martian"))
    assert info.architecture == "martian"
    assert not info.architecture_known


def test_file_type_names():
    assert file_type_name(7) == "Q8_0"
    assert file_type_name(0) == "F32"
    assert file_type_name(9999) == ""


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda p: p, "does not exist"),
        (lambda p: (p.mkdir(), p)[1], "is a folder"),
        (lambda p: (p.write_bytes(b""), p)[1], "empty or too short"),
        (lambda p: (p.write_bytes(b"PK\x03\x04 a zip file"), p)[1], "is not a GGUF model file"),
    ],
)
def test_bad_paths(tmp_path, make, fragment):
    path = make(tmp_path / "model.gguf")
    with pytest.raises(GGUFInfoError, match=fragment):
        read_gguf_info(path)


@pytest.mark.parametrize("keep", [10, 200, 0.97])
def test_truncated_file(tmp_path, keep):
    full = write_tiny_gguf(tmp_path / "full.gguf").read_bytes()
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(full[: int(len(full) * keep) if isinstance(keep, float) else keep])
    with pytest.raises(GGUFInfoError, match="cut short"):
        read_gguf_info(cut)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions as a normal user")
def test_unreadable_file(tmp_path):
    path = write_tiny_gguf(tmp_path / "t.gguf")
    path.chmod(0)
    try:
        with pytest.raises(GGUFInfoError, match="may not read"):
            read_gguf_info(path)
    finally:
        path.chmod(0o644)


def test_kv_cache_formula():
    # TinyLlama 1.1B: 22 layers, 4 KV heads of 64, f16: 22 KiB per token, 44 MiB at 2048.
    assert kv_cache_bytes(22, 2048, 256) == 2 * 22 * 2048 * 256 * 2 == 46_137_344


def test_memory_estimate_and_verdicts(starter_path):
    info = read_gguf_info(starter_path)
    est = estimate_for_info(info, n_ctx=2048, total_ram=8 * 2**30)
    assert est.weights == info.file_size
    assert est.kv_cache == kv_cache_bytes(30, 2048, 192)
    assert est.total == est.weights + est.kv_cache + est.overhead
    assert not est.rough
    assert est.verdict is Verdict.FITS
    assert estimate_for_info(info, 2048, total_ram=est.total * 100 // 75).verdict is Verdict.TIGHT
    assert estimate_for_info(info, 2048, total_ram=est.total).verdict is Verdict.WONT_FIT
    assert estimate_for_info(info, 2048, total_ram=0).verdict is None
    bigger = estimate_for_info(info, n_ctx=8192, total_ram=8 * 2**30)
    assert bigger.kv_cache == 4 * est.kv_cache


def test_rough_estimate_without_header():
    est = estimate_memory(1_170_000_000, 2048, total_ram=16 * 2**30)
    assert est.rough
    assert est.kv_cache > 0
    assert est.to_dict()["verdict"] == "fits"


def test_total_ram_is_read():
    ram = total_ram_bytes()
    assert ram is None or ram > 64 * 2**20


def test_the_gpu_verdict_compares_the_whole_model_with_the_free_gpu_memory(starter_path):
    from tinychat.core.gguf_info import GPU_OVERHEAD

    info = read_gguf_info(starter_path)
    assert estimate_for_info(info, 2048).gpu_verdict is None  # no GPU: no GPU verdict
    est = estimate_for_info(info, 2048, gpu_free=8 * 1024**3)
    assert est.gpu_needed == est.weights + est.kv_cache + GPU_OVERHEAD
    assert est.gpu_verdict is Verdict.FITS and est.to_dict()["gpu_verdict"] == "fits"
    assert estimate_for_info(info, 2048, gpu_free=est.gpu_needed).gpu_verdict is Verdict.TIGHT
    assert estimate_for_info(info, 2048, gpu_free=est.gpu_needed - 1).gpu_verdict is Verdict.WONT_FIT
    assert estimate_for_info(info, 2048, gpu_free=est.gpu_needed - 1).verdict == est.verdict  # RAM's unchanged
