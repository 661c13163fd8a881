"""Where a model runs and how many threads it gets: GPU offload plans, thread counts, speed collapse.

The decisions are pure functions of what they are given (cores, load, free
GPU memory, the model's sizes, a list of token times), so the tests can try
any machine; the few functions that ask this machine (``cpu_counts``,
``backend_devices``) are kept apart from them.

GPU layers use one integer everywhere (settings, the Model box, ``Engine.load``):
``0`` none, ``N`` that many, :data:`GPU_ALL` (-1) all, :data:`GPU_AUTO` (-2)
as many as fit in the free GPU memory.
"""

from __future__ import annotations

import ctypes
import logging
import math
import os
from dataclasses import dataclass
from collections.abc import Sequence

from tinychat.core.gguf_info import GPU_OVERHEAD, format_bytes
from tinychat.core.i18n import translate

log = logging.getLogger("tinychat.hardware")

_CTX = "Hardware"

GPU_ALL = -1
GPU_AUTO = -2

#: What llama.cpp's compute buffers, the CUDA/Metal context and the output tensors
#: take on a GPU beyond the layers themselves; kept free when planning "auto".
GPU_RESERVE = GPU_OVERHEAD
GPU_RESERVE_FRACTION = 0.05

#: Flash attention as asked of llama.cpp: "auto" lets llama.cpp check, per device,
#: that its kernel runs where the layer runs (llama.cpp's own default).
FLASH_ATTN_CHOICES: tuple[str, ...] = ("auto", "on", "off")


# --- what this machine has ----------------------------------------------------


def cpu_counts() -> tuple[int, int]:
    """(physical cores, logical CPUs) this process may use."""
    import psutil

    logical = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    physical = psutil.cpu_count(logical=False) or logical
    # Under an affinity mask (a container, taskset) only part of the machine is ours.
    total_logical = psutil.cpu_count(logical=True) or logical
    if logical < total_logical:
        physical = max(1, round(physical * logical / total_logical))
    return max(1, physical), max(1, logical)


def load_average() -> float:
    """Runnable processes over the last minute (0.0 when the system does not say)."""
    import psutil

    try:
        return float(psutil.getloadavg()[0])
    except (OSError, AttributeError):
        return 0.0


@dataclass(frozen=True)
class Device:
    """One of llama.cpp's compute devices (ggml's backend registry)."""

    name: str
    description: str
    #: "cpu", "gpu", "igpu" (integrated, sharing the computer's memory), "accel" or "meta".
    kind: str
    free: int
    total: int

    @property
    def is_gpu(self) -> bool:
        return self.kind in ("gpu", "igpu")


_KINDS = {0: "cpu", 1: "gpu", 2: "igpu", 3: "accel", 4: "meta"}


def backend_devices() -> list[Device]:
    """The devices the installed llama.cpp can compute on, with their free memory; [] if it cannot say.

    llama-cpp-python does not wrap ggml's device registry, so it is read here
    through ctypes from the ggml library llama-cpp-python already loaded.
    """
    try:
        from llama_cpp import _ggml
    except ImportError:
        return []
    try:
        lib = ctypes.CDLL(_ggml.libggml._name)  # our own handle: argtypes set here stay here
        lib.ggml_backend_dev_count.restype = ctypes.c_size_t
        lib.ggml_backend_dev_get.argtypes = [ctypes.c_size_t]
        lib.ggml_backend_dev_get.restype = ctypes.c_void_p
        for name in ("ggml_backend_dev_name", "ggml_backend_dev_description"):
            getattr(lib, name).argtypes = [ctypes.c_void_p]
            getattr(lib, name).restype = ctypes.c_char_p
        lib.ggml_backend_dev_type.argtypes = [ctypes.c_void_p]
        lib.ggml_backend_dev_type.restype = ctypes.c_int
        lib.ggml_backend_dev_memory.argtypes = [
            ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t), ctypes.POINTER(ctypes.c_size_t)
        ]
        lib.ggml_backend_dev_memory.restype = None
        devices = []
        for index in range(lib.ggml_backend_dev_count()):
            dev = lib.ggml_backend_dev_get(index)
            free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
            lib.ggml_backend_dev_memory(dev, ctypes.byref(free), ctypes.byref(total))
            devices.append(
                Device(
                    name=(lib.ggml_backend_dev_name(dev) or b"").decode("utf-8", "replace"),
                    description=(lib.ggml_backend_dev_description(dev) or b"").decode("utf-8", "replace"),
                    kind=_KINDS.get(lib.ggml_backend_dev_type(dev), "other"),
                    free=int(free.value),
                    total=int(total.value),
                )
            )
        return devices
    except (OSError, AttributeError) as exc:  # an older or unusual build without the registry
        log.info("ggml's device list could not be read: %s", exc)
        return []


def gpu_devices() -> list[Device]:
    return [d for d in backend_devices() if d.is_gpu]


def supports_gpu_offload() -> bool:
    """Whether the installed llama.cpp build can run layers on a GPU (CUDA, Metal, Vulkan...)."""
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())


def free_gpu_memory(devices: Sequence[Device] | None = None) -> int | None:
    """Free memory over all GPUs (llama.cpp splits layers between them); None when there is no GPU."""
    gpus = [d for d in (gpu_devices() if devices is None else devices) if d.is_gpu]
    return sum(d.free for d in gpus) if gpus else None


# --- GPU layers ------------------------------------------------------------------


@dataclass(frozen=True)
class OffloadPlan:
    #: What to ask llama.cpp for.
    n_gpu_layers: int
    #: One sentence about a change from what was asked ("" when there is none).
    note: str = ""


def offloadable_layers(n_layers: int) -> int:
    """llama.cpp offloads the repeating layers and then the output layer: ``n_layers + 1`` in all."""
    return n_layers + 1


def _layers_bytes(layers: int, n_layers: int, weights: int, kv_cache: int) -> float:
    """GPU memory of the first ``layers`` offloaded layers: an even share of the weights each (a fair
    guess for the models TinyChat runs), and the KV cache on the repeating layers only."""
    share = weights / offloadable_layers(n_layers)
    return layers * share + (min(layers, n_layers) * kv_cache / n_layers if n_layers else 0)


def layers_that_fit(free: int, n_layers: int, weights: int, kv_cache: int) -> int:
    """How many of the offloadable layers fit in ``free`` bytes of GPU memory, keeping a reserve."""
    usable = free - GPU_RESERVE - int(GPU_RESERVE_FRACTION * free)
    if usable <= 0 or n_layers <= 0:
        return 0
    fit = 0
    while fit < offloadable_layers(n_layers) and _layers_bytes(fit + 1, n_layers, weights, kv_cache) <= usable:
        fit += 1
    return fit


def plan_offload(  # noqa: PLR0911 - one return per case, each with its own sentence
    requested: int,
    *,
    n_layers: int,
    supports_gpu: bool,
    free_vram: int | None,
    weights: int,
    kv_cache: int,
) -> OffloadPlan:
    """What to ask llama.cpp for when ``requested`` GPU layers were chosen (see the module's doc)."""
    if requested == 0:
        return OffloadPlan(0)
    if not supports_gpu:
        if requested == GPU_AUTO:
            return OffloadPlan(0, translate(
                _CTX, "Automatic GPU layers: this llama.cpp build has no GPU support, so the model runs on the CPU."
            ))
        return OffloadPlan(0, translate(
            _CTX,
            "GPU layers were asked for, but this llama.cpp build has no GPU support, so the model runs on the CPU; "
            "the README says how to install a GPU build.",
        ))
    total = offloadable_layers(n_layers)
    if requested == GPU_AUTO:
        if free_vram is None:
            return OffloadPlan(0, translate(
                _CTX, "Automatic GPU layers: llama.cpp found no GPU on this computer, so the model runs on the CPU."
            ))
        fit = layers_that_fit(free_vram, n_layers, weights, kv_cache)
        if fit == 0:
            return OffloadPlan(0, translate(
                _CTX,
                "Automatic GPU layers: the GPU has {free} free, not enough for any layer of this model, so it runs "
                "on the CPU.",
            ).format(free=format_bytes(free_vram)))
        if fit < total:
            return OffloadPlan(fit, translate(
                _CTX,
                "Automatic GPU layers: {fit} of the model's {total} layers fit in the GPU's {free} of free memory; "
                "the rest run on the CPU.",
            ).format(fit=fit, total=total, free=format_bytes(free_vram)))
        return OffloadPlan(total)
    if requested == GPU_ALL:
        return OffloadPlan(total)
    if requested > total:
        return OffloadPlan(total, translate(
            _CTX, "This model has {total} layers, so all {total} run on the GPU ({asked} were asked for)."
        ).format(total=total, asked=requested))
    return OffloadPlan(requested)


_OOM_MARKERS = (
    "out of memory", "failed to allocate", "unable to allocate", "cudaMalloc failed", "ErrorOutOfDeviceMemory"
)


def is_out_of_memory(lines: Sequence[str]) -> bool:
    """Whether llama.cpp's log of a failed load says that a buffer could not be allocated."""
    return any(marker.lower() in line.lower() for line in lines for marker in _OOM_MARKERS)


def out_of_memory_note(needed: int, layers: int, free_vram: int | None) -> str:
    if free_vram is None:
        return translate(
            _CTX,
            "The GPU ran out of memory with {layers} layers on it (about {needed} needed), so the model runs on "
            "the CPU; choose fewer GPU layers or Automatic.",
        ).format(layers=layers, needed=format_bytes(needed))
    return translate(
        _CTX,
        "The GPU ran out of memory with {layers} layers on it (about {needed} needed, {free} free), so the model "
        "runs on the CPU; choose fewer GPU layers or Automatic.",
    ).format(layers=layers, needed=format_bytes(needed), free=format_bytes(free_vram))


def gpu_bytes_needed(layers: int, n_layers: int, weights: int, kv_cache: int) -> int:
    """About how much GPU memory ``layers`` offloaded layers take, reserve included."""
    layers = min(max(layers, 0), offloadable_layers(n_layers))
    return int(_layers_bytes(layers, n_layers, weights, kv_cache)) + GPU_RESERVE


# --- threads ----------------------------------------------------------------------


def choose_threads(physical: int, logical: int, load: float) -> int:
    """llama.cpp's thread count for a machine with these cores, while ``load`` other threads want to run.

    llama.cpp's threads wait for each other at every step, so one thread that
    the system deschedules holds all of them up: with one of two cores busy,
    two threads ran at 0.3-1.7 tokens/s where one ran at 46. So the count is
    the physical cores (hyper-threads share a core's arithmetic units and
    only add waiting) less those other programs keep busy, and one core is
    left to the window on machines with more than four.
    """
    physical = max(1, min(physical, logical))
    busy = max(0, math.floor(load + 0.25))  # a load of 0.8 is a program on a core; 0.3 is noise
    threads = physical - busy
    if physical > 4:
        threads = min(threads, physical - 1)
    return max(1, threads)


def default_threads() -> int:
    """Threads for llama.cpp: ``TINYCHAT_THREADS`` if set, else :func:`choose_threads` for this machine now."""
    wanted = os.environ.get("TINYCHAT_THREADS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    physical, logical = cpu_counts()
    return choose_threads(physical, logical, load_average())


# --- speed collapse ---------------------------------------------------------------

#: Tokens per measuring window: long enough to smooth one slow token, short enough to react within a reply.
SPEED_WINDOW = 8
#: A window this much slower than the session's best means the threads are waiting for each other.
COLLAPSE_RATIO = 0.25


#: The OpenMP runtime llama.cpp's CPU backend is built with on Linux (GCC), when it is loaded.
_OPENMP_LIBRARY = "libgomp.so.1"
_openmp: ctypes.CDLL | None | bool = False  # False: not looked for yet
OMP_PAUSE_SOFT = 1


def _openmp_runtime() -> ctypes.CDLL | None:
    """libgomp, if this process has already loaded it (llama.cpp did); never loads it."""
    global _openmp  # noqa: PLW0603 - looked up once per process
    if _openmp is False:
        try:
            # RTLD_NOLOAD: only a library already in the process (llama.cpp's), never a new one.
            _openmp = ctypes.CDLL(_OPENMP_LIBRARY, mode=getattr(os, "RTLD_NOLOAD", 4) | os.RTLD_LOCAL)
            if not hasattr(_openmp, "omp_pause_resource_all"):  # libgomp before GCC 9
                _openmp = None
        except OSError:
            _openmp = None
    return _openmp if isinstance(_openmp, ctypes.CDLL) else None


def release_worker_threads() -> bool:
    """End this thread's llama.cpp worker threads until its next computation; False where that cannot be done.

    llama.cpp's CPU backend runs each computation on OpenMP threads, and GCC's
    OpenMP keeps them for every thread that ever computed (the window's model
    thread, the speed report's, a lesson's...). Once it manages more threads
    than the machine has cores, it stops spinning while its threads wait for
    each other and puts them to sleep at every step instead: measured here
    with two such threads alive on 2 cores, 2-thread generation fell from 69
    to 28 tokens/s even when only one of them was working
    (benchmarks/bench_worker_threads.py).
    ``omp_pause_resource_all`` frees the calling thread's OpenMP threads
    (libgomp frees only the caller's pool); the next computation on this
    thread creates them again, once per reply (about a tenth of a millisecond).
    Only GCC's libgomp is handled: LLVM's runtime pauses every thread of the
    process, which would stop another thread in the middle of a reply, and
    macOS and Windows builds of llama.cpp use their own thread pool.
    """
    runtime = _openmp_runtime()
    if runtime is None:
        return False
    return int(runtime.omp_pause_resource_all(OMP_PAUSE_SOFT)) == 0


def window_rates(times: Sequence[float], window: int = SPEED_WINDOW) -> list[float]:
    """Tokens per second over each run of ``window`` token intervals (``times``: when each token came)."""
    rates = []
    for end in range(window, len(times)):
        span = times[end] - times[end - window]
        if span > 0:
            rates.append(window / span)
    return rates


def collapsed(
    times: Sequence[float], reference: float, window: int = SPEED_WINDOW, ratio: float = COLLAPSE_RATIO
) -> bool:
    """Whether the last ``window`` tokens came far slower (below ``ratio``) than the ``reference`` tokens/s."""
    if reference <= 0 or len(times) <= window:
        return False
    span = times[-1] - times[-1 - window]
    return span > 0 and window / span < ratio * reference


class SpeedWatch:
    """Watches the replies of one loaded model for a thread collapse.

    The reference is the model's own best speed in this session (the fastest
    window of tokens seen so far), so no figure from another machine is
    needed. ``tick()`` is the token loop's only cost: one append.

    Only the model's own time counts: ``tick(at)`` marks a token coming out of
    the model and ``pause(at)`` the loop taking it back after handing it to the
    window (which may wait on purpose: the classroom's read-along pace); the
    time between the two is left out, so a slowed display is never taken for a
    busy processor.
    """

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self.best = 0.0
        self.times: list[float] = []
        self._handed_total = 0.0
        self._ticked_at: float | None = None

    def start(self) -> None:
        self.times = []
        self._handed_total = 0.0
        self._ticked_at = None

    def tick(self, at: float) -> None:
        """A token came out of the model at ``at``."""
        self.times.append(at - self._handed_total)
        self._ticked_at = at

    def pause(self, at: float) -> None:
        """The window gave the token back at ``at``: the time since its tick was not the model's."""
        if self._ticked_at is not None:
            self._handed_total += max(0.0, at - self._ticked_at)
            self._ticked_at = None

    def finish(self) -> tuple[int, str] | None:
        """At the end of a reply: (fewer threads, a sentence why) when the reply collapsed, else None."""
        rates = window_rates(self.times)
        if rates:
            best_here = max(rates)
            reference = max(self.best, best_here)
            fell = collapsed(self.times, reference)
            self.best = reference
        else:
            fell = False
        if not fell or self.threads <= 1:
            return None
        last = SPEED_WINDOW / (self.times[-1] - self.times[-1 - SPEED_WINDOW])
        fewer = max(1, self.threads // 2)
        note = translate(
            _CTX,
            "Replies slowed to {now} tokens/s, far below the {best} this model reached earlier: another program is "
            "busy on the processor, so TinyChat lowers its threads from {threads} to {fewer}.",
        ).format(now=f"{last:.1f}", best=f"{self.best:.1f}", fewer=fewer, threads=self.threads)
        self.threads = fewer
        return fewer, note
