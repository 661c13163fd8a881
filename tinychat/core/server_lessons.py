"""The lessons a shared server offers to the students who connect to it.

``tinychat serve`` answers ``GET /tinychat/lessons`` (behind the same access
key as the model) with ``{"lessons": [lesson, ...]}``, each a lesson file's
JSON (:mod:`tinychat.core.lesson_file`). After connecting, the client asks for
them once (:func:`fetch_server_lessons`) so the window can list them.

Most servers are not TinyChat's: llama-server, vLLM, Ollama and LM Studio
answer 404 or a web page there, and then the server simply has no lessons,
without a word. What does come back is data from the network, so it is
bounded (in bytes and in time) and each lesson goes through the same
hostile-input checks as a lesson file (:func:`~tinychat.core.lesson_file.lesson_from_dict`);
a malformed answer or lesson is left out with a line in the log, never an error
the student has to deal with.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import httpx2 as httpx

from tinychat.core import lesson_file
from tinychat.core.lesson_file import LessonFileError, LessonPreset, lesson_from_dict

log = logging.getLogger("tinychat.remote")

LESSONS_PATH = "/tinychat/lessons"
#: ``tinychat serve`` offers at most this many (lesson_file.shared_lessons' limit); more are left out.
MAX_LESSONS = 50
#: The whole answer: MAX_LESSONS lessons of the largest size a lesson file may have, and a little room.
MAX_ANSWER_BYTES = MAX_LESSONS * lesson_file.MAX_BYTES + 4096
#: Connecting waits for the lessons at most this long (the chat does not need them).
TIME_LIMIT_S = 10.0


def lessons_url(base_url: str) -> str:
    """``http://host:port/tinychat/lessons`` for the API at ``http://host:port/v1``."""
    root = base_url.rstrip("/")
    if root.endswith("/v1"):
        root = root[: -len("/v1")]
    return root + LESSONS_PATH


def fetch_server_lessons(
    client: httpx.Client, base_url: str, *, time_limit: float = TIME_LIMIT_S
) -> tuple[LessonPreset, ...]:
    """The valid lessons the server at ``base_url`` offers; () when it offers none or cannot say.

    ``client`` carries the key and the timeouts. Never raises for what the
    server does: a missing endpoint is silent, anything malformed is logged.
    """
    url = lessons_url(base_url)
    deadline = time.monotonic() + time_limit
    body = bytearray()
    try:
        with client.stream("GET", url) as response:
            if response.status_code != 200:
                # 404 from llama-server, vLLM, Ollama...: no lessons there. 401/403: not for this key.
                log.debug("no lessons at %s (%s)", url, response.status_code)
                return ()
            if "html" in response.headers.get("content-type", "").lower():
                log.debug("no lessons at %s (a web page)", url)
                return ()
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
                log.warning("lessons from %s left out: the answer is %s bytes, more than %d", url, declared,
                            MAX_ANSWER_BYTES)
                return ()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_ANSWER_BYTES:
                    log.warning("lessons from %s left out: the answer is more than %d bytes", url, MAX_ANSWER_BYTES)
                    return ()
                if time.monotonic() > deadline:
                    log.warning("lessons from %s left out: they took more than %.0f s", url, time_limit)
                    return ()
    except httpx.HTTPError as exc:
        log.info("no lessons from %s: %s", url, exc)
        return ()
    return lessons_from_answer(bytes(body), url)


def lessons_from_answer(raw: bytes, where: str = "the server") -> tuple[LessonPreset, ...]:
    """The valid lessons in a ``/tinychat/lessons`` answer; each malformed one is logged and left out."""
    if raw.lstrip()[:1] == b"<":
        log.debug("no lessons at %s (a web page)", where)
        return ()
    try:
        data: Any = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        log.warning("lessons from %s left out: the answer is not JSON (%s)", where, exc)
        return ()
    entries = data.get("lessons") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        log.warning("lessons from %s left out: the answer has no list of lessons", where)
        return ()
    if len(entries) > MAX_LESSONS:
        log.warning("%s offers %d lessons: only the first %d are listed", where, len(entries), MAX_LESSONS)
    lessons: list[LessonPreset] = []
    for number, entry in enumerate(entries[:MAX_LESSONS], start=1):
        try:
            # The same size cap as a lesson file (the answer's cap only bounds them all together).
            if len(json.dumps(entry, ensure_ascii=False).encode("utf-8")) > lesson_file.MAX_BYTES:
                raise LessonFileError(f"it is larger than {lesson_file.MAX_BYTES // 1024} kB")
            lessons.append(lesson_from_dict(entry))
        except (LessonFileError, RecursionError, ArithmeticError, TypeError, ValueError) as exc:
            log.warning("lesson %d from %s left out: %s", number, where, exc)
    return tuple(lessons)
