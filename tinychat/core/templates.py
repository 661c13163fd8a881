"""Prompt templates: how a list of chat messages becomes the text the model reads.

Small models answer well only in the format they were trained on, so the
template in force, and the rule that chose it, is always reported:

1. the person's override (a built-in name, a saved custom template, or a .jinja file);
2. the built-in the model catalog names for a known model ("gguf": the file's own);
3. the GGUF's own ``tokenizer.chat_template``;
4. a guess from the special tokens and the architecture, with a warning.

Every template is rendered in jinja2's ImmutableSandboxedEnvironment. A GGUF's
own template is rendered with the same settings, extensions and variables as
llama-cpp-python's Jinja2ChatFormatter, so the text is byte-for-byte what
llama-cpp-python would send. Built-ins and the person's own
templates use the same sandbox and settings but with StrictUndefined, so a
misspelt variable is an error with a line number instead of silently vanishing
text. Before any template runs, its syntax tree is checked for attributes that
start with an underscore (``''.__class__``, ``cycler.__init__.__globals__``):
no real chat template needs one, and refusing them up front means such a
template executes nothing at all.

A template is a program from a file TinyChat did not write, so it runs within
limits (see _LimitedEnvironment and _run_limited): no constant folding at
compile time (jinja2's optimizer would build ``'a' * 10**9`` while compiling),
sizes checked before a string or list is multiplied, padded or formatted, a
time limit, an output limit and a recursion limit. Each limit ends in a
TemplateError sentence.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import re
import string
import sys
import time
import types
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import jinja2
import jinja2.ext
import jinja2.filters
import jinja2.nodes
import jinja2.runtime
from jinja2.sandbox import ImmutableSandboxedEnvironment
from llama_cpp.llama_chat_format import Jinja2ChatFormatter

from tinychat.core import paths
from tinychat.core.i18n import QT_TRANSLATE_NOOP, translate

Message = Mapping[str, str]

#: Inserted after the first character of a special-token string found in user text,
#: so that the tokenizer sees ordinary characters instead of a control token.
ZERO_WIDTH_SPACE = "\u200b"

#: How a template was chosen (ChatTemplate.rule).
RULE_OVERRIDE = "override"
RULE_CATALOG = "catalog"
RULE_GGUF = "gguf"
RULE_GUESS = "guess"

#: Custom templates are saved as NAME.jinja; NAME is shown in menus and typed on the command line.
CUSTOM_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
#: A custom template's first line may carry its stop sequences: {# stops: ["### Input:"] #}
STOPS_HEADER_RE = re.compile(r"^\{#-?\s*stops:\s*(\[.*?\])\s*-?#\}[ \t]*\n?")


class TemplateError(ValueError):
    """A template could not be found, compiled or rendered; the message says why and what to do."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        #: The template line the problem is on, when known (for the editor).
        self.line = line


@dataclass(frozen=True)
class RenderedPrompt:
    text: str
    stops: tuple[str, ...]
    #: True when the tokenizer must add the BOS token itself (the template did not write it).
    add_bos: bool
    source: str
    warning: str = ""


@dataclass(frozen=True)
class ChatTemplate:
    name: str
    #: Where the template came from: a built-in's name, "gguf", or a file path.
    source: str
    jinja: str
    stops: tuple[str, ...] = ()
    warning: str = ""
    #: A sentence saying which rule chose this template and why (shown to the person).
    reason: str = ""
    #: Which rule chose it: RULE_OVERRIDE, RULE_CATALOG, RULE_GGUF or RULE_GUESS ("" when built directly).
    rule: str = ""
    #: StrictUndefined: an unknown variable is an error instead of empty text.
    strict: bool = True
    #: One line for menus: what the format is for.
    description: str = ""
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)

    def chosen(self, rule: str, reason: str, warning: str | None = None) -> ChatTemplate:
        """A copy that records how it was chosen."""
        return dataclasses.replace(
            self, rule=rule, reason=reason, warning=self.warning if warning is None else warning, _compiled={}
        )

    def check(self) -> None:
        """Compile the template (and refuse sandbox escapes) without rendering it. Raises TemplateError."""
        _compile(self.name, self.jinja, strict=self.strict)

    def render(
        self,
        messages: Sequence[Message],
        *,
        bos_token: str = "",
        eos_token: str = "",
        add_generation_prompt: bool = True,
    ) -> RenderedPrompt:
        key = (bos_token, eos_token, add_generation_prompt)
        renderer = self._compiled.get(key)
        if renderer is None:
            renderer = _renderer(self, bos_token, eos_token, add_generation_prompt)
            self._compiled[key] = renderer
        plain = [dict(m) for m in messages]
        try:
            text = renderer(plain)
        except _LimitExceeded as exc:
            raise TemplateError(
                translate(
                    "Templates",
                    "The prompt template '{name}' was stopped because {limit}; no real chat template does that. "
                    "Use another template.",
                ).format(name=self.name, limit=_limit_sentence(str(exc))),
                _template_line(exc),
            ) from None
        except RecursionError as exc:
            raise TemplateError(
                translate(
                    "Templates",
                    "The prompt template '{name}' was stopped because it calls itself too deeply. Use another "
                    "template.",
                ).format(name=self.name),
                _template_line(exc),
            ) from None
        except MemoryError:
            raise TemplateError(
                translate(
                    "Templates",
                    "The prompt template '{name}' needed more memory than this computer has. Use another template.",
                ).format(name=self.name)
            ) from None
        except jinja2.exceptions.SecurityError as exc:
            raise TemplateError(
                translate(
                    "Templates",
                    "The prompt template '{name}' tried to reach Python's internals ({msg}) and was stopped; "
                    "nothing was run. Use another template.",
                ).format(name=self.name, msg=exc),
                _template_line(exc),
            ) from exc
        except jinja2.exceptions.UndefinedError as exc:
            line = _template_line(exc)
            raise TemplateError(
                translate(
                    "Templates",
                    "The prompt template '{name}' uses something that is not defined{where}: {msg}. "
                    "Templates can use messages, bos_token, eos_token and add_generation_prompt.",
                ).format(name=self.name, msg=exc.message, where=_on_line(line)),
                line,
            ) from exc
        except Exception as exc:
            line = _template_line(exc)
            raise TemplateError(
                translate("Templates", "The prompt template '{name}' failed while rendering{where}: {msg}.").format(
                    name=self.name, msg=exc, where=_on_line(line)
                ),
                line,
            ) from exc
        if messages and not text.strip():
            raise TemplateError(
                translate(
                    "Templates",
                    "The prompt template '{name}' produced an empty prompt for this conversation, so the model "
                    "would receive nothing. Check that the template writes each message's content.",
                ).format(name=self.name)
            )
        stops = tuple(dict.fromkeys([*self.stops, *(s for s in (eos_token,) if s)]))
        add_bos = not (bos_token and text.startswith(bos_token))
        return RenderedPrompt(text=text, stops=stops, add_bos=add_bos, source=self.source, warning=self.warning)


# -- compiling and rendering ---------------------------------------------------


def _on_line(line: int | None) -> str:
    return translate("Templates", " on line {line}").format(line=line) if line else ""


def _template_line(exc: BaseException) -> int | None:
    """The template line an error was raised on: jinja2 rewrites tracebacks to point into the template."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


# -- limits ------------------------------------------------------------------------

#: Longest template source accepted (real chat templates are a few KB).
MAX_TEMPLATE_CHARS = 256_000
#: Longest string or list a template may build in one operation, and longest prompt it may write.
MAX_VALUE_LENGTH = 16_000_000
MAX_OUTPUT_CHARS = 16_000_000
#: Wall-clock limit for one rendering (a real template takes about a millisecond).
MAX_RENDER_SECONDS = 2.0
#: Deepest nesting of template frames (macros calling macros, recursive loops).
MAX_TEMPLATE_DEPTH = 100
#: Widest field a format string, padding method or filter may ask for.
MAX_FIELD_WIDTH = 10_000
#: Largest power a template may compute (in bits).
MAX_POWER_BITS = 4_096


class _LimitExceeded(Exception):
    """A template went past one of the limits above; the message names which."""


def _limit_sentence(what: str) -> str:
    texts = {
        "time": QT_TRANSLATE_NOOP("Templates", "it ran for more than {seconds} seconds"),
        "output": QT_TRANSLATE_NOOP("Templates", "it wrote more than {chars} characters"),
        "value": QT_TRANSLATE_NOOP("Templates", "it tried to build a text or list longer than {chars} items"),
        "width": QT_TRANSLATE_NOOP("Templates", "it asked for a field wider than {width} characters"),
        "power": QT_TRANSLATE_NOOP("Templates", "it tried to compute a power with more than {bits} bits"),
        "depth": QT_TRANSLATE_NOOP("Templates", "it nests calls more than {depth} deep"),
        "size": QT_TRANSLATE_NOOP("Templates", "it is longer than {chars} characters"),
    }
    return translate("Templates", texts[what]).format(
        seconds=MAX_RENDER_SECONDS, chars=MAX_VALUE_LENGTH if what == "value" else
        (MAX_TEMPLATE_CHARS if what == "size" else MAX_OUTPUT_CHARS),
        width=MAX_FIELD_WIDTH, bits=MAX_POWER_BITS, depth=MAX_TEMPLATE_DEPTH,
    )


def _check_length(n: int) -> None:
    if n > MAX_VALUE_LENGTH:
        raise _LimitExceeded("value")


def _check_width(n: Any) -> None:
    if isinstance(n, int) and not isinstance(n, bool) and n > MAX_FIELD_WIDTH:
        raise _LimitExceeded("width")


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_percent_format(fmt: str) -> None:
    for match in _PERCENT_SPEC.finditer(fmt):
        for part in match.groups():
            if part == "*" or (part and int(part) > MAX_FIELD_WIDTH):
                raise _LimitExceeded("width")


def _check_brace_format(fmt: str) -> None:
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format itself reports the malformed string
    for _text, _name, spec, _conv in fields:
        if spec and ("{" in spec or any(int(d) > MAX_FIELD_WIDTH for d in re.findall(r"\d+", spec))):
            raise _LimitExceeded("width")


def _sized(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


#: String methods whose first argument is a width to pad to.
_PADDING_METHODS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs"})


class _LimitedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with the operations that can allocate without bound checked first."""

    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(n, int) and _sized(seq):
                    _check_length(_sized(seq) * max(n, 0))
        elif operator == "+":
            _check_length(_sized(left) + _sized(right))
        elif operator == "**":
            if (
                isinstance(left, int)
                and isinstance(right, int)
                and right > 0
                and abs(left) > 1
                and right * max(abs(left).bit_length(), 1) > MAX_POWER_BITS
            ):
                raise _LimitExceeded("power")
        elif operator == "%" and isinstance(left, str):
            _check_percent_format(left)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Any:
        wrapper = super().wrap_str_format(value)
        if wrapper is not None:
            _check_brace_format(value.__self__)
        return wrapper

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        owner = getattr(__obj, "__self__", None)
        if isinstance(__obj, types.BuiltinMethodType) and isinstance(owner, str):
            name = __obj.__name__
            if name in _PADDING_METHODS:
                for arg in (*args, *kwargs.values()):
                    _check_width(arg)
            elif name == "replace" and len(args) >= 2:
                old, new = args[0], args[1]
                if isinstance(old, str) and isinstance(new, str):
                    count = (len(owner) + 1) if not old else owner.count(old)
                    _check_length(len(owner) + count * max(len(new) - len(old), 0))
        for arg in (*args, *kwargs.values()):
            _check_length(_sized(arg))
        return super().call(__context, __obj, *args, **kwargs)


def _format_filter(value: Any, *args: Any, **kwargs: Any) -> str:
    _check_percent_format(str(value))
    return jinja2.filters.do_format(value, *args, **kwargs)


def _width_filter(original: Callable[..., Any]) -> Callable[..., Any]:
    def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
        for arg in (*args, *kwargs.values()):
            _check_width(arg)
        return original(value, *args, **kwargs)

    checked.__name__ = getattr(original, "__name__", "filter")
    if getattr(original, "jinja_pass_arg", None) is not None:
        checked.jinja_pass_arg = original.jinja_pass_arg  # type: ignore[attr-defined]
    return checked


def _environment(strict: bool) -> ImmutableSandboxedEnvironment:
    # The same settings as llama-cpp-python's Jinja2ChatFormatter (and Hugging Face's
    # apply_chat_template), so a template behaves here as it does there; but
    # optimized=False: jinja2's optimizer evaluates constant expressions while
    # compiling, outside every limit (``{{ 'a' * 10**9 }}`` took a minute and 4 GB).
    env = _LimitedEnvironment(
        loader=jinja2.BaseLoader(),
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[Jinja2ChatFormatter.IgnoreGenerationTags, jinja2.ext.loopcontrols],
        undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
        optimized=False,
    )
    env.filters["tojson"] = _width_filter(Jinja2ChatFormatter.tojson)
    env.filters["format"] = _format_filter
    for name in ("center", "indent", "wordwrap", "truncate"):
        env.filters[name] = _width_filter(env.filters[name])
    # lipsum(n) writes n paragraphs of filler text; no chat template uses it.
    env.globals.pop("lipsum", None)
    return env


def _run_limited(produce: Callable[[], Iterable[str]]) -> str:  # noqa: C901 - the trace function must check every limit on each line it sees
    """Collect a template's output within the time, output and depth limits.

    jinja2 compiles a template to Python code whose file name is "<template>".
    A trace function on this thread sees each line of that code run, so a
    loop that never calls anything (``{% for i in range(10**5) %}`` nested
    three deep) is stopped too; it also sees each call of jinja2's string
    concatenation (``~``), whose pieces are measured before they are joined.
    Hand-written because jinja2 has no limit of its own on time or memory.
    """
    deadline = time.monotonic() + MAX_RENDER_SECONDS
    depth = 0
    join_code = jinja2.runtime.str_join.__code__

    def local(frame: types.FrameType, event: str, arg: Any) -> Any:
        nonlocal depth
        if event == "line" and time.monotonic() > deadline:
            raise _LimitExceeded("time")
        if event == "return":
            depth -= 1
        return local

    def global_trace(frame: types.FrameType, event: str, arg: Any) -> Any:
        nonlocal depth
        code = frame.f_code
        if code.co_filename == "<template>":
            depth += 1
            if depth > MAX_TEMPLATE_DEPTH:
                raise _LimitExceeded("depth")
            if time.monotonic() > deadline:
                raise _LimitExceeded("time")
            return local
        if code is join_code:
            seq = frame.f_locals.get("seq")
            if isinstance(seq, (tuple, list)):
                _check_length(sum(len(x) if isinstance(x, str) else 0 for x in seq))
        return None

    previous = sys.gettrace()
    parts: list[str] = []
    total = 0
    chunks = iter(produce())
    try:
        sys.settrace(global_trace)
        try:
            for chunk in chunks:
                total += len(chunk)
                if total > MAX_OUTPUT_CHARS:
                    raise _LimitExceeded("output")
                parts.append(chunk)
        finally:
            sys.settrace(previous)
    finally:
        # Closed here, untraced: closed later by the garbage collector, a stopped
        # template would meet the trace function again and print a traceback.
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return "".join(parts)


def _private_names(tree: jinja2.nodes.Node) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for node in tree.find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem, jinja2.nodes.Filter)):
        name: Any = None
        if isinstance(node, jinja2.nodes.Getattr):
            name = node.attr
        elif isinstance(node, jinja2.nodes.Getitem) and isinstance(node.arg, jinja2.nodes.Const):
            name = node.arg.value
        elif isinstance(node, jinja2.nodes.Filter) and node.name == "attr" and node.args:
            arg = node.args[0]
            name = arg.value if isinstance(arg, jinja2.nodes.Const) else None
        if isinstance(name, str) and name.startswith("_"):
            found.append((name, node.lineno))
    return found


#: How many compiled templates are kept (each distinct source text and setting is one). A window uses one or
#: two at a time; the template editor makes a new one at each pause in typing, and the oldest go first.
COMPILE_CACHE_SIZE = 32


@dataclass(frozen=True)
class _Refusal:
    """Why a template source cannot be compiled, kept with the compiled ones so it is not parsed again."""

    kind: str  # "syntax" or "private"
    line: int | None
    detail: str  # jinja2's message, or the private name

    def error(self, name: str) -> TemplateError:
        if self.kind == "private":
            return TemplateError(
                translate(
                    "Templates",
                    "The prompt template '{name}' refers to '{attr}' on line {line}. Names that start with an "
                    "underscore reach into Python's internals, which templates may not do; nothing was run.",
                ).format(name=name, attr=self.detail, line=self.line),
                self.line,
            )
        return TemplateError(
            translate("Templates", "The prompt template '{name}' has a syntax error on line {line}: {msg}.").format(
                name=name, line=self.line, msg=self.detail
            ),
            self.line,
        )


def _compile(name: str, source: str, *, strict: bool) -> jinja2.Template:
    """The template compiled in the limited sandbox, or TemplateError saying why it cannot be.

    Compiling takes tens of milliseconds and the window asks for the same
    template several times for each reply, so each distinct (source, strict)
    is compiled once and kept (functools.lru_cache, COMPILE_CACHE_SIZE of
    them). What is kept is only the compiled code and its environment, which
    hold no state between renderings: every rendering still runs inside
    _run_limited with its own clock, output count and depth, and the
    environment still checks each operation, so a kept template is held to
    exactly the limits of a new one. A changed source is another key, so it is
    compiled (and checked) anew.
    """
    if len(source) > MAX_TEMPLATE_CHARS:
        raise TemplateError(
            translate("Templates", "The prompt template '{name}' cannot be used because {limit}.").format(
                name=name, limit=_limit_sentence("size")
            )
        )
    with _compile_errors(name):
        compiled = _compile_source(source, strict)
    if isinstance(compiled, _Refusal):
        raise compiled.error(name)
    return compiled


@functools.lru_cache(maxsize=COMPILE_CACHE_SIZE)
def _compile_source(source: str, strict: bool) -> jinja2.Template | _Refusal:
    """Compile once per (source, strict); syntax errors and private names are kept as a _Refusal.

    A RecursionError (brackets nested too deeply) is raised, not kept: whether
    it happens depends on how deep the caller's stack already is.
    """
    env = _environment(strict)
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        return _Refusal("syntax", exc.lineno, exc.message or "")
    private = _private_names(tree)
    if private:
        attr, line = private[0]
        return _Refusal("private", line, attr)
    try:
        return env.from_string(tree)
    except jinja2.TemplateSyntaxError as exc:
        return _Refusal("syntax", exc.lineno, exc.message or "")


@contextlib.contextmanager
def _compile_errors(name: str) -> Iterator[None]:
    """Jinja2's parse and compile failures as TemplateError sentences."""
    try:
        yield
    except RecursionError:
        raise TemplateError(
            translate(
                "Templates", "The prompt template '{name}' nests its brackets or blocks too deeply to be read."
            ).format(name=name)
        ) from None


def _raise_exception(message: str) -> None:
    raise ValueError(message)


def _renderer(
    template: ChatTemplate, bos_token: str, eos_token: str, add_generation_prompt: bool
) -> Callable[[list[dict[str, Any]]], str]:
    # A file's own template (strict=False) gets the variables llama-cpp-python's
    # Jinja2ChatFormatter passes, so the prompt is the one it would render.
    compiled = _compile(template.name, template.jinja, strict=template.strict)

    def render(messages: list[dict[str, Any]]) -> str:
        return _run_limited(lambda: compiled.generate(
            messages=messages,
            bos_token=bos_token,
            eos_token=eos_token,
            add_generation_prompt=add_generation_prompt,
            raise_exception=_raise_exception,
            strftime_now=lambda fmt: datetime.now().strftime(fmt),
            tools=None,
            functions=None,
            tool_choice=None,
            function_call=None,
        ))

    return render


# -- built-in templates ---------------------------------------------------------

_ROLE_CHECK = (
    "{%- if message['role'] not in ('system', 'user', 'assistant') -%}"
    "{{ raise_exception('unknown role ' + message['role']) }}{%- endif -%}"
)

_ZEPHYR = (
    "{%- for message in messages -%}" + _ROLE_CHECK +
    "{{ '<|' + message['role'] + '|>\\n' + message['content'] + '</s>\\n' }}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<|assistant|>\\n' }}{%- endif -%}"
)

_ALPACA_MULTITURN = (
    "{%- for message in messages -%}" + _ROLE_CHECK +
    "{%- if message['role'] == 'system' -%}{{ '### Instruction:\\n' + message['content'] + '\\n\\n' }}"
    "{%- elif message['role'] == 'user' -%}{{ '### Input:\\n' + message['content'] + '\\n\\n' }}"
    "{%- else -%}{{ '### Response:\\n' + message['content'] + '\\n\\n' }}{%- endif -%}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '### Response:\\n' }}{%- endif -%}"
)

# The Stanford Alpaca prompt, in its two forms: with an input (the system prompt is
# the instruction, the person's message its input) and without one.
_ALPACA = (
    "{%- set system = messages | selectattr('role', 'equalto', 'system') | list -%}"
    "{%- set users = messages | selectattr('role', 'equalto', 'user') | list -%}"
    "{%- if users -%}"
    "{%- if system and system[0]['content'] -%}"
    "{{ 'Below is an instruction that describes a task, paired with an input that provides further context. "
    "Write a response that appropriately completes the request.\\n\\n' }}"
    "{{ '### Instruction:\\n' + system[0]['content'] + '\\n\\n### Input:\\n' + users[-1]['content'] + '\\n\\n' }}"
    "{%- else -%}"
    "{{ 'Below is an instruction that describes a task. Write a response that appropriately completes the "
    "request.\\n\\n' }}"
    "{{ '### Instruction:\\n' + users[-1]['content'] + '\\n\\n' }}"
    "{%- endif -%}"
    "{%- if add_generation_prompt -%}{{ '### Response:\\n' }}{%- endif -%}"
    "{%- endif -%}"
)

_CHATML = (
    "{%- for message in messages -%}" + _ROLE_CHECK +
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\\n' }}{%- endif -%}"
)

# Meta's reference tokenizer strips each message's content; so does the Hugging Face template.
_LLAMA3 = (
    "{{ '<|begin_of_text|>' }}"
    "{%- for message in messages -%}"
    + _ROLE_CHECK
    + "{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + (message['content'] | trim) + "
      "'<|eot_id|>' }}"
    "{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif -%}"
)

_RAW = (
    "{%- for message in messages -%}"
    "{%- if message['role'] == 'system' -%}{{ message['content'] + '\\n\\n' }}"
    "{%- else -%}{{ message['content'] }}{%- endif -%}"
    "{%- endfor -%}"
)

_BUILTINS: dict[str, ChatTemplate] = {
    t.name: t
    for t in (
        ChatTemplate(
            "zephyr",
            "zephyr",
            _ZEPHYR,
            stops=("</s>", "<|user|>", "<|system|>"),
            description=QT_TRANSLATE_NOOP(
                "Templates", "Zephyr: <|user|> and <|assistant|> turns ended by </s> (TinyLlama chat)"
            ),
        ),
        ChatTemplate(
            "alpaca-multiturn",
            "alpaca-multiturn",
            _ALPACA_MULTITURN,
            stops=("### Input:", "### Instruction:"),
            description=QT_TRANSLATE_NOOP(
                "Templates",
                "Alpaca multi-turn: ### Instruction (system), ### Input and ### Response turns (TinyLlama 32k "
                "Instruct)",
            ),
        ),
        ChatTemplate(
            "alpaca",
            "alpaca",
            _ALPACA,
            stops=("### Instruction:", "### Input:", "### Response:"),
            description=QT_TRANSLATE_NOOP(
                "Templates",
                "Alpaca single-turn: one instruction, an optional input, one response; only the latest message is sent",
            ),
        ),
        ChatTemplate(
            "chatml",
            "chatml",
            _CHATML,
            stops=("<|im_end|>", "<|im_start|>"),
            description=QT_TRANSLATE_NOOP("Templates", "ChatML: <|im_start|>role ... <|im_end|> (SmolLM2, Qwen)"),
        ),
        ChatTemplate(
            "llama3",
            "llama3",
            _LLAMA3,
            stops=("<|eot_id|>", "<|end_of_text|>", "<|start_header_id|>"),
            description=QT_TRANSLATE_NOOP("Templates", "Llama 3: header tokens and <|eot_id|> (Llama 3.x Instruct)"),
        ),
        ChatTemplate(
            "raw",
            "raw",
            _RAW,
            stops=(),
            description=QT_TRANSLATE_NOOP(
                "Templates", "Raw: no template, the text itself is continued (for base models)"
            ),
        ),
    )
}


def builtin_names() -> tuple[str, ...]:
    return tuple(_BUILTINS)


def builtin(name: str) -> ChatTemplate:
    try:
        return _BUILTINS[name]
    except KeyError:
        raise TemplateError(
            translate(
                "Templates", "There is no built-in prompt template called '{name}'. The built-ins are: {names}."
            ).format(name=name, names=", ".join(_BUILTINS))
        ) from None


def gguf_template(jinja_source: str) -> ChatTemplate:
    """The model file's own template, rendered exactly as llama-cpp-python renders it."""
    return ChatTemplate(
        name="gguf", source="gguf", jinja=jinja_source, strict=False,
        description=QT_TRANSLATE_NOOP("Templates", "The template stored in the model file"),
    )


# -- custom templates and files ---------------------------------------------------


def custom_templates_dir() -> Path:
    return paths.data_dir() / "templates"


def custom_template_names() -> list[str]:
    try:
        folder = custom_templates_dir()
    except OSError:  # the data folder cannot be used; the window says so once, elsewhere
        return []
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.jinja") if CUSTOM_NAME_RE.match(p.stem))


def _split_stops(text: str) -> tuple[tuple[str, ...], str]:
    match = STOPS_HEADER_RE.match(text)
    if not match:
        return (), text
    try:
        stops = json.loads(match.group(1))
    except ValueError:
        return (), text
    if not isinstance(stops, list) or not all(isinstance(s, str) for s in stops):
        return (), text
    return tuple(s for s in stops if s), text


def template_from_file(path: str | os.PathLike[str], name: str | None = None) -> ChatTemplate:
    """A person's template from a .jinja file; checked (syntax, sandbox) before it is returned.

    The file's first line may name its stop sequences: ``{# stops: ["### Input:"] #}``.
    """
    p = Path(path).expanduser()
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(
            translate(
                "Templates", "The template file {path} does not exist. Check the path, or use a built-in: {names}."
            ).format(path=p, names=", ".join(_BUILTINS))
        ) from None
    except UnicodeDecodeError:
        raise TemplateError(
            translate(
                "Templates", "The template file {path} is not UTF-8 text. Save it as UTF-8 and try again."
            ).format(path=p)
        ) from None
    except OSError as exc:
        raise TemplateError(
            translate("Templates", "TinyChat cannot read the template file {path} ({reason}).").format(
                path=p, reason=exc.strerror or exc
            )
        ) from None
    stops, _body = _split_stops(text)
    # The stops header is a Jinja comment, so the whole text is the template.
    template = ChatTemplate(name=name or p.stem, source=str(p), jinja=text, stops=stops, strict=True)
    template.check()
    return template


def save_custom_template(name: str, jinja_source: str, stops: Sequence[str] = ()) -> Path:
    """Save a template as ``NAME.jinja`` in the data folder (checked first). Returns the file."""
    if not CUSTOM_NAME_RE.match(name or ""):
        raise TemplateError(
            translate(
                "Templates",
                "'{name}' cannot be a template name: use letters, digits, '-', '_' or '.', at most 64 characters.",
            ).format(name=name)
        )
    if name in _BUILTINS:
        raise TemplateError(
            translate("Templates", "'{name}' is the name of a built-in template; choose another name.").format(
                name=name
            )
        )
    _stops, body = _split_stops(jinja_source)
    stops = tuple(s for s in stops if s) or _stops
    ChatTemplate(name=name, source=name, jinja=body, strict=True).check()
    header = "{# stops: " + json.dumps(list(stops), ensure_ascii=False) + " #}\n" if stops else ""
    folder = custom_templates_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.jinja"
    tmp = target.with_suffix(".jinja.tmp")
    tmp.write_text(header + body, encoding="utf-8")
    os.replace(tmp, target)
    return target


def load_template(spec: str) -> ChatTemplate:
    """A built-in name, a saved custom template's name, or a path to a .jinja file."""
    spec = (spec or "").strip()
    if not spec:
        raise TemplateError(
            translate("Templates", "No template was named. Use a built-in ({names}) or a .jinja file.").format(
                names=", ".join(_BUILTINS)
            )
        )
    if spec in _BUILTINS:
        return _BUILTINS[spec]
    if CUSTOM_NAME_RE.match(spec) and (custom_templates_dir() / f"{spec}.jinja").is_file():
        return template_from_file(custom_templates_dir() / f"{spec}.jinja", name=spec)
    if os.sep in spec or "/" in spec or spec.endswith(".jinja") or Path(spec).expanduser().exists():
        return template_from_file(spec)
    names = ", ".join([*_BUILTINS, *custom_template_names()])
    raise TemplateError(
        translate(
            "Templates",
            "There is no prompt template called '{name}'. Use one of: {names}; or the path of a .jinja file.",
        ).format(name=spec, names=names)
    )


# -- resolution ----------------------------------------------------------------------


def _catalog_entry(model_path: str | os.PathLike[str] | None) -> Any:
    # Imported here: the catalog imports params, and a broken catalog file must not stop a model from loading.
    from tinychat.core.catalog import CatalogError, entry_for_file

    if not model_path:
        return None
    try:
        return entry_for_file(os.fspath(model_path))
    except CatalogError:
        return None


def _guess(architecture: str, special_tokens: Iterable[str]) -> tuple[str, str]:
    """A built-in's name and why, judged by the vocabulary's special tokens and then the architecture."""
    specials = set(special_tokens)
    if "<|im_start|>" in specials:
        return "chatml", translate("Templates", "its vocabulary has the ChatML token <|im_start|>")
    if "<|start_header_id|>" in specials:
        return "llama3", translate("Templates", "its vocabulary has the Llama 3 token <|start_header_id|>")
    arch = (architecture or "").lower()
    if arch.startswith("qwen"):
        return "chatml", translate("Templates", "Qwen models use ChatML")
    return "raw", translate(
        "Templates", "a file with no chat format is usually a base model, which continues plain text"
    )


def resolve_template(
    model_path: str | os.PathLike[str] | None,
    *,
    chat_template: str | None = None,
    architecture: str = "",
    special_tokens: Iterable[str] = (),
    override: str | ChatTemplate | None = None,
) -> ChatTemplate:
    """Choose the template for a model, recording the rule and a sentence that explains it.

    Only an override can raise TemplateError (it names a template that does not
    exist or does not compile); the other rules always find something.
    """
    if override is not None and override != "":
        chosen = override if isinstance(override, ChatTemplate) else load_template(override)
        chosen.check()
        what = chosen.source if chosen.source != chosen.name else chosen.name
        return chosen.chosen(
            RULE_OVERRIDE,
            translate("Templates", "Template '{what}': chosen by you for this conversation or model.").format(
                what=what
            ),
        )

    entry = _catalog_entry(model_path)
    if entry is not None and entry.template and entry.template != "gguf" and entry.template in _BUILTINS:
        return _BUILTINS[entry.template].chosen(
            RULE_CATALOG,
            translate(
                "Templates", "Template '{name}': the format {model} was trained on, named in TinyChat's model list."
            ).format(name=entry.template, model=entry.name),
        )
    if chat_template:
        template = gguf_template(chat_template)
        try:
            template.check()
        except TemplateError as exc:
            bad = str(exc)
        else:
            if entry is not None:
                reason = translate(
                    "Templates",
                    "Template 'gguf': the template stored in the model file, as TinyChat's model list says to use "
                    "for {model}.",
                ).format(model=entry.name)
            else:
                reason = translate("Templates", "Template 'gguf': the template stored in the model file.")
            return template.chosen(RULE_GGUF, reason)
    else:
        bad = ""

    name, why = _guess(architecture, special_tokens)
    if bad:
        warning = translate(
            "Templates",
            "The model file's own template cannot be used ({problem}). TinyChat guessed '{name}' because {why}; "
            "this is a guess: if the replies look wrong, choose another template.",
        ).format(problem=bad, name=name, why=why)
    else:
        warning = translate(
            "Templates",
            "The model file has no chat template and TinyChat does not know this model. It guessed '{name}' because "
            "{why}; this is a guess: if the replies look wrong, choose another template.",
        ).format(name=name, why=why)
    return _BUILTINS[name].chosen(
        RULE_GUESS,
        translate("Templates", "Template '{name}': guessed, because {why}.").format(name=name, why=why),
        warning,
    )


def resolve_for_model(info: Any, override: str | ChatTemplate | None = None) -> ChatTemplate:
    """resolve_template() for a loaded model's ModelInfo."""
    return resolve_template(
        info.path,
        chat_template=info.chat_template,
        architecture=info.architecture,
        special_tokens=info.special_tokens,
        override=override,
    )


def default_system_prompt(model_path: str | os.PathLike[str] | None) -> str:
    """The system prompt the model's makers recommend (from the catalog), or ""."""
    entry = _catalog_entry(model_path)
    return entry.system_prompt if entry else ""


def with_system_prompt(messages: Sequence[Message], system: str | None) -> list[dict[str, str]]:
    """``messages`` with ``system`` as the first message (replacing any there); "" or None removes it."""
    rest = [dict(m) for m in messages if m.get("role") != "system"]
    return ([{"role": "system", "content": system}] if system else []) + rest


# -- fitting a conversation into the context window ----------------------------------


@dataclass(frozen=True)
class FittedConversation:
    messages: list[dict[str, str]]
    dropped: list[dict[str, str]]
    prompt_tokens: int


def drop_oldest_turns(
    messages: Sequence[Message], count_tokens: Callable[[list[dict[str, str]]], int], limit: int
) -> FittedConversation:
    """Drop the oldest turns (a person's message and the replies to it) until the prompt has fewer than
    ``limit`` tokens.

    System messages and the latest turn are always kept. Raises TemplateError
    when even that does not fit. ``count_tokens`` renders and tokenizes a list of
    messages (for example ``lambda m: len(engine.tokenize(engine.render(m)))``).
    """
    system = [dict(m) for m in messages if m.get("role") == "system"]
    rest = [dict(m) for m in messages if m.get("role") != "system"]
    # Group into turns: each starts at a user message.
    turns: list[list[dict[str, str]]] = []
    for message in rest:
        if message.get("role") == "user" or not turns:
            turns.append([message])
        else:
            turns[-1].append(message)
    dropped: list[dict[str, str]] = []
    while True:
        kept = system + [m for turn in turns for m in turn]
        tokens = count_tokens(kept)
        if tokens < limit:
            return FittedConversation(kept, dropped, tokens)
        if len(turns) <= 1:
            raise TemplateError(
                translate(
                    "Templates",
                    "Even the latest message alone needs {tokens} tokens, and the context window holds {limit}. "
                    "Shorten the message or the system prompt, or load the model with a larger context.",
                ).format(tokens=tokens, limit=limit)
            )
        dropped.extend(turns.pop(0))


@dataclass(frozen=True)
class ContextOverflow:
    """A conversation that has outgrown the context window, and what leaving out its oldest turns would take."""

    needed: int  # tokens the whole prompt needs
    n_ctx: int  # the context window
    limit: int  # what the prompt may use, leaving room for the reply
    drop: int  # how many of the oldest messages to leave out so it fits


def reply_room(n_ctx: int, max_new_tokens: int) -> int:
    """Tokens kept free for the reply: its length, but at most a quarter of the window and at least 16."""
    return max(16, min(max_new_tokens, n_ctx // 4))


def context_overflow(
    messages: Sequence[Message],
    count_tokens: Callable[[list[dict[str, str]]], int],
    n_ctx: int,
    max_new_tokens: int,
) -> ContextOverflow | None:
    """How many of the oldest messages must go for the next turn to fit in ``n_ctx`` with room for the reply.

    None when nothing needs to go, or when leaving messages out cannot help
    (the prompt cannot be counted, say a broken template, or even the latest
    turn alone is too long): the reply itself then reports the problem.
    ``count_tokens`` renders and tokenizes a list of messages, as for
    :func:`drop_oldest_turns`.
    """
    listed = [dict(m) for m in messages]
    try:
        needed = count_tokens(listed)
    except Exception:  # the reply itself will report a broken template
        return None
    limit = n_ctx - reply_room(n_ctx, max_new_tokens)
    if needed < limit:
        return None
    try:
        fitted = drop_oldest_turns(listed, count_tokens, limit)
    except TemplateError:
        return None  # even the last turn alone is too long: the engine says so
    return ContextOverflow(needed=needed, n_ctx=n_ctx, limit=limit, drop=len(fitted.dropped))


# -- neutralising user text -------------------------------------------------------------


def neutralise(text: str, special_tokens: Iterable[str]) -> str:
    """Make special-token strings in user text harmless.

    Prompts are tokenized with special tokens enabled (the template's own
    markers must become control tokens), so a user typing ``<|im_end|>`` would
    otherwise close their turn and forge the model's. A zero-width space after
    the first character keeps the text readable while the tokenizer no longer
    sees the control token.
    """
    for token in sorted({t for t in special_tokens if len(t) > 1}, key=len, reverse=True):
        if token in text:
            text = text.replace(token, token[0] + ZERO_WIDTH_SPACE + token[1:])
    return text


def neutralise_messages(messages: Sequence[Message], special_tokens: Iterable[str]) -> list[dict[str, str]]:
    """Copies of ``messages`` whose text cannot inject control tokens.

    Every role is treated alike: the system prompt is typed by a person, and a
    reply may have been edited by one.
    """
    from tinychat.core.store import clean_text  # here: the store is not needed to render templates

    specials = list(special_tokens)
    # Text from the command line or stdin may hold undecodable bytes (as lone
    # surrogates), which UTF-8 cannot encode: cleaned as the store does for saving.
    return [{**m, "content": neutralise(clean_text(m.get("content", "")), specials)} for m in messages]
