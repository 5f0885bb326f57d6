"""validate at catalogue scale: the tracks' findings cached by content, --jobs, the size cap."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import load_bench_module, run_cli
from manifest_kit import BASE_YAML, FRENCH_SRT, make_event, position_of

from toolkit.manifest import load_manifest, validate_manifest
from toolkit.manifest.cache import FILE_NAME, ValidationCache
from toolkit.manifest.checks import tracks


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """screenkit's cache folder for this test alone (the CLI finds it through XDG_CACHE_HOME)."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "screenkit" / "validate"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tracks really checked (not served from the cache), by file name."""
    seen: list[str] = []
    real = tracks.run_track

    def counting(job: tracks.TrackJob) -> list[tracks.Record]:
        seen.append(Path(job.path).name)
        return real(job)

    monkeypatch.setattr(tracks, "run_track", counting)
    return seen


# A track QC finds fault with (too short, too long a line), and a track in the wrong language.
BAD_EN = "1\n00:00:00,500 --> 00:00:01,000\nThe river keeps its memory here, and every flood leaves a mark.\n"
BROKEN = "1\n00:00:01,000 --> 00:00:02,000\nfine\n\n2\n00:00:0x --> nonsense\n"


def _texts(findings: list) -> list[str]:
    return [json.dumps(d.to_dict(), sort_keys=True) for d in findings]


def test_second_run_hits_a_changed_track_misses(tmp_path: Path, counted: list[str]) -> None:
    manifest = make_event(tmp_path / "event")
    (tmp_path / "event" / "subs" / "alpha.en.srt").write_text(BAD_EN, encoding="utf-8")
    cache = ValidationCache(tmp_path / "cache")
    cold = validate_manifest(manifest, check_media=False, cache=cache)
    assert sorted(counted) == ["alpha.en.srt", "alpha.fr.srt", "beta.en.srt"]
    assert {d.code for d in cold} >= {"SK101", "SK201"}
    uncached = validate_manifest(manifest, check_media=False)
    assert _texts(cold) == _texts(uncached)

    counted.clear()
    warm = validate_manifest(manifest, check_media=False, cache=ValidationCache(tmp_path / "cache"))
    assert counted == []  # every track from the cache
    assert _texts(warm) == _texts(cold)  # the same findings, at the same lines and pointers

    (tmp_path / "event" / "subs" / "beta.en.srt").write_text(FRENCH_SRT, encoding="utf-8")
    changed = validate_manifest(manifest, check_media=False, cache=ValidationCache(tmp_path / "cache"))
    assert counted == ["beta.en.srt"]  # only the changed track is checked again
    m402 = [d for d in changed if d.code == "M402"]
    assert [d.location.pointer for d in m402] == ["works[1].subtitles[0].language"]
    assert _texts(changed) == _texts(validate_manifest(manifest, check_media=False))


def test_what_a_track_is_checked_against_is_in_the_key(tmp_path: Path, counted: list[str]) -> None:
    """The same bytes under another runtime or another profile are checked again."""
    manifest = make_event(tmp_path / "event")
    cache_folder = tmp_path / "cache"
    validate_manifest(manifest, check_media=False, cache=ValidationCache(cache_folder))
    counted.clear()
    shorter = BASE_YAML.replace("runtime: 6\n    media:\n      path: media/beta", "runtime: 5\n    media:\n      path: media/beta")
    manifest.write_text(shorter, encoding="utf-8")
    findings = validate_manifest(manifest, check_media=False, cache=ValidationCache(cache_folder))
    assert counted == ["beta.en.srt"]
    assert [d.code for d in findings] == ["M403"]
    counted.clear()
    manifest.write_text(BASE_YAML.replace("qc_profile: festival", "qc_profile: netflix"), encoding="utf-8")
    validate_manifest(manifest, check_media=False, cache=ValidationCache(cache_folder))
    assert sorted(counted) == ["alpha.en.srt", "alpha.fr.srt"]  # beta.en: the same bytes and checks as alpha.en


def test_a_damaged_entry_or_cache_file_is_ignored(tmp_path: Path, counted: list[str]) -> None:
    manifest = make_event(tmp_path / "event")
    (tmp_path / "event" / "subs" / "alpha.en.srt").write_text(BAD_EN, encoding="utf-8")
    folder = tmp_path / "cache"
    expected = _texts(validate_manifest(manifest, check_media=False, cache=ValidationCache(folder)))
    database = folder / FILE_NAME
    with sqlite3.connect(database) as db:
        keys = [key for (key,) in db.execute("SELECT key FROM track ORDER BY key")]
        assert len(keys) == 3
        db.execute("UPDATE track SET value = ? WHERE key = ?", ("0" * 32 + "[[\"M403\", \"forged\"]]", keys[0]))
        db.execute("UPDATE track SET value = ? WHERE key = ?", ("not json at all", keys[1]))
        db.execute("UPDATE document SET value = ?", (b"\x00" * 40,))
    counted.clear()
    again = validate_manifest(manifest, check_media=False, cache=ValidationCache(folder))
    assert _texts(again) == expected and "forged" not in " ".join(expected)
    assert len(counted) == 2  # the two damaged entries were checked again (and written back whole)
    counted.clear()
    assert _texts(validate_manifest(manifest, check_media=False, cache=ValidationCache(folder))) == expected
    assert counted == []

    database.write_bytes(b"this is no longer an SQLite database" * 100)
    counted.clear()
    assert _texts(validate_manifest(manifest, check_media=False, cache=ValidationCache(folder))) == expected
    assert len(counted) == 3
    # The unreadable file was set aside: the next run has a working cache again.
    counted.clear()
    assert _texts(validate_manifest(manifest, check_media=False, cache=ValidationCache(folder))) == expected
    assert counted == []


def test_an_unwritable_cache_never_fails_a_validation(tmp_path: Path) -> None:
    manifest = make_event(tmp_path / "event")
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    assert validate_manifest(manifest, check_media=False, cache=ValidationCache(blocked / "cache")) == []


def test_document_cache_gives_the_same_data_and_positions(tmp_path: Path) -> None:
    manifest = make_event(tmp_path / "event")
    cache = ValidationCache(tmp_path / "cache")
    fresh = load_manifest(manifest)
    first = load_manifest(manifest, cache=cache)
    second = load_manifest(manifest, cache=ValidationCache(tmp_path / "cache"))
    assert second.data == first.data == fresh.data
    assert second._positions is None  # not read unless a finding needs one
    assert second.positions == fresh.positions and second.key_positions == fresh.key_positions
    # The schema's verdict is kept for a valid text only.
    validate_manifest(manifest, check_media=False, cache=cache)
    assert cache.is_valid(second.cache_key or "")
    broken = BASE_YAML.replace("runtime: 6", "runtime: six", 1)
    manifest.write_text(broken, encoding="utf-8")
    findings = validate_manifest(manifest, check_media=False, cache=cache)
    assert findings[0].code == "M101"
    assert (findings[0].location.line, findings[0].location.column) == position_of(broken, "six")
    again = validate_manifest(manifest, check_media=False, cache=ValidationCache(tmp_path / "cache"))
    assert _texts(again) == _texts(findings)


def _catalogue(folder: Path, works: int) -> Path:
    """A bench catalogue (unique tracks), a few of them made faulty."""
    bench = load_bench_module("bench_validate")
    document = bench.generate(folder, works)
    (folder / "subs" / "work-0003.fr.srt").write_text(BROKEN, encoding="utf-8")
    (folder / "subs" / "work-0005.en.srt").write_text(FRENCH_SRT, encoding="utf-8")
    (folder / "subs" / "work-0007.fr.srt").write_text(BAD_EN, encoding="utf-8")
    path = folder / "manifest.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def test_jobs_give_the_same_output_as_one_job(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pools: list[int] = []
    real_pool = tracks._pool

    def counting_pool(workers: int) -> object:
        pools.append(workers)
        return real_pool(workers)

    monkeypatch.setattr(tracks, "_pool", counting_pool)
    manifest = _catalogue(tmp_path / "catalogue", 24)
    base = ["-q", "validate", "--no-media", "--format", "json", str(manifest)]
    serial = run_cli(*base, "--jobs", "1", "--no-cache")
    assert serial.code == 1
    codes = {d["code"] for d in json.loads(serial.stdout)["manifests"][0]["diagnostics"]}
    assert {"M401", "M402", "SK101"} <= codes
    assert pools == []  # one job: no worker processes
    for extra in (["--jobs", "3", "--no-cache"], ["--jobs", "2"], ["--jobs", "2"], ["--jobs", "0"]):
        result = run_cli(*base, *extra)
        assert (result.code, result.stdout) == (serial.code, serial.stdout), extra
    assert pools == [3, 2]  # 48 tracks: processes; the last two runs found every track in the cache
    assert (cache_home / FILE_NAME).is_file()


def test_worker_processes_compute_what_one_process_does(tmp_path: Path) -> None:
    manifest = _catalogue(tmp_path / "catalogue", 20)
    cache = ValidationCache(tmp_path / "cache")
    validate_manifest(manifest, check_media=False, cache=cache)  # only to collect the jobs below
    jobs = []

    class Collect(tracks.TrackRunner):
        def finish(self, ctx: object) -> None:
            jobs.extend(job for _, _, job in self.pending)
            super().finish(ctx)  # type: ignore[arg-type]

    from toolkit.manifest.checks import check_semantics

    original = tracks.TrackRunner
    tracks.TrackRunner = Collect  # type: ignore[misc]
    try:
        check_semantics(load_manifest(manifest), check_media=False)
    finally:
        tracks.TrackRunner = original  # type: ignore[misc]
    assert len(jobs) == 40 >= 2 * tracks.MIN_TRACKS_PER_WORKER
    assert tracks._run_all(jobs, 2) == [tracks.run_track(job) for job in jobs]


def test_a_catalogue_over_the_old_4_mib_cap_is_read(tmp_path: Path) -> None:
    from toolkit.manifest.loader import MAX_BYTES
    from toolkit.manifest.schema_check import schema_diagnostics

    head, _, _ = BASE_YAML.partition("works:\n")
    block = (
        "  - id: w{n}\n    title: {{original: Work {n}, fr: Œuvre {n}, en: Work number {n}}}\n"
        "    original_language: en\n    directors: [Someone Else]\n    year: 2025\n    country: [FR]\n"
        "    runtime: 6\n    media: {{path: media/alpha.mp4, frame_rate: '25', resolution: {{width: 320, height: 180}}}}\n"
        "    subtitles:\n      - {{language: fr, path: subs/alpha.fr.srt, role: full, origin: human, reviewed: true}}\n"
        "    deliverables: {{burn: [{{languages: [fr]}}], sidecar: {{formats: [srt, vtt]}}}}\n"
    )
    works = "".join(block.format(n=n) for n in range(10_000))
    text = head + "works:\n" + works + "screenings: []\n"
    assert 4 * 1024 * 1024 < len(text.encode()) < MAX_BYTES
    manifest = make_event(tmp_path / "event", text)
    loaded = load_manifest(manifest)
    assert len(loaded.data["works"]) == 10_000
    assert schema_diagnostics(loaded) == []
    assert loaded.position("works[9999].runtime") is not None


@pytest.mark.parametrize("slot", [0, 39, 40 * 15, 40 * 16, 40 * 16 + 39, 40 * 40, 40 * 80])
def test_bench_catalogue_dates_exist_and_carry_the_zones_offset(slot: int) -> None:
    bench = load_bench_module("bench_validate")
    start = datetime.fromisoformat(bench.screening_start(slot))
    local = start.astimezone(ZoneInfo("Europe/Paris"))
    assert start.utcoffset() == local.utcoffset()  # +01:00 before 29 March, +02:00 from it
    assert start.date() == (bench.FIRST_DAY + (start.date() - bench.FIRST_DAY)) and start.hour >= 10


def test_verbose_says_what_came_from_the_cache(tmp_path: Path, cache_home: Path) -> None:
    manifest = make_event(tmp_path / "event")
    first = run_cli("-v", "validate", "--no-media", str(manifest))
    assert "subtitle tracks: 0 from the cache, 3 checked" in first.stderr
    second = run_cli("-v", "validate", "--no-media", str(manifest))
    assert "subtitle tracks: 3 from the cache, 0 checked" in second.stderr
    assert second.stdout == first.stdout
    off = run_cli("-v", "validate", "--no-media", "--no-cache", str(manifest))
    assert "from the cache" not in off.stderr
