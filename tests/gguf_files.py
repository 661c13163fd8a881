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


def write_tiny_gemma3(path: Path, *, vocab: int = 300, embedding: int = 64, block_count: int = 6,
                      heads: int = 2, head_dim: int = 32, ff: int = 128, window: int = 4, seed: int = 0) -> Path:
    """A complete Gemma 3 of random float32 weights that llama.cpp runs: every tensor the architecture has.

    Six layers make one full pattern (five sliding-window layers, then one that sees everything);
    a window of 4 tokens makes the sliding window matter on a short prompt.
    """
    writer = GGUFWriter(str(path), "gemma3")
    writer.add_name("Tiny Gemma 3")
    writer.add_context_length(256)
    writer.add_block_count(block_count)
    writer.add_embedding_length(embedding)
    writer.add_feed_forward_length(ff)
    writer.add_head_count(heads)
    writer.add_head_count_kv(1)
    writer.add_key_length(head_dim)
    writer.add_value_length(head_dim)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_rope_freq_base(1_000_000.0)
    writer.add_sliding_window(window)
    writer.add_file_type(int(LlamaFileType.ALL_F32))
    writer.add_tokenizer_model("llama")
    writer.add_token_list(["<unk>", "<bos>", "<eos>"] + [f"▁w{i}" for i in range(3, vocab)])
    writer.add_token_scores([0.0] * vocab)
    writer.add_token_types([2, 3, 3] + [1] * (vocab - 3))
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_unk_token_id(0)
    rng = np.random.default_rng(seed)

    def w(*shape: int, scale: float = 0.2) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    def norm(n: int) -> np.ndarray:
        return (1.0 + rng.standard_normal(n) * 0.1).astype(np.float32)

    writer.add_tensor("token_embd.weight", w(vocab, embedding))
    writer.add_tensor("output_norm.weight", norm(embedding))
    for i in range(block_count):
        b = f"blk.{i}."
        writer.add_tensor(b + "attn_norm.weight", norm(embedding))
        writer.add_tensor(b + "attn_q.weight", w(heads * head_dim, embedding))
        writer.add_tensor(b + "attn_k.weight", w(head_dim, embedding))
        writer.add_tensor(b + "attn_v.weight", w(head_dim, embedding))
        writer.add_tensor(b + "attn_output.weight", w(embedding, heads * head_dim))
        writer.add_tensor(b + "attn_q_norm.weight", norm(head_dim))
        writer.add_tensor(b + "attn_k_norm.weight", norm(head_dim))
        writer.add_tensor(b + "post_attention_norm.weight", norm(embedding))
        writer.add_tensor(b + "ffn_norm.weight", norm(embedding))
        writer.add_tensor(b + "ffn_gate.weight", w(ff, embedding))
        writer.add_tensor(b + "ffn_up.weight", w(ff, embedding))
        writer.add_tensor(b + "ffn_down.weight", w(embedding, ff))
        writer.add_tensor(b + "post_ffw_norm.weight", norm(embedding))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
