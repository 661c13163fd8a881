"""GPU offload plans, thread counts and the speed-collapse check, as pure functions of the machine they are given."""

import pytest

from tinychat.core import hardware
from tinychat.core.hardware import (
    GPU_ALL,
    GPU_AUTO,
    Device,
    SpeedWatch,
    choose_threads,
    collapsed,
    layers_that_fit,
    plan_offload,
    window_rates,
)

GB = 1024**3
# A 1.1B model at Q4 with 22 repeating layers: 640 MB of weights, 88 MB of KV cache at 2048 tokens.
MODEL = {"n_layers": 22, "weights": 640 * 1024**2, "kv_cache": 88 * 1024**2}


# -- GPU layers ------------------------------------------------------------------


def test_no_gpu_layers_asked_means_none_and_nothing_to_say():
    assert plan_offload(0, supports_gpu=True, free_vram=8 * GB, **MODEL) == hardware.OffloadPlan(0, "")
    assert plan_offload(0, supports_gpu=False, free_vram=None, **MODEL) == hardware.OffloadPlan(0, "")


@pytest.mark.parametrize("asked", [GPU_ALL, 5, 999])
def test_a_cpu_only_build_runs_on_the_cpu_and_says_why_in_one_sentence(asked):
    plan = plan_offload(asked, supports_gpu=False, free_vram=None, **MODEL)
    assert plan.n_gpu_layers == 0
    assert "no GPU support" in plan.note and "README" in plan.note
    assert plan.note.count(". ") == 0 and plan.note.endswith(".")


def test_automatic_on_a_cpu_only_build_is_zero_with_the_reason():
    plan = plan_offload(GPU_AUTO, supports_gpu=False, free_vram=None, **MODEL)
    assert plan == hardware.OffloadPlan(
        0, "Automatic GPU layers: this llama.cpp build has no GPU support, so the model runs on the CPU."
    )


def test_automatic_with_a_gpu_build_but_no_gpu_found_runs_on_the_cpu():
    plan = plan_offload(GPU_AUTO, supports_gpu=True, free_vram=None, **MODEL)
    assert plan.n_gpu_layers == 0 and "found no GPU" in plan.note


def test_more_layers_than_the_model_has_are_clamped_with_a_note():
    plan = plan_offload(999, supports_gpu=True, free_vram=8 * GB, **MODEL)
    assert plan.n_gpu_layers == 23  # 22 repeating layers and the output layer
    assert plan.note == "This model has 23 layers, so all 23 run on the GPU (999 were asked for)."
    assert plan_offload(23, supports_gpu=True, free_vram=8 * GB, **MODEL) == hardware.OffloadPlan(23, "")
    assert plan_offload(GPU_ALL, supports_gpu=True, free_vram=8 * GB, **MODEL) == hardware.OffloadPlan(23, "")
    assert plan_offload(7, supports_gpu=True, free_vram=None, **MODEL) == hardware.OffloadPlan(7, "")


def test_automatic_offloads_everything_when_the_model_fits():
    assert plan_offload(GPU_AUTO, supports_gpu=True, free_vram=8 * GB, **MODEL) == hardware.OffloadPlan(23, "")


def test_automatic_offloads_what_fits_in_the_free_memory_and_says_so():
    free = GB  # 1 GiB free: the reserve leaves about 460 MiB, about 30 MiB a layer
    plan = plan_offload(GPU_AUTO, supports_gpu=True, free_vram=free, **MODEL)
    assert 0 < plan.n_gpu_layers < 23
    assert plan.n_gpu_layers == layers_that_fit(free, 22, MODEL["weights"], MODEL["kv_cache"])
    assert f"{plan.n_gpu_layers} of the model's 23 layers fit" in plan.note
    # The planned layers fit in what is left after the reserve; one more would not.
    usable = free - hardware.GPU_RESERVE - int(hardware.GPU_RESERVE_FRACTION * free)
    per_layer = MODEL["weights"] / 23 + MODEL["kv_cache"] / 22
    assert plan.n_gpu_layers * per_layer <= usable < (plan.n_gpu_layers + 1) * per_layer


def test_automatic_with_a_nearly_full_gpu_runs_on_the_cpu():
    plan = plan_offload(GPU_AUTO, supports_gpu=True, free_vram=300 * 1024**2, **MODEL)
    assert plan.n_gpu_layers == 0 and "not enough for any layer" in plan.note


def test_free_memory_adds_up_over_gpus_only():
    devices = [
        Device("CPU", "Xeon", "cpu", 64 * GB, 64 * GB),
        Device("CUDA0", "RTX", "gpu", 3 * GB, 8 * GB),
        Device("CUDA1", "RTX", "gpu", 2 * GB, 8 * GB),
    ]
    assert hardware.free_gpu_memory(devices) == 5 * GB
    assert hardware.free_gpu_memory(devices[:1]) is None


def test_out_of_memory_is_recognised_in_llama_cpps_log_and_reported_with_sizes():
    assert hardware.is_out_of_memory(["ggml_backend_cuda_buffer_type_alloc_buffer: allocating 5120.00 MiB on "
                                      "device 0: cudaMalloc failed: out of memory"])
    assert not hardware.is_out_of_memory(["llama_model_load: error loading model: unknown model architecture"])
    needed = hardware.gpu_bytes_needed(23, 22, MODEL["weights"], MODEL["kv_cache"])
    assert needed == MODEL["weights"] + MODEL["kv_cache"] + hardware.GPU_RESERVE
    note = hardware.out_of_memory_note(needed, 23, 512 * 1024**2)
    assert note == (
        "The GPU ran out of memory with 23 layers on it (about 1.3 GB needed, 536.9 MB free), so the model runs on "
        "the CPU; choose fewer GPU layers or Automatic."
    )


def test_this_machines_devices_include_the_cpu():
    devices = hardware.backend_devices()
    assert any(d.kind == "cpu" for d in devices)
    if not hardware.supports_gpu_offload():
        assert hardware.free_gpu_memory(devices) is None


# -- threads -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("physical", "logical", "load", "expected"),
    [
        (2, 2, 0.0, 2),  # an idle 2-core machine: both
        (2, 2, 1.0, 1),  # another program on one core: one thread, not two waiting for each other
        (2, 2, 0.8, 1),  # a busy browser tab, averaged over a minute
        (2, 2, 0.3, 2),  # noise
        (2, 2, 6.0, 1),  # a crowded machine: still one
        (4, 8, 0.0, 4),  # hyper-threads add nothing: physical cores only
        (4, 8, 1.2, 3),
        (8, 16, 0.0, 7),  # more than four cores: one is left to the window
        (8, 16, 3.0, 5),
        (1, 1, 0.0, 1),
        (4, 2, 0.0, 2),  # an affinity mask smaller than the cores counted
    ],
)
def test_threads_follow_physical_cores_and_the_load(physical, logical, load, expected):
    assert choose_threads(physical, logical, load) == expected


def test_tinychat_threads_overrides_the_choice(monkeypatch):
    monkeypatch.setenv("TINYCHAT_THREADS", "3")
    assert hardware.default_threads() == 3
    monkeypatch.setenv("TINYCHAT_THREADS", "many")
    physical, logical = hardware.cpu_counts()
    assert 1 <= hardware.default_threads() <= physical <= logical


# -- speed collapse --------------------------------------------------------------------


def steady(n, rate, start=0.0):
    return [start + i / rate for i in range(n)]


def test_window_rates_measure_tokens_per_second():
    assert window_rates(steady(20, 50.0), window=8) == pytest.approx([50.0] * 12)
    assert window_rates(steady(5, 50.0), window=8) == []


def test_a_steady_reply_has_not_collapsed():
    times = steady(40, 46.0)
    assert not collapsed(times, reference=46.0)
    assert not collapsed(times, reference=60.0)  # somewhat slower is not a collapse


def test_a_reply_that_falls_to_a_few_tokens_per_second_has_collapsed():
    fast = steady(20, 46.0)
    slow = steady(12, 1.0, start=fast[-1] + 1.0)
    assert collapsed(fast + slow, reference=46.0)
    # One slow token in a window of eight is a hiccup, not a collapse.
    hiccup = [*fast, fast[-1] + 0.5, *steady(8, 46.0, start=fast[-1] + 0.52)]
    assert not collapsed(hiccup, reference=46.0)
    assert not collapsed(steady(6, 0.5), reference=46.0)  # too few tokens to tell


def test_the_watch_halves_the_threads_after_a_collapse_and_says_why():
    watch = SpeedWatch(threads=2)
    watch.start()
    for at in steady(30, 46.0):
        watch.tick(at)
    assert watch.finish() is None and watch.best == pytest.approx(46.0)
    watch.start()
    for at in steady(20, 0.9):  # the next reply, with another program busy on a core
        watch.tick(at)
    fewer, note = watch.finish()
    assert (fewer, watch.threads) == (1, 1)
    assert "0.9 tokens/s" in note and "46.0" in note and "lowers its threads from 2 to 1" in note
    # At one thread there is nothing left to take away.
    watch.start()
    for at in steady(20, 0.9):
        watch.tick(at)
    assert watch.finish() is None


def test_a_display_slowed_on_purpose_is_not_a_collapse():
    """The classroom's read-along pace holds each token in the window's hand-off, not in the model:
    the watch leaves that wait out, so a reply shown at 2 tokens/s keeps its threads."""
    watch = SpeedWatch(threads=2)
    watch.start()
    for at in steady(30, 46.0):
        watch.tick(at)
    assert watch.finish() is None
    watch.start()
    at = 100.0
    for _ in range(30):  # the model takes 1/46 s a token; the window then holds it for half a second
        at += 1 / 46.0
        watch.tick(at)
        at += 0.5
        watch.pause(at)
    assert watch.finish() is None and watch.threads == 2
    assert watch.best == pytest.approx(46.0)  # the model's own speed, neither more nor less
    # Without the hand-off marked, the same times read as a collapse.
    watch.start()
    at = 200.0
    for _ in range(30):
        at += 1 / 46.0 + 0.5
        watch.tick(at)
    assert watch.finish() is not None


def test_a_collapse_while_the_window_is_quick_is_still_seen():
    """The hand-off is left out, never the model's own time: a slow model with a quick window collapses."""
    watch = SpeedWatch(threads=2)
    watch.start()
    at = 0.0
    for _ in range(30):
        at += 1 / 46.0
        watch.tick(at)
        at += 0.001
        watch.pause(at)
    assert watch.finish() is None and watch.best == pytest.approx(46.0, rel=0.1)
    watch.start()
    for _ in range(20):
        at += 1 / 0.9  # another program busy on a core
        watch.tick(at)
        at += 0.001
        watch.pause(at)
    assert watch.finish() is not None and watch.threads == 1
