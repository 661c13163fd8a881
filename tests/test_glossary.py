"""The glossary data and its lookup: complete in both languages, consistent, and searchable."""

import json
import re

import pytest

from tinychat.core.glossary import (
    LANGUAGES,
    GlossaryError,
    fold,
    glossary_path,
    load_glossary,
    normalize_language,
)
from tinychat.core.params import SPECS

# Frequent function words: a Spanish text with several English ones was most
# likely left untranslated, and the other way round.
ENGLISH_WORDS = {"the", "and", "with", "which", "is", "of", "you", "it", "that", "this", "are", "for", "when"}
SPANISH_WORDS = {"el", "la", "los", "las", "de", "del", "que", "un", "una", "es", "en", "y", "por", "para", "con"}


def _words(text):
    return re.findall(r"[a-záéíóúüñ]+", text.lower())


@pytest.fixture(scope="module")
def raw():
    return json.loads(glossary_path().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()


def test_file_has_the_expected_shape_and_enough_terms(raw):
    assert raw["schema"] == 1
    assert len(raw["terms"]) >= 45
    ids = [t["id"] for t in raw["terms"]]
    assert len(ids) == len(set(ids))
    for item in raw["terms"]:
        assert set(item) - {"try"} == {"id", "aliases", "term", "short", "long", "see_also"}, item["id"]
        if "try" in item:  # a link to where the idea can be tried, labelled in both languages
            assert set(item["try"]["label"]) == {"en", "es"}, item["id"]
        assert re.fullmatch(r"[a-z0-9_]+", item["id"]), item["id"]


def test_every_term_has_every_part_in_both_languages(raw):
    for item in raw["terms"]:
        for part in ("term", "short", "long"):
            assert set(item[part]) == set(LANGUAGES), (item["id"], part)
            for language in LANGUAGES:
                text = item[part][language]
                assert isinstance(text, str) and text.strip() == text and text, (item["id"], part, language)


def test_short_is_one_sentence_and_long_is_two_to_five(raw):
    for item in raw["terms"]:
        for language in LANGUAGES:
            short = item["short"][language]
            long = item["long"][language]
            assert short.endswith("."), (item["id"], language)
            assert len(short) <= 200, (item["id"], language, len(short))
            # Count sentence ends followed by a capital, an opening quote or the end.
            sentences = re.findall(r"[.!?»”](?=\s+[A-ZÁÉÍÓÚÑ¿«“<]|\s*$)", long)
            assert 2 <= len(sentences) <= 6, (item["id"], language, len(sentences))
            assert len(long) > len(short), (item["id"], language)


def test_long_texts_give_an_example(raw):
    for item in raw["terms"]:
        assert "Example:" in item["long"]["en"], item["id"]
        assert "Ejemplo:" in item["long"]["es"], item["id"]


def test_spanish_texts_are_spanish_and_english_texts_are_english(raw):
    for item in raw["terms"]:
        for part in ("short", "long"):
            en, es = item[part]["en"], item[part]["es"]
            assert en != es, (item["id"], part)
            es_words, en_words = _words(es), _words(en)
            assert len(SPANISH_WORDS.intersection(es_words)) >= 2, (item["id"], part, es)
            assert len(ENGLISH_WORDS.intersection(es_words)) <= 1, (item["id"], part, es)
            assert len(ENGLISH_WORDS.intersection(en_words)) >= 1, (item["id"], part, en)
            assert len(SPANISH_WORDS.intersection(en_words)) <= 1, (item["id"], part, en)


def test_the_language_check_catches_an_untranslated_text():
    english = "Keeps only the k likeliest next tokens and throws the rest away."
    assert len(ENGLISH_WORDS.intersection(_words(english))) > 1
    assert len(SPANISH_WORDS.intersection(_words(english))) < 2


def test_see_also_points_to_existing_other_terms(raw):
    ids = {t["id"] for t in raw["terms"]}
    for item in raw["terms"]:
        assert item["see_also"], item["id"]
        assert item["id"] not in item["see_also"], item["id"]
        assert len(item["see_also"]) == len(set(item["see_also"])), item["id"]
        assert set(item["see_also"]) <= ids, (item["id"], set(item["see_also"]) - ids)


def test_no_alias_leads_to_two_terms(glossary):
    owner = {}
    for term in glossary:
        for name in (term.id, *term.aliases):
            key = " ".join(fold(name).replace("-", " ").replace("_", " ").split())
            assert owner.setdefault(key, term.id) == term.id, (name, owner[key], term.id)


def test_every_parameter_and_the_seed_have_an_entry(glossary):
    for name in [*SPECS, "seed"]:
        term = glossary.get(name)
        assert term is not None and term.id == name, name
        for language in LANGUAGES:
            assert glossary.tooltip(name, language) == term.text("short", language)


def test_the_concepts_a_teacher_explains_are_all_there(glossary):
    for name in (
        "model size", "dense", "mixture of experts", "distilled", "quantized", "pruned", "compact", "rag",
        "multimodal", "lora", "embedded", "context window", "fine-tuning", "quantization", "merge",
        "censorship", "inference providers", "f32", "f16", "bf16", "q8_0", "q4_k_m", "q4_1", "architecture",
        "pre-training data", "hardware", "token", "tokenizer", "vocabulary", "logits", "probability",
        "entropy", "sampling", "greedy", "prompt template", "chat template", "system prompt",
        "special tokens", "bos", "eos", "stop sequence", "kv cache", "time to first token",
        "tokens per second", "gpu offload", "gpu layers", "gguf", "hallucination", "speculative decoding",
        "draft model",
    ):
        assert glossary.get(name) is not None, name


def test_lookup_by_id_or_alias_ignores_case_accents_and_separators(glossary):
    assert glossary.get("TOP-K").id == "top_k"
    assert glossary.get("top k").id == "top_k"
    assert glossary.get("Temperatura").id == "temperature"
    assert glossary.get("cuantizacion").id == "quantization"
    assert glossary.get("Cuantización").id == "quantization"
    assert glossary.get("n_gpu_layers").id == "gpu_offload"
    assert glossary.get("Draft model").id == "speculative_decoding"
    assert glossary["fp16"].id == "f16"
    assert glossary.get("no such thing") is None
    assert "seed" in glossary and "no such thing" not in glossary
    with pytest.raises(KeyError):
        glossary["no such thing"]


def test_search_is_accent_insensitive_in_spanish(glossary):
    for query, expected in (("entropia", "entropy"), ("atencion", "attention"), ("cuantizacion", "quantization")):
        assert glossary.search(query, "es")[0].id == expected
    # The accented query finds the same as the plain one.
    assert [t.id for t in glossary.search("Entropía", "es")] == [t.id for t in glossary.search("entropia", "es")]


def test_search_looks_in_the_chosen_language(glossary):
    # "poda" is Spanish for pruning: found by name in Spanish, and only by alias in English.
    assert glossary.search("poda", "es")[0].id == "pruning"
    in_spanish_text = {t.id for t in glossary.search("sorteo", "es")}
    assert {"temperature", "top_k", "sampling"} <= in_spanish_text
    in_english_text = {t.id for t in glossary.search("sorteo", "en")}
    assert in_english_text == {"sampling"}  # only through its alias


def test_search_ranks_names_above_mentions_and_matches_word_starts(glossary):
    results = [t.id for t in glossary.search("top", "en")]
    assert results[:2] == ["top_k", "top_p"]
    assert "stop_sequence" not in results  # "top" inside "stop" is not a match
    assert glossary.search("", "en") == glossary.sorted_terms("en")
    assert glossary.search("zzzz nothing", "es") == []
    assert glossary.search("   ", "es") == glossary.sorted_terms("es")


def test_language_falls_back_to_english(glossary):
    term = glossary.get("temperature")
    assert term.text("short", "fr") == term.text("short", "en")
    assert term.text("long", "es_MX") == term.text("long", "es")
    assert term.name("es-419") == "Temperatura"
    assert term.name(None) == "Temperature"
    assert [normalize_language(x) for x in ("es_ES", "ES", "pt_BR", "", None)] == ["es", "es", "en", "en", "en"]
    with pytest.raises(ValueError):
        term.text("summary", "en")


def test_a_missing_spanish_text_falls_back_to_english(tmp_path):
    path = tmp_path / "g.json"
    path.write_text(
        json.dumps(
            {
                "schema": 1,
                "terms": [
                    {
                        "id": "a",
                        "aliases": [],
                        "term": {"en": "A", "es": ""},
                        "short": {"en": "Short."},
                        "long": {"en": "Long.", "es": "Largo."},
                        "see_also": [],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    term = load_glossary(path).get("a")
    assert term.name("es") == "A"
    assert term.text("short", "es") == "Short."
    assert term.text("long", "es") == "Largo."


@pytest.mark.parametrize(
    "content, fragment",
    [
        (None, "does not exist"),
        ("{not json", "not valid JSON (line 1"),
        (json.dumps({"schema": 2, "terms": []}), "\"schema\": 1"),
        (json.dumps({"schema": 1, "terms": [{"aliases": []}]}), "term number 1 has no \"id\""),
        (
            json.dumps({"schema": 1, "terms": [{"id": "a", "term": {"es": "A"}, "short": {}, "long": {}}]}),
            "\"term\" of \"a\" needs a non-empty English",
        ),
        (
            json.dumps(
                {
                    "schema": 1,
                    "terms": [
                        {"id": "a", "term": {"en": "A"}, "short": {"en": "S."}, "long": {"en": "L."}, "see_also": ["b"]}
                    ],
                }
            ),
            "\"a\" refers to unknown terms: b",
        ),
        (
            json.dumps({"schema": 1, "terms": [{"id": "a", "aliases": "ab", "term": {"en": "A"}}]}),
            "must be lists of text",
        ),
    ],
)
def test_a_broken_file_gives_a_clear_sentence(tmp_path, content, fragment):
    path = tmp_path / "glossary.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    message = str(info.value)
    assert fragment in message
    assert str(path) in message and "Reinstall TinyChat" in message


def test_loading_is_cached(glossary):
    assert load_glossary() is glossary
