"""Every crash the fuzzing of issue 12 found, answered by a finding at its line or a one-line error.

Exit 1 (a finding) or 2 (unreadable), never 3 (a bug), never a signal; each case
runs through the real entry point, and the deepest one in a fresh interpreter.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import assert_clean_error, run_cli, run_cli_subprocess
from manifest_kit import BASE_YAML, edit, make_event, position_of

from toolkit.manifest import load_manifest


def _finding(tmp_path: Path, text: str, code: str, needle: str, *fragments: str, name: str = "manifest.yaml") -> None:
    manifest = make_event(tmp_path, text, name=name)
    result = run_cli("validate", "--no-media", str(manifest))
    assert result.code == 1, result
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    line, column = position_of(text, needle)
    expected = f"{manifest}:{line}:{column}: {code} [error] "
    matching = [row for row in result.stdout.splitlines() if row.startswith(expected)]
    assert matching, (expected, result.stdout)
    for fragment in fragments:
        assert fragment in matching[0], (fragment, matching[0])


@pytest.mark.parametrize(
    ("value", "code", "fragment"),
    [
        (".inf", "M101", "not a finite number"),
        ("1e400", "M101", "not a finite number"),
        ("99999999999999999999", "M107", "greater than the maximum of 86400"),
        (".nan", "M101", "not a finite number"),
    ],
)
def test_runtime_values_that_overflowed(tmp_path: Path, value: str, code: str, fragment: str) -> None:
    text = edit("runtime: 6", f"runtime: {value}")
    _finding(tmp_path, text, code, value, fragment)


def test_intro_minutes_1e20(tmp_path: Path) -> None:
    text = edit("    works: [alpha, beta]\n", "    works: [alpha, beta]\n    intro_minutes: 1e20\n")
    _finding(tmp_path, text, "M107", "1e20", "maximum of 600")


@pytest.mark.parametrize("start", ["9999-12-31T23:59:59+01:00", "0001-01-01T00:00:00+01:00"])
def test_screening_start_at_the_ends_of_time(tmp_path: Path, start: str) -> None:
    text = edit("2026-03-14T19:00:00+01:00", start)
    _finding(tmp_path, text, "M105", f"\"{start}\"", "years 1900 to 2199")


def test_changeover_nan(tmp_path: Path) -> None:
    _finding(tmp_path, edit("changeover_minutes: 15", "changeover_minutes: .nan"), "M101", ".nan", "not a finite number")


def test_media_duration_inf(tmp_path: Path) -> None:
    text = edit("      path: media/alpha.mp4\n", "      path: media/alpha.mp4\n      duration: .inf\n")
    _finding(tmp_path, text, "M101", ".inf", "not a finite number")


@pytest.mark.parametrize("url", ["http://[", "http://host:port/"])
def test_url_that_made_the_format_check_throw(tmp_path: Path, url: str) -> None:
    text = edit("  qc_profile: festival\n", f"  qc_profile: festival\n  organisers:\n    - name: Org\n      url: '{url}'\n")
    _finding(tmp_path, text, "M105", f"'{url}'", "is not a 'uri'")


def test_json_integer_of_5000_digits(tmp_path: Path) -> None:
    data = load_manifest(make_event(tmp_path / "base")).data
    text = json.dumps(data, indent=1).replace('"runtime": 6', '"runtime": ' + "9" * 5000, 1)
    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8")
    line, column = position_of(text, "9" * 5000)
    assert_clean_error(run_cli("validate", "--no-media", str(path)), f"m.json:{line}:{column}:", "5000 characters", code=2)


def test_yaml_integer_of_5000_digits(tmp_path: Path) -> None:
    text = edit("runtime: 6", "runtime: " + "9" * 5000)
    manifest = make_event(tmp_path, text)
    line, column = position_of(text, "9" * 5000)
    assert_clean_error(run_cli("validate", "--no-media", str(manifest)), f":{line}:{column}:", "5000 digits", code=2)


def test_json_path_with_a_lone_surrogate(tmp_path: Path) -> None:
    data = load_manifest(make_event(tmp_path / "base")).data
    text = json.dumps(data, indent=1).replace('"media/alpha.mp4"', '"media/\\ud800.mp4"')
    path = tmp_path / "m.json"
    path.write_text(text, encoding="utf-8")
    line, column = position_of(text, '"media/\\ud800')
    assert_clean_error(run_cli("validate", "--no-media", str(path)), f"m.json:{line}:{column}:", "lone surrogate", code=2)


def test_yaml_path_with_a_lone_surrogate(tmp_path: Path) -> None:
    manifest = make_event(tmp_path, edit("path: media/alpha.mp4", 'path: "media/\\ud800.mp4"'))
    assert_clean_error(run_cli("validate", "--no-media", str(manifest)), "manifest.yaml:", "not valid YAML", code=2)


def test_lone_surrogate_reaching_a_path_is_a_finding(tmp_path: Path) -> None:
    """Through the library (a caller's data, not a file): resolve refuses it at the manifest line."""
    from toolkit.manifest.checks import check_semantics

    manifest = load_manifest(make_event(tmp_path))
    manifest.data["works"][0]["media"]["path"] = "media/\ud800.mp4"
    [finding] = [d for d in check_semantics(manifest, check_media=False) if d.code == "M301"]
    assert "not valid Unicode" in finding.message and finding.location.line is not None


@pytest.mark.parametrize("rate", ["25/0", "0", "0/1", "00", "9999"])
def test_frame_rates_that_were_reported_valid(tmp_path: Path, rate: str) -> None:
    text = edit('frame_rates: ["25"]', f'frame_rates: ["{rate}"]')
    code = "M603" if rate == "9999" else "M106"
    _finding(tmp_path, text, code, f'"{rate}"', "frame rate")


def test_path_segment_over_255_bytes(tmp_path: Path) -> None:
    long_name = "é" * 130 + ".mp4"  # 264 bytes in UTF-8
    text = edit("path: media/alpha.mp4", f"path: media/{long_name}")
    _finding(tmp_path, text, "M301", f"media/{long_name}", "264 bytes", "255")


def test_yaml_nested_30000_levels_in_a_fresh_process(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 30_000 + "]" * 30_000 + "\n", encoding="utf-8")
    result = run_cli_subprocess("validate", str(path), timeout=120)
    assert_clean_error(result, "deep.yaml:1:", "nested more than 200 levels", code=2)


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_deep_yaml_of_every_kind(tmp_path: Path, opening: str) -> None:
    if opening == "- ":
        text = "".join("  " * depth + "- \n" for depth in range(2000)) + "  " * 2000 + "x\n"
    else:
        text = "a: " + opening * 20_000 + ("]" if opening == "[" else "}") * 20_000 + "\n"
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    assert_clean_error(run_cli("validate", str(path)), "deep.yaml:", "nested more than 200 levels", code=2)


def test_too_many_keys_refused(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({f"k{index}": 0 for index in range(100_001)}), encoding="utf-8")
    assert_clean_error(run_cli("validate", str(path)), "keys.json:1:", "more than 100000 keys", code=2)


def test_base_manifest_still_valid(tmp_path: Path) -> None:
    assert run_cli("validate", "--no-media", str(make_event(tmp_path, BASE_YAML))).code == 0


def test_readme_size_limit_is_the_real_one(tmp_path: Path) -> None:
    from conftest import ROOT

    from toolkit.manifest.loader import MAX_BYTES

    assert MAX_BYTES == 64 * 1024 * 1024 and "files over 64 MiB" in (ROOT / "README.md").read_text(encoding="utf-8")
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:  # one byte over, sparse: refused on its size, before parsing
        handle.write(b"a: 1\n")
        handle.truncate(MAX_BYTES + 1)
    assert_clean_error(run_cli("validate", str(path)), "big.yaml", "larger than", code=2)
    path.write_bytes(b"a: 1\n#" + b"x" * (MAX_BYTES - 7) + b"\n")  # exactly the limit
    assert path.stat().st_size == MAX_BYTES
    assert run_cli("validate", str(path)).code == 1  # read and checked: only schema findings
