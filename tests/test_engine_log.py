"""llama.cpp's log is collected per load, from the loading thread only."""

from __future__ import annotations

import sys
import threading

import gguf
import numpy as np
import pytest

from tinychat.core import engine as engine_module
from tinychat.core.engine import Engine, ModelLoadError, capture_llama_log

ERROR, INFO = 4, 2  # ggml's levels


def _log(level: int, text: str) -> None:
    # The very callback llama.cpp calls, called as llama.cpp does: on the thread that is loading.
    engine_module._on_llama_log(level, text.encode(), None)


def test_each_thread_collects_only_its_own_lines():
    both_capturing = threading.Barrier(2)
    both_logged = threading.Barrier(2)
    seen: dict[str, list[tuple[int, str]]] = {}

    def load(name: str) -> None:
        with capture_llama_log() as lines:
            both_capturing.wait(5)
            _log(INFO, f"{name}: offloaded 0/30 layers to GPU\n")
            _log(ERROR, f"{name}: error loading model\n")
            both_logged.wait(5)
        seen[name] = lines

    threads = [threading.Thread(target=load, args=(name,)) for name in ("a", "b")]
    for t in threads:
        t.start()
    _log(ERROR, "a line from a thread that is not loading\n")
    for t in threads:
        t.join(10)
    assert [line for _level, line in seen["a"]] == ["a: offloaded 0/30 layers to GPU\n", "a: error loading model\n"]
    assert [line for _level, line in seen["b"]] == ["b: offloaded 0/30 layers to GPU\n", "b: error loading model\n"]
    assert engine_module._load_logs == {}  # nothing left behind


def test_a_continued_line_takes_the_level_of_its_own_threads_last_line():
    with capture_llama_log() as lines:
        _log(ERROR, "error loading model: ")
        done = threading.Thread(target=lambda: _log(INFO, "another thread's info\n"))
        done.start()
        done.join()
        _log(5, "unknown model architecture\n")  # CONT
    assert [level for level, _line in lines] == [40, 40]  # logging.ERROR both


def _unknown_architecture(path):
    writer = gguf.GGUFWriter(str(path), "frobnicator")
    writer.add_block_count(1)
    writer.add_tensor("token_embd.weight", np.zeros((4, 8), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


@pytest.mark.model
def test_two_loads_at_once_each_get_their_own_outcome(starter_path, tmp_path):
    broken = _unknown_architecture(tmp_path / "odd.gguf")
    stderr_before = sys.stderr
    start = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def load(name, path):
        engine = Engine()
        start.wait(10)
        try:
            outcome[name] = engine.load(path, n_ctx=256)
        except ModelLoadError as exc:
            outcome[name] = exc
        finally:
            engine.close()

    threads = [
        threading.Thread(target=load, args=("good", starter_path)),
        threading.Thread(target=load, args=("bad", broken)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    good, bad = outcome["good"], outcome["bad"]
    assert not isinstance(good, Exception), good
    assert good.device == "CPU"
    assert isinstance(bad, ModelLoadError)
    assert "unknown model architecture: 'frobnicator'" in str(bad)
    # Both loads captured llama-cpp-python's prints; stderr is the process's own again.
    assert sys.stderr is stderr_before
