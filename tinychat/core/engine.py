"""One loaded llama.cpp model: load, stream a reply, stop, and measure.

The engine is used from a single thread at a time (the window's worker
thread, or the command line's main thread). Stopping is requested from any
thread through a ``threading.Event``: the token loop checks it once per token,
and llama.cpp's abort callback checks it inside a long prompt evaluation.
"""

from __future__ import annotations

import codecs
import collections
import contextlib
import ctypes
import dataclasses
import io
import logging
import math
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence

import llama_cpp
import numpy as np

from tinychat.core import hardware
from tinychat.core.gguf_info import GGUFInfo, GGUFInfoError, check_regular_file, estimate_for_info, read_gguf_info
from tinychat.core.i18n import translate
from tinychat.core.params import GenerationParams
from tinychat.core import sampling, speculative
from tinychat.core.results import GenerationResult, GenerationStats, StopReason
from tinychat.core.store import clean_text
from tinychat.core.templates import ChatTemplate, RenderedPrompt, TemplateError, neutralise_messages, resolve_for_model

log = logging.getLogger("tinychat.engine")
llama_log = logging.getLogger("tinychat.llama_cpp")
# Quiet unless the application configures logging (the window logs to a file; the CLI has --verbose).
llama_log.addHandler(logging.NullHandler())

GGUF_MAGIC = b"GGUF"
DEFAULT_N_CTX = 4096
MIN_N_CTX = 256

TokenCallback = Callable[[str], None]


@dataclass(frozen=True)
class TokenAlternative:
    token: int
    piece: str
    #: Probability before any sampler, and in the distribution the token was drawn from (0: filtered out).
    raw_prob: float
    prob: float


@dataclass(frozen=True)
class TokenDetail:
    """One generated token and the distribution it was drawn from (for the probability view)."""

    index: int
    token: int
    #: The token's own text (control tokens by name, split UTF-8 characters as ``<0xNN>``).
    piece: str
    #: The text that was shown with this token (may be empty while a character or a
    #: possible stop sequence is held back, or hold earlier held-back text).
    text: str
    raw_prob: float
    prob: float
    #: The likeliest tokens before the sampler, likeliest first.
    alternatives: tuple[TokenAlternative, ...]
    greedy: bool
    #: False when only the model's probabilities are known (a server's log probabilities):
    #: ``prob`` then repeats ``raw_prob`` and the sampler's share is not shown.
    after_sampler: bool = True


StepCallback = Callable[[TokenDetail], None]


class EngineError(RuntimeError):
    """Something a person can act on went wrong; ``str(error)`` is the sentence to show."""


class ModelLoadError(EngineError):
    """A model could not be loaded. ``kept``: the ModelInfo of the model still loaded, if any."""

    def __init__(self, message: str, kept: ModelInfo | None = None):
        super().__init__(message)
        self.kept = kept


class NoModelLoaded(EngineError):
    pass


class ContextOverflow(EngineError):
    """The prompt does not fit in the context window, with room left for at least one token."""

    def __init__(self, prompt_tokens: int, n_ctx: int):
        self.prompt_tokens = prompt_tokens
        self.n_ctx = n_ctx
        self.over_by = prompt_tokens - n_ctx + 1
        super().__init__(
            translate(
                "Engine",
                "The conversation needs {tokens} tokens but the context window holds {n_ctx}: "
                "it is {over} tokens too long. Start a new conversation or drop the oldest turns.",
            ).format(tokens=prompt_tokens, n_ctx=n_ctx, over=self.over_by)
        )


# --- llama.cpp's log -------------------------------------------------------
#
# llama.cpp prints its log through a C callback. We route it into Python's
# logging (so the command line's stdout stays clean) and keep the lines of each
# load: when a load fails, llama.cpp's own reason ("unknown model architecture
# ...") is far more useful to a person than "Failed to load model", and the
# "offloaded N/M layers" line says where the model runs.
#
# The callback is process-wide, but it runs on the thread that called into
# llama.cpp. Two models can load at once (A/B compare, the Sampling Lab beside
# the chat), so each load collects only the lines written on its own thread.

# ggml's levels: NONE 0, DEBUG 1, INFO 2, WARN 3, ERROR 4, CONT 5 (continues the previous line).
_LEVELS = {0: logging.CRITICAL, 1: logging.DEBUG, 2: logging.INFO, 3: logging.WARNING, 4: logging.ERROR}
#: Per thread (``threading.get_ident()``): the lines of the load running on it.
_load_logs: dict[int, list[tuple[int, str]]] = {}
#: Per thread: the level of the last line, which a CONT line continues.
_last_levels: dict[int, int] = {}


@llama_cpp.llama_log_callback
def _on_llama_log(level: int, text: bytes, _user_data: ctypes.c_void_p) -> None:
    thread = threading.get_ident()
    line = text.decode("utf-8", errors="replace")
    py_level = _LEVELS.get(level, _last_levels.get(thread, logging.INFO))
    _last_levels[thread] = py_level
    lines = _load_logs.get(thread)
    if lines is not None:
        lines.append((py_level, line))
    llama_log.log(py_level, line.rstrip())


llama_cpp.llama_log_set(_on_llama_log, ctypes.c_void_p(0))


class _PerThreadStderr(io.TextIOBase):
    """``sys.stderr`` while models load: a loading thread's writes go to its own buffer, the rest to stderr."""

    def __init__(self, real: Any) -> None:
        super().__init__()
        self.real = real

    def _target(self) -> Any:
        return _stderr_buffers.get(threading.get_ident(), self.real)

    def write(self, text: str) -> int:
        return self._target().write(text)

    def flush(self) -> None:
        self._target().flush()


_stderr_lock = threading.Lock()
_stderr_buffers: dict[int, io.StringIO] = {}


@contextlib.contextmanager
def _stderr_of_this_thread(buffer: io.StringIO) -> Iterator[None]:
    """Like ``contextlib.redirect_stderr``, for this thread only.

    redirect_stderr swaps ``sys.stderr`` for the whole process: two loads at
    once would restore each other's buffer and leave ``sys.stderr`` pointing
    at one of them afterwards.
    """
    thread = threading.get_ident()
    with _stderr_lock:
        if not _stderr_buffers:
            sys.stderr = _PerThreadStderr(sys.stderr)
        _stderr_buffers[thread] = buffer
    try:
        yield
    finally:
        with _stderr_lock:
            del _stderr_buffers[thread]
            if not _stderr_buffers and isinstance(sys.stderr, _PerThreadStderr):
                sys.stderr = sys.stderr.real


@contextlib.contextmanager
def capture_llama_log() -> Iterator[list[tuple[int, str]]]:
    """Collect llama.cpp's log lines written on this thread until the block ends: ``[(level, line)]``."""
    thread = threading.get_ident()
    lines: list[tuple[int, str]] = []
    _load_logs[thread] = lines
    try:
        yield lines
    finally:
        _load_logs.pop(thread, None)
        _last_levels.pop(thread, None)


# ---------------------------------------------------------------------------


@dataclass
class ModelInfo:
    path: Path
    name: str
    n_ctx: int
    n_ctx_train: int
    n_vocab: int
    n_layers: int
    n_params: int
    architecture: str
    description: str
    gpu_layers: int
    device: str
    chat_template: str | None
    bos_token: str
    eos_token: str
    special_tokens: tuple[str, ...] = field(repr=False, default=())
    #: The file's sha256, filled in by callers that store replies (hashing takes a while).
    sha256: str = ""
    #: GPU layers as asked (hardware.GPU_AUTO, GPU_ALL, 0 or a number) and the compute devices llama.cpp has.
    gpu_layers_asked: int = 0
    backend: str = "CPU"
    #: llama.cpp's threads for generating, and its batch size for reading prompts.
    n_threads: int = 0
    n_batch: int = 0
    #: Flash attention as asked ("auto", "on", "off") and as llama.cpp settled it (True: on).
    flash_attn_asked: str = "auto"
    flash_attn: bool = False
    #: Sentences about what differs from what was asked (GPU layers clamped, the CPU instead of a GPU...).
    notes: tuple[str, ...] = ()
    #: The inference server's base URL when the model runs there ("" : loaded here, from ``path``);
    #: ``name`` is then the server's model id.
    endpoint: str = ""

    @property
    def model_file(self) -> str:
        """What replies and remembered settings name the model by: the file's name, or the server's model id."""
        return self.name if self.endpoint else self.path.name

    @property
    def file_size(self) -> int:
        return self.path.stat().st_size


def check_model_file(path: str | os.PathLike[str]) -> Path:
    """Raise ModelLoadError with a clear sentence unless ``path`` looks like a readable GGUF file."""
    p = Path(path).expanduser()
    if not p.exists():
        raise ModelLoadError(
            translate(
                "Engine",
                "The model file {path} does not exist. Check the path, or choose a model in the model manager.",
            ).format(path=p)
        )
    if p.is_dir():
        raise ModelLoadError(
            translate("Engine", "{path} is a folder, not a model file. Choose a .gguf file inside it.").format(path=p)
        )
    try:
        check_regular_file(p)
    except GGUFInfoError as exc:
        raise ModelLoadError(str(exc)) from None
    try:
        with p.open("rb") as f:
            magic = f.read(4)
    except OSError as exc:
        raise ModelLoadError(
            translate("Engine", "TinyChat cannot read {path} ({reason}). Check the file's permissions.").format(
                path=p, reason=exc.strerror or exc
            )
        ) from exc
    if magic != GGUF_MAGIC:
        raise ModelLoadError(
            translate(
                "Engine",
                "{path} is not a GGUF model file. TinyChat runs llama.cpp models in GGUF format: "
                "download a .gguf file in the model manager or import one.",
            ).format(path=p)
        )
    # absolute(), not resolve(): a symlink keeps its own name, which the catalog matches on.
    return p.absolute()


supports_gpu_offload = hardware.supports_gpu_offload
default_threads = hardware.default_threads

#: llama-cpp-python's batch size when none is chosen.
DEFAULT_N_BATCH = 512


#: Conversations' batch bounds remembered (two per earlier reply; see Engine._prompt_bounds).
BOUNDS_MEMO_SIZE = 512


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    """How many leading items ``a`` and ``b`` share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _after_batches(
    llm: llama_cpp.Llama, tokens: Sequence[int], ends: Sequence[int], stream: Generator[int, Any, None]
) -> Generator[int, Any, None]:
    """``stream``'s tokens, after reading ``tokens`` up to each of ``ends`` in its own batch (see _prompt_bounds).

    Lazily, like the stream itself: the reading happens inside the token
    loop's error handling, and the abort callback can stop a long prompt.
    """
    for end in ends:
        llm.eval(list(tokens[llm.n_tokens : end]))
    yield from stream


_FLASH_ATTN_TYPES = {
    "auto": llama_cpp.LLAMA_FLASH_ATTN_TYPE_AUTO,
    "on": llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED,
    "off": llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED,
}


class _UncompiledChatFormatter(llama_cpp.llama_chat_format.Jinja2ChatFormatter):
    """Stands in for llama-cpp-python's formatter while Llama() loads a model.

    Llama.__init__ compiles every chat template in the file's header with a
    jinja2 environment of its own: a template with a syntax error raises there
    (so the model could not load at all, although TinyChat has built-in
    templates to fall back on), and a hostile one (``{{ 'a' * 10**9 }}``) is
    folded into a gigabyte string while compiling. TinyChat never uses
    llama-cpp-python's chat handlers (tinychat.core.templates renders every
    prompt itself, in a sandbox with limits), so the handlers built during the
    load simply never compile their template.
    """

    def __init__(self, template: str, eos_token: str, bos_token: str, *args, **kwargs) -> None:
        self.template = template
        self.eos_token = eos_token
        self.bos_token = bos_token
        self.add_generation_prompt = True
        self.stop_token_ids = None

    def __call__(self, **kwargs):
        raise NotImplementedError("TinyChat renders prompts with tinychat.core.templates")


_formatter_lock = threading.Lock()


def _context_with_flash_attn(flash_attn_type: int) -> type:
    """llama-cpp-python's LlamaContext, creating its context with ``flash_attn_type``.

    Llama() of llama-cpp-python 0.3.36 turns its ``flash_attn`` flag into
    "enabled" or "disabled" only, while llama.cpp's own default, "auto",
    checks per device that the fused kernel runs where the layer runs (llama-bench
    measured it faster here: tg128 66 against 58 tokens/s on one thread). The
    context parameters are set just before llama.cpp reads them.
    """
    base = llama_cpp._internals.LlamaContext

    class _Context(base):  # type: ignore[misc, valid-type]
        def __init__(self, *, model: Any, params: Any, verbose: bool = True) -> None:
            params.flash_attn_type = flash_attn_type
            super().__init__(model=model, params=params, verbose=verbose)

    return _Context


@contextlib.contextmanager
def loading_llama(flash_attn_type: int = llama_cpp.LLAMA_FLASH_ATTN_TYPE_AUTO) -> Iterator[None]:
    """While Llama() loads: no template compiling, and the context made with ``flash_attn_type``."""
    module = llama_cpp.llama_chat_format
    internals = llama_cpp.llama.internals
    with _formatter_lock:
        original = module.Jinja2ChatFormatter
        original_context = internals.LlamaContext
        module.Jinja2ChatFormatter = _UncompiledChatFormatter  # type: ignore[misc]  # swapped back below
        internals.LlamaContext = _context_with_flash_attn(flash_attn_type)  # type: ignore[misc, assignment]  # swapped back
        try:
            yield
        finally:
            module.Jinja2ChatFormatter = original  # type: ignore[misc]
            internals.LlamaContext = original_context  # type: ignore[misc]


class Engine:
    """Owns at most one ``llama_cpp.Llama`` at a time.

    The model is loaded in this process, not in a separate one. A separate
    process would keep a llama.cpp abort from taking the window with it, but
    every token, its probabilities (the probability view, the sampling lab's
    step mode reads logits after each token) and the KV cache would then cross
    a process boundary, and the lab works on the model directly. Instead, what
    is known to make llama.cpp abort is refused before llama.cpp sees it: the
    header is validated (tinychat.core.gguf_info), templates never run inside
    llama-cpp-python, and the store commits every message as it streams, so
    even a crash loses only the draft being typed.
    """

    def __init__(self) -> None:
        self._llm: llama_cpp.Llama | None = None
        self.info: ModelInfo | None = None
        #: The path and the options the current model was loaded with (see load()).
        self._loaded_with: tuple[Path, dict[str, Any]] | None = None
        #: Watches the replies' speed for a thread collapse (see hardware.SpeedWatch).
        self._speed: hardware.SpeedWatch | None = None
        self.template: ChatTemplate | None = None
        self._cancel: threading.Event | None = None
        # The prompt of the previous reply as the KV cache holds it, and where the batches that
        # computed it ended (see _reusable_prefix): only those ends can be reused.
        self._batch_tokens: list[int] = []
        self._batch_bounds: list[int] = []
        # Where conversations' prompts split into batches, by what decides it (see _prompt_bounds).
        self._bounds_memo: collections.OrderedDict[tuple[Any, ...], int] = collections.OrderedDict()
        # ctypes callbacks must stay referenced for as long as llama.cpp may call them.
        self._abort_cb = llama_cpp.ggml_abort_callback(self._should_abort)
        self._no_abort_cb = llama_cpp.ggml_abort_callback()  # a null pointer: no callback
        #: Speculative decoding's drafter (None: plain decoding); see set_speculative.
        self._drafter: speculative.Drafter | None = None

    # -- loading -------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self._llm is not None

    @property
    def llm(self) -> llama_cpp.Llama:
        if self._llm is None:
            raise NoModelLoaded(translate("Engine", "No model is loaded. Choose a model first."))
        return self._llm

    def load(
        self,
        path: str | os.PathLike[str],
        *,
        n_ctx: int | None = None,
        n_threads: int | None = None,
        n_gpu_layers: int = 0,
        n_batch: int | None = None,
        flash_attn: str = "auto",
    ) -> ModelInfo:
        """Load a GGUF model, replacing the current one. Raises ModelLoadError with a sentence.

        ``n_gpu_layers``: 0 none, N, ``hardware.GPU_ALL`` or ``hardware.GPU_AUTO``
        (what fits in the free GPU memory). When the build or the GPU's memory
        cannot give what was asked, the model loads on the CPU and
        ``info.notes`` says why. ``n_threads`` None: chosen from the physical
        cores and the load (hardware.default_threads). ``flash_attn``: "auto"
        (llama.cpp decides per device), "on" or "off"; speculative decoding
        needs it on to give the same reply as plain decoding
        (tinychat.core.speculative). Loading drops any speculative decoding set
        before: set it again for the new model.

        A file that cannot be loaded never costs the model that was working: a
        file the header check rejects (cut short, damaged) leaves it loaded, and
        when llama.cpp itself refuses the file the previous model is loaded
        again. The error's ``kept`` names it.
        """
        try:
            model_path = check_model_file(path)
        except ModelLoadError as exc:
            exc.kept = self.info
            raise
        try:
            # The header is checked first, with the same sentence as the model manager ("cut
            # short: 5.0 MB of 98.4 MB"): llama.cpp asserts (ending the whole program, window
            # and unsaved draft included) on some impossible values.
            header = read_gguf_info(model_path)
        except GGUFInfoError as exc:
            raise ModelLoadError(str(exc), kept=self.info) from None
        if flash_attn not in _FLASH_ATTN_TYPES:
            raise ModelLoadError(
                translate("Engine", "Flash attention must be auto, on or off, not {value}.").format(value=flash_attn),
                kept=self.info,
            )
        previous = self._loaded_with
        options: dict[str, Any] = {
            "n_ctx": n_ctx, "n_threads": n_threads, "n_gpu_layers": n_gpu_layers, "n_batch": n_batch,
            "flash_attn": flash_attn,
        }
        try:
            return self._load(model_path, header, **options)
        except ModelLoadError as exc:
            if previous is None or previous[0] == model_path:
                raise
            try:
                kept = self._load(previous[0], read_gguf_info(previous[0]), **previous[1])
            except (ModelLoadError, GGUFInfoError):
                raise exc from None
            raise ModelLoadError(str(exc), kept=kept) from exc

    def _load(
        self,
        model_path: Path,
        header: GGUFInfo,
        *,
        n_ctx: int | None,
        n_threads: int | None,
        n_gpu_layers: int,
        n_batch: int | None = None,
        flash_attn: str = "auto",
    ) -> ModelInfo:
        self.unload()
        asked = (model_path, {
            "n_ctx": n_ctx, "n_threads": n_threads, "n_gpu_layers": n_gpu_layers, "n_batch": n_batch,
            "flash_attn": flash_attn,
        })
        threads = n_threads or default_threads()
        batch = n_batch or DEFAULT_N_BATCH
        if n_ctx is None:
            n_ctx = min(header.context_length or DEFAULT_N_CTX, DEFAULT_N_CTX)
        n_layers = header.block_count or 0
        estimate = estimate_for_info(header, n_ctx)
        gpu = supports_gpu_offload()
        free_vram = hardware.free_gpu_memory() if gpu and n_gpu_layers else None
        plan = hardware.plan_offload(
            n_gpu_layers, n_layers=n_layers, supports_gpu=gpu, free_vram=free_vram,
            weights=estimate.weights, kv_cache=estimate.kv_cache,
        )
        notes = [plan.note] if plan.note else []
        stderr_capture = io.StringIO()
        with capture_llama_log() as load_log:
            try:
                llm = self._load_llama(
                    model_path, n_ctx, threads, plan.n_gpu_layers, stderr_capture, load_log,
                    n_batch=batch, flash_attn=flash_attn,
                )
            except ModelLoadError:
                if not plan.n_gpu_layers or not hardware.is_out_of_memory([line for _lvl, line in load_log]):
                    raise
                # Out of GPU memory: what failed is already freed (Llama() raised); the CPU has room.
                needed = hardware.gpu_bytes_needed(plan.n_gpu_layers, n_layers, estimate.weights, estimate.kv_cache)
                notes.append(hardware.out_of_memory_note(needed, plan.n_gpu_layers, free_vram))
                log.warning("out of GPU memory with %d layers; loading on the CPU", plan.n_gpu_layers)
                load_log.clear()
                llm = self._load_llama(
                    model_path, n_ctx, threads, 0, stderr_capture, load_log,
                    n_batch=batch, flash_attn=flash_attn,
                )
        llm.verbose = False  # from here on, no per-call prints on stderr
        log.debug("llama-cpp-python load output:\n%s", stderr_capture.getvalue())
        self._llm = llm
        self._bounds_memo.clear()  # another model tokenizes otherwise
        self._loaded_with = asked
        self.info = self._describe(llm, model_path, n_gpu_layers, load_log)
        self.info.n_threads = llama_cpp.llama_n_threads(llm._ctx.ctx)
        self.info.n_batch = llm.n_batch
        self.info.flash_attn_asked = flash_attn
        self.info.notes = tuple(notes)
        self._speed = hardware.SpeedWatch(self.info.n_threads)
        # The catalog's choice, else the file's own template, else a guess that carries a warning.
        self.template = resolve_for_model(self.info)
        return self.info

    def _load_llama(
        self,
        model_path: Path,
        n_ctx: int,
        threads: int,
        n_gpu_layers: int,
        stderr_capture: io.StringIO,
        load_log: list[tuple[int, str]],
        *,
        n_batch: int = DEFAULT_N_BATCH,
        flash_attn: str = "auto",
    ) -> llama_cpp.Llama:
        try:
            # verbose=True keeps llama-cpp-python from redirecting the process's
            # file descriptors 1 and 2 while it loads (which would swallow the
            # command line's output and any other thread's logging); its Python
            # prints go to a buffer instead, and llama.cpp's own log goes through
            # _on_llama_log.
            with _stderr_of_this_thread(stderr_capture):
                # llama.cpp rounds a smaller window up to 256 while llama-cpp-python
                # sizes its token buffer by the number asked for; asking for at least
                # 256 keeps the two in step.
                n_ctx = max(n_ctx, MIN_N_CTX)
                with loading_llama(_FLASH_ATTN_TYPES[flash_attn]):
                    llm = llama_cpp.Llama(
                        model_path=str(model_path),
                        n_ctx=n_ctx,
                        n_threads=threads,
                        n_threads_batch=threads,
                        n_gpu_layers=n_gpu_layers,
                        n_batch=n_batch,
                        n_ubatch=n_batch,
                        verbose=True,
                    )
        except (ValueError, RuntimeError, OSError) as exc:
            reason = _load_failure_reason(load_log) or str(exc)
            raise ModelLoadError(
                translate(
                    "Engine",
                    "llama.cpp could not load {name}: {reason}. The file may be incomplete, or made for a "
                    "model architecture this version of llama.cpp does not know; try another file.",
                ).format(name=model_path.name, reason=reason)
            ) from exc
        return llm

    def invalidate_cache(self) -> None:
        """Forget what the KV cache holds, so the next reply evaluates its whole prompt.

        For code that evaluates tokens on the model directly (the sampling lab's
        step mode): the cache then no longer matches the last reply's prompt.
        """
        self._batch_tokens, self._batch_bounds = [], []

    @property
    def _batch_valid(self) -> int:
        """How many leading tokens of ``_batch_tokens`` a later prompt can reuse."""
        return self._batch_bounds[-1] if self._batch_bounds else 0

    def _describe(
        self, llm: llama_cpp.Llama, path: Path, n_gpu_layers: int, load_log: list[tuple[int, str]]
    ) -> ModelInfo:
        meta = llm.metadata
        arch = meta.get("general.architecture", "unknown")
        n_layers = int(meta.get(f"{arch}.block_count", 0) or 0)
        offloaded = _offloaded_layers(load_log)
        gpus = [d for d in hardware.backend_devices() if d.is_gpu]
        backend = ", ".join(f"{d.name} ({d.description})" if d.description else d.name for d in gpus) or "CPU"
        if not supports_gpu_offload():
            gpu_layers = 0
            if n_gpu_layers:
                device = translate("Engine", "CPU (this llama.cpp build has no GPU support)")
            else:
                device = translate("Engine", "CPU")
        elif offloaded is not None:
            gpu_layers = offloaded[0]
            device = (
                translate("Engine", "GPU: {done}/{total} layers").format(done=offloaded[0], total=offloaded[1])
                if offloaded[0]
                else translate("Engine", "CPU")
            )
            if offloaded[0] and gpus:
                device += f" ({gpus[0].name})"
        else:
            gpu_layers = 0
            device = translate("Engine", "CPU")
        model = llm._model
        specials = tuple(
            text
            for token in range(model.n_vocab())
            if model.token_get_attr(token) & llama_cpp.LLAMA_TOKEN_ATTR_CONTROL
            and (text := model.token_get_text(token))
        )
        bos_id, eos_id = llm.token_bos(), llm.token_eos()
        return ModelInfo(
            path=path,
            name=meta.get("general.name") or path.stem,
            n_ctx=llm.n_ctx(),
            n_ctx_train=model.n_ctx_train(),
            n_vocab=llm.n_vocab(),
            n_layers=n_layers,
            n_params=model.n_params(),
            architecture=arch,
            description=model.desc(),
            gpu_layers=gpu_layers,
            device=device,
            chat_template=meta.get("tokenizer.chat_template"),
            bos_token=model.token_get_text(bos_id) if bos_id >= 0 else "",
            eos_token=model.token_get_text(eos_id) if eos_id >= 0 else "",
            special_tokens=specials,
            gpu_layers_asked=n_gpu_layers,
            backend=backend,
            flash_attn=_flash_attn_used(load_log, llm),
        )

    def unload(self) -> None:
        self._drop_drafter()
        if self._llm is not None:
            self._llm.close()
            self._llm = None
            self._loaded_with = None
            self.info = None
            self.template = None

    # -- speculative decoding -------------------------------------------------

    @property
    def speculative_mode(self) -> str:
        """"off", "lookup" or "draft": how the next reply is drafted (tinychat.core.speculative)."""
        return self._drafter.mode if self._drafter is not None else speculative.OFF

    def set_speculative(
        self,
        mode: str,
        draft_model: str | os.PathLike[str] | None = None,
        *,
        n_draft: int = speculative.DEFAULT_DRAFT_TOKENS,
    ) -> None:
        """Draft the next replies by prompt lookup, by a smaller model, or not at all.

        A draft model is checked against the loaded model before it is loaded
        (same vocabulary, not larger) and loaded with the same context size and
        threads. Raises EngineError with a sentence; speculation is then off.
        """
        info = self._require_info()
        self._drop_drafter()
        if mode == speculative.OFF:
            return
        if mode == speculative.LOOKUP:
            self._drafter = speculative.PromptLookupDrafter(n_draft)
            return
        if mode != speculative.DRAFT:
            raise EngineError(
                translate("Engine", "Speculative decoding is off, lookup or draft, not {mode}.").format(mode=mode)
            )
        if not draft_model:
            raise EngineError(translate("Engine", "Choose a draft model file for speculative decoding."))
        path = check_model_file(draft_model)
        try:
            speculative.check_draft_model(info.path, path)
        except speculative.SpeculativeError as exc:
            raise EngineError(str(exc)) from None
        threads = info.n_threads or default_threads()
        with capture_llama_log() as load_log:
            draft_llm = self._load_llama(
                path, info.n_ctx, threads, 0, io.StringIO(), load_log, flash_attn="on" if info.flash_attn else "off"
            )
        draft_llm.verbose = False
        self._drafter = speculative.ModelDrafter(draft_llm, n_draft)

    def _drop_drafter(self) -> None:
        if self._drafter is not None:
            self._drafter.close()
            self._drafter = None

    # -- prompts -------------------------------------------------------------

    def render(self, messages: Sequence[Mapping[str, str]], template: ChatTemplate | None = None) -> RenderedPrompt:
        info = self._require_info()
        template = template or self.template
        if template is None:
            raise EngineError(
                translate(
                    "Engine",
                    "{name} has no chat template of its own. Choose a prompt template for it.",
                ).format(name=info.name)
            )
        safe = neutralise_messages(messages, info.special_tokens)
        return template.render(safe, bos_token=info.bos_token, eos_token=info.eos_token)

    def tokenize(self, rendered: RenderedPrompt) -> list[int]:
        # special=True: the template's markers (<|im_start|>, </s>...) must become
        # control tokens; user text was neutralised in render().
        text = clean_text(rendered.text)  # a lone surrogate cannot be encoded as UTF-8
        return self.llm.tokenize(text.encode("utf-8"), add_bos=rendered.add_bos, special=True)

    # -- generation ----------------------------------------------------------

    def _set_abort_checks(self, on: bool) -> None:
        callback = self._abort_cb if on else self._no_abort_cb
        llama_cpp.llama_set_abort_callback(self.llm._ctx.ctx, callback, None)

    def _should_abort(self, _data: ctypes.c_void_p) -> bool:
        cancel = self._cancel
        return bool(cancel is not None and cancel.is_set())

    def generate(
        self,
        messages: Sequence[Mapping[str, str]],
        params: GenerationParams,
        *,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        template: ChatTemplate | None = None,
        on_step: StepCallback | None = None,
        on_draft: speculative.DraftCallback | None = None,
    ) -> GenerationResult:
        """Stream a reply to ``messages``; each piece of text goes to ``on_token`` as it is decoded.

        Returns when the model ends its turn, the token budget is spent, or
        ``cancel`` is set (within one token). Raises EngineError subclasses for
        problems found before generation starts.

        ``on_step``, when given, receives a :class:`TokenDetail` for every
        generated token, after its text went to ``on_token``: the token's
        probability before and after the sampler chain and its top 10
        alternatives. It costs a read of the scores and a partial sort per token;
        without it nothing extra runs.

        ``on_draft``, while speculative decoding runs, receives a
        :class:`~tinychat.core.speculative.DraftMark` before each token's text:
        whether the token was guessed by the drafter, and the counts so far.
        """
        info = self._require_info()
        params = params.validated(n_ctx=info.n_ctx)
        rendered = self.render(messages, template)
        tokens = self.tokenize(rendered)
        snapshot = [dict(m) for m in messages]
        return self.generate_from_tokens(
            tokens, params, stops=rendered.stops, on_token=on_token, cancel=cancel,
            template_source=rendered.source, prompt_text=rendered.text, on_step=on_step, on_draft=on_draft,
            bounds=lambda floor: self._prompt_bounds(snapshot, template, tokens, floor),
        )

    def generate_from_tokens(  # noqa: C901, PLR0912, PLR0913, PLR0915 - the token loop is kept in one piece: it is the hot path, and its stop/cancel/error handling must be read together; its callbacks are keyword-only
        self,
        tokens: list[int],
        params: GenerationParams,
        *,
        stops: Sequence[str] = (),
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        template_source: str = "",
        prompt_text: str = "",
        on_step: StepCallback | None = None,
        on_draft: speculative.DraftCallback | None = None,
        bounds: Callable[[int], Sequence[int]] | None = None,
    ) -> GenerationResult:
        """Stream a reply to a prompt given as tokens (see generate).

        ``bounds(floor)``: where a fresh evaluation of this prompt splits its
        batches, above ``floor`` (generate gives the conversation's, see
        _prompt_bounds). Without it the prompt is read in one go after what the
        cache holds, and what it adds is never reused.
        """
        llm = self.llm
        info = self._require_info()
        n_ctx = info.n_ctx
        if len(tokens) >= n_ctx:
            raise ContextOverflow(len(tokens), n_ctx)
        budget = min(params.max_new_tokens, n_ctx - len(tokens))
        seed = params.resolve_seed()
        llm.set_seed(seed)
        cancel = cancel or threading.Event()
        stats = GenerationStats(prompt_tokens=len(tokens), device=info.device)
        reuse = self._reusable_prefix(tokens)
        ends = list(bounds(reuse)) if bounds is not None else []
        if bounds is not None and reuse and reuse not in ends:
            # The cache's batches are not those this prompt is read in (an edited conversation, another template).
            reuse, ends = 0, list(bounds(0))
        stats.prompt_tokens_evaluated = len(tokens) - reuse
        if reuse:
            llm._ctx.kv_cache_seq_rm(-1, reuse, -1)
            llm.n_tokens = reuse
        else:
            llm.reset()
        kept = [b for b in self._batch_bounds if b <= reuse]
        chunks = sorted({b for b in ends if reuse < b < len(tokens)})
        self._batch_tokens, self._batch_bounds = [], []
        text_parts: list[str] = []
        token_ids: list[int] = []
        stopper = _StopScanner(stops)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        model = llm._model
        vocab = model.vocab

        def emit(piece: str) -> None:
            if piece:
                text_parts.append(piece)
                if on_token is not None:
                    on_token(piece)

        detailer = _TokenDetailer(llm, params) if on_step is not None else None

        self._cancel = cancel
        # llama.cpp calls the abort callback before every node of the compute graph
        # (hundreds per token): worth it while a long prompt is read, since that is
        # the only way to interrupt it, but a few percent of the speed afterwards,
        # when the token loop checks ``cancel`` once per token anyway.
        self._set_abort_checks(True)
        speed = self._speed
        if speed is not None:
            speed.start()
        start = time.perf_counter()
        first_at: float | None = None
        reason = StopReason.LENGTH
        error = ""
        verifier: speculative.Verifier | None = None
        stream: Generator[int, Any, None]
        if self._drafter is not None and speculative.batched_scores_match(llm):
            # The same sampler chain as Llama.generate builds, drawn once per reply token.
            sampler = llm._init_sampler(
                top_k=params.top_k, top_p=params.top_p, min_p=params.min_p, typical_p=1.0,
                temp=params.temperature, repeat_penalty=params.repeat_penalty,
            )
            verifier = speculative.Verifier(llm, self._drafter, sampler, budget=budget, cancel=cancel)
            stream = verifier.tokens(tokens)
            # Guessed tokens come out in bursts, microseconds apart: their pace says nothing about the
            # threads (it read as 10,000 tokens/s, and the next plain reply as a collapse).
            speed = None
        else:
            if self._drafter is not None:
                stats.speculative_note = translate("Speculative", speculative.NEEDS_FLASH_ATTENTION)
            stream = llm.generate(
                tokens,
                top_k=params.top_k,
                top_p=params.top_p,
                min_p=params.min_p,
                typical_p=1.0,
                temp=params.temperature,
                repeat_penalty=params.repeat_penalty,
                reset=True,
            )
        stream = _after_batches(llm, tokens, chunks, stream)
        try:
            for token in stream:
                if first_at is None:
                    first_at = time.perf_counter()
                    self._set_abort_checks(False)
                    # The whole prompt is now in the KV cache, computed in those batches.
                    self._batch_tokens = list(tokens)
                    self._batch_bounds = [*kept, *chunks, *([len(tokens)] if bounds is not None else [])]
                if speed is not None:
                    speed.tick(time.perf_counter())
                if cancel.is_set():
                    reason = StopReason.STOPPED
                    break
                if llama_cpp.llama_vocab_is_eog(vocab, token):
                    reason = StopReason.EOS
                    break
                if detailer is not None:
                    # Read now: the scores this token was drawn from stay in the
                    # context until the generator evaluates the token.
                    logits = detailer.read(verifier.row if verifier is not None else -1)
                if verifier is not None and on_draft is not None:
                    on_draft(
                        speculative.DraftMark(
                            verifier.last_accepted, dataclasses.replace(verifier.counts), verifier.last_corrected
                        )
                    )
                token_ids.append(token)
                piece = decoder.decode(model.detokenize([token]))
                visible, hit = stopper.feed(piece)
                emit(visible)
                if detailer is not None and on_step is not None:
                    on_step(detailer.detail(logits, token, token_ids, visible))
                if speed is not None:
                    speed.pause(time.perf_counter())
                if hit:
                    reason = StopReason.EOS
                    break
                if len(token_ids) >= budget:
                    reason = StopReason.LENGTH
                    break
            else:
                reason = StopReason.LENGTH
        except RuntimeError as exc:
            # llama_decode returns non-zero when the abort callback fired.
            if cancel.is_set():
                reason = StopReason.STOPPED
            else:
                reason = StopReason.ERROR
                error = str(exc)
                log.warning("generation failed: %s", exc)
        finally:
            stream.close()
            self._cancel = None
        if reason is not StopReason.EOS:
            emit(stopper.flush() + decoder.decode(b"", final=True))
        end = time.perf_counter()
        stats.completion_tokens = len(token_ids)
        stats.total_s = end - start
        if first_at is not None:
            stats.ttft_s = first_at - start
            if len(token_ids) > 1 and end > first_at:
                stats.tokens_per_s = (len(token_ids) - 1) / (end - first_at)
        if verifier is not None:
            counts = verifier.counts
            stats.speculative = counts.mode
            stats.drafted, stats.accepted, stats.rejected = counts.drafted, counts.accepted, counts.rejected
            stats.evaluations = counts.evaluations
        stats.stop_reason = reason
        stats.threads = self._speed.threads if self._speed is not None else 0
        note = self._after_reply(speed)
        # Another thread (a lesson, the speed report) may compute next: see hardware.release_worker_threads.
        hardware.release_worker_threads()
        return GenerationResult(
            text="".join(text_parts),
            seed=seed,
            params=params,
            stats=stats,
            model=info.path.name,
            template=template_source,
            prompt=prompt_text,
            error=error,
            token_ids=token_ids,
            note=note,
        )

    def _after_reply(self, speed: hardware.SpeedWatch | None) -> str:
        """Fewer threads from the next reply on when this one collapsed; the sentence saying so, or ""."""
        if speed is None:
            return ""
        change = speed.finish()
        if change is None:
            return ""
        fewer, note = change
        self.set_threads(fewer)
        log.warning("thread collapse: %s", note)
        return note

    def set_threads(self, n_threads: int) -> None:
        """Change llama.cpp's thread count on the loaded model, from the next reply on (no reload)."""
        llm = self.llm
        n_threads = max(1, n_threads)
        llama_cpp.llama_set_n_threads(llm._ctx.ctx, n_threads, n_threads)
        llm.n_threads = llm.n_threads_batch = n_threads
        if self.info is not None:
            self.info.n_threads = n_threads
        if self._speed is not None:
            self._speed.threads = n_threads

    def _reusable_prefix(self, tokens: Sequence[int]) -> int:
        """How many leading prompt tokens can be kept in the KV cache without changing the reply.

        llama.cpp's result for a position depends, in its last digits, on the
        batch it was computed in: a token decoded alone differs from the same
        token inside a prompt batch, and with flash attention on the CPU even
        a prompt read as 101 + 63 tokens differs from the same prompt read as
        164. Those digits are enough to change a sampled reply, so reusing the
        cache naively would break "same seed, same text". Every prompt is
        therefore read in the same batches whether the cache holds part of it
        or not: split where the conversation's earlier turns end
        (_prompt_bounds), the ends that a reply in this run, or a saved state,
        left in the cache. Only such an end is reused, never a reply's own
        tokens (decoded one at a time), and the rest is read in the same
        batches a fresh evaluation uses, so follow-up turns cost the new text
        plus at most the previous reply, bit for bit as if read from the start.
        """
        common = _common_prefix(self._batch_tokens, tokens)
        limit = min(common, len(tokens) - 1)
        return max((b for b in self._batch_bounds if b <= limit), default=0)

    def _prompt_bounds(
        self, messages: Sequence[Mapping[str, str]], template: ChatTemplate | None, tokens: Sequence[int], floor: int
    ) -> list[int]:
        """Where the prompt ``tokens`` of ``messages`` is split into batches, from ``floor`` on (inclusive).

        For each earlier reply of the conversation: where the prompt that asked
        for it ended (the assistant's header), and where the prompt after it
        starts to depend on the next message (see follow_prefix). Those are
        the ends of the batches a conversation held in the cache was read in,
        whether it grew turn by turn in this run or came back from a saved
        state. They only need to be the same whichever way the prompt is read:
        each is a function of the messages alone, worked out once per
        conversation and kept, and searched from the last turn back only
        until it goes below ``floor``.
        """
        found: list[int] = []
        template = template or self.template
        key_template = (template.jinja, template.strict) if template is not None else None
        for k in range(len(messages) - 1, 0, -1):
            if messages[k].get("role") != "assistant":
                continue
            history = tuple((m.get("role", ""), m.get("content", "")) for m in messages[:k])
            reply = messages[k].get("content", "")
            follows = self._memo(
                ("follows", key_template, history, reply),
                lambda: len(self.follow_prefix(messages[:k], reply, template)),  # noqa: B023 - called at once
            )
            asked = self._memo(
                ("asked", key_template, history),
                lambda: len(self.tokenize(self.render(messages[:k], template))),  # noqa: B023 - called at once
            )
            found.extend(end for end in (follows, asked) if floor <= end < len(tokens))
            if max(follows, asked) <= floor:
                break
        return found

    def _memo(self, key: tuple[Any, ...], work: Callable[[], int]) -> int:
        """``work()``, remembered under ``key``; -1 (no bound) where the template refuses that part."""
        memo = self._bounds_memo
        if key in memo:
            memo.move_to_end(key)
            return memo[key]
        try:
            value = work()
        except (EngineError, TemplateError) as exc:
            log.debug("no batch bound here: %s", exc)
            value = -1
        memo[key] = value
        while len(memo) > BOUNDS_MEMO_SIZE:
            memo.popitem(last=False)
        return value

    def follow_prefix(
        self, messages: Sequence[Mapping[str, str]], reply: str, template: ChatTemplate | None = None
    ) -> list[int]:
        """The tokens the prompt after ``reply`` (the answer to ``messages``) starts with, whatever comes next.

        Rendered with two different next messages, the tokens both share are
        those that do not depend on it.
        """
        history = [*messages, {"role": "assistant", "content": reply}]
        one = self.tokenize(self.render([*history, {"role": "user", "content": "a"}], template))
        two = self.tokenize(self.render([*history, {"role": "user", "content": "b"}], template))
        return one[: _common_prefix(one, two)]

    # -- saved state (tinychat.core.saved_state) ---------------------------------

    def state_signature(self) -> str:
        """What a saved state must have been computed with to be loaded here ("" when unknown).

        The model's sha256 (callers fill ``info.sha256``), llama.cpp's version
        and every context setting that changes the numbers in the KV cache.
        """
        info, llm = self.info, self._llm
        if info is None or llm is None or not info.sha256:
            return ""
        context = llm.context_params
        settings = {
            name: int(getattr(context, name))
            for name in ("n_ctx", "n_batch", "n_ubatch", "type_k", "type_v", "flash_attn_type", "flash_attn",
                         "swa_full", "offload_kqv")
            if hasattr(context, name)
        }
        settings["n_gpu_layers"] = int(llm.model_params.n_gpu_layers)
        return f"{info.sha256}|llama-cpp-python {llama_cpp.__version__}|{sorted(settings.items())}"

    def cached_prefix(self, tokens: Sequence[int]) -> int:
        """How many leading ``tokens`` the KV cache holds, ready to be reused (see _reusable_prefix)."""
        return self._reusable_prefix(tokens)

    def extend_prefix(self, tokens: Sequence[int]) -> int:
        """Evaluate the ``tokens`` that follow the last prompt, in one batch; returns the prefix now held.

        For after a reply (never while one streams): ``tokens`` are the next
        prompt up to where the next message will start (follow_prefix: the
        reply as the template renders it). Read in the batch a fresh evaluation
        of the next prompt reads them in (see _prompt_bounds), they can be
        reused without changing a seeded reply, and the next turn reads only
        the new message. Nothing is done unless the cache holds the whole last
        prompt as read in its own batches (not after a continued reply).
        """
        llm = self.llm
        info = self._require_info()
        held = self._batch_valid
        whole = held > 0 and held == len(self._batch_tokens)
        if not whole or _common_prefix(self._batch_tokens, tokens) < held or len(tokens) <= held:
            return held
        if len(tokens) >= info.n_ctx - 1:
            return held
        llm._ctx.kv_cache_seq_rm(-1, held, -1)
        llm.n_tokens = held
        try:
            llm.eval(list(tokens[held:]))
        except RuntimeError as exc:
            log.warning("could not evaluate the reply ahead of the next turn: %s", exc)
            self.invalidate_cache()
            return 0
        self._batch_tokens = list(tokens)
        self._batch_bounds.append(len(tokens))
        hardware.release_worker_threads()
        return len(tokens)

    def prefix_state(self) -> tuple[list[int], bytes] | None:
        """The batch-computed prompt prefix in the KV cache and llama.cpp's state of it, to save.

        Only what :meth:`_reusable_prefix` may reuse is kept: the last reply's
        own tokens (decoded one at a time) are dropped from the cache first,
        which costs nothing since the next reply would drop them anyway.
        """
        llm = self._llm
        n = self._batch_valid
        if llm is None or n <= 0:
            return None
        llm._ctx.kv_cache_seq_rm(-1, n, -1)
        llm.n_tokens = min(llm.n_tokens, n)
        ctx = llm._ctx.ctx
        size = int(llama_cpp.llama_state_seq_get_size(ctx, 0))
        if size <= 0:
            return None
        buffer = (ctypes.c_uint8 * size)()
        written = int(llama_cpp.llama_state_seq_get_data(ctx, buffer, size, 0))
        if not 0 < written <= size:
            return None
        return list(self._batch_tokens[:n]), ctypes.string_at(buffer, written)

    def load_prefix_state(self, tokens: Sequence[int], data: bytes) -> bool:
        """Put a saved prefix state back in the KV cache; False (and an empty cache) if it does not fit.

        ``data`` comes from a file: llama.cpp checks its layout, and the cache
        must then hold exactly positions 0..len(tokens)-1.
        """
        llm = self.llm
        info = self._require_info()
        n = len(tokens)
        self.invalidate_cache()
        llm._ctx.kv_cache_clear()
        llm.reset()
        if not 0 < n < info.n_ctx or not data or any(not 0 <= t < info.n_vocab for t in tokens):
            return False
        ctx = llm._ctx.ctx
        buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        read = int(llama_cpp.llama_state_seq_set_data(ctx, buffer, len(data), 0))
        memory = llama_cpp.llama_get_memory(ctx)
        ok = (
            read == len(data)
            and memory is not None
            and llama_cpp.llama_memory_seq_pos_min(memory, 0) == 0
            and llama_cpp.llama_memory_seq_pos_max(memory, 0) == n - 1
        )
        if not ok:
            log.warning("llama.cpp did not accept a saved state of %d tokens (%d of %d bytes read)",
                        n, read, len(data))
            llm._ctx.kv_cache_clear()
            return False
        llm.input_ids[:n] = tokens
        llm.n_tokens = n
        self._batch_tokens, self._batch_bounds = list(tokens), [n]
        return True

    def _require_info(self) -> ModelInfo:
        if self.info is None:
            raise NoModelLoaded(translate("Engine", "No model is loaded. Choose a model first."))
        return self.info

    def close(self) -> None:
        self.unload()


class _TokenDetailer:
    """Works out, per generated token, what the probability view shows.

    The sampler stages run on the top-k survivors only (top-k comes right after
    the penalties in the engine's chain, so nothing outside them can be drawn):
    a partial sort of the vocabulary instead of the full sort that
    :func:`~tinychat.core.sampling.run_pipeline` does, which keeps the cost per
    token near a millisecond. With top-k off the full pipeline runs.
    """

    ALTERNATIVES = 10

    def __init__(self, llm: llama_cpp.Llama, params: GenerationParams):
        self._sampling = sampling
        self.llm = llm
        self.params = params
        self.n_vocab = llm.n_vocab()
        self.vocab = llm._model.vocab
        self.greedy = params.temperature == 0
        self.k = int(params.top_k) if 0 < int(params.top_k) < self.n_vocab else 0
        self.index = 0
        self._pool: np.ndarray | None = None
        self._pieces: dict[int, str] = {}  # the same alternatives come back token after token

    def read(self, row: int = -1) -> np.ndarray:
        pointer = llama_cpp.llama_get_logits_ith(self.llm._ctx.ctx, row)
        return np.ctypeslib.as_array(pointer, shape=(self.n_vocab,)).copy()

    def piece(self, token: int) -> str:
        text = self._pieces.get(token)
        if text is None:
            text = self._pieces[token] = self._piece(token)
        return text

    def _piece(self, token: int) -> str:
        buffer = ctypes.create_string_buffer(64)
        n = llama_cpp.llama_token_to_piece(self.vocab, llama_cpp.llama_token(token), buffer, 64, 0, True)
        if n < 0:
            buffer = ctypes.create_string_buffer(-n)
            n = llama_cpp.llama_token_to_piece(self.vocab, llama_cpp.llama_token(token), buffer, -n, 0, True)
        data = buffer.raw[: max(0, n)]
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return "".join(f"<0x{b:02X}>" for b in data)

    def final_probs(self, logits: np.ndarray, reply: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """(ids, probabilities) of the distribution the draw used."""
        sampling = self._sampling
        recent = list(reply)[-sampling.DEFAULT_PENALTY_LAST_N :]
        penalise = bool(recent) and np.float32(self.params.repeat_penalty) != np.float32(1.0)
        if not self.k and not self.greedy:
            # Top-k off: the full pipeline (a sort of the whole vocabulary, a few ms).
            trace = sampling.run_pipeline(logits, self.params, recent)
            return trace.final.ids, trace.final.probs
        # The penalised top k lie among the raw top (k + number of penalised tokens)
        # and the penalised tokens themselves: only those scores change.
        penalised = np.asarray(sorted(set(recent)), dtype=np.int64) if penalise else np.zeros(0, dtype=np.int64)
        k = 1 if self.greedy else self.k
        m = min(max(k + penalised.size, self.ALTERNATIVES), self.n_vocab)
        pool = np.argpartition(logits, -m)[-m:] if m < self.n_vocab else np.arange(self.n_vocab)
        self._pool = pool  # the raw top ALTERNATIVES are among these
        if penalised.size:
            pool = np.union1d(pool, penalised)
        scores = logits[pool].astype(np.float32)
        if penalised.size:
            hit = np.isin(pool, penalised)
            p = np.float32(self.params.repeat_penalty)
            values = scores[hit]
            scores[hit] = np.where(values <= 0, values * p, values / p).astype(np.float32)
        if self.greedy:
            # Greedy: the highest penalised score is certain (lowest id first on a tie, as in vocabulary order).
            best = np.flatnonzero(scores == scores.max())
            return np.array([pool[best].min()]), np.ones(1, dtype=np.float32)
        return self._chain(pool, scores)

    def _chain(self, ids: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """top_k -> top_p -> min_p -> temperature -> dist on a few candidates, with the same float32
        steps as :func:`~tinychat.core.sampling.run_pipeline` (which the tests compare against);
        written out because the full trace's bookkeeping costs more than the model's step here."""
        params = self.params
        order = np.argsort(-x, kind="stable")[: self.k]
        ids, x = ids[order], x[order]
        if np.float32(params.top_p) < np.float32(1.0):
            w = np.exp((x - x[0]).astype(np.float32)).astype(np.float32)
            probs = (w / np.cumsum(w, dtype=np.float32)[-1]).astype(np.float32)
            reached = np.flatnonzero(np.cumsum(probs, dtype=np.float32) >= np.float32(params.top_p))
            last = int(reached[0]) + 1 if reached.size else ids.size
            ids, x = ids[:last], x[:last]
        if np.float32(params.min_p) > 0:
            keep = x >= np.float32(x[0]) + np.float32(np.log(np.float32(params.min_p)))
            keep[0] = True
            ids, x = ids[keep], x[keep]
        x = (x / np.float32(params.temperature)).astype(np.float32)
        if ids.size == 1:
            return ids, np.ones(1, dtype=np.float32)
        w = np.exp((x - x[0]).astype(np.float32)).astype(np.float32)
        return ids, (w.astype(np.float64) / float(np.cumsum(w.astype(np.float64))[-1])).astype(np.float32)

    def detail(self, logits: np.ndarray, token: int, reply: Sequence[int], text: str) -> TokenDetail:
        # Raw probabilities by log-sum-exp over the vocabulary (float32 exponentials, double sum).
        peak = np.float32(logits.max())
        log_total = float(peak) + float(np.log(np.exp(logits - peak).sum(dtype=np.float64)))
        n = self.ALTERNATIVES
        self._pool = None
        ids, probs = self.final_probs(logits, reply[:-1])
        pool = self._pool if self._pool is not None else np.argpartition(logits, -n)[-n:]
        top = pool[np.lexsort((pool, -logits[pool]))][:n]
        final = dict(zip(ids.tolist(), probs.tolist(), strict=True))
        alternatives = tuple(
            TokenAlternative(
                int(t), self.piece(int(t)), math.exp(float(logits[t]) - log_total), float(final.get(int(t), 0.0))
            )
            for t in top
        )
        detail = TokenDetail(
            index=self.index,
            token=int(token),
            piece=self.piece(int(token)),
            text=text,
            raw_prob=math.exp(float(logits[token]) - log_total),
            prob=float(final.get(int(token), 0.0)),
            alternatives=alternatives,
            greedy=self.greedy,
        )
        self.index += 1
        return detail


class _StopScanner:
    """Holds back text that could be the start of a stop sequence, so none is ever shown."""

    def __init__(self, stops: Sequence[str]):
        self.stops = [s for s in stops if s]
        self.pending = ""

    def feed(self, piece: str) -> tuple[str, bool]:
        if not self.stops:
            return piece, False
        self.pending += piece
        for stop in self.stops:
            index = self.pending.find(stop)
            if index >= 0:
                visible = self.pending[:index]
                self.pending = ""
                return visible, True
        keep = 0
        for stop in self.stops:
            for size in range(min(len(stop) - 1, len(self.pending)), 0, -1):
                if self.pending.endswith(stop[:size]):
                    keep = max(keep, size)
                    break
        visible = self.pending[: len(self.pending) - keep]
        self.pending = self.pending[len(self.pending) - keep :]
        return visible, False

    def flush(self) -> str:
        rest, self.pending = self.pending, ""
        return rest


def _offloaded_layers(load_log: list[tuple[int, str]]) -> tuple[int, int] | None:
    for _level, line in load_log:
        match = re.search(r"offloaded (\d+)/(\d+) layers to GPU", line)
        if match:
            return int(match.group(1)), int(match.group(2))
    return None


def _flash_attn_used(load_log: list[tuple[int, str]], llm: llama_cpp.Llama) -> bool:
    """Whether llama.cpp runs attention with the fused flash-attention kernel, as its load log says.

    Asked "auto", llama.cpp tries the kernel on each layer's device and logs
    "Flash Attention enabled" or "... not supported, set to disabled".
    """
    for _level, line in load_log:
        if "Flash Attention" in line:
            return "enabled" in line and "disabled" not in line
    return bool(llm.context_params.flash_attn_type == llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED)


def _load_failure_reason(load_log: list[tuple[int, str]]) -> str:
    """llama.cpp's first error line, without the C function names in front of it."""
    for level, line in load_log:
        if level >= logging.ERROR and line.strip():
            reason = re.sub(r"^\w+: ", "", line.strip())
            reason = re.sub(r"^(error loading model: )+", "", reason)
            return reason.rstrip(".")
    return ""
