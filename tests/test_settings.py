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


# -- schema versions and migrations ---------------------------------------------------

from tinychat.core import settings as settings_module  # noqa: E402
from tinychat.core.settings import MIGRATIONS, SCHEMA_VERSION  # noqa: E402


def test_a_version_1_file_is_migrated_by_reading_its_version(tmp_path):
    """Version 1 wrote null for the automatic context size; version 2 has one type per setting."""
    target = tmp_path / "settings.json"
    target.write_text(json.dumps({"schema": 1, "settings": {"n_ctx": None, "last_model": "/m/a.gguf"}}))
    loaded = load_settings(target)
    assert loaded.n_ctx == 0 and loaded.last_model == "/m/a.gguf"
    assert not loaded.read_only and loaded.notice() == ""
    assert save_settings(loaded, target)
    assert json.loads(target.read_text())["schema"] == SCHEMA_VERSION == 3


def test_migrations_run_only_from_the_files_version(tmp_path, monkeypatch):
    ran = []
    monkeypatch.setattr(settings_module, "MIGRATIONS", [lambda d: ran.append(1) or d, lambda d: ran.append(2) or d])
    monkeypatch.setattr(settings_module, "SCHEMA_VERSION", 3)
    target = tmp_path / "settings.json"
    target.write_text(json.dumps({"schema": 2, "settings": {}}))
    load_settings(target)
    assert ran == [2]
    target.write_text(json.dumps({"schema": 1, "settings": {}}))
    ran.clear()
    load_settings(target)
    assert ran == [1, 2]
    assert len(MIGRATIONS) == SCHEMA_VERSION - 1 == 2


def test_a_corrupt_file_is_moved_aside_with_one_sentence(tmp_path):
    target = tmp_path / "settings.json"
    target.write_text('{"schema": 2, "settings": {"n_ctx": 51')
    loaded = load_settings(target)
    [aside] = list(tmp_path.glob("settings.json.unreadable-*"))
    assert aside.read_text() == '{"schema": 2, "settings": {"n_ctx": 51'
    assert loaded == Settings() and not loaded.read_only
    assert loaded.notice().startswith("Your settings file could not be read")
    assert aside.name in loaded.notice() and loaded.notice().count(".") >= 1
    save_settings(Settings(n_ctx=8), target)
    assert aside.read_text() == '{"schema": 2, "settings": {"n_ctx": 51'


def test_a_file_that_is_not_a_settings_object_counts_as_corrupt(tmp_path):
    target = tmp_path / "settings.json"
    for text in ("[1, 2]", '{"schema": "two", "settings": {}}', '{"schema": 2, "settings": []}'):
        target.write_text(text)
        assert load_settings(target).notice()
        assert not target.exists()


def test_a_file_from_a_newer_version_is_read_but_never_saved_over(tmp_path):
    target = tmp_path / "settings.json"
    original = json.dumps({"schema": SCHEMA_VERSION + 5, "settings": {"n_ctx": 2048, "theme": "dark", "hologram": 1}})
    target.write_text(original)
    loaded = load_settings(target)
    assert loaded.n_ctx == 2048 and loaded.theme == "dark"
    assert loaded.read_only
    assert "newer TinyChat" in loaded.notice()
    loaded.n_ctx = 512
    assert save_settings(loaded, target) is False
    assert target.read_text() == original


def test_each_value_of_the_wrong_type_falls_back_alone(tmp_path):
    target = tmp_path / "settings.json"
    target.write_text(json.dumps({"schema": 2, "settings": {
        "n_ctx": "big", "n_threads": 3, "classroom_mode": 1, "probability_view": True, "theme": "purple",
        "text_scale": 5000, "language": "es", "last_conversation": 7, "n_gpu_layers": True,
    }}))
    loaded = load_settings(target)
    assert (loaded.n_ctx, loaded.n_threads, loaded.classroom_mode, loaded.probability_view) == (0, 3, False, True)
    assert (loaded.theme, loaded.text_scale, loaded.language) == ("system", 100, "es")
    assert loaded.last_conversation == 7 and loaded.n_gpu_layers == 0
    assert loaded.notice() == ""


def test_the_notice_is_translated_when_shown_not_when_read(tmp_path):
    from tinychat.core import i18n

    target = tmp_path / "settings.json"
    target.write_text("nonsense")
    loaded = load_settings(target)
    i18n.set_translator(lambda context, text: "<" + context + ">" + text)
    try:
        assert loaded.notice().startswith("<Settings>Your settings file")
    finally:
        i18n.set_translator(lambda context, text: text)


def test_transient_fields_are_not_saved(tmp_path):
    target = tmp_path / "settings.json"
    save_settings(Settings(notice_source="x"), target)
    saved = json.loads(target.read_text())["settings"]
    assert "notice_source" not in saved and "read_only" not in saved and "language" in saved


def test_a_version_2_file_keeps_its_gpu_layers_and_gains_batch_and_flash_attention(tmp_path):
    """Version 2 had no automatic GPU layers: its 0 (written or by default) stays 0; new settings start automatic."""
    target = tmp_path / "settings.json"
    target.write_text(json.dumps({"schema": 2, "settings": {"n_threads": 2}}))
    loaded = load_settings(target)
    assert (loaded.n_gpu_layers, loaded.n_batch, loaded.flash_attn, loaded.n_threads) == (0, 0, "auto", 2)
    target.write_text(json.dumps({"schema": 2, "settings": {"n_gpu_layers": 12}}))
    assert load_settings(target).n_gpu_layers == 12
    assert Settings().n_gpu_layers == -2


def test_batch_gpu_layers_and_flash_attention_out_of_range_fall_back(tmp_path):
    target = tmp_path / "settings.json"
    target.write_text(json.dumps({"schema": 3, "settings": {"n_batch": -5, "n_gpu_layers": -7, "flash_attn": "max"}}))
    loaded = load_settings(target)
    assert (loaded.n_batch, loaded.n_gpu_layers, loaded.flash_attn) == (0, -2, "auto")
    target.write_text(json.dumps({"schema": 3, "settings": {"n_batch": 128, "n_gpu_layers": -2, "flash_attn": "off"}}))
    loaded = load_settings(target)
    assert (loaded.n_batch, loaded.n_gpu_layers, loaded.flash_attn) == (128, -2, "off")


def test_recent_servers_newest_first_without_keys(tmp_path):
    settings = Settings()
    for n in range(12):
        settings.remember_server(f"http://10.0.0.{n}:8080/v1", f"model-{n}")
    settings.remember_server("http://10.0.0.5:8080/v1", "other")
    assert settings.recent_servers[0] == {"url": "http://10.0.0.5:8080/v1", "model": "other"}
    assert len(settings.recent_servers) == settings_module.MAX_RECENT_SERVERS
    assert [s["url"] for s in settings.recent_servers].count("http://10.0.0.5:8080/v1") == 1
    path = tmp_path / "settings.json"
    save_settings(settings, path)
    assert "key" not in path.read_text()
    assert load_settings(path).recent_servers == settings.recent_servers


def test_broken_recent_servers_are_dropped_one_by_one(tmp_path):
    path = tmp_path / "settings.json"
    entries = [{"url": "http://a:1/v1", "model": "m"}, "text", {"model": "-"}, {"url": "http://b:1/v1", "model": 3}]
    path.write_text(json.dumps({"schema": SCHEMA_VERSION, "settings": {"recent_servers": entries, "theme": "dark"}}))
    settings = load_settings(path)
    assert settings.recent_servers == [{"url": "http://a:1/v1", "model": "m"}, {"url": "http://b:1/v1", "model": ""}]
    assert settings.theme == "dark"
    path.write_text(json.dumps({"schema": SCHEMA_VERSION, "settings": {"recent_servers": {"url": "x"}}}))
    assert load_settings(path).recent_servers == []


def test_speculative_settings_round_trip_and_a_file_without_them_reads_as_off(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema": SCHEMA_VERSION, "settings": {"theme": "dark"}}), encoding="utf-8")
    old = load_settings(path)
    assert (old.speculative, old.draft_model, old.show_drafts) == ("off", "", True)
    old.speculative, old.draft_model, old.show_drafts = "draft", "/models/tiny.gguf", False
    save_settings(old, path)
    again = load_settings(path)
    assert (again.speculative, again.draft_model, again.show_drafts) == ("draft", "/models/tiny.gguf", False)


def test_an_unknown_speculative_mode_falls_back_to_off(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema": SCHEMA_VERSION, "settings": {"speculative": "turbo"}}), encoding="utf-8")
    assert load_settings(path).speculative == "off"
