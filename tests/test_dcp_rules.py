"""The DCP1xx rules: each one triggered by an event past the limit, and quiet just inside it."""

from __future__ import annotations

import string
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import SAMPLES

from toolkit.dcp.deliver import DcpOptions, write_dcp
from toolkit.dcp.events import DcpEvent, PlacedLine
from toolkit.dcp.fonts import INTEROP_FONT_LIMIT, face_for, subset_font, used_characters
from toolkit.dcp.xml import INTEROP, SMPTE, DcpHeader, render_interop, render_smpte
from toolkit.languages import FR
from toolkit.qc import load_profile
from toolkit.qc.registry import RULES
from toolkit.qc.rules import lint_track
from toolkit.subtitles import read_track

FONT_UUID = "12345678-1234-4234-9234-123456789abc"
TEXT = string.ascii_letters + string.digits + " ,.!?'éèàçÉ"


@pytest.fixture(scope="module")
def font_bytes() -> bytes:
    return subset_font(face_for(FR), used_characters([TEXT])).data


def line(text: str = "Bonjour", position: float = 8.0, valign: str = "bottom") -> PlacedLine:
    return PlacedLine(text, valign, position)


def event(start: int, end: int, *lines: PlacedLine, fade: int = 0) -> DcpEvent:
    return DcpEvent(start, end, list(lines) or [line()], fade, fade)


def lint(
    folder: Path,
    events: list[DcpEvent],
    font: bytes | None,
    *,
    standard: str = INTEROP,
    fps: Fraction = Fraction(24),
    reel_ms: int | None = None,
    mutate: Callable[[bytes], bytes] | None = None,
) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    if standard == INTEROP:
        header = DcpHeader(INTEROP, font_uri="font.otf", language="French")
        data = render_interop(events, header)
        font_path = folder / "font.otf"
    else:
        header = DcpHeader(SMPTE, fps=fps, font_uri=f"urn:uuid:{FONT_UUID}", language="fr",
                           issue_date="2026-12-01T00:00:00+00:00")
        data = render_smpte(events, header)
        font_path = folder / f"{FONT_UUID}.otf"
    if font is not None:
        font_path.write_bytes(font)
    xml = folder / "subs.xml"
    xml.write_bytes(mutate(data) if mutate else data)
    track = read_track(xml)
    findings = lint_track(track, load_profile("cinema", FR), video_duration_ms=reel_ms)
    return [d.code for d in findings if d.code.startswith("DCP")] + [
        f"{d.code}:{d.severity.value}" for d in findings if d.code.startswith("DCP")
    ]


def test_every_rule_is_registered_and_documented() -> None:
    codes = [code for code in RULES if code.startswith("DCP")]
    assert codes == [f"DCP{n}" for n in range(101, 115)]
    assert all(RULES[code].documentation and RULES[code].summary for code in codes)


def test_a_clean_file_has_no_findings(tmp_path: Path, font_bytes: bytes) -> None:
    events = [event(4000, 6000), event(6084, 8000)]
    assert lint(tmp_path / "i", events, font_bytes) == []
    assert lint(tmp_path / "s", events, font_bytes, standard=SMPTE) == []
    assert "DCP105:warning" in lint(tmp_path / "w", [event(4000, 6000, line("a" * 60))], font_bytes)


def test_dcp101_first_text_time(tmp_path: Path, font_bytes: bytes) -> None:
    assert "DCP101" in lint(tmp_path / "a", [event(3996, 6000)], font_bytes)
    assert "DCP101" not in lint(tmp_path / "b", [event(4000, 6000)], font_bytes)


def test_dcp102_min_duration_15_frames(tmp_path: Path, font_bytes: bytes) -> None:
    frame = 1000 / 24
    assert "DCP102" in lint(tmp_path / "a", [event(4000, 4000 + round(14 * frame))], font_bytes, standard=SMPTE)
    assert "DCP102" not in lint(tmp_path / "b", [event(4000, 4000 + 625)], font_bytes, standard=SMPTE)
    assert "DCP102" in lint(tmp_path / "c", [event(4000, 4000)], font_bytes)
    # 25 fps: 15 frames are 600 ms
    assert "DCP102" not in lint(tmp_path / "d", [event(4000, 4600)], font_bytes, standard=SMPTE, fps=Fraction(25))
    assert "DCP102" in lint(tmp_path / "e", [event(4000, 4560)], font_bytes, standard=SMPTE, fps=Fraction(25))


def test_dcp103_min_gap_2_frames(tmp_path: Path, font_bytes: bytes) -> None:
    one, two = round(1000 / 24), round(2000 / 24)
    assert "DCP103" in lint(tmp_path / "a", [event(4000, 6000), event(6000 + one, 8000)], font_bytes, standard=SMPTE)
    assert "DCP103" not in lint(tmp_path / "b", [event(4000, 6000), event(6000 + two, 8000)], font_bytes,
                                standard=SMPTE)


def test_dcp104_at_most_3_lines_on_screen(tmp_path: Path, font_bytes: bytes) -> None:
    two_lines = event(4000, 6000, line("un", 14.6), line("deux", 8.0))
    two_above = event(4000, 6000, line("trois", 27.8), line("quatre", 21.2))
    one_above = event(4000, 6000, line("trois", 21.2))
    assert "DCP104" in lint(tmp_path / "a", [two_lines, two_above], font_bytes, standard=SMPTE)
    assert "DCP104" not in lint(tmp_path / "b", [two_lines, one_above], font_bytes, standard=SMPTE)
    # Interop: reported as a warning (libdcp checks line counts in SMPTE only)
    assert "DCP104:warning" in lint(tmp_path / "c", [two_lines, two_above], font_bytes)
    assert "DCP104:error" in lint(tmp_path / "e", [two_lines, two_above], font_bytes, standard=SMPTE)
    assert "DCP104" not in lint(tmp_path / "d", [two_lines, one_above], font_bytes)


def test_dcp105_and_dcp106_line_length(tmp_path: Path, font_bytes: bytes) -> None:
    def codes(length: int, name: str) -> list[str]:
        return lint(tmp_path / name, [event(4000, 6000, line("a" * length))], font_bytes)

    assert "DCP105" in codes(53, "a") and "DCP106" not in codes(53, "a2")
    assert "DCP105" not in codes(52, "b")
    assert "DCP106" in codes(80, "c")
    assert "DCP106" not in codes(79, "d") and "DCP105" in codes(79, "d2")


def test_dcp107_at_most_2_events_on_screen(tmp_path: Path, font_bytes: bytes) -> None:
    low, middle, high = line("a", 8.0), line("b", 30.0), line("c", 60.0)
    three = [event(4000, 6000, low), event(4000, 6000, middle), event(5000, 6000, high)]
    assert "DCP107" in lint(tmp_path / "a", three, font_bytes)
    assert "DCP107" not in lint(tmp_path / "b", three[:2], font_bytes)


def test_dcp108_fades_shorter_than_the_event(tmp_path: Path, font_bytes: bytes) -> None:
    assert "DCP108" in lint(tmp_path / "a", [event(4000, 5000, fade=500)], font_bytes)
    assert "DCP108" not in lint(tmp_path / "b", [event(4000, 5000, fade=496)], font_bytes)


def test_dcp109_last_event_inside_the_reel(tmp_path: Path, font_bytes: bytes) -> None:
    events = [event(4000, 6000), event(7000, 9000)]
    assert "DCP109" in lint(tmp_path / "a", events, font_bytes, reel_ms=8996)
    assert "DCP109" not in lint(tmp_path / "b", events, font_bytes, reel_ms=9000)


def test_dcp110_font_present(tmp_path: Path, font_bytes: bytes) -> None:
    assert "DCP110" in lint(tmp_path / "a", [event(4000, 6000)], None)
    assert "DCP110" in lint(tmp_path / "s", [event(4000, 6000)], None, standard=SMPTE)
    assert "DCP110" not in lint(tmp_path / "b", [event(4000, 6000)], font_bytes)
    no_load = lint(tmp_path / "c", [event(4000, 6000)], font_bytes,
                   mutate=lambda d: d.replace(b'<LoadFont Id="Font1" URI="font.otf" />', b""))
    assert "DCP110" in no_load


def test_dcp111_font_size(tmp_path: Path, font_bytes: bytes) -> None:
    padded = font_bytes + b"\0" * (INTEROP_FONT_LIMIT - len(font_bytes))
    assert "DCP111" not in lint(tmp_path / "a", [event(4000, 6000)], padded)
    assert "DCP111" in lint(tmp_path / "b", [event(4000, 6000)], padded + b"\0")
    # SMPTE allows 10 MB
    assert "DCP111" not in lint(tmp_path / "c", [event(4000, 6000)], padded + b"\0", standard=SMPTE)


def test_dcp112_font_covers_every_character(tmp_path: Path, font_bytes: bytes) -> None:
    assert "DCP112" in lint(tmp_path / "a", [event(4000, 6000, line("Bonjour 你好"))], font_bytes)
    assert "DCP112" not in lint(tmp_path / "b", [event(4000, 6000, line("Bonjour é"))], font_bytes)


def test_dcp113_schema(tmp_path: Path, font_bytes: bytes) -> None:
    bad = lint(tmp_path / "a", [event(4000, 6000)], font_bytes, mutate=lambda d: d.replace(b'"bottom"', b'"under"'))
    assert "DCP113" in bad
    assert "DCP113" not in lint(tmp_path / "b", [event(4000, 6000)], font_bytes)


def test_the_sample_french_tracks_pass_at_24_fps(tmp_path: Path) -> None:
    french = sorted(SAMPLES.rglob("*.fr.srt"))
    assert french
    for number, source in enumerate(french):
        track = read_track(source)
        out = tmp_path / str(number) / f"{source.stem}.xml"
        result = write_dcp([track], out, DcpOptions(title=source.stem, fps=Fraction(24)))
        findings = lint_track(read_track(result.xml), load_profile("cinema", FR))
        assert [d.format_text() for d in findings if d.code.startswith("DCP")] == [], source
