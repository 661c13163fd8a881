"""The PyInstaller bundle (packaging/build_bundle.sh) runs with no network and no Python, and portably."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from readonly import files_under, run_with_read_only

pytestmark = [pytest.mark.packaging, pytest.mark.model]

ROOT = Path(__file__).resolve().parents[1]


def no_network() -> list[str]:
    """A prefix that runs a command in a new network namespace: no interface but loopback."""
    prefix = ["unshare", "-n"] if os.geteuid() == 0 else ["unshare", "-rn"]
    if shutil.which("unshare") is None or subprocess.run([*prefix, "true"]).returncode != 0:
        pytest.skip("unshare cannot make a network namespace here")
    return prefix


def bare_env(home: Path) -> dict[str, str]:
    """No Python, no virtual environment, nothing of the test's: as on a school computer."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen",
            "TINYCHAT_THREADS": "1", "TINYCHAT_LANG": "en"}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("bundle")
    env = dict(os.environ, DIST_DIR=str(work / "dist"), WORK_DIR=str(work / "build"))
    built = subprocess.run(["bash", str(ROOT / "packaging" / "build_bundle.sh")], env=env,
                           capture_output=True, text=True, timeout=1800)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    print(built.stdout.strip().splitlines()[-1])  # the size, for the log
    return work / "dist" / "tinychat"


@pytest.fixture
def home(tmp_path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


def test_version_without_network(bundle, home):
    result = subprocess.run([*no_network(), str(bundle / "tinychat"), "--version"], env=bare_env(home),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("tinychat ")


def test_self_test_without_network(bundle, home):
    result = subprocess.run([*no_network(), str(bundle / "tinychat"), "--self-test"], env=bare_env(home),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Self-test passed." in result.stdout
    assert "starter" in result.stdout.lower() or ".gguf" in result.stdout


def test_portable_bundle_on_a_read_only_home_and_stick(bundle, home):
    portable = bundle / "portable"
    portable.mkdir()
    try:
        command = [*no_network(), str(bundle / "tinychat"), "ask", "Hi", "--json", "--max-new-tokens", "4"]
        first = run_with_read_only([home], command, env=bare_env(home), capture_output=True, text=True, timeout=600)
        assert first.returncode == 0, first.stderr
        assert files_under(home) == []
        assert (portable / "chats.sqlite3").is_file()
        # The same stick write-protected: one sentence, and the reply still comes.
        second = run_with_read_only([home, portable], command, env=bare_env(home), capture_output=True,
                                    text=True, timeout=600)
        assert second.returncode == 0, second.stderr
        assert json.loads(second.stdout)["text"]
        assert len(second.stderr.strip().splitlines()) == 1 and "cannot be written" in second.stderr
    finally:
        shutil.rmtree(portable)
