"""One conversation to Markdown (to read) or JSON (complete, to import again).

The JSON file holds every message of every branch with every stored field,
so a conversation moved to another computer keeps its versions and can
still be reproduced (model sha256, template, parameters, seed).
"""

from __future__ import annotations

import datetime
import json
import math
import os
import re
from pathlib import Path
from typing import Any

from tinychat import __version__
from tinychat.core import atomic
from tinychat.core.i18n import format_number, translate
from tinychat.core.store import (
    ROLES,
    STATUS_INTERRUPTED,
    STATUSES,
    Conversation,
    Message,
    Store,
)

FORMAT = "tinychat-conversation"
VERSION = 1

_CONVERSATION_FIELDS = ("title", "created", "updated", "system_prompt", "template_source", "model_file",
                        "active_leaf_id")
_MESSAGE_FIELDS = ("id", "parent_id", "role", "content", "created", "updated", "status", "model_file",
                   "model_sha256", "template_source", "system_prompt", "params", "seed", "stats", "error")


class ImportFileError(ValueError):
    """The file cannot be imported; ``str(error)`` says why and what to do."""


class ExportError(OSError):
    """The export file could not be written; ``str(error)`` says why."""


# --- export -----------------------------------------------------------------


def conversation_to_dict(store: Store, conversation_id: int) -> dict[str, Any]:
    conversation = store.conversation(conversation_id)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "app_version": __version__,
        "conversation": {name: getattr(conversation, name) for name in _CONVERSATION_FIELDS},
        "messages": [{name: getattr(m, name) for name in _MESSAGE_FIELDS} for m in store.messages(conversation_id)],
    }


def to_json(store: Store, conversation_id: int) -> str:
    return json.dumps(conversation_to_dict(store, conversation_id), ensure_ascii=False, indent=2) + "\n"


def _when(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def reply_summary(message: Message) -> str:
    """One line with what made a reply: model, seed, main parameters and measurements."""
    parts: list[str] = []
    if message.model_file:
        parts.append(message.model_file)
    endpoint = (message.stats or {}).get("endpoint")
    if isinstance(endpoint, str) and endpoint:
        parts.append(translate("Export", "on the server {url}").format(url=endpoint))
    if message.seed is not None:
        parts.append(translate("Export", "seed {seed}").format(seed=message.seed))
    params = message.params or {}
    for key, label in (
        ("temperature", translate("Export", "temperature")),
        ("top_k", "top-k"),
        ("top_p", "top-p"),
        ("min_p", "min-p"),
        ("repeat_penalty", translate("Export", "repeat penalty")),
        ("max_new_tokens", translate("Export", "max tokens")),
    ):
        if key in params:
            parts.append(f"{label} {params[key]}")
    stats = message.stats or {}
    if stats.get("completion_tokens"):
        parts.append(translate("Export", "{n} tokens").format(n=format_number(stats["completion_tokens"])))
    if stats.get("tokens_per_s"):
        parts.append(translate("Export", "{rate} tokens/s").format(rate=format_number(stats["tokens_per_s"], 1)))
    if stats.get("stop_reason"):
        parts.append(translate("Export", "stop: {reason}").format(reason=stats["stop_reason"]))
    if message.status == STATUS_INTERRUPTED:
        parts.append(translate("Export", "interrupted"))
    return " · ".join(parts)


def to_markdown(store: Store, conversation_id: int) -> str:
    """The branch on screen as readable Markdown (other versions are in the JSON export)."""
    conversation: Conversation = store.conversation(conversation_id)
    branch = store.active_branch(conversation_id)
    headings = {
        "system": translate("Export", "System"),
        "user": translate("Export", "User"),
        "assistant": translate("Export", "Assistant"),
    }
    lines = [
        f"# {conversation.title or translate('Export', 'Conversation')}",
        "",
        "*"
        + translate("Export", "Started {started}, last changed {updated}. Exported from TinyChat {version}.").format(
            started=_when(conversation.created), updated=_when(conversation.updated), version=__version__
        )
        + "*",
        "",
    ]
    for message in branch:
        lines.append(f"## {headings.get(message.role, message.role)}")
        lines.append("")
        if message.role == "assistant":
            summary = reply_summary(message)
            if summary:
                lines += [f"> {summary}", ""]
        lines.append(message.content)
        if message.error:
            lines += ["", f"> {message.error}"]
        lines.append("")
    hidden = len(store.messages(conversation_id)) - len(branch)
    if hidden:
        lines.append("*" + translate(
            "Export", "{n} other versions of some turns are not shown; the JSON export holds them all."
        ).format(n=hidden) + "*")
        lines.append("")
    return "\n".join(lines)


def export_conversation(store: Store, conversation_id: int, fmt: str) -> str:
    if fmt == "json":
        return to_json(store, conversation_id)
    if fmt in ("md", "markdown"):
        return to_markdown(store, conversation_id)
    raise ValueError(f"unknown export format {fmt!r}")


def write_text_atomically(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` so that a failure never leaves a half-written file in its place."""
    target = Path(path)
    try:
        atomic.write_text_atomically(target, text)
    except OSError as error:
        raise ExportError(
            translate("Export", "Could not write {path}: {reason}.").format(path=target, reason=error.strerror or error)
        ) from error


# --- import -----------------------------------------------------------------


def _bad(reason: str) -> ImportFileError:
    return ImportFileError(
        translate("Export", "This file is not a complete TinyChat conversation: {reason}. "
                  "Export the conversation again from TinyChat.").format(reason=reason)
    )


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def parse_export(text: str) -> dict[str, Any]:  # noqa: C901 - one check per field of the file, each with its own sentence
    """Check that ``text`` is a whole conversation file of ours; returns it, or raises ImportFileError."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        # Cut-off files fail in their last token (a number, a word, or a string
        # left open that runs to the end); damage in the middle leaves more after it.
        rest = text[error.pos:].rstrip()
        if error.msg.startswith("Unterminated string") or re.fullmatch(r'[^\s,:\[\]{}"]*', rest):
            raise ImportFileError(
                translate("Export", "This conversation file ends too early: it was probably cut off while "
                          "being copied or saved. Export it again.")
            ) from None
        if FORMAT in text[:200]:
            raise ImportFileError(
                translate("Export", "This conversation file is damaged at line {line} ({reason}). "
                          "Export it again from TinyChat.").format(line=error.lineno, reason=error.msg)
            ) from None
        raise ImportFileError(
            translate("Export", "This is not a TinyChat conversation file (it is not valid JSON: "
                      "{reason} at line {line}).").format(reason=error.msg, line=error.lineno)
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportFileError(
            translate("Export", "This JSON file is not a TinyChat conversation; "
                      "choose a file made with “Export as JSON”.")
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _bad(translate("Export", "its format version is missing"))
    if version > VERSION:
        raise ImportFileError(
            translate("Export", "This conversation was exported by a newer TinyChat (file format {found}, "
                      "this version reads {known}). Update TinyChat to import it.").format(found=version, known=VERSION)
        )
    conversation = data.get("conversation")
    messages = data.get("messages")
    if not isinstance(conversation, dict):
        raise _bad(translate("Export", "the conversation details are missing"))
    if not isinstance(messages, list):
        raise _bad(translate("Export", "the list of messages is missing"))
    for name in ("title", "system_prompt", "template_source", "model_file"):
        if not isinstance(conversation.get(name, ""), str):
            raise _bad(translate("Export", "the conversation's {field} is not text").format(field=name))
    for name in ("created", "updated"):
        if name in conversation and not _number(conversation[name]):
            raise _bad(translate("Export", "the conversation's {field} is not a time").format(field=name))
    seen: set[int] = set()
    for position, message in enumerate(messages, start=1):
        _check_message(message, position, seen)
    leaf = conversation.get("active_leaf_id")
    if leaf is not None and leaf not in seen:
        raise _bad(translate("Export", "the branch on screen points to a message that is not in the file"))
    return data


def _check_message(message: Any, position: int, seen: set[int]) -> None:  # noqa: C901 - one check per field of a message, each with its own sentence
    def problem(what: str) -> ImportFileError:
        return _bad(translate("Export", "message {n} {what}").format(n=position, what=what))

    if not isinstance(message, dict):
        raise problem(translate("Export", "is not a message"))
    mid = message.get("id")
    if not isinstance(mid, int) or isinstance(mid, bool) or mid in seen:
        raise problem(translate("Export", "has a missing or repeated id"))
    parent = message.get("parent_id")
    if parent is not None and parent not in seen:
        raise problem(translate("Export", "answers a message that is not earlier in the file"))
    if message.get("role") not in ROLES:
        raise problem(translate("Export", "has an unknown role"))
    if not isinstance(message.get("content"), str):
        raise problem(translate("Export", "has no text"))
    if message.get("status", "complete") not in STATUSES:
        raise problem(translate("Export", "has an unknown status"))
    for name in ("model_file", "model_sha256", "template_source", "system_prompt", "error"):
        if not isinstance(message.get(name, ""), str):
            raise problem(translate("Export", "has a {field} that is not text").format(field=name))
    for name in ("created", "updated"):
        if name in message and not _number(message[name]):
            raise problem(translate("Export", "has a {field} that is not a time").format(field=name))
    for name in ("params", "stats"):
        if message.get(name) is not None and not isinstance(message[name], dict):
            raise problem(translate("Export", "has {field} that are not a table of values").format(field=name))
    seed = message.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise problem(translate("Export", "has a seed that is not a whole number"))
    seen.add(mid)


def import_json(store: Store, text: str) -> int:
    """Import a conversation exported as JSON; returns its new id in ``store``."""
    data = parse_export(text)
    return store.import_tree(data["conversation"], data["messages"])


def import_file(store: Store, path: str | os.PathLike[str]) -> int:
    target = Path(path)
    try:
        raw = target.read_bytes()
    except OSError as error:
        raise ImportFileError(
            translate("Export", "Could not read {path}: {reason}.").format(path=target, reason=error.strerror or error)
        ) from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            translate("Export", "{path} is not a TinyChat conversation file (it is not text).").format(path=target)
        ) from None
    return import_json(store, text)
