#!/bin/sh
# Refresh the Spanish catalogue after strings change, then compile it.
#
#   resources/translations/update.sh            (from anywhere in the checkout)
#
# 1. collect_indirect.py writes indirect_strings.py: the messages lupdate
#    cannot read in place (module-constant contexts, helper functions,
#    f-strings, catalog.json warnings).
# 2. lupdate reads every .py file of the package plus that file. It is given
#    the file list, because scanning a folder with "-extensions py" finds
#    nothing in lupdate 6.11. It recognises self.tr(), QCoreApplication.translate(),
#    QT_TRANSLATE_NOOP() and the core's plain translate(context, text).
#    New messages arrive as unfinished; translate them in tinychat_es.ts
#    (Qt Linguist, or any editor) before committing.
# 3. lrelease compiles tinychat_es.qm, which the app loads at start.
#
# PYTHON, LUPDATE and LRELEASE may be set to use other binaries.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PYTHON=${PYTHON:-$root/.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python3
qtdir=$("$PYTHON" -c 'import PySide6; print(list(PySide6.__path__)[0])')
LUPDATE=${LUPDATE:-$qtdir/lupdate}
LRELEASE=${LRELEASE:-$qtdir/lrelease}

cd "$root"
"$PYTHON" resources/translations/collect_indirect.py
list=$(mktemp)
trap 'rm -f "$list"' EXIT
find tinychat -name '*.py' | LC_ALL=C sort > "$list"
echo resources/translations/indirect_strings.py >> "$list"
"$LUPDATE" -no-obsolete -locations relative -source-language en -target-language es \
    @"$list" -ts resources/translations/tinychat_es.ts
"$LRELEASE" resources/translations/tinychat_es.ts -qm resources/translations/tinychat_es.qm
