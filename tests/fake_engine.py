"""An engine that needs no model: it streams scripted tokens with scripted probabilities.

It implements :class:`tinychat.core.engine_protocol.ChatEngine`, so the window's
model thread runs it exactly as it runs llama.cpp: the window's own logic
(sending, stopping, saving, branching, fitting the conversation to the
context, pacing) is tested in a fraction of a second per test. What it keeps
from the real engine, because the window relies on it:

- a file must exist and start with the GGUF magic (core's ``check_model_file``,
  so a bad file gets the real sentence);
- prompts are rendered with the real templates (the model's own is ChatML, as
  the starter's) and user text is neutralised the same way;
- the same prompt, settings and seed give the same reply; another seed, another
  reply; a prompt longer than the context raises ``ContextOverflow``; the reply
  stops at ``max_new_tokens`` (LENGTH), at the end of its script (EOS) or when
  ``cancel`` is set (STOPPED).

Tokens are words with their leading space (``" sky"``): a conversation's token
count is close to its word count, easy to reason about in a test.
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
from pathlib import Path
from collections.abc import Mapping, Sequence

import llama_cpp

from tinychat.core.engine import (
    DEFAULT_N_CTX,
    MIN_N_CTX,
    ContextOverflow,
    ModelInfo,
    NoModelLoaded,
    StepCallback,
    TokenAlternative,
    TokenCallback,
    TokenDetail,
    check_model_file,
)
from tinychat.core.params import GenerationParams
from tinychat.core.results import GenerationResult, GenerationStats, StopReason
from tinychat.core.templates import ChatTemplate, RenderedPrompt, builtin, neutralise_messages, resolve_for_model

#: The words a reply is made of when no script is given.
WORDS = (
    "the", "sky", "is", "blue", "and", "grass", "green", "a", "fox", "runs", "over", "river", "bread",
    "warm", "market", "busy", "rain", "falls", "slowly", "story", "ends", "here", "one", "two", "three",
)
SPECIAL_TOKENS = ("<|im_start|>", "<|im_end|>", "<|endoftext|>")
_PIECES = re.compile(r"<\|[a-z_]+\|>|\s*[^\s<]+|\s+|<")

#: One scripted token: its text and the probability the sampler gave it.
ScriptedToken = tuple[str, float]


class FakeEngine:
    """A :class:`~tinychat.core.engine_protocol.ChatEngine` for tests; see the module's notes."""

    def __init__(
        self,
        script: Sequence[ScriptedToken] | None = None,
        *,
        reply_tokens: int = 12,
        token_delay: float = 0.0,
        n_ctx_train: int = 8192,
        name: str = "SmolLM2-135M-Instruct",
        load_notes: tuple[str, ...] = (),
    ) -> None:
        self.script = tuple(script) if script is not None else None
        self.reply_tokens = reply_tokens
        self.token_delay = token_delay
        self.n_ctx_train = n_ctx_train
        #: What each load says differs from what was asked (as Engine's info.notes).
        self.load_notes = load_notes
        #: The options of the last load, as the window passed them.
        self.load_options: dict[str, object] = {}
        self.name = name
        self.info: ModelInfo | None = None
        self.template: ChatTemplate | None = None
        self._ids: dict[str, int] = {t: i for i, t in enumerate(SPECIAL_TOKENS)}
        self._pieces: list[str] = list(SPECIAL_TOKENS)
        #: Every load and reply asked of this engine, for tests that check what the window asked for.
        self.loads: list[Path] = []
        self.prompts: list[str] = []
        self.closed = False
        self.llm = _XrayView(self)

    # -- loading ------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self.info is not None

    def load(
        self,
        path: str | os.PathLike[str],
        *,
        n_ctx: int | None = None,
        n_threads: int | None = None,
        n_gpu_layers: int = 0,
        n_batch: int | None = None,
        flash_attn: str = "auto",
    ) -> ModelInfo:
        model_path = check_model_file(path)
        self.load_options = {
            "n_ctx": n_ctx, "n_threads": n_threads, "n_gpu_layers": n_gpu_layers, "n_batch": n_batch,
            "flash_attn": flash_attn,
        }
        self.info = self.template = None
        n_ctx = max(n_ctx or min(self.n_ctx_train, DEFAULT_N_CTX), MIN_N_CTX)
        self.loads.append(model_path)
        self.info = ModelInfo(
            path=model_path,
            name=self.name,
            n_ctx=n_ctx,
            n_ctx_train=self.n_ctx_train,
            n_vocab=len(WORDS) * 2 + len(SPECIAL_TOKENS),
            n_layers=30,
            n_params=134_515_008,
            architecture="llama",
            description="scripted test engine",
            gpu_layers=0,
            device="CPU",
            chat_template=builtin("chatml").jinja,
            bos_token="<|im_start|>",
            eos_token="<|im_end|>",
            special_tokens=SPECIAL_TOKENS,
            gpu_layers_asked=n_gpu_layers,
            n_threads=n_threads or 1,
            n_batch=n_batch or 512,
            flash_attn_asked=flash_attn,
            notes=self.load_notes,
        )
        self.template = resolve_for_model(self.info)
        return self.info

    def close(self) -> None:
        self.info = self.template = None
        self.closed = True

    def set_speculative(self, mode: str, draft_model: str | os.PathLike[str] | None = None) -> None:
        # The scripted engine writes its reply plainly; it only remembers what was asked.
        self.speculative = (mode, draft_model)

    # -- prompts ------------------------------------------------------------------

    def render(self, messages: Sequence[Mapping[str, str]], template: ChatTemplate | None = None) -> RenderedPrompt:
        info = self._require_info()
        template = template or self.template
        assert template is not None
        safe = neutralise_messages(messages, info.special_tokens)
        return template.render(safe, bos_token=info.bos_token, eos_token=info.eos_token)

    def tokenize(self, rendered: RenderedPrompt) -> list[int]:
        return [self._id(piece) for piece in _PIECES.findall(rendered.text)]

    def _id(self, piece: str) -> int:
        if piece not in self._ids:
            self._ids[piece] = len(self._pieces)
            self._pieces.append(piece)
        return self._ids[piece]

    # -- replies ------------------------------------------------------------------

    def generate(
        self,
        messages: Sequence[Mapping[str, str]],
        params: GenerationParams,
        *,
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        template: ChatTemplate | None = None,
        on_step: StepCallback | None = None,
        on_draft: object = None,
    ) -> GenerationResult:
        info = self._require_info()
        params = params.validated(n_ctx=info.n_ctx)
        rendered = self.render(messages, template)
        return self.generate_from_tokens(
            self.tokenize(rendered), params, stops=rendered.stops, on_token=on_token, cancel=cancel,
            template_source=rendered.source, prompt_text=rendered.text, on_step=on_step,
        )

    def reply_for(self, prompt_text: str, seed: int) -> tuple[ScriptedToken, ...]:
        """The tokens this engine writes for a prompt and a seed (the script, if it was given one)."""
        if self.script is not None:
            return self.script
        rng = random.Random(f"{seed}\x00{prompt_text}")
        return tuple((" " + rng.choice(WORDS), round(rng.uniform(0.05, 0.95), 3)) for _ in range(self.reply_tokens))

    def generate_from_tokens(
        self,
        tokens: list[int],
        params: GenerationParams,
        *,
        stops: Sequence[str] = (),
        on_token: TokenCallback | None = None,
        cancel: threading.Event | None = None,
        template_source: str = "",
        prompt_text: str = "",
        on_step: StepCallback | None = None,
        on_draft: object = None,
    ) -> GenerationResult:
        info = self._require_info()
        if len(tokens) >= info.n_ctx:
            raise ContextOverflow(len(tokens), info.n_ctx)
        self.prompts.append(prompt_text)
        cancel = cancel or threading.Event()
        seed = params.resolve_seed()
        budget = min(params.max_new_tokens, info.n_ctx - len(tokens))
        start = time.perf_counter()
        first_at: float | None = None
        text: list[str] = []
        ids: list[int] = []
        reason = StopReason.EOS
        for piece, prob in self.reply_for(prompt_text, seed):
            if len(ids) >= budget:
                reason = StopReason.LENGTH
                break
            if self.token_delay:
                time.sleep(self.token_delay)
            if cancel.is_set():
                reason = StopReason.STOPPED
                break
            first_at = first_at or time.perf_counter()
            token = self._id(piece)
            ids.append(token)
            text.append(piece)
            if on_token is not None:
                on_token(piece)
            if on_step is not None:
                on_step(self._detail(len(ids) - 1, token, piece, prob, params))
        end = time.perf_counter()
        stats = GenerationStats(
            prompt_tokens=len(tokens),
            completion_tokens=len(ids),
            prompt_tokens_evaluated=len(tokens),
            ttft_s=(first_at - start) if first_at else None,
            tokens_per_s=(len(ids) - 1) / (end - first_at) if first_at and len(ids) > 1 and end > first_at else None,
            total_s=end - start,
            stop_reason=reason,
            device=info.device,
        )
        return GenerationResult(
            text="".join(text), seed=seed, params=params, stats=stats, model=info.path.name,
            template=template_source, prompt=prompt_text, token_ids=ids,
        )

    def _detail(self, index: int, token: int, piece: str, prob: float, params: GenerationParams) -> TokenDetail:
        rest = (1.0 - prob) / 2
        runner_up = self._id(" " + WORDS[(index * 7 + 3) % len(WORDS)] + "s")
        alternatives = (
            TokenAlternative(token, piece, prob, prob),
            TokenAlternative(runner_up, self._pieces[runner_up], rest, rest),
        )
        return TokenDetail(
            index=index, token=token, piece=piece, text=piece, raw_prob=prob, prob=prob,
            alternatives=alternatives, greedy=params.temperature == 0,
        )

    def _require_info(self) -> ModelInfo:
        if self.info is None:
            raise NoModelLoaded("No model is loaded. Choose a model first.")
        return self.info


class _Vocabulary:
    def __init__(self, engine: FakeEngine) -> None:
        self._engine = engine

    def detokenize(self, ids: Sequence[int], special: bool = False) -> bytes:
        return "".join(self._engine._pieces[i] for i in ids).encode("utf-8")

    def token_get_attr(self, token: int) -> int:
        return llama_cpp.LLAMA_TOKEN_ATTR_CONTROL if token < len(SPECIAL_TOKENS) else llama_cpp.LLAMA_TOKEN_ATTR_NORMAL


class _XrayView:
    """The Prompt X-ray (core/xray.py ``tokens_of``) still reads token pieces through
    ``engine.llm._model``; this offers those two calls until it has its own tokenizer access."""

    def __init__(self, engine: FakeEngine) -> None:
        self._model = _Vocabulary(engine)


def write_model_file(folder: Path, name: str = "SmolLM2-135M-Instruct.Q4_1.gguf") -> Path:
    """A file the fake engine accepts: the GGUF magic and a few bytes (named like the starter by default)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"GGUF" + bytes(60))
    return path
