"""screenkit convert and retime through the real entry point; start-up stays light."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, assert_clean_error, run_cli

from toolkit.errors import ScreenkitError
from toolkit.subtitles import Cue, Track, read_track, write_track
from toolkit.subtitles.timecode import format_srt, parse_fps, parse_offset

SUBTITLES = SAMPLES / "paris-showcase" / "subtitles"
TIDES_EN = SUBTITLES / "tides-within.en.srt"


def _srt(tmp_path: Path, name: str, times: list[tuple[int, int]]) -> Path:
    track = Track(cues=[Cue(start, end, [f"cue {n}"]) for n, (start, end) in enumerate(times, 1)])
    path = tmp_path / name
    write_track(track, path)
    return path


def _times(path: Path) -> list[tuple[int, int]]:
    return [(cue.start, cue.end) for cue in read_track(path).cues]


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".part" in p.name)


# --- convert ------------------------------------------------------------------------

@pytest.mark.parametrize(("suffix", "head"), [(".vtt", "WEBVTT\n"), (".ass", "[Script Info]"), (".ssa", "[Script Info]")])
def test_convert_by_extension(tmp_path: Path, suffix: str, head: str) -> None:
    target = tmp_path / f"tides{suffix}"
    result = run_cli("convert", str(TIDES_EN), "-o", str(target), "--format", "json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == {
        "input": str(TIDES_EN),
        "output": str(target),
        "format": suffix[1:],
        "cues": 29,
        "source_encoding": "utf-8",
        "warnings": [],
        "losses": [],
    }
    assert target.read_text(encoding="utf-8").startswith(head)


def test_convert_with_to_overrides_the_extension(tmp_path: Path) -> None:
    target = tmp_path / "tides.txt"
    assert run_cli("convert", str(TIDES_EN), "-o", str(target), "--to", "vtt").code == 0
    assert target.read_text(encoding="utf-8").startswith("WEBVTT")


def test_convert_never_overwrites_its_input(tmp_path: Path) -> None:
    source = tmp_path / "film.en.srt"
    original = TIDES_EN.read_bytes()
    source.write_bytes(original)
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.srt"
    link.symlink_to(source)
    hard = tmp_path / "hard.srt"
    os.link(source, hard)
    for target in (source, tmp_path / "sub" / ".." / "film.en.srt", link, hard):
        result = run_cli("convert", str(source), "-o", str(target))
        assert_clean_error(result, "would overwrite the input")
    relative = run_cli("convert", "film.en.srt", "-o", "./film.en.srt", cwd=tmp_path)
    assert_clean_error(relative, "would overwrite the input")
    assert source.read_bytes() == original
    assert _leftovers(tmp_path) == []


def test_convert_failure_leaves_the_old_output_and_no_temp_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.srt"
    bad.write_text("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:09,000 --> 00:00:03,000\nbad\n")
    target = tmp_path / "out.vtt"
    target.write_text("previous version\n")
    assert_clean_error(run_cli("convert", str(bad), "-o", str(target)), f"{bad}:6:")
    assert target.read_text() == "previous version\n"
    assert _leftovers(tmp_path) == []


def test_write_failure_midway_leaves_nothing(tmp_path: Path) -> None:
    # A lone surrogate cannot be encoded as UTF-8: the write fails after the
    # temporary file was opened, and must clean up after itself.
    track = Track(cues=[Cue(0, 1000, ["fine"]), Cue(2000, 3000, ["broken \ud800"])])
    target = tmp_path / "out.srt"
    target.write_text("previous version\n")
    with pytest.raises(UnicodeEncodeError):
        write_track(track, target)
    assert target.read_text() == "previous version\n"
    assert _leftovers(tmp_path) == []


def test_convert_to_a_folder_is_refused(tmp_path: Path) -> None:
    assert_clean_error(run_cli("convert", str(TIDES_EN), "-o", str(tmp_path)), str(tmp_path), "is a folder")


def test_convert_unknown_output_extension(tmp_path: Path) -> None:
    result = run_cli("convert", str(TIDES_EN), "-o", str(tmp_path / "out.docx"))
    assert_clean_error(result, "out.docx", "cannot tell the subtitle format")
    assert not (tmp_path / "out.docx").exists()


# --- retime -------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("shift", "delta"),
    [("-1.5s", -1500), ("+250ms", 250), ("00:00:01,200", 1200), ("-00:00:00,040", -40), ("+2m", 120_000)],
)
def test_shift(tmp_path: Path, shift: str, delta: int) -> None:
    target = tmp_path / "shifted.srt"
    # "--shift -1.5s": click takes the next word as the value even though it starts with "-".
    result = run_cli("retime", str(TIDES_EN), "--shift", shift, "-o", str(target), "--format", "json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["shift_ms"] == delta
    assert _times(target) == [(s + delta, e + delta) for s, e in _times(TIDES_EN)]
    assert [c.lines for c in read_track(target).cues] == [c.lines for c in read_track(TIDES_EN).cues]


def test_shift_before_zero_is_a_clean_error(tmp_path: Path) -> None:
    target = tmp_path / "early.srt"
    result = run_cli("retime", str(TIDES_EN), "--shift=-5s", "-o", str(target))
    assert_clean_error(result, f"{TIDES_EN}:2:", "before 00:00:00,000")
    assert not target.exists()


def test_fps_25_to_24(tmp_path: Path) -> None:
    source = _srt(tmp_path, "pal.srt", [(24_000, 26_400), (3_600_000, 3_601_001)])
    target = tmp_path / "film.srt"
    assert run_cli("retime", str(source), "--fps", "25:24", "-o", str(target)).code == 0
    assert _times(target) == [(25_000, 27_500), (3_750_000, 3_751_043)]  # 3_601_001*25/24 = 3_751_042.7


def test_fps_23_976_is_exactly_24000_over_1001(tmp_path: Path) -> None:
    assert parse_fps("23.976") == Fraction(24000, 1001)
    # 1001 s at 23.976 become exactly 1000 s at 24; 23.976/24 as a decimal would give 999.999 s.
    source = _srt(tmp_path, "ntsc.srt", [(1_001_000, 1_003_002), (2_002_000, 2_002_500)])
    target = tmp_path / "film24.srt"
    result = run_cli("retime", str(source), "--fps", "23.976:24", "-o", str(target), "--format", "json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["fps"] == ["24000/1001", "24"]
    assert _times(target) == [(1_000_000, 1_002_000), (2_000_000, 2_000_500)]  # 2_002_500*1000/1001 = 2_000_499.5 → even


@pytest.mark.parametrize("hours", [1, 10])
def test_remove_offset_once(tmp_path: Path, hours: int) -> None:
    offset = hours * 3_600_000
    source = _srt(tmp_path, "reel.srt", [(offset + 4_000, offset + 6_000), (offset + 65_000, offset + 70_500)])
    first = tmp_path / "zero.srt"
    result = run_cli("retime", str(source), "--remove-offset", "-o", str(first), "--format", "json")
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["removed_offset_ms"] == offset
    assert _times(first) == [(4_000, 6_000), (65_000, 70_500)]
    second = tmp_path / "zero-again.srt"
    result = run_cli("retime", str(first), "--remove-offset", "-o", str(second), "--format", "json")
    assert json.loads(result.stdout)["removed_offset_ms"] == 0
    assert second.read_bytes() == first.read_bytes()


def test_order_remove_offset_then_fps_then_shift(tmp_path: Path) -> None:
    source = _srt(tmp_path, "reel.srt", [(3_600_000 + 24_000, 3_600_000 + 48_000)])
    target = tmp_path / "out.vtt"
    args = ["retime", str(source), "--remove-offset", "--fps", "25:24", "--shift=+250ms", "-o", str(target)]
    assert run_cli(*args).code == 0
    assert _times(target) == [(25_250, 50_250)]
    assert target.read_text(encoding="utf-8").startswith("WEBVTT")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--shift", "soon"], "cannot read duration 'soon'"),
        (["--fps", "25"], "--fps takes FROM:TO"),
        (["--fps", "25:zero"], "cannot read frame rate 'zero'"),
        (["--fps", "0:24"], "out of range"),
        ([], "nothing to do"),
    ],
)
def test_retime_bad_arguments(tmp_path: Path, args: list[str], fragment: str) -> None:
    target = tmp_path / "out.srt"
    assert_clean_error(run_cli("retime", str(TIDES_EN), *args, "-o", str(target)), fragment)
    assert not target.exists()


def test_retime_never_overwrites_its_input(tmp_path: Path) -> None:
    source = tmp_path / "a.srt"
    source.write_bytes(TIDES_EN.read_bytes())
    assert_clean_error(run_cli("retime", str(source), "--shift=+1s", "-o", str(source)), "would overwrite")
    assert source.read_bytes() == TIDES_EN.read_bytes()


def test_offset_and_fps_parsers() -> None:
    assert parse_offset("-1.5s") == -1500
    assert parse_offset("+250ms") == 250
    assert parse_offset("00:00:01,200") == 1200
    assert parse_offset("1.2345s") == 1234  # to the millisecond, half to even
    assert parse_fps("30000/1001") == Fraction(30000, 1001)
    assert format_srt(3_601_001) == "01:00:01,001"
    for unclear in ("", "+", "++1s", "1.5", "1e3s"):  # "1.5": seconds or minutes? say the unit
        with pytest.raises(ScreenkitError):
            parse_offset(unclear)
    for bad in ("inf", "nan", "-25", "1/0"):
        with pytest.raises(ScreenkitError):
            parse_fps(bad)


# --- start-up -----------------------------------------------------------------------

HEAVY = ("argostranslate", "ctranslate2", "av", "jsonschema", "torch", "stanza", "spacy", "ray", "pyarrow", "pandas",
         "starlette", "uvicorn", "jinja2", "httpx", "playwright")  # web code: only `review` runs it


@pytest.mark.parametrize(
    "argv", [["--help"], ["convert", "--help"], ["retime", "--help"], ["translate", "--help"], ["review", "--help"]]
)
def test_help_imports_nothing_heavy(argv: list[str]) -> None:
    probe = (
        "import sys\n"
        "from toolkit.cli.main import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=True)
    assert "Usage: screenkit" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "HEAVY="
