"""``tinychat chats``: list, show, export and import saved conversations."""

from __future__ import annotations

import argparse
import datetime
import json
import sys

from tinychat.core.i18n import translate
from tinychat.core.export import ExportError, ImportFileError, export_conversation, import_file, write_text_atomically
from tinychat.core.store import Store, StoreError
from tinychat.cli import command_help
from tinychat.cli.common import fail



_CTX = "CommandLine"


def _t(text: str) -> str:
    return translate(_CTX, text)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "chats",
        help=command_help("chats"),
        description=_t("Work with the conversations saved in the data folder."),
    )
    parser.set_defaults(func=lambda args: _usage(parser))
    commands = parser.add_subparsers(dest="chats_command", metavar="ACTION")

    listing = commands.add_parser("list", help=_t("list saved conversations, newest first"))
    listing.add_argument("--json", action="store_true", help=_t("print one JSON array"))
    listing.add_argument(
        "--endpoint", metavar="URL",
        help=_t("only the conversations with replies from this inference server (e.g. http://192.168.1.10:8080)"),
    )
    listing.set_defaults(func=run_list)

    show = commands.add_parser("show", help=_t("print the conversation with the versions on screen"))
    show.add_argument("id", metavar="ID", help=_t("the conversation number (see: tinychat chats list)"))
    show.set_defaults(func=run_show)

    export = commands.add_parser("export", help=_t("write a conversation as Markdown or JSON"))
    export.add_argument("id", metavar="ID", help=_t("the conversation number (see: tinychat chats list)"))
    export.add_argument("--format", choices=("md", "json"), default="md",
                        help=_t("md: readable; json: complete, can be imported again (default: md)"))
    export.add_argument("-o", "--output", metavar="FILE", help=_t("write to FILE instead of standard output"))
    export.set_defaults(func=run_export)

    importing = commands.add_parser("import", help=_t("add a conversation exported as JSON"))
    importing.add_argument("file", metavar="FILE")
    importing.set_defaults(func=run_import)



def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _open() -> Store:
    store = Store()
    if store.notice:
        print(f"tinychat: {store.notice}", file=sys.stderr)
    return store


def _write_out(text: str) -> None:
    # Bytes, so that emoji and other scripts print whatever the console's code page.
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def _conversation_id(raw: str) -> int | None:
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if value > 0 else None


def _bad_id(raw: str) -> int:
    return fail(
        _t("“{value}” is not a conversation number. See the numbers with: tinychat chats list").format(value=raw)
    )


def _when(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def run_list(args: argparse.Namespace) -> int:
    wanted = None
    if args.endpoint:
        from tinychat.core.remote import RemoteError, normalise_base_url  # only here: it loads an HTTP client

        try:
            wanted = normalise_base_url(args.endpoint)
        except RemoteError as error:
            return fail(str(error))
    try:
        with _open() as store:
            endpoints = store.endpoints()
            rows = [
                (c, len(store.active_branch(c.id)))
                for c in store.list_conversations()
                if wanted is None or wanted in endpoints.get(c.id, ())
            ]
    except StoreError as error:
        return fail(str(error))
    if args.json:
        _write_out(json.dumps([
            {"id": c.id, "title": c.title, "created": c.created, "updated": c.updated,
             "model_file": c.model_file, "messages": count, "endpoints": endpoints.get(c.id, [])}
            for c, count in rows
        ], ensure_ascii=False) + "\n")
        return 0
    if not rows:
        if wanted is not None:
            print(_t("No saved conversation has replies from {url}.").format(url=wanted), file=sys.stderr)
        else:
            print(_t("No saved conversations yet."), file=sys.stderr)
        return 0
    width = max(len(str(c.id)) for c, _ in rows)
    _write_out(
        "".join(
            f"{c.id:>{width}}  {_when(c.updated)}  {_t('{n} msgs').format(n=f'{count:>3}')}  {c.title}\n"
            for c, count in rows
        )
    )
    return 0


def run_show(args: argparse.Namespace) -> int:
    return _export(args.id, "md", None)


def run_export(args: argparse.Namespace) -> int:
    return _export(args.id, args.format, args.output)


def _export(raw_id: str, fmt: str, output: str | None) -> int:
    conversation_id = _conversation_id(raw_id)
    if conversation_id is None:
        return _bad_id(raw_id)
    try:
        with _open() as store:
            text = export_conversation(store, conversation_id, fmt)
        if output:
            write_text_atomically(output, text)
        else:
            _write_out(text)
    except (StoreError, ExportError) as error:
        return fail(str(error))
    return 0


def run_import(args: argparse.Namespace) -> int:
    try:
        with _open() as store:
            new_id = import_file(store, args.file)
            title = store.conversation(new_id).title
    except (StoreError, ImportFileError) as error:
        return fail(str(error))
    print(_t("Imported “{title}” as conversation {id}.").format(title=title, id=new_id))
    return 0
