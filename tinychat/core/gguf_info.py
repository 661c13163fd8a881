"""What a .gguf file is, read from its header without loading the weights.

``read_gguf_info(path)`` answers the questions the model manager's info card
asks: architecture, parameter count, quantization and tensor types, context
length, layers, embedded chat template, licence and size. ``estimate_memory``
turns that into "fits / tight / won't fit" against this machine's RAM.

Why not ``gguf.GGUFReader``: it builds a numpy view for every element of every
array in the header, so the tokenizer's vocabulary (tens of thousands of
strings) is walked one Python call at a time. On the 49k-token starter model
that takes about 2.5 s, and about 9 s on Llama 3's 128k vocabulary. The info
card needs none of those strings, so this module walks the same layout with
``struct`` over a memory map and *skips* arrays it does not need (a length read
and a jump per string); it reads the starter model's header in milliseconds
(see benchmarks/bench_gguf_info.py). The value types, quantization types,
their block sizes and the file-type names still come from the ``gguf``
package, so the format knowledge stays theirs.

Even so, callers in the window must run this off the GUI thread: the file may
sit on a slow USB stick or network share.
"""

from __future__ import annotations

import ctypes
import hashlib
import math
import mmap
import os
import stat
import struct
import sys
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from gguf.constants import (
    GGML_QUANT_SIZES,
    GGUF_DEFAULT_ALIGNMENT,
    GGUF_MAGIC,
    MODEL_ARCH_NAMES,
    GGMLQuantizationType,
    GGUFValueType,
    LlamaFileType,
)

from tinychat.core.i18n import format_number, translate

_CTX = "GGUFInfo"

# Arrays with at most this many elements are read into Python values; longer
# ones (the vocabulary, merges, scores) are skipped. Languages, tags and the
# like stay readable.
_MAX_ARRAY_READ = 64
#: Arrays inside arrays deeper than this are refused (a real file nests at most one level).
MAX_ARRAY_DEPTH = 4

# Ranges llama.cpp accepts without asserting (LLAMA_MAX_LAYERS is 512) and that a
# real model stays inside by orders of magnitude; beyond them the file is damaged
# or built to crash the program that loads it.
MAX_BLOCK_COUNT = 512
MAX_CONTEXT_LENGTH = 1 << 26
MAX_EMBEDDING_LENGTH = 1 << 20
MAX_HEAD_COUNT = 1 << 14
MAX_VOCAB_SIZE = 1 << 24

_SCALAR_FORMATS: dict[GGUFValueType, str] = {
    GGUFValueType.UINT8: "B",
    GGUFValueType.INT8: "b",
    GGUFValueType.UINT16: "H",
    GGUFValueType.INT16: "h",
    GGUFValueType.UINT32: "I",
    GGUFValueType.INT32: "i",
    GGUFValueType.FLOAT32: "f",
    GGUFValueType.BOOL: "?",
    GGUFValueType.UINT64: "Q",
    GGUFValueType.INT64: "q",
    GGUFValueType.FLOAT64: "d",
}

KNOWN_ARCHITECTURES = frozenset(MODEL_ARCH_NAMES.values())


class GGUFInfoError(ValueError):
    """A sentence saying why a file could not be read as a GGUF model."""


class _Truncated(Exception):
    pass


#: A length field larger than a file of at least this size is damage: no header
#: is this large, so the file was not cut short inside its header. In a smaller
#: file the two cannot be told apart, and "cut short" is the likelier story.
_LARGE_FILE = 32 * 1024 * 1024


class _Corrupt(Exception):
    """A length field larger than the whole file: damage, not an interrupted download."""


@dataclass(frozen=True)
class TensorSummary:
    name: str
    type_name: str
    shape: tuple[int, ...]
    n_elements: int
    n_bytes: int


@dataclass(frozen=True)
class GGUFInfo:
    path: Path
    file_size: int
    version: int
    architecture: str
    name: str
    parameter_count: int
    file_type: str  # e.g. "Q4_1", "Q8_0", "F16"; "" when the header does not say
    tensor_types: dict[str, int]  # quantization type -> number of tensors
    context_length: int | None
    block_count: int | None
    embedding_length: int | None
    head_count: int | None
    head_count_kv: int | None
    key_length: int | None
    value_length: int | None
    vocab_size: int | None
    chat_template: str
    license: str
    metadata: dict[str, Any] = field(repr=False, default_factory=dict)
    tensors: tuple[TensorSummary, ...] = field(repr=False, default=())

    @property
    def has_chat_template(self) -> bool:
        return bool(self.chat_template.strip())

    @property
    def architecture_known(self) -> bool:
        """Whether the gguf package (and so, as a rule, llama.cpp) knows this architecture."""
        return self.architecture in KNOWN_ARCHITECTURES

    @property
    def quantization(self) -> str:
        """The file type if the header names one, else the most common tensor type."""
        if self.file_type:
            return self.file_type
        return max(self.tensor_types, key=lambda name: self.tensor_types[name]) if self.tensor_types else ""

    @property
    def n_embd_kv(self) -> int | None:
        """Width of one layer's key (or value) cache row, as llama.cpp computes it."""
        if not (self.embedding_length and self.head_count):
            return None
        heads_kv = self.head_count_kv or self.head_count
        head_dim = self.key_length or self.embedding_length // self.head_count
        return heads_kv * head_dim

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "file_size": self.file_size,
            "gguf_version": self.version,
            "architecture": self.architecture,
            "architecture_known": self.architecture_known,
            "name": self.name,
            "parameter_count": self.parameter_count,
            "file_type": self.file_type,
            "quantization": self.quantization,
            "tensor_types": dict(self.tensor_types),
            "context_length": self.context_length,
            "block_count": self.block_count,
            "embedding_length": self.embedding_length,
            "vocab_size": self.vocab_size,
            "has_chat_template": self.has_chat_template,
            "license": self.license,
        }


def format_parameter_count(n: int) -> str:
    """135M, 1.1B: the way model cards write sizes."""
    if n >= 1_000_000_000:
        return f"{format_number(n / 1e9, 1)}B"
    if n >= 1_000_000:
        return f"{round(n / 1e6)}M"
    if n >= 1_000:
        return f"{round(n / 1e3)}K"
    return str(n)


def format_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            return f"{format_number(n, 0 if unit == 'B' else 1)} {unit}"
        n /= 1000
    return f"{format_number(n, 1)} GB"  # pragma: no cover - loop always returns


def file_type_name(value: int) -> str:
    """The short quantization name for a ``general.file_type`` value: 3 -> "Q4_1"."""
    try:
        member = LlamaFileType(value)
    except ValueError:
        return ""
    name = member.name
    for prefix in ("MOSTLY_", "ALL_"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return name


class _Cursor:
    """Little-endian reads over a memory map, raising _Truncated past the end."""

    def __init__(self, buf: mmap.mmap | bytes, endian: str = "<") -> None:
        self.buf = buf
        self.pos = 0
        self.size = len(buf)
        self.endian = endian

    def _need(self, n: int) -> None:
        if n < 0 or (n > self.size and self.size >= _LARGE_FILE):
            raise _Corrupt
        if self.pos + n > self.size:
            raise _Truncated

    def unpack(self, fmt: str) -> Any:
        s = struct.Struct(self.endian + fmt)
        self._need(s.size)
        (value,) = s.unpack_from(self.buf, self.pos)
        self.pos += s.size
        return value

    def string(self) -> str:
        length = self.unpack("Q")
        self._need(length)
        raw = bytes(self.buf[self.pos:self.pos + length])
        self.pos += length
        return raw.decode("utf-8", errors="replace")

    def skip_string(self) -> None:
        length = self.unpack("Q")
        self._need(length)
        self.pos += length

    def value(self, vtype: GGUFValueType, depth: int = 0) -> Any:
        if vtype == GGUFValueType.STRING:
            return self.string()
        if vtype == GGUFValueType.ARRAY:
            if depth >= MAX_ARRAY_DEPTH:
                raise ValueError(f"arrays nested more than {MAX_ARRAY_DEPTH} deep")
            item_type = GGUFValueType(self.unpack("I"))
            count = self.unpack("Q")
            if count > self.size:
                raise _Corrupt if self.size >= _LARGE_FILE else _Truncated
            if count <= _MAX_ARRAY_READ:
                return [self.value(item_type, depth + 1) for _ in range(count)]
            self.skip_array(item_type, count, depth + 1)
            return _SkippedArray(item_type, count)
        return self.unpack(_SCALAR_FORMATS[vtype])

    def skip_array(self, item_type: GGUFValueType, count: int, depth: int = 1) -> None:
        if item_type == GGUFValueType.STRING:
            for _ in range(count):
                self.skip_string()
        elif item_type == GGUFValueType.ARRAY:
            for _ in range(count):
                self.value(GGUFValueType.ARRAY, depth)
        else:
            width = struct.calcsize(_SCALAR_FORMATS[item_type])
            self._need(width * count)
            self.pos += width * count


@dataclass(frozen=True)
class _SkippedArray:
    """An array too long to be worth reading (the vocabulary); only its size is kept."""

    item_type: GGUFValueType
    count: int

    def __len__(self) -> int:
        return self.count


def _error(text: str, **values: Any) -> GGUFInfoError:
    return GGUFInfoError(translate(_CTX, text).format(**values))


def read_gguf_info(path: str | os.PathLike[str]) -> GGUFInfo:
    """Read the header of the GGUF file at ``path``. Raises GGUFInfoError with a sentence."""
    path = Path(path).expanduser()
    if not path.exists():
        raise _error("{path} does not exist. Check the name and the folder.", path=path)
    if path.is_dir():
        raise _error("{path} is a folder, not a model file. Choose a .gguf file inside it.", path=path)
    check_regular_file(path)
    try:
        # O_NONBLOCK: should the name be swapped for a pipe between the check and
        # the open, opening still returns at once (and the fstat below refuses it).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise _not_regular(path)
            file_size = os.fstat(f.fileno()).st_size
            if file_size < 4:
                raise _error(
                    "{path} is empty or too short to be a model; download or copy it again.", path=path
                )
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
                return _parse(path, file_size, buf)
    except PermissionError as exc:
        raise _error(
            "TinyChat may not read {path} ({reason}). Check the file's permissions.",
            path=path, reason=exc.strerror or exc,
        ) from exc
    except OSError as exc:
        raise _error("{path} could not be read ({reason}).", path=path, reason=exc.strerror or exc) from exc


def _not_regular(path: Path) -> GGUFInfoError:
    return _error(
        "{path} is not a regular file (it is a pipe, a device or a socket), so it cannot be a model. "
        "Choose a .gguf file.",
        path=path,
    )


def check_regular_file(path: str | os.PathLike[str]) -> None:
    """Refuse pipes, devices and sockets before anything opens them: opening a FIFO blocks forever."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # the open that follows says what is wrong
    if not stat.S_ISREG(mode):
        raise _not_regular(Path(path))


def _parse(path: Path, file_size: int, buf: mmap.mmap) -> GGUFInfo:  # noqa: C901 - the header's fields in file order; each check stops at the first damage
    if struct.unpack_from("<I", buf, 0)[0] != GGUF_MAGIC:
        raise _error(
            "{path} is not a GGUF model file. TinyChat runs llama.cpp models in GGUF format: "
            "download a .gguf file, or convert the model with llama.cpp's convert_hf_to_gguf.py.",
            path=path,
        )
    cur = _Cursor(buf)
    try:
        cur.pos = 4
        version = cur.unpack("I")
        if version & 0xFFFF == 0:  # written on a big-endian machine
            cur.endian = ">"
            version = struct.unpack_from(">I", buf, 4)[0]
        if version not in (2, 3):
            raise _error(
                "{path} uses GGUF version {version}, which this TinyChat cannot read. "
                "Download a current conversion of the model.",
                path=path, version=version,
            )
        tensor_count = cur.unpack("Q")
        kv_count = cur.unpack("Q")
        if tensor_count > file_size or kv_count > file_size:
            raise _Truncated
        metadata: dict[str, Any] = {}
        for _ in range(kv_count):
            key = cur.string()
            vtype = GGUFValueType(cur.unpack("I"))
            metadata[key] = cur.value(vtype)
        tensors = [_read_tensor_info(cur) for _ in range(tensor_count)]
    except _Corrupt:
        raise _error(
            "{path} has a damaged GGUF header: a length in it is larger than the whole file. "
            "The file is corrupt; get it again from where it came from.",
            path=path,
        ) from None
    except _Truncated:
        raise _error(
            "{path} is cut short: its header ends before it should. The download or copy was "
            "probably interrupted; get the file again.",
            path=path,
        ) from None
    except ValueError as exc:
        if isinstance(exc, GGUFInfoError):
            raise
        raise _error(
            "{path} has a damaged GGUF header ({reason}); get the file again.", path=path, reason=exc
        ) from exc

    alignment = metadata.get("general.alignment", GGUF_DEFAULT_ALIGNMENT)
    if not isinstance(alignment, int) or alignment <= 0:
        alignment = GGUF_DEFAULT_ALIGNMENT
    data_start = -(-cur.pos // alignment) * alignment
    _check_layout(path, tensors, alignment)
    data_end = max((offset + t.n_bytes for t, offset in tensors), default=0)
    if data_start + data_end > file_size:
        raise _error(
            "{path} is cut short: it holds {have} of the {need} its weights need. The download or "
            "copy was probably interrupted; get the file again.",
            path=path, have=format_bytes(file_size), need=format_bytes(data_start + data_end),
        )

    arch = str(metadata.get("general.architecture", ""))

    def arch_int(key: str) -> int | None:
        value = metadata.get(f"{arch}.{key}")
        return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    summaries = tuple(t for t, _ in tensors)
    type_counts = Counter(t.type_name for t in summaries)
    counted = sum(t.n_elements for t in summaries)
    param_count = metadata.get("general.parameter_count")
    if not isinstance(param_count, int) or param_count <= 0:
        param_count = counted
    file_type = metadata.get("general.file_type")
    tokens = metadata.get("tokenizer.ggml.tokens")
    vocab = arch_int("vocab_size") or (len(tokens) if tokens is not None else None)
    template = metadata.get("tokenizer.chat_template", "")
    _check_hyperparameters(path, arch, metadata, tokens, {t.name: t for t in summaries})
    return GGUFInfo(
        path=path.resolve(),
        file_size=file_size,
        version=version,
        architecture=arch,
        name=str(metadata.get("general.name", "")),
        parameter_count=param_count,
        file_type=file_type_name(file_type) if isinstance(file_type, int) else "",
        tensor_types=dict(type_counts.most_common()),
        context_length=arch_int("context_length"),
        block_count=arch_int("block_count"),
        embedding_length=arch_int("embedding_length"),
        head_count=arch_int("attention.head_count"),
        head_count_kv=arch_int("attention.head_count_kv"),
        key_length=arch_int("attention.key_length"),
        value_length=arch_int("attention.value_length"),
        vocab_size=vocab,
        chat_template=template if isinstance(template, str) else "",
        license=str(metadata.get("general.license", "")),
        metadata={k: v for k, v in metadata.items() if not isinstance(v, _SkippedArray)},
        tensors=summaries,
    )


def _check_layout(path: Path, tensors: list[tuple[TensorSummary, int]], alignment: int) -> None:
    """Tensors must sit one after another in header order, each at the next aligned offset.

    That is how every GGUF writer lays them out and what llama.cpp's reader
    demands; otherwise a shape, a type or an offset in the header is damaged
    (a changed dimension moves every later tensor), which is not a download
    cut short.
    """
    expected = 0
    for tensor, offset in tensors:
        if offset != expected:
            raise _error(
                "{path} has a damaged GGUF header: the shape or the position of tensor {name} does not fit "
                "the file's layout. The file is corrupt; get it again from where it came from.",
                path=path, name=tensor.name,
            )
        expected = -(-(offset + tensor.n_bytes) // alignment) * alignment


def _check_hyperparameters(  # noqa: C901 - a flat list of checks, one per value llama.cpp would assert on
    path: Path, arch: str, metadata: dict[str, Any], tokens: Any, tensors: dict[str, TensorSummary]
) -> None:
    """Refuse values llama.cpp would assert on (and so end the whole program) or that are plainly damaged.

    Only what the header states is checked: a missing key is llama.cpp's to judge.
    Raises GGUFInfoError naming the field.
    """

    def bad(key: str, value: Any, expected: str) -> GGUFInfoError:
        return _error(
            "{path} has an impossible value in its header: {key} is {value}, but it must be {expected}. "
            "The file is damaged or was not made by a working converter; TinyChat will not load it.",
            path=path, key=key, value=value, expected=expected,
        )

    def integer(key: str, low: int, high: int) -> int | None:
        full = f"{arch}.{key}"
        value = metadata.get(full)
        if value is None or isinstance(value, (list, _SkippedArray)):
            return None  # absent, or one value per layer (some architectures)
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad(full, value, translate(_CTX, "a whole number"))
        if not low <= value <= high:
            raise bad(full, value, translate(_CTX, "between {low} and {high}").format(low=low, high=high))
        return value

    def positive_float(key: str, high: float) -> None:
        full = f"{arch}.{key}"
        value = metadata.get(full)
        if value is None or isinstance(value, (list, _SkippedArray)):
            return
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
            or not 0 < value <= high
        ):
            raise bad(full, value, translate(_CTX, "a number above 0 and at most {high}").format(high=high))

    if not arch:
        return
    integer("context_length", 1, MAX_CONTEXT_LENGTH)
    n_layer = integer("block_count", 1, MAX_BLOCK_COUNT)
    n_embd = integer("embedding_length", 1, MAX_EMBEDDING_LENGTH)
    n_head = integer("attention.head_count", 1, MAX_HEAD_COUNT)
    n_head_kv = integer("attention.head_count_kv", 1, MAX_HEAD_COUNT)
    key_length = integer("attention.key_length", 1, MAX_EMBEDDING_LENGTH)
    integer("attention.value_length", 1, MAX_EMBEDDING_LENGTH)
    integer("feed_forward_length", 0, 1 << 24)
    integer("expert_count", 0, 1 << 12)
    integer("vocab_size", 1, MAX_VOCAB_SIZE)
    positive_float("attention.layer_norm_rms_epsilon", 1.0)
    positive_float("attention.layer_norm_epsilon", 1.0)
    positive_float("rope.freq_base", 1e12)
    positive_float("rope.scaling.factor", 1e6)
    if n_head and n_head_kv and n_head % n_head_kv:
        raise bad(
            f"{arch}.attention.head_count_kv", n_head_kv,
            translate(_CTX, "a divisor of the head count ({heads})").format(heads=n_head),
        )
    if n_head and n_embd and not key_length and n_embd % n_head:
        raise bad(
            f"{arch}.attention.head_count", n_head,
            translate(_CTX, "a divisor of the embedding length ({n_embd})").format(n_embd=n_embd),
        )
    head_dim = key_length or (n_embd // n_head if n_embd and n_head else None)
    rope_dims = integer("rope.dimension_count", 0, MAX_EMBEDDING_LENGTH)
    if rope_dims and head_dim and rope_dims > head_dim:
        raise bad(
            f"{arch}.rope.dimension_count", rope_dims,
            translate(_CTX, "at most the width of one attention head ({head_dim})").format(head_dim=head_dim),
        )
    if n_layer is not None:
        for name in tensors:
            if name.startswith("blk."):
                index = name.split(".", 2)[1]
                if index.isdigit() and int(index) >= n_layer:
                    raise bad(
                        f"{arch}.block_count", n_layer,
                        translate(_CTX, "more than the layer numbers its tensors use ({name})").format(name=name),
                    )
    embd = tensors.get("token_embd.weight")
    if embd is not None and len(embd.shape) == 2:
        if n_embd and embd.shape[0] != n_embd:
            raise bad(
                f"{arch}.embedding_length", n_embd,
                translate(_CTX, "the width of token_embd.weight ({width})").format(width=embd.shape[0]),
            )
        if tokens is not None and len(tokens) != embd.shape[1]:
            raise bad(
                "tokenizer.ggml.tokens", translate(_CTX, "{count} tokens").format(count=len(tokens)),
                translate(_CTX, "as many as the rows of token_embd.weight ({rows})").format(rows=embd.shape[1]),
            )


def _read_tensor_info(cur: _Cursor) -> tuple[TensorSummary, int]:
    name = cur.string()
    n_dims = cur.unpack("I")
    if n_dims > 8:
        raise ValueError(f"tensor {name!r} claims {n_dims} dimensions")
    shape = tuple(cur.unpack("Q") for _ in range(n_dims))
    raw_type = cur.unpack("I")
    offset = cur.unpack("Q")
    try:
        qtype = GGMLQuantizationType(raw_type)
        block_size, type_size = GGML_QUANT_SIZES[qtype]
    except (ValueError, KeyError):
        raise ValueError(f"tensor {name!r} has tensor type {raw_type}, unknown to this version of gguf") from None
    n_elements = 1
    for dim in shape:
        n_elements *= dim
    return TensorSummary(name, qtype.name, shape, n_elements, n_elements * type_size // block_size), offset


# --- memory estimate -------------------------------------------------------


class Verdict(str, Enum):
    FITS = "fits"
    TIGHT = "tight"
    WONT_FIT = "wont_fit"


# llama.cpp's scratch buffers, the Python process and the window together
# stay under this on the models TinyChat targets (measured on the starter
# model: about 180 MB above the weights at a 2k context).
OVERHEAD_BASE = 256 * 1024 * 1024
OVERHEAD_FRACTION = 0.05
# When a remote file's header is not at hand, a KV cache row per token of
# about 32 KiB per GB of weights matches TinyLlama (22 KiB) and Llama 3.2 1B
# (32 KiB) at f16; good enough for a verdict, labelled as rough.
ROUGH_KV_BYTES_PER_TOKEN_PER_GB = 32 * 1024
FITS_FRACTION = 0.6
TIGHT_FRACTION = 0.9
# On a GPU: llama.cpp's compute buffers and the CUDA/Metal context beside the layers.
GPU_OVERHEAD = 512 * 1024 * 1024
GPU_FITS_FRACTION = 0.9


@dataclass(frozen=True)
class MemoryEstimate:
    weights: int
    kv_cache: int
    overhead: int
    n_ctx: int
    total_ram: int | None
    rough: bool = False  # True when the KV cache size is a guess from the file size
    #: Free GPU memory, as llama.cpp reports it (None: no GPU, or a CPU-only build).
    gpu_free: int | None = None

    @property
    def gpu_needed(self) -> int:
        """GPU memory for the whole model on the GPU: weights, KV cache and llama.cpp's buffers there."""
        return self.weights + self.kv_cache + GPU_OVERHEAD

    @property
    def gpu_verdict(self) -> Verdict | None:
        """Whether every layer fits in the free GPU memory (None when there is no GPU).

        FITS with room to spare, TIGHT when only just, WONT_FIT when automatic GPU
        layers would put only part of the model on the GPU and the rest on the CPU.
        """
        if self.gpu_free is None:
            return None
        if self.gpu_needed <= GPU_FITS_FRACTION * self.gpu_free:
            return Verdict.FITS
        if self.gpu_needed <= self.gpu_free:
            return Verdict.TIGHT
        return Verdict.WONT_FIT

    @property
    def total(self) -> int:
        return self.weights + self.kv_cache + self.overhead

    @property
    def verdict(self) -> Verdict | None:
        """None when this machine's RAM is unknown."""
        if not self.total_ram:
            return None
        if self.total <= FITS_FRACTION * self.total_ram:
            return Verdict.FITS
        if self.total <= TIGHT_FRACTION * self.total_ram:
            return Verdict.TIGHT
        return Verdict.WONT_FIT

    def verdict_text(self) -> str:
        texts = {
            Verdict.FITS: translate(_CTX, "fits"),
            Verdict.TIGHT: translate(_CTX, "tight: close other programs first"),
            Verdict.WONT_FIT: translate(_CTX, "won't fit in this computer's memory"),
            None: translate(_CTX, "unknown (this computer's memory could not be read)"),
        }
        return texts[self.verdict]

    def to_dict(self) -> dict[str, Any]:
        verdict = self.verdict
        return {
            "weights": self.weights,
            "kv_cache": self.kv_cache,
            "overhead": self.overhead,
            "total": self.total,
            "n_ctx": self.n_ctx,
            "total_ram": self.total_ram,
            "rough": self.rough,
            "verdict": verdict.value if verdict else None,
            "gpu_free": self.gpu_free,
            "gpu_needed": self.gpu_needed,
            "gpu_verdict": self.gpu_verdict.value if self.gpu_verdict else None,
        }


def kv_cache_bytes(n_layer: int, n_ctx: int, n_embd_kv: int, bytes_per_value: int = 2) -> int:
    """Keys and values (hence 2x) for every layer and every position, f16 by default."""
    return 2 * n_layer * n_ctx * n_embd_kv * bytes_per_value


def estimate_memory(
    weights_bytes: int,
    n_ctx: int,
    *,
    n_layer: int | None = None,
    n_embd_kv: int | None = None,
    total_ram: int | None = None,
    gpu_free: int | None = None,
) -> MemoryEstimate:
    """Memory a model needs at context ``n_ctx``; a rough KV guess when the shape is unknown.

    ``gpu_free``: the GPU's free memory (tinychat.core.hardware.free_gpu_memory), for the GPU verdict.
    """
    ram = total_ram if total_ram is not None else total_ram_bytes()
    overhead = OVERHEAD_BASE + int(OVERHEAD_FRACTION * weights_bytes)
    if n_layer and n_embd_kv:
        return MemoryEstimate(
            weights_bytes, kv_cache_bytes(n_layer, n_ctx, n_embd_kv), overhead, n_ctx, ram, gpu_free=gpu_free
        )
    per_token = max(16 * 1024, int(ROUGH_KV_BYTES_PER_TOKEN_PER_GB * weights_bytes / 1e9))
    return MemoryEstimate(weights_bytes, per_token * n_ctx, overhead, n_ctx, ram, rough=True, gpu_free=gpu_free)


def estimate_for_info(
    info: GGUFInfo, n_ctx: int | None = None, total_ram: int | None = None, gpu_free: int | None = None
) -> MemoryEstimate:
    """The estimate for a local file at ``n_ctx`` (default: the model's context, at most 4096)."""
    ctx = n_ctx or min(info.context_length or 2048, 4096)
    return estimate_memory(
        info.file_size, ctx, n_layer=info.block_count, n_embd_kv=info.n_embd_kv, total_ram=total_ram,
        gpu_free=gpu_free,
    )


def total_ram_bytes() -> int | None:
    """This machine's physical memory, without extra dependencies; None if it cannot be read."""
    if hasattr(os, "sysconf"):
        try:
            pages = os.sysconf("SC_PHYS_PAGES")
            page_size = os.sysconf("SC_PAGE_SIZE")
            if pages > 0 and page_size > 0:
                return pages * page_size
        except (ValueError, OSError):
            pass
    if sys.platform == "win32":
        class MemoryStatus(ctypes.Structure):
            _fields_ = [
                ("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong),
                ("ullTotalPhys", ctypes.c_ulonglong), ("ullAvailPhys", ctypes.c_ulonglong),
                ("ullTotalPageFile", ctypes.c_ulonglong), ("ullAvailPageFile", ctypes.c_ulonglong),
                ("ullTotalVirtual", ctypes.c_ulonglong), ("ullAvailVirtual", ctypes.c_ulonglong),
                ("ullAvailExtendedVirtual", ctypes.c_ulonglong),
            ]

        status = MemoryStatus()
        status.dwLength = ctypes.sizeof(MemoryStatus)
        if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):  # type: ignore[attr-defined]
            return int(status.ullTotalPhys)
    return None


def vocabulary_digest(path: str | os.PathLike[str]) -> tuple[int, str] | None:
    """(number of tokens, sha256 of the token texts in order) from the header, or None without a token list.

    Two models can share token ids only if this is equal: speculative decoding
    compares a draft model's with the main model's. The strings are hashed as
    they lie in the file (length and bytes), never decoded one by one into
    Python strings, so the 49k-token starter model takes a few milliseconds.
    Raises GGUFInfoError with a sentence for a file that is not a readable GGUF.
    """
    path = Path(path).expanduser()
    read_gguf_info(path)  # the same checks, and their sentences, as every other reader
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as buf:
        cur = _Cursor(buf)
        cur.pos = 4
        version = cur.unpack("I")
        if version & 0xFFFF == 0:
            cur.endian = ">"
        cur.unpack("Q")  # tensor count
        kv_count = cur.unpack("Q")
        for _ in range(kv_count):
            key = cur.string()
            vtype = GGUFValueType(cur.unpack("I"))
            if key != "tokenizer.ggml.tokens" or vtype != GGUFValueType.ARRAY:
                cur.value(vtype)
                continue
            item_type = GGUFValueType(cur.unpack("I"))
            count = cur.unpack("Q")
            if item_type != GGUFValueType.STRING:
                return None
            start = cur.pos
            cur.skip_array(item_type, count)
            return count, hashlib.sha256(bytes(buf[start:cur.pos])).hexdigest()
    return None
