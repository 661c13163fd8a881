"""The built wheel works outside the checkout: resources inside, commands run, portable mode.

Builds the wheel from a copy of the checkout (offline: no build isolation),
installs it (not editable) into a fresh virtual environment that borrows the
already-installed dependencies, and runs it from a folder outside the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from readonly import files_under, run_with_read_only

pytestmark = [pytest.mark.packaging, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[1]
COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache")


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment like a new user's: its own home, English, off screen, no TinyChat variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TINYCHAT_", "XDG_", "HF_", "PYTEST"))}
    env.update(HOME=str(home), LANG="C.UTF-8", QT_QPA_PLATFORM="offscreen", TINYCHAT_THREADS="1",
               TINYCHAT_LANG="en", PYTHONDONTWRITEBYTECODE="1")
    env.pop("VIRTUAL_ENV", None)
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def built_wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=COPY_IGNORE)
    out = work / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--quiet", "-w", str(out), str(source)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = out.glob("tinychat-*.whl")
    return wheel


@pytest.fixture(scope="module")
def wheel_venv(built_wheel, tmp_path_factory) -> Path:
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # Borrow the dependencies already installed for the tests (a plain path line:
    # the editable TinyChat's own .pth files there are not processed).
    (Path(purelib) / "borrowed_dependencies.pth").write_text(site.getsitepackages()[0] + "\n")
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
         "--quiet", str(built_wheel)],
        capture_output=True, text=True,
    )
    assert install.returncode == 0, install.stderr
    return venv


@pytest.fixture
def outside(tmp_path) -> Path:
    """A working folder and a home folder outside the checkout."""
    (tmp_path / "cwd").mkdir()
    (tmp_path / "home").mkdir()
    return tmp_path


def run(venv: Path, args: list[str], cwd: Path, env: dict[str, str], read_only: list[Path] | None = None):
    command = [str(venv / "bin" / "tinychat"), *args]
    if read_only:
        return run_with_read_only(read_only, command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_the_wheel_carries_the_resources(built_wheel):
    names = set(zipfile.ZipFile(built_wheel).namelist())
    for needed in ("catalog.json", "glossary.json", "lessons.json", "translations/tinychat_es.qm",
                   "icons/tinychat.svg", "icons/hicolor/48x48/apps/io.github.tinychat.TinyChat.png",
                   "desktop/io.github.tinychat.TinyChat.desktop"):
        assert f"tinychat/resources/{needed}" in names
    # Every module of the checkout is in it: pyproject.toml lists the packages one by one
    # (the resources mapping rules out automatic discovery), so a new sub-package must be added there.
    modules = {str(path.relative_to(ROOT)) for path in (ROOT / "tinychat").rglob("*.py")}
    assert modules <= names, f"add to [tool.setuptools] packages: {sorted(modules - names)}"
    # Sources of the translation, not needed at run time, stay out.
    assert not [n for n in names if n.endswith((".ts", ".sh")) or (n.startswith("tinychat/resources/translations/")
                and n.endswith(".py"))]


def test_ask_json_from_the_installed_wheel(wheel_venv, outside):
    result = run(wheel_venv, ["ask", "Say hello.", "--json", "--seed", "3", "--max-new-tokens", "6"],
                 outside / "cwd", clean_env(outside / "home"))
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply["seed"] == 3 and reply["stats"]["completion_tokens"] >= 1 and reply["text"]
    # The conversation went to platformdirs' folder in this home, not next to the checkout.
    assert (outside / "home" / ".local" / "share" / "TinyChat" / "chats.sqlite3").is_file()


def test_probs_from_the_installed_wheel(wheel_venv, outside):
    result = run(wheel_venv, ["probs", "The capital of France is", "--raw", "--top", "3"],
                 outside / "cwd", clean_env(outside / "home"))
    assert result.returncode == 0, result.stderr
    assert "\" Paris\"" in result.stdout


def test_glossary_and_spanish_come_from_the_installed_package(wheel_venv, outside):
    script = (
        "import json, tinychat\n"
        "from tinychat.core import paths\n"
        "from tinychat.core.glossary import load_glossary\n"
        "from PySide6.QtCore import QTranslator\n"
        "t = QTranslator()\n"
        "loaded = t.load('tinychat_es', str(paths.resources_dir() / 'translations'))\n"
        "print(json.dumps({'package': tinychat.__file__, 'resources': str(paths.resources_dir()),\n"
        "  'terms': len(load_glossary().ids), 'loaded': loaded,\n"
        "  'help': t.translate('MainWindow', '&Help')}))\n"
    )
    result = subprocess.run([str(wheel_venv / "bin" / "python"), "-c", script], cwd=outside / "cwd",
                            env=clean_env(outside / "home"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert Path(found["package"]).is_relative_to(wheel_venv)
    assert Path(found["resources"]).is_relative_to(wheel_venv)
    assert found["terms"] >= 60
    assert found["loaded"] and found["help"] == "A&yuda"


def test_self_test_of_the_installed_wheel(wheel_venv, outside):
    result = run(wheel_venv, ["--self-test"], outside / "cwd", clean_env(outside / "home"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Self-test passed." in result.stdout


@pytest.fixture
def portable_venv(wheel_venv):
    marker = wheel_venv / "portable"
    marker.mkdir()
    yield wheel_venv
    shutil.rmtree(marker)


def test_portable_mode_writes_nothing_in_a_read_only_home(portable_venv, outside):
    home = outside / "home"
    result = run(portable_venv, ["ask", "Hi", "--json", "--max-new-tokens", "4"], outside / "cwd",
                 clean_env(home), read_only=[home])
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert files_under(home) == []
    assert (portable_venv / "portable" / "chats.sqlite3").is_file()
    listing = run(portable_venv, ["chats", "list", "--json"], outside / "cwd", clean_env(home), read_only=[home])
    assert len(json.loads(listing.stdout)) == 1


def test_portable_folder_on_a_read_only_stick_still_answers(portable_venv, outside):
    home = outside / "home"
    result = run(portable_venv, ["ask", "Hi", "--json", "--max-new-tokens", "4"], outside / "cwd",
                 clean_env(home), read_only=[home, portable_venv / "portable"])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["text"]
    assert "cannot be written" in result.stderr and "--data-dir" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert files_under(home) == [] and files_under(portable_venv / "portable") == []


def test_portable_mode_leaves_a_writable_home_untouched(portable_venv, outside):
    home = outside / "home"
    env = clean_env(home)
    for args in (["ask", "Hi", "--json", "--max-new-tokens", "4"], ["--self-test"]):
        result = run(portable_venv, args, outside / "cwd", env)
        assert result.returncode == 0, result.stdout + result.stderr
    assert files_under(home) == []
    assert (portable_venv / "portable" / "chats.sqlite3").is_file()
