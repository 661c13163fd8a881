"""Every Look-inside view exports its figures: JSON (with the model's sha256) and CSV."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any
from collections.abc import Sequence

from tinychat.core.atomic import write_text_atomically


def csv_text(rows: Sequence[Sequence[Any]], *, header: dict[str, str] | None = None) -> str:
    """CSV with optional ``# key: value`` lines first (model, sha256), which spreadsheets show as plain rows."""
    buffer = io.StringIO()
    for key, value in (header or {}).items():
        buffer.write(f"# {key}: {value}\n")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def write_json(path: str | os.PathLike[str], data: dict[str, Any]) -> Path:
    return write_text_atomically(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_csv(path: str | os.PathLike[str], rows: Sequence[Sequence[Any]], *, model: str, sha256: str) -> Path:
    return write_text_atomically(path, csv_text(rows, header={"model": model, "sha256": sha256}))
