"""The Sampling Lab window on the real starter model."""

from __future__ import annotations

import csv
import json

import pytest

from tinychat.core.params import GenerationParams
from tinychat.gui.lab_window import LabWindow

pytestmark = pytest.mark.model

PROMPT = "The capital of France is"


@pytest.fixture
def lab(qtbot, starter_path):
    params = GenerationParams(temperature=0.8, top_k=40, top_p=0.95, min_p=0.05, repeat_penalty=1.0, seed=7)
    window = LabWindow(starter_path, params, prompt=PROMPT)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.stateShown, timeout=60000):
        pass
    yield window
    window.shutdown()


def test_chart_shows_paris_and_sliders_redraw_without_the_model(lab, qtbot):
    pieces = [r.piece for r in lab.chart.data().rows]
    assert " Paris" in pieces
    before = lab.chart.data()
    requests = lab.requests
    lab.rows["temperature"].slider.setValue(lab.rows["temperature"].slider.value() + 60)
    after = lab.chart.data()
    assert lab.requests == requests  # no new model request
    assert [r.final_prob for r in after.rows] != [r.final_prob for r in before.rows]
    assert [r.raw_prob for r in after.rows] == [r.raw_prob for r in before.rows]
    assert lab.stage_table.rowCount() == 6


def test_bad_settings_are_sentences(lab):
    lab.rows["temperature"].set_value(0.0)
    lab.redraw()
    assert "greedy" in lab.message.text()
    assert lab.chart.data().kept == 1
    lab.rows["temperature"].set_value(0.8)
    lab.rows["top_p"].set_value(0.0)
    lab.redraw()
    assert "Top-p 0" in lab.message.text()
    lab.rows["top_p"].set_value(1.0)
    lab.rows["top_k"].set_value(100_000)
    lab.redraw()
    assert "vocabulary" in lab.message.text()


def test_prompt_longer_than_context(lab, qtbot):
    lab.prompt_edit.setPlainText("word " * 6000)
    with qtbot.waitSignal(lab.errorShown, timeout=60000) as blocker:
        lab.probe()
    assert "context window" in blocker.args[0]


def test_missing_model_is_a_sentence(qtbot, tmp_path):
    window = LabWindow(tmp_path / "nothing.gguf", GenerationParams())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.errorShown, timeout=10000) as blocker:
        pass
    assert "does not exist" in blocker.args[0]
    window.shutdown()


def test_sample_histogram(lab):
    lab.sample()
    total = sum(int(lab.hist_table.item(i, 1).text()) for i in range(lab.hist_table.rowCount()))
    assert 0 < total <= 100
    assert sum(lab.histogram.counts.values()) == 100


def test_step_mode_force_rewind_and_export(lab, qtbot, tmp_path):
    with qtbot.waitSignal(lab.stateShown, timeout=60000):
        lab.start_steps()
    for _ in range(3):
        with qtbot.waitSignal(lab.stateShown, timeout=60000):
            lab.step()
    natural = lab.step_text_plain()
    assert natural
    with qtbot.waitSignal(lab.stateShown, timeout=60000):
        lab.rewind()
    with qtbot.waitSignal(lab.stateShown, timeout=60000):
        lab.rewind()
    with qtbot.waitSignal(lab.stateShown, timeout=60000):
        lab.rewind()
    assert lab.step_text_plain() == ""
    # Force the least likely of the shown alternatives as the first token.
    forced = lab.chart.data().rows[-1]
    with qtbot.waitSignal(lab.stateShown, timeout=60000):
        lab.step(force=forced.token)
    for _ in range(2):
        with qtbot.waitSignal(lab.stateShown, timeout=60000):
            lab.step()
    assert lab.state.steps[0][1] is True
    assert lab.step_text_plain().startswith(forced.piece)
    assert lab.step_text_plain() != natural
    # Rewind back to the start and step again: the natural continuation returns.
    for _ in range(3):
        with qtbot.waitSignal(lab.stateShown, timeout=60000):
            lab.rewind()
    for _ in range(3):
        with qtbot.waitSignal(lab.stateShown, timeout=60000):
            lab.step()
    assert lab.step_text_plain() == natural
    # Clicking a row of the chart forces that token.
    rects = lab.chart.bar_rects()
    second = lab.chart.data().rows[1]
    with qtbot.waitSignal(lab.stateShown, timeout=60000):
        qtbot.mouseClick(lab.chart, qtbot_left(), pos=rects[1][0].center().toPoint())
    assert lab.state.steps[-1][0] == second.piece and lab.state.steps[-1][1]

    for name in ("run.json", "run.csv"):
        with qtbot.waitSignal(lab.exportFinished, timeout=60000):
            lab.export_to(tmp_path / name)
    data = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert [t["piece"] for t in data["tokens"]] == [s[0] for s in lab.state.steps]
    with open(tmp_path / "run.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_screenshot(lab, tmp_path):
    lab.resize(1280, 800)
    lab.show()
    assert lab.grab().save(str(tmp_path / "lab.png"))


def _bar_pixels(lab, row):
    """How many pixels of the bar colour the count cell of ``row`` shows."""
    from PySide6.QtGui import QPalette

    table = lab.hist_table
    rect = table.visualRect(table.model().index(row, 1))
    image = table.viewport().grab(rect).toImage()
    colour = table.palette().color(QPalette.ColorRole.Highlight).rgb()
    return sum(1 for x in range(image.width()) if image.pixel(x, image.height() // 2) == colour)


def test_sample_bars_are_proportional_and_never_elided(lab, qtbot):
    lab.resize(1024, 700)
    lab.show()
    lab.tabs.setCurrentIndex(lab.tabs.indexOf(lab.hist_table.parentWidget()))
    lab.hist_table.setColumnWidth(1, 120)  # a narrow cell: characters would be elided here
    lab.sample()
    qtbot.wait(50)
    counts = [int(lab.hist_table.item(i, 1).text()) for i in range(lab.hist_table.rowCount())]
    assert all("█" not in lab.hist_table.item(i, 1).text() for i in range(len(counts)))
    widths = [_bar_pixels(lab, i) for i in range(len(counts))]
    top = counts.index(max(counts))
    assert widths[top] > 0 and widths[top] == max(widths)
    for count, width in zip(counts, widths, strict=True):
        if count:
            assert width > 0
            # Proportional: within a pixel or two of the top bar scaled by the count.
            assert abs(width - widths[top] * count / counts[top]) <= 2


def test_lab_number_boxes_line_up(lab, qtbot):
    lab.resize(1024, 700)
    lab.show()
    qtbot.wait(20)
    boxes = [row.box for row in lab.rows.values()]
    lefts = {box.mapTo(lab, box.rect().topLeft()).x() for box in boxes}
    widths = {box.width() for box in boxes}
    assert len(lefts) == 1 and len(widths) == 1, (lefts, widths)


def test_tokens_read_without_python_quotes(lab):
    texts = [lab.alternatives.item(i).text() for i in range(lab.alternatives.count())]
    assert any(text.startswith("␣Paris") for text in texts), texts[:3]
    assert not any(text.startswith("'") for text in texts)
