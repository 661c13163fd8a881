"""The boxes for how a model is loaded, shared by the Model box and Preferences: GPU layers, threads, batch size.

GPU layers use the one integer of tinychat.core.hardware: -2 automatic, -1
all, 0 none, or a number; the box shows the first three as words. The texts
keep the "LoadControls" translation context.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QSpinBox, QWidget

from tinychat.core.engine import DEFAULT_N_BATCH, supports_gpu_offload
from tinychat.core.hardware import GPU_ALL, GPU_AUTO, cpu_counts


def _tr(text: str) -> str:
    return QCoreApplication.translate("LoadControls", text)


class GpuLayersBox(QSpinBox):
    """A number of GPU layers, with "automatic", "all" and "none" below 1."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(GPU_AUTO, 999)
        self._words = {GPU_AUTO: _tr("automatic"), GPU_ALL: _tr("all"), 0: _tr("none")}
        if supports_gpu_offload():
            self.setValue(GPU_AUTO)
            self.setToolTip(
                _tr(
                    "How many of the model's layers run on the GPU. More is faster while they fit in its memory. "
                    "Automatic: as many as fit in the GPU's free memory."
                )
            )
        else:
            self.setValue(0)
            self.setEnabled(False)
            self.setToolTip(
                _tr(
                    "This build of llama.cpp runs on the CPU only. Install llama-cpp-python with GPU support "
                    "(see the README) to offload layers to a GPU."
                )
            )

    def textFromValue(self, value: int) -> str:
        return self._words.get(value, str(value))

    def valueFromText(self, text: str) -> int:
        for value, word in self._words.items():
            if text.strip().lower() == word.lower():
                return value
        return int(text) if text.strip().lstrip("-").isdigit() else 0


def threads_box(value: int = 0) -> QSpinBox:
    physical, logical = cpu_counts()
    box = QSpinBox()
    box.setRange(0, max(64, logical))  # more than the cores is allowed, to see why it is slower
    box.setSpecialValueText(_tr("automatic"))
    box.setValue(min(value, box.maximum()))
    box.setToolTip(
        _tr(
            "How many CPU threads llama.cpp uses. Automatic: this computer's %1 physical cores, less those other "
            "programs keep busy. If replies slow to a crawl while another program runs, TinyChat uses fewer."
        ).replace("%1", str(physical))
    )
    return box


def batch_box(value: int = 0) -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, 4096)
    box.setSingleStep(64)
    box.setSpecialValueText(_tr("automatic"))
    box.setValue(value)
    box.setToolTip(
        _tr("How many prompt tokens llama.cpp reads at once. Larger reads long prompts faster and needs more "
            "memory. Automatic: %1.").replace("%1", str(DEFAULT_N_BATCH))
    )
    return box


def flash_attn_combo(value: str = "auto") -> QComboBox:
    combo = QComboBox()
    combo.addItem(_tr("automatic"), "auto")
    combo.addItem(_tr("on"), "on")
    combo.addItem(_tr("off"), "off")
    combo.setCurrentIndex(max(0, combo.findData(value)))
    combo.setToolTip(
        _tr(
            "Flash attention computes attention in one fused step. Automatic: llama.cpp turns it on wherever its "
            "kernel runs, the CPU included, as llama-bench does; faster. Off: slower, but a reply with a given seed "
            "is then the same whatever the number of threads."
        )
    )
    return combo
