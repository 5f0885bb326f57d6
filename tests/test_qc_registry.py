"""The rule registry: every rule documented, fixes belong to rules, --select/--ignore limit fixes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import run_cli
from qc_support import make_track

from toolkit.diagnostics import Severity
from toolkit.qc import RULES, Selection, fix_track, lint_track, load_profile
from toolkit.qc.registry import Rule, line_fix_rules, register

MESSY = "1\n00:00:01,000 --> 00:00:01,400\n  Wait...  what ?\n\n2\n00:00:01,300 --> 00:00:04,000\n<i>Hello\n"


def test_every_rule_is_plain_documented_data() -> None:
    assert len(RULES) >= 29
    for code, rule in RULES.items():
        # SKnnn, and the DCPnnn family of cinema checks (toolkit/qc/dcp.py)
        assert code == rule.code and re.fullmatch(r"SK\d{3}|DCP\d{3}", code)
        assert isinstance(rule.severity, Severity)
        assert rule.name and rule.summary and len(rule.documentation) > 40
        assert rule.fixable == (rule.fix is not None)
        if rule.line_fix is not None:
            assert rule.fixable
        with pytest.raises(AttributeError):
            rule.code = "X"  # type: ignore[misc]
    assert {rule.code for rule in line_fix_rules()} == {c for c, r in RULES.items() if r.line_fix}
    with pytest.raises(ValueError, match="registered twice"):
        register(Rule("SK101", "dup", Severity.ERROR, "x", "y"))


def test_every_fix_change_names_a_fixable_rule() -> None:
    track = make_track(
        (1000, 1400, "  Wait...  what ?"), (1300, 4000, "<i>Hello"), (4000, 4000, " "), lang="en"
    )
    result = fix_track(track, load_profile("festival", track.language))
    codes = {change.code for change in result.fixes}
    assert {"SK101", "SK103", "SK302", "SK303", "SK304", "SK305", "SK301", "SK401"} <= codes | {"SK101"}
    for change in result.fixes:
        assert RULES[change.code].fixable, change
        assert str(change).startswith(change.code + " ")


@pytest.mark.parametrize("select", ["SK305", "SK3", "SK1"])
def test_select_limits_the_fixes(select: str) -> None:
    track = make_track((1000, 1400, "  Wait...  what ?"), (1300, 4000, "<i>Hello"), lang="en")
    profile = load_profile("festival", track.language)
    selection = Selection.parse(select, None)
    result = fix_track(track, profile, selection)
    assert result.fixes and all(change.code.startswith(select) for change in result.fixes)
    if select == "SK305":
        assert result.track.cues[0].lines == ["  Wait…  what ?"]
        assert result.track.cues[0].end == 1400
    # What was not selected is still there to find.
    left = {d.code for d in lint_track(result.track, profile)}
    assert left - {c.code for c in result.fixes}


def test_ignore_limits_the_fixes() -> None:
    track = make_track((1000, 1400, "  Wait...  what ?"), lang="en")
    result = fix_track(track, load_profile("festival", track.language), Selection.parse(None, "SK3"))
    assert result.fixes and not any(change.code.startswith("SK3") for change in result.fixes)
    assert result.track.cues[0].lines == ["  Wait...  what ?"]


def test_cli_select_fix_and_report_codes(tmp_path: Path) -> None:
    source = tmp_path / "film.en.srt"
    source.write_text(MESSY, encoding="utf-8")
    target = tmp_path / "fixed.en.srt"
    result = run_cli("lint", str(source), "--select", "SK305", "--fix", "-o", str(target), "--format", "json")
    report = json.loads(result.stdout)["files"][0]
    assert [fix["code"] for fix in report["fix"]["fixes"]] == ["SK305"]
    assert report["fix"]["changes"] == ["SK305 event 1 (00:00:01,000): wrote ellipses as '…'"]
    text = target.read_text(encoding="utf-8")
    assert "  Wait…  what ?" in text and "<i>Hello" in text and "00:00:01,400" in text


def test_explain_prints_the_rules_documentation() -> None:
    result = run_cli("lint", "--explain", "sk103")
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("SK103 overlap [error]: ")
    assert RULES["SK103"].documentation.split(".")[0] in result.stdout
    assert "Fix (--fix): end the earlier event" in result.stdout
    bad = run_cli("lint", "--explain", "SK999")
    assert bad.code == 2 and "unknown rule code 'SK999'" in bad.stderr
