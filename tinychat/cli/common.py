"""What every command shares: how it ends with a sentence.

Each command keeps its own ``_t()`` (``translate("CommandLine", text)``): the
translation collector follows such helpers within one module only.
"""

from __future__ import annotations

import sys

EXIT_FAILURE = 1


def fail(message: str, code: int = EXIT_FAILURE) -> int:
    """Print ``message`` as one line on stderr and return the exit code."""
    print(f"tinychat: {message}", file=sys.stderr)  # "tinychat:" is the program's name, in every language
    return code
