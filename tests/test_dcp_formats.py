"""DCP (Interop, SMPTE), IMSC 1.1 and EBU-TT-D: written files validate, and SRT round trips keep
text, line breaks, italics, top position and times to the format's precision."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st
from test_subtitles_properties import tracks

from toolkit.dcp.events import events_from_track
from toolkit.dcp.reader import read_dcp_track
from toolkit.dcp.xml import (
    INTEROP,
    SMPTE,
    DcpHeader,
    parse_interop_time,
    parse_smpte_time,
    read_dcp_xml,
    render_interop,
    render_smpte,
)
from toolkit.dcp.xsd import validate_xml
from toolkit.errors import ScreenkitError
from toolkit.languages import FR, ZH_HANS
from toolkit.subtitles import Cue, Track, parse_text, read_track, render_track
from toolkit.subtitles.model import strip_tags
from toolkit.subtitles.ttml import EBU_TT_D_STANDARD, read_ttml, write_ebu_tt_d, write_imsc
from toolkit.text.runs import styled_characters

CORPUS_SRT = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix.lower() in (".srt", ".vtt", ".ass"))


def _interop(track: Track, **header: object) -> bytes:
    return render_interop(events_from_track(track), DcpHeader(INTEROP, font_uri="font.otf", **header))  # type: ignore[arg-type]


def _smpte(track: Track, fps: Fraction = Fraction(24)) -> bytes:
    header = DcpHeader(SMPTE, fps=fps, font_uri="urn:uuid:12345678-1234-1234-1234-123456789abc",
                       issue_date="2026-12-01T00:00:00+00:00")
    return render_smpte(events_from_track(track), header)


def _dcp(track: Track, standard: str, fps: Fraction = Fraction(24)) -> Track:
    data = _interop(track) if standard == INTEROP else _smpte(track, fps)
    assert validate_xml(data) == []
    return read_dcp_track(data, "x.xml")


def _same_content(before: Track, after: Track, tolerance_ms: float) -> None:
    """Text, line breaks, italics per character, top position, times within the precision."""
    assert len(after.cues) == len(before.cues)
    ordered = sorted(before.cues, key=lambda c: (c.start, c.end))
    for old, new in zip(ordered, after.cues, strict=True):
        assert [strip_tags(x) for x in new.lines] == [strip_tags(x) for x in old.lines]
        assert new.is_top == old.is_top
        assert abs(new.start - old.start) <= tolerance_ms
        assert abs(new.end - old.end) <= tolerance_ms


_OVERRIDE = re.compile(r"\{\\[^}]*\}")


def strip_tags_keep_italic(line: str) -> str:
    return _OVERRIDE.sub("", line)


def _italics(track: Track) -> list[list[list[tuple[str, bool]]]]:
    return [styled_characters([strip_tags_keep_italic(x) for x in c.lines]) for c in
            sorted(track.cues, key=lambda c: (c.start, c.end))]


# ---------------------------------------------------------------- XSD validity


@settings(max_examples=40, deadline=None)
@given(tracks())
def test_interop_xml_validates_and_round_trips_to_the_tick(track: Track) -> None:
    back = _dcp(track, INTEROP)
    _same_content(track, back, tolerance_ms=2)  # one 4 ms tick, rounded to the nearest
    assert [styled_characters(c.lines) for c in back.cues] == _italics(track)


@settings(max_examples=40, deadline=None)
@given(tracks(), st.sampled_from([Fraction(24), Fraction(25), Fraction(24000, 1001), Fraction(48)]))
def test_smpte_xml_validates_and_round_trips_to_the_edit_unit(track: Track, fps: Fraction) -> None:
    back = _dcp(track, SMPTE, fps)
    _same_content(track, back, tolerance_ms=float(500 / fps) + 1)  # half an edit unit, rounded
    assert [styled_characters(c.lines) for c in back.cues] == _italics(track)


@pytest.mark.parametrize("path", CORPUS_SRT[:60], ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_files_make_valid_dcp_xml(path: Path) -> None:
    try:
        track = read_track(path)
    except ScreenkitError:
        return
    track.cues = [c for c in track.cues if c.end < 24 * 3_600_000]
    if not track.cues:
        return
    for standard in (INTEROP, SMPTE):
        back = _dcp(track, standard)
        assert [[strip_tags(x).replace("\x0c", "") for x in c.lines] for c in back.cues] == [
            [re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", strip_tags(x)) for x in c.lines or [""]]
            for c in sorted(track.cues, key=lambda c: (c.start, c.end))
        ]


@pytest.mark.parametrize("path", CORPUS_SRT[:60:3], ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_files_make_ttml_that_reads_back(path: Path) -> None:
    try:
        track = read_track(path)
    except ScreenkitError:
        return
    # What an IMSC renderer shows: a cue with no visible text is no snapshot (the ISD model).
    shown = sorted((c for c in track.cues if c.end > c.start and strip_tags(c.text).strip(" \n\t\r")),
                   key=lambda c: (c.start, c.end))
    for write in (write_imsc, write_ebu_tt_d):
        back = read_ttml(write(track).encode(), "x.ttml")
        assert [(c.start, c.end) for c in back.cues] == [(c.start, c.end) for c in shown]
        assert [[strip_tags(x) for x in c.lines] for c in back.cues] == [
            [re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", strip_tags(x)) for x in c.lines or [""]] for c in shown
        ]


def test_an_invalid_file_is_caught_by_the_schema() -> None:
    data = _interop(Track(cues=[Cue(4000, 6000, ["a"])]))
    assert validate_xml(data) == []
    broken = data.replace(b'VAlign="bottom"', b'VAlign="under"')
    errors = validate_xml(broken)
    assert errors and "VAlign" in errors[0].message
    smpte = _smpte(Track(cues=[Cue(4000, 6000, ["a"])]))
    assert validate_xml(smpte.replace(b"<EditRate>24 1</EditRate>", b"<EditRate>24</EditRate>"))


def test_interop_header_and_positions() -> None:
    track = Track(cues=[Cue(4000, 6000, ["haut"], alignment=8), Cue(7000, 9000, ["un", "deux"])], language=FR)
    root = ET.fromstring(_interop(track, title="Film", reel=2, language="French"))
    assert root.tag == "DCSubtitle" and root.get("Version") == "1.0"
    assert [root.findtext(t) for t in ("MovieTitle", "ReelNumber", "Language")] == ["Film", "2", "French"]
    texts = root.findall(".//Subtitle/Text")
    assert texts[0].get("VAlign") == "top"
    assert [t.get("VAlign") for t in texts[1:]] == ["bottom", "bottom"]
    # the first line of a bottom cue stands above the second
    assert float(texts[1].get("VPosition", 0)) > float(texts[2].get("VPosition", 0)) > 0
    font = root.find("Font")
    assert font is not None and font.get("Effect") == "border" and font.get("Size") == "42"
    assert font.get("Color") == "FFFFFFFF"


def test_smpte_header() -> None:
    data = _smpte(Track(cues=[Cue(4000, 6000, ["a"])], language=FR), Fraction(24000, 1001))
    root = ET.fromstring(data)
    ns = {"d": "http://www.smpte-ra.org/schemas/428-7/2014/DCST"}
    assert root.findtext("d:EditRate", namespaces=ns) == "24000 1001"
    assert root.findtext("d:TimeCodeRate", namespaces=ns) == "24"
    assert root.findtext("d:StartTime", namespaces=ns) == "00:00:00:00"
    assert (root.findtext("d:Id", namespaces=ns) or "").startswith("urn:uuid:")
    # 4 s at 24000/1001 is frame 95.9 -> 96 = 00:00:04:00
    assert root.find(".//d:Subtitle", ns).get("TimeIn") == "00:00:04:00"  # type: ignore[union-attr]


def test_times_to_the_format_precision() -> None:
    assert parse_interop_time("00:00:01:249") == 1996
    assert parse_interop_time("00:00:01.5") == 1500
    with pytest.raises(ValueError):
        parse_interop_time("00:00:01:250")
    assert parse_smpte_time("00:00:01:12", Fraction(24)) == 1500
    with pytest.raises(ValueError):
        parse_smpte_time("00:00:01:24", Fraction(24))


def test_same_input_same_bytes() -> None:
    track = Track(cues=[Cue(4000, 6000, ["a"])], language=FR)
    assert _interop(track) == _interop(track.copy())
    assert _smpte(track) == _smpte(track.copy())


def test_reading_bad_xml_names_the_line() -> None:
    with pytest.raises(ScreenkitError) as caught:
        read_dcp_xml(b"<DCSubtitle Version='1.0'>\n<Subtitle TimeIn='x'>\n", "bad.xml")
    assert caught.value.path == "bad.xml" and caught.value.line
    with pytest.raises(ScreenkitError, match="not DCP subtitles"):
        read_dcp_xml(b"<html/>", "page.xml")
    with pytest.raises(ScreenkitError) as caught:
        read_dcp_xml(b'<DCSubtitle Version="1.0">\n<Font>\n<Subtitle TimeIn="00:00:99:000" TimeOut="1"/>'
                     b"</Font></DCSubtitle>", "t.xml")
    assert caught.value.line == 3


# ---------------------------------------------------------------- IMSC / EBU-TT-D


@settings(max_examples=30, deadline=None)
@given(tracks())
def test_imsc_round_trip_through_ttconv(track: Track) -> None:
    # A zero-length cue is never shown; ttconv's reader drops it, as TTML players do.
    track.cues = [c for c in track.cues if c.end > c.start]
    track.language = ZH_HANS
    document = write_imsc(track)
    assert 'ttp:contentProfiles="http://www.w3.org/ns/ttml/profile/imsc1.1/text"' in document
    back = read_ttml(document.encode())
    assert back.language == ZH_HANS
    _same_content(track, back, tolerance_ms=0)
    assert [styled_characters(c.lines) for c in back.cues] == _italics(track)


@settings(max_examples=30, deadline=None)
@given(tracks())
def test_ebu_tt_d_round_trip_through_ttconv(track: Track) -> None:
    # A zero-length cue is never shown; ttconv's reader drops it, as TTML players do.
    track.cues = [c for c in track.cues if c.end > c.start]
    track.language = FR
    document = write_ebu_tt_d(track)
    back = read_ttml(document.encode())
    assert back.language == FR
    _same_content(track, back, tolerance_ms=0)
    assert [styled_characters(c.lines) for c in back.cues] == _italics(track)


def test_ebu_tt_d_follows_tech_3380() -> None:
    track = Track(cues=[Cue(1500, 3000, ["<i>un</i> deux"], alignment=8), Cue(4000, 5000, ["b"])], language=FR)
    root = ET.fromstring(write_ebu_tt_d(track))
    tts = "{http://www.w3.org/ns/ttml#styling}"
    assert root.get("{http://www.w3.org/ns/ttml#parameter}timeBase") == "media"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert not any("contentProfiles" in key or key.endswith("}profile") for key in root.attrib)
    assert root.findtext(".//{urn:ebu:tt:metadata}conformsToStandard") == EBU_TT_D_STANDARD
    for tag in ("body", "div", "p", "span"):
        for element in root.iter(f"{{http://www.w3.org/ns/ttml}}{tag}"):
            assert not [k for k in element.attrib if k.startswith(tts)], (tag, element.attrib)
    for p in root.iter("{http://www.w3.org/ns/ttml}p"):
        assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d\d\d", p.get("begin", ""))
    head = root.find("{http://www.w3.org/ns/ttml}head")
    assert head is not None and [child.tag.split("}")[1] for child in head] == ["metadata", "styling", "layout"]
    ids = {s.get("{http://www.w3.org/XML/1998/namespace}id") for s in root.iter("{http://www.w3.org/ns/ttml}style")}
    assert all(e.get("style") in ids for e in root.iter() if e.get("style"))


def test_ttml_regions_top_and_bottom() -> None:
    track = Track(cues=[Cue(0, 1000, ["haut"], alignment=8), Cue(2000, 3000, ["bas"])], language=FR)
    back = read_ttml(write_imsc(track).encode())
    assert [c.is_top for c in back.cues] == [True, False]


def test_bad_ttml_is_a_located_error() -> None:
    with pytest.raises(ScreenkitError) as caught:
        read_ttml(b"<tt xmlns='http://www.w3.org/ns/ttml'>\n<body>", "x.ttml")
    assert caught.value.line == 2
    with pytest.raises(ScreenkitError, match="not TTML"):
        read_ttml(b"<DCSubtitle/>", "x.ttml")


def test_srt_round_trips_through_every_format() -> None:
    source = "1\n00:00:04,000 --> 00:00:06,500\nBonjour <i>le monde</i>\ndeuxième ligne\n\n" \
             "2\n00:00:07,000 --> 00:00:09,000\n{\\an8}<i>En haut</i>\n"
    track = parse_text(source, "srt")
    track.language = FR
    for back in (
        _dcp(track, INTEROP), _dcp(track, SMPTE), read_ttml(write_imsc(track).encode()),
        read_ttml(write_ebu_tt_d(track).encode()),
    ):
        assert render_track(back, "srt") == render_track(track, "srt")
