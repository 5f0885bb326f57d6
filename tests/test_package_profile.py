"""A house QC profile next to the manifest: found relative to the manifest by validate and package
alike (never the current folder), and its content in the fingerprints of the steps that use it."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from manifest_kit import edit, make_event

from toolkit.package.build import PackageOptions, build_package

PROFILE_STEPS = ("subtitles", "translate")


def _house(folder: Path, max_chars: int) -> Path:
    path = folder / "profiles" / "house.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"name": "house", "limits": {"max_cps": 20, "max_chars_per_line": max_chars}}), encoding="utf-8")
    return path


def test_house_profile_next_to_the_manifest(tmp_path: Path) -> None:
    event = tmp_path / "event"
    manifest = make_event(event, edit("qc_profile: festival", "qc_profile: profiles/house.json"), videos=True)
    profile = _house(event, 42)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # From another folder: the profile path is the manifest's, not the current folder's.
    assert run_cli("validate", "--no-media", str(manifest), cwd=elsewhere).code == 0
    out = tmp_path / "out"
    first = build_package(manifest, out, PackageOptions(check_media=False))
    assert not first.failed, [(r.step, r.error) for r in first.failed]
    assert {r.action for r in first.steps} == {"ran"}
    assert first.report is not None and first.report.event.qc_profile == "profiles/house.json"

    unchanged = build_package(manifest, out, PackageOptions(check_media=False))
    assert {r.action for r in unchanged.steps} == {"skipped"}

    # A limit that the tracks meet either way (the fixed text stays the same): exactly the
    # steps that use the profile rerun; what is made from their unchanged output does not.
    _house(event, 60)
    assert profile.is_file()
    edited = build_package(manifest, out, PackageOptions(check_media=False))
    ran = {r.step for r in edited.steps if r.action == "ran"}
    used = {r.step for r in edited.steps if r.kind in PROFILE_STEPS}
    assert used and ran == used, (ran, used)
    assert all(r.action == "skipped" for r in edited.steps if r.step not in used)


def test_missing_house_profile_is_a_finding_at_its_line(tmp_path: Path) -> None:
    text = edit("qc_profile: festival", "qc_profile: profiles/absent.json")
    manifest = make_event(tmp_path, text)
    result = run_cli("validate", "--no-media", str(manifest))
    assert result.code == 1
    assert ": M404 [error] event.qc_profile: unknown QC profile 'profiles/absent.json'" in result.stdout
