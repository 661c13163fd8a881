"""Small but real GGUF files, written with the gguf package's own writer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from gguf import GGUFWriter, LlamaFileType


def write_tiny_gguf(
    path: Path,
    *,
    arch: str = "llama",
    name: str = "Tiny Test",
    context_length: int = 512,
    block_count: int = 2,
    embedding: int = 32,
    heads: int = 4,
    heads_kv: int = 2,
    vocab: int = 100,
    template: str | None = "{{ messages[0]['content'] }}",
    license: str | None = "apache-2.0",
    file_type: int | None = int(LlamaFileType.ALL_F32),
    parameter_count: int | None = None,
    seed: int = 0,
) -> Path:
    """A llama-shaped GGUF of a few KB: real header, real tensor data, a real vocabulary."""
    writer = GGUFWriter(str(path), arch)
    writer.add_name(name)
    writer.add_context_length(context_length)
    writer.add_block_count(block_count)
    writer.add_embedding_length(embedding)
    writer.add_head_count(heads)
    writer.add_head_count_kv(heads_kv)
    if file_type is not None:
        writer.add_file_type(file_type)
    if license is not None:
        writer.add_license(license)
    if parameter_count is not None:
        writer.add_uint64("general.parameter_count", parameter_count)
    if template is not None:
        writer.add_chat_template(template)
    writer.add_tokenizer_model("llama")
    writer.add_token_list([f"tok{i}" for i in range(vocab)])
    writer.add_token_scores([0.0] * vocab)
    rng = np.random.default_rng(seed)
    writer.add_tensor("token_embd.weight", rng.standard_normal((vocab, embedding)).astype(np.float32))
    for layer in range(block_count):
        writer.add_tensor(f"blk.{layer}.attn_norm.weight", np.ones(embedding, dtype=np.float32))
        writer.add_tensor(f"blk.{layer}.attn_q.weight", rng.standard_normal((embedding, embedding)).astype(np.float16))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def tiny_parameter_count(vocab: int = 100, embedding: int = 32, block_count: int = 2) -> int:
    return vocab * embedding + block_count * (embedding + embedding * embedding)
