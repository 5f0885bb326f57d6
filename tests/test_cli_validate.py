"""``screenkit validate`` and ``screenkit schema`` through the real entry point."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import SAMPLES, assert_clean_error, run_cli, run_cli_subprocess
from manifest_kit import edit, make_event, position_of

from toolkit.schemas import schema_path

SAMPLE_MANIFESTS = [SAMPLES / "paris-showcase" / "manifest.yaml", SAMPLES / "documentary-expo" / "manifest.json"]


@pytest.mark.parametrize("manifest", SAMPLE_MANIFESTS, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("media", [True, False], ids=["media", "no-media"])
def test_samples_validate(manifest: Path, media: bool) -> None:
    args = ["validate", str(manifest)] + ([] if media else ["--no-media"])
    result = run_cli(*args)
    assert result.code == 0, (result.stdout, result.stderr)
    assert "valid (0 errors, 0 warnings" in result.stderr


def test_paris_sample_notes_the_missing_english_track() -> None:
    result = run_cli("validate", "--no-media", str(SAMPLE_MANIFESTS[0]))
    [line] = result.stdout.splitlines()
    assert ": M502 [info] works[2].subtitles: no en subtitles for 'city-static'" in line


def test_paris_sample_has_three_works_two_screenings_and_small_media() -> None:
    from toolkit.manifest import load_manifest

    manifest = load_manifest(SAMPLE_MANIFESTS[0])
    assert [w["id"] for w in manifest.data["works"]] == ["lacquer-tray", "tides-within", "city-static"]
    assert [w["runtime"] for w in manifest.data["works"]] == [300, 240, 180]
    assert [len(s["works"]) for s in manifest.data["screenings"]] == [3, 1]
    media = list((SAMPLES / "paris-showcase" / "media").glob("*.mp4"))
    assert len(media) == 3 and sum(p.stat().st_size for p in media) < 1024 * 1024


def test_text_finding_line_like_a_compiler(tmp_path: Path) -> None:
    text = edit("runtime: 6\n    media:\n      path: media/beta", "runtime: five minutes\n    media:\n      path: media/beta")
    manifest = make_event(tmp_path, text)
    result = run_cli("validate", "--no-media", "manifest.yaml", cwd=tmp_path)
    line, column = position_of(text, "five minutes")
    assert result.code == 1
    assert result.stdout.splitlines() == [
        f"manifest.yaml:{line}:{column}: M101 [error] works[1].runtime: 'five minutes' is not of type 'integer'"
    ]
    assert "invalid (1 errors" in result.stderr
    assert manifest.exists()


def test_quiet_drops_the_summary(tmp_path: Path) -> None:
    make_event(tmp_path)
    result = run_cli("-q", "validate", "--no-media", str(tmp_path / "manifest.yaml"))
    assert (result.code, result.stdout, result.stderr) == (0, "", "")


def test_json_report(tmp_path: Path) -> None:
    text = edit("country: FR", "country: fr")
    text = edit("T21:00:00+01:00", "T21:00:00+02:00", text)
    manifest = make_event(tmp_path, text)
    result = run_cli("validate", "--no-media", "--format", "json", str(manifest))
    assert result.code == 1
    document = json.loads(result.stdout)
    assert document["valid"] is False
    [entry] = document["manifests"]
    assert entry["counts"] == {"error": 1, "warning": 1, "info": 0}
    codes = [(d["code"], d["severity"], d["location"]["pointer"]) for d in entry["diagnostics"]]
    assert codes == [("M106", "error", "event.venues[0].country"), ("M703", "warning", "screenings[1].start")]
    assert entry["diagnostics"][0]["location"]["line"] == position_of(text, "country: fr")[0]


def test_junit_report(tmp_path: Path) -> None:
    good = make_event(tmp_path / "good")
    bad = make_event(tmp_path / "bad", edit("works: [alpha, beta]", "works: [alpha, gamma]"))
    result = run_cli("validate", "--no-media", "--format", "junit", str(good), str(bad))
    assert result.code == 1
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "2", "1")
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert suites[str(good)].find("testcase/failure") is None
    failure = suites[str(bad)].find("testcase/failure")
    assert failure is not None and failure.get("type") == "M202"
    assert "unknown work 'gamma'" in (failure.get("message") or "")
    assert failure.get("pointer", "").startswith("screenings[") and failure.get("column")


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    manifest = make_event(tmp_path, edit("T21:00:00+01:00", "T21:00:00+02:00"))
    result = run_cli("validate", "--no-media", str(manifest))
    assert result.code == 0
    assert ": M703 [warning] screenings[1].start: offset +02:00" in result.stdout


def test_one_unreadable_manifest_in_a_batch(tmp_path: Path) -> None:
    bad = make_event(tmp_path / "bad", edit("works: [alpha, beta]", "works: [alpha, gamma]"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("event: [unclosed\n", encoding="utf-8")
    result = run_cli("validate", "--no-media", str(bad), str(broken))
    assert result.code == 2
    assert "unknown work 'gamma'" in result.stdout
    assert f"{broken}:" in result.stderr and "not valid YAML" in result.stderr


def test_unknown_option_and_no_argument() -> None:
    assert run_cli("validate").code == 2
    assert run_cli("validate", "--format", "xml", "x.yaml").code == 2


def test_fresh_interpreter_exit_codes(tmp_path: Path) -> None:
    manifest = make_event(tmp_path, edit("runtime: 6", "runtime: six"))
    result = run_cli_subprocess("validate", "--no-media", str(manifest))
    assert result.code == 1 and "'six' is not of type 'integer'" in result.stdout
    missing = run_cli_subprocess("validate", str(tmp_path / "missing.yaml"))
    assert_clean_error(missing, "missing.yaml", "no such file", code=2)


def test_schema_prints_the_manifest_schema() -> None:
    result = run_cli("schema")
    assert result.code == 0
    assert json.loads(result.stdout) == json.loads(schema_path("manifest").read_text(encoding="utf-8"))
    assert run_cli("schema", "manifest").stdout == result.stdout


def test_schema_unknown_name_lists_the_known_ones() -> None:
    result = run_cli("schema", "glossaryy")
    assert_clean_error(result, "unknown schema 'glossaryy'", "manifest", code=2)
    assert "manifest" in run_cli("schema", "--list").stdout.split()
