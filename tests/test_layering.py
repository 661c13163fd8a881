"""The core must stay usable without Qt: nothing under tinychat/core may import PySide6."""

import ast
import pathlib

CORE = pathlib.Path(__file__).resolve().parents[1] / "tinychat" / "core"


def _imported_modules(path: pathlib.Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "__import__"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            yield str(node.args[0].value)


def test_core_never_imports_qt():
    offenders = [
        f"{path.relative_to(CORE.parent.parent)} imports {module}"
        for path in sorted(CORE.rglob("*.py"))
        for module in _imported_modules(path)
        if module.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6"}
    ]
    assert offenders == []


def test_the_check_sees_an_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from PySide6 import QtCore\n")
    assert "PySide6" in list(_imported_modules(sample))


def test_core_never_imports_the_front_ends():
    # Data flows one way: gui and cli use core, never the reverse (docs/DESIGN.md).
    offenders = [
        f"{path.relative_to(CORE.parent.parent)} imports {module}"
        for path in sorted(CORE.rglob("*.py"))
        for module in _imported_modules(path)
        if module.startswith(("tinychat.gui", "tinychat.cli"))
    ]
    assert offenders == []
