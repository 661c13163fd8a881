#!/usr/bin/env bash
# Build the one-folder program dist/tinychat/ with PyInstaller (see packaging/tinychat.spec).
#   bash packaging/build_bundle.sh
# Uses .venv (made by packaging/install.sh) and installs PyInstaller into it.
# Then: dist/tinychat/tinychat --self-test ; copy dist/tinychat anywhere (a USB stick),
# and `mkdir dist/tinychat/portable` to keep every file TinyChat writes beside it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
python="${PYTHON:-$here/.venv/bin/python}"
if [ ! -x "$python" ]; then
    echo "No .venv here: run 'bash packaging/install.sh' first (or set PYTHON to a Python that has TinyChat)." >&2
    exit 1
fi
# DIST_DIR and WORK_DIR move the result and PyInstaller's scratch folder (the tests build in a temporary folder).
dist="${DIST_DIR:-$here/dist}"
work="${WORK_DIR:-$here/build/pyinstaller}"
if ! "$python" -c 'import PyInstaller' 2>/dev/null; then
    "$python" -m pip install --quiet -c packaging/constraints.txt pyinstaller
fi
rm -rf "$work" "$dist/tinychat"
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --workpath "$work" --distpath "$dist" packaging/tinychat.spec
echo "Built $dist/tinychat ($(du -sh "$dist/tinychat" | cut -f1)); try: $dist/tinychat/tinychat --self-test"
