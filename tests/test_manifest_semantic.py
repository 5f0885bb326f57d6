"""Semantic checks: each broken on its own, with the code, the JSON path and the line:col reported."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

import pytest
from manifest_kit import BASE_YAML, edit, make_event, only, position_of, real_video

from toolkit.diagnostics import Severity
from toolkit.manifest import ManifestPathError, load_manifest, validate_manifest

# (id, old, new, code, pointer, (needle, occurrence[, offset]), message part)
CASES = [
    ("duplicate work id", "  - id: beta\n", "  - id: alpha\n", "M201", "works[1].id", ("- id: alpha", 2, 6), "duplicate work id 'alpha'"),
    ("duplicate screening id", "  - id: second", "  - id: first", "M201", "screenings[1].id", ("first", 2), "duplicate screening id"),
    ("duplicate screen id", "        - {id: one, name: Screen One}\n",
     "        - {id: one, name: Screen One}\n        - {id: one, name: Screen Two}\n",
     "M201", "event.venues[0].screens[1].id", ("{id: one, name: Screen Two}", 1, 5), "duplicate screen id 'one'"),
    ("duplicate track", "{language: en, path: subs/alpha.en.srt}", "{language: fr, path: subs/alpha.en.srt}",
     "M201", "works[0].subtitles[1].language", ("fr, path: subs/alpha.en", 1), "a second full track in fr"),
    ("unknown venue", "    venue: hall\n    screen: one\n    start: \"2026-03-14T21",
     "    venue: salle\n    screen: one\n    start: \"2026-03-14T21", "M202", "screenings[1].venue", ("salle", 1), "unknown venue 'salle'"),
    ("unknown screen", "    screen: one\n    start: \"2026-03-14T21", "    screen: two\n    start: \"2026-03-14T21",
     "M202", "screenings[1].screen", ("two", 1), "has no screen 'two'"),
    ("unknown work", "works: [alpha, beta]", "works: [alpha, gamma]", "M202", "screenings[0].works[1]", ("gamma", 1),
     "unknown work 'gamma'"),
    ("burn without track", "- languages: [fr]", "- languages: [zh-Hans]", "M202", "works[0].deliverables.burn[0].languages[0]",
     ("zh-Hans]", 1), "no zh-Hans subtitle track"),
    ("mux default not muxed", "tracks: [fr, en], default: fr", "tracks: [en], default: fr", "M202",
     "works[0].deliverables.mux.default", ("fr, container", 1), "not among the muxed tracks"),
    ("event ends before it starts", 'end: "2026-03-15"', 'end: "2026-03-12"', "M203", "event.dates.end", ('"2026-03-12"', 1),
     "ends (2026-03-12) before it starts"),
    ("unknown time zone", "time_zone: Europe/Paris", "time_zone: Europe/Pariss", "M204", "event.time_zone", ("Europe/Pariss", 1),
     "unknown time zone"),
    ("dotdot escape", "path: media/beta.mp4", "path: ../../etc/passwd", "M301", "works[1].media.path", ("../../etc/passwd", 1),
     "leads out of the manifest's folder"),
    ("absolute path", "path: media/beta.mp4", "path: /etc/passwd", "M301", "works[1].media.path", ("/etc/passwd", 1), "is absolute"),
    ("missing file", "path: subs/beta.en.srt", "path: subs/beta.english.srt", "M302", "works[1].subtitles[0].path",
     ("subs/beta.english.srt", 1), "does not exist"),
    ("folder not file", "path: media/beta.mp4", "path: media", "M302", "works[1].media.path", ("media\n", 1), "is a folder"),
    ("required language missing", "    original_language: fr\n", "    original_language: zh-Hans\n", "M501", "works[1].subtitles",
     ("- {language: en, path: subs/beta", 1), "no fr subtitles for 'beta'"),
    ("screenings overlap", "T21:00:00+01:00", "T19:10:00+01:00", "M701", "screenings[1].start", ('"2026-03-14T19:10', 1),
     "overlaps screening 'first' on hall/one"),
    ("start outside the dates", '"2026-03-14T21:00:00+01:00"', '"2026-03-16T21:00:00+01:00"', "M702", "screenings[1].start",
     ('"2026-03-16T21', 1), "outside the event's dates"),
]


@pytest.mark.parametrize(
    ("old", "new", "code", "pointer", "needle", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_semantic_check_reported_at_its_place(
    tmp_path: Path, old: str, new: str, code: str, pointer: str, needle: tuple[str, int] | tuple[str, int, int], message: str
) -> None:
    text = edit(old, new)
    findings = validate_manifest(make_event(tmp_path, text), check_media=False)
    # Some mistakes have consequences (a duplicated work id leaves the other unknown);
    # the check under test must report exactly once.
    matching = only(findings, code)
    assert len(matching) == 1, [d.format_text() for d in findings]
    finding = matching[0]
    assert finding.location.pointer == pointer
    assert message in finding.message, finding.message
    assert (finding.location.line, finding.location.column) == position_of(text, *needle)


def test_burned_language_missing(tmp_path: Path) -> None:
    text = edit("burned_languages: [fr]", "burned_languages: [zh-Hans]")
    findings = validate_manifest(make_event(tmp_path, text), check_media=False)
    assert [(d.code, d.location.pointer) for d in findings] == [("M503", "works[0].subtitles"), ("M503", "works[1].subtitles")]
    assert "burns in zh-Hans but 'alpha' has no zh-Hans track" in findings[0].message
    assert (findings[1].location.line, findings[1].location.column) == position_of(text, "- {language: en, path: subs/beta")


def test_overlap_counts_changeover(tmp_path: Path) -> None:
    # first: 19:00 + 12 s of films, ends 19:00:12; 15 min changeover → 19:15:12 is the earliest next start.
    early = edit("T21:00:00+01:00", "T19:15:00+01:00")
    assert only(validate_manifest(make_event(tmp_path / "a", early), check_media=False), "M701")
    late = edit("T21:00:00+01:00", "T19:15:13+01:00")
    assert not only(validate_manifest(make_event(tmp_path / "b", late), check_media=False), "M701")
    with_qa = edit("works: [alpha, beta]\n", "works: [alpha, beta]\n    qa_minutes: 30\n", late)
    assert only(validate_manifest(make_event(tmp_path / "c", with_qa), check_media=False), "M701")


def test_different_screens_do_not_overlap(tmp_path: Path) -> None:
    text = edit("        - {id: one, name: Screen One}\n", "        - {id: one, name: Screen One}\n        - {id: two, name: Two}\n")
    text = edit("    screen: one\n    start: \"2026-03-14T21:00", "    screen: two\n    start: \"2026-03-14T19:00", text)
    assert validate_manifest(make_event(tmp_path, text), check_media=False) == []


def test_start_date_is_judged_in_the_event_time_zone(tmp_path: Path) -> None:
    # 23:30 UTC on the 15th is 00:30 on the 16th in Paris: outside the dates.
    text = edit('"2026-03-14T21:00:00+01:00"', '"2026-03-15T23:30:00Z"')
    findings = validate_manifest(make_event(tmp_path, text), check_media=False)
    assert [d.code for d in findings if d.code.startswith("M7")] == ["M702", "M703"]
    assert "starts on 2026-03-16 (Europe/Paris)" in only(findings, "M702")[0].message


def test_offset_not_the_time_zone_one_is_a_warning(tmp_path: Path) -> None:
    text = edit("T21:00:00+01:00", "T21:00:00+02:00")  # Paris is on winter time in mid-March
    findings = validate_manifest(make_event(tmp_path, text), check_media=False)
    [finding] = findings
    assert (finding.code, finding.severity) == ("M703", Severity.WARNING)
    assert "+02:00" in finding.message and "+01:00" in finding.message


def test_optional_language_missing_is_a_note(tmp_path: Path) -> None:
    text = edit("    subtitles:\n      - {language: en, path: subs/beta.en.srt}\n", "")
    text = edit("  qc_profile", "  qc_profile", text)
    findings = validate_manifest(make_event(tmp_path, text), check_media=False)
    [finding] = findings
    assert (finding.code, finding.severity, finding.location.pointer) == ("M502", Severity.INFO, "works[1]")
    assert "no en subtitles for 'beta'" in finding.message


def test_original_language_counts_as_present(tmp_path: Path) -> None:
    # beta is in French: no French track needed even though fr is required and burned.
    findings = validate_manifest(make_event(tmp_path), check_media=False)
    assert not only(findings, "M501") and not only(findings, "M503")


def test_sha256_mismatch_and_match(tmp_path: Path) -> None:
    manifest = make_event(tmp_path)
    digest = hashlib.sha256((tmp_path / "subs" / "beta.en.srt").read_bytes()).hexdigest()
    good = edit("{language: en, path: subs/beta.en.srt}", f'{{language: en, path: subs/beta.en.srt, sha256: "{digest}"}}')
    manifest.write_text(good, encoding="utf-8")
    assert validate_manifest(manifest, check_media=False) == []
    bad = good.replace(digest, "0" * 64)
    manifest.write_text(bad, encoding="utf-8")
    [finding] = validate_manifest(manifest, check_media=False)
    assert (finding.code, finding.location.pointer) == ("M303", "works[1].subtitles[0].sha256")
    assert (finding.location.line, finding.location.column) == position_of(bad, '"' + "0" * 64)
    assert digest in finding.message


def test_media_sha256_checked_only_with_media(tmp_path: Path) -> None:
    text = edit("      path: media/beta.mp4\n", "      path: media/beta.mp4\n      sha256: " + "a" * 64 + "\n")  # letters: a string
    manifest = make_event(tmp_path, text, videos=True)
    assert validate_manifest(manifest, check_media=False) == []
    assert [d.code for d in validate_manifest(manifest)] == ["M303"]


def test_symlink_out_of_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside.srt"
    outside.write_text("1\n00:00:01,000 --> 00:00:03,000\nsecret\n", encoding="utf-8")
    event = tmp_path / "event"
    manifest = make_event(event)
    (event / "subs" / "beta.en.srt").unlink()
    os.symlink(outside, event / "subs" / "beta.en.srt")
    [finding] = validate_manifest(manifest, check_media=False)
    assert (finding.code, finding.location.pointer) == ("M301", "works[1].subtitles[0].path")
    assert "symbolic link that leads out" in finding.message


def test_symlink_inside_the_folder_is_fine(tmp_path: Path) -> None:
    manifest = make_event(tmp_path)
    (tmp_path / "subs" / "beta.en.srt").rename(tmp_path / "subs" / "real.srt")
    os.symlink("real.srt", tmp_path / "subs" / "beta.en.srt")
    assert validate_manifest(manifest, check_media=False) == []


def test_resolve_refuses_escapes(tmp_path: Path) -> None:
    manifest = load_manifest(make_event(tmp_path))
    assert manifest.resolve("media/../media/alpha.mp4") == tmp_path.resolve() / "media" / "alpha.mp4"
    for hostile in ("../x", "media/../../x", "/etc/passwd", "C:\\Windows\\win.ini", "a\x00b"):
        with pytest.raises(ManifestPathError):
            manifest.resolve(hostile)


def test_subtitle_that_does_not_parse(tmp_path: Path) -> None:
    manifest = make_event(tmp_path)
    (tmp_path / "subs" / "beta.en.srt").write_text("1\n00:00:01,000 --> banana\nHello\n", encoding="utf-8")
    [finding] = validate_manifest(manifest, check_media=False)
    assert (finding.code, finding.location.pointer) == ("M401", "works[1].subtitles[0].path")
    assert finding.location.line == position_of(BASE_YAML, "subs/beta.en.srt")[0]
    assert "beta.en.srt:2" in finding.message


def test_language_does_not_match_tag(tmp_path: Path) -> None:
    from manifest_kit import FRENCH_SRT

    manifest = make_event(tmp_path)
    (tmp_path / "subs" / "beta.en.srt").write_text(FRENCH_SRT, encoding="utf-8")
    [finding] = validate_manifest(manifest, check_media=False)
    assert (finding.code, finding.location.pointer) == ("M402", "works[1].subtitles[0].language")
    assert finding.message.startswith("tagged en, but the text reads as fr")
    assert (finding.location.line, finding.location.column) == position_of(BASE_YAML, "en, path: subs/beta")


def test_language_checked_without_qc_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With SK502 turned off in the QC profile, the manifest check identifies the language itself."""
    from manifest_kit import FRENCH_SRT

    from toolkit.manifest.checks.context import CheckContext

    real = CheckContext.qc_profile

    def without_sk502(self: CheckContext, language: object) -> object:
        profile = real(self, language)  # type: ignore[arg-type]
        return replace(profile, severity={**profile.severity, "SK502": "off"})

    monkeypatch.setattr(CheckContext, "qc_profile", without_sk502)
    manifest = make_event(tmp_path)
    (tmp_path / "subs" / "beta.en.srt").write_text(FRENCH_SRT, encoding="utf-8")
    [finding] = validate_manifest(manifest, check_media=False)
    assert (finding.code, finding.location.pointer) == ("M402", "works[1].subtitles[0].language")
    assert "tagged en but the text looks like fr" in finding.message


def test_last_cue_after_the_declared_runtime(tmp_path: Path) -> None:
    text = edit("runtime: 6\n    media:\n      path: media/beta", "runtime: 5\n    media:\n      path: media/beta")
    text = edit("works: [alpha, beta]", "works: [alpha]", text)
    findings = validate_manifest(make_event(tmp_path, text), check_media=False)
    [finding] = findings
    assert (finding.code, finding.location.pointer) == ("M403", "works[1].subtitles[0].path")
    assert "00:00:05,200" in finding.message and "00:00:05,000" in finding.message


def test_qc_profile_errors_are_reported_in_the_subtitle_file(tmp_path: Path) -> None:
    manifest = make_event(tmp_path)
    text = "1\n00:00:00,500 --> 00:00:01,000\nThe river keeps its memory here, and every flood leaves a mark.\n"
    (tmp_path / "subs" / "beta.en.srt").write_text(text, encoding="utf-8")
    findings = validate_manifest(manifest, check_media=False)
    assert findings and all(d.code.startswith("SK") and d.is_error for d in findings)
    assert {d.location.pointer for d in findings} == {"works[1].subtitles[0].path"}
    assert {d.location.path for d in findings} == {str(tmp_path / "subs" / "beta.en.srt")}
    assert "SK101" in {d.code for d in findings}  # half a second is below the festival minimum


def test_qc_profile_warnings_are_not_reported(tmp_path: Path) -> None:
    manifest = make_event(tmp_path)
    srt = (tmp_path / "subs" / "beta.en.srt").read_text(encoding="utf-8").replace("The river", "The  river")
    (tmp_path / "subs" / "beta.en.srt").write_text(srt, encoding="utf-8")  # SK303 double space: a warning
    assert validate_manifest(manifest, check_media=False) == []


def test_unknown_qc_profile(tmp_path: Path) -> None:
    text = edit("qc_profile: festival", "qc_profile: festivale")
    findings = validate_manifest(make_event(tmp_path, text), check_media=False)
    [finding] = findings
    assert (finding.code, finding.location.pointer) == ("M404", "event.qc_profile")
    assert (finding.location.line, finding.location.column) == position_of(text, "festivale")
    assert "unknown QC profile 'festivale' (built-in: festival," in finding.message


def test_qc_profile_file_relative_to_the_manifest(tmp_path: Path) -> None:
    import json

    from toolkit.qc.profile import load_document

    document, _ = load_document("festival")
    strict = json.loads(json.dumps(document))
    strict["name"] = "house"
    strict["limits"]["max_chars_per_line"] = {"value": 12, "source": "house rule for the test"}
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "house.json").write_text(json.dumps(strict), encoding="utf-8")
    text = edit("qc_profile: festival", "qc_profile: profiles/house.json")
    findings = validate_manifest(make_event(tmp_path, text), check_media=False)
    assert findings and {d.code for d in findings} == {"SK201"}
    escaping = edit("qc_profile: festival", "qc_profile: ../house.json")
    [finding] = validate_manifest(make_event(tmp_path / "b", escaping), check_media=False)
    assert (finding.code, finding.location.pointer) == ("M301", "event.qc_profile")


# --- media (real H.264 files made by ffmpeg) ---------------------------------------


def test_media_matching_everything_is_valid(tmp_path: Path) -> None:
    assert validate_manifest(make_event(tmp_path, videos=True)) == []


def test_media_duration_off_the_runtime(tmp_path: Path) -> None:
    text = edit("runtime: 6\n    media:\n      path: media/beta", "runtime: 9\n    media:\n      path: media/beta")
    findings = validate_manifest(make_event(tmp_path, text, videos=True))
    [finding] = findings
    assert (finding.code, finding.location.pointer) == ("M602", "works[1].runtime")
    assert "lasts 6.000 s, not 9 s" in finding.message
    assert (finding.location.line, finding.location.column) == position_of(text, "9\n    media:\n      path: media/beta")
    assert validate_manifest(tmp_path / "manifest.yaml", check_media=False) == []


def test_media_declared_duration_is_used_before_runtime(tmp_path: Path) -> None:
    text = edit("      path: media/beta.mp4\n", "      path: media/beta.mp4\n      duration: 3.5\n")
    [finding] = validate_manifest(make_event(tmp_path, text, videos=True))
    assert (finding.code, finding.location.pointer) == ("M602", "works[1].media.duration")


def test_media_frame_rate_not_allowed_and_not_declared(tmp_path: Path) -> None:
    text = edit("      path: media/beta.mp4\n", '      path: media/beta.mp4\n      frame_rate: "25"\n')
    manifest = make_event(tmp_path, text, videos=True)
    real_video(tmp_path / "media" / "beta.mp4", rate=30)
    findings = validate_manifest(manifest)
    assert [(d.code, d.location.pointer) for d in findings] == [
        ("M603", "works[1].media.path"),
        ("M603", "works[1].media.frame_rate"),
    ]
    assert "frame rate 30 is not allowed by the event (25)" in findings[0].message


def test_media_resolution_not_allowed_and_not_declared(tmp_path: Path) -> None:
    text = edit("      path: media/beta.mp4\n", "      path: media/beta.mp4\n      resolution: {width: 320, height: 180}\n")
    manifest = make_event(tmp_path, text, videos=True)
    real_video(tmp_path / "media" / "beta.mp4", width=640, height=360)
    findings = validate_manifest(manifest)
    assert [(d.code, d.location.pointer) for d in findings] == [
        ("M604", "works[1].media.path"),
        ("M604", "works[1].media.resolution"),
    ]
    assert "640x360 is not allowed by the event (320x180)" in findings[0].message


def test_corrupt_video_is_a_finding(tmp_path: Path) -> None:
    manifest = make_event(tmp_path, videos=True)
    (tmp_path / "media" / "beta.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42 truncated")
    [finding] = validate_manifest(manifest)
    assert (finding.code, finding.location.pointer) == ("M601", "works[1].media.path")
    assert "cannot probe" in finding.message


def test_subtitle_end_checked_against_probed_duration(tmp_path: Path) -> None:
    manifest = make_event(tmp_path, videos=True)
    real_video(tmp_path / "media" / "beta.mp4", seconds=5)
    text = edit("runtime: 6\n    media:\n      path: media/beta", "runtime: 5\n    media:\n      path: media/beta")
    manifest.write_text(text, encoding="utf-8")
    codes = [d.code for d in validate_manifest(manifest)]
    assert codes == ["M403"]
