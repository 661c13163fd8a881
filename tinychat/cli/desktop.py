"""``tinychat install-desktop``: add TinyChat to the desktop's application menu.

For a pip or venv install, which puts no menu entry anywhere: it writes the
desktop entry (pointing at this installation's ``tinychat``), the icons in
every size and the AppStream metadata under ``$XDG_DATA_HOME`` (by default
``~/.local/share``), the place the freedesktop menu specifications read for
one user. ``--remove`` takes them away again.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from tinychat.cli import command_help
from tinychat.core import paths

APP_ID = "io.github.tinychat.TinyChat"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "install-desktop",
        help=command_help("install-desktop"),
        description="Write TinyChat's menu entry, icons and AppStream metadata under $XDG_DATA_HOME "
        "(~/.local/share), with the entry starting this installation.",
    )
    parser.add_argument("--remove", action="store_true", help="remove the menu entry and icons again")
    parser.set_defaults(func=run_install_desktop)


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def launcher_parts() -> list[str]:
    """The command that starts this installation, for the entry's Exec= line."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.executable).with_name("tinychat")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "tinychat"]


def _desktop_quote(arg: str) -> str:
    """Quote one Exec= argument as the Desktop Entry Specification asks (double quotes, not shell quoting)."""
    if arg and not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def planned_files() -> dict[Path, Path]:
    """Where each file goes: destination -> source in the resources."""
    resources = paths.resources_dir()
    home = data_home()
    plan = {
        home / "applications" / f"{APP_ID}.desktop": resources / "desktop" / f"{APP_ID}.desktop",
        home / "metainfo" / f"{APP_ID}.metainfo.xml": resources / "desktop" / f"{APP_ID}.metainfo.xml",
        home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg": resources / "icons" / "tinychat.svg",
    }
    for png in sorted((resources / "icons" / "hicolor").glob("*/apps/*.png")):
        plan[home / "icons" / "hicolor" / png.parent.parent.name / "apps" / f"{APP_ID}.png"] = png
    return plan


def run_install_desktop(args: argparse.Namespace) -> int:
    plan = planned_files()
    if args.remove:
        for target in plan:
            target.unlink(missing_ok=True)
        print(f"Removed TinyChat's menu entry from {data_home()}.")
        return 0
    exec_line = " ".join(_desktop_quote(part) for part in launcher_parts())
    try:
        for target, source in plan.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.suffix == ".desktop":
                lines = source.read_text(encoding="utf-8").splitlines()
                lines = [f"Exec={exec_line}" if line.startswith("Exec=") else line for line in lines]
                target.write_text("\n".join(lines) + "\n", encoding="utf-8")
            else:
                shutil.copyfile(source, target)
    except OSError as exc:
        print(f"tinychat: the menu entry could not be written ({exc}); check that {data_home()} "
              "is a folder you can write to.", file=sys.stderr)
        return 1
    print(f"TinyChat is in the application menu (entry: {next(iter(plan))}; starts {exec_line}).")
    return 0
