"""The Sampling Lab's bar chart: its data from a trace, and the painted widget in light and dark palettes."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QFont, QPalette

from tinychat.core.lab import chart_data, sample_histogram
from tinychat.core.params import GenerationParams
from tinychat.core.sampling import run_pipeline
from tinychat.gui.charts import TokenProbabilityChart

# Ten tokens with probabilities 0.30, 0.20, 0.15, 0.10, 0.08, 0.06, 0.05, 0.03, 0.02, 0.01.
P = np.array([0.30, 0.20, 0.15, 0.10, 0.08, 0.06, 0.05, 0.03, 0.02, 0.01])
LOGITS = np.log(P).astype(np.float32)
PIECES = [" the", " a", " Paris", "\n", " London", "ing", " y", " él", "!", " 東京"]


def piece(token: int) -> str:
    return PIECES[token]


def make_data(**changes):
    params = GenerationParams(temperature=1.0, top_k=6, top_p=0.7, min_p=0.0, repeat_penalty=1.0).replace(**changes)
    return chart_data(run_pipeline(LOGITS, params), piece, n=8)


def test_chart_data_rows_and_cutoffs():
    data = make_data()
    assert [r.token for r in data.rows] == list(range(8))
    assert data.rows[0].raw_prob == pytest.approx(0.30, abs=1e-6)
    # top_k 6 keeps 0.89 of the mass; within it the running sums are 0.30/0.89 = 0.34,
    # 0.50/0.89 = 0.56, 0.65/0.89 = 0.73 >= 0.7: top_p keeps three tokens.
    assert [(c.stage, c.after_rows, c.value) for c in data.cutoffs] == [("top_k", 6, 6.0), ("top_p", 3, 0.7)]
    assert data.rows[0].final_prob == pytest.approx(0.30 / 0.65, abs=1e-6)
    assert [r.final_prob for r in data.rows[3:]] == [0.0] * 5
    assert data.kept == 3 and data.vocabulary == 10
    # A top-k beyond the shown rows draws no line.
    assert [c.stage for c in make_data(top_k=9, top_p=1.0).cutoffs] == []


def test_sample_histogram_follows_the_final_distribution():
    # temperature 1, top_k 6, top_p 0.7: three tokens with 0.30, 0.20, 0.15 out of 0.65.
    final = run_pipeline(LOGITS, GenerationParams(temperature=1.0, top_k=6, top_p=0.7, min_p=0.0)).final
    hist = sample_histogram(final, 2000, seed=5)
    assert sum(hist.counts.values()) == 2000
    assert set(hist.counts) == {0, 1, 2}
    assert hist.expected == pytest.approx(
        {0: 2000 * 0.30 / 0.65, 1: 2000 * 0.20 / 0.65, 2: 2000 * 0.15 / 0.65}, rel=1e-5
    )
    for token, count in hist.counts.items():
        assert count == pytest.approx(hist.expected[token], rel=0.12)
    assert sample_histogram(final, 2000, seed=5).counts == hist.counts
    assert sample_histogram(final, 2000, seed=6).counts != hist.counts


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, color in (
        (QPalette.ColorRole.Window, "#1e1e1e"),
        (QPalette.ColorRole.WindowText, "#f0f0f0"),
        (QPalette.ColorRole.Base, "#121212"),
        (QPalette.ColorRole.Text, "#f0f0f0"),
        (QPalette.ColorRole.PlaceholderText, "#9e9e9e"),
    ):
        palette.setColor(role, QColor(color))
    return palette


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_chart_paints_bars_and_cut_lines(qtbot, tmp_path, theme):
    chart = TokenProbabilityChart()
    qtbot.addWidget(chart)
    if theme == "dark":
        chart.setPalette(dark_palette())
    font = QFont(chart.font())
    font.setPointSizeF(16)  # classroom size
    chart.setFont(font)
    chart.resize(900, 640)
    chart.set_data(make_data())
    chart.show()
    qtbot.waitExposed(chart)
    image = chart.grab().toImage()
    image.save(str(tmp_path / f"chart-{theme}.png"))

    colors = chart.colors()
    background = image.pixelColor(2, 2)
    assert background == colors["background"]
    assert (background.lightness() < 128) == (theme == "dark")

    bars = chart.bar_rects()
    assert len(bars) == 8
    raw_widths = [raw.width() for raw, _ in bars]
    assert raw_widths == sorted(raw_widths, reverse=True) and raw_widths[0] > 300
    finals = [final.width() for _, final in bars]
    assert finals[0] > raw_widths[0]  # renormalised: 0.46 after, 0.30 before
    assert finals[3:] == [0.0] * 5
    # The strong bar is painted in the "after" colour.
    _raw0, final0 = bars[0]
    assert image.pixelColor(final0.center().toPoint()) == colors["final"]
    # The cut-off lines sit between rows 3|4 (top-p) and 6|7 (top-k).
    cuts = {c.stage: y for c, y in chart.cutoff_lines()}
    assert bars[2][1].bottom() < cuts["top_p"] < bars[3][0].top()
    assert bars[5][1].bottom() < cuts["top_k"] < bars[6][0].top()
    line_pixels = [image.pixelColor(x, round(cuts["top_k"])) for x in range(20, 880)]
    assert sum(c == colors["cut"] for c in line_pixels) > 200
    assert "before sampling" in chart.accessibleDescription()


def test_empty_and_greedy_charts_paint(qtbot):
    chart = TokenProbabilityChart()
    qtbot.addWidget(chart)
    chart.resize(500, 300)
    chart.grab()  # nothing to show yet: a hint, no error
    chart.set_data(make_data(temperature=0.0))
    assert chart.data().greedy
    assert [final.width() > 0 for _, final in chart.bar_rects()] == [True] + [False] * 7
    chart.grab()


@pytest.mark.model
def test_chart_for_the_real_model(qtbot, engine, tmp_path):
    from tinychat.core.probe import next_token, token_piece

    probe = next_token(engine, "The capital of France is", raw=True)
    params = GenerationParams(temperature=0.8, top_k=5, top_p=0.9, min_p=0.0)
    data = chart_data(run_pipeline(probe.logits, params), lambda t: token_piece(engine, t), n=10)
    assert data.rows[0].piece == " Paris"
    assert any(c.stage == "top_k" and c.after_rows == 5 for c in data.cutoffs)
    chart = TokenProbabilityChart()
    qtbot.addWidget(chart)
    chart.resize(1000, 700)
    chart.set_data(data)
    chart.grab().save(str(tmp_path / "france.png"))
    assert (tmp_path / "france.png").stat().st_size > 0
