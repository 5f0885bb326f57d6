"""The manifest schema: its own shape, and each rule broken on its own with the exact place reported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from manifest_kit import edit, make_event, position_of

from toolkit.languages import TAGS
from toolkit.manifest import validate_manifest
from toolkit.manifest.pointer import from_parts
from toolkit.manifest.schema_check import KEYWORD_CODES, manifest_validator
from toolkit.schemas import load_schema, schema_names


def _walk_properties(node: Any, where: str = "#") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            found.append((f"{where}/properties/{name}", value))
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                found.extend(_walk_properties(value, f"{where}/{key}"))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_walk_properties(value, f"{where}/{index}"))
    return found


def test_schema_is_draft_2020_12_with_id_and_help_on_every_property() -> None:
    from jsonschema import Draft202012Validator

    schema = load_schema("manifest")
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("manifest.schema.json")
    properties = _walk_properties(schema)
    assert len(properties) > 80
    missing = [where for where, definition in properties if "title" not in definition or "description" not in definition]
    # A property that is only a $ref takes its help from the definition it points to.
    missing = [
        where
        for where in missing
        if not _ref_has_help(schema, dict(properties)[where])
    ]
    assert missing == []


def _ref_has_help(schema: dict[str, Any], definition: dict[str, Any]) -> bool:
    ref = definition.get("$ref")
    if not ref:
        return False
    target = schema["$defs"][ref.rsplit("/", 1)[1]]
    return "title" in target and "description" in target


def test_schema_languages_are_the_toolkit_tags() -> None:
    assert load_schema("manifest")["$defs"]["language"]["enum"] == list(TAGS)


def test_schema_names_include_manifest() -> None:
    assert "manifest" in schema_names()


def test_one_compiled_validator_is_reused() -> None:
    assert manifest_validator() is manifest_validator()
    assert manifest_validator().format_checker is not None


def test_the_base_event_is_valid(tmp_path: Path) -> None:
    assert validate_manifest(make_event(tmp_path), check_media=False) == []


# (description, old text, new text, code, pointer, needle locating the reported place, message part)
SCHEMA_CASES = [
    ("type", "runtime: 6\n    media:\n      path: media/beta", "runtime: five minutes\n    media:\n      path: media/beta",
     "M101", "works[1].runtime", "five minutes", "'five minutes' is not of type 'integer'"),
    ("required", "    original_language: fr\n", "", "M102", "works[1]", "id: beta", "'original_language' is a required property"),
    ("additionalProperties", "    original_language: en\n", "    original_language: en\n    directorz: [Ann Lee]\n",
     "M103", "works[0].directorz", "directorz", "did you mean 'directors'"),
    ("enum", "{language: en, path: subs/beta", "{language: de, path: subs/beta",
     "M104", "works[1].subtitles[0].language", "de, path", "'de' is not one of"),
    ("const", "manifest_version: 1", "manifest_version: 2", "M104", "manifest_version", "2\n", "1 was expected"),
    ("format date", 'start: "2026-03-13"', 'start: "2026-02-30"', "M105", "event.dates.start", '"2026-02-30"', "is not a 'date'"),
    ("format date-time", '"2026-03-14T21:00:00+01:00"', '"2026-03-14T21:00:00"', "M105", "screenings[1].start",
     '"2026-03-14T21:00:00"', "UTC offset"),
    ("pattern id", "  - id: beta", "  - id: Beta", "M106", "works[1].id", "Beta", "does not match"),
    ("pattern country", "country: FR", "country: FRA", "M106", "event.venues[0].country", "FRA", "does not match"),
    ("minimum", "runtime: 6\n    media:\n      path: media/beta", "runtime: 0\n    media:\n      path: media/beta",
     "M107", "works[1].runtime", "0\n    media:\n      path: media/beta", "less than the minimum of 1"),
    ("minItems", "works: [beta]", "works: []", "M108", "screenings[1].works", "[]", "should be non-empty"),
    ("maxItems", "- languages: [fr]", "- languages: [fr, en, zh-Hans]", "M108", "works[0].deliverables.burn[0].languages",
     "[fr, en, zh-Hans]", "is too long"),
    ("uniqueItems", "required: [fr]", "required: [fr, fr]", "M109", "event.audience_languages.required", "[fr, fr]", "non-unique"),
    ("propertyNames", "title: {en: Test Event, fr: Événement test}", "title: {en: Test Event, de: Testveranstaltung}",
     "M103", "event.title.de", "de: Test", "'de' is not an accepted key"),
    ("container enum", "container: mkv", "container: avi", "M104", "works[0].deliverables.mux.container", "avi", "'avi' is not one of"),
    ("format uri", "  qc_profile: festival\n", "  organisers:\n    - {name: CCCP, url: not a web address}\n  qc_profile: festival\n",
     "M105", "event.organisers[0].url", "not a web address", "is not a 'uri'"),
    ("minProperties", "title: {en: Test Event, fr: Événement test}", "title: {}", "M108", "event.title", "{}",
     "should be non-empty"),
    ("exclusiveMinimum", "      path: media/beta.mp4\n", "      path: media/beta.mp4\n      duration: 0\n", "M107",
     "works[1].media.duration", "0\n    subtitles", "less than or equal to the minimum of 0"),
    ("time zone pattern", "time_zone: Europe/Paris", "time_zone: Paris time", "M106", "event.time_zone", "Paris time",
     "does not match"),
    ("boolean", "{language: en, path: subs/beta.en.srt}", "{language: en, path: subs/beta.en.srt, reviewed: maybe}",
     "M101", "works[1].subtitles[0].reviewed", "maybe", "'maybe' is not of type 'boolean'"),
    ("reviewed_at date-time", "{language: en, path: subs/beta.en.srt}",
     "{language: en, path: subs/beta.en.srt, reviewed: true, reviewed_by: Ann, reviewed_at: yesterday}",
     "M105", "works[1].subtitles[0].reviewed_at", "yesterday", "is not a 'date-time'"),
    ("reviewed_by non-empty", "{language: en, path: subs/beta.en.srt}",
     '{language: en, path: subs/beta.en.srt, reviewed: true, reviewed_by: ""}',
     "M108", "works[1].subtitles[0].reviewed_by", '""', "should be non-empty"),
]


@pytest.mark.parametrize(
    ("old", "new", "code", "pointer", "needle", "message"),
    [case[1:] for case in SCHEMA_CASES],
    ids=[case[0] for case in SCHEMA_CASES],
)
def test_each_schema_rule_reported_at_its_place(
    tmp_path: Path, old: str, new: str, code: str, pointer: str, needle: str, message: str
) -> None:
    text = edit(old, new)
    findings = validate_manifest(make_event(tmp_path, text), check_media=False)
    schema_findings = [d for d in findings if d.code.startswith("M1")]
    assert len(schema_findings) == 1, [d.format_text() for d in findings]
    finding = schema_findings[0]
    assert finding.code == code
    assert finding.location.pointer == pointer
    assert message in finding.message
    assert (finding.location.line, finding.location.column) == position_of(text, needle)


def test_the_brief_example_line(tmp_path: Path) -> None:
    text = edit("runtime: 6", "runtime: five minutes", count=1)
    manifest = make_event(tmp_path, text)
    finding = validate_manifest(manifest, check_media=False)[0]
    line, column = position_of(text, "five minutes")
    assert finding.location.prefix() == f"{manifest}:{line}:{column}"
    assert f"{finding.location.pointer}: {finding.message}" == "works[0].runtime: 'five minutes' is not of type 'integer'"


def test_all_errors_reported_most_relevant_first(tmp_path: Path) -> None:
    from jsonschema.exceptions import best_match

    from toolkit.manifest import load_manifest

    text = edit("runtime: 6", "runtime: long", count=2)
    text = edit("country: FR", "country: fr", text)
    text = edit("- id: first\n", "- id: first\n    colour: red\n", text)
    manifest = make_event(tmp_path, text)
    findings = validate_manifest(manifest, check_media=False)
    pointers = {d.location.pointer for d in findings}
    assert {"works[0].runtime", "works[1].runtime", "event.venues[0].country", "screenings[0].colour"} <= pointers
    best = best_match(manifest_validator().iter_errors(load_manifest(manifest).data))
    assert findings[0].location.pointer.startswith(from_parts(best.absolute_path))
    assert findings[0].code == KEYWORD_CODES[best.validator]


def test_json_manifest_positions(tmp_path: Path) -> None:
    from toolkit.manifest import load_manifest

    make_event(tmp_path)
    data = load_manifest(tmp_path / "manifest.yaml").data
    data["works"][1]["runtime"] = "five minutes"
    data["event"]["extra"] = True
    text = json.dumps(data, indent=2, ensure_ascii=False)
    target = tmp_path / "manifest.json"
    target.write_text(text, encoding="utf-8")
    findings = {d.location.pointer: d for d in validate_manifest(target, check_media=False)}
    runtime = findings["works[1].runtime"]
    assert (runtime.location.line, runtime.location.column) == position_of(text, '"five minutes"')
    extra = findings["event.extra"]
    assert (extra.location.line, extra.location.column) == position_of(text, '"extra"')
    assert len(findings) == 2


@pytest.mark.parametrize(("old", "new"), [case[1:3] for case in SCHEMA_CASES], ids=[case[0] for case in SCHEMA_CASES])
def test_inlined_schema_judges_like_the_file(tmp_path: Path, old: str, new: str) -> None:
    """The validator runs on the schema with $refs inlined (faster); it must find exactly the same errors."""
    from jsonschema import Draft202012Validator

    from toolkit.manifest import load_manifest

    data = load_manifest(make_event(tmp_path, edit(old, new))).data
    original = Draft202012Validator(load_schema("manifest"), format_checker=manifest_validator().format_checker)

    def summary(validator: Any) -> list[tuple[str, str, str]]:
        return sorted((from_parts(e.absolute_path), e.validator, e.message) for e in validator.iter_errors(data))

    assert summary(manifest_validator()) == summary(original)
    assert summary(original)  # the case really is invalid


def test_numbers_where_text_is_expected_get_a_quoting_hint(tmp_path: Path) -> None:
    text = edit('frame_rates: ["25"]', "frame_rates: [25]")
    [finding] = validate_manifest(make_event(tmp_path, text), check_media=False)
    assert finding.location.pointer == "event.screening_copy.frame_rates[0]"
    assert finding.message == '25 is not of type \'string\'; write it in quotes: "25"'


def test_unquoted_yaml_dates_stay_text(tmp_path: Path) -> None:
    text = edit('dates: {start: "2026-03-13", end: "2026-03-15"}', "dates: {start: 2026-03-13, end: 2026-03-15}")
    text = edit('start: "2026-03-14T19:00:00+01:00"', "start: 2026-03-14T19:00:00+01:00", text)
    manifest = make_event(tmp_path, text)
    assert validate_manifest(manifest, check_media=False) == []
    from toolkit.manifest import load_manifest

    data = load_manifest(manifest).data
    assert data["event"]["dates"]["start"] == "2026-03-13"
    assert data["screenings"][0]["start"] == "2026-03-14T19:00:00+01:00"
