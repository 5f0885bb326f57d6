"""package --translate-missing: a zh-Hant track made from zh-Hans by conversion, with no model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

from toolkit.chinese import count_script
from toolkit.subtitles import read_track

pytestmark = pytest.mark.slow


def test_translate_missing_converts_zh_hans_into_taiwan_traditional_without_a_model(tmp_path: Path) -> None:
    event = tmp_path / "event"
    shutil.copytree(SAMPLES / "paris-showcase", event, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    manifest = event / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8").replace("required: [fr]", "required: [fr, zh-Hant-TW]")
    manifest.write_text(text, encoding="utf-8")
    empty = tmp_path / "no-models"
    empty.mkdir()
    env = {"ARGOS_PACKAGES_DIR": str(empty), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = tmp_path / "pkg"

    refused = run_cli("package", str(manifest), "--out", str(out), "--no-media", env=env)
    assert refused.code == 1 and "M501" in refused.stderr and not out.exists()

    result = run_cli("package", str(manifest), "--out", str(out), "--no-media", "--translate-missing", env=env)
    assert result.code == 0, result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    for work in ("lacquer-tray", "tides-within", "city-static"):
        converted = out / work / "subtitles" / f"{work}.zh-Hant-TW.srt"
        simplified = read_track(out / work / "subtitles" / f"{work}.zh-Hans.srt")
        traditional = read_track(converted)
        text = "".join(cue.plain_text for cue in traditional.cues)
        assert count_script(text).simplified == 0 and count_script(text).traditional > 0
        assert [(c.start, c.end) for c in traditional.cues] == [(c.start, c.end) for c in simplified.cues]
        entry = next(w for w in report["works"] if w["id"] == work)
        track = next(t for t in entry["tracks"] if t["language"] == "zh-Hant-TW")
        assert track["status"] == "converted" and track["source"] == "zh-Hans"
        assert track["translation"]["conversion"] == "OpenCC s2twp"
    package_manifest = (out / "manifest.yaml").read_text(encoding="utf-8")
    assert "origin: converted" in package_manifest and "origin: machine" not in package_manifest
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "badge converted" in html and "Script conversion" in html
    # The package's own manifest is valid (origin: converted is in the schema).
    assert run_cli("validate", str(out / "manifest.yaml"), "--no-media").code in (0, 1)
    check = run_cli("validate", str(out / "manifest.yaml"), "--no-media", "--format", "json")
    assert "M101" not in check.stdout
