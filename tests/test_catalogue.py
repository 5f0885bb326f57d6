"""One catalogue of every finding code, one text format for every finding, screenkit explain."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, assert_clean_error, run_cli

from toolkit.catalogue import catalogue, explain
from toolkit.diagnostics import Diagnostic, Location, Severity
from toolkit.manifest.schema_check import KEYWORD_CODES, OTHER_SCHEMA_CODE

CODE_LITERAL = re.compile(r"""["'](SKP\d{3}|SK\d{3}|M\d{3}|TR\d{3})["']""")
# Any family, new ones included: the code a Diagnostic or a report(...) call is made with.
EMITTED = re.compile(r"""(?:Diagnostic|finding|report)\(\s*(?:code=)?["']([A-Z]{1,4}\d{3})["']""")


def _emitted_codes() -> set[str]:
    found = set()
    for path in (ROOT / "toolkit").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found.update(CODE_LITERAL.findall(text))
        found.update(EMITTED.findall(text))
    return found | set(KEYWORD_CODES.values()) | {OTHER_SCHEMA_CODE}


def test_every_code_in_the_source_is_documented() -> None:
    documented = catalogue()
    missing = sorted(code for code in _emitted_codes() if code not in documented)
    assert not missing
    for doc in documented.values():
        assert doc.title and len(doc.documentation) > 20, doc.code


@pytest.mark.parametrize("prefix", ["SK", "M1", "M2", "M3", "M4", "M5", "M6", "M7", "SKP", "TR"])
def test_every_family_has_codes(prefix: str) -> None:
    assert any(code.startswith(prefix) for code in catalogue())


def test_explain_any_code_case_insensitive() -> None:
    result = run_cli("explain", "m107")
    assert result.code == 0
    assert result.stdout.startswith("M107 [error] number out of range\n")
    assert "Fix:" in result.stdout
    for code in ("SK203", "SKP101", "TR001", "M701"):
        assert run_cli("explain", code).stdout.startswith(f"{code} [")


def test_explain_json_and_list() -> None:
    document = json.loads(run_cli("explain", "M301", "--format", "json").stdout)
    assert document["code"] == "M301" and document["severity"] == "error" and document["fix"]
    listed = run_cli("explain", "--list").stdout
    assert all(code in listed for code in catalogue())


def test_explain_unknown_code_is_a_usage_error() -> None:
    assert_clean_error(run_cli("explain", "M1O7"), "unknown finding code 'M1O7'", "M107")
    assert explain("sk101").code == "SK101"


def test_one_text_format_with_and_without_a_cue_time() -> None:
    manifest = Diagnostic("M101", Severity.ERROR, "bad", Location(path="m.yaml", line=3, column=7, pointer="works[0].runtime"))
    assert manifest.format_text() == "m.yaml:3:7: M101 [error] works[0].runtime: bad"
    subtitle = Diagnostic("SK103", Severity.WARNING, "overlap", Location(path="a.srt", line=6, time_ms=9833))
    assert subtitle.format_text() == "a.srt:6: 00:00:09,833 SK103 [warning] overlap"
    data = subtitle.to_dict()
    assert (data["code"], data["severity"], data["location"]["time"], data["text"]) == (
        "SK103", "warning", "00:00:09,833", subtitle.format_text()
    )


def test_package_findings_in_the_same_format(tmp_path: Path) -> None:
    from toolkit.package.build import PackageOptions, build_package

    manifest = ROOT / "samples" / "paris-showcase" / "manifest.yaml"
    result = build_package(manifest, tmp_path / "out", PackageOptions(dry_run=True, check_media=False))
    [warning] = [w for w in result.warnings if w.code == "SKP101"]
    assert re.match(r"^.+manifest\.yaml:\d+:\d+: SKP101 \[warning\] works\[2\]\.subtitles: city-static has no en track", warning.format_text())
