"""Where the model runs and with how many threads, read back from llama.cpp itself on the starter model."""

import llama_cpp
import pytest

from tinychat.core import hardware
from tinychat.core.engine import Engine, ModelLoadError, supports_gpu_offload
from tinychat.core.params import GenerationParams

pytestmark = pytest.mark.model

QUESTION = [{"role": "user", "content": "Count from one to forty, in words, separated by commas."}]
GREEDY = GenerationParams(temperature=0.0, max_new_tokens=24, seed=7)
# SmolLM2-135M: 30 repeating layers and the output layer.
STARTER_LAYERS = 31


@pytest.fixture
def fresh_engine():
    engine = Engine()
    yield engine
    engine.close()


def test_threads_batch_and_flash_attention_reach_llama_cpp(fresh_engine, starter_path):
    info = fresh_engine.load(starter_path, n_ctx=512, n_threads=2, n_batch=64, flash_attn="on")
    ctx = fresh_engine.llm._ctx.ctx
    assert llama_cpp.llama_n_threads(ctx) == llama_cpp.llama_n_threads_batch(ctx) == 2 == info.n_threads
    assert llama_cpp.llama_n_batch(ctx) == llama_cpp.llama_n_ubatch(ctx) == 64 == info.n_batch
    assert info.flash_attn is True and info.flash_attn_asked == "on"
    assert fresh_engine.llm.context_params.flash_attn_type == llama_cpp.LLAMA_FLASH_ATTN_TYPE_ENABLED
    info = fresh_engine.load(starter_path, n_ctx=512, n_threads=1, flash_attn="off")
    assert llama_cpp.llama_n_threads(fresh_engine.llm._ctx.ctx) == 1 and info.n_batch == 512
    assert info.flash_attn is False
    assert fresh_engine.llm.context_params.flash_attn_type == llama_cpp.LLAMA_FLASH_ATTN_TYPE_DISABLED


def test_automatic_flash_attention_is_llama_cpps_choice_and_the_cpu_kernel_is_taken(fresh_engine, starter_path):
    # The same choice as llama-bench's default, so that the speed report compares like with like.
    info = fresh_engine.load(starter_path, n_ctx=512, n_threads=1, n_gpu_layers=hardware.GPU_AUTO)
    assert info.flash_attn_asked == "auto"
    assert fresh_engine.llm.context_params.flash_attn_type == llama_cpp.LLAMA_FLASH_ATTN_TYPE_AUTO
    if not info.gpu_layers:
        assert info.flash_attn is True  # llama.cpp's CPU backend has the kernel


def test_a_bad_flash_attention_value_is_one_sentence_and_keeps_the_model(fresh_engine, starter_path):
    fresh_engine.load(starter_path, n_ctx=512, n_threads=1)
    with pytest.raises(ModelLoadError, match="auto, on or off") as caught:
        fresh_engine.load(starter_path, flash_attn="fast")
    assert caught.value.kept is fresh_engine.info and fresh_engine.loaded


def test_gpu_layers_reach_llama_cpp(fresh_engine, starter_path):
    info = fresh_engine.load(starter_path, n_ctx=512, n_threads=1, n_gpu_layers=5)
    asked_of_llama = fresh_engine.llm.model_params.n_gpu_layers
    if supports_gpu_offload():
        assert asked_of_llama == 5 == info.gpu_layers and info.device.startswith("GPU: 5/31")
    else:
        assert asked_of_llama == 0 and info.gpu_layers == 0
        assert info.gpu_layers_asked == 5


@pytest.mark.skipif(supports_gpu_offload(), reason="the CPU-only build's sentences")
def test_gpu_asked_of_a_cpu_only_build_loads_on_the_cpu_and_says_why(fresh_engine, starter_path):
    info = fresh_engine.load(starter_path, n_ctx=512, n_threads=1, n_gpu_layers=hardware.GPU_ALL)
    assert info.gpu_layers == 0 and fresh_engine.llm.model_params.n_gpu_layers == 0
    assert info.notes == (
        "GPU layers were asked for, but this llama.cpp build has no GPU support, so the model runs on the CPU; "
        "the README says how to install a GPU build.",
    )
    info = fresh_engine.load(starter_path, n_ctx=512, n_threads=1, n_gpu_layers=hardware.GPU_AUTO)
    assert info.gpu_layers == 0
    assert info.notes == (
        "Automatic GPU layers: this llama.cpp build has no GPU support, so the model runs on the CPU.",
    )
    assert info.backend == "CPU"
    info = fresh_engine.load(starter_path, n_ctx=512, n_threads=1)
    assert info.notes == () and info.device == "CPU"


@pytest.mark.skipif(not supports_gpu_offload(), reason="needs a GPU build of llama-cpp-python")
def test_on_a_gpu_build_all_and_too_many_layers_offload_the_whole_model(fresh_engine, starter_path):
    info = fresh_engine.load(starter_path, n_ctx=512, n_threads=1, n_gpu_layers=999)
    assert fresh_engine.llm.model_params.n_gpu_layers == STARTER_LAYERS == info.gpu_layers
    assert info.notes == ("This model has 31 layers, so all 31 run on the GPU (999 were asked for).",)
    info = fresh_engine.load(starter_path, n_ctx=512, n_threads=1, n_gpu_layers=hardware.GPU_AUTO)
    assert info.gpu_layers == STARTER_LAYERS and info.notes == () and info.backend != "CPU"
    result = fresh_engine.generate(QUESTION, GREEDY)
    assert result.text and result.stats.device.startswith("GPU")


def test_a_collapsed_reply_lowers_the_threads_for_the_next_one(fresh_engine, starter_path):
    fresh_engine.load(starter_path, n_ctx=512, n_threads=2)
    first = fresh_engine.generate(QUESTION, GREEDY)
    assert first.stats.threads == 2 and first.note == ""
    assert first.stats.completion_tokens > hardware.SPEED_WINDOW
    # As if an earlier reply had run a thousand times faster than this one: this one collapsed.
    fresh_engine._speed.best = 1000 * first.stats.tokens_per_s
    second = fresh_engine.generate(QUESTION, GREEDY)
    assert second.stats.threads == 2
    assert "TinyChat lowers its threads from 2 to 1" in second.note
    assert llama_cpp.llama_n_threads(fresh_engine.llm._ctx.ctx) == 1 == fresh_engine.info.n_threads
    third = fresh_engine.generate(QUESTION, GREEDY)
    assert third.stats.threads == 1 and third.note == ""
    # Fewer threads do not change what the model writes.
    assert first.text == second.text == third.text
