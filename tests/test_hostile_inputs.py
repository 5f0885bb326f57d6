"""Hostile files around screenkit: links planted where it writes, FIFOs where it reads.

Every case is the attack itself: a symbolic link planted under ``--out``, in
the subtitle folder or in the cache, pointing to a folder or file outside;
a FIFO given to every option that names a file. Each must be refused with one
line naming the planted thing (exit 2, or a finding, exit 1, for a path in a
manifest), and nothing may be written outside.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import assert_clean_error, run_cli, run_cli_subprocess

from toolkit.errors import ScreenkitError

# The smallest event that packages: one work, one French track, sidecar SRTs, no video work.
TINY_MANIFEST = """\
manifest_version: 1
event:
  id: tiny
  title: {en: Tiny}
  dates: {start: "2026-03-13", end: "2026-03-15"}
  time_zone: Europe/Paris
  venues:
    - id: hall
      name: Hall
      city: Paris
      country: FR
      screens:
        - {id: one, name: One}
  audience_languages:
    required: [fr]
  qc_profile: festival
works:
  - id: alpha
    title: {original: Alpha}
    original_language: en
    runtime: 6
    media:
      path: media/alpha.mp4
    subtitles:
      - {language: fr, path: subs/alpha.fr.srt}
    deliverables:
      sidecar: {formats: [srt]}
screenings:
  - id: first
    venue: hall
    screen: one
    start: "2026-03-14T19:00:00+01:00"
    works: [alpha]
"""

FRENCH = "1\n00:00:00,500 --> 00:00:02,700\nLe fleuve garde la mémoire.\n\n2\n00:00:03,000 --> 00:00:05,200\nChaque crue laisse une trace.\n"
VICTIM = "the victim's own content\n"
LINK_REFUSED = "is a symbolic link"
PIPE = "named pipe"


def tiny_event(folder: Path, manifest: str = TINY_MANIFEST) -> Path:
    (folder / "subs").mkdir(parents=True, exist_ok=True)
    (folder / "media").mkdir(exist_ok=True)
    (folder / "subs" / "alpha.fr.srt").write_text(FRENCH, encoding="utf-8")
    (folder / "media" / "alpha.mp4").write_bytes(b"not probed with --no-media")
    path = folder / "manifest.yaml"
    path.write_text(manifest, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below FOLDER and its bytes (links not followed)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder the attacker points links at: must hold exactly the victim afterwards."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "victim.txt").write_text(VICTIM, encoding="utf-8")
    return folder


def assert_untouched(outside: Path) -> None:
    assert snapshot(outside) == {"victim.txt": VICTIM.encode()}, sorted(snapshot(outside))


@pytest.fixture
def packaged(tmp_path: Path) -> tuple[Path, Path]:
    """(manifest, out): the tiny event packaged once, as a first run leaves it."""
    manifest = tiny_event(tmp_path / "event")
    out = tmp_path / "out"
    first = run_cli("package", str(manifest), "--out", str(out), "--no-media")
    assert first.code == 0, first.stderr
    return manifest, out


def plant_folder_link(place: Path, target: Path) -> None:
    shutil.rmtree(place)
    place.symlink_to(target, target_is_directory=True)


# ------------------------------------------------------------------ links under --out


@pytest.mark.parametrize("folder", ["alpha/sidecar", "alpha/subtitles", "alpha", ".screenkit"])
def test_package_refuses_a_folder_link_planted_under_out(
    packaged: tuple[Path, Path], outside: Path, folder: str
) -> None:
    manifest, out = packaged
    plant_folder_link(out / folder, outside)
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media")
    assert_clean_error(result, str(out / folder), LINK_REFUSED)
    assert_untouched(outside)


@pytest.mark.parametrize(
    "file", [".screenkit/last-run.json", ".screenkit/state.json", ".screenkit/lock", "alpha/sidecar/alpha.fr.srt",
             "report.json", "checksums.sha256"]
)
def test_package_refuses_a_file_link_planted_under_out(packaged: tuple[Path, Path], outside: Path, file: str) -> None:
    manifest, out = packaged
    (out / file).unlink()
    (out / file).symlink_to(outside / "victim.txt")
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media")
    assert_clean_error(result, str(out / file), LINK_REFUSED)
    assert_untouched(outside)


def test_a_link_planted_while_the_package_runs_is_not_written_through(
    packaged: tuple[Path, Path], outside: Path
) -> None:
    """After the first look at --out: each write walks from --out's descriptor again."""
    from toolkit.package.build import PackageOptions, build_package

    manifest, out = packaged
    (out / "alpha" / "sidecar" / "alpha.fr.srt").unlink()  # the sidecar step must run again

    def plant(event: str, step: object) -> None:
        if event == "started" and getattr(step, "kind", "") == "sidecar":
            plant_folder_link(out / "alpha" / "sidecar", outside)

    result = build_package(manifest, out, PackageOptions(check_media=False), on_event=plant)
    failed = {r.step: r for r in result.failed}
    assert "alpha/sidecar" in failed and failed["alpha/sidecar"].write_error
    assert str(out / "alpha" / "sidecar") in (failed["alpha/sidecar"].error or "")
    assert LINK_REFUSED in (failed["alpha/sidecar"].error or "")
    assert_untouched(outside)
    assert not (out / "report.json").exists() or result.report is None


def test_a_fifo_planted_under_out_is_refused_not_read(packaged: tuple[Path, Path]) -> None:
    manifest, out = packaged
    state = out / ".screenkit" / "state.json"
    state.unlink()
    os.mkfifo(state)
    with unblocking([state]):
        result = run_cli("package", str(manifest), "--out", str(out), "--no-media")
    assert_clean_error(result, str(state), PIPE)


def test_atomic_path_below_a_root_refuses_links_and_writes_nothing_outside(tmp_path: Path, outside: Path) -> None:
    from toolkit.fsutil import SymlinkRefused, atomic_path, confined, open_confined

    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    (root / "a" / "b").symlink_to(outside, target_is_directory=True)
    (root / "file.txt").symlink_to(outside / "victim.txt")
    with confined(root):
        for target, named in ((root / "a" / "b" / "c" / "x.txt", root / "a" / "b"), (root / "file.txt", root / "file.txt")):
            with pytest.raises(SymlinkRefused) as refused, atomic_path(target) as temporary:
                temporary.write_text("attack")
            assert refused.value.path == str(named)
        with pytest.raises(SymlinkRefused):
            os.close(open_confined(root / "a" / "b" / "lock", os.O_RDWR | os.O_CREAT))
    assert_untouched(outside)
    assert sorted(p.name for p in (root / "a").iterdir()) == ["b"]


# ------------------------------------------------------------------ the subtitle folder (review)


@pytest.fixture
def review_session(tmp_path: Path) -> Callable[[], object]:
    from toolkit.review.session import ReviewSession
    from toolkit.review.workset import load_workset

    manifest = tiny_event(tmp_path / "event", TINY_MANIFEST.replace(
        "{language: fr, path: subs/alpha.fr.srt}", "{language: fr, path: subs/alpha.fr.srt, origin: machine}"))

    def make() -> ReviewSession:
        return ReviewSession(load_workset([manifest]), cache_path=tmp_path / "cache.sqlite")

    return make


def test_review_journal_link_is_refused_not_appended_to(review_session: Callable[[], object], tmp_path: Path,
                                                        outside: Path) -> None:
    journal = tmp_path / "event" / "subs" / "alpha.fr.srt.review.jsonl"
    journal.symlink_to(outside / "victim.txt")
    session = review_session()
    key = session.workset.tracks[0].key  # type: ignore[attr-defined]
    with pytest.raises(ScreenkitError) as refused:
        session.edit(key, 0, "Le fleuve se souvient.")  # type: ignore[attr-defined]
    assert refused.value.path == str(journal) and LINK_REFUSED in str(refused.value)
    assert "\n" not in str(refused.value)
    assert_untouched(outside)


def test_review_journal_link_through_the_page_is_a_422_naming_it(review_session: Callable[[], object],
                                                                tmp_path: Path, outside: Path) -> None:
    from starlette.testclient import TestClient

    from toolkit.review.app import create_app

    journal = tmp_path / "event" / "subs" / "alpha.fr.srt.review.jsonl"
    journal.symlink_to(outside / "victim.txt")
    session = review_session()
    client = TestClient(create_app(session, "t"), raise_server_exceptions=False)  # type: ignore[arg-type]
    key = session.workset.tracks[0].key  # type: ignore[attr-defined]
    answer = client.post(f"/api/track/{key}/cue/0", json={"text": "Le fleuve se souvient."},
                         headers={"X-Review-Token": "t"})
    assert answer.status_code in (422, 400), answer.text
    assert LINK_REFUSED in answer.json()["error"]
    assert_untouched(outside)


def test_review_approve_does_not_write_the_track_through_a_link(review_session: Callable[[], object],
                                                                tmp_path: Path, outside: Path) -> None:
    """The track's folder replaced by a link after the session opened it: the approval refuses."""
    session = review_session()
    key = session.workset.tracks[0].key  # type: ignore[attr-defined]
    session.open(key)  # type: ignore[attr-defined]
    subs = tmp_path / "event" / "subs"
    shutil.copytree(subs, outside / "subs")
    plant_folder_link(subs, outside / "subs")
    before = snapshot(outside)
    with pytest.raises(ScreenkitError) as refused:
        session.approve(key, "Tester")  # type: ignore[attr-defined]
    assert LINK_REFUSED in str(refused.value) and str(subs) in str(refused.value)
    assert snapshot(outside) == before


# ------------------------------------------------------------------ the cache


def test_translation_cache_links_are_refused(tmp_path: Path, outside: Path) -> None:
    from toolkit.fsutil import SymlinkRefused
    from toolkit.translate.cache import TranslationCache

    cache = tmp_path / "xdg" / "screenkit"
    cache.mkdir(parents=True)
    for name in ("translations.sqlite", "translations.sqlite-wal"):
        planted = cache / name
        planted.symlink_to(outside / "victim.txt")
        with pytest.raises(SymlinkRefused) as refused:
            TranslationCache(planted.with_name("translations.sqlite"))
        assert refused.value.path == str(planted)
        planted.unlink()
    assert_untouched(outside)


def test_validate_refuses_links_planted_in_the_cache(tmp_path: Path, outside: Path) -> None:
    """The compiled schema and the unpacked language model live in the cache: links there are refused."""
    manifest = tiny_event(tmp_path / "event")
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg")}
    # A fresh process each time: one process reads the cache once and keeps what it read.
    assert run_cli_subprocess("validate", "--no-media", str(manifest), env=env).code == 0
    cache = tmp_path / "xdg" / "screenkit"
    entries = sorted(cache.iterdir())
    assert entries, "validate keeps nothing in the cache: this test would prove nothing"
    for entry in entries:
        moved = outside / entry.name
        shutil.move(entry, moved)
        entry.symlink_to(moved, target_is_directory=moved.is_dir())
        before = snapshot(outside)
        # The schema and the language model are read when the tracks' findings are not cached.
        no_cache = [] if entry.name == "validate" else ["--no-cache"]
        result = run_cli_subprocess("validate", "--no-media", *no_cache, str(manifest), env=env)
        assert_clean_error(result, str(entry), LINK_REFUSED)
        assert snapshot(outside) == before
        entry.unlink()
        shutil.move(moved, entry)


def test_the_font_cache_refuses_a_planted_link(tmp_path: Path, outside: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.fsutil import SymlinkRefused, cache_dir
    from toolkit.media import fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    (tmp_path / "xdg" / "screenkit").mkdir(parents=True)
    (tmp_path / "xdg" / "screenkit" / "fonts").symlink_to(outside, target_is_directory=True)
    assert cache_dir() == tmp_path / "xdg" / "screenkit"
    if fonts.packaged_collection() is None:
        pytest.skip("no packaged font collection in this environment")
    fonts._face_file.cache_clear()
    with pytest.raises(SymlinkRefused):
        fonts.packaged_face("Noto Sans CJK SC")
    fonts._face_file.cache_clear()
    assert_untouched(outside)


# ------------------------------------------------------------------ FIFOs for every file option


@contextlib.contextmanager
def unblocking(fifos: list[Path]) -> Iterator[list[Path]]:
    """Open the write end of each FIFO whenever a reader waits on it, so that a blocking open never
    hangs the test: the reader then reads an empty file, and the test sees the wrong outcome."""
    stop = threading.Event()
    opened: list[Path] = []

    def watch() -> None:
        while not stop.is_set():
            for fifo in fifos:
                try:
                    fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                except OSError:
                    continue  # ENXIO: nobody reads it
                opened.append(fifo)
                os.close(fd)
            stop.wait(0.02)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield opened
    finally:
        stop.set()
        thread.join()


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Path]:
    """Real files, and a FIFO of each kind of name."""
    from media_support import FACTORY

    files = {"srt": tmp_path / "good.en.srt", "clip": FACTORY.clip, "event": tmp_path / "event", "out": tmp_path / "o"}
    files["srt"].write_text("1\n00:00:01,000 --> 00:00:04,000\nThe river keeps its memory.\n", encoding="utf-8")
    files["manifest"] = tiny_event(files["event"])
    for name in ("fifo.en.srt", "fifo.json", "fifo.yaml", "fifo.mp4", "fifo.mkv", "fifo.ttf", "fifo.argosmodel",
                 "fifo.toml"):
        os.mkfifo(tmp_path / name)
        files[name] = tmp_path / name
    return files


def _event_with(world: dict[str, Path], old: str, new: str, fifo_name: str) -> Path:
    manifest = world["manifest"]
    manifest.write_text(TINY_MANIFEST.replace(old, new), encoding="utf-8")
    fifo = world["event"] / fifo_name
    fifo.parent.mkdir(parents=True, exist_ok=True)
    if fifo.exists():
        fifo.unlink()
    os.mkfifo(fifo)
    return fifo


# (id, the FIFO's name in `world`, the command line: {name} → that file)
CASES = [
    ("lint FILE", "fifo.en.srt", ["lint", "{fifo.en.srt}"]),
    ("lint --profile", "fifo.json", ["lint", "--profile", "{fifo.json}", "{srt}"]),
    ("lint --profile toml", "fifo.toml", ["lint", "--profile", "{fifo.toml}", "{srt}"]),
    ("convert IN", "fifo.en.srt", ["convert", "{fifo.en.srt}", "-o", "{out}/x.vtt"]),
    ("convert --video", "fifo.mp4", ["convert", "{srt}", "-o", "{out}/x.ass", "--video", "{fifo.mp4}"]),
    ("convert --font", "fifo.ttf", ["convert", "{srt}", "-o", "{out}/x.xml", "--to", "dcp-smpte", "--font", "{fifo.ttf}"]),
    ("retime IN", "fifo.en.srt", ["retime", "{fifo.en.srt}", "--shift", "1s", "-o", "{out}/x.srt"]),
    ("validate MANIFEST", "fifo.yaml", ["validate", "{fifo.yaml}"]),
    ("package MANIFEST", "fifo.yaml", ["package", "{fifo.yaml}", "--out", "{out}"]),
    ("probe VIDEO", "fifo.mp4", ["probe", "{fifo.mp4}"]),
    ("burn VIDEO", "fifo.mp4", ["burn", "{fifo.mp4}", "--subs", "en={srt}", "-o", "{out}/x.mp4"]),
    ("burn --subs", "fifo.en.srt", ["burn", "{clip}", "--subs", "en={fifo.en.srt}", "-o", "{out}/x.mp4"]),
    ("burn --font", "fifo.ttf", ["burn", "{clip}", "--subs", "en={srt}", "--font", "{fifo.ttf}", "-o", "{out}/x.mp4"]),
    ("mux VIDEO", "fifo.mp4", ["mux", "{fifo.mp4}", "--subs", "en={srt}", "-o", "{out}/x.mkv"]),
    ("mux --subs", "fifo.en.srt", ["mux", "{clip}", "--subs", "en={fifo.en.srt}", "-o", "{out}/x.mkv"]),
    ("extract VIDEO", "fifo.mkv", ["extract", "{fifo.mkv}", "--out-dir", "{out}"]),
    ("sync VIDEO", "fifo.mp4", ["sync", "{fifo.mp4}", "--subs", "{srt}", "-o", "{out}/x.srt"]),
    ("sync --subs", "fifo.en.srt", ["sync", "{clip}", "--subs", "{fifo.en.srt}", "-o", "{out}/x.srt"]),
    ("sync --reference", "fifo.en.srt", ["sync", "--subs", "{srt}", "--reference", "{fifo.en.srt}", "-o", "{out}/x.srt"]),
    ("translate --glossary", "fifo.json", ["translate", "{srt}", "--to", "fr", "--glossary", "{fifo.json}", "--out-dir", "{out}"]),
    ("review FILE", "fifo.en.srt", ["review", "{fifo.en.srt}", "--no-browser"]),
    ("review --glossary", "fifo.json", ["review", "{srt}", "--glossary", "{fifo.json}", "--no-browser"]),
    ("models install FILE", "fifo.argosmodel", ["models", "install", "{fifo.argosmodel}"]),
]


@pytest.mark.parametrize(("fifo_name", "template"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_a_fifo_for_a_file_option_is_refused_without_blocking(
    world: dict[str, Path], fifo_name: str, template: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import toolkit.review.server as server

    def no_serving(*args: object, **kwargs: object) -> None:
        raise AssertionError("the review server started: the FIFO was not refused")

    monkeypatch.setattr(server, "serve", no_serving)
    fifo = world[fifo_name]
    args = [_fill(part, world) for part in template]
    empty = tmp_path / "models"
    empty.mkdir()
    with unblocking([fifo]):
        result = run_cli(*args, env={"XDG_CACHE_HOME": str(tmp_path / "xdg"), "ARGOS_PACKAGES_DIR": str(empty)})
    assert_clean_error(result, str(fifo), PIPE)
    out = world["out"]
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()], sorted(out.rglob("*"))


def test_a_fifo_among_the_files_of_translate_fails_that_input(world: dict[str, Path], tmp_path: Path) -> None:
    """A batch: the FIFO is one failed input (exit 1), named on its own line, never read."""
    fifo = world["fifo.en.srt"]
    empty = tmp_path / "models"
    empty.mkdir()
    with unblocking([fifo]):
        result = run_cli("translate", str(fifo), "--to", "fr", "--out-dir", str(world["out"]),
                         env={"XDG_CACHE_HOME": str(tmp_path / "xdg"), "ARGOS_PACKAGES_DIR": str(empty)})
    assert result.code == 1 and "Traceback" not in result.stderr
    assert f"{fifo}: is a named pipe (FIFO)" in result.stderr.splitlines()[0]
    assert not world["out"].exists() or not any(world["out"].iterdir())


def _fill(part: str, world: dict[str, Path]) -> str:
    for key, value in world.items():
        part = part.replace("{" + key + "}", str(value))
    return part


@pytest.mark.parametrize(
    ("old", "new", "fifo_name", "code"),
    [
        ("qc_profile: festival", "qc_profile: fifo-profile.json", "fifo-profile.json", "M404"),
        ("path: media/alpha.mp4", "path: media/fifo.mp4", "media/fifo.mp4", "M302"),
        ("path: subs/alpha.fr.srt", "path: subs/fifo.fr.srt", "subs/fifo.fr.srt", "M302"),
    ],
    ids=["event.qc_profile", "media.path", "subtitles.path"],
)
@pytest.mark.parametrize("command", ["validate", "package"])
def test_a_fifo_named_by_the_manifest_is_a_finding_without_blocking(
    world: dict[str, Path], old: str, new: str, fifo_name: str, code: str, command: str
) -> None:
    fifo = _event_with(world, old, new, fifo_name)
    args = [command, str(world["manifest"])] + (["--out", str(world["out"])] if command == "package" else [])
    with unblocking([fifo]):
        result = run_cli(*args)
    output = result.stdout + result.stderr
    assert result.code == 1, output
    assert f"{code} [error]" in output and PIPE in output, output
    assert "Traceback" not in output
    assert not world["out"].exists()


def test_a_fifo_as_the_glossary_of_the_library_is_refused(world: dict[str, Path]) -> None:
    from toolkit.translate.glossary import load_glossary

    with unblocking([world["fifo.yaml"]]), pytest.raises(ScreenkitError) as refused:
        load_glossary(world["fifo.yaml"])
    assert refused.value.path == str(world["fifo.yaml"]) and PIPE in refused.value.message
