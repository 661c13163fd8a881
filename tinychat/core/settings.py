"""What TinyChat remembers between runs: the last model, its load options, the sampling values per model.

Stored as JSON with a schema version, written atomically (a temporary file
renamed over the old one) so a crash mid-save never leaves a half-written file.
A file that cannot be read is moved aside, never overwritten.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from tinychat.core import paths
from tinychat.core.atomic import write_text_atomically
from tinychat.core.params import GenerationParams

log = logging.getLogger("tinychat.settings")

SCHEMA_VERSION = 1


@dataclass
class Settings:
    last_model: str | None = None
    n_gpu_layers: int = 0
    n_ctx: int | None = None
    #: Sampling values last used with each model, keyed by file name.
    params_by_model: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The prompt template the person chose for each model ("" or absent: the model's own choice).
    template_by_model: dict[str, str] = field(default_factory=dict)
    #: The window's saved geometry and splitter state (Qt's own bytes, base64).
    window_geometry: str = ""
    window_state: str = ""

    def params_for(self, model_file: str) -> GenerationParams | None:
        data = self.params_by_model.get(model_file)
        if not data:
            return None
        params = GenerationParams.from_dict(data)
        return params if not params.problems() else None

    def remember_params(self, model_file: str, params: GenerationParams) -> None:
        self.params_by_model[model_file] = params.to_dict()


def load_settings(path: Path | None = None) -> Settings:
    path = path or paths.settings_file()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        aside = path.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            path.replace(aside)
            log.warning("settings file %s could not be read (%s); moved to %s", path, exc, aside)
        except OSError:
            log.warning("settings file %s could not be read (%s)", path, exc)
        return Settings()
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in raw.get("settings", {}).items() if k in known}
    try:
        return Settings(**values)
    except TypeError:
        return Settings()


def save_settings(settings: Settings, path: Path | None = None) -> None:
    payload = json.dumps({"schema": SCHEMA_VERSION, "settings": asdict(settings)}, indent=2, ensure_ascii=False)
    write_text_atomically(path or paths.settings_file(), payload)
