"""The Spanish catalogue: complete, compiled, faithful to placeholders, and used by the window."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tinychat.core import i18n, paths

FOLDER = paths.resources_dir() / "translations"
TS_FILE = FOLDER / "tinychat_es.ts"
QM_FILE = FOLDER / "tinychat_es.qm"

# %1..%99 (Qt style, GUI) and {name} / {name!r} / {rate:.1f} (str.format, core).
PLACEHOLDER = re.compile(r"%\d+|\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")
# An accelerator: & before a letter (not "&&", not an entity such as &amp;).
ACCELERATOR = re.compile(r"(?<!&)&(?=[^\W\d_])(?![a-z]+;)")


def _messages() -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(TS_FILE).getroot()
    return [
        (context.findtext("name"), message.findtext("source"), message.find("translation"))
        for context in root.iter("context")
        for message in context.iter("message")
    ]


@pytest.fixture
def spanish(qapp, monkeypatch):
    """The app with the Spanish catalogue installed, as TINYCHAT_LANG=es does at start-up."""
    from tinychat.app import _install_translations

    monkeypatch.setenv("TINYCHAT_LANG", "es")
    installed = _install_translations(qapp)
    yield installed
    for translator in installed:
        qapp.removeTranslator(translator)
    i18n.set_translator(lambda context, text: text)


def test_the_catalogue_is_compiled_and_loads(qapp):
    from PySide6.QtCore import QTranslator

    assert QM_FILE.is_file()
    translator = QTranslator()
    assert translator.load(str(QM_FILE))
    assert translator.language() == "es"
    assert not translator.isEmpty()


def test_the_compiled_catalogue_is_not_older_than_its_source():
    """A .ts edited without running update.sh would ship stale translations."""
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(str(QM_FILE))
    for context, source, translation in _messages():
        assert translator.translate(context, source) == translation.text, (context, source)


def test_every_message_is_translated_and_finished():
    messages = _messages()
    assert len(messages) > 300
    unfinished = [(c, s) for c, s, t in messages if t.get("type") in ("unfinished", "obsolete", "vanished")]
    empty = [(c, s) for c, s, t in messages if not (t.text or "").strip()]
    assert unfinished == []
    assert empty == []


def test_every_translation_keeps_the_placeholders_of_its_source():
    wrong = [
        (context, source, translation.text)
        for context, source, translation in _messages()
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation.text or ""))
    ]
    assert wrong == []


def test_menu_and_label_accelerators_are_kept():
    wrong = [
        (context, source, translation.text)
        for context, source, translation in _messages()
        if len(ACCELERATOR.findall(source)) != len(ACCELERATOR.findall(translation.text or ""))
    ]
    assert wrong == []


def test_the_placeholder_check_sees_a_lost_placeholder():
    assert PLACEHOLDER.findall("{name} must be a number, not {value!r}.") == ["{name}", "{value!r}"]
    assert PLACEHOLDER.findall("{rate:.1f} tokens/s, %1 of %2") == ["{rate:.1f}", "%1", "%2"]
    assert ACCELERATOR.findall("&File") and not ACCELERATOR.findall("Tom &amp; Jerry && more")


def test_gui_strings_translate(spanish):
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("MainWindow", "Send") == "Enviar"
    assert QCoreApplication.translate("MainWindow", "&File") == "&Archivo"
    assert QCoreApplication.translate("MainWindow", "%1 / %2 tokens") == "%1 / %2 tokens"


def test_parameter_labels_translate(spanish):
    from tinychat.core.params import SPECS

    labels = {name: i18n.translate("Params", spec.label) for name, spec in SPECS.items()}
    assert labels["temperature"] == "Temperatura"
    assert labels["repeat_penalty"] == "Penalización por repetición"
    for name, spec in SPECS.items():
        assert i18n.translate("Params", spec.help) != spec.help, name


def test_core_error_sentences_reach_people_in_spanish(spanish, tmp_path):
    from tinychat.core.engine import Engine, EngineError

    missing = tmp_path / "nowhere.gguf"
    engine = Engine()
    with pytest.raises(EngineError) as caught:
        engine.load(missing)
    assert str(caught.value) == (
        f"El archivo de modelo {missing} no existe. Revisa la ruta o elige un modelo en el gestor de modelos."
    )


def test_messages_behind_helpers_are_translated_too(spanish, tmp_path):
    """gguf_info builds its errors through a helper with a module-constant context."""
    from tinychat.core.gguf_info import GGUFInfoError, read_gguf_info

    with pytest.raises(GGUFInfoError) as caught:
        read_gguf_info(tmp_path)
    assert str(caught.value).endswith(
        "es una carpeta, no un archivo de modelo. Elige un archivo .gguf que esté dentro."
    )


def test_english_is_kept_when_asked_for(qapp, monkeypatch):
    from PySide6.QtCore import QCoreApplication

    from tinychat.app import _install_translations

    monkeypatch.setenv("TINYCHAT_LANG", "en")
    installed = _install_translations(qapp)
    try:
        assert QCoreApplication.translate("MainWindow", "Send") == "Send"
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
        i18n.set_translator(lambda context, text: text)


def test_the_window_speaks_spanish(qtbot, spanish):
    from PySide6.QtWidgets import QLabel

    from tinychat.gui.main_window import MainWindow

    win = MainWindow(None)
    qtbot.addWidget(win)
    win.show()
    try:
        assert win.send_button.text() == "Enviar"
        assert win.menuBar().actions()[0].text() == "&Archivo"
        texts = {label.text() for label in win.findChildren(QLabel)}
        assert "Temperatura" in texts
        assert "instálalo" in win.banner.text().lower()
    finally:
        win.close()
