"""The prompt X-ray panel: the exact text the model receives next, and its tokens.

Give it the engine (for the model's description and template), the
conversation and the template; it re-renders shortly after each change, behind
a short debounce timer, so a burst of keystrokes costs one update.

Rendering and tokenizing run on a thread of the panel's own, with a
vocabulary-only copy of the model's tokenizer (tinychat.core.xray.VocabOnly):
the engine, which generates on the window's worker thread, is never called
from here, and a template that runs long (up to the template time limit) or
fails leaves the window responsive. Only the latest request's answer is shown.
"""

from __future__ import annotations

import html
import queue
import threading
from dataclasses import dataclass
from typing import Any
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from tinychat.gui.plaintext import plain
from tinychat.core.engine import EngineError
from tinychat.core.remote import server_template_sentence
from tinychat.core.templates import ChatTemplate, TemplateError
from tinychat.core.xray import VocabOnly, XrayResult, xray_with_vocab
from tinychat.gui.numbers import number

#: Control tokens in the prompt text.
SPECIAL_BACKGROUND = QColor("#f9c74f")
SPECIAL_FOREGROUND = QColor("#1d1d1d")
#: Alternating token backgrounds in the token view, light enough for dark text on a projector.
TOKEN_COLOURS = ("#cfe8ff", "#ffe0b2")
SPECIAL_TOKEN_COLOUR = "#f9c74f"
DEBOUNCE_MS = 150
#: Beyond this many tokens the token view shows the last ones only (the count stays exact).
MAX_TOKENS_SHOWN = 3000


@dataclass(frozen=True)
class _Request:
    serial: int
    path: str
    info: Any
    template: ChatTemplate
    messages: tuple[dict[str, str], ...]


class _Replies(QObject):
    """Carries the thread's answers to the GUI thread (a queued signal)."""

    done = Signal(int, object)  # serial, XrayResult or an error sentence (str)


class _XrayThread:
    """One daemon thread that renders and tokenizes the latest request; older ones are skipped."""

    def __init__(self, replies: _Replies) -> None:
        self._replies = replies
        self._requests: queue.Queue[_Request | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._vocab: VocabOnly | None = None

    def submit(self, request: _Request) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="tinychat-xray", daemon=True)
            self._thread.start()
        self._requests.put(request)

    def stop(self) -> None:
        if self._thread is not None:
            self._requests.put(None)

    def _run(self) -> None:
        while True:
            request = self._requests.get()
            while not self._requests.empty():  # only the latest one matters
                request = self._requests.get()
            if request is None:
                break
            outcome = self._compute(request)
            try:
                self._replies.done.emit(request.serial, outcome)
            except RuntimeError:  # the panel is gone
                break
        if self._vocab is not None:
            self._vocab.close()

    def _compute(self, request: _Request) -> Any:
        try:
            if self._vocab is None or self._vocab.path != request.path:
                if self._vocab is not None:
                    self._vocab.close()
                self._vocab = None
                self._vocab = VocabOnly(request.path)
            return xray_with_vocab(self._vocab, request.info, request.template, request.messages)
        except (TemplateError, EngineError) as exc:
            return str(exc)
        except Exception as exc:
            return QCoreApplication.translate("XrayPanel", "The prompt could not be shown: {reason}.").format(
                reason=exc
            )


def visible_piece(text: str) -> str:
    """Whitespace made visible, so a teacher can point at a space or a newline token."""
    return text.replace(" ", "\u00b7").replace("\n", "\u21b5").replace("\t", "\u2192")


class XrayPanel(QWidget):
    """Shows what the next turn sends: template and why, the text with control tokens marked, the tokens."""

    #: Emitted after each update with the XrayResult, or None when there is nothing to show.
    updated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("xray_panel")
        self._engine: Any = None
        self._messages: list[dict[str, str]] = []
        self._template: ChatTemplate | None = None
        self.result: XrayResult | None = None

        self.template_label = plain(QLabel())
        self.template_label.setObjectName("xray_template")
        self.template_label.setWordWrap(True)
        self.warning_label = plain(QLabel())
        self.warning_label.setObjectName("xray_warning")
        self.warning_label.setWordWrap(True)
        self.warning_label.setStyleSheet("color: #b00020;")
        self.warning_label.hide()
        self.count_label = plain(QLabel())
        self.count_label.setObjectName("xray_count")

        self.prompt_view = QPlainTextEdit()
        self.prompt_view.setObjectName("xray_prompt")
        self.prompt_view.setAccessibleName(self.tr("Prompt the model reads"))
        self.prompt_view.setAccessibleDescription(
            self.tr("The exact text of the next turn, with the template's control tokens")
        )
        self.prompt_view.setReadOnly(True)
        self.prompt_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.prompt_view.setToolTip(self.tr("The exact text the model receives; control tokens are highlighted."))

        self.token_view = QTextBrowser()
        self.token_view.setObjectName("xray_tokens")
        self.token_view.setOpenLinks(False)
        self.token_view.setToolTip(self.tr("Each token with its id; colours alternate so the boundaries show."))

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.prompt_view)
        splitter.addWidget(self.token_view)

        layout = QVBoxLayout(self)
        layout.addWidget(self.template_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.count_label)
        layout.addWidget(splitter, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh_now)
        self._serial = 0
        self._replies = _Replies(self)
        self._replies.done.connect(self._on_done)
        self._worker = _XrayThread(self._replies)
        self.destroyed.connect(self._worker.stop)
        self._show_nothing(self.tr("Load a model to see the prompt it receives."))

    # -- inputs ---------------------------------------------------------------------

    def set_engine(self, engine: Any) -> None:
        self._engine = engine
        self.schedule_refresh()

    def set_messages(self, messages: Sequence[Mapping[str, str]]) -> None:
        self._messages = [dict(m) for m in messages]
        self.schedule_refresh()

    def set_template(self, template: ChatTemplate | None) -> None:
        """None: the model's own choice (engine.template)."""
        self._template = template
        self.schedule_refresh()

    def schedule_refresh(self) -> None:
        self._timer.start()

    # -- rendering -------------------------------------------------------------------

    def refresh_now(self) -> None:
        self._timer.stop()
        engine = self._engine
        if engine is None or not getattr(engine, "loaded", False):
            self._show_nothing(self.tr("Load a model to see the prompt it receives."))
            return
        if not self._messages:
            self._show_nothing(self.tr("Type a message to see the prompt it makes."))
            return
        if getattr(engine, "remote", None) is not None:
            self._show_server_prompt(engine)
            return
        info = getattr(engine, "info", None)
        template = self._template or getattr(engine, "template", None)
        if info is None or template is None:
            self._show_nothing(self.tr("Load a model to see the prompt it receives."))
            return
        self._serial += 1
        self._worker.submit(_Request(self._serial, str(info.path), info, template, tuple(self._messages)))

    def _on_done(self, serial: int, outcome: Any) -> None:
        if serial != self._serial or self._engine is None or not self._messages:
            return  # a newer request is on its way, or there is nothing to show any more
        if isinstance(outcome, str):
            self._show_nothing(outcome, error=True)
            return
        self.result = outcome
        self._show(outcome)
        self.updated.emit(outcome)

    def _show_nothing(self, sentence: str, error: bool = False) -> None:
        self._serial += 1  # whatever is on its way is no longer wanted
        self.result = None
        self.template_label.setText(sentence)
        self.template_label.setStyleSheet("color: #b00020;" if error else "")
        self.warning_label.hide()
        self.count_label.clear()
        self.prompt_view.clear()
        self.token_view.clear()
        self.updated.emit(None)

    def _show_server_prompt(self, engine: Any) -> None:
        """A server applies its own template: show the messages it is sent, and say that plainly."""
        self._serial += 1
        self.result = None
        self.template_label.setStyleSheet("")
        self.template_label.setText(server_template_sentence())
        self.warning_label.hide()
        self.count_label.setText(self.tr("The server counts the tokens: TinyChat does not have its tokenizer."))
        self.prompt_view.setPlainText(engine.render(self._messages).text)
        self.token_view.clear()
        self.updated.emit(None)

    def _show(self, result: XrayResult) -> None:
        self.template_label.setStyleSheet("")
        self.template_label.setText(result.template_sentence)
        warnings = [result.template.warning] if result.template.warning else []
        warnings += [i.sentence for i in result.injections]
        if result.over_by:
            warnings.append(
                self.tr("This prompt is {over} tokens longer than the context window; drop the oldest turns.").format(
                    over=number(result.over_by)
                )
            )
        self.warning_label.setText("\n".join(warnings))
        self.warning_label.setVisible(bool(warnings))
        self.count_label.setText(
            self.tr("{count} tokens of a {n_ctx}-token context window").format(
                count=number(result.token_count), n_ctx=number(result.n_ctx)
            )
        )
        self._show_text(result)
        self._show_tokens(result)

    def _show_text(self, result: XrayResult) -> None:
        self.prompt_view.setPlainText(result.text)
        special = QTextCharFormat()
        special.setBackground(SPECIAL_BACKGROUND)
        special.setForeground(SPECIAL_FOREGROUND)
        special.setFontWeight(700)
        cursor = QTextCursor(self.prompt_view.document())
        for start, end in result.special_spans:
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(special)

    def _show_tokens(self, result: XrayResult) -> None:
        tokens = result.tokens[-MAX_TOKENS_SHOWN:]
        parts = []
        if len(tokens) < len(result.tokens):
            parts.append(
                html.escape(self.tr("(the first {n} tokens are not shown)").format(n=len(result.tokens) - len(tokens)))
                + "<br>"
            )
        for token in tokens:
            colour = SPECIAL_TOKEN_COLOUR if token.special else TOKEN_COLOURS[token.index % 2]
            parts.append(
                f'<span style="background-color:{colour}; color:#1d1d1d;">{html.escape(visible_piece(token.display))}'
                f'<sub style="color:#555555;">{token.id}</sub></span> '
            )
        self.token_view.setHtml("<div style='line-height:160%;'>" + "".join(parts) + "</div>")
