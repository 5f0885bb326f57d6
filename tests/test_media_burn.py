"""Burn-in checked by pixels: where the text lands, when, in how many rows, with real glyphs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import assert_clean_error, run_cli
from media_support import (
    FACTORY,
    changed_mask,
    distinct_shapes,
    fill_mask,
    frame_at,
    glyph_shapes,
    packet_hashes,
    row_bands,
)

from toolkit.languages import EN, ZH_HANS
from toolkit.media.ass_script import build_script, wrap_line
from toolkit.media.burn import burn
from toolkit.media.probe import probe
from toolkit.subtitles import read_track
from toolkit.subtitles.screen import make_layout

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
LONG_LINE = "This subtitle line is far too long for one row of a small frame and has to wrap " * 2


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("burn")


PROGRESS: list[tuple[float, float | None]] = []


@pytest.fixture(scope="module")
def english_burn(out_dir: Path) -> Path:
    # crf 0 is lossless x264: every pixel outside the text decodes exactly as the source.
    output = out_dir / "en.mp4"
    result = burn(
        FACTORY.clip, [read_track(FACTORY.en, language=EN)], output, crf=0, preset="ultrafast",
        progress=lambda done, total: PROGRESS.append((done, total)),
    )
    assert result.fonts[0].family
    return output


@pytest.fixture(scope="module")
def bilingual_burn(out_dir: Path) -> Path:
    output = out_dir / "zh-en.mp4"
    code = run_cli(
        "burn", str(FACTORY.clip), "--subs", str(FACTORY.zh), "--subs", f"en={FACTORY.en}",
        "-o", str(output), "--crf", "0", "--preset", "ultrafast",
    )
    assert code.code == 0, code.stderr
    assert "zh-Hans / en" in code.stderr
    return output


def test_text_appears_only_in_the_subtitle_area_while_the_cue_is_on(english_burn: Path) -> None:
    source, burned = frame_at(FACTORY.clip, 1.0), frame_at(english_burn, 1.0)
    mask = changed_mask(source, burned)
    height, width = mask.shape
    assert mask.sum() > 100  # the text is there
    rows, columns = np.nonzero(mask)
    assert rows.min() > height // 2  # bottom half only
    assert rows.max() <= height - int(height * 0.05) + 2  # above the title-safe margin (+ shadow)
    assert columns.min() >= int(width * 0.05) - 2 and columns.max() <= width - int(width * 0.05) + 2
    # Between cues (1.4 s - 2.0 s) the frame is untouched: cue times are kept.
    assert not changed_mask(frame_at(FACTORY.clip, 1.7), frame_at(english_burn, 1.7)).any()
    assert changed_mask(frame_at(FACTORY.clip, 2.3), frame_at(english_burn, 2.3)).sum() > 50


def test_burn_copies_audio_and_keeps_duration_and_size(english_burn: Path) -> None:
    source, burned = probe(FACTORY.clip), probe(english_burn)
    assert (burned.video.width, burned.video.height) == (320, 180)
    assert burned.video.frame_rate == source.video.frame_rate
    assert burned.audio[0].codec == "aac"
    assert packet_hashes(english_burn, "audio") == packet_hashes(FACTORY.clip, "audio")
    assert abs(burned.duration_ms - source.duration_ms) <= 40


def test_progress_is_reported_from_ffmpeg_up_to_the_duration(english_burn: Path) -> None:
    assert PROGRESS, "no progress reported"
    seconds = [done for done, _ in PROGRESS]
    assert seconds == sorted(seconds)
    assert all(total == pytest.approx(3.0, abs=0.05) for _, total in PROGRESS)
    assert seconds[-1] == pytest.approx(3.0, abs=0.1)


def test_still_frame_shows_the_burned_text(english_burn: Path, out_dir: Path) -> None:
    from PIL import Image

    from toolkit.media.still import still_frame

    png = still_frame(english_burn, 1000, out_dir / "still [1].png")
    with Image.open(png) as image:
        assert image.format == "PNG" and image.size == (320, 180)
        pixels = np.asarray(image.convert("RGB"))
    assert np.array_equal(pixels, frame_at(english_burn, 1.0))
    assert changed_mask(frame_at(FACTORY.clip, 1.0), pixels).sum() > 100
    from toolkit.errors import ScreenkitError

    with pytest.raises(ScreenkitError, match="no frame at 9000 ms"):
        still_frame(english_burn, 9000, out_dir / "late.png")
    assert not (out_dir / "late.png").exists()


def test_same_inputs_give_the_same_bytes(out_dir: Path) -> None:
    """Screening packages are checksummed and rebuilt incrementally: outputs must be reproducible."""
    import hashlib

    from toolkit.media.mux import mux

    tracks = [read_track(FACTORY.zh, language=ZH_HANS), read_track(FACTORY.en, language=EN)]
    digests = []
    for run in range(2):
        burned, muxed = out_dir / f"again{run}.mkv", out_dir / f"again{run}.muxed.mkv"
        burn(FACTORY.clip, tracks, burned, preset="ultrafast")
        mux(FACTORY.clip, tracks, muxed)
        digests.append([hashlib.sha256(p.read_bytes()).hexdigest() for p in (burned, muxed)])
    assert digests[0] == digests[1]


def test_two_languages_render_in_separate_rows_first_on_top(bilingual_burn: Path) -> None:
    both = changed_mask(frame_at(FACTORY.clip, 1.0), frame_at(bilingual_burn, 1.0))
    bands = row_bands(both)
    assert len(bands) == 2, bands
    (top_first, top_last), (bottom_first, _bottom_last) = bands
    assert top_last < bottom_first  # never overlapping, a gap between them
    # At 1.7 s the English cue is gone, the Chinese one is still on, in the top band's rows:
    # the top line is the first language and keeps its place.
    only_zh = row_bands(changed_mask(frame_at(FACTORY.clip, 1.7), frame_at(bilingual_burn, 1.7)))
    assert len(only_zh) == 1
    assert abs(only_zh[0][0] - top_first) <= 1 and abs(only_zh[0][1] - top_last) <= 1
    # At 2.3 s the second English cue is on while Chinese continues: two bands again.
    assert len(row_bands(changed_mask(frame_at(FACTORY.clip, 2.3), frame_at(bilingual_burn, 2.3)))) == 2


def test_chinese_renders_real_glyphs_not_boxes(out_dir: Path) -> None:
    text = FACTORY.text("glyphs.zh-Hans.srt", "1\n00:00:00,000 --> 00:00:01,000\n电影节快乐欢迎光临\n")
    output = out_dir / "glyphs.mp4"
    result = burn(FACTORY.hd_clip, [read_track(text, language=ZH_HANS)], output, crf=0, preset="ultrafast")
    assert result.warnings == []
    mask = fill_mask(frame_at(FACTORY.hd_clip, 0.5), frame_at(output, 0.5))
    shapes = glyph_shapes(mask)
    assert distinct_shapes(shapes) >= 7, len(shapes)
    # Size relative to the frame: Fontsize 1/18 of 1080 = 60 px is the line cell; libass
    # fits the font's ascent+descent (1.45 em in Noto CJK) into it, so glyphs ink ~36 px.
    rows = np.flatnonzero(mask.any(axis=1))
    assert 30 <= rows.max() - rows.min() <= 60


def test_font_without_the_glyphs_is_reported_and_draws_boxes(out_dir: Path) -> None:
    """The negative control of the glyph check: DejaVu has no Chinese."""
    text = FACTORY.text("glyphs.zh-Hans.srt", "1\n00:00:00,000 --> 00:00:01,000\n电影节快乐欢迎光临\n")
    output = out_dir / "tofu.mp4"
    result = burn(
        FACTORY.hd_clip, [read_track(text, language=ZH_HANS)], output, font=DEJAVU, crf=0, preset="ultrafast"
    )
    assert any("boxes" in warning and "电" in warning for warning in result.warnings)
    shapes = glyph_shapes(fill_mask(frame_at(FACTORY.hd_clip, 0.5), frame_at(output, 0.5)))
    assert len(shapes) >= 7 and distinct_shapes(shapes) <= 2  # one box per character


def test_long_lines_wrap_inside_the_safe_area(out_dir: Path) -> None:
    text = FACTORY.text("long.en.srt", f"1\n00:00:00,000 --> 00:00:02,000\n{LONG_LINE}\n")
    output = out_dir / "long.mp4"
    burn(FACTORY.clip, [read_track(text, language=EN)], output, crf=0, preset="ultrafast")
    mask = changed_mask(frame_at(FACTORY.clip, 1.0), frame_at(output, 1.0))
    columns = np.flatnonzero(mask.any(axis=0))
    width = mask.shape[1]
    assert columns.min() >= int(width * 0.05) - 2 and columns.max() <= width - int(width * 0.05) + 2
    rows = np.flatnonzero(mask.any(axis=1))
    # Wrapped into several lines (font size 12 px at 180 px height), still inside the frame.
    assert rows.max() - rows.min() >= 3 * 12 and rows.min() > 0


def test_anamorphic_video_gets_glyphs_drawn_for_the_display_aspect(out_dir: Path) -> None:
    from fractions import Fraction

    assert probe(FACTORY.anamorphic_clip).video.sample_aspect_ratio == Fraction(64, 45)
    square = FACTORY.text("square.en.srt", "1\n00:00:00,000 --> 00:00:01,000\n\u25a0\n")
    output = out_dir / "anamorphic.mp4"
    result = burn(FACTORY.anamorphic_clip, [read_track(square, language=EN)], output, font=DEJAVU, crf=0,
                  preset="ultrafast")
    assert "LayoutResX: 1024" in result.script and "LayoutResY: 576" in result.script
    fill = frame_at(output, 0.5).min(axis=2) > 200  # white glyph on black
    rows, columns = np.nonzero(fill)
    stored = (columns.max() - columns.min() + 1) / (rows.max() - rows.min() + 1)
    # A square drawn 45/64 as wide in stored pixels is square once played at 64/45.
    assert stored == pytest.approx(45 / 64, abs=0.08)


def test_rotated_video_is_laid_out_for_the_upright_frame(out_dir: Path) -> None:
    assert probe(FACTORY.rotated_clip).video.rotation == 90
    output = out_dir / "rotated.mp4"
    result = burn(FACTORY.rotated_clip, [read_track(FACTORY.en, language=EN)], output, crf=0, preset="ultrafast")
    assert "PlayResX: 180" in result.script and "PlayResY: 320" in result.script
    burned = probe(output).video
    assert (burned.width, burned.height) == (180, 320)  # ffmpeg turned it upright
    frame = frame_at(output, 1.0)
    # The source turned upright the way ffmpeg did (lossless encode: exact outside the text).
    source = frame_at(FACTORY.clip, 1.0)
    upright = next(
        turned for turned in (np.rot90(source, 1), np.rot90(source, 3))
        if np.array_equal(turned[:160], frame[:160])
    )
    rows, columns = np.nonzero(changed_mask(upright, frame))
    assert len(rows) > 50
    assert rows.min() > 320 // 2 and rows.max() <= 320 - int(320 * 0.05) + 2
    assert columns.min() >= int(180 * 0.05) - 2 and columns.max() <= 180 - int(180 * 0.05) + 2


def test_literal_braces_are_shown_not_swallowed_as_override_blocks(out_dir: Path) -> None:
    braces = FACTORY.text("braces.en.srt", "1\n00:00:00,000 --> 00:00:02,000\n{laughs}\n")
    output = out_dir / "braces.mp4"
    result = burn(FACTORY.clip, [read_track(braces, language=EN)], output, crf=0, preset="ultrafast")
    assert result.script.rstrip().endswith(",\\{laughs}")
    assert changed_mask(frame_at(FACTORY.clip, 1.0), frame_at(output, 1.0)).sum() > 100


def test_layout_lifts_only_events_that_share_the_screen() -> None:
    zh = read_track(FACTORY.zh, language=ZH_HANS)
    en = read_track(FACTORY.en, language=EN)
    layout = make_layout(1920, 1080, "Noto Sans CJK SC", "DejaVu Sans")
    script = build_script(layout, zh, en)
    assert "PlayResX: 1920" in script and "PlayResY: 1080" in script
    events = [line.split(",", 9) for line in script.splitlines() if line.startswith("Dialogue:")]
    margins = {(e[3], e[1]): int(e[7]) for e in events}
    # 谢谢 (2.60-2.90) overlaps "Second line" (2.00-2.60)? no: it starts when that ends.
    assert margins[("Primary", "0:00:02.60")] == layout.primary.margin_v
    assert margins[("Primary", "0:00:00.40")] > layout.primary.margin_v + layout.secondary.size
    assert all(int(e[7]) == layout.secondary.margin_v for e in events if e[3] == "Secondary")
    assert layout.secondary.size < layout.primary.size


def test_top_aligned_cues_keep_the_first_language_on_top() -> None:
    from toolkit.subtitles import parse_text

    zh = parse_text("1\n00:00:01,000 --> 00:00:03,000\n{\\an8}第一行\n第二行\n", "srt")
    en = parse_text("1\n00:00:01,500 --> 00:00:02,500\n{\\an8}A sign\n", "srt")
    layout = make_layout(1280, 720, "Noto Sans CJK SC", "DejaVu Sans")
    events = [line.split(",", 9) for line in build_script(layout, zh, en).splitlines() if line.startswith("Dialogue:")]
    primary = next(e for e in events if e[3] == "Primary")
    secondary = next(e for e in events if e[3] == "Secondary")
    assert primary[9].startswith("{\\an8}") and secondary[9].startswith("{\\an8}")
    assert int(primary[7]) == layout.primary.margin_v  # at the top edge of the safe area
    # The second language goes below the first one's two lines.
    assert int(secondary[7]) >= layout.primary.margin_v + 2 * layout.primary.line_pitch


def test_wrapping_breaks_between_cjk_characters_and_at_spaces() -> None:
    assert wrap_line("短句", 60, 1000) == ["短句"]
    lines = wrap_line("欢迎来到电影节，今天放映的是一部很长的电影", 60, 600)
    assert all(len(line) <= 10 for line in lines) and "".join(lines).startswith("欢迎")
    assert not any(line.startswith("，") for line in lines)
    english = wrap_line("<i>one two three four five six seven</i>", 20, 120)
    assert len(english) > 1 and all(not line.startswith(" ") for line in english)


def test_burn_refuses_three_tracks_and_unknown_container(tmp_path: Path) -> None:
    result = run_cli(
        "burn", str(FACTORY.clip), "--subs", str(FACTORY.en), "--subs", str(FACTORY.zh),
        "--subs", str(FACTORY.fr), "-o", str(tmp_path / "x.mp4"),
    )
    assert_clean_error(result, "at most twice")
    result = run_cli("burn", str(FACTORY.clip), "--subs", str(FACTORY.en), "-o", str(tmp_path / "x.avi"))
    assert_clean_error(result, "x.avi", "container")
    assert list(tmp_path.iterdir()) == []
