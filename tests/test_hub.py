"""Hugging Face access against a real HTTP server on 127.0.0.1 speaking the Hub's API."""

from __future__ import annotations

import hashlib
import shutil
import threading
from collections import namedtuple

import keyring
import keyring.backend
import keyring.backends.fail
import pytest

from gguf_files import write_tiny_gguf
from hf_server import GOOD_TOKEN, fake_hub  # noqa: F401 - the fixture
from tinychat.core import hub, paths
from tinychat.core.gguf_info import GGUFInfoError

REPO = "school/Tiny-GGUF"
FILE = "tiny-model.Q8_0.gguf"


@pytest.fixture(scope="module")
def model_bytes(tmp_path_factory):
    path = write_tiny_gguf(tmp_path_factory.mktemp("g") / "m.gguf", vocab=1000, embedding=128)
    return path.read_bytes()


@pytest.fixture
def repo(fake_hub, model_bytes):  # noqa: F811
    fake_hub.add_repo(REPO, {
        FILE: model_bytes,
        "tiny-model.Q4_K_M.gguf": model_bytes[: len(model_bytes) // 2] + b"\0" * 10,
        "big-IQ4_XS-00001-of-00002.gguf": b"part one" * 100,
        "big-IQ4_XS-00002-of-00002.gguf": b"part two" * 100,
        "README.md": b"# hello",
        "../../evil.gguf": b"x",
    })
    return fake_hub


def header(request, name):
    return {k.lower(): v for k, v in request.headers.items()}.get(name.lower())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_list_groups_split_files_and_refuses_traversal(repo):
    listing = hub.list_gguf_files(REPO)
    names = [m.name for m in listing.models]
    assert names == ["big-IQ4_XS-00001-of-00002.gguf", "tiny-model.Q4_K_M.gguf", FILE]
    split = listing.models[0]
    assert split.is_split and split.complete and split.size == 1600
    assert split.quantization == "IQ4_XS"
    single = listing.find(FILE)
    assert single.quantization == "Q8_0"
    assert single.files[0].sha256 == sha256(repo.repos[REPO].files[FILE])
    assert single.size == len(repo.repos[REPO].files[FILE])
    assert listing.refused_names == ("../../evil.gguf",)
    assert listing.revision == "a" * 40


def test_download_verifies_and_installs(repo, model_bytes):
    seen = []
    path = hub.download(REPO, FILE, progress=seen.append)
    assert path == paths.models_dir() / FILE
    assert sha256(path.read_bytes()) == sha256(model_bytes)
    assert not (paths.models_dir() / (FILE + ".part")).exists()
    assert seen[-1].phase == "verifying" and seen[-1].done == len(model_bytes)
    assert any(p.phase == "downloading" and p.total == len(model_bytes) for p in seen)
    [installed] = hub.installed_models()
    assert installed.name == FILE and installed.repo == REPO and installed.sha256 == sha256(model_bytes)
    with pytest.raises(hub.HubError) as err:
        hub.download(REPO, FILE)
    assert err.value.kind == "exists"


def test_resume_after_the_server_drops_mid_file(repo, model_bytes):
    cut = len(model_bytes) // 3
    repo.drop_after[FILE] = cut
    path = hub.download(REPO, FILE)
    gets = repo.file_requests(FILE)
    assert len(gets) == 2
    assert header(gets[0], "Range") is None
    assert header(gets[1], "Range") == f"bytes={cut}-"
    assert sha256(path.read_bytes()) == sha256(model_bytes)


def test_dropped_download_is_kept_and_resumed_by_a_later_call(repo, model_bytes):
    cut = len(model_bytes) // 2
    repo.drop_after[FILE] = cut
    with pytest.raises(hub.HubError) as err:
        hub.download(REPO, FILE, retries=0)
    assert err.value.kind == "network"
    assert "go on from" in str(err.value)
    assert hub.partial_size(FILE) == cut
    assert hub.installed_models() == []  # half a file is not a model
    path = hub.download(REPO, FILE)
    assert header(repo.file_requests(FILE)[-1], "Range") == f"bytes={cut}-"
    assert sha256(path.read_bytes()) == sha256(model_bytes)


def test_cancel_then_resume(repo, model_bytes):
    repo.chunk_delay = 0.01
    repo.chunk_size = 16 * 1024
    cancel = threading.Event()

    def progress(p):
        if p.done >= len(model_bytes) // 4:
            cancel.set()

    with pytest.raises(hub.DownloadCancelled):
        hub.download(REPO, FILE, progress=progress, cancel=cancel)
    kept = hub.partial_size(FILE)
    assert 0 < kept < len(model_bytes)
    assert hub.installed_models() == []
    repo.chunk_delay = 0
    path = hub.download(REPO, FILE)
    assert header(repo.file_requests(FILE)[-1], "Range") == f"bytes={kept}-"
    assert sha256(path.read_bytes()) == sha256(model_bytes)


def test_part_of_another_version_is_not_resumed(repo, model_bytes):
    part = paths.models_dir() / (FILE + ".part")
    part.write_bytes(b"old bytes of another version")
    path = hub.download(REPO, FILE)
    assert all(header(r, "Range") is None for r in repo.file_requests(FILE))
    assert path.read_bytes() == model_bytes


def test_hash_mismatch_deletes_and_lists_nothing(repo):
    repo.corrupt.add(FILE)
    with pytest.raises(hub.HubError) as err:
        hub.download(REPO, FILE)
    assert err.value.kind == "hash_mismatch"
    assert "checksum" in str(err.value)
    assert hub.installed_models() == []
    assert hub.partial_size(FILE) == 0
    assert sorted(p.name for p in paths.models_dir().iterdir()) == []


def test_plain_git_file_is_checked_against_its_blob_id(fake_hub, model_bytes):  # noqa: F811
    fake_hub.add_repo("school/plain", {"small.gguf": model_bytes}, lfs=False)
    assert hub.download("school/plain", "small.gguf").read_bytes() == model_bytes
    fake_hub.corrupt.add("small.gguf")
    hub.remove_model("small.gguf")
    with pytest.raises(hub.HubError, match="checksum"):
        hub.download("school/plain", "small.gguf")


def test_gated_repo(fake_hub, model_bytes):  # noqa: F811
    fake_hub.add_repo("meta/gated", {FILE: model_bytes}, gated=True)
    with pytest.raises(hub.HubError) as err:
        hub.download("meta/gated", FILE)
    assert err.value.kind == "gated"
    assert "accept the licence on the model page" in str(err.value)
    assert "then add a token" in str(err.value)
    fake_hub.valid_tokens["hf_other"] = "someone"
    with pytest.raises(hub.HubError) as err:
        hub.download("meta/gated", FILE, token="hf_other")  # a real account without access: 403
    assert err.value.kind == "gated"
    with pytest.raises(hub.HubError) as err:
        hub.download("meta/gated", FILE, token="hf_wrong")
    assert err.value.kind == "bad_token"
    assert hub.download("meta/gated", FILE, token=GOOD_TOKEN).read_bytes() == model_bytes
    assert header(fake_hub.file_requests(FILE)[-1], "Authorization") == f"Bearer {GOOD_TOKEN}"


def test_wrong_token_when_listing(repo):
    with pytest.raises(hub.HubError) as err:
        hub.list_gguf_files(REPO, token="hf_wrong")
    assert err.value.kind == "bad_token"


def test_no_token_is_sent_behind_the_users_back(repo, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", "hf_from_the_environment")
    hub.list_gguf_files(REPO)
    hub.download(REPO, FILE)
    assert all(header(r, "Authorization") is None for r in repo.requests)


def test_unknown_repo_and_file(repo):
    with pytest.raises(hub.HubError) as err:
        hub.list_gguf_files("nobody/nothing")
    assert err.value.kind == "not_found" and "nobody/nothing" in str(err.value)
    with pytest.raises(hub.HubError) as err:
        hub.download(REPO, "missing.gguf")
    assert err.value.kind == "file_not_found"
    with pytest.raises(hub.HubError) as err:
        hub.list_gguf_files("not a repo id!")
    assert err.value.kind in {"invalid", "not_found"}


def test_repo_without_gguf(fake_hub):  # noqa: F811
    fake_hub.add_repo("CEGTEdicion/Llama-3.2-1B-espanol", {"model.safetensors": b"x", "config.json": b"{}"})
    with pytest.raises(hub.HubError) as err:
        hub.list_gguf_files("CEGTEdicion/Llama-3.2-1B-espanol")
    assert err.value.kind == "no_gguf"
    assert "-GGUF" in str(err.value) and "convert" in str(err.value)


@pytest.mark.parametrize("name", ["../../x.gguf", "/etc/x.gguf", "C:\\x.gguf", "sub/../../x.gguf", "..\\x.gguf"])
def test_traversal_names_are_refused(repo, name, tmp_path):
    with pytest.raises(hub.HubError) as err:
        hub.download(REPO, name)
    assert err.value.kind == "unsafe_name"
    assert repo.requests == []
    assert not (tmp_path / "x.gguf").exists()


def test_files_in_folders_land_flat(fake_hub, model_bytes):  # noqa: F811
    fake_hub.add_repo("school/folders", {"Q8_0/inner.Q8_0.gguf": model_bytes})
    listing = hub.list_gguf_files("school/folders")
    path = hub.download_model(listing.models[0])[0]
    assert path == paths.models_dir() / "inner.Q8_0.gguf"


def test_free_disk_is_checked_before_starting(repo, monkeypatch):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(hub.HubError) as err:
        hub.download(REPO, FILE)
    assert err.value.kind == "disk_full"
    assert "Not enough free disk space" in str(err.value)
    assert repo.file_requests(FILE) == []
    assert hub.installed_models() == []


def test_network_down(monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")  # nothing listens there
    with pytest.raises(hub.HubError) as err:
        hub.list_gguf_files(REPO)
    assert err.value.kind == "network"
    with pytest.raises(hub.HubError) as err:
        hub.download(REPO, FILE)
    assert err.value.kind == "network"


def test_search(repo, fake_hub):  # noqa: F811
    fake_hub.add_repo("other/thing", {"a.gguf": b"a"})
    hits = hub.search_models("tiny")
    assert [h.repo for h in hits] == [REPO]
    assert hits[0].has_gguf_tag
    assert hub.search_models("   ") == []


def test_queue_runs_several_and_cancels_a_queued_one(repo):
    listing = hub.list_gguf_files(REPO)
    queue = hub.DownloadQueue()
    first = queue.add(listing.find(FILE))
    second = queue.add(listing.models[0])  # the split model: both parts
    third = queue.add(listing.find("tiny-model.Q4_K_M.gguf"))
    queue.cancel(third.id)
    states = []
    queue.run(on_state=lambda job: states.append((job.id, job.state)))
    assert first.state == second.state == "done"
    assert third.state == "cancelled"
    assert len(second.paths) == 2
    assert states == [(1, "running"), (1, "done"), (2, "running"), (2, "done")]
    installed = {m.name: m for m in hub.installed_models()}
    assert set(installed) == {FILE, "big-IQ4_XS-00001-of-00002.gguf"}
    assert installed["big-IQ4_XS-00001-of-00002.gguf"].complete
    assert len(installed["big-IQ4_XS-00001-of-00002.gguf"].parts) == 2
    queue.retry(third.id)
    queue.run()
    assert third.state == "done"


def test_queue_reports_failures_and_goes_on(repo):
    listing = hub.list_gguf_files(REPO)
    repo.corrupt.add(FILE)
    queue = hub.DownloadQueue()
    bad = queue.add(listing.find(FILE))
    good = queue.add(listing.find("tiny-model.Q4_K_M.gguf"))
    queue.run()
    assert bad.state == "failed" and bad.error_kind == "hash_mismatch"
    assert good.state == "done"


# --- installed models ------------------------------------------------------


def test_installed_skips_partial_and_incomplete_split(tmp_path):
    folder = paths.models_dir()
    write_tiny_gguf(folder / "a.gguf")
    (folder / "b.gguf.part").write_bytes(b"half")
    (folder / "c-00001-of-00002.gguf").write_bytes(b"one")
    (folder / "notes.txt").write_text("hi")
    models = {m.name: m for m in hub.installed_models()}
    assert set(models) == {"a.gguf", "c-00001-of-00002.gguf"}
    assert not models["c-00001-of-00002.gguf"].complete


def test_catalog_warning_follows_the_file():
    write_tiny_gguf(paths.models_dir() / "tinyllama-1.1b-32k-instruct.Q8_0.gguf")
    [model] = hub.installed_models()
    assert model.entry.id == "tinyllama-1.1b-32k-instruct"
    assert "toxic-DPO" in model.warning


def test_import_and_remove(tmp_path):
    source = write_tiny_gguf(tmp_path / "mine.Q8_0.gguf")
    target = hub.import_gguf(source)
    assert target.read_bytes() == source.read_bytes()
    assert source.exists()  # copied, not moved
    with pytest.raises(hub.HubError) as err:
        hub.import_gguf(source)
    assert err.value.kind == "exists"
    assert [m.name for m in hub.installed_models()] == ["mine.Q8_0.gguf"]
    assert hub.remove_model("mine.Q8_0.gguf") == [target]
    assert hub.installed_models() == []
    with pytest.raises(hub.HubError) as err:
        hub.remove_model("mine.Q8_0.gguf")
    assert err.value.kind == "not_found"


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda d: d / "nothing.gguf", "does not exist"),
        (lambda d: d, "is a folder"),
        (lambda d: (d / "x.gguf").write_bytes(b"<html>not a model</html>") and d / "x.gguf", "not a GGUF model file"),
        (lambda d: write_tiny_gguf(d / "m.gguf", arch="martian"), "does not know"),
    ],
)
def test_import_refuses_what_is_not_a_model(tmp_path, make, fragment):
    write_tiny_gguf(paths.models_dir() / "keep.gguf")
    with pytest.raises(GGUFInfoError, match=fragment):
        hub.import_gguf(make(tmp_path))
    assert [m.name for m in hub.installed_models()] == ["keep.gguf"]  # others untouched


def test_import_of_a_truncated_file(tmp_path):
    data = write_tiny_gguf(tmp_path / "full.gguf").read_bytes()
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(data[: len(data) - 100])
    with pytest.raises(GGUFInfoError, match="cut short"):
        hub.import_gguf(cut)
    assert hub.installed_models() == []


# --- the token ---------------------------------------------------------------


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.store = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


@pytest.fixture
def use_keyring():
    previous = keyring.get_keyring()

    def use(backend):
        keyring.set_keyring(backend)
        return backend

    yield use
    keyring.set_keyring(previous)
    hub.forget_token()


def test_token_in_the_keyring(use_keyring):
    ring = use_keyring(MemoryKeyring())
    result = hub.save_token("  hf_abc  ")
    assert result.persisted
    assert ring.store == {("TinyChat", "huggingface"): "hf_abc"}
    assert hub.load_token() == "hf_abc"
    hub.forget_token()
    assert hub.load_token() is None and ring.store == {}


def test_no_keyring_keeps_the_token_for_this_session_only(use_keyring):
    use_keyring(keyring.backends.fail.Keyring())
    result = hub.save_token("hf_abc")
    assert not result.persisted
    assert "no password keyring" in result.message
    assert hub.load_token() == "hf_abc"
    hub.forget_token()
    assert hub.load_token() is None


def test_validate_token(fake_hub):  # noqa: F811
    assert hub.validate_token(GOOD_TOKEN) == "student"
    with pytest.raises(hub.HubError) as err:
        hub.validate_token("hf_wrong")
    assert err.value.kind == "bad_token"
    with pytest.raises(hub.HubError) as err:
        hub.validate_token("  ")
    assert err.value.kind == "bad_token"


def test_download_through_a_cdn_redirect(repo, model_bytes):
    """The real Hub redirects LFS files to signed CDN addresses: no token goes there, and an
    expired address (403) is asked for again and the download goes on."""
    repo.repos[REPO].gated = True
    repo.cdn = True
    repo.cdn_fail_once = True
    repo.drop_after[FILE] = len(model_bytes) // 2
    path = hub.download(REPO, FILE, token=GOOD_TOKEN)
    assert path.read_bytes() == model_bytes
    cdn = [r for r in repo.requests if r.path.startswith("/cdn/")]
    assert len(cdn) == 3  # expired, dropped mid-file, resumed
    assert all(header(r, "Authorization") is None for r in cdn)
    assert header(cdn[-1], "Range") == f"bytes={len(model_bytes) // 2}-"
    assert header(repo.file_requests(FILE, "HEAD")[0], "Authorization") == f"Bearer {GOOD_TOKEN}"


# Module state set by one test must not reach the next: the two tests below run in this order.
def test_a_token_kept_for_this_session_only():
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        assert not hub.save_token("hf_session_only").persisted
        assert hub.load_token() == "hf_session_only"
    finally:
        keyring.set_keyring(previous)


def test_the_next_test_does_not_inherit_that_token():
    assert hub._session_token is None
# --- a broken or hostile server -------------------------------------------------------


def test_more_bytes_than_announced_stop_the_download(repo, model_bytes):
    repo.overflow[FILE] = 5 * 1024 * 1024
    with pytest.raises(hub.HubError) as caught:
        hub.download(REPO, FILE)
    assert caught.value.kind == "server" and "more of" in str(caught.value)
    assert hub.partial_size(FILE) == 0 and hub.installed_models() == []


def test_a_file_without_a_published_hash_is_refused(repo):
    repo.no_hash = True
    listing = hub.list_gguf_files(REPO)
    assert listing.find(FILE).files[0].sha256 is None
    with pytest.raises(hub.HubError) as caught:
        hub.download(REPO, FILE)
    assert caught.value.kind == "no_hash" and "no checksum" in str(caught.value)
    assert hub.installed_models() == [] and not repo.file_requests(FILE, "GET")


def test_cancel_works_while_the_server_sends_nothing(repo, model_bytes):
    repo.stall_after[FILE] = 1000
    cancel = threading.Event()
    timer = threading.Timer(0.5, cancel.set)
    timer.start()
    try:
        with pytest.raises(hub.DownloadCancelled):
            hub.download(REPO, FILE, cancel=cancel)
    finally:
        timer.cancel()
    assert hub.partial_size(FILE) == 1000


def test_a_redirect_loop_is_a_sentence_and_the_queue_goes_on(repo):
    repo.cdn = True
    repo.cdn_loop.add(FILE)
    listing = hub.list_gguf_files(REPO)
    queue = hub.DownloadQueue()
    looping = queue.add(listing.find(FILE))
    fine = queue.add(listing.find("tiny-model.Q4_K_M.gguf"))
    queue.run()
    assert looping.state == "failed" and "redirect loop" in looping.error
    assert "Traceback" not in looping.error
    assert fine.state == "done"


def test_a_malformed_hub_answer_is_a_sentence(repo):
    repo.broken_json = True
    with pytest.raises(hub.HubError) as caught:
        hub.list_gguf_files(REPO)
    assert "could not understand" in str(caught.value)
