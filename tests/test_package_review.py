"""Review state reaches the screen honestly: unreviewed tracks in copies are said, and can be refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

pytestmark = pytest.mark.slow


def _event(tmp_path: Path) -> Path:
    event = tmp_path / "event"
    shutil.copytree(SAMPLES / "paris-showcase", event, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    manifest = event / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    # A reviewed track with its reviewer, as `screenkit review` writes it.
    text = text.replace(
        "path: subtitles/lacquer-tray.fr.srt, role: full, origin: human, reviewed: true}",
        "path: subtitles/lacquer-tray.fr.srt, role: full, origin: human, reviewed: true, "
        "reviewed_by: Léa Martin, reviewed_at: '2026-11-30T18:02:00+01:00'}",
    )
    manifest.write_text(text, encoding="utf-8")
    return manifest


def test_an_unreviewed_track_in_a_copy_is_a_warning_and_its_own_badge(tmp_path: Path) -> None:
    manifest = _event(tmp_path)
    out = tmp_path / "pkg"
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media", "--format", "json")
    assert result.code == 0, result.stderr
    warnings = [w for w in json.loads(result.stdout)["warnings"] if w["code"] == "SKP104"]
    # tides-within's fr track is `reviewed: false` and goes into its burned copy and its MKV.
    assert {w["severity"] for w in warnings} == {"warning"}
    assert any("tides-within" in w["message"] and "burned copy fr" in w["message"] for w in warnings)
    assert any("tides-within" in w["message"] and "MKV copy" in w["message"] for w in warnings)
    assert not any("lacquer-tray" in w["message"] for w in warnings)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    tracks = {(work["id"], t["language"]): t for work in report["works"] for t in work["tracks"]}
    assert tracks[("tides-within", "fr")]["review"] == {"reviewed": False}
    assert tracks[("lacquer-tray", "fr")]["review"] == {
        "reviewed": True, "by": "Léa Martin", "at": "2026-11-30T18:02:00+01:00"}
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'class="badge unreviewed">human, not reviewed<' in html
    assert "reviewed by Léa Martin 2026-11-30T18:02:00+01:00" in html


def test_require_review_makes_it_an_error_and_builds_nothing(tmp_path: Path) -> None:
    manifest = _event(tmp_path)
    text = manifest.read_text(encoding="utf-8").replace("event:\n", "event:\n  require_review: true\n", 1)
    manifest.write_text(text, encoding="utf-8")
    out = tmp_path / "pkg"
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media")
    assert result.code == 1, (result.code, result.stderr)
    assert "SKP104" in result.stderr and "require_review: true" in result.stderr
    assert not (out / "report.html").exists()
