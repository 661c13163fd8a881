from tinychat.core.lessons import load_lessons
from tinychat.core.params import GenerationParams


def test_every_lesson_is_complete_in_english_and_spanish():
    lessons = load_lessons()
    assert {lesson.id for lesson in lessons} == {"identity", "syllogism", "snake", "ages", "squares"}
    for lesson in lessons:
        for part in ("title", "prompt", "shows"):
            assert lesson.text(part, "en") and lesson.text(part, "es")
            assert lesson.text(part, "es") != lesson.text(part, "en") or part == "title"
        assert GenerationParams().replace(**lesson.params).problems() == []


def test_unknown_language_falls_back_to_english():
    lesson = load_lessons()[0]
    assert lesson.text("prompt", "fr_FR") == lesson.text("prompt", "en")
    assert lesson.text("prompt", "es_MX") == lesson.text("prompt", "es")
