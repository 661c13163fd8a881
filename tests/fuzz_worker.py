"""The fuzz test's worker: runs hostile cases in its own process, one JSON line per case.

    python tests/fuzz_worker.py headers SEED COUNT WORKDIR
    python tests/fuzz_worker.py templates SEED COUNT
    python tests/fuzz_worker.py markdown

It runs under a memory limit (RLIMIT_AS), so a case that allocates without
bound fails here instead of taking the machine; an abort (llama.cpp, Qt, C++
``bad_alloc``) ends this process and the test sees which case was running.
Each line is {"case": ..., "outcome": "ok" | "sentence" | "traceback", "detail": ...}.
"""

from __future__ import annotations

import json
import math
import os
import random
import resource
import shutil
import struct
import sys
import traceback
from pathlib import Path

MEMORY_LIMIT = 3 << 30


def emit(case: str, outcome: str, detail: str = "") -> None:
    print(json.dumps({"case": case, "outcome": outcome, "detail": detail[:500]}), flush=True)


def starting(case: str) -> None:
    print(json.dumps({"case": case, "outcome": "start"}), flush=True)


# --- GGUF headers ---------------------------------------------------------------------------


def header_fields(data: bytes) -> tuple[list[tuple[str, int, int]], int]:
    """(what, offset, width) of every number, type and length field in the header; and its end."""
    from gguf.constants import GGUFValueType

    from tinychat.core.gguf_info import _SCALAR_FORMATS, _Cursor

    cur = _Cursor(data)
    fields: list[tuple[str, int, int]] = []
    cur.pos = 8
    fields += [("tensor_count", 8, 8), ("kv_count", 16, 8)]
    tensor_count = cur.unpack("Q")
    kv_count = cur.unpack("Q")
    for _ in range(kv_count):
        fields.append(("key length", cur.pos, 8))
        key = cur.string()
        fields.append((f"{key} type", cur.pos, 4))
        vtype = GGUFValueType(cur.unpack("I"))
        if vtype == GGUFValueType.ARRAY:
            fields.append((f"{key} item type", cur.pos, 4))
            fields.append((f"{key} count", cur.pos + 4, 8))
            cur.value(vtype)
        elif vtype == GGUFValueType.STRING:
            fields.append((f"{key} length", cur.pos, 8))
            cur.skip_string()
        else:
            width = struct.calcsize(_SCALAR_FORMATS[vtype])
            fields.append((key, cur.pos, width))
            cur.pos += width
    for _ in range(tensor_count):
        fields.append(("tensor name length", cur.pos, 8))
        cur.skip_string()
        fields.append(("tensor dims", cur.pos, 4))
        n_dims = cur.unpack("I")
        for d in range(n_dims):
            fields.append((f"tensor dim {d}", cur.pos, 8))
            cur.pos += 8
        fields.append(("tensor type", cur.pos, 4))
        fields.append(("tensor offset", cur.pos + 4, 8))
        cur.pos += 12
    return fields, cur.pos


SPECIAL_INTS = [0, 1, 2, 3, 7, 255, 256, 512, 513, 65535, 2**31 - 1, 2**31, 2**32 - 1, 2**63 - 1, 2**64 - 1]
SPECIAL_FLOATS = [math.nan, math.inf, -math.inf, 0.0, -1.0, 1e38, 1e-45]


def mutate(rng: random.Random, fields, header_end: int, blob: bytearray) -> str:
    kind = rng.random()
    if kind < 0.6:
        what, offset, width = rng.choice(fields)
        if width == 4 and rng.random() < 0.3:
            value = struct.pack("<f", rng.choice(SPECIAL_FLOATS))
            shown = "float"
        else:
            number = rng.choice(SPECIAL_INTS) if rng.random() < 0.8 else rng.getrandbits(8 * width)
            value = (number % (1 << (8 * width))).to_bytes(width, "little")
            shown = str(number % (1 << (8 * width)))
        blob[offset:offset + width] = value
        return f"set {what} to {shown}"
    if kind < 0.9:
        flips = rng.randint(1, 8)
        for _ in range(flips):
            at = rng.randrange(4, header_end)
            blob[at] = rng.getrandbits(8)
        return f"{flips} random bytes"
    at = rng.randrange(4, header_end)
    blob[at:at + 64] = b"\xff" * 64
    return f"64 bytes of 0xff at {at}"


def run_headers(seed: int, count: int, workdir: Path) -> None:
    from tinychat.core import hub, paths
    from tinychat.core.catalog import starter_model_path
    from tinychat.core.gguf_info import GGUFInfoError, read_gguf_info
    from tinychat.core.xray import VocabOnly

    paths.set_data_dir(workdir / "data")
    source = starter_model_path()
    size = source.stat().st_size
    with open(source, "rb") as f:
        head = f.read(8 * 1024 * 1024)
    fields, header_end = header_fields(head)
    original = head[:header_end]
    target = workdir / "fuzzed.gguf"
    # The header, then a sparse stretch as long as the weights: the same file as far as
    # every reader of headers can tell, without writing 100 MB per case.
    with open(target, "wb") as f:
        f.write(original)
        f.truncate(size)
    rng = random.Random(seed)
    imported_whole = 0
    for case in range(count):
        blob = bytearray(original)
        what = mutate(rng, fields, header_end, blob)
        name = f"header {case}: {what}"
        starting(name)
        with open(target, "r+b") as f:
            f.write(blob)
        try:
            info = read_gguf_info(target)
        except GGUFInfoError as exc:
            outcome, detail = "sentence", str(exc)
        except Exception:
            emit(name, "traceback", traceback.format_exc())
            continue
        else:
            outcome, detail = "ok", f"{info.architecture} {info.block_count} layers"
            # What the header check lets through, llama.cpp must then read without
            # aborting: its vocabulary-only load reads every hyperparameter.
            try:
                VocabOnly(target).close()
            except ValueError as exc:  # llama.cpp refused it (with its own message): not a crash
                detail += f"; llama.cpp refuses it: {exc}"
        # import refuses what info refuses; an accepted file is copied, so only a few are.
        if outcome == "sentence" or imported_whole < 2:
            try:
                installed = hub.import_gguf(target)
            except (GGUFInfoError, hub.HubError) as exc:
                if outcome == "ok":
                    outcome, detail = "sentence", str(exc)
            except Exception:
                emit(name + " (import)", "traceback", traceback.format_exc())
                continue
            else:
                imported_whole += 1
                if outcome == "sentence":
                    emit(name + " (import)", "traceback", "import accepted a file that info refused: " + detail)
                    continue
                installed.unlink()
        emit(name, outcome, detail)
    # Cut short at every kind of place, too.
    for cut in sorted(rng.sample(range(5, header_end), 10)):
        name = f"header cut at byte {cut}"
        starting(name)
        short = workdir / "short.gguf"
        short.write_bytes(original[:cut])
        try:
            read_gguf_info(short)
            emit(name, "ok")
        except GGUFInfoError as exc:
            emit(name, "sentence", str(exc))
        except Exception:
            emit(name, "traceback", traceback.format_exc())
    shutil.rmtree(workdir / "data", ignore_errors=True)


# --- templates ---------------------------------------------------------------------------------

HOSTILE_TEMPLATES = [
    "{{ 'a' * 10**9 }}",
    "{{ ('b' * 10**5) * 10**5 }}",
    "{{ [0] * 10**9 }}",
    "{{ '%1000000000d' % 1 }}",
    "{{ '%*d' % (10**9, 1) }}",
    "{{ '%.1000000000f' % 1.5 }}",
    "{{ '{:>1000000000}'.format(1) }}",
    "{{ '{:{w}}'.format(1, w=10**9) }}",
    "{{ '{0:>{1}}'.format(1, 10**9) }}",
    "{{ 'x'.ljust(10**9) }}",
    "{{ 'x'.center(10**9) }}",
    "{{ 'x'.zfill(10**9) }}",
    "{{ '\t'.expandtabs(10**9) }}",
    "{{ 'ab'.replace('', 'x' * 10**6) }}",
    "{{ 'x' | center(10**9) }}",
    "{{ 'x' | indent(10**9) }}",
    "{{ '%1000000000s' | format('x') }}",
    "{{ messages | tojson(indent=10**9) }}",
    "{{ 7 ** (10 ** 8) }}",
    "{{ 2 ** 2 ** 2 ** 2 ** 2 ** 2 }}",
    "{{ range(10**9) | list }}",
    "{{ range(100000) | list | length }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{{ i }}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('a') }}",
    "{% set ns = namespace(s='a') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
    "{% set ns = namespace(s='a') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s }}",
    "{% for i in range(100000) %}{{ 'x' * 10000 }}{% endfor %}",
    "{% for m in messages recursive %}{{ loop(messages) }}{% endfor %}",
    "{{ lipsum(10**6) }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ messages|attr('__class__') }}",
    "{{ self._TemplateReference__context }}",
    "{{ raise_exception('stop') }}",
    "{{ 1 / 0 }}",
    "{{ messages[10**9] }}",
    "{{ undefined_thing.attr }}",
    "{% for m in messages %}",
    "{% if %}",
    "{{" + "(" * 100000 + "1" + ")" * 100000 + "}}",
    "{{ " + "[" * 5000 + "]" * 5000 + " }}",
    "{% if true %}" * 3000 + "x" + "{% endif %}" * 3000,
    "{{ x }}" * 50000,
    "{{ 'é' * 10**7 }}",
    "{{ '\\ud800' }}{{ messages[0]['content'] }}",
    "{{ strftime_now('%' * 100000) }}",
    "{{ (messages * 10**6) | tojson }}",
    "{{ messages | map(attribute='content') | join('x' * 10**7) }}",
    "{{ dict(a=1) | dictsort }}{{ 10 ** 10 ** 10 }}",
    "",
    "x" * 300_000,
]


def template_mutants(rng: random.Random, count: int) -> list[str]:
    """Pieces of the corpus and of real templates, spliced at random."""
    from tinychat.core.templates import builtin, builtin_names

    pieces = [builtin(n).jinja for n in builtin_names()] + HOSTILE_TEMPLATES
    out = []
    for _ in range(count):
        a, b = rng.choice(pieces), rng.choice(pieces)
        i, j = rng.randrange(len(a) + 1), rng.randrange(len(b) + 1)
        out.append(a[:i] + b[j:])
    return out


def run_templates(seed: int, count: int) -> None:
    from tinychat.core import templates
    from tinychat.core.templates import ChatTemplate, TemplateError, gguf_template

    templates.MAX_RENDER_SECONDS = 0.5  # the limit's value is not what is tested; that it stops is

    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hi \udcff"}]
    sources = HOSTILE_TEMPLATES + template_mutants(random.Random(seed), count)
    for index, source in enumerate(sources):
        for template in (ChatTemplate(f"t{index}", "t", source), gguf_template(source)):
            name = f"template {index} ({'strict' if template.strict else 'gguf'}): {source[:60]!r}"
            starting(name)
            try:
                template.render(messages)
                emit(name, "ok")
            except TemplateError as exc:
                emit(name, "sentence", str(exc))
            except Exception:
                emit(name, "traceback", traceback.format_exc())


# --- Markdown ---------------------------------------------------------------------------------

HOSTILE_MARKDOWN = {
    "img tag": '<img src="/dev/zero"> and <img src="file:///etc/passwd">',
    "markdown image": "![zero](/dev/zero) ![remote](http://127.0.0.1:9/x.png) ![data](data:image/png;base64,AAAA)",
    "unsafe links": "[a](javascript:alert(1)) [b](file:///etc/passwd) [c](data:text/html,x) <javascript:x>",
    "code block 400 kB": "```python\n" + "x = compute(1, 2)  # comment\n" * 14_000 + "```\n",
    "one line 400 kB": "word" * 100_000,
    "code line 400 kB": "```\n" + "y" * 400_000 + "\n```\n",
    "nested lists": "".join("  " * i + "- item\n" for i in range(2000)),
    "nested quotes": ">" * 20_000 + " deep",
    "wide table": "|" + "c|" * 3000 + "\n|" + "-|" * 3000 + "\n|" + "1|" * 3000 + "\n",
    "many links": "[x](https://example.org/) " * 20_000,
    "emphasis": "*" * 100_000 + "a" + "_" * 100_000,
    "brackets": "[" * 100_000 + "](" * 1000,
    "backticks": "`" * 100_000,
    "entities": "&amp;&#0;&#x110000;&#99999999;" * 10_000,
    "many fences": "```\n" * 20_000,
    "headings": "# h\n" * 50_000,
    "control chars": "".join(chr(i) for i in range(32)) * 5000 + "\ud800\udfff",
    "html comment": "<!--" * 50_000,
    "mixed": "Text <b>bold</b> `code` **strong** [l](https://x.org) ![i](/dev/zero)\n\n" * 5000,
}


def run_markdown() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from tinychat.gui.markdown_view import MarkdownView

    app = QApplication.instance() or QApplication(sys.argv[:1])
    view = MarkdownView()
    view.resize(600, 400)
    view.show()
    for name, text in HOSTILE_MARKDOWN.items():
        starting(f"markdown {name}")
        try:
            view.setMarkdownSafely(text)
            view.document().setTextWidth(600)
            view.document().size()
            app.processEvents()
            refused = view.document().refused
            if any("dev/zero" in r or "passwd" in r for r in refused if not r.startswith("data")):
                pass  # asked for, and refused: nothing was read
            emit(f"markdown {name}", "ok", f"{len(view.toPlainText())} characters")
        except Exception:
            emit(f"markdown {name}", "traceback", traceback.format_exc())


def main(argv: list[str]) -> int:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    sys.setrecursionlimit(10_000)
    mode = argv[1]
    if mode == "headers":
        run_headers(int(argv[2]), int(argv[3]), Path(argv[4]))
    elif mode == "templates":
        run_templates(int(argv[2]), int(argv[3]))
    elif mode == "markdown":
        run_markdown()
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps({"case": "end", "outcome": "end"}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
