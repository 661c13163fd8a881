"""One language choice for everything: TINYCHAT_LANG, then the preference, then the system; numbers to match."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tinychat.core import i18n
from tinychat.core.i18n import TsCatalogue, current_language, format_number, format_percent, install_catalogue


@pytest.fixture
def no_language(monkeypatch):
    for name in (i18n.ENV_LANG, *i18n.LOCALE_VARIABLES):
        monkeypatch.delenv(name, raising=False)
    i18n.set_preferred_language("system")
    i18n.set_toolkit_language(None)
    yield monkeypatch
    i18n.set_preferred_language("system")
    i18n.set_toolkit_language(None)
    i18n.set_translator(lambda context, text: text)


def test_tinychat_lang_beats_the_preference_and_the_system(no_language):
    no_language.setenv("LANG", "C.UTF-8")
    i18n.set_preferred_language("en")
    no_language.setenv("TINYCHAT_LANG", "es")
    assert current_language() == "es"
    no_language.setenv("LANG", "es_ES.UTF-8")
    no_language.setenv("TINYCHAT_LANG", "en")
    i18n.set_preferred_language("es")
    assert current_language() == "en"


def test_the_preference_beats_the_system(no_language):
    no_language.setenv("LANG", "es_ES.UTF-8")
    i18n.set_preferred_language("en")
    assert current_language() == "en"
    i18n.set_preferred_language("system")
    assert current_language() == "es"


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"LANG": "es_AR.UTF-8"}, "es"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8", "LC_MESSAGES": "es_ES.UTF-8"}, "es"),
        ({"LANG": "es_ES.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "es_MX.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en_US"}, "es"),
        ({"LC_ALL": "POSIX", "LANG": "es_ES"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_the_system_language_reads_the_locale_variables_in_posix_order(no_language, variables, expected):
    for name, value in variables.items():
        no_language.setenv(name, value)
    assert i18n.system_language() == expected


def test_without_locale_variables_the_toolkits_language_is_used(no_language):
    i18n.set_toolkit_language("es_CL")
    assert current_language() == "es"


def test_the_catalogue_is_read_without_qt_and_skips_unfinished(tmp_path):
    ts = tmp_path / "tinychat_es.ts"
    ts.write_text(
        """<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="es">
<context><name>CommandLine</name>
<message><source>Interrupted.</source><translation>Interrumpido.</translation></message>
<message><source>Draft</source><translation type="unfinished">Borrador</translation></message>
<message><source>Tom &amp; Jerry</source><translation>Tom y Jerry</translation></message>
</context></TS>""",
        encoding="utf-8",
    )
    catalogue = TsCatalogue.load(ts)
    assert catalogue.translate("CommandLine", "Interrupted.") == "Interrumpido."
    assert catalogue.translate("CommandLine", "Draft") == "Draft"
    assert catalogue.translate("CommandLine", "Tom & Jerry") == "Tom y Jerry"
    assert catalogue.translate("Other", "Interrupted.") == "Interrupted."


def test_the_real_catalogue_translates_the_command_line(no_language):
    assert install_catalogue("es") == ""
    assert i18n.translate("CommandLine", "Interrupted.") == "Interrumpido."
    assert i18n.translate("argparse", "usage: ") == "uso: "


def test_a_missing_catalogue_leaves_english_and_says_so(no_language, tmp_path):
    problem = install_catalogue("es", folder=tmp_path)
    assert "could not be read" in problem and "English" in problem
    assert i18n.translate("CommandLine", "Interrupted.") == "Interrupted."


NUMBERS = [(4096, 0), (49152, 0), (19.5, 1), (0.7, 2), (1234567.891, 2), (-0.5, 1), (0, 0), (999.96, 1), (10000, 0)]


def test_numbers_follow_the_language():
    assert format_number(0.7, 2, "es") == "0,70"
    assert format_number(19.5, 1, "es") == "19,5"
    assert format_number(49152, 0, "es") == "49.152"
    assert format_number(49152, 0, "en") == "49,152"
    assert format_number(19.5, 1, "en") == "19.5"
    assert format_percent(0.195, 1, "es") == "19,5%"


@pytest.mark.parametrize("language", ["en", "es"])
def test_numbers_match_what_qlocale_writes_in_the_window(qapp, language):
    from PySide6.QtCore import QLocale

    locale = (
        QLocale(QLocale.Language.Spanish)
        if language == "es"
        else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    )
    for value, decimals in NUMBERS:
        expected = locale.toString(value, "f", decimals) if decimals else locale.toString(round(value))
        assert format_number(value, decimals, language) == expected, (value, decimals)


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    import os

    environment = {k: v for k, v in os.environ.items() if k not in ("TINYCHAT_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "tinychat", *args], capture_output=True, text=True, env=environment, timeout=120
    )


def test_the_command_line_speaks_spanish_when_asked():
    result = _cli("ask", "", LANG="C.UTF-8", TINYCHAT_LANG="es")
    assert result.returncode == 2
    assert result.stderr.startswith("tinychat: la pregunta está vacía")
    help_text = _cli("--help", LANG="C.UTF-8", TINYCHAT_LANG="es").stdout
    assert help_text.startswith("uso: tinychat")
    assert "Conversa con modelos de lenguaje pequeños" in help_text


def test_the_command_line_follows_the_preference_and_the_system(isolated_data_dir):
    from tinychat.core.settings import Settings, save_settings

    save_settings(Settings(language="es"))
    assert "vacía" in _cli("ask", "", LANG="en_US.UTF-8").stderr
    save_settings(Settings(language="system"))
    assert "vacía" in _cli("ask", "", LANG="es_ES.UTF-8").stderr
    assert "empty" in _cli("ask", "", LANG="es_ES.UTF-8", TINYCHAT_LANG="en").stderr


def test_the_command_line_does_not_load_qt():
    code = (
        "import sys\n"
        "from tinychat.cli import main\n"
        "try:\n"
        "    main(['ask', ''])\n"
        "finally:\n"
        "    print('PySide6' in sys.modules)\n"
    )
    import os

    env = dict(os.environ, TINYCHAT_LANG="es")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.stdout.strip() == "False"
    assert "vacía" in result.stderr


def test_command_line_numbers_follow_the_language_but_json_does_not(tmp_path):
    import json

    from tests.gguf_files import write_tiny_gguf

    model = write_tiny_gguf(tmp_path / "tiny.gguf", arch="qwen2", context_length=49152)
    spanish = _cli("models", "info", str(model), "--n-ctx", "4096", LANG="C.UTF-8", TINYCHAT_LANG="es")
    assert spanish.returncode == 0, spanish.stderr
    assert "Longitud de contexto: 49.152" in spanish.stdout.splitlines()
    assert "Memoria con 4096 tokens" in spanish.stdout
    english = _cli("models", "info", str(model), LANG="es_ES.UTF-8", TINYCHAT_LANG="en")
    assert any(line.startswith("Context length:") and line.endswith(" 49,152") for line in english.stdout.splitlines())
    machine = _cli("models", "info", str(model), "--json", TINYCHAT_LANG="es")
    assert json.loads(machine.stdout)["context_length"] == 49152


def test_a_damaged_catalogue_leaves_english_without_a_traceback(no_language, tmp_path, caplog):
    (tmp_path / "tinychat_es.ts").write_text("<TS><context>", encoding="utf-8")
    assert install_catalogue("es", folder=tmp_path) == ""
    assert i18n.translate("CommandLine", "Interrupted.") == "Interrupted."
    assert "could not be read" in caplog.text


def test_on_windows_the_users_locale_names_the_language(no_language, monkeypatch):
    import locale

    monkeypatch.setattr(i18n.sys, "platform", "win32")
    monkeypatch.setattr(locale, "getlocale", lambda category=None: ("Spanish_Mexico", "1252"))
    assert i18n.system_language() == "es"
    monkeypatch.setattr(locale, "getlocale", lambda category=None: ("es-MX", "utf8"))
    assert i18n.system_language() == "es"
    monkeypatch.setattr(locale, "getlocale", lambda category=None: ("English_United States", "1252"))
    assert i18n.system_language() == "en"
    i18n.set_toolkit_language("es_ES")  # the window's toolkit knows better
    monkeypatch.setattr(locale, "getlocale", lambda category=None: (None, None))
    assert i18n.system_language() == "es"
