"""After approval in ``screenkit review``, ``package`` with ``require_review: true`` accepts the track."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli
from review_support import TRACK_KEY, make_event

from toolkit.review.session import ReviewSession
from toolkit.review.workset import load_workset

pytestmark = pytest.mark.slow


def test_package_with_require_review_accepts_the_approved_track(tmp_path: Path) -> None:
    manifest = make_event(tmp_path)
    text = manifest.read_text(encoding="utf-8").replace("event:\n", "event:\n  require_review: true\n", 1)
    manifest.write_text(text, encoding="utf-8")

    refused = run_cli("package", str(manifest), "--out", str(tmp_path / "refused"), "--no-media")
    assert refused.code == 1, refused.stderr
    assert "SKP104" in refused.stderr and "tides-within" in refused.stderr

    session = ReviewSession(load_workset([manifest]), cache_path=tmp_path / "cache.sqlite")
    session.edit(TRACK_KEY, 0, "Les Marées intérieures")
    approved = session.approve(TRACK_KEY, "Mei Chen")

    out = tmp_path / "pkg"
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media", "--format", "json")
    assert result.code == 0, result.stderr
    assert not [w for w in json.loads(result.stdout)["warnings"] if w["code"] == "SKP104" and "tides-within" in w["message"]]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    tracks = {(work["id"], t["language"]): t for work in report["works"] for t in work["tracks"]}
    assert tracks[("tides-within", "fr")]["review"] == {"reviewed": True, "by": "Mei Chen", "at": approved["reviewed_at"]}
