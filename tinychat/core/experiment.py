"""Experiment export: a run's evidence as JSON and CSV, ready for a lab report.

The JSON file holds everything needed to reproduce the run (model file name
and SHA-256, the full prompt template, every parameter, the seed, the sampler
order) and, per generated token, the chosen token with the likeliest
alternatives and their probabilities before and after the sampler.

The CSV file is the same run in "long" form for spreadsheets: one row per
generated token and alternative, with the run's settings repeated on every
row so that rows from several runs can be pasted together and compared.
The template's full text is only in the JSON (it spans many lines).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as _dt
import io
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinychat import __version__
from tinychat.core.atomic import write_text_atomically
from tinychat.core.fingerprint import sha256_of
from tinychat.core.i18n import translate
from tinychat.core.stepper import StepSession

FORMAT = "tinychat-experiment"
FORMAT_VERSION = 1

CSV_COLUMNS = (
    "step",
    "token_id",
    "piece",
    "forced",
    "end_of_turn",
    "raw_prob",
    "prob",
    "entropy_raw_bits",
    "entropy_final_bits",
    "rank",
    "alt_token_id",
    "alt_piece",
    "alt_raw_prob",
    "alt_prob",
    "model_file",
    "model_sha256",
    "template",
    "seed",
    "temperature",
    "top_k",
    "top_p",
    "min_p",
    "repeat_penalty",
    "max_new_tokens",
    "order",
)


class ExportError(OSError):
    """The files could not be written or read; the message says why and what to do."""


@dataclass(frozen=True)
class AlternativeRecord:
    token: int
    piece: str
    raw_prob: float
    prob: float


@dataclass(frozen=True)
class TokenRecord:
    step: int
    token: int
    piece: str
    forced: bool
    end_of_turn: bool
    raw_prob: float
    prob: float
    entropy_raw_bits: float
    entropy_final_bits: float
    alternatives: tuple[AlternativeRecord, ...] = ()


@dataclass(frozen=True)
class ExperimentRun:
    model_file: str
    model_sha256: str
    template: str
    template_text: str
    prompt: str
    prompt_text: str
    params: dict[str, Any]
    seed: int
    order: tuple[str, ...]
    tokens: tuple[TokenRecord, ...]
    text: str
    created: str = ""
    tinychat_version: str = __version__
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_session(cls, session: StepSession, *, prompt: str | None = None) -> ExperimentRun:
        engine = session.engine
        info = engine._require_info()
        template_text = engine.template.jinja if (engine.template is not None and session.template) else ""
        params = session.params.to_dict()
        params["seed"] = session.seed
        return cls(
            model_file=info.path.name,
            model_sha256=sha256_of(info.path),
            template=session.template,
            template_text=template_text,
            prompt=session.prompt_text if prompt is None else prompt,
            prompt_text=session.prompt_text,
            params=params,
            seed=session.seed,
            order=tuple(session.order),
            tokens=tuple(
                TokenRecord(
                    step=s.index,
                    token=s.token,
                    piece=s.piece,
                    forced=s.forced,
                    end_of_turn=s.end_of_turn,
                    raw_prob=s.raw_prob,
                    prob=s.prob,
                    entropy_raw_bits=s.entropy_raw_bits,
                    entropy_final_bits=s.entropy_final_bits,
                    alternatives=tuple(AlternativeRecord(a.token, a.piece, a.raw_prob, a.prob) for a in s.alternatives),
                )
                for s in session.steps
            ),
            text=session.text,
            created=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        )

    # -- JSON ------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["order"] = list(self.order)
        return {"format": FORMAT, "version": FORMAT_VERSION, **data}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExperimentRun:
        if data.get("format") != FORMAT:
            raise ExportError(translate("Experiment", "This file is not a TinyChat experiment."))
        tokens = tuple(
            TokenRecord(**{**t, "alternatives": tuple(AlternativeRecord(**a) for a in t.get("alternatives", ()))})
            for t in data["tokens"]
        )
        fields = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in fields}
        values.update(tokens=tokens, order=tuple(data.get("order", ())))
        return cls(**values)

    def write_json(self, path: str | os.PathLike[str]) -> Path:
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"
        return _atomic_write(Path(path), text)

    @classmethod
    def read_json(cls, path: str | os.PathLike[str]) -> ExperimentRun:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ExportError(
                translate("Experiment", "Cannot read {path}: {reason}.").format(path=path, reason=exc.strerror or exc)
            ) from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ExportError(
                translate("Experiment", "{path} is not a valid experiment file (not JSON).").format(path=path)
            ) from exc
        if not isinstance(data, dict):
            raise ExportError(translate("Experiment", "This file is not a TinyChat experiment."))
        return cls.from_dict(data)

    # -- CSV -------------------------------------------------------------------

    def csv_rows(self) -> list[dict[str, Any]]:
        run = {
            "model_file": self.model_file,
            "model_sha256": self.model_sha256,
            "template": self.template,
            "seed": self.seed,
            "order": " > ".join(self.order),
            **{
                k: self.params.get(k)
                for k in ("temperature", "top_k", "top_p", "min_p", "repeat_penalty", "max_new_tokens")
            },
        }
        rows = []
        for t in self.tokens:
            chosen = {
                "step": t.step,
                "token_id": t.token,
                "piece": t.piece,
                "forced": int(t.forced),
                "end_of_turn": int(t.end_of_turn),
                "raw_prob": repr(t.raw_prob),
                "prob": repr(t.prob),
                "entropy_raw_bits": repr(t.entropy_raw_bits),
                "entropy_final_bits": repr(t.entropy_final_bits),
            }
            alternatives = t.alternatives or (None,)
            for rank, alt in enumerate(alternatives, 1):
                row = dict(chosen, **run)
                if alt is not None:
                    row.update(
                        rank=rank, alt_token_id=alt.token, alt_piece=alt.piece,
                        alt_raw_prob=repr(alt.raw_prob), alt_prob=repr(alt.prob),
                    )
                rows.append(row)
        return rows

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.csv_rows())
        return buffer.getvalue()

    def write_csv(self, path: str | os.PathLike[str]) -> Path:
        # utf-8-sig: spreadsheet programs then read accented and non-Latin pieces correctly.
        return _atomic_write(Path(path), self.to_csv(), encoding="utf-8-sig")


def _atomic_write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write through a temporary file and rename it, so a failed export never leaves half a file."""
    path = path.expanduser()
    try:
        write_text_atomically(path, text, encoding=encoding)
    except OSError as exc:
        raise ExportError(
            translate("Experiment", "Cannot save {path}: {reason}. Choose another folder.").format(
                path=path, reason=exc.strerror or exc
            )
        ) from exc
    return path
