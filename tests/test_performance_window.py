"""The Performance window: a quick speed report measured, shown, explained and exported, from the Help menu."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tinychat.core import speed
from tinychat.core.llama_tools import ENV_TOOLS_DIR
from tinychat.gui.performance_window import PerformanceWindow


@pytest.fixture
def no_llama_bench(tmp_path, monkeypatch):
    """Keep each report short: llama-bench is left out (its own test is in test_speed.py)."""
    empty = tmp_path / "no-tools"
    empty.mkdir()
    monkeypatch.setenv(ENV_TOOLS_DIR, str(empty))
    monkeypatch.setenv(
        "PATH",
        os.pathsep.join(
            d for d in os.environ.get("PATH", "").split(os.pathsep) if d and not (Path(d) / "llama-bench").exists()
        ),
    )


def test_without_a_model_it_says_what_to_do(qtbot):
    window = PerformanceWindow(None)
    qtbot.addWidget(window)
    assert not window.measure_button.isEnabled()
    assert window.status.text() == "No model to measure. Load a model first, then open this again."
    assert not window.png_button.isEnabled() and not window.json_button.isEnabled()


@pytest.mark.model
def test_quick_report_from_the_help_menu(qtbot, tmp_path, starter_path, no_llama_bench):
    from tinychat.gui.main_window import MainWindow

    main = MainWindow(None)
    qtbot.addWidget(main)
    assert main.performance_action in main.help_menu.actions()
    main.performance_action.trigger()
    window = main.performance_window
    assert isinstance(window, PerformanceWindow) and window.isVisible()
    assert window.model_path == starter_path  # no model loaded: the starter
    # The explanation links the glossary's terms.
    for term in ("parameters", "quantization", "memory_bandwidth", "gpu_offload"):
        assert f'href="glossary:{term}"' in window.intro.text()

    window.quick_box.setChecked(True)
    progress = []
    window.start()
    assert window.running and window.stop_button.isEnabled() and not window.measure_button.isEnabled()
    qtbot.waitUntil(lambda: (progress.append(window.progress.value()) or not window.running), timeout=600_000)
    assert window.last_error == ""
    report = window.report
    assert report is not None and speed.missing_fields(report) == []
    assert report["generation"]["window"]["runs"], "the window's path was measured"
    assert window.progress.value() == 100 and max(progress) > 0
    # The measured reply streamed through the window's own view, and the chart and figures show the report.
    assert "lighthouse" in window.live_view.toPlainText()
    assert window.chart.accessibleDescription().startswith("Through the window: ")
    assert "Window ÷ bare llama-cpp-python: " in window.figures.text()
    assert "build-tools" in window.figures.text()  # llama-bench missing: said, with how to build it
    assert 'href="glossary:memory_bandwidth"' in window.explanation.text()
    assert window.stop_button.isEnabled() is False and window.measure_button.isEnabled()

    # A glossary link opens the main window's glossary at that term.
    window.explanation.linkActivated.emit("glossary:quantization")
    assert main.glossary.isVisible()

    png, data = tmp_path / "chart.png", tmp_path / "report.json"
    assert window.export_png(png)
    image = QImage(str(png))
    assert image.width() >= 1200 and image.height() >= 800
    window.export_json(data)
    assert json.loads(data.read_text(encoding="utf-8")) == json.loads(json.dumps(report))

    # Classroom mode (F5 works in this window too) enlarges the chart's text for a projector.
    before = window.chart.chart_font().pointSizeF()
    assert main.classroom_action in window.actions()
    main.classroom_action.trigger()
    # The application's new font reaches the other windows through posted events.
    qtbot.waitUntil(lambda: window.chart.chart_font().pointSizeF() > before, timeout=5000)
    main.classroom_action.trigger()
    main.close()
    assert not window.isVisible()


@pytest.mark.model
def test_stop_ends_a_report_and_it_can_start_again(qtbot, starter_path, no_llama_bench):
    window = PerformanceWindow(starter_path)
    qtbot.addWidget(window)
    window.show()
    window.start()
    qtbot.waitUntil(lambda: window.progress.value() > 0, timeout=120_000)
    window.stop()
    qtbot.waitUntil(lambda: not window.running, timeout=120_000)
    assert window.status.text() == "Stopped. Press Measure to start again."
    assert window.report is None and window.last_error == ""
    assert window.measure_button.isEnabled() and not window.stop_button.isEnabled()
    window.close()
