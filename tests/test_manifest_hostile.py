"""Hostile manifests: each gets a clear one-line error (exit 2) or a finding (exit 1), never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import assert_clean_error, run_cli
from manifest_kit import BASE_YAML, edit, make_event, position_of

from toolkit.errors import ScreenkitError
from toolkit.manifest import load_manifest, validate_manifest
from toolkit.manifest.loader import MAX_ALIAS_NODES, MAX_BYTES

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "content", "fragments"),
    [
        ("binary.yaml", bytes(range(256)) * 4, ["binary data"]),
        ("prose.yaml", "This is: not: a manifest\n", ["not valid YAML", ":1:"]),
        ("unclosed.yaml", "event: {id: x\nworks: [\n", ["not valid YAML"]),
        ("latin1.yaml", "event:\n  title: caf\xe9\n".encode("latin-1"), ["not UTF-8", ":2"]),
        ("empty.yaml", "\n\n", ["the manifest is empty"]),
        ("list.yaml", "- event\n- works\n", ["must be a mapping", "not a list", ":1:1"]),
        ("scalar.yaml", "just a string\n", ["must be a mapping", "not a string"]),
        ("list.json", "[1, 2, 3]", ["must be a mapping", "not a list"]),
        ("dup.yaml", "manifest_version: 1\nevent: {}\nworks: []\nevent: {}\n", ["duplicate key 'event'", ":4:1"]),
        ("dup.json", '{\n  "works": [],\n  "works": []\n}', ["duplicate key 'works'", ":3:3"]),
        ("trailing.json", '{"works": []} extra', ["extra data", ":1:15"]),
        ("bad.json", '{\n  "works": [1, 2,]\n}', ["not valid JSON", ":2:18", "unexpected ']'"]),
        ("python.yaml", "event: !!python/object:os.system {}\n", ["tag", "not allowed", ":1:8"]),
        ("custom-tag.yaml", "event: !include other.yaml\n", ["not allowed"]),
        ("merge.yaml", "base: &b {x: 1}\nevent:\n  <<: *b\n", ["merge keys"]),
        ("recursive.yaml", "a: &a [*a]\n", ["alias refers to its own anchor", ":1:8"]),
        ("deep.json", "[" * 5000 + "]" * 5000, ["nested more than"]),
        ("deep.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n", ["nested"]),
    ],
)
def test_unreadable_manifests_exit_2_with_one_line(tmp_path: Path, name: str, content: str | bytes, fragments: list[str]) -> None:
    path = _write(tmp_path, name, content)
    result = run_cli("validate", str(path))
    assert_clean_error(result, name, *fragments, code=2)
    assert result.stdout == ""


def test_billion_laughs_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "laughs.yaml", BILLION_LAUGHS)
    with pytest.raises(ScreenkitError, match=f"aliases expand to more than {MAX_ALIAS_NODES}") as caught:
        load_manifest(path)
    assert caught.value.line is not None
    assert_clean_error(run_cli("validate", str(path)), "laughs.yaml", "aliases expand", code=2)


def test_a_few_aliases_are_fine(tmp_path: Path) -> None:
    text = edit("      mux: {tracks: [fr, en], default: fr, container: mkv}", "      mux: &mux {tracks: [fr, en], default: fr, container: mkv}")
    text = edit("    deliverables:\n", "    deliverables:\n      sidecar: &sidecar {formats: [srt, vtt]}\n", text)
    text = edit("      - {language: en, path: subs/beta.en.srt}\n", "      - {language: en, path: subs/beta.en.srt}\n    deliverables:\n      sidecar: *sidecar\n", text)
    manifest = make_event(tmp_path, text)
    assert load_manifest(manifest).data["works"][1]["deliverables"]["sidecar"] == {"formats": ["srt", "vtt"]}
    assert validate_manifest(manifest, check_media=False) == []


def test_file_over_the_size_cap_refused_without_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("manifest_version: 1\nworks:\n")
        line = "  - {id: w, title: {original: x}, original_language: fr, runtime: 1, media: {path: m.mp4}}\n"
        handle.write(line * (MAX_BYTES // len(line) + 1))
    assert path.stat().st_size > MAX_BYTES > 10 * 1024 * 1024
    assert_clean_error(run_cli("validate", str(path)), "huge.yaml", "larger than", code=2)


def test_missing_manifest_and_folder(tmp_path: Path) -> None:
    assert_clean_error(run_cli("validate", str(tmp_path / "nope.yaml")), "nope.yaml", "no such file", code=2)
    assert_clean_error(run_cli("validate", str(tmp_path)), "folder", code=2)


@pytest.mark.parametrize(
    ("hostile", "message"),
    [
        ("../../etc/passwd", "leads out of the manifest's folder"),
        ("/etc/passwd", "is absolute"),
        ("media/../../outside.mp4", "leads out of the manifest's folder"),
    ],
)
def test_paths_out_of_the_folder_are_findings(tmp_path: Path, hostile: str, message: str) -> None:
    text = edit("path: media/beta.mp4", f'path: "{hostile}"')
    manifest = make_event(tmp_path / "event", text)
    result = run_cli("validate", "--no-media", str(manifest))
    assert result.code == 1, result
    line, column = position_of(text, f'"{hostile}"')
    assert result.stdout.splitlines() == [f"{manifest}:{line}:{column}: M301 [error] works[1].media.path: {_message(result)}"]
    assert message in result.stdout
    assert "Traceback" not in result.stderr


def _message(result: object) -> str:
    line: str = result.stdout.splitlines()[0]  # type: ignore[attr-defined]
    return line.split(" works[1].media.path: ", 1)[1]


def test_symlink_out_is_a_finding_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / "secret.mp4").write_bytes(b"x")
    manifest = make_event(tmp_path / "event")
    (tmp_path / "event" / "media" / "beta.mp4").unlink()
    (tmp_path / "event" / "media" / "beta.mp4").symlink_to(tmp_path / "secret.mp4")
    result = run_cli("validate", "--no-media", str(manifest))
    assert result.code == 1
    assert "works[1].media.path: symbolic link" not in result.stdout  # the message says what is wrong
    assert "M301 [error] works[1].media.path: path 'media/beta.mp4' is a symbolic link that leads out of the manifest's folder" in result.stdout


def test_names_with_spaces_quotes_and_unicode(tmp_path: Path) -> None:
    folder = tmp_path / "fête du ciné 电影节"
    manifest = make_event(folder, name="programme 2026 «final».yaml")
    odd = folder / "subs" / "-β 'ete': 夏.en.srt"
    (folder / "subs" / "beta.en.srt").rename(odd)
    text = edit("path: subs/beta.en.srt", "path: \"subs/-β 'ete': 夏.en.srt\"")
    manifest.write_text(text, encoding="utf-8")
    result = run_cli("validate", "--no-media", str(manifest))
    assert result.code == 0, result
    assert result.stdout == ""


def test_unicode_positions_count_characters(tmp_path: Path) -> None:
    text = edit("title: {original: Bêta}", "title: {original: 贝塔电影, bad: 1}")
    manifest = make_event(tmp_path, text)
    [finding] = validate_manifest(manifest, check_media=False)
    assert (finding.location.line, finding.location.column) == position_of(text, "bad: 1")


def test_json_with_bom_and_positions(tmp_path: Path) -> None:
    make_event(tmp_path)
    data = load_manifest(tmp_path / "manifest.yaml").data
    data["screenings"][0]["works"] = "alpha"
    text = json.dumps(data, indent=1, ensure_ascii=False)
    path = tmp_path / "m.json"
    path.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    [finding] = validate_manifest(path, check_media=False)
    assert finding.code == "M101"
    # The BOM is not a character of the first line.
    assert (finding.location.line, finding.location.column) == position_of(text, '"works": "alpha"', 1, 9)


def test_inputs_are_not_modified(tmp_path: Path) -> None:
    manifest = make_event(tmp_path, edit("runtime: 6", "runtime: x"))
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    run_cli("validate", str(manifest))
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_wrong_types_everywhere_do_not_crash_semantics(tmp_path: Path) -> None:
    # Every section of the wrong shape: the schema reports them, the semantic checks skip them.
    hostile = {
        "manifest_version": 1,
        "event": {"venues": "hall", "dates": ["x"], "audience_languages": {"required": "fr"}, "time_zone": 5,
                  "screening_copy": {"frame_rates": [25], "resolutions": [1]}},
        "works": [None, 3, {"id": "x", "subtitles": {"a": 1}, "media": "m.mp4", "deliverables": {"burn": "fr"}},
                  {"id": "y", "subtitles": [None, {"language": 5, "path": 7}], "media": {"path": ["a"]}}],
        "screenings": [{"id": 3, "works": "x", "start": 12, "venue": None}, "s"],
    }
    path = tmp_path / "m.json"
    path.write_text(json.dumps(hostile), encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.code == 1
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert len(result.stdout.splitlines()) >= 10


def test_base_yaml_is_unchanged_by_helpers() -> None:
    assert "runtime: 6" in BASE_YAML


@pytest.mark.parametrize("pure", [True, False], ids=["pure-python", "c-parser"])
def test_both_yaml_parsers_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pure: bool) -> None:
    import toolkit.manifest.loader as loader

    monkeypatch.setattr(loader, "YAML_PURE", pure)
    manifest = load_manifest(make_event(tmp_path))
    assert manifest.positions["works[1].runtime"] == position_of(BASE_YAML, "6\n    media:\n      path: media/beta")
    assert manifest.key_positions["screenings[1].start"] == position_of(BASE_YAML, "start", 3)
    for name, text, fragment in (
        ("laughs.yaml", BILLION_LAUGHS, "aliases expand"),
        ("dup.yaml", "a: 1\nb: 2\na: 3\n", "3:1: duplicate key 'a'"),
        ("tag.yaml", "a: !!python/object:os.system {}\n", "not allowed"),
    ):
        with pytest.raises(ScreenkitError) as caught:
            load_manifest(_write(tmp_path, name, text))
        assert fragment in str(caught.value)
