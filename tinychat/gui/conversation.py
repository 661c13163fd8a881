"""The conversation on screen, kept in the store as it happens.

``ConversationController`` sits between the chat view, the store and the model
thread. Every message is saved when it is written; a streaming reply is saved
at least every half second, so a crash loses at most that much. Regenerating a
reply or resending an edited question adds a new version beside the old one
(browsable as "‹ 2 / 3 ›"); nothing is deleted silently.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication

from tinychat.core.catalog import entry_for_file
from tinychat.core.params import GenerationParams
from tinychat.core.results import GenerationResult, StopReason, empty_reply_note
from tinychat.core.store import STATUS_INTERRUPTED, Message, ReplyWriter, Store, StoreError
from tinychat.core.templates import ChatTemplate
from tinychat.gui.chat_view import ChatView, Turn
from tinychat.gui.engine_worker import EngineController
from tinychat.gui.numbers import number

log = logging.getLogger("tinychat.gui.conversation")


@dataclass(frozen=True)
class ReplySetup:
    """What the window decides for the next reply."""

    params: GenerationParams
    system_prompt: str
    model_title: str
    model_file: str
    model_sha256: str
    template_source: str = ""
    #: The prompt template chosen for this reply (None: the model's own choice).
    template: ChatTemplate | None = None
    #: Leave this many of the oldest messages out of the prompt (they stay saved),
    #: when the whole conversation no longer fits in the context window.
    drop_messages: int = 0


class ConversationController(QObject):
    #: A reply ended (finished, stopped, cut off); carries the GenerationResult.
    replyFinished = Signal(object)
    #: A message could not be answered: (sentence, the person's text to give back).
    replyFailed = Signal(str, str)
    #: Something to tell the person that is not part of the conversation.
    notice = Signal(str, bool)  # text, is_error
    #: The conversation shown changed (id, or -1 for none yet).
    conversationChanged = Signal(int)

    def __init__(self, store: Store, view: ChatView, engine: EngineController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.view = view
        self.engine = engine
        self.conversation_id: int | None = None
        self._writer: ReplyWriter | None = None
        self._unanswered_user_id: int | None = None
        self._user_text = ""
        self._setup: ReplySetup | None = None
        engine.token.connect(self._on_token)
        engine.generationFinished.connect(self._on_finished)
        engine.generationFailed.connect(self._on_failed)
        view.actionRequested.connect(self._on_action)

    # -- what is shown ---------------------------------------------------------

    def branch(self) -> list[Message]:
        if self.conversation_id is None:
            return []
        try:
            return self.store.active_branch(self.conversation_id)
        except StoreError as exc:
            self.notice.emit(str(exc), True)
            return []

    @property
    def messages(self) -> list[dict[str, str]]:
        """The person's and the model's turns on screen, as role/content pairs."""
        return [{"role": m.role, "content": m.content} for m in self.branch() if m.role != "system"]

    def system_prompt(self) -> str:
        if self.conversation_id is None:
            return ""
        try:
            return self.store.conversation(self.conversation_id).system_prompt
        except StoreError:
            return ""

    def open(self, conversation_id: int | None) -> None:
        if conversation_id == self.conversation_id:
            return
        if self._writer is not None:
            self.engine.stop()  # the reply is finished and saved where it belongs
        self.conversation_id = conversation_id
        self.render()
        self.conversationChanged.emit(conversation_id if conversation_id is not None else -1)

    def render(self) -> None:
        self.view.show_turns(self._turns(self.branch()))

    def _turns(self, branch: list[Message]) -> list[Turn]:
        if self.conversation_id is None:
            return []
        try:
            everything = self.store.messages(self.conversation_id)
        except StoreError:
            everything = branch
        versions: dict[int | None, list[int]] = {}
        for message in everything:
            versions.setdefault(message.parent_id, []).append(message.id)
        turns = []
        for message in branch:
            if message.role == "system":
                continue
            siblings = versions.get(message.parent_id, [message.id])
            index = siblings.index(message.id) + 1 if message.id in siblings else 1
            if message.role == "user":
                turns.append(Turn(
                    "user", self.tr("You"), message.content, message.id, version=(index, len(siblings)),
                    actions=(("edit", self.tr("Edit")), ("copy", self.tr("Copy"))), markdown=False,
                ))
            else:
                meta, error = self._describe_reply(message)
                actions = [
                    ("regenerate", self.tr("Regenerate")),
                    ("copy", self.tr("Copy")),
                    ("settings", self.tr("Use its settings")),
                ]
                stats = message.generation_stats()
                cut_off = message.status == STATUS_INTERRUPTED or (
                    stats is not None and stats.stop_reason in (StopReason.STOPPED, StopReason.LENGTH)
                )
                if cut_off:
                    actions.insert(1, ("continue", self.tr("Continue")))
                turns.append(Turn(
                    "assistant", self._reply_title(message), message.content, message.id, meta=meta,
                    version=(index, len(siblings)), error=error, actions=tuple(actions),
                ))
        return turns

    def _reply_title(self, message: Message) -> str:
        if self._setup is not None and message.model_file == self._setup.model_file:
            return self._setup.model_title
        entry = entry_for_file(message.model_file) if message.model_file else None
        if entry is not None:
            return entry.name
        return message.model_file.removesuffix(".gguf") or self.tr("Model")

    def _describe_reply(self, message: Message) -> tuple[str, bool]:
        parts: list[str] = []
        if message.seed is not None:
            parts.append(self.tr("seed %1").replace("%1", str(message.seed)))
        stats = message.generation_stats()
        if stats is not None:
            parts.append(self.tr("%1 tokens").replace("%1", number(stats.completion_tokens)))
            if stats.tokens_per_s:
                parts.append(self.tr("%1 tokens/s").replace("%1", number(stats.tokens_per_s, 1)))
            if stats.stop_reason is StopReason.STOPPED:
                parts.append(self.tr("stopped"))
            elif stats.stop_reason is StopReason.LENGTH:
                parts.append(self.tr("cut off at the token limit"))
        empty_note = empty_reply_note(message.content, stats.stop_reason) if stats is not None else ""
        if empty_note:
            parts.append(empty_note)
        continuations = (message.stats or {}).get("continuations") or []
        seeds = [str(c.get("seed")) for c in continuations if isinstance(c, dict) and c.get("seed") is not None]
        if seeds:
            parts.append(self.tr("continued with seed %1").replace("%1", ", ".join(seeds)))
        error = bool(empty_note)
        if message.status == STATUS_INTERRUPTED:
            parts.append(self.tr("interrupted: TinyChat closed before this reply ended"))
            error = True
        if message.error:
            parts.append(message.error)
            error = True
        return "  ·  ".join(parts), error

    # -- sending ---------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._writer is not None

    def send(self, text: str, setup: ReplySetup, *, replacing: Message | None = None) -> bool:
        """Save the person's message and ask for a reply. ``replacing``: an edited earlier question."""
        if self.busy:
            return False
        try:
            if self.conversation_id is None:
                conversation = self.store.create_conversation(
                    system_prompt=setup.system_prompt, model_file=setup.model_file,
                    template_source=setup.template_source,
                )
                self.conversation_id = conversation.id
                self.conversationChanged.emit(conversation.id)
            else:
                self.store.set_conversation_settings(self.conversation_id, system_prompt=setup.system_prompt)
            if replacing is not None:
                user = self.store.add_message(self.conversation_id, "user", text, parent_id=replacing.parent_id)
            else:
                user = self.store.add_message(self.conversation_id, "user", text)
        except StoreError as exc:
            self.notice.emit(str(exc), True)
            return False
        self._unanswered_user_id = user.id
        self._user_text = text
        return self._start_reply(user.id, setup)

    def prompt_messages(self, draft: str = "", *, system_prompt: str = "") -> list[dict[str, str]]:
        """What the model would read for the next reply: the branch on screen and the draft."""
        history = [{"role": m.role, "content": m.content} for m in self.branch()]
        if system_prompt and not any(m["role"] == "system" for m in history):
            history.insert(0, {"role": "system", "content": system_prompt})
        if draft:
            history.append({"role": "user", "content": draft})
        return history

    def regenerate(self, reply_id: int, setup: ReplySetup) -> bool:
        """A new version of a reply, beside the old one, for the same conversation up to its question."""
        if self.busy:
            return False
        try:
            reply = self.store.message(reply_id)
        except StoreError as exc:
            self.notice.emit(str(exc), True)
            return False
        self._unanswered_user_id = None
        self._user_text = ""
        return self._start_reply(reply.parent_id, setup)

    def continue_(self, reply_id: int, setup: ReplySetup) -> bool:
        """Carry on writing a reply that was cut off; the new text joins the same message."""
        if self.busy:
            return False
        try:
            reply = self.store.message(reply_id)
            self.store.select(reply.id)
        except StoreError as exc:
            self.notice.emit(str(exc), True)
            return False
        branch = self.branch()
        ids = [m.id for m in branch]
        if reply.id not in ids:
            return False
        history = [{"role": m.role, "content": m.content} for m in branch[: ids.index(reply.id)]]
        if setup.system_prompt and not any(m["role"] == "system" for m in history):
            history.insert(0, {"role": "system", "content": setup.system_prompt})
        try:
            self._writer = self.store.continue_reply(reply.id)
        except (StoreError, ValueError) as exc:
            self.notice.emit(str(exc), True)
            return False
        self._setup = setup
        self._unanswered_user_id = None
        self._user_text = ""
        before = branch[: ids.index(reply.id)]
        self.view.show_turns(self._turns(before))
        self.view.begin_reply(setup.model_title)
        self.view.append_to_reply(reply.content)
        self.engine.generate(history, setup.params, setup.template, reply.content)
        return True

    def _start_reply(self, parent_id: int | None, setup: ReplySetup) -> bool:
        branch = self.branch()
        ids = [m.id for m in branch]
        if parent_id in ids:
            branch = branch[: ids.index(parent_id) + 1]
        history = [{"role": m.role, "content": m.content} for m in branch]
        if setup.system_prompt and not any(m["role"] == "system" for m in history):
            history.insert(0, {"role": "system", "content": setup.system_prompt})
        if setup.drop_messages:
            system = [m for m in history if m["role"] == "system"]
            rest = [m for m in history if m["role"] != "system"]
            history = system + rest[setup.drop_messages:]
        self._setup = setup
        try:
            self._writer = self.store.begin_reply(
                self.conversation_id, parent_id=parent_id, model_file=setup.model_file,
                model_sha256=setup.model_sha256, template_source=setup.template_source,
                system_prompt=setup.system_prompt, params=setup.params,
            )
        except StoreError as exc:
            self.notice.emit(str(exc), True)
            self._take_back()
            return False
        self.view.show_turns(self._turns([m for m in branch]))
        self.view.begin_reply(setup.model_title)
        self.engine.generate(history, setup.params, setup.template)
        return True

    # -- answers from the model thread ------------------------------------------

    @Slot(str)
    def _on_token(self, piece: str) -> None:
        if self._writer is None:
            return
        self.view.append_to_reply(piece)
        had_error = self._writer.save_error is not None
        self._writer.append(piece)
        if self._writer.save_error is not None and not had_error:
            self.notice.emit(
                self.tr("The reply cannot be saved right now (%1). It stays on screen; TinyChat keeps trying.")
                .replace("%1", str(self._writer.save_error)),
                True,
            )

    @Slot(object)
    def _on_finished(self, result: GenerationResult) -> None:
        writer, self._writer = self._writer, None
        self._unanswered_user_id = None
        if writer is None:
            return
        self.view.end_reply()
        try:
            writer.finish(result)
        except StoreError as exc:
            # The text stays on screen and in the writer; say that it is not on disk.
            self.notice.emit(
                self.tr("The reply is shown but could not be saved: %1").replace("%1", str(exc)), True
            )
            self.replyFinished.emit(result)
            return
        if writer.conversation_id == self.conversation_id:
            if self.view.probability_view or self.view.reply_has_draft_marks:
                # Keep the shaded tokens on screen: add the footer instead of laying out again.
                finished = [t for t in self._turns(self.branch()) if t.message_id == writer.message_id]
                if finished:
                    self.view.append_footer(finished[0])
            else:
                self.render()
        self.replyFinished.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        writer, self._writer = self._writer, None
        if writer is None:
            return
        self.view.end_reply()
        try:
            if writer.continued is not None:
                # A continuation that could not start: the reply keeps the text it had.
                writer.abandon()
            else:
                # Nothing was generated: take the empty reply back, and the unanswered
                # question too, whose text goes back into the prompt box.
                self.store.remove_unanswered(writer.message_id)
        except StoreError as exc:
            log.warning("could not put back a reply that was not generated: %s", exc)
        self._take_back()
        self.render()
        self.replyFailed.emit(message, self._user_text)
        self._user_text = ""

    def _take_back(self) -> None:
        if self._unanswered_user_id is not None:
            try:
                self.store.remove_unanswered(self._unanswered_user_id)
            except StoreError as exc:
                log.warning("could not remove an unanswered message: %s", exc)
            self._unanswered_user_id = None

    # -- actions under each turn -------------------------------------------------

    #: Asked of the window: (action, message); the window supplies setup for regenerate
    #: and decides what "edit" and "settings" do.
    turnAction = Signal(str, object)

    @Slot(str, int)
    def _on_action(self, action: str, message_id: int) -> None:
        try:
            message = self.store.message(message_id)
        except StoreError as exc:
            self.notice.emit(str(exc), True)
            return
        if action == "copy":
            QApplication.clipboard().setText(message.content)
            self.notice.emit(self.tr("Copied."), False)
        elif action in ("previous", "next"):
            self.show_version(message, -1 if action == "previous" else 1)
        else:
            self.turnAction.emit(action, message)

    def show_version(self, message: Message, step: int) -> None:
        if self.busy:
            return
        try:
            siblings = self.store.siblings(message.id)
            ids = [m.id for m in siblings]
            target = siblings[(ids.index(message.id) + step) % len(siblings)]
            self.store.select(target.id)
        except (StoreError, ValueError) as exc:
            self.notice.emit(str(exc), True)
            return
        self.render()
