"""A/B compare on the real starter model."""

from __future__ import annotations

import pytest

from tinychat.core.params import GenerationParams
from tinychat.gui.ab_compare import ABCompareWindow

pytestmark = pytest.mark.model


def test_two_columns_same_seed(qtbot, starter_path, tmp_path):
    params = GenerationParams(temperature=0.9, top_k=40, top_p=0.95, seed=5, max_new_tokens=20)
    window = ABCompareWindow(starter_path, "Write one sentence about the sea.", params=params)
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(
            lambda: window.a.controller.info is not None and window.b.controller.info is not None, timeout=60000
        )
        # Same parameters on both sides: the same text.
        window.b.rows["temperature"].set_value(0.9)
        with qtbot.waitSignal(window.bothFinished, timeout=60000):
            window.run()
        a, b = window.a.result, window.b.result
        assert a.text and a.text == b.text
        assert window.a.output.toPlainText() == a.text
        assert "tokens/s" in window.a.stats.text()
        # A much higher temperature on B: a different text from the same seed.
        window.b.rows["temperature"].set_value(2.0)
        window.b.rows["top_k"].set_value(0)
        window.b.rows["top_p"].set_value(1.0)
        window.b.rows["min_p"].set_value(0.0)
        with qtbot.waitSignal(window.bothFinished, timeout=60000):
            window.run()
        assert window.a.result.text == a.text
        assert window.b.result.text != a.text
        assert window.b.result.seed == window.a.result.seed
        window.show()
        assert window.grab().save(str(tmp_path / "ab.png"))
    finally:
        window.shutdown()


def test_missing_model_is_a_sentence(qtbot, tmp_path):
    window = ABCompareWindow(tmp_path / "none.gguf", "Hello")
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: not window.a.controller.loading, timeout=10000)
        with qtbot.waitSignal(window.bothFinished, timeout=10000):
            window.run()
        assert "does not exist" in window.a.stats.text() or "No model" in window.a.stats.text()
    finally:
        window.shutdown()


def test_columns_name_the_model_as_the_catalog_does_and_print_nothing(qtbot, capfd, starter_path, tmp_path):
    window = ABCompareWindow(starter_path, "Hello")
    qtbot.addWidget(window)
    try:
        # Both columns load at once: neither may print llama.cpp's metadata to the terminal.
        qtbot.waitUntil(
            lambda: window.a.controller.info is not None and window.b.controller.info is not None, timeout=60000
        )
        assert window.a.model_label.text() == "SmolLM2-135M-Instruct"  # the catalog's name, not general.name
        other = tmp_path / "my-own-model.gguf"
        other.symlink_to(starter_path)  # not in the catalog: named by its file
        with qtbot.waitSignal(window.b.controller.modelLoaded, timeout=60000):
            window.b.load(str(other))
        assert window.b.model_label.text() == "my-own-model"
        out, err = capfd.readouterr()
        assert "metadata" not in (out + err).lower() and "general.name" not in out + err
    finally:
        window.shutdown()
