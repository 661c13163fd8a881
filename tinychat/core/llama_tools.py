"""llama.cpp's own programs (``llama-server``, ``llama-bench``), found or built from the sources we ship.

llama-cpp-python bundles llama.cpp's libraries but not its programs. Two of
them are worth having: ``llama-server`` serves a model to a whole class with
continuous batching over parallel slots (``tinychat serve``), and
``llama-bench`` is the reference a speed report compares TinyChat against
(``tinychat bench``). They are looked for, in this order:

1. the folder in ``TINYCHAT_LLAMA_TOOLS_DIR``;
2. TinyChat's own cache (:func:`tools_dir`), where :func:`build_tools` puts them;
3. the ``PATH`` (a system or Homebrew llama.cpp).

:func:`build_tools` compiles them from the llama.cpp sources inside the
llama-cpp-python sdist of the version TinyChat pins, so the programs and the
library agree on the GGUF format and the kernels. It needs a C/C++ compiler
and cmake, and takes about ten minutes on two cores (18 minutes of CPU time measured), once. The sdist comes
from pip (its cache first, then PyPI); with no network and no cache the
sentence says so and nothing is half-built.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import platformdirs

from tinychat import APP_NAME
from tinychat.core.i18n import translate

ENV_TOOLS_DIR = "TINYCHAT_LLAMA_TOOLS_DIR"
TOOLS = ("llama-server", "llama-bench")


class ToolBuildError(RuntimeError):
    """A build that could not be done; the message is one sentence for the user."""


def llama_cpp_version() -> str:
    """The version of the installed llama-cpp-python (read without importing it: that loads llama.cpp)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("llama-cpp-python")
    except PackageNotFoundError:
        return "unknown"


def tools_dir() -> Path:
    """Where built programs are kept: per llama-cpp-python version, in the user's cache (or the portable folder)."""
    override = os.environ.get(ENV_TOOLS_DIR)
    if override:
        return Path(override).expanduser()
    from tinychat.core import paths

    base = paths.cache_dir() if paths.is_portable() else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    return base / f"llama.cpp-{llama_cpp_version()}" / "bin"


def find_tool(name: str) -> Path | None:
    """The path of llama.cpp's program ``name`` (``llama-server``, ``llama-bench``), or None."""
    exe = name + (".exe" if sys.platform == "win32" else "")
    places = [tools_dir()]
    if getattr(sys, "frozen", False):  # an installed app: a program shipped beside it
        places.append(Path(sys.executable).resolve().parent)
    for place in places:
        candidate = place / exe
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    return Path(found) if found else None


def _fetch_sdist(version: str, into: Path, say: Callable[[str], None]) -> Path:
    """The llama-cpp-python sdist of ``version``, through pip (which uses its cache before the network)."""
    say(translate("LlamaTools", "Fetching the llama.cpp sources (llama-cpp-python {version})…").format(version=version))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
         "-d", str(into), f"llama-cpp-python=={version}"],
        capture_output=True, text=True, check=False,
    )
    archives = sorted(into.glob("llama_cpp_python-*.tar.gz"))
    if result.returncode != 0 or not archives:
        raise ToolBuildError(
            translate(
                "LlamaTools",
                "The llama.cpp sources (llama-cpp-python {version}) could not be fetched: pip has no copy in its "
                "cache and PyPI could not be reached. Connect to the network once and try again.",
            ).format(version=version)
        )
    return archives[0]


def _extract_llama_cpp(archive: Path, into: Path) -> Path:
    """Unpack the sdist's ``vendor/llama.cpp`` folder (members are checked: no path leaves ``into``)."""
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    found = sorted(into.glob("llama_cpp_python-*/vendor/llama.cpp/CMakeLists.txt"))
    if not found:
        raise ToolBuildError(
            translate("LlamaTools", "The llama-cpp-python sources in {file} have no llama.cpp folder.").format(
                file=archive.name
            )
        )
    return found[0].parent


def build_tools(
    names: Iterable[str] = TOOLS,
    *,
    jobs: int | None = None,
    say: Callable[[str], None] = print,
) -> dict[str, Path]:
    """Compile llama.cpp's programs ``names`` into :func:`tools_dir`; return their paths.

    Programs already built are not built again. Raises ToolBuildError with a
    sentence when a compiler or cmake is missing, the sources cannot be
    fetched, or the build fails (the last lines of its output are logged).
    """
    wanted = [name for name in names if name in TOOLS]
    target_dir = tools_dir()
    done = {name: target_dir / name for name in wanted if (target_dir / name).is_file()}
    missing = [name for name in wanted if name not in done]
    if not missing:
        return done
    cmake = shutil.which("cmake")
    compiler = shutil.which("c++") or shutil.which("g++") or shutil.which("clang++")
    if cmake is None or compiler is None:
        raise ToolBuildError(
            translate(
                "LlamaTools",
                "Building llama.cpp's programs needs cmake and a C/C++ compiler, and {missing} was not found. "
                "Install it (Debian/Ubuntu: sudo apt install cmake build-essential) and try again.",
            ).format(missing="cmake" if cmake is None else "a C/C++ compiler")
        )
    version = llama_cpp_version()
    jobs = jobs or max(1, os.cpu_count() or 1)
    with tempfile.TemporaryDirectory(prefix="tinychat-llama-build-") as tmp:
        work = Path(tmp)
        source = _extract_llama_cpp(_fetch_sdist(version, work / "sdist", say), work / "src")
        build = work / "build"
        say(translate("LlamaTools", "Compiling {names} (about ten minutes on two cores)…").format(
            names=", ".join(missing)))
        # Static libraries: the programs then run from the cache folder alone.
        # No curl (nothing is downloaded by them), no tests or examples.
        configure = [
            cmake, "-S", str(source), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
            "-DBUILD_SHARED_LIBS=OFF", "-DLLAMA_CURL=OFF", "-DLLAMA_BUILD_TESTS=OFF",
            "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_BUILD_SERVER=ON", "-DLLAMA_BUILD_TOOLS=ON",
        ]
        compile_ = [cmake, "--build", str(build), "--config", "Release", "-j", str(jobs), "--target", *missing]
        for step in (configure, compile_):
            env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
            result = subprocess.run(step, capture_output=True, text=True, check=False, env=env)
            if result.returncode != 0:
                tail = "\n".join((result.stdout + result.stderr).splitlines()[-20:])
                raise ToolBuildError(
                    translate("LlamaTools", "Compiling llama.cpp's programs failed: {tail}").format(tail=tail)
                )
        target_dir.mkdir(parents=True, exist_ok=True)
        for name in missing:
            built = next((p for p in build.rglob(name) if p.is_file() and os.access(p, os.X_OK)), None)
            if built is None:
                raise ToolBuildError(
                    translate("LlamaTools", "The build finished but made no {name}.").format(name=name)
                )
            # Copy then rename, so a build interrupted halfway never leaves a broken program behind.
            partial = target_dir / f".{name}.partial"
            shutil.copy2(built, partial)
            partial.replace(target_dir / name)
            done[name] = target_dir / name
    return done


def main(argv: list[str] | None = None) -> int:
    """``python -m tinychat.core.llama_tools [NAME...]``: build the programs once (benchmarks use it)."""
    names = (argv if argv is not None else sys.argv[1:]) or list(TOOLS)
    try:
        built = build_tools(names)
    except ToolBuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    for name, path in built.items():
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
