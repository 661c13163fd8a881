"""The sampling controls that sit beside the chat: a slider and a number for each parameter."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tinychat.core.params import SEED_MAX, SPECS, GenerationParams, ParamSpec

SLIDER_PARAMS = ("temperature", "top_k", "top_p", "min_p", "max_new_tokens", "repeat_penalty")


def _translate(text: str) -> str:
    return QCoreApplication.translate("Params", text)


class ParamRow(QWidget):
    """A slider and a number box bound to one parameter; either one moves the other."""

    valueChanged = Signal()

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None, stacked: bool = False) -> None:
        """``stacked``: the parameter's name and number on one line and the slider under them, which
        needs little width (the settings column); otherwise the slider and the number side by side."""
        super().__init__(parent)
        self.spec = spec
        self.setObjectName(f"param_{spec.name}")
        self._scale = 10**spec.decimals
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName(f"slider_{spec.name}")
        if spec.decimals:
            self.box: QSpinBox | QDoubleSpinBox = QDoubleSpinBox()
            self.box.setDecimals(spec.decimals)
            self.box.setSingleStep(spec.step)
        else:
            self.box = QSpinBox()
            self.box.setSingleStep(int(spec.step))
        self.box.setObjectName(f"box_{spec.name}")
        self.box.setKeyboardTracking(False)
        self.box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        self.box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.box.setMinimumWidth(64)
        self.slider.setSingleStep(max(1, round(spec.step * self._scale)))
        self.slider.setPageStep(max(1, round(spec.step * self._scale)) * 5)
        self.set_range(spec.minimum, spec.maximum if spec.maximum is not None else 4096)
        self.label: QLabel | None = None
        if stacked:
            layout = QGridLayout(self)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.setVerticalSpacing(2)
            self.label = QLabel(_translate(spec.label))
            self.label.setObjectName(f"label_{spec.name}")
            self.label.setBuddy(self.box)
            layout.addWidget(self.label, 0, 0)
            layout.addWidget(self.box, 0, 1, Qt.AlignmentFlag.AlignRight)
            layout.addWidget(self.slider, 1, 0, 1, 2)
            layout.setColumnStretch(0, 1)
        else:
            layout = QHBoxLayout(self)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(self.slider, 1)
            layout.addWidget(self.box)
        tip = _translate(spec.help)
        for widget in (self, self.slider, self.box):
            widget.setToolTip(tip)
        if self.label is not None:
            self.label.setToolTip(tip)
        name = _translate(spec.label)
        self.slider.setAccessibleName(name)
        self.box.setAccessibleName(name)
        self.slider.setAccessibleDescription(tip)
        self.box.setAccessibleDescription(tip)
        self.slider.valueChanged.connect(self._from_slider)
        self.box.valueChanged.connect(self._from_box)

    def set_range(self, minimum: float, maximum: float) -> None:
        value = self.value()
        self.slider.blockSignals(True)
        self.box.blockSignals(True)
        self.slider.setRange(round(minimum * self._scale), round(maximum * self._scale))
        self.box.setRange(minimum, maximum)
        self.slider.blockSignals(False)
        self.box.blockSignals(False)
        self.set_value(min(max(value, minimum), maximum))

    def value(self) -> float:
        return self.box.value()

    def set_value(self, value: float) -> None:
        self.slider.blockSignals(True)
        self.box.blockSignals(True)
        self.box.setValue(value)
        self.slider.setValue(round(value * self._scale))
        self.slider.blockSignals(False)
        self.box.blockSignals(False)

    def _from_slider(self, position: int) -> None:
        self.box.blockSignals(True)
        self.box.setValue(position / self._scale if self.spec.decimals else position)
        self.box.blockSignals(False)
        self.valueChanged.emit()

    def _from_box(self, value: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(round(value * self._scale))
        self.slider.blockSignals(False)
        self.valueChanged.emit()


class ParameterPanel(QWidget):
    """Sampling parameters, the seed, and the system prompt for the next reply."""

    paramsChanged = Signal()
    resetRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("parameterPanel")
        self._recommended = GenerationParams()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(8)

        sampling = QGroupBox(self.tr("Sampling"))
        sampling.setObjectName("samplingGroup")
        form = QVBoxLayout(sampling)
        form.setSpacing(8)
        self.rows: dict[str, ParamRow] = {}
        for name in SLIDER_PARAMS:
            spec = SPECS[name]
            row = ParamRow(spec, stacked=True)
            row.valueChanged.connect(self.paramsChanged)
            form.addWidget(row)
            self.rows[name] = row

        self.random_seed = QCheckBox(self.tr("New random seed for every reply"))
        self.random_seed.setObjectName("randomSeed")
        self.random_seed.setChecked(True)
        self.random_seed.setToolTip(
            self.tr("The seed starts the random draw. The same seed, model, prompt and settings give the same reply.")
        )
        self.seed_box = QSpinBox()
        self.seed_box.setObjectName("seedBox")
        # While every reply draws a new seed, the box says so instead of showing an old number.
        self.seed_box.setRange(-1, SEED_MAX)
        self.seed_box.setSpecialValueText(self.tr("random"))
        self.seed_box.setValue(-1)
        self.seed_box.setEnabled(False)
        self.seed_box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.seed_box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        self.seed_box.setToolTip(self.random_seed.toolTip())
        self.last_seed_label = QLabel(self.tr("Last seed used: none yet"))
        self.last_seed_label.setObjectName("lastSeed")
        self.last_seed_label.setWordWrap(True)
        self.last_seed_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reuse_seed = QPushButton(self.tr("Reuse it"))
        self.reuse_seed.setObjectName("reuseSeed")
        self.reuse_seed.setToolTip(self.tr("Fix the seed to the last one used, to get that reply again."))
        self.reuse_seed.setEnabled(False)
        seed_label = QLabel(self.tr("Seed"))
        seed_label.setBuddy(self.seed_box)
        seed_label.setToolTip(self.random_seed.toolTip())
        seed_row = QHBoxLayout()
        seed_row.addWidget(seed_label, 1)
        seed_row.addWidget(self.seed_box)
        form.addSpacing(4)
        form.addLayout(seed_row)
        form.addWidget(self.random_seed)
        last = QHBoxLayout()
        last.addWidget(self.last_seed_label, 1)
        last.addWidget(self.reuse_seed, 0, Qt.AlignmentFlag.AlignTop)
        form.addLayout(last)
        self.random_seed.toggled.connect(self._on_random_seed)
        self.random_seed.toggled.connect(self.paramsChanged)
        self.seed_box.valueChanged.connect(self.paramsChanged)
        self.reuse_seed.clicked.connect(self._reuse_last_seed)
        self._last_seed: int | None = None
        self._fixed_seed: int | None = None

        self.reset_button = QPushButton(self.tr("Reset to recommended"))
        self.reset_button.setObjectName("resetParams")
        self.reset_button.setToolTip(self.tr("Put back the values recommended for this model (the seed stays)"))
        self.reset_button.clicked.connect(self.reset_to_recommended)
        form.addSpacing(4)
        form.addWidget(self.reset_button)
        outer.addWidget(sampling)

        system = QGroupBox(self.tr("System prompt"))
        system_layout = QVBoxLayout(system)
        self.system_prompt = QPlainTextEdit()
        self.system_prompt.setObjectName("systemPrompt")
        self.system_prompt.setPlaceholderText(self.tr("Empty: the model's own default"))
        self.system_prompt.setToolTip(
            self.tr("Instructions the model reads before the conversation, e.g. who it should be.")
        )
        self.system_prompt.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 16)
        system_layout.addWidget(self.system_prompt)
        outer.addWidget(system)

    # -- values --------------------------------------------------------------

    def params(self) -> GenerationParams:
        values = {name: row.value() for name, row in self.rows.items()}
        for name in ("top_k", "max_new_tokens"):
            values[name] = int(values[name])
        seed = None if self.random_seed.isChecked() else int(self.seed_box.value())
        return GenerationParams(seed=seed, **values)

    def set_params(self, params: GenerationParams) -> None:
        for name, row in self.rows.items():
            row.set_value(getattr(params, name))
        if params.seed is None:
            self.random_seed.setChecked(True)
        else:
            self.random_seed.setChecked(False)
            self.seed_box.setValue(params.seed)
        self.paramsChanged.emit()

    def set_recommended(self, params: GenerationParams) -> None:
        self._recommended = params

    def reset_to_recommended(self) -> None:
        keep_seed = self.params().seed
        self.set_params(self._recommended.replace(seed=keep_seed))
        self.resetRequested.emit()

    def set_context_limit(self, n_ctx: int) -> None:
        self.rows["max_new_tokens"].set_range(1, n_ctx)

    def system_text(self) -> str:
        return self.system_prompt.toPlainText().strip()

    def set_last_seed(self, seed: int) -> None:
        self._last_seed = seed
        self.last_seed_label.setText(self.tr("Last seed used: %1").replace("%1", str(seed)))
        self.reuse_seed.setEnabled(True)

    def _reuse_last_seed(self) -> None:
        if self._last_seed is not None:
            self.random_seed.setChecked(False)
            self.seed_box.setValue(self._last_seed)

    def _on_random_seed(self, random: bool) -> None:
        self.seed_box.blockSignals(True)
        if random:
            if self.seed_box.value() >= 0:
                self._fixed_seed = self.seed_box.value()
            self.seed_box.setMinimum(-1)
            self.seed_box.setValue(-1)  # shows "random"
        else:
            self.seed_box.setMinimum(0)
            # Start from a seed that means something: the one last used, else the one fixed before.
            start = self._last_seed if self._last_seed is not None else self._fixed_seed
            self.seed_box.setValue(start if start is not None else 0)
        self.seed_box.blockSignals(False)
        self.seed_box.setEnabled(not random)
