"""Bar chart of the next-token distribution: before sampling and after the samplers, side by side.

Painted with QPainter so that it needs no chart library, scales with the
widget's font (classroom mode raises it for projectors) and takes its colours
from the palette, so it reads in light and dark themes alike.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLocale, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from tinychat.core.lab import ChartData, CutOff
from tinychat.core.sampling import readable_token
from tinychat.gui.numbers import percent

STAGE_NAMES = {"top_k": "top-k", "top_p": "top-p"}


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _percent(p: float) -> str:
    if p <= 0:
        return ""
    if p < 0.001:
        return "<" + percent(0.001)
    return percent(p)


class TokenProbabilityChart(QWidget):
    """One row per token: a muted bar for the model's own probability and a strong bar for
    the probability after the samplers; dashed lines mark where top-k and top-p cut."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenProbabilityChart")
        self._data: ChartData | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 200)
        # Larger than body text from the start: the chart is what a class looks at
        # on the projector. Classroom mode may raise the font further.
        font = QFont(self.font())
        font.setPointSizeF(max(12.0, font.pointSizeF() * 1.25))
        self.setFont(font)

    # -- data ----------------------------------------------------------------

    def set_data(self, data: ChartData | None) -> None:
        self._data = data
        self.setAccessibleDescription(self._describe())
        self.updateGeometry()
        self.update()

    def data(self) -> ChartData | None:
        return self._data

    def _describe(self) -> str:
        if not self._data or not self._data.rows:
            return self.tr("No data yet.")
        parts = [
            self.tr("{piece}: {raw} before sampling, {final} after").format(
                piece=readable_token(r.piece), raw=_percent(r.raw_prob) or "0%", final=_percent(r.final_prob) or "0%"
            )
            for r in self._data.rows
        ]
        return "; ".join(parts)

    # -- colours ---------------------------------------------------------------

    def colors(self) -> dict[str, QColor]:
        palette = self.palette()
        dark = _is_dark(palette)
        text = palette.color(QPalette.ColorRole.WindowText)
        raw = QColor(text)
        raw.setAlphaF(0.35)
        return {
            "background": palette.color(QPalette.ColorRole.Window),
            "text": text,
            "muted": palette.color(QPalette.ColorRole.PlaceholderText),
            "raw": raw,
            # Saturated enough to stand out on a washed-out projector, lighter on dark backgrounds.
            "final": QColor("#64b5f6") if dark else QColor("#1565c0"),
            "cut": QColor("#ffb74d") if dark else QColor("#e65100"),
        }

    # -- geometry --------------------------------------------------------------

    def _metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.font())

    def sizeHint(self) -> QSize:
        fm = self._metrics()
        rows = len(self._data.rows) if self._data else 10
        height = fm.height() * (3 + rows * 2.2)
        return QSize(int(fm.horizontalAdvance("M") * 45), int(height))

    def bar_rects(self) -> list[tuple[QRectF, QRectF]]:
        """(raw bar, after-sampler bar) per row, in widget coordinates."""
        return list(self._layout()["bars"])

    def cutoff_lines(self) -> list[tuple[CutOff, float]]:
        """Each cut-off and the y coordinate of its line."""
        return list(self._layout()["cuts"])

    def _layout(self) -> dict[str, object]:
        fm = self._metrics()
        margin = fm.height() * 0.6
        legend_h = fm.height() * (0.4 + 1.2 * len(self._legend_lines(fm)))
        data = self._data
        rows = data.rows if data else ()
        label_w = max((fm.horizontalAdvance(self._label(r.piece)) for r in rows), default=0.0) + margin
        label_w = min(label_w, self.width() * 0.4)
        value_w = fm.horizontalAdvance("100.0%") + margin
        left = margin + label_w
        right = self.width() - margin - value_w
        top = margin + legend_h
        usable_h = max(1.0, self.height() - top - margin)
        row_h = usable_h / max(1, len(rows))
        bar_h = min(row_h * 0.38, fm.height() * 1.1)
        scale = data.max_prob if data and data.max_prob > 0 else 1.0
        width = max(1.0, right - left)
        bars = []
        for i, r in enumerate(rows):
            y = top + i * row_h + (row_h - 2 * bar_h) / 2
            raw = QRectF(left, y, width * r.raw_prob / scale, bar_h)
            final = QRectF(left, y + bar_h, width * r.final_prob / scale, bar_h)
            bars.append((raw, final))
        cuts = [(c, top + c.after_rows * row_h) for c in (data.cutoffs if data else ())]
        return {
            "margin": margin, "legend_h": legend_h, "left": left, "right": right, "top": top,
            "row_h": row_h, "bar_h": bar_h, "label_w": label_w, "bars": bars, "cuts": cuts,
        }

    @staticmethod
    def _label(piece: str) -> str:
        # Spaces shown as ␣ matter: " Paris" and "Paris" are different tokens.
        return readable_token(piece)

    def _legend_lines(self, fm: QFontMetricsF) -> list[list[tuple[str | None, str]]]:
        """The legend's entries ((colour key or None, text)), wrapped onto lines that fit the width."""
        entries: list[tuple[str | None, str]] = [
            ("raw", self.tr("Model (before sampling)")),
            ("final", self.tr("After the samplers")),
        ]
        if self._data is not None and self._data.greedy:
            entries.append((None, self.tr("Temperature 0: greedy, the top token always wins")))
        margin = fm.height() * 0.6
        swatch = fm.height() * 1.1
        lines: list[list[tuple[str | None, str]]] = [[]]
        x = margin
        for key, text in entries:
            needed = (swatch if key else 0.0) + fm.horizontalAdvance(text) + fm.height()
            if lines[-1] and x + needed > self.width() - margin:
                lines.append([])
                x = margin
            lines[-1].append((key, text))
            x += needed
        return lines

    # -- painting --------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colors = self.colors()
        painter.fillRect(self.rect(), colors["background"])
        fm = self._metrics()
        data = self._data
        if not data or not data.rows:
            painter.setPen(colors["muted"])
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Run a prompt to see the next-token probabilities.")
            )
            painter.end()
            return
        g = self._layout()
        margin, left, right = g["margin"], g["left"], g["right"]

        # Legend, on as many lines as the width needs (Spanish labels are long).
        y = margin
        sw = fm.height() * 0.8
        for line in self._legend_lines(fm):
            x = margin
            for key, text in line:
                if key is not None:
                    painter.fillRect(QRectF(x, y + (fm.height() - sw) / 2, sw, sw), colors[key])
                    x += sw + fm.height() * 0.3
                painter.setPen(colors["text"] if key is not None else colors["muted"])
                painter.drawText(QPointF(x, y + fm.ascent()), text)
                x += fm.horizontalAdvance(text) + fm.height()
            y += fm.height() * 1.2

        # Rows.
        for r, (raw, final) in zip(data.rows, g["bars"], strict=False):
            label = fm.elidedText(self._label(r.piece), Qt.TextElideMode.ElideRight, g["label_w"] - margin)
            text_rect = QRectF(margin, raw.top(), g["label_w"] - margin, raw.height() * 2)
            painter.setPen(colors["text"])
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            painter.fillRect(raw, colors["raw"])
            painter.fillRect(final, colors["final"])
            small = QFont(self.font())
            small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.85))
            painter.setFont(small)
            sfm = QFontMetricsF(small)
            painter.setPen(colors["muted"])
            painter.drawText(QPointF(raw.right() + 4, raw.center().y() + sfm.ascent() / 2 - 1), _percent(r.raw_prob))
            if r.final_prob > 0:
                painter.setPen(colors["text"])
                painter.drawText(
                    QPointF(final.right() + 4, final.center().y() + sfm.ascent() / 2 - 1), _percent(r.final_prob)
                )
            else:
                painter.setPen(colors["muted"])
                painter.drawText(QPointF(left + 2, final.center().y() + sfm.ascent() / 2 - 1), self.tr("removed"))
            painter.setFont(self.font())

        # Cut-off lines: dashed across the chart, named at the right (below the
        # line when a second stage cuts at the same place).
        used: list[float] = []
        for cut, y in g["cuts"]:
            pen = QPen(colors["cut"])
            pen.setWidthF(max(2.0, fm.height() / 8))
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(margin, y), QPointF(self.width() - margin, y))
            name = STAGE_NAMES.get(cut.stage, cut.stage)
            value = "" if math.isnan(cut.value) else QLocale().toString(float(cut.value), "g", 6)
            text = self.tr("{stage} = {value} cuts here").format(stage=name, value=value)
            painter.setPen(colors["cut"])
            text_y = y + fm.ascent() + 3 if any(abs(y - u) < 1 for u in used) else y - 3
            used.append(y)
            painter.drawText(QPointF(right - fm.horizontalAdvance(text) + g["margin"], text_y), text)
        painter.end()
