"""Profiles: built-ins valid under the schema and citing their sources; user profile files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, SHARED
from jsonschema import Draft202012Validator

from toolkit.errors import ScreenkitError
from toolkit.languages import EN, FR, ZH_HANS, ZH_HANT
from toolkit.qc import BUILTIN_PROFILES, load_profile
from toolkit.qc.profile import PROFILES_DIR, schema_path

SCHEMA = ROOT / "schemas" / "qc-profile.schema.json"


def builtin(name: str) -> dict:
    return json.loads((PROFILES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def test_schema_is_a_valid_draft_2020_12_schema_with_id_and_titles() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("qc-profile.schema.json")
    assert schema["title"] and schema["description"]
    assert schema_path() == SCHEMA


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_builtin_profiles_validate(name: str) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(builtin(name)))
    assert errors == []


def _settings(document: dict) -> list[tuple[str, object]]:
    found = [("frame_rate", document["frame_rate"])] if "frame_rate" in document else []
    found += list(document["limits"].items())
    for overrides in document.get("languages", {}).values():
        found += list(overrides.items())
    return found


@pytest.mark.parametrize("name", BUILTIN_PROFILES)
def test_every_number_cites_a_reference_row_that_has_it(name: str) -> None:
    references = {path.name: path.read_text(encoding="utf-8") for path in (SHARED / "reference").glob("*.md")}
    numbers = 0
    for setting, raw in _settings(builtin(name)):
        assert isinstance(raw, dict) and raw.get("source"), (name, setting)
        document, _, row = raw["source"].partition(": ")
        assert document in references, raw["source"]
        assert row.split()[0] in references[document], raw["source"]  # the guide it names is there
        value = raw["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        numbers += 1
        # The value is written in the reference (0.5 as "0.5", 24 as "24", 5/6 s as "20 frames").
        assert re.search(rf"(?<![\d.]){value:g}(?![\d])", references[document]), (name, setting, value)
    assert numbers >= 5


def test_resolved_values_per_language() -> None:
    festival_zh = load_profile("festival", ZH_HANS)
    assert (festival_zh.max_chars_per_line, festival_zh.max_cps, festival_zh.half_width_weight) == (16, 9, 0.5)
    assert festival_zh.cjk_punctuation and not festival_zh.italics_allowed
    festival_en = load_profile("festival", EN)
    assert (festival_en.max_chars_per_line, festival_en.max_lines, festival_en.max_cps) == (40, 2, 20)
    assert festival_en.duration_ms("min_duration") == 2000
    assert load_profile("festival", FR).dialogue_dash == "- "
    assert load_profile("festival", FR).french_spacing
    assert load_profile("netflix", FR).max_cps == 17
    assert load_profile("netflix", ZH_HANT).max_chars_per_line == 16
    assert load_profile("netflix", EN).duration_ms("min_duration") == 833  # 20 frames at 24 fps
    assert load_profile("netflix", EN).duration_ms("bridge_gap") == 458  # 11 frames
    assert [load_profile("netflix-children", lang).max_cps for lang in (ZH_HANS, EN, FR)] == [7, 17, 13]
    cinema = load_profile("cinema", None)
    assert (cinema.max_lines, cinema.duration_ms("first_start"), cinema.max_chars_per_line_error) == (3, 4000, 79)
    assert cinema.duration_ms("min_duration") == 625  # 15 frames
    bbc = load_profile("bbc", EN)
    assert (bbc.max_chars_per_line, bbc.max_wpm, bbc.max_cps) == (37, 180, None)


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_user_profile_json_and_toml(tmp_path: Path) -> None:
    json_path = write(tmp_path, "house.json", json.dumps({
        "name": "house",
        "limits": {"max_chars_per_line": 30, "max_lines": {"value": 2, "source": "our style sheet"}},
        "languages": {"fr": {"max_chars_per_line": 32, "dialogue_dash": "- "}},
    }))
    profile = load_profile(str(json_path), FR)
    assert (profile.name, profile.max_chars_per_line, profile.max_lines, profile.dialogue_dash) == ("house", 32, 2, "- ")
    assert profile.sources["max_lines"] == "our style sheet"
    toml_path = write(tmp_path, "house.toml", 'name = "toml-house"\n[limits]\nmax_cps = 15\nmin_duration = { value = 1.5, unit = "s" }\n')
    toml_profile = load_profile(str(toml_path), None)
    assert (toml_profile.max_cps, toml_profile.duration_ms("min_duration")) == (15, 1500)


@pytest.mark.parametrize(
    ("content", "fragments"),
    [
        ('{"name": "x", "limits": {"max_lines": "two"}}', ["$.limits.max_lines"]),
        ('{"name": "x", "limits": {"max_lines": 0}}', ["$.limits.max_lines"]),
        ('{"name": "x", "limits": {"max_chars": 40}}', ["$.limits", "max_chars"]),
        ('{"name": "x", "limits": {"min_gap": {"value": 2, "unit": "fortnights"}}}', ["$.limits.min_gap"]),
        ('{"name": "x", "limits": {}, "languages": {"de": {}}}', ["$.languages"]),
        ('{"name": "x", "limits": {}, "severity": {"SK199": "off"}}', ["$.severity.SK199", "no rule"]),
        ('{"name": "x", "limits": {}, "severity": {"SK999": "off"}}', ["$.severity", "SK999"]),
        ('{"name": "x", "limits": {}, "severity": {"SK101": "fatal"}}', ["$.severity.SK101"]),
        ('{"limits": {}}', ["$", "name"]),
        ("[1, 2]", ["$", "object"]),
    ],
)
def test_bad_profile_names_the_file_and_json_path(tmp_path: Path, content: str, fragments: list[str]) -> None:
    path = write(tmp_path, "bad profile.json", content)
    with pytest.raises(ScreenkitError) as caught:
        load_profile(str(path), None)
    message = str(caught.value)
    assert message.startswith(f"{path}: invalid QC profile"), message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_profile_syntax_errors_have_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.json", '{\n  "name": "x",\n  "limits": {,}\n}\n')
    with pytest.raises(ScreenkitError) as caught:
        load_profile(str(path), None)
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(path), 3, 14)
    toml = write(tmp_path, "broken.toml", "name = \n")
    with pytest.raises(ScreenkitError, match="invalid TOML"):
        load_profile(str(toml), None)


def test_unknown_profile_name_and_missing_file() -> None:
    with pytest.raises(ScreenkitError, match=r"unknown profile 'netflux'.*festival, netflix"):
        load_profile("netflux", None)
    with pytest.raises(ScreenkitError, match="no such profile file"):
        load_profile("/nonexistent/house.json", None)
