"""Look inside the model: tokens, the NumPy forward pass, the logit lens, attention and the surprise meter,
held against llama.cpp's own numbers on the starter model."""

from __future__ import annotations

import json
from itertools import pairwise
import shutil

import llama_cpp
import numpy as np
import pytest
from gguf_files import write_tiny_gguf

from tinychat.cli import main
from tinychat.core.inside.export import write_csv, write_json
from tinychat.core.inside.forward import InsideError, check_architecture, forward
from tinychat.core.inside.subject import Subject, probabilities
from tinychat.core.inside.tokens_view import Tokenizer, compare_languages
from tinychat.core.probe import evaluate, top_ids


@pytest.fixture(scope="module")
def tokenizer(starter_path):
    with Tokenizer(starter_path) as tok:
        yield tok


@pytest.fixture(scope="module")
def subject(starter_path):
    with Subject(starter_path) as s:
        yield s


# -- tokens -------------------------------------------------------------------------


def test_tokens_are_llama_cpps_and_cover_the_text(tokenizer):
    text = "Hola, ¿cómo estás? The cat  sat.\n🙂"
    cut = tokenizer.tokenize(text)
    assert [t.id for t in cut.tokens] == tokenizer.llm.tokenize(text.encode(), add_bos=False, special=False)
    assert b"".join(t.piece for t in cut.tokens) == text.encode()
    # Spans follow each other through the whole text (a token that splits a character shares it).
    assert cut.tokens[0].start == 0 and cut.tokens[-1].end == len(text)
    for a, b in pairwise(cut.tokens):
        assert b.start in (a.end, a.end - 1)
    shown = [t.shown for t in cut.tokens]
    assert "␣cat" in shown and "↵" in "".join(shown)
    # The emoji is four bytes split over two tokens: each shows its bytes.
    assert any("<0xF0>" in s for s in shown)


def test_spanish_costs_more_tokens_than_english_on_the_starter(tokenizer):
    en, es = compare_languages(tokenizer)
    assert (en.language, es.language) == ("en", "es")
    assert es.tokens > en.tokens
    assert es.tokens_per_word > en.tokens_per_word


def test_tokens_command_json(starter_path, capsys):
    assert main(["tokens", "Hola mundo", "--json", "--count-in", str(starter_path), "--languages"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["count"] == len(report["tokens"]) >= 2
    assert report["other_models"][0]["count"] == report["count"]
    assert {c["language"] for c in report["languages"]} == {"en", "es"}


def test_tokens_command_refuses_empty_text(capsys):
    assert main(["tokens", "  "]) == 1
    assert "empty" in capsys.readouterr().err


def test_unsupported_architecture_names_the_supported_ones(tmp_path):
    path = write_tiny_gguf(tmp_path / "other.gguf", arch="gpt2")
    with pytest.raises(InsideError) as caught:
        check_architecture(path)
    assert "gpt2" in str(caught.value) and "llama" in str(caught.value)


# -- the forward pass, the lens and attention against llama.cpp -------------------


@pytest.mark.model
def test_forward_pass_agrees_with_llama_cpp(subject):
    prompt = subject.prompt("The capital of France is", raw=True)
    fp = forward(subject.weights(), prompt.ids)
    ours = probabilities(fp.logits[-1])
    theirs = probabilities(evaluate(subject.engine, list(prompt.ids)))
    assert subject.piece(int(np.argmax(ours))) == " Paris"
    assert top_ids(fp.logits[-1], 1)[0] == np.argmax(theirs)
    assert len(set(top_ids(fp.logits[-1], 10)) & set(np.argsort(-theirs)[:10])) >= 8
    # llama.cpp rounds activations to 8 bits; measured difference 0.005 (see forward.py's docstring).
    assert np.max(np.abs(ours - theirs)) < 0.02


@pytest.mark.model
def test_logit_lens_last_row_is_the_models_prediction(subject):
    from tinychat.core.inside.lens import logit_lens

    prompt = subject.prompt("The capital of France is", raw=True)
    fractions = []
    result = logit_lens(subject, prompt, top=5, progress=fractions.append)
    assert result.top_ids.shape == (31, len(prompt.ids), 5)
    assert result.answer_piece == " Paris"
    # The last row is the forward pass's own distribution, and llama.cpp agrees with it.
    last = probabilities(result.last_logits)
    assert np.allclose(result.top_probs[-1, -1], np.sort(last)[::-1][:5], atol=1e-5)
    assert result.check is not None and result.check.agrees and result.check.same_top1
    # " Paris" emerges in the last layers only.
    assert result.answer_probs[-1] > 0.5
    assert np.all(result.answer_probs[:20] < 0.05)
    assert fractions and fractions[-1] == pytest.approx(1.0)
    data = result.to_dict()
    assert len(data["grid"]) == 31 * len(prompt.ids)
    assert data["sha256"] == subject.sha256 and len(data["sha256"]) == 64


@pytest.mark.model
def test_attention_rows_are_causal_distributions(subject):
    from tinychat.core.inside.attention import attention_maps

    prompt = subject.prompt("The capital of France is", raw=True)
    result = attention_maps(subject, prompt)
    n = len(prompt.ids)
    assert result.weights.shape == (30, 9, n, n)
    assert np.allclose(result.weights.sum(axis=-1), 1.0, atol=1e-5)
    assert np.all(result.weights[:, :, np.triu_indices(n, 1)[0], np.triu_indices(n, 1)[1]] == 0)
    assert result.last_token().shape == (n,) and result.last_token().sum() == pytest.approx(1.0, abs=1e-5)
    assert result.check is not None and result.check.agrees


@pytest.mark.model
def test_long_text_is_cut_and_says_how_much_is_used(subject):
    prompt = subject.prompt("one two three four five six seven eight nine ten eleven twelve", raw=True, limit=5)
    assert len(prompt.ids) == 5 and prompt.dropped == prompt.total - 5 > 0
    assert "first 5 tokens" in prompt.note() and str(prompt.total) in prompt.note()
    with pytest.raises(InsideError):
        subject.prompt("   ", raw=True)


@pytest.mark.model
def test_lens_command_json(capsys):
    assert main(["lens", "The capital of France is", "--raw", "--json", "--top", "2"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["answer"]["piece"] == " Paris"
    assert report["check"]["same_top1"] is True
    assert len(report["grid"][0]["top"]) == 2


# -- surprise -------------------------------------------------------------------------


TEXT = "The cat sat on the mat. The capital of France is Paris."


@pytest.fixture(scope="module")
def surprise_a(starter_path):
    from tinychat.core.inside.surprise import measure_surprise

    return measure_surprise(starter_path, TEXT)


@pytest.mark.model
def test_surprise_is_llama_cpps_probability_of_each_token(surprise_a, subject):
    ids = [t.id for t in surprise_a.tokens]
    assert surprise_a.tokens[0].prob is None
    for i in (5, len(ids) - 2):
        reference = probabilities(evaluate(subject.engine, ids[:i]))
        assert surprise_a.tokens[i].prob == pytest.approx(reference[ids[i]], abs=0.02)
    paris = next(t for t in surprise_a.tokens if t.piece == " Paris")
    assert paris.rank == 1 and paris.alternatives[0].id == paris.id
    bits = [t.bits for t in surprise_a.scored]
    assert surprise_a.perplexity == pytest.approx(2 ** np.mean(bits))


@pytest.mark.model
def test_surprise_compares_two_quantizations(surprise_a, starter_path, tmp_path):
    from tinychat.core.inside.surprise import compare, measure_surprise

    other = tmp_path / "starter-q8_0.gguf"
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0
    params.allow_requantize = True
    params.nthread = 1
    assert llama_cpp.llama_model_quantize(str(starter_path).encode(), str(other).encode(), params) == 0
    b = measure_surprise(other, TEXT)
    result = compare(surprise_a, b)
    assert result.comparable
    assert result.kl is not None and np.all(result.kl >= 0) and result.mean_kl > 0
    assert 0.5 <= result.agreement <= 1.0
    same = compare(surprise_a, surprise_a)
    assert same.mean_kl == pytest.approx(0.0, abs=1e-9) and same.agreement == 1.0
    assert result.to_dict()["per_token"][0]["kl_nats"] >= 0


@pytest.mark.model
def test_surprise_refuses_kl_between_different_vocabularies(surprise_a, starter_path, tmp_path, capsys):
    from tinychat.core.inside.surprise import compare, measure_surprise

    # The same model with one vocabulary entry renamed (same length, so the file stays valid).
    other = tmp_path / "renamed-vocab.gguf"
    shutil.copy(starter_path, other)
    data = bytearray(other.read_bytes())
    entry = b"\x07\x00\x00\x00\x00\x00\x00\x00\xc4\xa0Paris"
    at = data.index(entry)
    data[at : at + len(entry)] = b"\x07\x00\x00\x00\x00\x00\x00\x00\xc4\xa0Parys"
    other.write_bytes(bytes(data))
    result = compare(surprise_a, measure_surprise(other, TEXT))
    assert not result.comparable
    assert "different vocabularies" in result.refusal()
    assert result.to_dict()["b"]["perplexity"] > 0
    assert main(["surprise", TEXT, "--compare", str(other)]) == 0
    assert "different vocabularies" in capsys.readouterr().out


def test_exports_carry_the_model_hash(tmp_path):
    json_path = write_json(tmp_path / "lens.json", {"model": "m.gguf", "sha256": "ab" * 32})
    assert json.loads(json_path.read_text())["sha256"] == "ab" * 32
    csv_path = write_csv(tmp_path / "lens.csv", [["layer", "prob"], [0, "0.5"]], model="m.gguf", sha256="cd" * 32)
    assert csv_path.read_text().splitlines()[:3] == ["# model: m.gguf", f"# sha256: {'cd' * 32}", "layer,prob"]


@pytest.mark.model
def test_half_precision_weights_for_large_models_still_agree(subject):
    """Models over 600 M parameters keep float16 matrices; forced here on the starter (read apart from the cache)."""
    from tinychat.core.inside.forward import _read_weights

    half = _read_weights(subject.path, None, None, half=True)
    assert half.layers[0].wq.dtype == np.float16 and half.output_norm.dtype == np.float32
    prompt = subject.prompt("The capital of France is", raw=True)
    check = subject.check(forward(half, prompt.ids).logits[-1], prompt.ids)
    assert check.agrees and check.top10_overlap >= 8


def test_gemma3_forward_pass_agrees_with_llama_cpp(tmp_path):
    """A small Gemma 3 of random float32 weights, every tensor of the architecture, run by both.

    Its window of 4 tokens on a 12-token prompt makes the sliding-window layers matter: the same
    weights without the window are far from llama.cpp, so this test sees a wrong window.
    """
    import dataclasses

    from gguf_files import write_tiny_gemma3
    from tinychat.core.inside.forward import load_weights

    path = write_tiny_gemma3(tmp_path / "tiny-gemma3.gguf")
    assert check_architecture(path) == "gemma3"
    ids = [1, 5, 17, 250, 33, 8, 99, 140, 7, 64, 200, 12]
    model = llama_cpp.Llama(str(path), n_ctx=64, logits_all=True, verbose=False, n_threads=1)
    try:
        model.eval(ids)
        theirs = np.array(model.scores[: len(ids)], dtype=np.float64)
    finally:
        model.close()
    weights = load_weights(path)
    assert weights.config.sliding == (True, True, True, True, True, False)
    ours = forward(weights, ids).logits
    # llama.cpp keeps keys and values in float16: measured 0.004 on these scores (of size about 5).
    assert np.max(np.abs(ours - theirs)) < 0.02
    assert np.max(np.abs(probabilities(ours[-1]) - probabilities(theirs[-1]))) < 1e-3
    no_window = dataclasses.replace(weights, config=dataclasses.replace(weights.config, window=0))
    assert np.max(np.abs(forward(no_window, ids).logits - theirs)) > 0.5


def test_quantization_siblings_and_which_to_download(tmp_path):
    from pathlib import Path

    from tinychat.core.inside.quantization import missing_sentence, reference_first, siblings

    files = [
        Path("/m/tinyllama-1.1b-chat-v1.0.Q8_0.gguf"),
        Path("/m/tinyllama-1.1b-chat-v1.0.Q2_K.gguf"),
        Path("/m/tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf"),
        Path("/m/Llama-3.2-1B-Instruct-Q4_K_M.gguf"),
        Path("/m/SmolLM2-135M-Instruct.Q4_1.gguf"),
    ]
    found = siblings(files[2], files)
    assert found == [files[0], files[1]]  # the same model only, most bits first
    assert siblings(files[3], files) == []
    assert reference_first(files[1], files[0]) == (files[0], files[1])
    sentence = missing_sentence(files[0])
    assert "Only one quantization of TinyLlama-1.1B-Chat-v1.0 is installed (Q8_0)" in sentence
    assert "download Q2_K" in sentence and "TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF" in sentence
    assert "TinyLlama-1.1B-Chat's Q2_K and Q8_0" in missing_sentence(files[4])
