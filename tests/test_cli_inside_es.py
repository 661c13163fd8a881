"""The inside commands (tokens, lens, surprise) speak the chosen language; their --json does not."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("TINYCHAT_LANG", "LANG", "LC_ALL", "LC_MESSAGES")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "tinychat", *args], capture_output=True, text=True, env=environment, timeout=120
    )


def test_tokens_help_is_in_spanish():
    result = _cli("tokens", "--help", LANG="C.UTF-8", TINYCHAT_LANG="es")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("uso: tinychat tokens")
    assert "Muestra cómo corta un modelo TEXT en tokens" in result.stdout
    assert "compara la misma frase en inglés y en español" in result.stdout
    assert "print one JSON object" not in result.stdout


@pytest.mark.parametrize(
    ("command", "spanish"),
    [("lens", "la lente de logits"), ("surprise", "cuánto sorprende a un modelo cada token")],
)
def test_lens_and_surprise_help_are_in_spanish(command, spanish):
    result = _cli("--help", LANG="C.UTF-8", TINYCHAT_LANG="es")
    assert result.returncode == 0, result.stderr
    assert spanish in result.stdout
    own = _cli(command, "--help", LANG="C.UTF-8", TINYCHAT_LANG="es")
    assert own.returncode == 0, own.stderr
    assert "escribe un objeto JSON en lugar de una tabla" in own.stdout
    assert "instead of a table" not in own.stdout


@pytest.mark.parametrize("command", ["tokens", "lens", "surprise"])
def test_empty_text_is_refused_in_spanish(command):
    result = _cli(command, "  ", LANG="C.UTF-8", TINYCHAT_LANG="es")
    assert result.returncode == 1
    assert "está vacío; escribe algún texto" in result.stderr
    assert "Traceback" not in result.stderr


def test_tokens_table_is_in_spanish_with_spanish_numbers(starter_path):
    result = _cli("tokens", "Hola", "--languages", LANG="C.UTF-8", TINYCHAT_LANG="es")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Modelo {starter_path.name} (vocabulario de 49.152 tokens)"
    assert lines[1].endswith("tokens para 4 caracteres y 1 palabras")
    assert lines[3].split() == ["#", "id", "trozo", "bytes", "caract."]
    assert "La misma frase en dos idiomas:" in lines
    ratio = next(line for line in lines if "el español cuesta" in line)
    assert "," in ratio.split("cuesta ")[1].split(" veces")[0]
    english = _cli("tokens", "Hola", LANG="es_ES.UTF-8", TINYCHAT_LANG="en")
    assert english.stdout.splitlines()[0] == f"Model {starter_path.name} (vocabulary of 49,152 tokens)"


def test_tokens_json_is_the_same_in_every_language():
    spanish = _cli("tokens", "Hola", "--languages", "--json", LANG="C.UTF-8", TINYCHAT_LANG="es")
    english = _cli("tokens", "Hola", "--languages", "--json", LANG="C.UTF-8", TINYCHAT_LANG="en")
    assert spanish.returncode == english.returncode == 0, spanish.stderr + english.stderr
    assert spanish.stdout == english.stdout
    report = json.loads(spanish.stdout)
    assert report["vocabulary_size"] == 49152
    assert isinstance(report["languages"][0]["tokens_per_word"], float)


def test_lens_table_is_in_spanish(starter_path):
    result = _cli("lens", "La capital de Francia es", "--raw", LANG="C.UTF-8", TINYCHAT_LANG="es")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Lente de logits sobre {starter_path.name}: ")
    assert lines[0].endswith("capas de la 0 (embedding) a la 30")
    assert any(line.split()[:1] == ["capa"] for line in lines)
    assert any(line.startswith("Probabilidad de la respuesta final ") for line in lines)
    check = next(line for line in lines if line.startswith(("Comprobado con llama.cpp", "Atención:")))
    assert "0," in check and "0." not in check


def test_lens_json_notes_follow_the_language_and_its_figures_do_not(starter_path):
    spanish = _cli("lens", "La capital de Francia es", "--raw", "--json", LANG="C.UTF-8", TINYCHAT_LANG="es")
    english = _cli("lens", "La capital de Francia es", "--raw", "--json", LANG="C.UTF-8", TINYCHAT_LANG="en")
    assert spanish.returncode == english.returncode == 0, spanish.stderr + english.stderr
    es, en = json.loads(spanish.stdout), json.loads(english.stdout)
    assert es["note"].startswith("Las filas anteriores a la última son aproximadas")
    assert en["note"].startswith("Rows before the last are approximate")
    assert es["check_sentence"].startswith("Comprobado con llama.cpp") and "0," in es["check_sentence"]
    assert en["check_sentence"].startswith("Checked against llama.cpp")
    prose = ("note", "dropped_note", "check_sentence")
    assert {k: v for k, v in es.items() if k not in prose} == {k: v for k, v in en.items() if k not in prose}
