from tinychat.core.lessons import load_lessons
from tinychat.core.params import GenerationParams


def test_every_lesson_is_complete_in_english_and_spanish():
    lessons = load_lessons()
    assert {lesson.id for lesson in lessons} == {"temperature", "identity", "syllogism", "snake", "ages", "squares"}
    for lesson in lessons:
        for part in ("title", "prompt", "shows"):
            assert lesson.text(part, "en") and lesson.text(part, "es")
            assert lesson.text(part, "es") != lesson.text(part, "en") or part == "title"
        assert GenerationParams().replace(**lesson.params).problems() == []


def test_unknown_language_falls_back_to_english():
    lesson = load_lessons()[0]
    assert lesson.text("prompt", "fr_FR") == lesson.text("prompt", "en")
    assert lesson.text("prompt", "es_MX") == lesson.text("prompt", "es")


def test_every_lesson_isolates_its_parameter_with_the_other_samplers_neutral():
    busy = GenerationParams(temperature=0.9, top_k=40, top_p=0.9, min_p=0.05, repeat_penalty=1.2)
    for lesson in load_lessons():
        params = lesson.settings(busy)
        assert (params.top_k, params.top_p, params.min_p, params.repeat_penalty) == (0, 1.0, 0.0, 1.0), lesson.id
        for name, value in lesson.params.items():
            assert getattr(params, name) == value


def test_the_temperature_lesson_sweeps_temperature_with_one_seed():
    [lesson] = [lesson for lesson in load_lessons() if lesson.id == "temperature"]
    assert lesson.sweep == {"temperature": [0.0, 0.7, 1.5]}
    assert lesson.settings(GenerationParams()).seed == 1
