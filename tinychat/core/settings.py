"""What TinyChat remembers between runs: preferences, the last model, the window's layout, sampling values per model.

Stored as JSON with a schema version, written atomically (a temporary file
renamed over the old one) so a crash mid-save never leaves a half-written file.

Reading follows the store's pattern: the file's ``schema`` number says which
of :data:`MIGRATIONS` still have to run to bring it to :data:`SCHEMA_VERSION`.
Every value is checked against its field's type; one of the wrong type falls
back to its default alone. Three cases leave a sentence in ``Settings.notice``
for the window (and the command line) to show:

* a file that cannot be read is moved aside (``settings.json.unreadable-…``),
  never overwritten, and TinyChat starts with the defaults;
* a file written by a newer TinyChat is read for what this version
  understands and is never saved over (``Settings.read_only``);
* a file that cannot be moved aside is left where it is, also read-only.
"""

from __future__ import annotations

import json
import logging
import time
import typing
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any
from collections.abc import Callable

from tinychat.core import paths
from tinychat.core.atomic import write_text_atomically
from tinychat.core.i18n import QT_TRANSLATE_NOOP, translate
from tinychat.core.params import GenerationParams

log = logging.getLogger("tinychat.settings")

_CTX = "Settings"

LANGUAGE_CHOICES: tuple[str, ...] = ("system", "en", "es")
THEME_CHOICES: tuple[str, ...] = ("system", "light", "dark")
TEXT_SCALE_RANGE: tuple[int, int] = (70, 250)
#: As tinychat.core.hardware.FLASH_ATTN_CHOICES (not imported: reading settings must not load llama.cpp).
FLASH_ATTN_CHOICES: tuple[str, ...] = ("auto", "on", "off")
#: GPU layers: -2 automatic (what fits in the GPU's free memory), -1 all, 0 none, or a number.
GPU_LAYERS_MIN = -2
MAX_RECENT_SERVERS = 8
#: Speculative decoding: "off", "lookup" (prompt lookup) or "draft" (a draft model); tinychat.core.speculative.
SPECULATIVE_CHOICES: tuple[str, ...] = ("off", "lookup", "draft")

_UNREADABLE = QT_TRANSLATE_NOOP(
    _CTX,
    "Your settings file could not be read, so TinyChat started with the default settings; the old file is kept as "
    "{aside}.",
)
_UNREADABLE_KEPT = QT_TRANSLATE_NOOP(
    _CTX,
    "Your settings file {path} could not be read, so TinyChat started with the default settings and will not change "
    "that file.",
)
_NEWER = QT_TRANSLATE_NOOP(
    _CTX,
    "Your settings were saved by a newer TinyChat; this version uses what it understands and will not save over them.",
)


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 gives every setting one type: the automatic context size is 0, no longer null."""
    if data.get("n_ctx") is None:
        data["n_ctx"] = 0
    return data


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 adds the batch size and flash attention, and GPU layers may be -2 (automatic).

    A file from version 2 keeps the GPU layers it had: 0 there may have been
    chosen on purpose. Only new settings start with automatic GPU layers.
    """
    layers = data.get("n_gpu_layers")
    if not isinstance(layers, int) or isinstance(layers, bool):
        data["n_gpu_layers"] = 0  # version 2's default, whether absent or unreadable
    data.setdefault("n_batch", 0)
    data.setdefault("flash_attn", "auto")
    return data


#: MIGRATIONS[i] turns a version i+1 settings dict into version i+2.
MIGRATIONS: list[Callable[[dict[str, Any]], dict[str, Any]]] = [_v1_to_v2, _v2_to_v3]
SCHEMA_VERSION = len(MIGRATIONS) + 1


@dataclass
class Settings:
    # -- preferences (the Preferences dialog) --
    #: "system", or a language code from tinychat.core.i18n.LANGUAGES.
    language: str = "system"
    #: "system", "light" or "dark".
    theme: str = "system"
    #: The size of all text, in percent of the system's.
    text_scale: int = 100
    #: The model opened at start ("" : the last one used).
    default_model: str = ""
    #: llama.cpp's CPU threads (0: automatic, from the physical cores and the load).
    n_threads: int = 0
    #: -2 automatic, -1 all, 0 none, or a number of layers.
    n_gpu_layers: int = GPU_LAYERS_MIN
    #: Tokens of a prompt llama.cpp reads in one batch (0: automatic, 512).
    n_batch: int = 0
    #: "auto" (llama.cpp decides per device), "on" or "off".
    flash_attn: str = "auto"
    #: The context window in tokens (0: automatic).
    n_ctx: int = 0
    #: Where models are kept ("": models/ in the data folder).
    models_dir: str = ""
    #: Speculative decoding, one of SPECULATIVE_CHOICES. New fields with defaults need no migration:
    #: a file without them reads as "off", and an older TinyChat ignores them.
    speculative: str = "off"
    #: The smaller model that guesses when ``speculative`` is "draft" ("": none chosen).
    draft_model: str = ""
    #: Shade the tokens of a reply whose guess the model confirmed.
    show_drafts: bool = True

    # -- remembered --
    last_model: str | None = None
    #: Sampling values last used with each model, keyed by file name.
    params_by_model: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The prompt template the person chose for each model ("" or absent: the model's own choice).
    template_by_model: dict[str, str] = field(default_factory=dict)
    #: The window's saved geometry and splitter state (Qt's own bytes, base64).
    window_geometry: str = ""
    window_state: str = ""
    #: The main window's own state (docks and toolbars; Qt's bytes, base64).
    main_window_state: str = ""
    #: The conversation on screen when the window closed (None: a new one).
    last_conversation: int | None = None
    classroom_mode: bool = False
    probability_view: bool = False
    #: Inference servers used, newest first: ``{"url": base URL, "model": model id}``. Their API keys are
    #: kept in the system keyring, never here. A new field with a default needs no schema step: an older
    #: TinyChat ignores it, and a file without it reads as no servers.
    recent_servers: list[dict[str, str]] = field(default_factory=list)

    # Not saved: what happened while reading the file.
    #: What to tell the person about the file (an untranslated sentence and its values); see notice().
    notice_source: str = field(default="", compare=False, repr=False, metadata={"saved": False})
    notice_args: dict[str, str] = field(default_factory=dict, compare=False, repr=False, metadata={"saved": False})
    #: True when the file must not be saved over (newer, or unreadable and not moved aside).
    read_only: bool = field(default=False, compare=False, repr=False, metadata={"saved": False})

    def notice(self) -> str:
        """One sentence about the settings file, in the current language, or "" when all went well.

        Translated when asked, not when read: the file is read before the
        window's translations are installed.
        """
        return translate(_CTX, self.notice_source).format(**self.notice_args) if self.notice_source else ""

    def params_for(self, model_file: str) -> GenerationParams | None:
        data = self.params_by_model.get(model_file)
        if not data:
            return None
        params = GenerationParams.from_dict(data)
        return params if not params.problems() else None

    def remember_params(self, model_file: str, params: GenerationParams) -> None:
        self.params_by_model[model_file] = params.to_dict()

    def remember_server(self, url: str, model: str) -> None:
        """Put ``url`` (with the model chosen there) first in :attr:`recent_servers`."""
        rest = [s for s in self.recent_servers if s.get("url") != url]
        self.recent_servers = [{"url": url, "model": model}, *rest][:MAX_RECENT_SERVERS]

    def saved_values(self) -> dict[str, Any]:
        return {
            f.name: value
            for f, value in zip(fields(self), asdict(self).values(), strict=True)
            if f.metadata.get("saved", True)
        }

    def problems(self) -> list[str]:
        """Values out of their range, as sentences for the log; :func:`load_settings` resets those."""
        found = []
        if self.language not in LANGUAGE_CHOICES:
            found.append(f"language {self.language!r} is not one of {LANGUAGE_CHOICES}")
        if self.theme not in THEME_CHOICES:
            found.append(f"theme {self.theme!r} is not one of {THEME_CHOICES}")
        if not TEXT_SCALE_RANGE[0] <= self.text_scale <= TEXT_SCALE_RANGE[1]:
            found.append(f"text_scale {self.text_scale} is outside {TEXT_SCALE_RANGE}")
        if self.speculative not in SPECULATIVE_CHOICES:
            found.append(f"speculative {self.speculative!r} is not one of {SPECULATIVE_CHOICES}")
        if self.n_threads < 0 or self.n_ctx < 0 or self.n_batch < 0 or self.n_gpu_layers < GPU_LAYERS_MIN:
            found.append("a thread, context, batch or GPU layer count is negative")
        if self.flash_attn not in FLASH_ATTN_CHOICES:
            found.append(f"flash_attn {self.flash_attn!r} is not one of {FLASH_ATTN_CHOICES}")
        return found


def _type_matches(value: Any, annotation: Any) -> bool:
    """Whether a JSON value fits a field's annotation (the handful of types Settings uses)."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return any(_type_matches(value, arg) for arg in typing.get_args(annotation))
    if annotation is type(None):
        return value is None
    if origin is dict or annotation is dict:
        return isinstance(value, dict)
    if origin is list or annotation is list:
        return isinstance(value, list)
    if annotation is bool:
        return isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if annotation is str:
        return isinstance(value, str)
    return False


def _from_dict(values: dict[str, Any]) -> Settings:
    """Settings from a migrated dict: unknown keys are ignored, a value of the wrong type keeps its default."""
    hints = typing.get_type_hints(Settings)
    known = {}
    for f in fields(Settings):
        if not f.metadata.get("saved", True) or f.name not in values:
            continue
        if _type_matches(values[f.name], hints[f.name]):
            known[f.name] = values[f.name]
        else:
            log.warning("setting %s has the wrong type (%r); using the default", f.name, values[f.name])
    settings = Settings(**known)
    defaults = Settings()
    for problem in settings.problems():
        log.warning("setting ignored: %s", problem)
    if settings.language not in LANGUAGE_CHOICES:
        settings.language = defaults.language
    if settings.theme not in THEME_CHOICES:
        settings.theme = defaults.theme
    if settings.speculative not in SPECULATIVE_CHOICES:
        settings.speculative = defaults.speculative
    if not TEXT_SCALE_RANGE[0] <= settings.text_scale <= TEXT_SCALE_RANGE[1]:
        settings.text_scale = defaults.text_scale
    settings.n_threads = max(0, settings.n_threads)
    settings.n_ctx = max(0, settings.n_ctx)
    settings.n_batch = max(0, settings.n_batch)
    settings.n_gpu_layers = max(GPU_LAYERS_MIN, settings.n_gpu_layers)
    if settings.flash_attn not in FLASH_ATTN_CHOICES:
        settings.flash_attn = defaults.flash_attn
    settings.recent_servers = [
        {"url": s["url"], "model": str(s.get("model")) if isinstance(s.get("model"), str) else ""}
        for s in settings.recent_servers
        if isinstance(s, dict) and isinstance(s.get("url"), str) and s["url"]
    ][:MAX_RECENT_SERVERS]
    return settings


def migrate(data: dict[str, Any], version: int) -> dict[str, Any]:
    """Step a settings dict of schema ``version`` forward to :data:`SCHEMA_VERSION`."""
    for step in MIGRATIONS[max(0, version - 1):]:
        data = step(dict(data))
    return data


def _unreadable(path: Path, reason: object) -> Settings:
    aside = path.with_name(f"{path.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        path.replace(aside)
    except OSError as exc:
        log.warning("settings file %s could not be read (%s) nor moved aside (%s)", path, reason, exc)
        return Settings(read_only=True, notice_source=_UNREADABLE_KEPT, notice_args={"path": str(path)})
    log.warning("settings file %s could not be read (%s); moved to %s", path, reason, aside)
    return Settings(notice_source=_UNREADABLE, notice_args={"aside": aside.name})


def load_settings(path: Path | None = None) -> Settings:
    """The settings in ``path`` (default: the data folder's), migrated; never raises for a bad file."""
    if path is None:
        try:
            path = paths.settings_file()
        except OSError as exc:  # the data folder itself is unusable: the store and the window say so
            log.info("no settings: the data folder cannot be used (%s)", exc)
            return Settings()
    if not path.parent.is_dir():  # the data folder is unusable: the store and the window say so
        log.info("no settings: %s is not a folder", path.parent)
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, ValueError) as exc:
        return _unreadable(path, exc)
    if not isinstance(raw, dict) or not isinstance(raw.get("settings", {}), dict):
        return _unreadable(path, "not a settings object")
    version = raw.get("schema", 1)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return _unreadable(path, f"schema version {version!r}")
    values = raw.get("settings", {})
    if version > SCHEMA_VERSION:
        log.warning(
            "settings file %s has schema %d, newer than %d; reading it without saving", path, version, SCHEMA_VERSION
        )
        settings = _from_dict(values)
        settings.read_only = True
        settings.notice_source = _NEWER
        return settings
    return _from_dict(migrate(values, version))


def save_settings(settings: Settings, path: Path | None = None) -> bool:
    """Write ``settings`` atomically; False (and nothing written) when they must not be saved over.

    Raises OSError when the file cannot be written.
    """
    target = path or paths.settings_file()
    if settings.read_only:
        log.info("settings not saved: %s is kept as it is", target)
        return False
    payload = json.dumps({"schema": SCHEMA_VERSION, "settings": settings.saved_values()}, indent=2, ensure_ascii=False)
    write_text_atomically(target, payload)
    return True
