"""The figures in the main window's status bar: reply speed, time to the first token, context use, device,
and while speculative decoding runs, how many guesses the model kept and what that saved.

``WindowStatus(window)`` adds the four labels to the window's status bar; the
window keeps them as ``speed_label``, ``ttft_label``, ``context_label`` and
``device_label``. The texts keep the "MainWindow" translation context.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QLabel, QMainWindow

from tinychat.core.engine import ModelInfo
from tinychat.core.results import GenerationStats
from tinychat.core.speculative import SpeculativeCounts
from tinychat.gui.plaintext import plain


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class WindowStatus:
    """Owns the status bar's permanent labels and how the window's figures are written in them."""

    def __init__(self, window: QMainWindow) -> None:
        status = window.statusBar()
        self.speed_label = plain(QLabel())
        self.speed_label.setObjectName("speedLabel")
        self.ttft_label = QLabel()
        self.ttft_label.setObjectName("ttftLabel")
        self.context_label = QLabel()
        self.context_label.setObjectName("contextLabel")
        self.device_label = plain(QLabel())
        self.device_label.setObjectName("deviceLabel")
        for label in (self.speed_label, self.ttft_label, self.context_label, self.device_label):
            label.setContentsMargins(8, 0, 8, 0)  # room between the figures
            status.addPermanentWidget(label)
        self.speed_label.setToolTip(_tr("How fast the reply was written, after its first token"))
        self.ttft_label.setToolTip(_tr("Time from Send until the first token: mostly reading the prompt"))
        self.context_label.setToolTip(
            _tr("Tokens the conversation uses, out of the model's context window (how much it can read at once)")
        )
        self.device_label.setToolTip(_tr("Where the model runs"))
        self.speculative_label = plain(QLabel())
        self.speculative_label.setObjectName("speculativeLabel")
        self.speculative_label.setContentsMargins(8, 0, 8, 0)
        self.speculative_label.setToolTip(
            _tr(
                "Speculative decoding: the share of guessed tokens the model kept, tokens written per evaluation "
                "of the model (plain decoding: 1), and the speed against the last reply written without guessing"
            )
        )
        self.speculative_label.hide()
        status.insertPermanentWidget(0, self.speculative_label)
        #: tokens/s of the last reply written plainly, the baseline of the speed-up.
        self.last_plain_speed: float | None = None

    def show_device(self, device: str, threads: int = 0) -> None:
        """Where the model runs, and with how many CPU threads when known."""
        if threads:
            device = _tr("%1 · threads: %2").replace("%1", device).replace("%2", QLocale().toString(threads))
        self.device_label.setText(device)

    def show_model(self, info: ModelInfo) -> None:
        """The loaded model's device and threads; the tooltip says how it was loaded and why."""
        self.show_device(info.device, info.n_threads)
        lines = [
            _tr("Where the model runs"),
            _tr("Compute devices: %1").replace("%1", info.backend),
            _tr("GPU layers: %1").replace("%1", QLocale().toString(info.gpu_layers)),
            _tr("CPU threads: %1").replace("%1", QLocale().toString(info.n_threads)),
            _tr("Batch size: %1").replace("%1", QLocale().toString(info.n_batch)),
            _tr("Flash attention: %1").replace("%1", _tr("on") if info.flash_attn else _tr("off")),
            *info.notes,
        ]
        self.device_label.setToolTip("\n".join(lines))

    def show_reply_stats(self, stats: GenerationStats) -> None:
        """Speed, time to the first token and device of the reply just finished."""
        if stats.tokens_per_s is not None:
            self.speed_label.setText(_tr("%1 tokens/s").replace("%1", QLocale().toString(stats.tokens_per_s, "f", 1)))
        if stats.ttft_s is not None:
            self.ttft_label.setText(_tr("first token %1 s").replace("%1", QLocale().toString(stats.ttft_s, "f", 2)))
        self.show_device(stats.device, stats.threads)
        if stats.speculative:
            counts = SpeculativeCounts(
                stats.speculative, stats.drafted, stats.accepted, stats.rejected, stats.evaluations,
                stats.completion_tokens,
            )
            self.show_draft_counts(counts, stats.tokens_per_s)
        else:
            if stats.tokens_per_s is not None and stats.completion_tokens > 1:
                self.last_plain_speed = stats.tokens_per_s
            self.speculative_label.hide()

    def show_draft_counts(self, counts: SpeculativeCounts, tokens_per_s: float | None = None) -> None:
        """Guesses kept and tokens per evaluation (while a reply streams); with ``tokens_per_s``, the speed-up."""
        locale = QLocale()
        acceptance = counts.acceptance
        per_eval = counts.tokens_per_evaluation
        parts = [
            _tr("guesses kept %1").replace(
                "%1", locale.toString(100 * acceptance, "f", 0) + " %" if acceptance is not None else "-"
            ),
            _tr("%1 tokens per evaluation").replace(
                "%1", locale.toString(per_eval, "f", 2) if per_eval is not None else "-"
            ),
        ]
        if tokens_per_s is not None and self.last_plain_speed:
            parts.append(
                _tr("%1× the plain speed").replace("%1", locale.toString(tokens_per_s / self.last_plain_speed, "f", 2))
            )
        self.speculative_label.setText(" · ".join(parts))
        self.speculative_label.show()

    def show_context_use(self, used: int, n_ctx: int, next_turn: bool = False) -> None:
        self.context_label.setText(
            _tr("%1 / %2 tokens").replace("%1", QLocale().toString(used)).replace("%2", QLocale().toString(n_ctx))
        )
        over = used >= n_ctx
        self.context_label.setStyleSheet("color: #c62828; font-weight: bold;" if over else "")
        if next_turn and over:
            self.context_label.setToolTip(
                _tr("The next turn does not fit in the context window: %1 tokens too many.")
                .replace("%1", QLocale().toString(used - n_ctx + 1))
            )
