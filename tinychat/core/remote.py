"""A model on an OpenAI-compatible inference server, behind the same interface as the local engine.

A classroom can outgrow one laptop: a school machine runs llama.cpp's
``llama-server``, vLLM, Ollama, LM Studio or llama-cpp-python's server, and
every student's TinyChat talks to it. :class:`RemoteEngine` satisfies
:class:`~tinychat.core.engine_protocol.ChatEngine`, so the window's model
thread and the command line use it exactly like the local engine: the sliders
go into the request, the reply streams token by token, per-token log
probabilities (when the server gives them) become the same
:class:`~tinychat.core.engine.TokenDetail` objects the probability view shows,
and time to first token and tokens per second are measured here, on the client.

The HTTP client is ``httpx2``, the maintained continuation of httpx (same
API). It is already installed (huggingface_hub 2 is built on it), it streams a
response line by line, and its timeouts and errors are precise enough to say
*which* thing went wrong (nothing listening, a name that does not resolve, a
server that stopped answering mid-reply). The ``openai`` package would add a
dependency tree (pydantic, its own retries) to reach the same endpoints, and it
hides the raw JSON: TinyChat needs the raw fields, because the sampler fields
llama.cpp, vLLM and Ollama accept (``top_k``, ``min_p``, ``repeat_penalty``)
are not in OpenAI's API, and because the server's own ``owned_by`` and headers
say which server it is. Only the server-sent-events framing (``data: {...}``
lines) is read here, a few lines rather than a library.

What a remote model cannot do, said honestly: the server applies its own chat
template (TinyChat sends the messages, not a prompt), TinyChat has no tokenizer
for it (the Prompt X-ray says so instead of counting), and a server that is
known to ignore a slider gets a note that says which.
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2 as httpx

from tinychat.core.engine import (
    DEFAULT_N_CTX,
    EngineError,
    ModelInfo,
    ModelLoadError,
    NoModelLoaded,
    StepCallback,
    TokenAlternative,
    TokenCallback,
    TokenDetail,
)
from tinychat.core.i18n import QT_TRANSLATE_NOOP, translate
from tinychat.core.lesson_file import LessonPreset
from tinychat.core.params import GenerationParams
from tinychat.core.results import GenerationResult, GenerationStats, StopReason
from tinychat.core.server_lessons import TIME_LIMIT_S as LESSONS_TIME_LIMIT_S
from tinychat.core.server_lessons import fetch_server_lessons
from tinychat.core.speculative import DraftCallback
from tinychat.core.templates import ChatTemplate, RenderedPrompt

_CTX = "Remote"

#: How long to wait for a connection, and between two pieces of a reply, before saying the server is too slow.
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 60.0
#: Alternatives asked for per token (OpenAI's limit is 20; vLLM's default limit is 20 too).
TOP_LOGPROBS = 10
#: A server's answer larger than this is not an OpenAI API answer (a model list, an error).
MAX_JSON_BYTES = 4 * 1024 * 1024

KEYRING_SERVICE = "TinyChat inference server"

# Which server answers, from /v1/models' ``owned_by`` and the response headers.
KIND_LLAMA_SERVER = "llama-server"
KIND_LLAMA_CPP_PYTHON = "llama-cpp-python"
KIND_VLLM = "vllm"
KIND_OLLAMA = "ollama"
KIND_LM_STUDIO = "lm-studio"
KIND_OPENAI = "openai"
KIND_UNKNOWN = "unknown"

KIND_NAMES = {
    KIND_LLAMA_SERVER: "llama.cpp (llama-server)",
    KIND_LLAMA_CPP_PYTHON: "llama-cpp-python",
    KIND_VLLM: "vLLM",
    KIND_OLLAMA: "Ollama",
    KIND_LM_STUDIO: "LM Studio",
    KIND_OPENAI: "OpenAI",
    KIND_UNKNOWN: QT_TRANSLATE_NOOP("Remote", "an OpenAI-compatible server"),
}

#: The sliders each kind of server is known to ignore in its OpenAI-compatible chat endpoint.
#: Ollama's /v1 endpoint reads temperature, top_p, seed and max_tokens only (its native API has the
#: others); OpenAI's own API has no top_k, min_p or repeat penalty and refuses unknown fields.
IGNORED_PARAMS: dict[str, tuple[str, ...]] = {
    KIND_OLLAMA: ("top_k", "min_p", "repeat_penalty"),
    KIND_OPENAI: ("top_k", "min_p", "repeat_penalty"),
}
#: Kinds that refuse a request with fields they do not know, so those are not sent.
_STRICT_KINDS = (KIND_OPENAI,)

_PARAM_LABELS = {
    "top_k": QT_TRANSLATE_NOOP("Params", "Top-k"),
    "min_p": QT_TRANSLATE_NOOP("Params", "Min-p"),
    "repeat_penalty": QT_TRANSLATE_NOOP("Params", "Repeat penalty"),
}


class RemoteError(EngineError):
    """Talking to the server failed; ``str(error)`` is the sentence to show."""


class RemoteLoadError(ModelLoadError, RemoteError):
    """Connecting failed (nothing kept: a server is not a file that can stay loaded)."""


def _say(text: str, **values: Any) -> str:
    return translate(_CTX, text).format(**values)


# --- addresses -----------------------------------------------------------------


def normalise_base_url(url: str) -> str:
    """``http://host:port/v1`` from what a person types (``host:8080``, ``http://host:8080/``, ``.../v1/``).

    Raises RemoteError for text that cannot be an address.
    """
    text = (url or "").strip()
    if not text:
        raise RemoteError(_say("Type the server's address, for example http://192.168.1.10:8080."))
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in text):
        raise RemoteError(
            _say(
                "{url} is not a server address. Type it like http://192.168.1.10:8080 (or with /v1 at the end).",
                url=url.strip(),
            )
        )
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise RemoteError(
            _say("The port in {url} is not a number. Type it like http://192.168.1.10:8080.", url=url.strip())
        ) from None
    path = parts.path.rstrip("/")
    if not path.endswith("/v1"):
        path += "/v1"
    return f"{parts.scheme}://{parts.netloc}{path}"


def server_label(base_url: str) -> str:
    """``192.168.1.10:8080`` for the status bar."""
    parts = urlsplit(base_url)
    return parts.netloc or base_url


# --- the API key in the keyring ---------------------------------------------------


#: Keys kept until TinyChat closes, when the computer has no keyring (never written to disk).
_session_keys: dict[str, str] = {}


def load_api_key(base_url: str) -> str | None:
    """The key kept for this server (OS keyring, or this session's memory); None when there is none."""
    import keyring
    import keyring.errors

    if base_url in _session_keys:
        return _session_keys[base_url] or None
    try:
        return keyring.get_password(KEYRING_SERVICE, base_url) or None
    except keyring.errors.KeyringError:
        return None


def save_api_key(base_url: str, key: str) -> str:
    """Keep ``key`` for this server in the OS keyring ("" forgets it); returns a sentence when it could not be
    kept there (it is then kept in memory until TinyChat closes), else ""."""
    import keyring
    import keyring.errors

    global _session_keys  # noqa: PLW0603 - module state for this session only, like hub._session_token
    key = key.strip()
    # A new dict each time rather than a change in place (the tests put the old one back).
    _session_keys = {url: kept for url, kept in _session_keys.items() if url != base_url}
    try:
        if key:
            keyring.set_password(KEYRING_SERVICE, base_url, key)
        else:
            keyring.delete_password(KEYRING_SERVICE, base_url)
    except keyring.errors.PasswordDeleteError:
        return ""
    except keyring.errors.KeyringError:
        _session_keys = {**_session_keys, base_url: key}
        return _say(
            "This computer has no password keyring TinyChat can use, so the server's key is kept only until "
            "TinyChat closes."
        ) if key else ""
    return ""


# --- what the server says about itself ----------------------------------------------


@dataclass(frozen=True)
class ServerModel:
    id: str
    owned_by: str = ""
    #: The context window, when the server says (vLLM's max_model_len, llama-server's n_ctx_train).
    n_ctx: int | None = None


@dataclass(frozen=True)
class ServerInfo:
    base_url: str
    kind: str
    models: tuple[ServerModel, ...]
    #: What the server's headers call it (``Server:``), for the log and the dialog.
    software: str = ""

    @property
    def kind_name(self) -> str:
        return translate(_CTX, KIND_NAMES.get(self.kind, KIND_NAMES[KIND_UNKNOWN]))

    def model(self, model_id: str) -> ServerModel | None:
        return next((m for m in self.models if m.id == model_id), None)


def identify_kind(owned_by: Sequence[str], headers: Mapping[str, str]) -> str:
    """Which server this is, from what its model list and headers say; KIND_UNKNOWN when they do not say."""
    owners = {o.strip().lower() for o in owned_by if o}
    server = (headers.get("server") or "").lower()
    # The model list says it most precisely; the Server header is the fallback.
    by_owner = (
        ("llamacpp", KIND_LLAMA_SERVER),
        ("vllm", KIND_VLLM),
        ("ollama", KIND_OLLAMA),
        ("library", KIND_OLLAMA),
        ("organization_owner", KIND_LM_STUDIO),
        ("openai", KIND_OPENAI),
        ("system", KIND_OPENAI),
        ("openai-internal", KIND_OPENAI),
    )
    for owner, kind in by_owner:
        if owner in owners:
            return kind
    if "me" in owners and "uvicorn" in server:
        return KIND_LLAMA_CPP_PYTHON
    if "llama.cpp" in server:
        return KIND_LLAMA_SERVER
    if "ollama" in server:
        return KIND_OLLAMA
    return KIND_UNKNOWN


def ignored_params_note(kind: str, params: GenerationParams | None = None) -> str:
    """A sentence naming the sliders this kind of server ignores ("" when none is known).

    With ``params``, only sliders moved away from "off" are named: an ignored
    filter that is off changes nothing.
    """
    ignored = IGNORED_PARAMS.get(kind, ())
    if params is not None:
        off = {"top_k": 0, "min_p": 0.0, "repeat_penalty": 1.0}
        ignored = tuple(name for name in ignored if getattr(params, name) != off[name])
    if not ignored:
        return ""
    names = ", ".join(translate("Params", _PARAM_LABELS[name]) for name in ignored)
    return _say(
        "{server} ignores these sliders in its OpenAI-compatible API, so they change nothing here: {names}.",
        server=translate(_CTX, KIND_NAMES[kind]),
        names=names,
    )


def no_logprobs_note(kind: str) -> str:
    return _say(
        "{server} sent no token probabilities with this reply, so the probability view has nothing to show. "
        "llama-server, vLLM and llama-cpp-python's server send them.",
        server=translate(_CTX, KIND_NAMES.get(kind, KIND_NAMES[KIND_UNKNOWN])),
    )


# --- errors as sentences ----------------------------------------------------------------


def _transport_error(exc: httpx.HTTPError, base_url: str) -> RemoteError:
    where = server_label(base_url)
    if isinstance(exc, httpx.ConnectTimeout):
        return RemoteError(
            _say(
                "The server at {where} did not answer within {seconds} seconds. Check the address, and that this "
                "computer is on the same network as the server.",
                where=where, seconds=int(CONNECT_TIMEOUT_S),
            )
        )
    if isinstance(exc, httpx.ConnectError):
        text = str(exc).lower()
        if "name or service" in text or "nodename" in text or "getaddrinfo" in text or "name resolution" in text:
            return RemoteError(
                _say("There is no computer called {host} on this network. Check the server's address.",
                     host=urlsplit(base_url).hostname or where)
            )
        return RemoteError(
            _say(
                "Nothing answers at {where}: the server is not running, or the address or port is wrong. "
                "Start the server, or check the address.",
                where=where,
            )
        )
    if isinstance(exc, httpx.ReadTimeout | httpx.WriteTimeout | httpx.PoolTimeout):
        return RemoteError(
            _say(
                "The server at {where} stopped answering for {seconds} seconds, so TinyChat gave up. It may be "
                "busy with other students; try again, or ask for a shorter reply.",
                where=where, seconds=int(READ_TIMEOUT_S),
            )
        )
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return RemoteError(
            _say(
                "The connection to the server at {where} was cut off (the server may have stopped). "
                "Check that it is still running, then try again.",
                where=where,
            )
        )
    return RemoteError(_say("TinyChat could not talk to the server at {where}: {reason}.", where=where, reason=exc))


def _server_message(response: httpx.Response) -> str:
    """The error message an OpenAI-style server put in its JSON body ("" if none)."""
    try:
        data = json.loads(response.read()[:MAX_JSON_BYTES])
    except (ValueError, httpx.HTTPError):
        return ""
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        return str(error.get("message") or "")[:500]
    if isinstance(error, str):
        return error[:500]
    if isinstance(data, dict) and isinstance(data.get("detail"), str):
        return data["detail"][:500]
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return data["message"][:500]
    return ""


def _looks_like_html(response: httpx.Response, *, peek: bool = True) -> bool:
    """A web page rather than an API answer; ``peek=False`` for a stream, whose body must not be read here."""
    kind = response.headers.get("content-type", "").lower()
    if "html" in kind:
        return True
    if not peek:
        return False
    try:
        head = response.read()[:200].lstrip().lower()
    except httpx.HTTPError:
        return False
    return head.startswith((b"<!doctype", b"<html"))


def _not_an_api(base_url: str) -> RemoteError:
    return RemoteError(
        _say(
            "{url} answered, but not as an OpenAI-compatible API (it sent a web page or other data). Check the "
            "address: llama-server and vLLM answer at http://host:port/v1, Ollama at http://host:11434/v1.",
            url=base_url,
        )
    )


def _status_error(response: httpx.Response, base_url: str, model_id: str = "") -> RemoteError:
    status = response.status_code
    where = server_label(base_url)
    message = _server_message(response)
    if status in (401, 403):
        return RemoteError(
            _say(
                "The server at {where} refused the API key ({status}): it needs a key, or the key is wrong. "
                "Ask for the server's key and type it in Connect to a server.",
                where=where, status=status,
            )
        )
    if status == 404:
        if model_id and "model" in message.lower():
            return RemoteError(
                _say(
                    "The server at {where} has no model called {model}. Choose one of the models it lists.",
                    where=where, model=model_id,
                )
            )
        return _not_an_api(base_url)
    if _looks_like_html(response):
        return _not_an_api(base_url)
    if status in (400, 422) and message:
        if "model" in message.lower() and model_id and model_id in message:
            return RemoteError(
                _say(
                    "The server at {where} has no model called {model}. Choose one of the models it lists.",
                    where=where, model=model_id,
                )
            )
        return RemoteError(
            _say("The server at {where} refused the request: {message}", where=where, message=message)
        )
    if status >= 500:
        return RemoteError(
            _say(
                "The server at {where} failed ({status}){message}. Try again; if it keeps failing, the server's "
                "own log says why.",
                where=where, status=status, message=f": {message}" if message else "",
            )
        )
    return RemoteError(
        _say(
            "The server at {where} answered {status}{message}.",
            where=where, status=status, message=f": {message}" if message else "",
        )
    )


# --- the client ---------------------------------------------------------------------------


def _client(api_key: str | None, read_timeout: float) -> httpx.Client:
    headers = {"Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    return httpx.Client(
        headers=headers,
        timeout=httpx.Timeout(read_timeout, connect=CONNECT_TIMEOUT_S),
        # A proxy set for the web would carry classroom traffic off the local network (and most
        # school proxies refuse it): the server is reached directly.
        trust_env=False,
        follow_redirects=False,
    )


def _json(response: httpx.Response, base_url: str) -> Any:
    if _looks_like_html(response):
        raise _not_an_api(base_url)
    body = response.read()
    if len(body) > MAX_JSON_BYTES:
        raise _not_an_api(base_url)
    try:
        return json.loads(body)
    except ValueError:
        raise _not_an_api(base_url) from None


def probe_server(
    url: str, api_key: str | None = None, *, read_timeout: float = READ_TIMEOUT_S
) -> ServerInfo:
    """Ask ``url`` for its models; raise RemoteError with a sentence when it is not a usable server."""
    base_url = normalise_base_url(url)
    try:
        with _client(api_key, read_timeout) as client:
            response = client.get(base_url + "/models")
            if response.status_code != 200:
                raise _status_error(response, base_url)
            data = _json(response, base_url)
            headers = dict(response.headers)
    except httpx.HTTPError as exc:
        raise _transport_error(exc, base_url) from None
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise _not_an_api(base_url)
    models = []
    for entry in data["data"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            continue
        n_ctx = entry.get("max_model_len")
        meta = entry.get("meta")
        if n_ctx is None and isinstance(meta, dict):
            n_ctx = meta.get("n_ctx_train")
        models.append(
            ServerModel(
                id=entry["id"],
                owned_by=str(entry.get("owned_by") or ""),
                n_ctx=int(n_ctx) if isinstance(n_ctx, int) and not isinstance(n_ctx, bool) and n_ctx > 0 else None,
            )
        )
    kind = identify_kind([m.owned_by for m in models], {k.lower(): v for k, v in headers.items()})
    return ServerInfo(base_url, kind, tuple(models), software=headers.get("server", ""))


@dataclass(frozen=True)
class RemoteTarget:
    """Which server and which of its models; the key is never written anywhere but the keyring."""

    url: str
    model: str = ""
    api_key: str | None = field(default=None, repr=False)


def _pieces(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    """The JSON objects of a server-sent-events stream, until ``data: [DONE]``."""
    for line in lines:
        if not line.startswith("data:"):
            continue  # comments (": ping"), event names, blank separators
        payload = line[5:].strip()
        if payload == "[DONE]":
            return
        try:
            value = json.loads(payload)
        except ValueError:
            continue
        if isinstance(value, dict):
            yield value


def _prob(logprob: Any) -> float:
    try:
        value = float(logprob)
    except (TypeError, ValueError):
        return 0.0
    return math.exp(value) if value > -1e30 else 0.0


def _piece_of(entry: Mapping[str, Any]) -> str:
    """A token's text: ``bytes`` when the server sent them (a split UTF-8 character as <0xNN>), else ``token``."""
    raw = entry.get("bytes")
    if isinstance(raw, list) and raw and all(isinstance(b, int) and 0 <= b < 256 for b in raw):
        data = bytes(raw)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return "".join(f"<0x{b:02X}>" for b in data)
    return str(entry.get("token") or "")


class RemoteEngine:
    """A model on an OpenAI-compatible server, used like :class:`~tinychat.core.engine.Engine`.

    ``load(model_id)`` (or :meth:`connect`) asks the server for its models and
    checks that the chosen one is there; ``generate`` streams a chat
    completion. Used from one thread at a time; ``cancel`` may be set from any.
    """

    #: The window and the X-ray ask this to know the prompt is formatted by the server.
    remote = True

    def __init__(self, url: str = "", api_key: str | None = None, *, read_timeout: float = READ_TIMEOUT_S) -> None:
        self.url = url
        self.api_key = api_key
        self.read_timeout = read_timeout
        self.info: ModelInfo | None = None
        self.template: ChatTemplate | None = None
        self.server: ServerInfo | None = None
        #: Sentences about what this server cannot do (ignored sliders, no probabilities), newest last.
        self.notes: list[str] = []
        #: Whether the last reply came with per-token probabilities (None before the first reply).
        self.logprobs_seen: bool | None = None
        #: The lessons the server offers (``tinychat serve``'s /tinychat/lessons); () for most servers.
        self.lessons: tuple[LessonPreset, ...] = ()

    # -- connecting ---------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self.info is not None

    @property
    def base_url(self) -> str:
        return self.server.base_url if self.server is not None else normalise_base_url(self.url)

    def next_token(
        self, messages: Sequence[Mapping[str, str]], params: GenerationParams
    ) -> tuple[TokenDetail | None, GenerationResult]:
        """The server's probabilities for the first token of its reply (None when it sends none)."""
        details: list[TokenDetail] = []
        result = self.generate(messages, params.replace(max_new_tokens=1), on_step=details.append)
        return (details[0] if details else None), result

    def connect(self, target: RemoteTarget) -> ModelInfo:
        self.url, self.api_key = target.url, target.api_key
        return self.load(target.model)

    def load(
        self,
        path: str | os.PathLike[str],
        *,
        n_ctx: int | None = None,
        n_threads: int | None = None,
        n_gpu_layers: int = 0,
        n_batch: int | None = None,
        flash_attn: str = "auto",
    ) -> ModelInfo:
        """Use the server's model ``path`` (its id; "" for the server's first model)."""
        del n_threads, n_gpu_layers, n_batch, flash_attn  # the server decides
        try:
            server = probe_server(self.url, self.api_key, read_timeout=self.read_timeout)
        except RemoteError as exc:
            raise RemoteLoadError(str(exc)) from None
        model_id = os.fspath(path)
        if not server.models:
            raise RemoteLoadError(
                _say("The server at {where} lists no models. Load a model on the server first.",
                     where=server_label(server.base_url))
            )
        model = server.model(model_id) if model_id else server.models[0]
        if model is None:
            raise RemoteLoadError(
                _say(
                    "The server at {where} has no model called {model}. It has: {models}.",
                    where=server_label(server.base_url), model=model_id,
                    models=", ".join(m.id for m in server.models[:10]),
                )
            )
        self.server = server
        where = server_label(server.base_url)
        # llama-cpp-python's server names a model by its file's path on the server: the name is enough to show.
        shown = model.id.replace("\\", "/").rsplit("/", 1)[-1] if model.id.lower().endswith(".gguf") else model.id
        context = n_ctx or model.n_ctx or DEFAULT_N_CTX
        self.info = ModelInfo(
            path=Path(model.id.replace("/", "_") or "model"),
            name=model.id,
            n_ctx=context,
            n_ctx_train=model.n_ctx or 0,
            n_vocab=0,
            n_layers=0,
            n_params=0,
            architecture="",
            description=_say("{model} on {server} at {where}", model=model.id, server=server.kind_name, where=where),
            gpu_layers=0,
            device=_say("Server: {where} · {model}", where=where, model=shown),
            chat_template=None,
            bos_token="",
            eos_token="",
            endpoint=server.base_url,
        )
        self.template = server_template()
        note = ignored_params_note(server.kind)
        self.notes = [note] if note else []
        self.logprobs_seen = None
        # A server shared with `tinychat serve` offers the teacher's lessons; any other has none (silently).
        with _client(self.api_key, min(self.read_timeout, LESSONS_TIME_LIMIT_S)) as client:
            self.lessons = fetch_server_lessons(client, server.base_url)
        return self.info

    def close(self) -> None:
        self.info = None
        self.server = None
        self.lessons = ()

    # -- prompts --------------------------------------------------------------------------------

    def render(self, messages: Sequence[Mapping[str, str]], template: ChatTemplate | None = None) -> RenderedPrompt:
        """What is sent: the messages themselves; the server turns them into a prompt with its own template."""
        del template
        text = "\n\n".join(f"[{m.get('role', '')}]\n{m.get('content', '')}" for m in messages)
        return RenderedPrompt(text=text, stops=(), add_bos=False, source=SERVER_TEMPLATE_SOURCE,
                              warning=server_template_sentence())

    def tokenize(self, rendered: RenderedPrompt) -> list[int]:
        """No tokens: TinyChat does not have the server's tokenizer (the server counts them)."""
        del rendered
        return []

    # -- generation --------------------------------------------------------------------------------

    def request_body(
        self, messages: Sequence[Mapping[str, str]], params: GenerationParams, seed: int, logprobs: bool
    ) -> dict[str, Any]:
        """The chat completion request for ``params`` (the sliders), as sent to the server."""
        if self.info is None:
            raise NoModelLoaded(_say("Not connected to a server. Choose Connect to a server first."))
        body: dict[str, Any] = {
            "model": self.info.name,
            "messages": [{"role": m["role"], "content": m["content"]} for m in messages],
            "stream": True,
            "temperature": params.temperature,
            "top_p": params.top_p,
            "max_tokens": params.max_new_tokens,
            "seed": seed,
        }
        kind = self.server.kind if self.server is not None else KIND_UNKNOWN
        if kind not in _STRICT_KINDS:
            # Not in OpenAI's API; llama-server, llama-cpp-python and vLLM read them from the body
            # (vLLM calls the penalty repetition_penalty), other servers skip what they do not know.
            body.update(
                top_k=params.top_k,
                min_p=params.min_p,
                repeat_penalty=params.repeat_penalty,
                repetition_penalty=params.repeat_penalty,
            )
            # Usage (the server's own token counts) in the last piece of the stream.
            body["stream_options"] = {"include_usage": True}
            if params.seed is not None:
                # A fixed seed promises the same reply again. llama-server reuses the cached prompt and
                # evaluates what is left in a batch of another size, whose logits differ in the last
                # digits (its documentation says so), so the reply could change: not for a fixed seed.
                body["cache_prompt"] = False
        if logprobs:
            body["logprobs"] = True
            body["top_logprobs"] = TOP_LOGPROBS
        return body

    def set_speculative(self, mode: str, draft_model: str | os.PathLike[str] | None = None) -> None:
        """Speculative decoding is the server's own setting (llama-server's --model-draft, for instance)."""
        del draft_model
        if mode != "off":
            raise EngineError(
                _say("Speculative decoding is set on the server itself, not in TinyChat; it is off for this server.")
            )

    def generate(
        self,
        messages: Sequence[Mapping[str, str]],
        params: GenerationParams,
        *,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        template: ChatTemplate | None = None,
        on_step: StepCallback | None = None,
        on_draft: DraftCallback | None = None,
    ) -> GenerationResult:
        """Stream a reply from the server (``on_draft`` is never called: the server does its own decoding).

        Raises RemoteError when no reply could start (server down, wrong key,
        unknown model). A reply that breaks off after it started is returned
        with what arrived, ``StopReason.ERROR`` and the sentence in ``error``,
        so it is kept and marked interrupted.
        """
        del template
        info = self.info
        if info is None or self.server is None:
            raise NoModelLoaded(_say("Not connected to a server. Choose Connect to a server first."))
        params = params.validated(n_ctx=info.n_ctx)
        seed = params.resolve_seed()
        cancel = cancel or threading.Event()
        body = self.request_body(messages, params, seed, logprobs=on_step is not None)
        stats = GenerationStats(device=info.device, endpoint=self.server.base_url)
        stream = _ReplyStream(on_token, on_step)
        start = time.perf_counter()
        reason = StopReason.LENGTH
        error = ""
        try:
            with _client(self.api_key, self.read_timeout) as client, client.stream(
                "POST", self.server.base_url + "/chat/completions", json=body
            ) as response:
                if response.status_code != 200:
                    raise _status_error(response, self.server.base_url, info.name)
                if _looks_like_html(response, peek=False):
                    raise _not_an_api(self.server.base_url)
                reason = stream.read(_pieces(response.iter_lines()), cancel)
                if reason is StopReason.ERROR and not stream.started and not stream.pieces:
                    raise _not_an_api(self.server.base_url)
        except RemoteError as exc:
            if not stream.started:
                raise
            reason, error = StopReason.ERROR, str(exc)
        except httpx.HTTPError as exc:
            sentence = str(_transport_error(exc, self.server.base_url))
            if not stream.started:
                raise RemoteError(sentence) from None
            reason, error = StopReason.ERROR, sentence
        self._measure(stats, stream, start, reason, on_step is not None)
        if reason is StopReason.ERROR and not error:
            error = _say(
                "The server at {where} ended the reply without saying why (it may have stopped). The reply so far "
                "is kept.",
                where=server_label(self.server.base_url),
            )
        return GenerationResult(
            text="".join(stream.text),
            seed=seed,
            params=params,
            stats=stats,
            model=info.name,
            template=SERVER_TEMPLATE_SOURCE,
            prompt=self.render(messages).text,
            error=error,
        )

    def _measure(
        self, stats: GenerationStats, stream: _ReplyStream, start: float, reason: StopReason, details: bool
    ) -> None:
        """Times and counts measured here, on the client; notes what the server did not send."""
        end = time.perf_counter()
        stats.stop_reason = reason
        stats.total_s = end - start
        stats.completion_tokens = stream.usage_completion or stream.count
        stats.prompt_tokens = stats.prompt_tokens_evaluated = stream.usage_prompt
        if stream.first_at is not None:
            stats.ttft_s = stream.first_at - start
            if stream.count > 1 and end > stream.first_at:
                stats.tokens_per_s = (stream.count - 1) / (end - stream.first_at)
        if details and stream.started and self.server is not None:
            self.logprobs_seen = stream.details > 0
            note = no_logprobs_note(self.server.kind)
            if not self.logprobs_seen and note not in self.notes:
                self.notes.append(note)

    def generate_from_tokens(  # noqa: PLR0913 - the engine protocol's signature
        self,
        tokens: list[int],
        params: GenerationParams,
        *,
        stops: Sequence[str] = (),
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        template_source: str = "",
        prompt_text: str = "",
        on_step: StepCallback | None = None,
        on_draft: DraftCallback | None = None,
    ) -> GenerationResult:
        raise RemoteError(
            _say(
                "A server cannot continue a reply from its tokens. Regenerate the reply instead, or ask the model "
                "to go on."
            )
        )


class _ReplyStream:
    """Turns the stream's pieces into text, token details and counts, as they arrive."""

    def __init__(self, on_token: TokenCallback | None, on_step: StepCallback | None) -> None:
        self.on_token = on_token
        self.on_step = on_step
        self.text: list[str] = []
        self.count = 0
        self.details = 0
        self.first_at: float | None = None
        self.usage_prompt = 0
        self.usage_completion = 0
        #: Server-sent events read (an empty reply still sends some).
        self.pieces = 0

    @property
    def started(self) -> bool:
        return self.first_at is not None

    def read(self, pieces: Iterator[dict[str, Any]], cancel: threading.Event) -> StopReason:
        finish: str | None = None
        for piece in pieces:
            if cancel.is_set():
                return StopReason.STOPPED
            self.pieces += 1
            error = piece.get("error")
            if error:
                message = error.get("message") if isinstance(error, dict) else error
                raise RemoteError(_say("The server stopped the reply: {message}", message=str(message)[:500]))
            usage = piece.get("usage")
            if isinstance(usage, dict):
                self.usage_prompt = int(usage.get("prompt_tokens") or 0)
                self.usage_completion = int(usage.get("completion_tokens") or 0)
            choices = piece.get("choices")
            if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
                continue
            choice = choices[0]
            self._take(choice)
            finish = choice.get("finish_reason") or finish
        if cancel.is_set():
            return StopReason.STOPPED
        if finish == "stop":
            return StopReason.EOS
        if finish == "length":
            return StopReason.LENGTH
        if finish is None:
            # [DONE] or the end of the body without a finish reason: the server stopped mid-reply.
            return StopReason.ERROR
        return StopReason.EOS

    def _take(self, choice: Mapping[str, Any]) -> None:
        delta = choice.get("delta")
        content = delta.get("content") if isinstance(delta, dict) else None
        logprobs = choice.get("logprobs")
        entries = logprobs.get("content") if isinstance(logprobs, dict) else None
        if not isinstance(content, str) or not content:
            return
        if self.first_at is None:
            self.first_at = time.perf_counter()
        self.text.append(content)
        if self.on_token is not None:
            self.on_token(content)
        if not isinstance(entries, list) or not entries:
            self.count += 1
            return
        self.count += len(entries)
        if self.on_step is None:
            return
        # Each piece of text came with one or more tokens: the text goes with the last of them.
        for n, entry in enumerate(entries):
            if isinstance(entry, dict):
                self.on_step(self._detail(entry, content if n == len(entries) - 1 else ""))

    def _detail(self, entry: Mapping[str, Any], text: str) -> TokenDetail:
        top = entry.get("top_logprobs")
        alternatives = tuple(
            TokenAlternative(
                token=int(alt.get("id", -1)) if isinstance(alt.get("id"), int) else -1,
                piece=_piece_of(alt),
                raw_prob=_prob(alt.get("logprob")),
                prob=_prob(alt.get("logprob")),
            )
            for alt in (top if isinstance(top, list) else [])
            if isinstance(alt, dict)
        )
        prob = _prob(entry.get("logprob"))
        detail = TokenDetail(
            index=self.details,
            token=int(entry["id"]) if isinstance(entry.get("id"), int) else -1,
            piece=_piece_of(entry),
            text=text,
            raw_prob=prob,
            prob=prob,
            alternatives=alternatives,
            greedy=False,
            after_sampler=False,
        )
        self.details += 1
        return detail


SERVER_TEMPLATE_SOURCE = "server"


def server_template_sentence() -> str:
    return _say(
        "The server formats the prompt with its own chat template: TinyChat sends it the messages below, "
        "and cannot show the exact text or count the tokens."
    )


def server_template() -> ChatTemplate:
    """Stands for "the server's own template" in the window's template box (it is never rendered here)."""
    sentence = server_template_sentence()
    return ChatTemplate(
        name=_say("The server's own template"),
        source=SERVER_TEMPLATE_SOURCE,
        jinja="",
        reason=sentence,
        description=sentence,
    )
