"""The font a DCP carries (subset, covering, drawing the same glyphs) and Interop image subtitles."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import numpy
import pytest
from fontTools.ttLib import TTFont

from toolkit.dcp.deliver import DcpOptions, write_dcp
from toolkit.dcp.fonts import INTEROP_FONT_LIMIT, face_for, subset_font, used_characters
from toolkit.dcp.images import encode_png
from toolkit.dcp.reader import read_dcp_track
from toolkit.dcp.xml import read_dcp_xml
from toolkit.dcp.xsd import validate_xml
from toolkit.errors import ScreenkitError
from toolkit.languages import FR, ZH_HANS, ZH_HANT
from toolkit.media.fonts import packaged_cjk_font
from toolkit.subtitles import Cue, Track

PIL = pytest.importorskip("PIL.Image", reason="pillow is in the dev extra")
from PIL import Image, ImageDraw, ImageFont  # noqa: E402


def _han(count: int, start: int = 0) -> list[str]:
    """``count`` distinct CJK ideographs the packaged face has, from U+4E00 on."""
    font = packaged_cjk_font()
    assert font is not None
    cmap = TTFont(font).getBestCmap()
    found = [chr(c) for c in range(0x4E00, 0xA000) if c in cmap]
    return found[start : start + count]


def _chinese_track(characters: list[str], per_cue: int = 15) -> Track:
    cues = []
    for index in range(0, len(characters), per_cue):
        chunk = "".join(characters[index : index + per_cue])
        half = len(chunk) // 2 or 1
        start = 4000 + (index // per_cue) * 2000
        cues.append(Cue(start, start + 1500, [chunk[:half], chunk[half:]] if chunk[half:] else [chunk]))
    return Track(cues=cues, language=ZH_HANS)


def test_300_character_chinese_track_fits_interop(tmp_path: Path) -> None:
    characters = _han(300)
    track = _chinese_track(characters)
    track.cues[0].lines[0] = "<i>" + track.cues[0].lines[0] + "</i>，。？"
    result = write_dcp([track], tmp_path / "film.zh-Hans.xml", DcpOptions(title="Film"))
    assert result.mode == "text"
    xml, font_file = result.files
    assert validate_xml(xml.read_bytes()) == []
    assert font_file.stat().st_size < INTEROP_FONT_LIMIT
    read = read_dcp_xml(xml.read_bytes())
    assert read.fonts[0][1] == font_file.name
    cmap = TTFont(font_file).getBestCmap()
    used = {ch for event in read.events for line in event.lines for ch in line.text if ch not in "<>/i"}
    assert used and all(ord(ch) in cmap for ch in used)
    assert all(ord(ch) in cmap for ch in characters + list("，。？"))
    assert read_dcp_track(xml.read_bytes()).cues[1].lines == track.cues[1].lines


def _draw(font_path: Path, text: str) -> bytes:
    font = ImageFont.truetype(str(font_path), 96)
    image = Image.new("L", (400, 140), 0)
    ImageDraw.Draw(image).text((10, 10), text, font=font, fill=255)
    return image.tobytes()


def test_a_subset_glyph_draws_like_the_full_font(tmp_path: Path) -> None:
    face = face_for(ZH_HANS)
    subset = subset_font(face, used_characters(["漆案潮", "Été"]))
    path = tmp_path / f"subset{subset.suffix}"
    path.write_bytes(subset.data)
    for text in ("漆案", "潮", "Été"):
        drawn = _draw(path, text)
        assert drawn == _draw(face, text)
        assert any(drawn)  # something was drawn, not an empty box
    assert subset.missing == frozenset()


def test_missing_glyphs_are_refused(tmp_path: Path) -> None:
    track = Track(cues=[Cue(4000, 6000, ["\U0001fae0 emoji"])], language=FR)
    with pytest.raises(ScreenkitError, match="no glyph"):
        write_dcp([track], tmp_path / "x.xml", DcpOptions())
    assert list(tmp_path.iterdir()) == []


def test_one_function_picks_the_face() -> None:
    # SC for zh-Hans and TC for zh-Hant once the packaged faces exist; the Pan-CJK face covers both now.
    for language in (ZH_HANS, ZH_HANT, FR, None):
        face = face_for(language)
        cmap = TTFont(face).getBestCmap()
        assert ord("们") in cmap and ord("們") in cmap and ord("é") in cmap
    with pytest.raises(ScreenkitError, match="no such font"):
        face_for(FR, "/nonexistent.otf")


def _png_pixels(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_png_encoder_round_trips() -> None:
    pixels = bytes([255, 0, 0, 255, 0, 0, 0, 0, 0, 255, 0, 128, 1, 2, 3, 4])
    image = _png_pixels(encode_png(pixels, 2, 2))
    assert image.mode == "RGBA" and image.size == (2, 2) and image.tobytes() == pixels
    assert zlib.crc32(b"IEND") == 0xAE426082  # the chunk CRC the encoder relies on


@pytest.mark.slow
def test_3000_character_chinese_track_becomes_interop_images(tmp_path: Path) -> None:
    characters = _han(3000)
    assert len(set(characters)) == 3000
    track = _chinese_track(characters)
    xml = tmp_path / "feature.zh-Hans.xml"
    with pytest.raises(ScreenkitError, match="SMPTE"):
        write_dcp([track], xml, DcpOptions(images=False))
    assert not xml.exists()
    result = write_dcp([track], xml, DcpOptions(title="Feature"))
    assert result.mode == "images"
    data = xml.read_bytes()
    assert validate_xml(data) == []
    read = read_dcp_xml(data)
    assert len(read.events) == len(track.cues) and not read.fonts
    for event in read.events:
        assert event.image and (tmp_path / event.image).is_file()
        image = _png_pixels((tmp_path / event.image).read_bytes())
        assert image.mode == "RGBA"
        alpha = image.getchannel("A")
        low, high = alpha.getextrema()
        assert low == 0 and high == 255  # transparent around, opaque text
        # visible text: bright fill pixels that are opaque (white text, black border)
        pixels = numpy.asarray(image)
        bright = (pixels[:, :, 3] == 255) & (pixels[:, :, :3] > 200).all(axis=2)
        assert bright.sum() > 50
        line = event.lines[0]
        assert line.valign == "top" and line.halign == "left" and 50 < line.vposition < 100


def test_image_subtitles_for_a_few_events_keep_top_cues_on_top(tmp_path: Path) -> None:
    track = Track(cues=[Cue(4000, 6000, ["上面"], alignment=8), Cue(7000, 9000, ["下面", "<i>Bas</i>"])],
                  language=ZH_HANS)
    result = write_dcp([track], tmp_path / "few.xml", DcpOptions(force_images=True))
    read = read_dcp_xml(result.xml.read_bytes())
    assert validate_xml(result.xml.read_bytes()) == []
    top, bottom = (event.lines[0].vposition for event in read.events)
    assert top < 20 < 70 < bottom
