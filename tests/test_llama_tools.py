"""Finding and building llama.cpp's own programs (tinychat/core/llama_tools.py)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tinychat.core import llama_tools


def _program(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\necho built\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_tools_dir_follows_the_override(tmp_path, monkeypatch):
    monkeypatch.setenv(llama_tools.ENV_TOOLS_DIR, str(tmp_path / "tools"))
    assert llama_tools.tools_dir() == tmp_path / "tools"


def test_tools_dir_is_per_llama_cpp_version(monkeypatch):
    monkeypatch.delenv(llama_tools.ENV_TOOLS_DIR, raising=False)
    folder = llama_tools.tools_dir()
    assert folder.name == "bin"
    assert folder.parent.name == f"llama.cpp-{llama_tools.llama_cpp_version()}"


def test_find_tool_prefers_the_cache_over_the_path(tmp_path, monkeypatch):
    cached = _program(tmp_path / "cache", "llama-bench")
    on_path = _program(tmp_path / "path", "llama-bench")
    monkeypatch.setenv(llama_tools.ENV_TOOLS_DIR, str(cached.parent))
    monkeypatch.setenv("PATH", str(on_path.parent))
    assert llama_tools.find_tool("llama-bench") == cached
    cached.unlink()
    assert llama_tools.find_tool("llama-bench") == on_path


def test_find_tool_ignores_a_file_that_cannot_run(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / "llama-server").write_text("not a program")
    monkeypatch.setenv(llama_tools.ENV_TOOLS_DIR, str(folder))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert llama_tools.find_tool("llama-server") is None


def test_build_returns_programs_already_built_without_building(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    server, bench = _program(folder, "llama-server"), _program(folder, "llama-bench")
    monkeypatch.setenv(llama_tools.ENV_TOOLS_DIR, str(folder))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no cmake, no compiler: nothing may be needed
    assert llama_tools.build_tools() == {"llama-server": server, "llama-bench": bench}


def test_build_without_cmake_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv(llama_tools.ENV_TOOLS_DIR, str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(llama_tools.ToolBuildError, match="needs cmake and a C/C\\+\\+ compiler, and cmake was not"):
        llama_tools.build_tools(["llama-bench"])
    assert not (tmp_path / "cache").exists()


def test_sources_without_llama_cpp_are_refused(tmp_path):
    inner = tmp_path / "llama_cpp_python-0.0.0"
    inner.mkdir()
    (inner / "README.md").write_text("no sources here")
    archive = tmp_path / "llama_cpp_python-0.0.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(inner, arcname=inner.name)
    with pytest.raises(llama_tools.ToolBuildError, match=r"have no llama\.cpp folder"):
        llama_tools._extract_llama_cpp(archive, tmp_path / "out")


def test_sources_that_escape_their_folder_are_refused(tmp_path):
    archive = tmp_path / "llama_cpp_python-0.0.0.tar.gz"
    payload = tmp_path / "payload"
    payload.write_text("x")
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(payload, arcname="../escaped")
    with pytest.raises(tarfile.FilterError):
        llama_tools._extract_llama_cpp(archive, tmp_path / "out")
    assert not (tmp_path / "escaped").exists()


def test_command_line_reports_a_failed_build_in_one_sentence(tmp_path):
    env = {**os.environ, llama_tools.ENV_TOOLS_DIR: str(tmp_path / "cache"), "PATH": str(tmp_path / "empty")}
    result = subprocess.run(
        [sys.executable, "-m", "tinychat.core.llama_tools", "llama-bench"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cmake" in result.stderr
