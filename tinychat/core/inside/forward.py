"""The whole transformer of a llama-family model, in NumPy, read from the same GGUF file llama.cpp runs.

Why a second implementation, when llama.cpp already computes all this: llama.cpp
keeps the layers inside its compute graph, and reading them out means ctypes
copies of ggml's tensor struct pinned to one llama.cpp build. This file needs
none of that, and a student can read the whole model in one sitting:

    x = embedding of each token
    for each layer:
        x = x + attention(rms_norm(x))        # tokens look at earlier tokens
        x = x + feed_forward(rms_norm(x))     # each token on its own
    logits = rms_norm(x) @ output_matrix.T    # a score for every token of the vocabulary

It is slower than llama.cpp (plain float32 matrix products on dequantized
weights; see benchmarks/bench_inside.py) and it is checked against llama.cpp's
own scores in tests/test_inside.py. The two agree on the likeliest tokens, but
not to the last digit: llama.cpp rounds activations to 8 bits before
multiplying them with 4-bit weights, keeps keys and values in float16, and
adds numbers up in another order. On the 4-bit starter model that moves
probabilities by up to about 0.03, the same size as the difference between
llama.cpp reading a prompt in one batch and reading it token by token
(measured: 0.037 on an 18-token prompt). Copying llama.cpp's rounding step
by step did not bring the two closer, so this file stays plain float32.
Matching llama.cpp's batch shape does not either: reading the prompt in
llama.cpp in batches of 1, 2, 8 or 512 tokens, with flash attention on or
off, left the largest difference at 0.0049 on "The capital of France is"
(0.0074 with flash attention) and at 0.013 to 0.019 on a 19-token prompt;
rounding this file's activations to 8 bits per block of 32 as llama.cpp
does gave 0.007 and 0.015.

Gemma 3 (architecture "gemma3") runs through the same loop with its
differences switched on: the embedding scaled by sqrt(n_embd), a norm on
each head's query and key, norms after attention and after the
feed-forward, a GELU gate instead of SiLU, rotation of dimension i with
i + d/2 (NeoX style), and five of every six layers attending only to the
last ``sliding_window`` tokens with a rotation base of 10 000.

The weights are dequantized with the ``gguf`` package (``gguf.quants``), the
same code llama.cpp's Python tools use; they are kept in memory for the model
opened last, since every view needs them all: as float32, or as float16 for
models over 600 M parameters (see HALF_PRECISION_ABOVE).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable, Sequence

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize
from threadpoolctl import threadpool_limits

from tinychat.core.engine import default_threads
from tinychat.core.gguf_info import GGUFInfoError, read_gguf_info
from tinychat.core.i18n import QT_TRANSLATE_NOOP, translate

_CTX = "Inside"

#: The architectures this file can compute (names as GGUF headers write them).
#: Llama 2 and 3, TinyLlama, SmolLM, Mistral and many fine-tunes are "llama".
#: "gemma3" is Gemma 3 (text only): the same loop with a few changes, marked "Gemma 3" in _forward.
SUPPORTED_ARCHITECTURES = ("llama", "gemma3")

Progress = Callable[[int, int], None]


class InsideError(ValueError):
    """The model or the text cannot be shown; ``str(error)`` says why and what to do."""


class Cancelled(Exception):
    """The person pressed Cancel."""


UNSUPPORTED = QT_TRANSLATE_NOOP(
    "Inside",
    "{name} is a “{arch}” model; the layer and attention views can only compute {supported} models "
    "(SmolLM2, TinyLlama, Llama, Mistral, Gemma 3). Tokens and surprise still work with it.",
)


SUPPORTED_NOTE = QT_TRANSLATE_NOOP(
    "Inside",
    "The layer and attention views compute the model in TinyChat's NumPy copy of the transformer, which supports "
    "“llama” models (SmolLM2, TinyLlama, Llama, Mistral) and “gemma3” models (Gemma 3); tokens and surprise work "
    "with any model llama.cpp runs.",
)


@dataclass(frozen=True)
class LlamaConfig:
    n_layer: int
    n_embd: int
    n_head: int
    n_head_kv: int
    head_dim: int
    n_ff: int
    n_vocab: int
    rms_eps: float
    rope_base: float
    rope_dims: int
    #: Positions are divided by this before rotating (linear RoPE scaling); 1 for most models.
    rope_scale: float
    context_length: int
    #: Gemma 3's differences from Llama; the defaults are Llama's.
    arch: str = "llama"
    #: The embedding is multiplied by this before the first layer (Gemma: the square root of n_embd).
    embed_scale: float = 1.0
    #: True: RoPE turns dimension i with dimension i + rope_dims/2 (NeoX style, Gemma); False: neighbours (Llama).
    rope_neox: bool = False
    #: Sliding-window attention: a layer marked True sees only the last ``window`` tokens (0: every layer sees all).
    window: int = 0
    sliding: tuple[bool, ...] = ()
    #: Rotation base of the sliding-window layers (Gemma 3: 10 000, against 1 000 000 for the full layers).
    rope_base_sliding: float = 10000.0


@dataclass
class LayerWeights:
    attn_norm: np.ndarray
    wq: np.ndarray  # (n_head * head_dim, n_embd)
    wk: np.ndarray  # (n_head_kv * head_dim, n_embd)
    wv: np.ndarray
    wo: np.ndarray  # (n_embd, n_head * head_dim)
    ffn_norm: np.ndarray
    w_gate: np.ndarray  # (n_ff, n_embd)
    w_up: np.ndarray
    w_down: np.ndarray  # (n_embd, n_ff)
    # Gemma 3 only: a norm on each head's query and key, and a norm on what attention and the feed-forward add.
    q_norm: np.ndarray | None = None
    k_norm: np.ndarray | None = None
    attn_post_norm: np.ndarray | None = None
    ffn_post_norm: np.ndarray | None = None


@dataclass
class LlamaWeights:
    path: Path
    name: str
    config: LlamaConfig
    token_embd: np.ndarray  # (n_vocab, n_embd)
    output_norm: np.ndarray
    output: np.ndarray  # (n_vocab, n_embd); the embedding itself when the file ties them
    layers: list[LayerWeights]
    #: 1 / rotation frequency of each pair of dimensions, as llama.cpp computes it.
    inv_freq: np.ndarray = field(repr=False)
    #: The same for the sliding-window layers when they rotate at another base (Gemma 3).
    inv_freq_sliding: np.ndarray | None = field(default=None, repr=False)

    @property
    def n_params(self) -> int:
        tensors = [self.token_embd, self.output_norm]
        if self.output is not self.token_embd:
            tensors.append(self.output)
        for layer in self.layers:
            tensors += [t for t in vars(layer).values() if t is not None]
        return int(sum(t.size for t in tensors))


def check_architecture(path: str | os.PathLike[str]) -> str:
    """The file's architecture, or InsideError saying which ones the layer views support (header only, fast)."""
    try:
        info = read_gguf_info(path)
    except (GGUFInfoError, OSError) as exc:
        raise InsideError(str(exc)) from exc
    if info.architecture not in SUPPORTED_ARCHITECTURES:
        raise InsideError(
            translate(_CTX, UNSUPPORTED).format(
                name=Path(path).name,
                arch=info.architecture or "?",
                supported=", ".join(f"“{a}”" for a in SUPPORTED_ARCHITECTURES),
            )
        )
    return info.architecture


def _field(reader: GGUFReader, key: str, default=None):
    f = reader.fields.get(key)
    if f is None:
        return default
    value = f.contents()
    return value if value is not None else default


_cache_lock = threading.Lock()
_cache: dict[tuple[str, int, int], LlamaWeights] = {}

#: Models with more parameters than this keep their matrices as float16 (half the memory: TinyLlama 1.1B
#: takes 2.2 GB instead of 4.4 GB); each product then converts one matrix at a time back to float32.
HALF_PRECISION_ABOVE = 600_000_000


def load_weights(
    path: str | os.PathLike[str], *, progress: Progress | None = None, cancel: threading.Event | None = None
) -> LlamaWeights:
    """The model's weights as NumPy arrays; the last model read stays in memory for the next view."""
    p = Path(path).expanduser()
    check_architecture(p)
    stat = p.stat()
    key = (str(p.resolve()), stat.st_size, stat.st_mtime_ns)
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    with _cache_lock:
        _cache.clear()  # one model at a time: a 1B model is gigabytes; let the previous one go first
    weights = _read_weights(p, progress, cancel)
    with _cache_lock:
        _cache[key] = weights
    return weights


def forget_weights() -> None:
    with _cache_lock:
        _cache.clear()


def _read_weights(
    path: Path, progress: Progress | None, cancel: threading.Event | None, *, half: bool | None = None
) -> LlamaWeights:
    reader = GGUFReader(path)
    if half is None:
        half = sum(int(t.n_elements) for t in reader.tensors) > HALF_PRECISION_ABOVE
    arch = str(_field(reader, "general.architecture", ""))

    def a(key: str, default=None):
        return _field(reader, f"{arch}.{key}", default)

    n_embd = int(a("embedding_length"))
    n_head = int(a("attention.head_count"))
    head_dim = int(a("attention.key_length", n_embd // n_head))
    tensors = {t.name: t for t in reader.tensors}
    scaling = str(a("rope.scaling.type", "none"))
    n_layer = int(a("block_count"))
    gemma = arch == "gemma3"
    window = int(a("attention.sliding_window", 0) or 0) if gemma else 0
    # llama.cpp's rule for Gemma 3: of every 6 layers, the first 5 use the sliding window and the 6th sees everything.
    pattern = int(a("attention.sliding_window_pattern", 6) or 6)
    sliding = tuple(bool(window) and i % pattern < pattern - 1 for i in range(n_layer))
    config = LlamaConfig(
        n_layer=n_layer,
        n_embd=n_embd,
        n_head=n_head,
        n_head_kv=int(a("attention.head_count_kv", n_head)),
        head_dim=head_dim,
        n_ff=int(a("feed_forward_length")),
        n_vocab=int(tensors["token_embd.weight"].shape[-1]),
        rms_eps=float(a("attention.layer_norm_rms_epsilon", 1e-5)),
        rope_base=float(a("rope.freq_base", 10000.0)),
        rope_dims=int(a("rope.dimension_count", head_dim)),
        rope_scale=float(a("rope.scaling.factor", 1.0)) if scaling == "linear" else 1.0,
        context_length=int(a("context_length", 2048)),
        arch=arch,
        embed_scale=float(np.sqrt(n_embd)) if gemma else 1.0,
        rope_neox=gemma,
        window=window,
        sliding=sliding,
        rope_base_sliding=float(a("rope.freq_base_swa", 10000.0)),
    )
    total = len(tensors)
    done = 0

    def get(name: str) -> np.ndarray:
        nonlocal done
        if cancel is not None and cancel.is_set():
            raise Cancelled
        t = tensors[name]
        array = dequantize(t.data, t.tensor_type)
        array = np.ascontiguousarray(array, dtype=np.float16 if half and array.ndim == 2 else np.float32)
        done += 1
        if progress is not None:
            progress(done, total)
        return array

    token_embd = get("token_embd.weight")
    layers = []
    for i in range(config.n_layer):
        b = f"blk.{i}."
        layers.append(
            LayerWeights(
                attn_norm=get(b + "attn_norm.weight"),
                wq=get(b + "attn_q.weight"),
                wk=get(b + "attn_k.weight"),
                wv=get(b + "attn_v.weight"),
                wo=get(b + "attn_output.weight"),
                ffn_norm=get(b + "ffn_norm.weight"),
                w_gate=get(b + "ffn_gate.weight"),
                w_up=get(b + "ffn_up.weight"),
                w_down=get(b + "ffn_down.weight"),
                **{
                    key: get(b + name)
                    for key, name in (
                        ("q_norm", "attn_q_norm.weight"),
                        ("k_norm", "attn_k_norm.weight"),
                        ("attn_post_norm", "post_attention_norm.weight"),
                        ("ffn_post_norm", "post_ffw_norm.weight"),
                    )
                    if gemma
                },
            )
        )
    output_norm = get("output_norm.weight")
    # Many small models tie the output matrix to the embedding: the file then has no output.weight.
    output = get("output.weight") if "output.weight" in tensors else token_embd
    # llama.cpp's "normal" rotary embedding: dimension pair i turns at base^(-2i/d) radians per position.
    inv_freq = config.rope_base ** (-np.arange(0, config.rope_dims, 2, dtype=np.float64) / config.rope_dims)
    if "rope_freqs.weight" in tensors:  # Llama 3.1's long-context correction, one factor per pair
        inv_freq = inv_freq / get("rope_freqs.weight").astype(np.float64)
    inv_freq_sliding = None
    if any(config.sliding):
        d = config.rope_dims
        inv_freq_sliding = config.rope_base_sliding ** (-np.arange(0, d, 2, dtype=np.float64) / d)
    return LlamaWeights(
        path=path,
        name=str(_field(reader, "general.name", path.stem)),
        config=config,
        token_embd=token_embd,
        output_norm=output_norm,
        output=output,
        layers=layers,
        inv_freq=inv_freq,
        inv_freq_sliding=inv_freq_sliding,
    )


# -- the forward pass ---------------------------------------------------------------


def blas_threads():
    """Hold NumPy's matrix library to TinyChat's thread count while a view computes.

    OpenBLAS otherwise starts one thread per core, and when llama.cpp or another
    program is busy on those cores its threads wait for each other: on 2 busy
    cores the forward pass took 5 s with two threads and 1.1 s with one.
    """
    return threadpool_limits(limits=default_threads(), user_api="blas")


def rms_norm(x: np.ndarray, weight: np.ndarray, eps: float) -> np.ndarray:
    """Scale each row to a root-mean-square of 1, then by the learned weight per dimension."""
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * weight


def rope(
    x: np.ndarray, positions: np.ndarray, inv_freq: np.ndarray, scale: float, *, neox: bool = False
) -> np.ndarray:
    """Rotate each pair of neighbouring dimensions (0,1), (2,3)... by an angle that grows with the position.

    This is llama.cpp's "normal" RoPE; the GGUF converter reorders the query and
    key weights so that it gives the same result as Hugging Face's half-split rotation.
    With ``neox`` (Gemma) the pairs are (0, d/2), (1, d/2 + 1)... instead.
    x: (tokens, heads, head_dim).
    """
    n_rot = inv_freq.size * 2
    angles = (positions[:, None].astype(np.float64) / scale) * inv_freq[None, :]  # (tokens, pairs)
    cos = np.cos(angles).astype(np.float32)[:, None, :]
    sin = np.sin(angles).astype(np.float32)[:, None, :]
    out = x.copy()
    if neox:
        first, second = slice(0, n_rot // 2), slice(n_rot // 2, n_rot)
    else:
        first, second = slice(0, n_rot, 2), slice(1, n_rot, 2)
    a, b = x[..., first], x[..., second]
    out[..., first] = a * cos - b * sin
    out[..., second] = a * sin + b * cos
    return out


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU in the tanh form llama.cpp and Gemma use: a smooth step that lets positive values through."""
    return 0.5 * x * (1.0 + np.tanh(np.float32(0.7978845608) * (x + np.float32(0.044715) * x * x * x)))


def silu(x: np.ndarray) -> np.ndarray:
    """x times its sigmoid; the sigmoid written with tanh, which cannot overflow for very negative x."""
    return x * (0.5 * (1.0 + np.tanh(0.5 * x)))


@dataclass
class ForwardPass:
    tokens: tuple[int, ...]
    #: The residual stream: row 0 is the embedding, row l the stream after layer l. (layers + 1, tokens, n_embd)
    residuals: np.ndarray
    #: Next-token scores at every position, from the last layer. (tokens, n_vocab)
    logits: np.ndarray
    #: Attention weights per layer and head, query x key (each row sums to 1), or None. (layers, heads, tokens, tokens)
    attention: np.ndarray | None


def forward(
    weights: LlamaWeights,
    tokens: Sequence[int],
    *,
    keep_attention: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ForwardPass:
    """Run the model over ``tokens`` (a whole prompt at once, as llama.cpp reads one) and keep what happens inside."""
    with blas_threads():
        return _forward(weights, tokens, keep_attention=keep_attention, progress=progress, cancel=cancel)


def _forward(
    weights: LlamaWeights,
    tokens: Sequence[int],
    *,
    keep_attention: bool,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> ForwardPass:
    c = weights.config
    ids = np.asarray(tokens, dtype=np.int64)
    if ids.size == 0:
        raise InsideError(translate(_CTX, "There is no text to look at; type something first."))
    if ids.min() < 0 or ids.max() >= c.n_vocab:
        raise InsideError(translate(_CTX, "The text has a token id outside this model's vocabulary."))
    n = ids.size
    positions = np.arange(n)
    group = c.n_head // c.n_head_kv  # query heads that share one key/value head
    causal = np.triu(np.full((n, n), -np.inf, dtype=np.float32), k=1)  # a token never sees later tokens
    # Gemma 3: a sliding-window layer also hides the tokens more than `window` places back.
    windowed = causal + np.tril(np.full((n, n), -np.inf, dtype=np.float32), k=-c.window) if c.window else causal
    scale = np.float32(1.0 / np.sqrt(c.head_dim))
    gemma = c.arch == "gemma3"
    act = gelu if gemma else silu

    x = weights.token_embd[ids].astype(np.float32) * np.float32(c.embed_scale)
    residuals = np.empty((c.n_layer + 1, n, c.n_embd), dtype=np.float32)
    residuals[0] = x
    attention = np.empty((c.n_layer, c.n_head, n, n), dtype=np.float32) if keep_attention else None
    for i, layer in enumerate(weights.layers):
        if cancel is not None and cancel.is_set():
            raise Cancelled
        # Attention: every token asks (query) and offers (key, value) something.
        h = rms_norm(x, layer.attn_norm, c.rms_eps)
        q = (h @ layer.wq.T).reshape(n, c.n_head, c.head_dim)
        k = (h @ layer.wk.T).reshape(n, c.n_head_kv, c.head_dim)
        v = (h @ layer.wv.T).reshape(n, c.n_head_kv, c.head_dim)
        if layer.q_norm is not None and layer.k_norm is not None:  # Gemma 3: each head's query and key normed
            q = rms_norm(q, layer.q_norm, c.rms_eps)
            k = rms_norm(k, layer.k_norm, c.rms_eps)
        sliding = bool(c.sliding) and c.sliding[i]
        inv_freq = weights.inv_freq_sliding if sliding and weights.inv_freq_sliding is not None else weights.inv_freq
        q = rope(q, positions, inv_freq, 1.0 if sliding else c.rope_scale, neox=c.rope_neox)
        k = rope(k, positions, inv_freq, 1.0 if sliding else c.rope_scale, neox=c.rope_neox)
        k = np.repeat(k, group, axis=1)  # query head j uses key/value head j // group
        v = np.repeat(v, group, axis=1)
        scores = np.einsum("qhd,khd->hqk", q, k) * scale + (windowed if sliding else causal)
        weights_qk = softmax(scores, axis=-1)
        if attention is not None:
            attention[i] = weights_qk
        mixed = np.einsum("hqk,khd->qhd", weights_qk, v).reshape(n, c.n_head * c.head_dim)
        added = mixed @ layer.wo.T
        if layer.attn_post_norm is not None:  # Gemma 3
            added = rms_norm(added, layer.attn_post_norm, c.rms_eps)
        x = x + added
        # Feed-forward: each token on its own, through a wider layer with a gate (SiLU; Gemma: GELU).
        h = rms_norm(x, layer.ffn_norm, c.rms_eps)
        added = (act(h @ layer.w_gate.T) * (h @ layer.w_up.T)) @ layer.w_down.T
        if layer.ffn_post_norm is not None:  # Gemma 3
            added = rms_norm(added, layer.ffn_post_norm, c.rms_eps)
        x = x + added
        residuals[i + 1] = x
        if progress is not None:
            progress(i + 1, c.n_layer)
    logits = output_logits(weights, x)
    return ForwardPass(tokens=tuple(int(t) for t in ids), residuals=residuals, logits=logits, attention=attention)


def output_logits(weights: LlamaWeights, x: np.ndarray) -> np.ndarray:
    """The final norm and the output matrix: a score for every vocabulary token, per row of ``x``."""
    return rms_norm(x, weights.output_norm, weights.config.rms_eps) @ weights.output.T
