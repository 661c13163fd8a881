"""The Model box and Preferences: GPU layers, threads and batch size reach the load; the status bar shows threads."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from tinychat.core.engine import supports_gpu_offload
from tinychat.core.hardware import GPU_ALL, GPU_AUTO
from tinychat.core.settings import Settings
from tinychat.gui.load_controls import GpuLayersBox
from tinychat.gui.preferences import open_preferences


def test_gpu_layers_box_names_automatic_all_and_none(qtbot):
    box = GpuLayersBox()
    qtbot.addWidget(box)
    assert (box.minimum(), box.textFromValue(GPU_AUTO), box.textFromValue(GPU_ALL)) == (GPU_AUTO, "automatic", "all")
    assert (box.textFromValue(0), box.textFromValue(12)) == ("none", "12")
    assert box.valueFromText("all") == GPU_ALL and box.valueFromText("7") == 7
    if supports_gpu_offload():
        assert box.isEnabled() and box.value() == GPU_AUTO
    else:
        assert not box.isEnabled() and box.value() == 0 and "CPU only" in box.toolTip()


def test_threads_and_batch_size_in_the_model_box_reach_the_engine_on_reload(fake_window, qtbot):
    win = fake_window()
    engine = win.engines[-1]
    assert engine.load_options["n_threads"] is None and engine.load_options["n_batch"] is None  # automatic
    win.model_box.threads.setValue(1)
    win.model_box.batch_size.setValue(128)
    win.reload_model()
    qtbot.waitUntil(lambda: engine.load_options["n_batch"] == 128, timeout=5000)
    assert engine.load_options["n_threads"] == 1
    assert engine.load_options["n_gpu_layers"] == (GPU_AUTO if supports_gpu_offload() else 0)
    assert engine.load_options["flash_attn"] == "auto"


def test_the_status_bar_shows_the_threads_used(fake_window, qtbot):
    win = fake_window()
    qtbot.waitUntil(lambda: "threads:" in win.status_figures.device_label.text(), timeout=5000)
    label = win.status_figures.device_label
    assert label.text() == "CPU · threads: 1"
    tip = label.toolTip()
    assert "CPU threads: 1" in tip and "Batch size: 512" in tip and "Flash attention: off" in tip


def test_preferences_set_batch_size_flash_attention_and_threads_for_the_next_load(fake_window):
    win = fake_window(settings=Settings())
    dialog = open_preferences(win)
    assert dialog.flash_attn.currentData() == "auto" and dialog.batch_size.value() == 0
    dialog.threads.setValue(2)
    dialog.batch_size.setValue(256)
    dialog.flash_attn.setCurrentIndex(dialog.flash_attn.findData("off"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert (win.settings.n_threads, win.settings.n_batch, win.settings.flash_attn) == (2, 256, "off")
    # The Model box follows, and its options are what the next load asks for.
    assert (win.model_box.threads.value(), win.model_box.batch_size.value()) == (2, 256)
    options = win.model_box.load_options(win.settings)
    assert (options.n_threads, options.n_batch, options.flash_attn) == (2, 256, "off")
    # And they are kept when the window closes.
    win.model_box.remember(win.settings)
    assert (win.settings.n_threads, win.settings.n_batch) == (2, 256)


def test_preferences_open_tall_enough_for_every_model_option(fake_window):
    """Qt's first size (two thirds of the screen) squashed the boxes of the Model group."""
    win = fake_window(settings=Settings())
    dialog = open_preferences(win)
    for box in (dialog.threads, dialog.batch_size, dialog.context_size, dialog.gpu_layers, dialog.flash_attn):
        assert box.height() >= box.minimumSizeHint().height(), box.objectName()
    dialog.reject()


def test_why_the_model_runs_elsewhere_than_asked_is_shown_in_the_banner_and_the_tooltip(fake_window):
    note = "GPU layers were asked for, but this llama.cpp build has no GPU support, so the model runs on the CPU."
    win = fake_window(load_notes=(note,))
    assert win.banner.isVisible() and win.banner.text() == note
    assert note in win.status_figures.device_label.toolTip()
