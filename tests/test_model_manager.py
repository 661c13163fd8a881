"""The model manager dialog, driven as a person would, against the test Hugging Face server."""

from __future__ import annotations

import hashlib

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt

from gguf_files import write_tiny_gguf
from hf_server import GOOD_TOKEN, fake_hub  # noqa: F401 - the fixture
from tinychat.app import create_app
from tinychat.core import hub, paths
from tinychat.gui.model_manager import ModelManagerDialog

REPO = "school/Tiny-GGUF"
FILE = "tiny-model.Q8_0.gguf"


@pytest.fixture(autouse=True)
def no_real_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)
    hub.forget_token()


@pytest.fixture
def dialog(qtbot):
    create_app()
    dlg = ModelManagerDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    yield dlg
    dlg.shutdown()


def downloaded(dialog):
    """The models in the folder (the list also shows the bundled starter model)."""
    return [m.name for m in dialog.installed if not m.bundled]


@pytest.fixture(scope="module")
def model_bytes(tmp_path_factory):
    return write_tiny_gguf(tmp_path_factory.mktemp("g") / "m.gguf", vocab=1000, embedding=128).read_bytes()


def test_list_download_inspect_and_delete(qtbot, dialog, fake_hub, model_bytes):  # noqa: F811
    fake_hub.add_repo(REPO, {FILE: model_bytes, "README.md": b"hi"})
    dialog.tabs.setCurrentIndex(1)
    qtbot.keyClicks(dialog.repo_edit, REPO)
    qtbot.mouseClick(dialog.list_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.files_table.rowCount() == 1, timeout=10000)
    assert dialog.files_table.item(0, 0).text() == FILE
    assert dialog.files_table.item(0, 1).text() == "Q8_0"
    assert dialog.files_table.item(0, 4).text() in {"fits", "tight", "won't fit"}

    dialog.files_table.selectRow(0)
    qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: downloaded(dialog) == [FILE], timeout=20000)
    assert dialog.queue.jobs()[0].state == "done"
    assert dialog.queue_table.cellWidget(0, 1).value() == 1000
    target = paths.models_dir() / FILE
    assert hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(model_bytes).digest()

    dialog.tabs.setCurrentIndex(0)
    dialog.installed_list.setCurrentRow(0)
    qtbot.waitUntil(lambda: dialog.current_info is not None, timeout=10000)
    assert "Architecture: llama" in dialog.info_label.text()
    assert "Chat template inside: yes" in dialog.info_label.text()

    with qtbot.waitSignal(dialog.modelChosen, timeout=5000) as chosen:
        qtbot.mouseClick(dialog.load_button, Qt.MouseButton.LeftButton)
    assert chosen.args == [str(target)]

    asked = []
    dialog.confirm_delete = lambda model: asked.append(model.name) or False
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert asked == [FILE] and target.exists()  # said no: nothing deleted
    dialog.confirm_delete = lambda model: True
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: downloaded(dialog) == [], timeout=10000)
    assert not target.exists()


def test_cancel_and_resume_from_the_queue(qtbot, dialog, fake_hub, model_bytes):  # noqa: F811
    fake_hub.add_repo(REPO, {FILE: model_bytes})
    fake_hub.chunk_size = 8 * 1024
    fake_hub.chunk_delay = 0.02
    dialog.repo_edit.setText(REPO)
    dialog.list_repo()
    qtbot.waitUntil(lambda: dialog.listing is not None, timeout=10000)
    dialog.files_table.selectRow(0)
    dialog.download_selected()
    qtbot.waitUntil(lambda: hub.partial_size(FILE) > 0, timeout=10000)
    button = dialog.queue_table.cellWidget(0, 2)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.queue.jobs()[0].state == "cancelled", timeout=10000)
    # The state changes on the download thread; the button follows on the GUI thread.
    qtbot.waitUntil(lambda: button.text() == "Resume", timeout=5000)
    kept = hub.partial_size(FILE)
    assert 0 < kept < len(model_bytes)
    fake_hub.chunk_delay = 0
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.queue.jobs()[0].state == "done", timeout=20000)
    last = fake_hub.file_requests(FILE)[-1]
    assert {k.lower(): v for k, v in last.headers.items()}["range"] == f"bytes={kept}-"
    qtbot.waitUntil(lambda: downloaded(dialog) == [FILE], timeout=10000)


def test_errors_are_sentences(qtbot, dialog, fake_hub, model_bytes):  # noqa: F811
    fake_hub.add_repo("meta/gated", {FILE: model_bytes}, gated=True)
    dialog.repo_edit.setText("nobody/nothing")
    dialog.list_repo()
    qtbot.waitUntil(lambda: "There is no model called nobody/nothing" in dialog.status_label.text(), timeout=10000)

    dialog.repo_edit.setText("meta/gated")
    dialog.list_repo()
    qtbot.waitUntil(lambda: dialog.listing is not None, timeout=10000)
    assert "gated" in dialog.status_label.text()
    dialog.files_table.selectRow(0)
    dialog.download_selected()
    qtbot.waitUntil(lambda: dialog.queue.jobs()[0].state == "failed", timeout=10000)
    # The queue's state changes on the download thread; the sentence follows on the GUI thread.
    qtbot.waitUntil(lambda: "accept the licence on the model page" in dialog.status_label.text(), timeout=5000)

    dialog.sign_in(GOOD_TOKEN)
    qtbot.waitUntil(lambda: "Signed in as student" in dialog.status_label.text(), timeout=10000)
    assert "no password keyring" in dialog.status_label.text()
    qtbot.mouseClick(dialog.queue_table.cellWidget(0, 2), Qt.MouseButton.LeftButton)  # Resume
    qtbot.waitUntil(lambda: dialog.queue.jobs()[0].state == "done", timeout=20000)


def test_catalog_warning_and_repo_without_gguf(qtbot, dialog, fake_hub):  # noqa: F811
    index = dialog.catalog_combo.findData("Doctor-Shotgun/TinyLlama-1.1B-32k-Instruct")
    dialog.catalog_combo.setCurrentIndex(index)
    assert "toxic-DPO" in dialog.repo_warning.text()  # shown before anything is listed or downloaded
    qtbot.waitUntil(lambda: "There is no model called" in dialog.status_label.text(), timeout=10000)
    index = dialog.catalog_combo.findData("CEGTEdicion/Llama-3.2-1B-espanol")
    dialog.catalog_combo.setCurrentIndex(index)
    assert "holds no GGUF files" in dialog.status_label.text()
    assert not dialog.download_button.isEnabled()


def test_import_and_a_bad_file(qtbot, dialog, tmp_path):
    good = write_tiny_gguf(tmp_path / "mine.gguf")
    dialog.import_file(str(good))
    qtbot.waitUntil(lambda: downloaded(dialog) == ["mine.gguf"], timeout=10000)
    bad = tmp_path / "bad.gguf"
    bad.write_text("hello")
    dialog.import_file(str(bad))
    qtbot.waitUntil(lambda: "is not a GGUF model file" in dialog.status_label.text(), timeout=10000)
    assert downloaded(dialog) == ["mine.gguf"]


def test_the_manager_answers_again_after_it_was_closed_and_shown_again(qtbot, dialog, tmp_path):
    # The main window keeps one dialog and shows it again: closing must not leave it dead.
    qtbot.waitUntil(lambda: dialog.installed_list.count() > 0 and downloaded(dialog) == [], timeout=10000)
    built_in = dialog.installed_list.count()  # the bundled starter model
    dialog.close()
    assert not dialog.isVisible()
    # Something arrives while the dialog is closed (the command line, another window).
    hub.import_gguf(write_tiny_gguf(tmp_path / "first.gguf"))
    dialog.show()
    qtbot.waitUntil(lambda: downloaded(dialog) == ["first.gguf"], timeout=10000)
    assert dialog.installed_list.count() == built_in + 1
    dialog.installed_list.setCurrentRow([m.name for m in dialog.installed].index("first.gguf"))
    qtbot.waitUntil(lambda: dialog.current_info is not None, timeout=10000)
    assert "Architecture: llama" in dialog.info_label.text()

    dialog.close()
    dialog.show()  # a third opening: its requests are answered too
    dialog.import_file(str(write_tiny_gguf(tmp_path / "second.gguf")))
    qtbot.waitUntil(lambda: downloaded(dialog) == ["first.gguf", "second.gguf"], timeout=10000)
    assert dialog.installed_list.count() == built_in + 2


def test_the_starter_model_is_listed_as_built_in_and_cannot_be_deleted(qtbot, dialog, starter_path):
    qtbot.waitUntil(lambda: dialog.installed_list.count() > 0, timeout=10000)
    [starter] = [m for m in dialog.installed if m.bundled]
    assert starter.name == starter_path.name
    row = dialog.installed.index(starter)
    assert "built in" in dialog.installed_list.item(row).text()
    assert "No models installed" not in dialog.info_label.text()
    dialog.installed_list.setCurrentRow(row)
    assert dialog.load_button.isEnabled() and not dialog.delete_button.isEnabled()
    with pytest.raises(hub.HubError, match="cannot be deleted"):
        hub.remove_model(starter.name)
    assert starter_path.exists()


def test_errors_show_as_a_banner_with_an_icon(qtbot, dialog, fake_hub):  # noqa: F811
    dialog.tabs.setCurrentIndex(1)
    dialog.repo_edit.setText("nobody/nothing")
    dialog.list_repo()
    qtbot.waitUntil(lambda: "There is no model called" in dialog.status_label.text(), timeout=10000)
    assert dialog.status_is_error and dialog.status_icon.isVisible()
    assert "border" in dialog.status_banner.styleSheet()
    dialog.show_status("Searching…")
    assert not dialog.status_icon.isVisible() and dialog.status_banner.styleSheet() == ""


def test_the_verdict_adds_the_gpus_only_where_there_is_a_gpu():
    from tinychat.core.gguf_info import MemoryEstimate
    from tinychat.gui.model_manager import _gpu_verdict_text, _joined, _verdict_text

    def same(text):
        return text

    def shown(est):
        return _joined(_verdict_text(est.verdict, same), _gpu_verdict_text(est.gpu_verdict, same))

    mb = 1024**2
    cpu_only = MemoryEstimate(100 * mb, 20 * mb, 300 * mb, 2048, total_ram=16 * 1024 * mb)
    assert shown(cpu_only) == "fits"
    roomy = MemoryEstimate(100 * mb, 20 * mb, 300 * mb, 2048, total_ram=16 * 1024 * mb, gpu_free=4096 * mb)
    assert shown(roomy) == "fits · GPU: fits"
    small_gpu = MemoryEstimate(100 * mb, 20 * mb, 300 * mb, 2048, total_ram=16 * 1024 * mb, gpu_free=600 * mb)
    assert shown(small_gpu) == "fits · GPU: only partly, the rest on the CPU"
