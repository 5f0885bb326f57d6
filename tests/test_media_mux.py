"""Soft subtitles: codecs, language tags, titles and dispositions per container; stream copy; extract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import assert_clean_error, run_cli
from media_support import FACTORY, exact_rate, packet_hashes

from toolkit.languages import EN, FR, ZH_HANS, ZH_HANT
from toolkit.media.extract import extract
from toolkit.media.mux import mux
from toolkit.media.probe import probe
from toolkit.subtitles import read_track


def _subs(path: Path) -> list[tuple[str | None, str | None, str | None, bool, bool]]:
    return [(s.codec, s.language, s.title, s.default, s.forced) for s in probe(path).subtitles]


@pytest.fixture(scope="module")
def muxed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("mux")
    outputs = {}
    for extension in ("mkv", "mp4"):
        output = folder / f"film.{extension}"
        result = run_cli(
            "mux", str(FACTORY.clip), "--subs", f"zh-Hans={FACTORY.zh}", "--subs", str(FACTORY.en),
            "--subs", f"fr={FACTORY.fr}", "-o", str(output), "--default", "zh-Hans", "--forced", "fr",
        )
        assert result.code == 0, result.stderr
        outputs[extension] = output
    return outputs


def test_mkv_tracks_are_srt_with_639_2b_tags_native_titles_and_dispositions(muxed: dict[str, Path]) -> None:
    assert _subs(muxed["mkv"]) == [
        ("srt", "chi", "中文（简体）", True, False),
        ("srt", "eng", "English", False, False),
        ("srt", "fre", "Français", False, True),
    ]


def test_mp4_tracks_are_mov_text_with_639_2t_tags(muxed: dict[str, Path]) -> None:
    assert _subs(muxed["mp4"]) == [
        ("mov_text", "zho", "中文（简体）", True, False),
        ("mov_text", "eng", "English", False, False),
        ("mov_text", "fra", "Français", False, True),
    ]


@pytest.mark.parametrize("extension", ["mkv", "mp4"])
def test_video_and_audio_are_stream_copies(muxed: dict[str, Path], extension: str) -> None:
    assert packet_hashes(muxed[extension], "video") == packet_hashes(FACTORY.clip, "video")
    assert packet_hashes(muxed[extension], "audio") == packet_hashes(FACTORY.clip, "audio")
    assert probe(muxed[extension]).video.frame_rate == probe(FACTORY.clip).video.frame_rate


def test_no_track_is_default_unless_asked(tmp_path: Path) -> None:
    output = tmp_path / "plain.mkv"
    mux(FACTORY.clip, [read_track(FACTORY.en, language=EN), read_track(FACTORY.fr, language=FR)], output)
    assert [(s.default, s.forced) for s in probe(output).subtitles] == [(False, False), (False, False)]


def test_webm_takes_webvtt(tmp_path: Path) -> None:
    output = tmp_path / "film.webm"
    mux(FACTORY.webm_clip, [read_track(FACTORY.en, language=EN)], output, default=EN)
    assert _subs(output) == [("webvtt", "eng", "English", True, False)]
    assert packet_hashes(output, "video") == packet_hashes(FACTORY.webm_clip, "video")
    assert packet_hashes(output, "audio") == packet_hashes(FACTORY.webm_clip, "audio")
    (extracted,) = extract(output, tmp_path / "out")
    assert extracted.name == "film.en.srt"
    assert [(c.start, c.end, c.plain_text) for c in read_track(extracted)] == [
        (c.start, c.end, c.plain_text) for c in read_track(FACTORY.en)
    ]


def test_webm_refuses_h264_with_a_clear_message(tmp_path: Path) -> None:
    result = run_cli("mux", str(FACTORY.clip), "--subs", str(FACTORY.en), "-o", str(tmp_path / "x.webm"))
    assert_clean_error(result, "WebM takes VP8/VP9/AV1", ".mkv")
    assert list(tmp_path.iterdir()) == []


def test_existing_tracks_are_kept_and_replace_subs_drops_them(muxed: dict[str, Path], tmp_path: Path) -> None:
    more = tmp_path / "more.mkv"
    zh_hant = FACTORY.text("film.zh-Hant.srt", "1\n00:00:00,500 --> 00:00:01,000\n歡迎光臨\n")
    mux(muxed["mkv"], [read_track(zh_hant)], more)  # language from the file name
    tracks = _subs(more)
    assert tracks[:3] == _subs(muxed["mkv"])  # kept with their tags and flags
    assert tracks[3] == ("srt", "chi", "中文（繁體）", False, False)
    assert probe(more).metadata.get("encoder")  # container metadata carried over
    replaced = tmp_path / "replaced.mkv"
    mux(muxed["mkv"], [read_track(zh_hant, language=ZH_HANT)], replaced, default=ZH_HANT, replace_subs=True)
    assert _subs(replaced) == [("srt", "chi", "中文（繁體）", True, False)]


def test_streams_tags_chapters_and_attachments_are_kept(tmp_path: Path) -> None:
    import av

    output = tmp_path / "tagged-out.mkv"
    mux(FACTORY.tagged_mkv, [read_track(FACTORY.en, language=EN)], output)
    info = probe(output)
    assert info.metadata.get("title") == "Spring Tide"
    assert (info.audio[0].language, info.audio[0].title) == ("fre", "Version originale")
    assert [s.type for s in info.streams] == ["video", "audio", "subtitle", "attachment"]
    with av.open(str(output)) as container:
        assert [c["metadata"].get("title") for c in container.chapters()] == ["Opening"]
        attachment = container.streams[3]
        assert attachment.name == "DejaVuSans.ttf"
    assert "#3 attachment" in run_cli("probe", str(output)).stdout.splitlines()[-1]
    assert "DejaVuSans.ttf" in run_cli("probe", str(output)).stdout


def test_default_moves_to_the_new_track(muxed: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "en-default.mp4"
    mux(muxed["mp4"], [read_track(FACTORY.en, language=EN)], output, default=EN)
    defaults = [(s.language, s.default) for s in probe(output).subtitles]
    assert defaults == [("zho", False), ("eng", False), ("fra", False), ("eng", True)]


def test_mkv_to_mp4_converts_kept_tracks_to_mov_text(muxed: dict[str, Path], tmp_path: Path) -> None:
    output = tmp_path / "from-mkv.mp4"
    mux(muxed["mkv"], [read_track(FACTORY.en, language=EN)], output)
    assert [s.codec for s in probe(output).subtitles] == ["mov_text"] * 4
    assert [s.language for s in probe(output).subtitles] == ["zho", "eng", "fra", "eng"]  # 639-2/T now
    assert [s.title for s in probe(output).subtitles][:3] == ["中文（简体）", "English", "Français"]


@pytest.mark.parametrize("extension", ["mkv", "mp4"])
def test_extract_round_trips_text_and_times(muxed: dict[str, Path], tmp_path: Path, extension: str) -> None:
    written = extract(muxed[extension], tmp_path)
    assert [p.name for p in written] == [f"film.{tag}.srt" for tag in ("zh-Hans", "en", "fr")]
    for path, original in zip(written, (FACTORY.zh, FACTORY.en, FACTORY.fr), strict=True):
        got, expected = read_track(path), read_track(original)
        assert [(c.start, c.end, c.plain_text) for c in got] == [
            (c.start, c.end, c.plain_text) for c in expected
        ]
    assert read_track(written[1]).cues[1].lines == ["<i>Second line</i>"]  # italics survive


OVERLAPPING = """1
00:00:00,500 --> 00:00:01,500
Narrator speaks

2
00:00:01,000 --> 00:00:02,000
SIGN ON THE WALL
"""


def test_overlapping_cues_are_flattened_for_mp4_and_kept_in_mkv(tmp_path: Path) -> None:
    track = read_track(FACTORY.text("overlap.en.srt", OVERLAPPING))
    into_mp4 = mux(FACTORY.clip, [track], tmp_path / "overlap.mp4")
    assert any("2 overlapping cues merged" in warning for warning in into_mp4.warnings)
    shown = [(c.start, c.end, c.lines) for c in read_track(extract(tmp_path / "overlap.mp4", tmp_path / "a")[0])]
    # What the viewer sees, one cue at a time, no cue cut to nothing.
    assert shown == [
        (500, 1000, ["Narrator speaks"]),
        (1000, 1500, ["Narrator speaks", "SIGN ON THE WALL"]),
        (1500, 2000, ["SIGN ON THE WALL"]),
    ]
    into_mkv = mux(FACTORY.clip, [track], tmp_path / "overlap.mkv")
    assert into_mkv.warnings == []
    kept = [(c.start, c.end, c.lines) for c in read_track(extract(tmp_path / "overlap.mkv", tmp_path / "b")[0])]
    assert kept == [(c.start, c.end, c.lines) for c in track]


def test_real_world_tracks_round_trip_through_mkv(tmp_path: Path) -> None:
    """A real Chinese SRT (498 cues) and a real ASS with styles and overlapping events (1,216)."""
    from conftest import CORPUS

    folder = CORPUS / "ChineseSubFinder__ChineseSubFinder"
    srt = next(folder.glob("*无罪之最*.chs.srt"))
    ass = next(folder.glob("*21座桥*.ass"))
    output = tmp_path / "real.mkv"
    mux(FACTORY.clip, [read_track(srt, language=ZH_HANS), read_track(ass, language=ZH_HANS)], output)
    written = extract(output, tmp_path / "out")
    assert [p.name for p in written] == ["real.zh-Hans.srt", "real.zh-Hans.ass"]
    for path, original in zip(written, (srt, ass), strict=True):
        got = [(c.start, c.end, c.plain_text) for c in read_track(path)]
        assert got == [(c.start, c.end, c.plain_text) for c in read_track(original)]


def test_extract_gives_unique_names_to_tracks_in_one_language(tmp_path: Path) -> None:
    doubled = tmp_path / "two en.mkv"
    mux(FACTORY.clip, [read_track(FACTORY.en, language=EN), read_track(FACTORY.fr, language=EN)], doubled)
    result = run_cli("extract", str(doubled), "--out-dir", str(tmp_path / "out"), "--format", "json")
    assert result.code == 0, result.stderr
    names = [Path(p).name for p in json.loads(result.stdout)["written"]]
    assert names == ["two en.en.srt", "two en.en.2.srt"]


def test_extract_without_subtitles_writes_nothing(tmp_path: Path) -> None:
    result = run_cli("extract", str(FACTORY.clip), "--out-dir", str(tmp_path / "none"))
    assert result.code == 0 and "no text subtitle tracks" in result.stderr
    assert not (tmp_path / "none").exists()


def test_probe_reports_exact_frame_rate_and_tracks(muxed: dict[str, Path]) -> None:
    from fractions import Fraction

    assert probe(FACTORY.ntsc_clip).video.frame_rate == Fraction(24000, 1001) == exact_rate(FACTORY.ntsc_clip)
    result = run_cli("probe", str(FACTORY.ntsc_clip), "--format", "json")
    assert json.loads(result.stdout)["video"]["frame_rate"] == "24000/1001"
    text = run_cli("probe", str(muxed["mkv"]))
    assert text.code == 0
    assert "320x180 25 fps" in text.stdout and '[chi] "中文（简体）" default' in text.stdout
    assert '[fre] "Français" forced' in text.stdout and "1 ch 44100 Hz" in text.stdout
    document = json.loads(run_cli("probe", str(muxed["mp4"]), "--format", "json").stdout)
    assert document["duration_ms"] == 3000
    assert [s["language"] for s in document["subtitles"]] == ["zho", "eng", "fra"]


def test_mux_needs_a_language(tmp_path: Path) -> None:
    unknown = FACTORY.text("notes.srt", "1\n00:00:00,000 --> 00:00:01,000\n12345\n")
    result = run_cli("mux", str(FACTORY.clip), "--subs", str(unknown), "-o", str(tmp_path / "x.mkv"))
    assert_clean_error(result, "notes.srt", "LANG=FILE")
    result = run_cli("mux", str(FACTORY.clip), "--subs", f"xx={unknown}", "-o", str(tmp_path / "x.mkv"))
    assert_clean_error(result, "unknown language 'xx'")
    result = run_cli(
        "mux", str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "-o", str(tmp_path / "x.mkv"), "--default", "fr"
    )
    assert_clean_error(result, "--default fr")
    assert list(tmp_path.iterdir()) == []


def test_language_detected_from_text_when_the_name_says_nothing(tmp_path: Path) -> None:
    anonymous = FACTORY.text("track1.srt", "1\n00:00:00,000 --> 00:00:02,000\n欢迎来到电影节，今天晚上我们放映一部新电影。\n")
    output = tmp_path / "detected.mkv"
    result = run_cli("mux", str(FACTORY.clip), "--subs", str(anonymous), "-o", str(output))
    assert result.code == 0, result.stderr
    assert _subs(output)[0][1:3] == ("chi", ZH_HANS.native_name)


def test_mp4_top_cues_carry_a_tx3g_text_box(tmp_path: Path) -> None:
    """ffmpeg's mov_text encoder drops {\\an8}; the muxed samples read back with their 'tbox'."""
    from toolkit.media.tx3g import read_text_boxes, text_box

    source = tmp_path / "signs.en.srt"
    source.write_text(
        "1\n00:00:00,400 --> 00:00:01,000\n{\\an8}NORTH STATION\n\n"
        "2\n00:00:01,100 --> 00:00:01,600\nAn ordinary line\n\n"
        "3\n00:00:01,700 --> 00:00:02,400\n{\\an8}Two lines\nat the top\n\n"
        "4\n00:00:02,500 --> 00:00:02,900\n<i>Bottom again</i>\n",
        encoding="utf-8",
    )
    output = tmp_path / "signs.mp4"
    result = run_cli("mux", str(FACTORY.clip), "--subs", f"en={source}", "-o", str(output))
    assert result.code == 0, result.stderr
    samples = read_text_boxes(output, 0)
    assert [text for _, text, _ in samples] == ["NORTH STATION", "An ordinary line", "Two lines\nat the top",
                                                "Bottom again"]
    top = text_box(8, 320, 180)
    assert [box for _, _, box in samples] == [top, None, top, None]
    assert top[0] < 180 // 4  # the box is in the top quarter of the frame
    # ffmpeg's own reader takes the box in its stride: the text comes back without a trace of it.
    extracted = extract(output, tmp_path / "x")
    assert "screenkit" not in extracted[0].read_text(encoding="utf-8")
    assert "NORTH STATION" in extracted[0].read_text(encoding="utf-8")
    assert packet_hashes(output, "video") == packet_hashes(FACTORY.clip, "video")


def test_mp4_track_titles_are_where_ffmpeg_readers_look(tmp_path: Path) -> None:
    """'©nam' in each subtitle track's udta: libavformat (mpv, PyAV) reads it as the track's title."""
    import av

    output = tmp_path / "titled.mp4"
    result = run_cli("mux", str(FACTORY.clip), "--subs", f"zh-Hans={FACTORY.zh}", "--subs", f"fr={FACTORY.fr}",
                     "-o", str(output))
    assert result.code == 0, result.stderr
    with av.open(str(output)) as container:
        titles = [dict(stream.metadata).get("title") for stream in container.streams.subtitles]
        names = [dict(stream.metadata).get("handler_name") for stream in container.streams.subtitles]
    assert titles == names == ["中文（简体）", "Français"]
    assert packet_hashes(output, "video") == packet_hashes(FACTORY.clip, "video")
    assert packet_hashes(output, "audio") == packet_hashes(FACTORY.clip, "audio")
