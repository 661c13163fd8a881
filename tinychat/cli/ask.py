"""``tinychat ask``: one question to a model, the reply streamed to stdout."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tinychat.core.catalog import STARTER_MISSING_HELP, default_params_for, entry_for_file, starter_model_path
from tinychat.core.engine import MIN_N_CTX, Engine, EngineError
from tinychat.core.engine_protocol import ChatEngine
from tinychat.core.fingerprint import sha256_of
from tinychat.core.i18n import format_number, translate
from tinychat.core.params import SEED_MAX, GenerationParams, ParamError
from tinychat.core import speculative
from tinychat.core.remote import RemoteEngine, server_template
from tinychat.core.results import GenerationResult, GenerationStats, StopReason
from tinychat.core.saved_state import StateCache, next_prompt_prefix
from tinychat.core.store import Store, StoreError, open_store
from tinychat.core.templates import ChatTemplate, TemplateError, builtin_names, load_template, resolve_for_model
from tinychat.core.xray import XrayResult, xray
from tinychat.cli import command_help
from tinychat.cli.common import add_endpoint_arguments, connect_endpoint, fail, print_notes, read_text_argument

EXIT_USAGE = 2

_CTX = "CommandLine"


def _t(text: str) -> str:
    return translate(_CTX, text)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ask",
        help=command_help("ask"),
        description=_t("Ask a model one question; the reply streams to standard output."),
    )
    parser.add_argument("prompt", help=_t('the question or instruction ("-" reads it from standard input)'))
    add_model_arguments(parser)
    add_endpoint_arguments(parser)
    parser.add_argument("--system", metavar="TEXT", help=_t("system prompt (default: the model's own)"))
    add_sampling_arguments(parser)
    parser.add_argument(
        "--json", action="store_true", help=_t("print one JSON object with the reply, parameters and stats")
    )
    add_template_arguments(parser)
    parser.add_argument(
        "--chat", type=int, metavar="ID", help=_t("continue the saved conversation ID (see 'tinychat chats list')")
    )
    parser.add_argument("--no-save", action="store_true", help=_t("do not save this exchange as a conversation"))
    parser.add_argument(
        "--speculative", choices=speculative.MODES, default=speculative.OFF,
        help=_t("speculative decoding: guess tokens by looking them up in the conversation (lookup) or with a "
                "smaller model (draft), and let the model check the guesses; the reply is the same"),
    )
    parser.add_argument(
        "--draft-model", metavar="PATH",
        help=_t("the smaller model that guesses for --speculative draft (same vocabulary, not larger)"),
    )
    parser.set_defaults(func=run)


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", metavar="PATH", help=_t("GGUF model file (default: the starter model)"))
    parser.add_argument(
        "--n-ctx", type=int, metavar="N", help=_t("context window in tokens (default: the model's, at most 4096)")
    )
    parser.add_argument(
        "--threads", type=int, metavar="N",
        help=_t("CPU threads (default: the physical cores less those other programs keep busy)"),
    )
    parser.add_argument(
        "--gpu-layers", type=int, default=0, metavar="N",
        help=_t("layers to offload to the GPU (-1: all, -2: what fits; needs a GPU build of llama.cpp)"),
    )


def add_template_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--template", metavar="NAME|PATH",
        help=_t(
            "prompt template: a built-in ({names}), a saved custom template, or a .jinja file "
            "(default: the model's own format)"
        ).format(names=", ".join(builtin_names())),
    )
    parser.add_argument(
        "--show-prompt", action="store_true",
        help=_t("print the exact prompt the model receives, which template made it and why, and its token count"),
    )


def check_template_argument(args: argparse.Namespace) -> ChatTemplate | None:
    """The --template the person named, loaded before the (slower) model load. Raises TemplateError."""
    spec = getattr(args, "template", None)
    return load_template(spec) if spec else None


def print_prompt(shown: XrayResult, out=None) -> None:
    """The exact prompt between two rulers, with the template's reason and the token count."""
    out = out or sys.stdout
    count = _t("1 token") if shown.token_count == 1 else _t("{n} tokens").format(n=format_number(shown.token_count))
    out.write(f"--- {_t('prompt')}: {shown.template_sentence} {count} ---\n")
    out.write(shown.text)
    if not shown.text.endswith("\n"):
        out.write("\n")
    for injection in shown.injections:
        out.write(f"(!) {injection.sentence}\n")
    out.write(f"--- {_t('reply')} ---\n")
    out.flush()


def add_sampling_arguments(parser: argparse.ArgumentParser, *, generating: bool = True) -> argparse._ArgumentGroup:
    """The sampler's options; ``generating`` adds the reply length and the seed (not needed to show one step)."""
    group = parser.add_argument_group(_t("sampling (defaults: the model's recommended values)"))
    group.add_argument("--temperature", type=float, metavar="T")
    group.add_argument("--top-k", type=int, metavar="K")
    group.add_argument("--top-p", type=float, metavar="P")
    group.add_argument("--min-p", type=float, metavar="P")
    group.add_argument("--repeat-penalty", type=float, metavar="R")
    if generating:
        group.add_argument("--max-new-tokens", type=int, metavar="N")
        group.add_argument(
            "--seed",
            type=int,
            metavar="S",
            help=_t("0..{max}; without it, a random seed (always reported)").format(max=SEED_MAX),
        )
    return group


def params_from_args(args: argparse.Namespace, model_path: Path) -> GenerationParams:
    """The model's recommended values, overridden by whatever the person typed."""
    changes: dict[str, Any] = {
        name: getattr(args, name)
        for name in ("temperature", "top_k", "top_p", "min_p", "repeat_penalty", "max_new_tokens", "seed")
        if getattr(args, name, None) is not None
    }
    return default_params_for(model_path).replace(**changes)


def resolve_model_path(args: argparse.Namespace) -> Path | None:
    if args.model:
        return Path(args.model).expanduser()
    return starter_model_path()



def load_engine(args: argparse.Namespace, model_path: Path) -> Engine:
    mode = getattr(args, "speculative", speculative.OFF)
    if mode == speculative.OFF and getattr(args, "draft_model", None):
        mode = speculative.DRAFT
    engine = Engine()
    try:
        # Flash attention makes llama.cpp's batched scores equal to one-at-a-time ones (tinychat.core.speculative).
        info = engine.load(
            model_path, n_ctx=args.n_ctx, n_threads=args.threads, n_gpu_layers=args.gpu_layers,
            flash_attn="on" if mode != speculative.OFF else "auto",
        )
        for note in info.notes:  # GPU layers not given as asked: why, on stderr
            print(note, file=sys.stderr)
        if mode != speculative.OFF:
            engine.set_speculative(mode, args.draft_model)
    except EngineError:
        engine.close()
        raise
    return engine


def speculative_summary(stats: GenerationStats) -> str:
    """One line on what the guesses saved: kept out of guessed, and tokens per evaluation of the model."""
    if stats.speculative_note:
        return stats.speculative_note
    if not stats.speculative:
        return ""
    kept = stats.accepted / stats.drafted if stats.drafted else 0.0
    per_eval = stats.completion_tokens / stats.evaluations if stats.evaluations else 0.0
    return _t(
        "speculative decoding ({mode}): {accepted} of {drafted} guessed tokens kept ({percent}), "
        "{per_eval} tokens per evaluation of the model (plain decoding: 1)"
    ).format(
        mode=stats.speculative, accepted=stats.accepted, drafted=stats.drafted,
        percent=format_number(100 * kept, 0) + " %", per_eval=format_number(per_eval, 2),
    )


def run(args: argparse.Namespace) -> int:
    prompt = read_text_argument(args.prompt)
    if not prompt.strip():
        return fail(
            _t('the prompt is empty. Write a question, for example: tinychat ask "What is a token?"'), EXIT_USAGE
        )
    if args.endpoint:
        if args.template or args.model:
            return fail(
                _t("--endpoint uses the server's model and its own prompt template: leave out --model and "
                   "--template."),
                EXIT_USAGE,
            )
        # A stand-in path: the server's model id, for the general default values and the saved reply.
        model_path = Path(args.remote_model or "")
    else:
        model_path = resolve_model_path(args)
    if model_path is None:
        return fail(translate("Catalog", STARTER_MISSING_HELP))
    params = params_from_args(args, model_path)
    problems = params.problems()  # the context-dependent bound is checked after loading
    if problems:
        return fail(" ".join(problems), EXIT_USAGE)
    if args.n_ctx is not None and args.n_ctx < MIN_N_CTX:
        return fail(_t("--n-ctx must be at least {n} tokens.").format(n=MIN_N_CTX), EXIT_USAGE)
    try:
        check_template_argument(args)
    except TemplateError as exc:
        return fail(str(exc), EXIT_USAGE)

    store: Store | None = None
    if not args.no_save or args.chat is not None:
        try:
            store = open_store()
        except StoreError as exc:
            return fail(str(exc))
        if store.notice:
            print(f"tinychat: {store.notice}", file=sys.stderr)
    try:
        return _converse(args, prompt, model_path, params, store)
    finally:
        if store is not None:
            store.close()


def _converse(
    args: argparse.Namespace, prompt: str, model_path: Path, params: GenerationParams, store: Store | None
) -> int:
    entry = entry_for_file(model_path) if not args.endpoint else None
    try:
        question = _question(args, prompt, entry, store)
    except StoreError as exc:
        return fail(str(exc))
    try:
        answer = _answer(args, model_path, entry, params, store, question)
    except ParamError as exc:
        return fail(str(exc), EXIT_USAGE)
    except (EngineError, TemplateError) as exc:
        return fail(str(exc))
    _print_answer(args, model_path, answer)
    if answer.save_error:
        return fail(_t("the reply above could not be saved: {reason}").format(reason=answer.save_error))
    if answer.result.stats.stop_reason is StopReason.ERROR:
        return fail(_t("generation failed: {reason}").format(reason=answer.result.error))
    return 0


@dataclass
class _Question:
    """What the model is asked: the new message, the system prompt in force, and every message it gets."""

    prompt: str
    system: str
    messages: list[dict[str, str]]


@dataclass
class _Answer:
    """What the model answered, how its prompt was made, and where the exchange was saved."""

    result: GenerationResult
    template: ChatTemplate
    shown: XrayResult | None  # the prompt as the model got it, with --show-prompt
    chat_id: int | None  # the saved conversation; None when nothing was saved
    save_error: str  # why the exchange could not be saved; empty when it was, or was not to be


def _question(args: argparse.Namespace, prompt: str, entry: Any, store: Store | None) -> _Question:
    """The system prompt (--system, the conversation's, or the model's own), the history with --chat, the prompt.

    Raises StoreError when the conversation to continue cannot be read.
    """
    system = args.system if args.system is not None else (entry.system_prompt if entry else "")
    history: list[dict[str, str]] = []
    if args.chat is not None:
        conversation = store.conversation(args.chat)
        history = store.history(args.chat)
        if args.system is None and conversation.system_prompt:
            system = conversation.system_prompt
        if any(m["role"] == "system" for m in history):
            system = ""  # the conversation carries its own
    head = [{"role": "system", "content": system}] if system else []
    return _Question(prompt, system, head + history + [{"role": "user", "content": prompt}])


def _answer(
    args: argparse.Namespace, model_path: Path, entry: Any, params: GenerationParams, store: Store | None,
    question: _Question,
) -> _Answer:
    """The reply, streamed to stdout (not with --json) and saved while it streams; the engine is closed after.

    Raises ParamError, EngineError or TemplateError.
    """
    engine: ChatEngine | None = None
    # A local model's sha256 names it in the saved reply and keys its saved states: worked
    # out while it loads, never in the token loop. A server's model is named by its id.
    digest = None if args.endpoint else _hash_beside_the_load(model_path)
    states = StateCache() if store is not None and not args.endpoint else None
    try:
        engine, template, shown = _prepare(args, model_path, entry, question.messages)
        assert engine.info is not None  # loaded or connected just above
        model_file = engine.info.name if args.endpoint else model_path.name
        if digest is not None:
            engine.info.sha256 = _digest(digest)
        local = engine if isinstance(engine, Engine) else None
        if states is not None and local is not None and args.chat is not None:
            # A conversation continued: its prompt so far is usually saved from its last turn.
            states.restore(local, local.tokenize(local.render(question.messages, template)))
        saver = _ExchangeSaver(
            None if args.no_save else store, args.chat, question.prompt, question.system, model_file,
            engine.info.sha256, template.source, params,
        )

        def on_token(piece: str) -> None:
            if not args.json:
                _print_piece(piece)
            saver.append(piece)

        result = engine.generate(
            question.messages, params.validated(engine.info.n_ctx), on_token=on_token, template=template
        )
        chat_id = saver.finish(result)
        if states is not None and local is not None and chat_id is not None:
            # After the reply, so that the next 'ask --chat' reads only its new message.
            states.save(local, next_prompt_prefix(local, question.messages, result.text, template))
    finally:
        if engine is not None:
            engine.close()
    return _Answer(result, template, shown, chat_id, saver.error)


def _print_answer(args: argparse.Namespace, model_path: Path, answer: _Answer) -> None:
    """With --json, the reply and how it was made as one object; otherwise the streamed reply's last line ends."""
    if args.json:
        print(json.dumps(_answer_to_json(args, model_path, answer), ensure_ascii=False))
        return
    sys.stdout.write("\n")
    sys.stdout.flush()
    if summary := speculative_summary(answer.result.stats):
        print(f"tinychat: {summary}", file=sys.stderr)


def _answer_to_json(args: argparse.Namespace, model_path: Path, answer: _Answer) -> dict[str, Any]:
    result, template, shown = answer.result, answer.template, answer.shown
    data = result_to_json(result, engine_model=model_path)
    if args.endpoint:
        data["model"] = result.model
        data["endpoint"] = result.stats.endpoint
    data["chat_id"] = answer.chat_id
    data["template_reason"] = template.reason
    if template.warning:
        data["template_warning"] = template.warning
    if shown is not None:
        data["prompt"] = shown.text
        data["prompt_tokens"] = [{"id": t.id, "piece": t.display, "special": t.special} for t in shown.tokens]
        data["injections"] = [i.sentence for i in shown.injections]
    return data


def _prepare(
    args: argparse.Namespace, model_path: Path, entry: Any, messages: list[dict[str, str]]
) -> tuple[ChatEngine, ChatTemplate, XrayResult | None]:
    """The engine (a local model, or a server with --endpoint), the template, and the prompt if asked to show it.

    Warnings and notes go to stderr (not with --json). Raises EngineError or TemplateError.
    """
    if args.endpoint:
        remote = connect_endpoint(args)
        if not args.json:
            print_notes(remote)
            if args.show_prompt:
                print_server_prompt(remote, messages)
        return remote, remote.template or server_template(), None
    local = load_engine(args, model_path)
    if entry and entry.warning and not args.json:
        print(f"tinychat: {_t('warning')}: {translate('Catalog', entry.warning)}", file=sys.stderr)
    template = resolve_for_model(local.info, override=check_template_argument(args))
    if template.warning and not args.json:
        print(f"tinychat: {_t('warning')}: {template.warning}", file=sys.stderr)
    shown = xray(local, messages, template) if args.show_prompt else None
    if shown is not None and not args.json:
        print_prompt(shown)
    return local, template, shown


class _ExchangeSaver:
    """Saves the question and the reply while it streams, as the window does.

    Nothing is written before the first token, so a question that could not be
    answered leaves no trace; from then on the reply is on disk at least every
    half second, so even a killed process keeps what was printed.
    """

    def __init__(self, store: Store | None, chat_id: int | None, prompt: str, system: str,
                 model_file: str, model_sha256: str, template_source: str, params: GenerationParams):
        self.store, self.chat_id, self.prompt, self.system = store, chat_id, prompt, system
        self.model_file, self.template_source, self.params = model_file, template_source, params
        self.model_sha256 = model_sha256
        self.writer = None
        self.error = ""

    def _begin(self) -> None:
        model_file = self.model_file
        if self.chat_id is None:
            self.chat_id = self.store.create_conversation(
                system_prompt=self.system, template_source=self.template_source, model_file=model_file
            ).id
            if self.system:
                self.store.add_message(self.chat_id, "system", self.system)
        self.store.add_message(self.chat_id, "user", self.prompt)
        self.writer = self.store.begin_reply(
            self.chat_id, model_file=model_file, model_sha256=self.model_sha256,
            template_source=self.template_source, system_prompt=self.system, params=self.params,
        )

    def append(self, piece: str) -> None:
        if self.store is None or self.error:
            return
        if self.writer is None:
            try:
                self._begin()
            except (StoreError, OSError) as exc:
                self.error = str(exc)
                return
        self.writer.append(piece)

    def finish(self, result: GenerationResult) -> int | None:
        if self.store is None or self.error:
            return None
        try:
            if self.writer is None:  # the reply was empty: save the exchange all the same
                self._begin()
            self.writer.finish(result)
        except (StoreError, OSError) as exc:
            self.error = str(exc)
            return None
        return self.chat_id


def print_server_prompt(engine: RemoteEngine, messages: list[dict[str, str]], out=None) -> None:
    """--show-prompt for a server: it formats the prompt itself, so the messages sent are what can be shown."""
    out = out or sys.stdout
    rendered = engine.render(messages)
    out.write(f"--- {_t('prompt')}: {rendered.warning} ---\n")
    out.write(rendered.text + "\n")
    out.write(f"--- {_t('reply')} ---\n")
    out.flush()
def _hash_beside_the_load(model_path: Path) -> Future[str]:
    """The model's sha256, worked out on a thread of its own while the model loads.

    It names the model in the saved reply and keys its saved states. Hashing a
    large file takes seconds the first time (then it is cached by size and
    time): it is waited for before the first token, never inside the token loop.
    """
    hashing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hash")
    try:
        return hashing.submit(sha256_of, model_path)
    finally:
        hashing.shutdown(wait=False)


def _digest(future: Future[str]) -> str:
    try:
        return future.result()
    except OSError as exc:
        logging.getLogger("tinychat.cli").warning("could not hash %s: %s", exc.filename, exc)
        return ""


def _print_piece(piece: str) -> None:
    sys.stdout.write(piece)
    sys.stdout.flush()


def result_to_json(result: GenerationResult, engine_model: Path) -> dict[str, Any]:
    stats = result.stats.to_dict()
    return {
        "text": result.text,
        "model": str(engine_model),
        "template": result.template,
        "params": result.params.to_dict(),
        "seed": result.seed,
        "stats": stats,
    }
