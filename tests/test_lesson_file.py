"""Lesson files: saved and opened again unchanged; hostile files refused with one sentence."""

import json

import pytest

from tinychat.core.lesson_file import (
    MAX_BYTES,
    LessonFileError,
    LessonPreset,
    load_lesson_file,
    lessons_dir,
    save_lesson_file,
    shared_lessons,
    slug,
)
from tinychat.core.params import GenerationParams


def sample() -> LessonPreset:
    return LessonPreset(
        title={"en": "The sea at three temperatures", "es": "El mar a tres temperaturas"},
        notes={"en": "Regenerate at 0, 0.7 and 1.5.", "es": "Regenera con 0, 0,7 y 1,5."},
        system_prompt="You are a poet who writes one line.",
        params=GenerationParams(temperature=0.7, top_k=0, top_p=1.0, min_p=0.0, max_new_tokens=48, seed=7),
        prompts=({"en": "Write one sentence about the sea.", "es": "Escribe una frase sobre el mar."},),
    )


def test_a_saved_lesson_opens_again_unchanged(tmp_path):
    path = save_lesson_file(tmp_path / slug("The sea at three temperatures"), sample())
    assert path.name == "the-sea-at-three-temperatures.tinychat-lesson.json"
    assert load_lesson_file(path) == sample()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == "tinychat-lesson" and data["version"] == 1
    assert data["params"]["seed"] == 7


def test_texts_fall_back_to_the_other_language(tmp_path):
    lesson = LessonPreset(title={"es": "Solo en español"}, params=GenerationParams(),
                          prompts=({"en": "Only English"},))
    again = load_lesson_file(save_lesson_file(tmp_path / "a.json", lesson))
    assert again.text("title", "en") == "Solo en español"
    assert again.prompt_texts("es_MX") == ["Only English"]
    assert again.text("notes", "en") == ""


def test_a_random_seed_and_whole_numbers_written_as_floats_are_accepted(tmp_path):
    path = tmp_path / "l.json"
    path.write_text(json.dumps({"format": "tinychat-lesson", "version": 1, "title": {"en": "x"},
                                "params": {"top_k": 40.0, "max_new_tokens": 64.0, "seed": None}}))
    lesson = load_lesson_file(path)
    assert lesson.params.seed is None
    assert isinstance(lesson.params.top_k, int) and lesson.params.max_new_tokens == 64


def hostile_cases():
    good = sample().to_dict()
    text = json.dumps(good)

    def changed(**parts):
        return json.dumps({**good, **parts})

    return {
        "truncated": (text[: len(text) // 2], "not complete JSON"),
        "empty": ("", "not complete JSON"),
        "not an object": ("[1, 2, 3]", "not a TinyChat lesson"),
        "another format": (changed(format="tinychat-chat"), "not a TinyChat lesson"),
        "newer version": (changed(version=9), "newer TinyChat"),
        "version as text": (changed(version="1"), "version"),
        "title a number": (changed(title=5), "title"),
        "no title": (changed(title={"fr": "Bonjour"}), "no title"),
        "title a list": (changed(title={"en": ["x"]}), "title"),
        "temperature as text": (changed(params={"temperature": "hot"}), "temperature"),
        "temperature true": (changed(params={"temperature": True}), "temperature"),
        "temperature too high": (changed(params={"temperature": 9.5}), "Temperature must be between"),
        "negative top-k": (changed(params={"top_k": -3}), "Top-k must be between"),
        "fractional top-k": (changed(params={"top_k": 2.5}), "whole number"),
        "NaN top-p": (text.replace('"top_p": 1.0', '"top_p": NaN'), "Top-p must be between"),
        "huge reply": (changed(params={"max_new_tokens": 10**9}), "more than"),
        "seed out of range": (changed(params={"seed": 2**40}), "seed"),
        "params a list": (changed(params=[0.7]), "sampler values"),
        "system prompt a number": (changed(system_prompt=3), "system prompt"),
        "long system prompt": (changed(system_prompt="x" * 9000), "longer than"),
        "prompts not a list": (changed(prompts="hello"), "starter prompts"),
        "too many prompts": (changed(prompts=[{"en": "p"}] * 21), "more than 20"),
        "deep nesting": ("[" * 50000 + "]" * 50000, ""),
        "not UTF-8": (b"\xff\xfe\x00{", "not text"),
    }


@pytest.mark.parametrize("case", list(hostile_cases()))
def test_hostile_lesson_files_are_one_sentence(tmp_path, case):
    content, expected = hostile_cases()[case]
    path = tmp_path / "hostile.tinychat-lesson.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(LessonFileError) as caught:
        load_lesson_file(path)
    message = str(caught.value)
    assert message.startswith("The lesson hostile.tinychat-lesson.json cannot be opened: ")
    assert expected.lower() in message.lower()
    assert "\n" not in message and "Traceback" not in message


def test_a_huge_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.seek(2 * 1024**3)  # a 2 GB sparse file: reading it whole would be the failure
        handle.write(b"}")
    with pytest.raises(LessonFileError, match=f"larger than {MAX_BYTES // 1024} kB"):
        load_lesson_file(path)


def test_a_folder_or_missing_file_is_a_sentence(tmp_path):
    with pytest.raises(LessonFileError, match="not a file"):
        load_lesson_file(tmp_path)
    with pytest.raises(LessonFileError, match="not a file"):
        load_lesson_file(tmp_path / "missing.json")


def test_saving_refuses_what_would_not_open_again(tmp_path):
    bad = LessonPreset(title={"en": "x"}, params=GenerationParams(temperature=5.0))
    with pytest.raises(LessonFileError, match="Temperature"):
        save_lesson_file(tmp_path / "bad.json", bad)
    assert not (tmp_path / "bad.json").exists()


def test_shared_lessons_skip_bad_files_and_say_why():
    folder = lessons_dir()
    save_lesson_file(folder / "good.tinychat-lesson.json", sample())
    (folder / "broken.tinychat-lesson.json").write_text("{", encoding="utf-8")
    lessons, problems = shared_lessons()
    assert lessons == [sample()]
    assert len(problems) == 1 and "broken.tinychat-lesson.json" in problems[0]
