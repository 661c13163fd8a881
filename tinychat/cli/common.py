"""What every command shares: how it ends with a sentence.

Each command keeps its own ``_t()`` (``translate("CommandLine", text)``): the
translation collector follows such helpers within one module only.
"""

from __future__ import annotations

import sys
from collections.abc import Container

EXIT_FAILURE = 1


def fail(message: str, code: int = EXIT_FAILURE) -> int:
    """Print ``message`` as one line on stderr and return the exit code."""
    print(f"tinychat: {message}", file=sys.stderr)  # "tinychat:" is the program's name, in every language
    return code


def table(rows: list[list[str]], left: Container[int] = (), aligned: int | None = None) -> list[str]:
    """``rows`` as lines, columns two spaces apart: those in ``left`` flush left, the others flush right.

    Only the first ``aligned`` columns (all, by default) are padded; a cell after
    them (a note, a list of alternatives) follows as it is. Trailing spaces are dropped.
    """
    count = aligned if aligned is not None else max(len(r) for r in rows)
    widths = [max(len(r[i]) for r in rows if i < len(r)) for i in range(count)]
    lines = []
    for row in rows:
        cells = [
            c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(row[:count], widths, strict=False))
        ]
        lines.append("  ".join(cells + list(row[count:])).rstrip())
    return lines
