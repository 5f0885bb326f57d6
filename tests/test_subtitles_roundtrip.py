"""SRT → model → SRT is exact for clean files; SRT ↔ WebVTT ↔ ASS keep what each format can hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, SAMPLES

from toolkit.subtitles import Cue, Track, parse_text, read_track, render_track

SUBTITLES = SAMPLES / "paris-showcase" / "subtitles"
SAMPLE_FILES = sorted(SUBTITLES.glob("*.srt"))

# Corpus SRTs that are already in the canonical form screenkit writes
# (numbered from 1, one blank line between cues, no stray markup).
CLEAN_CORPUS = [
    CORPUS / "Enymoduesp__Projet_Sous_titre_film" / "ST_Generes__Stalker_STFR.srt",
    CORPUS / "Frenchy31__SousTitres" / "web__Mr.Robot.S04E10.WEBRip.x264-ION10.AMZN-NTG.srt",
    CORPUS
    / "ChineseSubFinder__ChineseSubFinder"
    / "TestData__sub_parser__org__Resident Evil Welcome to Raccoon City (2021) WEBRip-1080p.1.zh-cn.srt",
    CORPUS / "mformigo__subtitle-tools" / "tests__Files__text__srt__normal-01.srt",
    CORPUS / "ngando59__ocr.jee-editeur-sous-titres" / "titanic-copie.srt",  # cp1252
    CORPUS / "byroot__pysrt" / "tests__static__bom-utf-16-le.srt",
]


def _source_text(path: Path) -> str:
    track = read_track(path)
    # Decoding with the codec alone keeps a BOM as U+FEFF, which is dropped here.
    return path.read_bytes().decode(track.encoding or "utf-8").lstrip("\ufeff").replace("\r\n", "\n")


def test_every_work_has_its_tracks() -> None:
    names = {path.name for path in SAMPLE_FILES}
    for work in ("lacquer-tray", "tides-within"):
        assert {f"{work}.zh-Hans.srt", f"{work}.en.srt", f"{work}.fr.srt"} <= names
    assert {"city-static.zh-Hans.srt", "city-static.fr.srt"} <= names
    assert "city-static.en.srt" not in names  # translated later, on purpose


@pytest.mark.parametrize("path", SAMPLE_FILES + CLEAN_CORPUS, ids=lambda p: p.name)
def test_srt_round_trip_is_exact(path: Path) -> None:
    track = read_track(path)
    written = render_track(track, "srt")
    assert written == _source_text(path).rstrip("\n") + "\n\n"
    again = parse_text(written, "srt")
    assert [(c.start, c.end, c.lines) for c in again.cues] == [(c.start, c.end, c.lines) for c in track.cues]


@pytest.mark.parametrize("work", ["lacquer-tray", "tides-within", "city-static"])
def test_tracks_of_a_work_share_their_timings(work: str) -> None:
    tracks = [read_track(path) for path in sorted(SUBTITLES.glob(f"{work}.*.srt"))]
    assert len(tracks) >= 2
    timings = {tuple((cue.start, cue.end) for cue in track.cues) for track in tracks}
    assert len(timings) == 1


def test_the_gb18030_sample_is_really_gb18030() -> None:
    path = SUBTITLES / "lacquer-tray.zh-Hans.srt"
    data = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    track = read_track(path)
    assert track.encoding == "gb18030"
    assert track.cues[0].lines == ["一九七二年，长沙东郊", "马王堆一号汉墓被打开"]
    assert track.language is not None and track.language.tag == "zh-Hans"


def _styled_track() -> Track:
    return Track(
        cues=[
            Cue(1000, 3500, ["<i>An inner voice,</i>", "<i>two lines.</i>"]),
            Cue(4000, 6000, ["SPRING TIDE TONIGHT", "Lowest water"], alignment=8),
            Cue(6500, 9000, ["<b>Bold</b> and plain", "second line"]),
            Cue(9100, 12345, ["潮汐之内，<i>斜体</i>"]),
            Cue(3_600_000 + 1, 3_600_000 + 2001, ["-Who are you?", "-You don't remember me?"]),
        ]
    )


def _precision(fmt: str) -> int:
    return 10 if fmt in ("ass", "ssa") else 1  # ASS counts centiseconds


def _assert_same(original: Track, copy: Track, tolerance: int) -> None:
    assert len(copy) == len(original)
    for before, after in zip(original.cues, copy.cues, strict=True):
        assert abs(after.start - before.start) < tolerance or after.start == before.start
        assert abs(after.end - before.end) < tolerance or after.end == before.end
        assert after.lines == before.lines
        assert (after.alignment or 2) == (before.alignment or 2)


@pytest.mark.parametrize("chain", [("vtt",), ("ass",), ("ssa",), ("vtt", "ass"), ("ass", "vtt", "srt")])
def test_srt_webvtt_ass_keep_times_text_breaks_styles_and_top(chain: tuple[str, ...]) -> None:
    original = _styled_track()
    current = parse_text(render_track(original, "srt"), "srt")
    tolerance = 1
    for fmt in chain:
        current = parse_text(render_track(current, fmt), fmt)
        tolerance = max(tolerance, _precision(fmt))
    back = parse_text(render_track(current, "srt"), "srt")
    _assert_same(original, back, tolerance)


def test_ass_rounds_to_centiseconds_not_truncates() -> None:
    track = Track(cues=[Cue(4208, 6625, ["x"])])
    ass = render_track(track, "ass")
    assert "0:00:04.21,0:00:06.63" in ass or "0:00:04.21,0:00:06.62" in ass
    again = parse_text(ass, "ass")
    assert abs(again.cues[0].start - 4208) <= 5


def test_webvtt_writes_top_as_line_zero_and_reads_it_back() -> None:
    track = read_track(SUBTITLES / "tides-within.en.srt")
    vtt = render_track(track, "vtt")
    assert vtt.startswith("WEBVTT\n")
    assert "00:00:04.208 --> 00:00:06.625 line:0\nTHE TIDES WITHIN\n" in vtt
    assert "<i>I always felt I was living</i>\n<i>at low tide.</i>" in vtt
    back = parse_text(vtt, "vtt")
    assert [c.alignment for c in back.cues] == [c.alignment for c in track.cues]
    assert sum(1 for c in back.cues if c.alignment == 8) == 3


def test_ass_writes_an8_and_italics_as_override_tags() -> None:
    track = read_track(SUBTITLES / "tides-within.en.srt")
    ass = render_track(track, "ass")
    assert r"{\an8}THE TIDES WITHIN" in ass
    assert r"{\i1}I always felt I was living{\i0}\N{\i1}at low tide.{\i0}" in ass


def test_srt_an8_is_lifted_into_alignment() -> None:
    track = parse_text("1\n00:00:01,000 --> 00:00:02,000\n{\\an8}On the wall\n", "srt")
    assert track.cues[0].alignment == 8
    assert track.cues[0].lines == ["On the wall"]
    assert "{\\an8}On the wall" in render_track(track, "srt")


def test_webvtt_entities_and_voice_tags_become_plain_text() -> None:
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Lin>Fish &amp; chips &lt;3</v>\n"
    track = parse_text(text, "vtt")
    assert track.cues[0].lines == ["Fish & chips <3"]
    assert "Fish &amp; chips &lt;3" in render_track(track, "vtt")
