import json

from tinychat.core import paths
from tinychat.core.params import GenerationParams
from tinychat.core.settings import Settings, load_settings, save_settings


def test_round_trip(tmp_path):
    target = tmp_path / "settings.json"
    settings = Settings(last_model="/m/a.gguf", n_gpu_layers=-1, n_ctx=2048)
    settings.remember_params("a.gguf", GenerationParams(temperature=1.3, seed=9))
    save_settings(settings, target)
    loaded = load_settings(target)
    assert loaded == settings
    assert loaded.params_for("a.gguf") == GenerationParams(temperature=1.3, seed=9)
    assert loaded.params_for("other.gguf") is None


def test_default_location_is_the_data_dir(isolated_data_dir):
    save_settings(Settings(n_ctx=1024))
    assert paths.settings_file().parent == isolated_data_dir
    assert load_settings().n_ctx == 1024


def test_missing_file_gives_defaults(tmp_path):
    assert load_settings(tmp_path / "none.json") == Settings()


def test_unreadable_file_is_moved_aside_not_overwritten(tmp_path):
    target = tmp_path / "settings.json"
    target.write_text("{ this is not json")
    assert load_settings(target) == Settings()
    [aside] = list(tmp_path.glob("settings.json.unreadable-*"))
    assert aside.read_text() == "{ this is not json"


def test_unknown_keys_and_bad_params_are_ignored(tmp_path):
    target = tmp_path / "settings.json"
    target.write_text(json.dumps({"schema": 99, "settings": {"n_ctx": 512, "from_the_future": True,
                                                             "params_by_model": {"x.gguf": {"temperature": 50}}}}))
    loaded = load_settings(target)
    assert loaded.n_ctx == 512
    assert loaded.params_for("x.gguf") is None


def test_save_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "settings.json"
    save_settings(Settings(), target)
    save_settings(Settings(n_ctx=8), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]
