"""Hostile documents and what screenkit says about them: nesting bounded in every JSON, TOML and
YAML it reads, OS errors naming their path, one finding one line whatever a file is called, and
a file cut short in its last cue."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from conftest import assert_clean_error, run_cli
from hypothesis import given
from hypothesis import strategies as st
from test_hostile_inputs import FRENCH, TINY_MANIFEST, tiny_event

from toolkit.errors import ScreenkitError

DEEP = 1000


def _srt(folder: Path, name: str = "film.en.srt") -> Path:
    path = folder / name
    path.write_text("1\n00:00:01,000 --> 00:00:04,000\nThe river keeps its memory.\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------ nesting


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", '{"name": "deep", "limits": ' + "[" * DEEP + "]" * DEEP + "}"),
        ("deep-object.json", '{"name": "deep", "x": ' + '{"a": ' * DEEP + "1" + "}" * DEEP + "}"),
        ("deep.toml", 'name = "deep"\nlimits = ' + "[" * DEEP + "]" * DEEP + "\n"),
        ("deep-inline.toml", 'name = "deep"\nx = ' + "{a = " * DEEP + "1" + "}" * DEEP + "\n"),
    ],
)
def test_a_profile_nested_1000_deep_is_a_clear_exit_2(tmp_path: Path, name: str, text: str) -> None:
    profile = tmp_path / name
    profile.write_text(text, encoding="utf-8")
    result = run_cli("lint", "--profile", str(profile), str(_srt(tmp_path)))
    assert_clean_error(result, f"{profile}:", "nested more than")
    assert "internal error" not in result.stderr


def test_a_house_profile_nested_1000_deep_is_a_finding_of_validate_and_package(tmp_path: Path) -> None:
    manifest = tiny_event(tmp_path / "event", TINY_MANIFEST.replace("qc_profile: festival", "qc_profile: deep.json"))
    (manifest.parent / "deep.json").write_text('{"limits": ' + "[" * DEEP + "]" * DEEP + "}", encoding="utf-8")
    for args in (["validate", "--no-media"], ["package", "--no-media", "--out", str(tmp_path / "out")]):
        result = run_cli(*args[:1], str(manifest), *args[1:])
        output = result.stdout + result.stderr
        assert result.code == 1, output
        assert "M404 [error] event.qc_profile" in output and "nested more than" in output, output
        assert "internal error" not in output


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("deep.json", '{"names": ' + "[" * DEEP + "]" * DEEP + "}"),
        ("deep.yaml", "names: " + "[" * DEEP + "]" * DEEP + "\n"),
        ("deep-block.yaml", "".join(" " * level + "- \n" for level in range(0, 2 * 300, 2))),
        ("bomb.yaml", "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
            f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))),
    ],
)
def test_a_hostile_glossary_is_a_clear_error(tmp_path: Path, name: str, text: str) -> None:
    from toolkit.translate.glossary import load_glossary

    glossary = tmp_path / name
    glossary.write_text(text, encoding="utf-8")
    with pytest.raises(ScreenkitError) as refused:
        load_glossary(glossary)
    assert refused.value.path == str(glossary)
    assert "\n" not in str(refused.value)


def test_a_state_file_nested_1000_deep_is_ignored_not_a_crash(tmp_path: Path) -> None:
    manifest = tiny_event(tmp_path / "event")
    out = tmp_path / "out"
    assert run_cli("package", str(manifest), "--out", str(out), "--no-media").code == 0
    (out / ".screenkit" / "state.json").write_text("[" * DEEP + "]" * DEEP, encoding="utf-8")
    again = run_cli("package", str(manifest), "--out", str(out), "--no-media")
    assert again.code == 0, again.stderr
    assert "3 ran" in again.stdout  # nothing recorded could be trusted: everything was redone


def test_a_journal_line_nested_1000_deep_is_skipped(tmp_path: Path) -> None:
    from toolkit.review.journal import replay

    journal = tmp_path / "film.fr.srt.review.jsonl"
    journal.write_text("[" * DEEP + "]" * DEEP + '\n{"type": "edit", "cue": 0, "text": "kept"}\n', encoding="utf-8")
    state = replay(journal)
    assert state.edits == {0: "kept"} and state.count == 1


# ------------------------------------------------------------------ OS errors name their path


def test_a_full_disk_while_taking_the_lock_names_the_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = tiny_event(tmp_path / "event")
    out = tmp_path / "out"
    real_write = os.write

    def full(fd: int, data: bytes) -> int:
        if data.strip().isdigit():  # the lock's pid
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media")
    assert_clean_error(result, str(out / ".screenkit" / "lock"), "No space left on device")


def test_a_run_that_cannot_write_its_report_leaves_no_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills while the report is written: neither report.json nor the checksums are left."""
    import toolkit.package.build as build

    manifest = tiny_event(tmp_path / "event")
    out = tmp_path / "out"
    real = build._write_text

    def full_at_html(temporary: Path, text: str, target: Path) -> None:
        if target.name == "report.html":
            from toolkit.fsutil import write_error

            raise write_error(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), target)
        real(temporary, text, target)

    monkeypatch.setattr(build, "_write_text", full_at_html)
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media")
    assert_clean_error(result, str(out / "report.html"), "No space left on device")
    left = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert "report.json" not in left and "checksums.sha256" not in left and not [n for n in left if ".part" in n], left


def test_a_step_that_cannot_write_leaves_no_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk in a step: exit 2 naming the output, and no report of the run it cut short."""
    import toolkit.subtitles as subtitles
    from toolkit.fsutil import WriteError

    manifest = tiny_event(tmp_path / "event")
    out = tmp_path / "out"
    target = out / "alpha" / "subtitles" / "alpha.fr.srt"  # the subtitles step writes first

    def full(track: object, path: Path, **options: object) -> None:
        raise WriteError("cannot write: No space left on device", path=path)

    monkeypatch.setattr(subtitles, "write_track", full)  # what the track steps write with
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media")
    assert result.code == 2, result.stderr
    assert f"{target}: cannot write: No space left on device" in result.stderr
    assert not (out / "report.json").exists() and not (out / "checksums.sha256").exists()


# ------------------------------------------------------------------ one finding, one line


@pytest.mark.parametrize("name", ["bad\nname.en.srt", "tab\there.en.srt", "cr\rname.en.srt", "esc\x1b[31mred.en.srt"])
def test_control_characters_in_a_file_name_keep_each_finding_on_one_line(tmp_path: Path, name: str) -> None:
    track = tmp_path / name
    # Two findings: a cue too short and one too fast.
    track.write_text("1\n00:00:01,000 --> 00:00:01,400\nHi\n\n2\n00:00:05,000 --> 00:00:05,500\n"
                     "A line far too long to be read in half a second by anyone at all\n", encoding="utf-8")
    result = run_cli("lint", str(track))
    assert result.code == 1, result.stderr
    findings = [line for line in result.stdout.splitlines() if " [error] " in line or " [warning] " in line]
    assert len(findings) >= 2
    escaped = str(tmp_path) + "/" + name.encode("unicode_escape").decode("ascii").replace("\\x1b", "\\x1b")
    assert all(line.startswith(escaped + ":") for line in findings), (escaped, result.stdout)
    for line in result.stdout.splitlines():
        assert not any(ord(ch) < 32 for ch in line), repr(line)
    as_json = json.loads(run_cli("lint", str(track), "--format", "json").stdout)
    paths = {d["location"]["path"] for r in as_json["files"] for d in r["diagnostics"]}
    assert paths == {str(track)}  # JSON keeps the real name (JSON escapes it itself)


def test_an_unreadable_file_with_a_newline_in_its_name_is_one_line(tmp_path: Path) -> None:
    track = tmp_path / "cut\nhere.srt"
    track.write_bytes(b"\x00\x01 not subtitles")
    result = run_cli("convert", str(track), "-o", str(tmp_path / "x.vtt"))
    assert_clean_error(result, str(tmp_path) + "/cut\\nhere.srt")


# ------------------------------------------------------------------ a last cue cut short


@pytest.mark.parametrize(
    ("tail", "line"),
    [("\n3\n00:00", 9), ("\n3\n", 9), ("\n3\n00:00:07,0", 9), ("\n00:00:07", 9), ("\n\n3\n00:00\n\n", 10)],
    ids=["index-and-time", "index-only", "time-cut-in-its-millis", "time-only", "blank-lines-around"],
)
def test_a_truncated_last_cue_is_a_warning_naming_its_line(tmp_path: Path, tail: str, line: int) -> None:
    from toolkit.subtitles import read_track

    track = tmp_path / "cut.fr.srt"
    track.write_text(FRENCH + tail, encoding="utf-8")
    read = read_track(track)
    assert [cue.lines for cue in read.cues] == [["Le fleuve garde la mémoire."], ["Chaque crue laisse une trace."]]
    assert [(w.line, w.kind) for w in read.warnings] == [(line, "cut-short-cue")]
    result = run_cli("lint", str(track))
    assert f"{track}:{line}: warning: " in result.stderr and "cut short" in result.stderr, result.stderr


def test_a_last_cue_whose_text_is_a_number_is_kept(tmp_path: Path) -> None:
    """Not every number after a blank line is a cut cue: a cue's own text stays its text."""
    from toolkit.subtitles import read_track

    track = tmp_path / "count.en.srt"
    track.write_text("1\n00:00:01,000 --> 00:00:03,000\n\n42\n", encoding="utf-8")
    read = read_track(track)
    assert [cue.lines for cue in read.cues] == [["42"]] and not read.warnings


# ------------------------------------------------------------------ properties of the two scanners

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet=st.sampled_from('ab[]{}"\\\n:,é')),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(alphabet="[]{}\"\\k"), children, max_size=3),
    max_leaves=30,
)


def _depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(item) for item in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(item) for item in value.values()), default=0)
    return 0


@given(_JSON, st.integers(min_value=0, max_value=6))
def test_the_json_depth_scan_agrees_with_the_document(value: object, limit: int) -> None:
    """Brackets inside strings (and escaped quotes) open nothing: the scan counts what json.loads nests."""
    from toolkit.fsutil import json_depth_at, load_json_bounded

    text = json.dumps(value)
    assert (json_depth_at(text, limit) is None) == (_depth(value) <= limit)
    if _depth(value) <= limit:
        assert load_json_bounded(text, max_depth=max(limit, 1)) == value


@given(st.text())
def test_escaped_text_is_one_printable_line_and_plain_text_is_unchanged(text: str) -> None:
    from toolkit.errors import escape_controls

    escaped = escape_controls(text)
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029" for ch in escaped)
    assert "\n" not in escaped
    escaped.encode("utf-8")  # no lone surrogate left: writable to any UTF-8 terminal or file
    if all(32 <= ord(ch) < 0x7F or (ord(ch) > 0x9F and ch not in "\u2028\u2029" and not 0xD800 <= ord(ch) <= 0xDFFF)
           for ch in text):
        assert escaped == text
