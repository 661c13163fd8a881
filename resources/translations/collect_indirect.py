"""Write indirect_strings.py: the messages lupdate cannot see on its own.

lupdate reads calls whose context and text are written out in place, such as
``translate("Engine", "...")`` or ``self.tr("...")``. A few patterns in the
sources hide one or the other from it:

* the context is a module constant: ``translate(_CTX, "...")``;
* the text goes through a small helper: ``_error("...", path=path)`` where
  ``_error`` calls ``translate(_CTX, text)``;
* a helper receives the translating function: ``_verdict_text(v, self.tr)``;
* the call (translate or self.tr) sits inside an f-string;
* the text lives in a data file (the warnings in resources/catalog.json).

This script follows those patterns with Python's ``ast`` module (lupdate has no
plug-in mechanism for them) and writes each message found as a
``QT_TRANSLATE_NOOP(context, text)`` line into indirect_strings.py, which
update.sh hands to lupdate together with the package. The generated file is
never imported.

Run from the repository root: ``python resources/translations/collect_indirect.py``.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = Path(__file__).with_name("indirect_strings.py")
TRANSLATE_NAMES = {"translate", "QT_TRANSLATE_NOOP"}


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


class _Module:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        self.constants: dict[str, str] = {}
        for stmt in self.tree.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                value = _literal(stmt.value)
                if value is not None:
                    self.constants[stmt.targets[0].id] = value
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(self.tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent

    def context_of(self, node: ast.AST) -> str | None:
        value = _literal(node)
        if value is not None:
            return value
        if isinstance(node, ast.Name):
            return self.constants.get(node.id)
        return None

    def inside_fstring(self, node: ast.AST) -> bool:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.JoinedStr):
                return True
        return False

    def enclosing_class(self, node: ast.AST) -> str | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.ClassDef):
                return node.name
        return None

    def where(self, node: ast.AST) -> str:
        return f"{self.path.relative_to(ROOT).as_posix()}:{node.lineno}"


def collect(package: Path) -> list[tuple[str, str, str]]:  # noqa: C901, PLR0912 - one pass over the syntax tree, one branch per kind of call it recognises
    """(context, text, where) for every message lupdate would miss."""
    found: list[tuple[str, str, str]] = []
    for path in sorted(package.rglob("*.py")):
        module = _Module(path)
        text_helpers: dict[str, str] = {}  # helper name -> context; its first argument is the text
        tr_helpers: dict[str, tuple[int, list[str]]] = {}  # helper name -> (position of the tr argument, texts)
        for func in ast.walk(module.tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            params = [a.arg for a in func.args.args]
            for call in ast.walk(func):
                if not isinstance(call, ast.Call):
                    continue
                name = _call_name(call)
                if name == "translate" and len(call.args) >= 2 and params:
                    text_arg = call.args[1]
                    context = module.context_of(call.args[0])
                    if context and isinstance(text_arg, ast.Name) and text_arg.id == params[0]:
                        text_helpers[func.name] = context
                if isinstance(call.func, ast.Name) and call.func.id in params and call.args:
                    text = _literal(call.args[0])
                    if text is not None:
                        entry = tr_helpers.setdefault(func.name, (params.index(call.func.id), []))
                        entry[1].append(text)
        for call in ast.walk(module.tree):
            if not isinstance(call, ast.Call):
                continue
            name = _call_name(call)
            if name in TRANSLATE_NAMES and len(call.args) >= 2:
                context, text = module.context_of(call.args[0]), _literal(call.args[1])
                hidden = _literal(call.args[0]) is None or module.inside_fstring(call)
                if context and text is not None and hidden:
                    found.append((context, text, module.where(call)))
            elif name == "tr" and isinstance(call.func, ast.Attribute) and call.args and module.inside_fstring(call):
                context, text = module.enclosing_class(call), _literal(call.args[0])
                if context and text is not None:
                    found.append((context, text, module.where(call)))
            elif name in text_helpers and call.args:
                text = _literal(call.args[0])
                if text is not None:
                    found.append((text_helpers[name], text, module.where(call)))
            elif name in tr_helpers:
                position, texts = tr_helpers[name]
                if len(call.args) > position:
                    arg = call.args[position]
                    if isinstance(arg, ast.Attribute) and arg.attr == "tr":
                        context = module.enclosing_class(call)
                        if context:
                            found.extend((context, text, module.where(call)) for text in texts)
    return found


def collect_catalog(catalog: Path) -> list[tuple[str, str, str]]:
    """Model warnings from the catalogue, shown through the "Catalog" context."""
    data = json.loads(catalog.read_text(encoding="utf-8"))
    where = catalog.relative_to(ROOT).as_posix()
    return [("Catalog", m["warning"], where) for m in data.get("models", []) if m.get("warning")]


def main() -> int:
    messages = collect(ROOT / "tinychat") + collect_catalog(ROOT / "resources" / "catalog.json")
    seen: set[tuple[str, str]] = set()
    lines = [
        "# Generated by collect_indirect.py for lupdate; do not edit, do not import.",
        "# Messages whose context or text lupdate cannot read where they are used.",
        "# ruff: noqa",
        "",
    ]
    for context, text, where in messages:
        if (context, text) in seen:
            continue
        seen.add((context, text))
        lines.append(f"QT_TRANSLATE_NOOP({context!r}, {text!r})  # {where}")
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(seen)} indirect messages written to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
