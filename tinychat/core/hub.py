"""Hugging Face: find GGUF files, download them so that they survive anything, keep the token safe.

What lives here:

- ``list_gguf_files(repo)``: every GGUF in a repo with size, quantization and
  LFS sha256, split multi-part files grouped as one model (``RemoteModel``).
- ``search_models(text)``: repos on the Hub whose name matches.
- ``download(repo, filename)``: into TinyChat's models folder, with progress,
  cancel, resume and sha256 verification; ``DownloadQueue`` runs several in
  turn from one worker thread.
- ``installed_models()``, ``import_gguf(path)``, ``remove_model(name)``.
- The token: ``load_token()``, ``save_token()``, ``forget_token()``,
  ``validate_token()``, kept in the OS keyring and nowhere else.

Every failure a person can meet is raised as ``HubError`` carrying a sentence
that says what happened and what to do; ``HubError.kind`` tells programs which.
Nothing here touches Qt; the window runs these calls in a worker thread.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any
from collections.abc import Callable, Iterable
from urllib.parse import urlparse

# Both switches must be set before huggingface_hub is imported, because it reads
# them into module constants at import time:
# - HF_HUB_DISABLE_XET: Xet-backed repos otherwise take a second download path
#   with its own progress and no byte ranges we control; with it disabled the
#   resolve URL serves plain bytes, so there is one path to cancel and resume.
# - HF_HUB_DISABLE_IMPLICIT_TOKEN: huggingface_hub would otherwise send a token
#   found in ~/.cache/huggingface or HF_TOKEN with every request, behind the
#   person's back. TinyChat passes the keyring token explicitly (or False).
os.environ["HF_HUB_DISABLE_XET"] = "1"
os.environ["HF_HUB_DISABLE_IMPLICIT_TOKEN"] = "1"

import httpx2
import keyring
import keyring.errors
from huggingface_hub import HfApi, get_hf_file_metadata, get_session, hf_hub_url
from huggingface_hub import constants as hf_constants
from huggingface_hub.errors import (
    GatedRepoError,
    HFValidationError,
    HfHubHTTPError,
    OfflineModeIsEnabled,
    RemoteEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.utils import build_hf_headers, hf_raise_for_status

from tinychat.core import paths
from tinychat.core.catalog import CatalogEntry, entry_for_file, starter_model_path
from tinychat.core.fingerprint import hash_file
from tinychat.core.gguf_info import GGUFInfoError, format_bytes, read_gguf_info
from tinychat.core.i18n import translate

# If something imported huggingface_hub before us, its constants were read
# without our switches; make them hold anyway.
hf_constants.HF_HUB_DISABLE_IMPLICIT_TOKEN = True
hf_constants.HF_HUB_DISABLE_XET = True

_CTX = "Hub"
DEFAULT_ENDPOINT = "https://huggingface.co"
KEYRING_SERVICE = "TinyChat"
KEYRING_USER = "huggingface"
PART_SUFFIX = ".part"
STATE_SUFFIX = ".part.json"
MANIFEST_NAME = "downloads.json"
CHUNK_SIZE = 1024 * 1024
# Kept free beyond the file itself, so a download never fills the disk to the last byte.
DISK_MARGIN = 200 * 1024 * 1024
METADATA_TIMEOUT = 20.0
READ_TIMEOUT = 60.0
#: How long one read waits before the cancel button is looked at again; a
#: stalled server is given READ_TIMEOUT in all before the download fails.
CANCEL_POLL = 0.5

_SPLIT_RE = re.compile(r"^(?P<stem>.+)-(?P<part>\d{5})-of-(?P<total>\d{5})\.gguf$", re.IGNORECASE)
_QUANT_RE = re.compile(
    r"(?<![A-Za-z0-9])("
    r"IQ[1-4]_(?:XXS|XS|NL|S|M)|Q[2-6]_K(?:_(?:XL|S|M|L))?|Q[4-5]_[01]|Q8_0|Q8_K|TQ[12]_0|MXFP4|BF16|FP16|F16|F32"
    r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
_SHA1_RE = re.compile(r"^[0-9a-f]{40}$")


# --- errors ------------------------------------------------------------------


class HubError(RuntimeError):
    """A sentence for a person, and a ``kind`` for programs.

    Kinds: not_found, file_not_found, no_gguf, gated, bad_token, network, server,
    hash_mismatch, disk_full, unsafe_name, invalid, exists, cancelled, keyring.
    """

    def __init__(self, message: str, kind: str = "error") -> None:
        super().__init__(message)
        self.kind = kind


class DownloadCancelled(HubError):
    def __init__(self, message: str) -> None:
        super().__init__(message, "cancelled")


def _say(text: str, **values: Any) -> str:
    return translate(_CTX, text).format(**values)


def endpoint() -> str:
    """The Hub address, read from HF_ENDPOINT at each call (huggingface_hub reads it only at import)."""
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def model_page(repo: str) -> str:
    return f"{endpoint()}/{repo}"


def _explain(exc: BaseException, repo: str, filename: str = "", token: str | None = None) -> HubError:  # noqa: C901, PLR0911, PLR0912 - a table from each kind of failure to its sentence
    """Turn what huggingface_hub or the network raised into a HubError with a sentence."""
    if isinstance(exc, HubError):
        return exc
    if isinstance(exc, HFValidationError):
        return HubError(_say(
            "'{repo}' is not a valid Hugging Face repo id. Write it as owner/name, "
            "for example TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF.", repo=repo), "invalid")
    if isinstance(exc, OfflineModeIsEnabled):
        return HubError(_say(
            "Hugging Face is switched off on this computer (HF_HUB_OFFLINE is set). Unset it to "
            "download; models already installed still work."), "network")
    if isinstance(exc, httpx2.TransportError):
        return HubError(_say(
            "Could not reach Hugging Face ({host}): the network seems to be down or blocked. "
            "Check the connection and try again; models already installed still work offline.",
            host=urlparse(endpoint()).netloc or endpoint()), "network")
    if isinstance(exc, GatedRepoError) or (
        isinstance(exc, HfHubHTTPError) and _status(exc) == 403
    ):
        if token:
            return HubError(_say(
                "{repo} is a gated model and your Hugging Face account has no access to it yet. "
                "Accept the licence on the model page ({page}) with the same account, then try again.",
                repo=repo, page=model_page(repo)), "gated")
        return HubError(_say(
            "{repo} is a gated model: accept the licence on the model page ({page}), "
            "then add a token (Sign in).", repo=repo, page=model_page(repo)), "gated")
    if isinstance(exc, RemoteEntryNotFoundError):
        return HubError(_say(
            "{repo} has no file named {file}. List its files to see the names it has.",
            repo=repo, file=filename), "file_not_found")
    if isinstance(exc, RevisionNotFoundError):
        return HubError(_say("{repo} has no such branch or revision.", repo=repo), "not_found")
    if isinstance(exc, RepositoryNotFoundError):
        if token and _status(exc) == 401:
            return _bad_token()
        return HubError(_say(
            "There is no model called {repo} on Hugging Face (or it is private). "
            "Check the spelling: owner/name, as in the address of its page.", repo=repo), "not_found")
    if isinstance(exc, HfHubHTTPError):
        status = _status(exc)
        if status == 401:
            if token:
                return _bad_token()
            return HubError(_say(
                "Hugging Face wants you signed in to get {repo}: accept the licence on the model "
                "page ({page}), then add a token (Sign in).", repo=repo, page=model_page(repo)), "gated")
        if status == 404:
            return HubError(_say(
                "Hugging Face has no {what}. Check the repo id and the file name.",
                what=f"{repo}/{filename}" if filename else repo), "not_found")
        if status == 429:
            return HubError(_say(
                "Hugging Face is limiting how often this computer may ask; wait a minute and try again."),
                "server")
        return HubError(_say(
            "Hugging Face answered with an error ({status}). Try again later.", status=status), "server")
    if isinstance(exc, httpx2.TooManyRedirects):
        return HubError(_say(
            "The download address for {what} sends TinyChat round in circles (a redirect loop), so nothing "
            "arrived. The server is misconfigured; try again later or download another file.",
            what=filename or repo), "server")
    if isinstance(exc, (KeyError, ValueError, TypeError, AttributeError, json.JSONDecodeError)):
        return HubError(_say(
            "Hugging Face (or the server at {host}) answered with something TinyChat could not understand "
            "({reason!r} is missing or malformed). Try again later; if it keeps happening, the address may "
            "not be a Hugging Face server.",
            host=urlparse(endpoint()).netloc or endpoint(), reason=str(exc).strip("'\"")), "server")
    if isinstance(exc, httpx2.HTTPError):
        return HubError(_say(
            "The connection to Hugging Face failed ({reason}). Check the connection and try again.",
            reason=exc), "network")
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _disk_full()
    if isinstance(exc, OSError):
        return HubError(_say(
            "Could not write to the models folder {folder} ({reason}).",
            folder=paths.models_dir(), reason=exc.strerror or exc), "io")
    return HubError(_say("Something went wrong talking to Hugging Face: {reason}", reason=exc), "error")


def _status(exc: HfHubHTTPError) -> int:
    response = getattr(exc, "response", None)
    return int(getattr(response, "status_code", 0) or 0)


def _bad_token() -> HubError:
    return HubError(_say(
        "Hugging Face refused the saved token: it is wrong, expired or was revoked. "
        "Sign in again with a new token from huggingface.co/settings/tokens."), "bad_token")


def _disk_full() -> HubError:
    return HubError(_say(
        "The disk is full. Free some space (or delete a model you no longer use) and try again; "
        "the download will go on from where it stopped."), "disk_full")


# --- file names ----------------------------------------------------------------


def quantization_from_name(filename: str) -> str:
    """The quantization written in a GGUF file name ("...Q4_K_M.gguf" -> "Q4_K_M"), or ""."""
    matches = _QUANT_RE.findall(PurePosixPath(filename).name)
    return matches[-1].upper() if matches else ""


def split_info(filename: str) -> tuple[str, int, int] | None:
    """("stem", part, total) for "stem-00001-of-00003.gguf", None for a single file."""
    match = _SPLIT_RE.match(PurePosixPath(filename).name)
    if not match:
        return None
    return match["stem"], int(match["part"]), int(match["total"])


def safe_local_name(filename: str) -> str:
    """The name a repo file gets in the models folder; HubError if it could escape the folder.

    Repo listings come from a server, so a name like ``../../x.gguf`` or an
    absolute path is refused rather than trusted.
    """
    problem = not filename or "\x00" in filename or "\\" in filename
    posix = PurePosixPath(filename)
    problem = (
        problem
        or posix.is_absolute()
        or PureWindowsPath(filename).is_absolute()
        or bool(PureWindowsPath(filename).drive)
    )
    problem = problem or any(part in ("..", ".") for part in posix.parts) or ":" in filename
    name = posix.name
    problem = problem or not name or name.startswith(".")
    if not problem:
        folder = paths.models_dir().resolve()
        problem = (folder / name).resolve().parent != folder
    if problem:
        raise HubError(_say(
            "Refusing the file name '{name}': it would be written outside TinyChat's models folder.",
            name=filename), "unsafe_name")
    return name


# --- listing a repo ------------------------------------------------------------


@dataclass(frozen=True)
class RemoteFile:
    repo: str
    path: str  # the name in the repo (may include folders)
    size: int | None
    sha256: str | None  # the LFS hash, the one we verify against

    @property
    def quantization(self) -> str:
        return quantization_from_name(self.path)

    @property
    def local_name(self) -> str:
        return safe_local_name(self.path)


@dataclass(frozen=True)
class RemoteModel:
    """One model in a repo: a single GGUF, or all the parts of a split one."""

    repo: str
    name: str  # the file name, or for split files the first part's name
    files: tuple[RemoteFile, ...]

    @property
    def size(self) -> int | None:
        sizes = [f.size for f in self.files]
        return None if any(s is None for s in sizes) else sum(sizes)  # type: ignore[arg-type]

    @property
    def quantization(self) -> str:
        return self.files[0].quantization

    @property
    def is_split(self) -> bool:
        return len(self.files) > 1

    @property
    def complete(self) -> bool:
        info = split_info(self.files[0].path)
        return info is None or len(self.files) == info[2]

    def to_dict(self) -> dict[str, Any]:
        return {
            "repo": self.repo,
            "name": self.name,
            "size": self.size,
            "quantization": self.quantization,
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
        }


@dataclass(frozen=True)
class RepoListing:
    repo: str
    revision: str | None
    gated: bool
    models: tuple[RemoteModel, ...]
    refused_names: tuple[str, ...] = ()  # names that would escape the models folder

    def find(self, name: str) -> RemoteModel | None:
        """The model whose name, or one of whose file paths, is ``name``."""
        for model in self.models:
            if name == model.name or any(name in (f.path, PurePosixPath(f.path).name) for f in model.files):
                return model
        return None


def _api(token: str | None) -> HfApi:
    return HfApi(endpoint=endpoint(), token=token or False)


def list_gguf_files(repo: str, token: str | None = None, revision: str | None = None) -> RepoListing:
    """The GGUF files in ``repo``, grouped into models. HubError if there are none.

    One request (``model_info`` with ``blobs=True``) brings every file's size and
    LFS sha256.
    """
    repo = repo.strip().strip("/")
    try:
        info = _api(token).model_info(repo, revision=revision, files_metadata=True, timeout=METADATA_TIMEOUT)
    except Exception as exc:
        raise _explain(exc, repo, token=token) from exc

    try:
        return _listing(repo, info)
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise _explain(exc, repo, token=token) from exc


def _listing(repo: str, info: Any) -> RepoListing:
    files: list[RemoteFile] = []
    refused: list[str] = []
    for sibling in info.siblings or ():
        if not sibling.rfilename.lower().endswith(".gguf"):
            continue
        try:
            safe_local_name(sibling.rfilename)
        except HubError:
            refused.append(sibling.rfilename)
            continue
        sha = sibling.lfs.sha256 if sibling.lfs else None
        size = sibling.lfs.size if sibling.lfs else sibling.size
        files.append(RemoteFile(repo, sibling.rfilename, size, sha))

    if not files:
        raise HubError(_say(
            "{repo} holds no GGUF files, so llama.cpp cannot run it as it is. Look for a repo of the "
            "same model whose name ends in -GGUF (search Hugging Face for the model's name), or "
            "convert it yourself with llama.cpp's convert_hf_to_gguf.py.", repo=repo), "no_gguf")
    return RepoListing(repo, info.sha, bool(info.gated), tuple(group_split_files(files)), tuple(refused))


def group_split_files(files: Iterable[RemoteFile]) -> list[RemoteModel]:
    """Single files stay alone; ``x-0000N-of-0000M.gguf`` parts become one model."""
    singles: list[RemoteModel] = []
    groups: dict[tuple[str, str, int], list[RemoteFile]] = {}
    for f in files:
        split = split_info(f.path)
        if split is None:
            singles.append(RemoteModel(f.repo, f.path, (f,)))
        else:
            folder = str(PurePosixPath(f.path).parent)
            groups.setdefault((folder, split[0], split[2]), []).append(f)
    for parts in groups.values():
        parts.sort(key=lambda f: split_info(f.path)[1])  # type: ignore[index]
        singles.append(RemoteModel(parts[0].repo, parts[0].path, tuple(parts)))
    return sorted(singles, key=lambda m: m.name.lower())


@dataclass(frozen=True)
class SearchHit:
    repo: str
    downloads: int | None
    likes: int | None
    gated: bool
    has_gguf_tag: bool


def search_models(text: str, limit: int = 30, token: str | None = None) -> list[SearchHit]:
    """Repos whose id contains ``text``, most downloaded first."""
    if not text.strip():
        return []
    try:
        found = list(_api(token).list_models(search=text.strip(), sort="downloads", limit=limit))
    except Exception as exc:
        raise _explain(exc, text, token=token) from exc
    return [
        SearchHit(m.id, m.downloads, m.likes, bool(m.gated), "gguf" in (m.tags or ()))
        for m in found
    ]


# --- downloading ----------------------------------------------------------------


@dataclass(frozen=True)
class DownloadProgress:
    filename: str
    done: int
    total: int | None
    speed: float  # bytes per second, over the last few seconds
    eta: float | None  # seconds left
    phase: str = "downloading"  # or "verifying"

    @property
    def fraction(self) -> float | None:
        return self.done / self.total if self.total else None


ProgressCallback = Callable[[DownloadProgress], None]


@dataclass
class _Speed:
    """Bytes per second over a sliding window, so the estimate follows the network."""

    window: float = 3.0
    samples: list[tuple[float, int]] = field(default_factory=list)

    def add(self, now: float, done: int) -> float:
        self.samples.append((now, done))
        while len(self.samples) > 2 and now - self.samples[0][0] > self.window:
            self.samples.pop(0)
        (t0, d0), (t1, d1) = self.samples[0], self.samples[-1]
        return (d1 - d0) / (t1 - t0) if t1 > t0 else 0.0


def free_space(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def check_free_space(needed: int, folder: Path | None = None) -> None:
    folder = folder or paths.models_dir()
    free = free_space(folder)
    if needed + DISK_MARGIN > free:
        raise HubError(_say(
            "Not enough free disk space: this needs {need} but only {free} are free in {folder}. "
            "Free some space or delete a model you no longer use, then try again.",
            need=format_bytes(needed), free=format_bytes(free), folder=folder), "disk_full")


def _state_path(part: Path) -> Path:
    return part.with_name(part.name[: -len(PART_SUFFIX)] + STATE_SUFFIX)


def _read_state(part: Path) -> dict[str, Any]:
    try:
        return json.loads(_state_path(part).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(part: Path, state: dict[str, Any]) -> None:
    _state_path(part).write_text(json.dumps(state), encoding="utf-8")


def _hash_file(path: Path, cancel: threading.Event | None, report: Callable[[int], None]) -> tuple[str, str]:
    """sha256 and git's blob sha1 of the file (the Hub's id for files not stored in LFS)."""
    size = path.stat().st_size
    blob = hashlib.sha1(f"blob {size}\0".encode(), usedforsecurity=False)

    def progress(done: int) -> None:
        report(done)
        if cancel is not None and cancel.is_set():
            raise DownloadCancelled(_say("Cancelled while checking the file."))

    sha256 = hash_file(path, also=(blob,), progress=progress, chunk_size=CHUNK_SIZE)
    return sha256, blob.hexdigest()


def partial_size(filename: str) -> int:
    """Bytes already downloaded of ``filename`` (a repo path or local name); 0 if none."""
    part = paths.models_dir() / (safe_local_name(filename) + PART_SUFFIX)
    return part.stat().st_size if part.exists() else 0


def download(  # noqa: C901, PLR0912, PLR0915 - resume, verify and rename must be read together to stay safe on a cut download
    repo: str,
    filename: str,
    *,
    token: str | None = None,
    revision: str | None = None,
    expected_sha256: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    retries: int = 3,
) -> Path:
    """Download one file of ``repo`` into the models folder and return its path.

    Why not ``hf_hub_download``: when a transfer fails it deletes the partial
    file, so a dropped connection or a closed laptop starts again from zero; and
    it checks only the size, so a file whose bytes do not match the Hub's LFS
    hash is accepted. Students download gigabytes on school Wi-Fi, so here the
    bytes go to ``NAME.part`` (with ``NAME.part.json`` recording what they are),
    a later call continues with an HTTP Range request, and the file is renamed
    into place only after its sha256 matches. We still use huggingface_hub for
    the URL (``hf_hub_url``), the metadata (``get_hf_file_metadata``: size, the
    LFS hash as the linked ETag, the commit), its headers and its HTTP session.

    A dropped connection is retried ``retries`` times from where it stopped.
    ``cancel`` stops it within one chunk, keeping the ``.part`` for later.
    """
    local_name = safe_local_name(filename)
    folder = paths.models_dir()
    final = folder / local_name
    part = folder / (local_name + PART_SUFFIX)

    url = hf_hub_url(repo, filename, revision=revision, endpoint=endpoint())
    try:
        meta = get_hf_file_metadata(url, token=token or False, endpoint=endpoint(), timeout=METADATA_TIMEOUT)
    except Exception as exc:
        raise _explain(exc, repo, filename, token) from exc

    etag = (meta.etag or "").lower()
    sha256 = (expected_sha256 or (etag if _SHA256_RE.match(etag) else "")).lower() or None
    blob_sha1 = etag if _SHA1_RE.match(etag) else None
    total = meta.size
    if not sha256 and not blob_sha1:
        # The README promises that every file is checked; without a published
        # hash nothing could be, so the file is refused before any byte is spent.
        raise HubError(_say(
            "Hugging Face publishes no checksum for {name}, so TinyChat could not check that it arrives "
            "intact, and did not download it. Choose another file, or download it yourself and import it.",
            name=local_name), "no_hash")
    identity = {"repo": repo, "filename": filename, "sha256": sha256, "etag": etag, "size": total}

    if final.exists():
        raise HubError(_say(
            "{name} is already installed. Remove it first to download it again.", name=local_name), "exists")

    state = _read_state(part)
    if part.exists() and {k: state.get(k) for k in identity} != identity:
        # The .part belongs to another version of the file (or has no record): start over.
        part.unlink()
    start = part.stat().st_size if part.exists() else 0
    if total is not None and start > total:
        part.unlink()
        start = 0
    check_free_space((total or 0) - start, folder)
    _write_state(part, identity)

    speed = _Speed()
    last_report = 0.0

    def report(done: int, phase: str = "downloading", force: bool = False) -> None:
        nonlocal last_report
        now = time.monotonic()
        rate = speed.add(now, done) if phase == "downloading" else 0.0
        if progress is None or (not force and now - last_report < 0.1):
            return
        last_report = now
        eta = (total - done) / rate if (total and rate > 0 and phase == "downloading") else None
        progress(DownloadProgress(local_name, done, total, rate, eta, phase))

    base_headers = build_hf_headers(token=token or False, headers={"Accept-Encoding": "identity"})

    def headers_for(location: str) -> dict[str, str]:
        headers = dict(base_headers)
        if urlparse(location).netloc != urlparse(endpoint()).netloc:
            headers.pop("authorization", None)  # a signed CDN address needs no token; don't leak it
        return headers

    location = meta.location
    attempt = 0
    while True:
        done = part.stat().st_size if part.exists() else 0
        if total is not None and done >= total:
            break
        try:
            if attempt:
                # The Hub hands out signed CDN addresses that expire; ask again before retrying.
                location = get_hf_file_metadata(
                    url, token=token or False, endpoint=endpoint(), timeout=METADATA_TIMEOUT
                ).location
            done = _transfer(location, headers_for(location), part, done, total, cancel, report)
            if total is None or done >= total:
                break
            raise httpx2.RemoteProtocolError("the server closed the connection early")
        except DownloadCancelled:
            raise
        except (_TooLong, httpx2.TooManyRedirects) as exc:
            part.unlink(missing_ok=True)
            _state_path(part).unlink(missing_ok=True)
            if isinstance(exc, _TooLong):
                raise HubError(_say(
                    "The server sent more of {name} than the {size} it announced, so TinyChat stopped and deleted "
                    "what arrived (a broken or hostile server could fill the disk). Try again later or choose "
                    "another file.", name=local_name, size=format_bytes(total or 0)), "server") from None
            raise _explain(exc, repo, filename, token) from exc
        except (httpx2.TransportError, HfHubHTTPError) as exc:
            on_cdn = urlparse(location).netloc != urlparse(endpoint()).netloc
            if isinstance(exc, HfHubHTTPError) and _status(exc) < 500 and not (on_cdn and attempt == 0):
                raise _explain(exc, repo, filename, token) from exc
            attempt += 1
            if attempt > retries:
                raise HubError(_say(
                    "The connection to Hugging Face broke during the download of {name} ({reason}). "
                    "What arrived is kept: download it again to go on from {done}.",
                    name=local_name, reason=exc, done=format_bytes(part.stat().st_size if part.exists() else 0)),
                    "network") from exc
            time.sleep(min(0.2 * 2 ** attempt, 5))
        except OSError as exc:
            raise _explain(exc, repo, filename, token) from exc
        except Exception as exc:
            raise _explain(exc, repo, filename, token) from exc

    report(part.stat().st_size, force=True)
    got_sha256, got_blob = _hash_file(part, cancel, lambda n: report(n, "verifying"))
    report(part.stat().st_size, "verifying", force=True)
    if (sha256 and got_sha256 != sha256) or (not sha256 and blob_sha1 and got_blob != blob_sha1):
        part.unlink(missing_ok=True)
        _state_path(part).unlink(missing_ok=True)
        raise HubError(_say(
            "{name} arrived damaged: its checksum does not match the one Hugging Face publishes, "
            "so it was deleted. Download it again; if it happens again, the network may be "
            "altering files (a proxy or filter).", name=local_name), "hash_mismatch")
    os.replace(part, final)
    _state_path(part).unlink(missing_ok=True)
    _record_download(local_name, repo, filename, meta.commit_hash, got_sha256)
    return final


class _TooLong(Exception):
    """The server sent more bytes than it announced."""


def _transfer(
    url: str,
    headers: dict[str, str],
    part: Path,
    start: int,
    total: int | None,
    cancel: threading.Event | None,
    report: Callable[[int], None],
) -> int:
    """Fetch from ``start`` into ``part``; returns how many bytes the file then holds.

    Reads wait CANCEL_POLL seconds at most, so Cancel works within a second even
    while the server sends nothing; after a quiet read the request is made again
    from where it stopped, until the server has been silent for READ_TIMEOUT.
    """
    last_data = time.monotonic()
    while True:
        try:
            return _transfer_once(url, headers, part, start, total, cancel, report)
        except httpx2.ReadTimeout as exc:
            start = part.stat().st_size if part.exists() else 0
            progressed = getattr(exc, "tinychat_done", None)
            if progressed is not None and progressed > getattr(exc, "tinychat_start", progressed):
                last_data = time.monotonic()
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled(_say(
                    "Download cancelled; {done} kept, download it again to go on.", done=format_bytes(start))) from None
            if time.monotonic() - last_data > READ_TIMEOUT:
                raise


def _transfer_once(
    url: str,
    headers: dict[str, str],
    part: Path,
    start: int,
    total: int | None,
    cancel: threading.Event | None,
    report: Callable[[int], None],
) -> int:
    request_headers = dict(headers)
    if start:
        request_headers["Range"] = f"bytes={start}-"
    timeout = httpx2.Timeout(METADATA_TIMEOUT, read=CANCEL_POLL)
    first = start
    with get_session().stream("GET", url, headers=request_headers, timeout=timeout, follow_redirects=True) as r:
        if r.status_code >= 400:
            r.read()
            hf_raise_for_status(r)
        if start and r.status_code != 206:
            start = 0  # the server ignored the Range: take the whole file again
        done = start
        with open(part, "r+b" if start else "wb") as out:
            out.seek(start)
            out.truncate()
            # No chunk_size: httpx would hold bytes back until a whole chunk
            # arrived, and lose them if the connection then broke.
            try:
                for chunk in r.iter_bytes():
                    if cancel is not None and cancel.is_set():
                        out.flush()
                        raise DownloadCancelled(_say(
                            "Download cancelled; {done} kept, download it again to go on.", done=format_bytes(done)))
                    if total is not None and done + len(chunk) > total:
                        raise _TooLong
                    out.write(chunk)
                    done += len(chunk)
                    report(done)
            except httpx2.ReadTimeout as exc:
                exc.tinychat_start, exc.tinychat_done = first, done  # type: ignore[attr-defined]
                raise
    return done


def download_model(
    model: RemoteModel,
    *,
    token: str | None = None,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> list[Path]:
    """Every file of ``model`` (all parts of a split model), checking the disk for all of them first."""
    remaining = sum(max((f.size or 0) - partial_size(f.path), 0) for f in model.files
                    if not (paths.models_dir() / f.local_name).exists())
    check_free_space(remaining)
    out = []
    for f in model.files:
        target = paths.models_dir() / f.local_name
        if target.exists() and model.is_split:
            out.append(target)
            continue
        out.append(download(model.repo, f.path, token=token, expected_sha256=f.sha256,
                            progress=progress, cancel=cancel))
    return out


def discard_partial(filename: str) -> bool:
    """Delete the ``.part`` of ``filename``; True if there was one."""
    part = paths.models_dir() / (safe_local_name(filename) + PART_SUFFIX)
    existed = part.exists()
    part.unlink(missing_ok=True)
    _state_path(part).unlink(missing_ok=True)
    return existed


# --- a queue of downloads ------------------------------------------------------------


@dataclass
class DownloadJob:
    id: int
    model: RemoteModel
    state: str = "queued"  # queued, running, done, failed, cancelled
    error: str = ""
    error_kind: str = ""
    paths: list[Path] = field(default_factory=list)
    last_progress: DownloadProgress | None = None
    cancel_event: threading.Event = field(default_factory=threading.Event)


class DownloadQueue:
    """Several downloads, run one after another by whoever calls ``run()`` (a worker thread).

    ``add`` and ``cancel`` are safe from any thread; ``run`` reports through
    plain callbacks, which the window's worker turns into signals.
    """

    def __init__(self, token: str | None = None) -> None:
        self.token = token
        self._jobs: list[DownloadJob] = []
        self._lock = threading.Lock()
        self._next_id = 1

    def add(self, model: RemoteModel) -> DownloadJob:
        with self._lock:
            job = DownloadJob(self._next_id, model)
            self._next_id += 1
            self._jobs.append(job)
            return job

    def jobs(self) -> list[DownloadJob]:
        with self._lock:
            return list(self._jobs)

    def cancel(self, job_id: int) -> None:
        with self._lock:
            for job in self._jobs:
                if job.id == job_id and job.state in ("queued", "running"):
                    job.cancel_event.set()
                    if job.state == "queued":
                        job.state = "cancelled"

    def retry(self, job_id: int) -> None:
        """Put a cancelled or failed job back in the queue; it resumes from its .part."""
        with self._lock:
            for job in self._jobs:
                if job.id == job_id and job.state in ("cancelled", "failed"):
                    job.state, job.error, job.error_kind = "queued", "", ""
                    job.cancel_event = threading.Event()

    def _take(self) -> DownloadJob | None:
        with self._lock:
            for job in self._jobs:
                if job.state == "queued":
                    job.state = "running"
                    return job
        return None

    def run(
        self,
        on_progress: Callable[[DownloadJob, DownloadProgress], None] | None = None,
        on_state: Callable[[DownloadJob], None] | None = None,
    ) -> None:
        """Run queued jobs until none is left (jobs added meanwhile are run too)."""
        while (job := self._take()) is not None:
            if on_state:
                on_state(job)

            def progress(p: DownloadProgress, job: DownloadJob = job) -> None:
                job.last_progress = p
                if on_progress:
                    on_progress(job, p)

            try:
                job.paths = download_model(job.model, token=self.token, progress=progress, cancel=job.cancel_event)
                job.state = "done"
            except DownloadCancelled as exc:
                job.state, job.error, job.error_kind = "cancelled", str(exc), exc.kind
            except HubError as exc:
                job.state, job.error, job.error_kind = "failed", str(exc), exc.kind
            except Exception as exc:
                error = _explain(exc, job.model.repo)
                job.state, job.error, job.error_kind = "failed", str(error), error.kind
            if on_state:
                on_state(job)


# --- installed models --------------------------------------------------------------


@dataclass(frozen=True)
class InstalledModel:
    name: str  # file name; for a split model, the first part's
    path: Path
    size: int
    parts: tuple[Path, ...]
    complete: bool  # False when parts of a split model are missing
    repo: str = ""  # where it was downloaded from, if TinyChat downloaded it
    sha256: str = ""
    #: The starter model that comes with TinyChat (outside the models folder; never deleted).
    bundled: bool = False

    @property
    def entry(self) -> CatalogEntry | None:
        return entry_for_file(self.name)

    @property
    def warning(self) -> str:
        entry = self.entry
        return entry.warning if entry else ""

    def to_dict(self) -> dict[str, Any]:
        entry = self.entry
        return {
            "name": self.name,
            "path": str(self.path),
            "size": self.size,
            "parts": len(self.parts),
            "complete": self.complete,
            "repo": self.repo,
            "sha256": self.sha256,
            "catalog_id": entry.id if entry else None,
            "warning": self.warning,
            "bundled": self.bundled,
        }


def _manifest_path() -> Path:
    return paths.models_dir() / MANIFEST_NAME


def _read_manifest() -> dict[str, Any]:
    try:
        data = json.loads(_manifest_path().read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _record_download(local_name: str, repo: str, filename: str, commit: str | None, sha256: str) -> None:
    manifest = _read_manifest()
    manifest[local_name] = {"repo": repo, "filename": filename, "commit": commit, "sha256": sha256}
    tmp = _manifest_path().with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    os.replace(tmp, _manifest_path())


def starter_model() -> InstalledModel | None:
    """The starter model that ships with TinyChat, if its package is installed."""
    path = starter_model_path()
    if path is None:
        return None
    return InstalledModel(path.name, path, path.stat().st_size, (path,), True, bundled=True)


def installed_models(include_starter: bool = False) -> list[InstalledModel]:
    """The GGUF models in the models folder; unfinished (.part) downloads are not models.

    With ``include_starter``, the bundled starter model comes last (the window
    lists everything it can load; the command line lists the starter apart).
    """
    starter = starter_model() if include_starter else None
    return _models_in_folder() + ([starter] if starter is not None else [])


def _models_in_folder() -> list[InstalledModel]:
    folder = paths.models_dir()
    if not folder.is_dir():
        return []  # a read-only data folder without a models folder holds no models
    manifest = _read_manifest()
    singles: list[InstalledModel] = []
    groups: dict[tuple[str, int], list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith(".") or path.suffix.lower() != ".gguf":
            continue
        split = split_info(path.name)
        if split:
            groups.setdefault((split[0], split[2]), []).append(path)
            continue
        record = manifest.get(path.name, {})
        singles.append(InstalledModel(path.name, path, path.stat().st_size, (path,), True,
                                      record.get("repo", ""), record.get("sha256", "")))
    for (_stem, total), parts in groups.items():
        parts.sort()
        record = manifest.get(parts[0].name, {})
        singles.append(InstalledModel(
            parts[0].name, parts[0], sum(p.stat().st_size for p in parts), tuple(parts),
            len(parts) == total and split_info(parts[0].name)[1] == 1,  # type: ignore[index]
            record.get("repo", ""), record.get("sha256", "")))
    return sorted(singles, key=lambda m: m.name.lower())


def find_installed(name: str) -> InstalledModel | None:
    return next((m for m in installed_models() if name in (m.name, m.path.stem) or
                 any(name == p.name for p in m.parts)), None)


def remove_model(name: str) -> list[Path]:
    """Delete the installed model ``name`` (every part of a split one); return what was deleted."""
    starter = starter_model()
    if starter is not None and name in (starter.name, starter.path.stem) and find_installed(name) is None:
        raise HubError(_say(
            "{name} is the starter model that comes with TinyChat; it cannot be deleted.", name=name), "bundled")
    model = find_installed(name)
    if model is None:
        raise HubError(_say(
            "No installed model is called {name}. 'tinychat models list' shows the installed ones.",
            name=name), "not_found")
    manifest = _read_manifest()
    for p in model.parts:
        p.unlink(missing_ok=True)
        manifest.pop(p.name, None)
    tmp = _manifest_path().with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    os.replace(tmp, _manifest_path())
    return list(model.parts)


def import_gguf(source: str | os.PathLike[str], cancel: threading.Event | None = None) -> Path:
    """Copy a GGUF file from anywhere into the models folder, after checking it is one.

    Raises GGUFInfoError for a file that is not a usable GGUF, HubError otherwise.
    The copy goes to a ``.part`` name first, so a half-copied file is never listed.
    """
    source = Path(source).expanduser()
    info = read_gguf_info(source)
    if not info.architecture_known:
        raise GGUFInfoError(_say(
            "{path} is a GGUF file of the '{arch}' architecture, which this version of llama.cpp "
            "does not know. Update TinyChat, or choose another model.",
            path=source, arch=info.architecture or "?"))
    folder = paths.models_dir().resolve()
    if source.resolve().parent == folder:
        raise HubError(_say("{name} is already in the models folder.", name=source.name), "exists")
    name = safe_local_name(source.name)
    if not name.lower().endswith(".gguf"):
        name += ".gguf"
    target = folder / name
    if target.exists():
        raise HubError(_say(
            "A model called {name} is already installed. Rename the file or remove the installed one first.",
            name=name), "exists")
    check_free_space(info.file_size, folder)
    part = folder / (name + ".import" + PART_SUFFIX)
    try:
        with open(source, "rb") as src, open(part, "wb") as dst:
            while chunk := src.read(CHUNK_SIZE):
                if cancel is not None and cancel.is_set():
                    raise DownloadCancelled(_say("Import cancelled."))
                dst.write(chunk)
        os.replace(part, target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise _explain(exc, "", name) from exc
    except DownloadCancelled:
        part.unlink(missing_ok=True)
        raise
    return target


# --- the token ---------------------------------------------------------------------

_session_token: str | None = None


@dataclass(frozen=True)
class TokenSaveResult:
    persisted: bool  # False: kept in memory for this session only
    message: str


def _no_keyring_message() -> str:
    return _say(
        "This computer has no password keyring TinyChat can use, so the token is kept only until "
        "TinyChat closes; you will be asked again next time.")


def load_token() -> str | None:
    """The token from the OS keyring (or this session's memory); None when there is none."""
    if _session_token:
        return _session_token
    try:
        return keyring.get_password(KEYRING_SERVICE, KEYRING_USER) or None
    except keyring.errors.KeyringError:
        return None


def save_token(token: str) -> TokenSaveResult:
    """Keep ``token`` in the OS keyring, or in memory when there is no keyring. Nowhere else."""
    global _session_token
    token = token.strip()
    try:
        keyring.set_password(KEYRING_SERVICE, KEYRING_USER, token)
    except keyring.errors.KeyringError as exc:
        _session_token = token
        if not isinstance(exc, keyring.errors.NoKeyringError):
            return TokenSaveResult(False, _say(
                "The system keyring refused the token ({reason}), so it is kept only until TinyChat closes.",
                reason=exc))
        return TokenSaveResult(False, _no_keyring_message())
    _session_token = None
    return TokenSaveResult(True, _say("The token is saved in the system keyring."))


def forget_token() -> None:
    global _session_token
    _session_token = None
    with contextlib.suppress(keyring.errors.KeyringError):  # no keyring, or nothing stored: nothing is kept
        keyring.delete_password(KEYRING_SERVICE, KEYRING_USER)


def validate_token(token: str) -> str:
    """The account name the token belongs to; HubError ("bad_token", "network") if it is not valid.

    ``whoami`` with the token passed explicitly: ``huggingface_hub.login()`` is
    never used, because it writes the token to a plain-text file.
    """
    token = token.strip()
    if not token:
        raise HubError(_say("The token is empty. Paste a token from huggingface.co/settings/tokens."), "bad_token")
    try:
        data = _api(token).whoami(token=token)
    except HfHubHTTPError as exc:
        if _status(exc) == 401:
            raise _bad_token() from exc
        raise _explain(exc, "", token=token) from exc
    except Exception as exc:
        raise _explain(exc, "", token=token) from exc
    return str(data.get("name") or data.get("fullname") or "?")
