import pytest

from tinychat.core.catalog import default_params_for, entry_by_id, starter_model_path
from tinychat.core.params import SEED_MAX, SPECS, GenerationParams, ParamError


def test_defaults_are_valid():
    assert GenerationParams().validated(n_ctx=2048) == GenerationParams()


@pytest.mark.parametrize(
    "field, value",
    [
        ("temperature", -0.1),
        ("temperature", 2.01),
        ("top_k", -1),
        ("top_k", 201),
        ("top_p", 1.5),
        ("min_p", -0.01),
        ("max_new_tokens", 0),
        ("repeat_penalty", 0.5),
    ],
)
def test_out_of_range_values_are_named(field, value):
    params = GenerationParams().replace(**{field: value})
    with pytest.raises(ParamError) as info:
        params.validated(n_ctx=2048)
    assert len(info.value.problems) == 1
    assert str(value) in str(info.value)


def test_every_problem_is_reported_at_once():
    params = GenerationParams(temperature=9, top_k=999, top_p=-1)
    assert len(params.problems()) == 3


def test_max_new_tokens_is_bounded_by_the_context():
    params = GenerationParams(max_new_tokens=3000)
    assert params.problems(n_ctx=4096) == []
    [problem] = params.problems(n_ctx=2048)
    assert "2,048" in problem  # as English writes numbers


def test_whole_numbers_and_types():
    assert GenerationParams(top_k=2.5).problems()
    assert GenerationParams(temperature="hot").problems()
    assert GenerationParams(top_k=True).problems()


def test_seed_fixed_random_and_range():
    assert GenerationParams(seed=123).resolve_seed() == 123
    seeds = {GenerationParams(seed=None).resolve_seed() for _ in range(20)}
    assert len(seeds) > 1 and all(0 <= s <= SEED_MAX for s in seeds)
    assert GenerationParams(seed=-1).problems()
    assert GenerationParams(seed=SEED_MAX + 1).problems()
    assert GenerationParams(seed=SEED_MAX).problems() == []


def test_round_trip_ignores_unknown_keys():
    params = GenerationParams(temperature=1.1, top_k=7, seed=5)
    data = params.to_dict() | {"future_option": 1}
    assert GenerationParams.from_dict(data) == params


def test_every_spec_has_help():
    assert set(SPECS) == {"temperature", "top_k", "top_p", "min_p", "max_new_tokens", "repeat_penalty"}
    assert all(spec.help and spec.label for spec in SPECS.values())


def test_tinyllama_chat_uses_its_cards_values():
    params = entry_by_id("tinyllama-1.1b-chat-v1.0").recommended_params()
    assert (params.temperature, params.top_k, params.top_p, params.max_new_tokens) == (0.7, 50, 0.95, 256)
    assert default_params_for("/models/tinyllama-1.1b-chat-v1.0.Q8_0.gguf") == params


def test_unknown_models_get_general_defaults():
    assert default_params_for("/models/something-else.gguf") == GenerationParams()


def test_starter_model_is_found_through_the_distribution():
    path = starter_model_path()
    assert path is not None and path.suffix == ".gguf" and path.stat().st_size > 50_000_000
    assert entry_by_id("smollm2-135m-instruct").matches_file(path)


def test_the_bounds_in_a_problem_follow_the_language(monkeypatch):
    monkeypatch.setenv("TINYCHAT_LANG", "es")
    [problem] = GenerationParams(temperature=2.5).problems()
    assert "0,00" in problem and "2,00" in problem and "2,5" in problem
