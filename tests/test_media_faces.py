"""The face and size each script is burned in, read back from the pixels.

The face test renders 骨 (whose Simplified and Traditional glyphs differ) with
FreeType (Pillow) in the SC and TC faces of the collection, and tells from a
burned frame which face libass used: only the pixels where the two reference
glyphs disagree decide.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from media_support import lavfi, row_bands

from toolkit.languages import EN, FR, ZH_HANS, ZH_HANT
from toolkit.media.burn import burn
from toolkit.media.fonts import packaged_face
from toolkit.subtitles import parse_text
from toolkit.text.faces import SIMPLIFIED_FACE, TRADITIONAL_FACE

pytestmark = pytest.mark.slow

CUE = "1\n00:00:00,000 --> 00:00:01,000\n{}\n"


def _black(folder: Path, size: str) -> Path:
    return lavfi(folder / f"black-{size}.mp4", "-f", "lavfi", "-i", f"color=c=black:size={size}:rate=25:duration=1",
                 "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")


@pytest.fixture(scope="module")
def black_720p(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _black(tmp_path_factory.mktemp("faces"), "1280x720")


@pytest.fixture(scope="module")
def black_1080p(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _black(tmp_path_factory.mktemp("faces"), "1920x1080")


def _burn_frame(video: Path, out: Path, *tracks: tuple[str, object]) -> np.ndarray:
    import av

    parsed = []
    for text, language in tracks:
        track = parse_text(CUE.format(text), "srt")
        track.language = language
        parsed.append(track)
    burn(video, parsed, out, crf=0, preset="ultrafast")
    with av.open(str(out)) as container:
        frame = next(container.decode(video=0))
        return frame.to_ndarray(format="gray")


def _ink(gray: np.ndarray) -> np.ndarray:
    """The glyph fill (white) cropped to its bounding box; outline and shadow are dark."""
    mask = gray > 160
    rows, cols = np.flatnonzero(mask.any(axis=1)), np.flatnonzero(mask.any(axis=0))
    return mask[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


def _resample(mask: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    ys = (np.arange(shape[0]) * mask.shape[0] / shape[0]).astype(int)
    xs = (np.arange(shape[1]) * mask.shape[1] / shape[1]).astype(int)
    return mask[np.ix_(ys, xs)]


def _reference(face_name: str, character: str, pixels: int) -> np.ndarray:
    from PIL import Image, ImageDraw, ImageFont

    face = packaged_face(face_name)
    assert face is not None
    font = ImageFont.truetype(str(face.file), size=pixels, index=face.index)
    image = Image.new("L", (pixels * 2, pixels * 2), 0)
    ImageDraw.Draw(image).text((pixels // 2, pixels // 2), character, fill=255, font=font)
    return _ink(np.asarray(image))


@pytest.mark.parametrize(("language", "expected"), [(ZH_HANS, SIMPLIFIED_FACE), (ZH_HANT, TRADITIONAL_FACE)])
def test_the_burned_glyph_is_drawn_in_the_face_of_its_script(
    black_1080p: Path, tmp_path: Path, language: object, expected: str
) -> None:
    burned = _ink(_burn_frame(black_1080p, tmp_path / "out.mp4", ("骨", language)))
    shape = (96, 96)
    sc = _resample(_reference(SIMPLIFIED_FACE, "骨", 200), shape)
    tc = _resample(_reference(TRADITIONAL_FACE, "骨", 200), shape)
    glyph = _resample(burned, shape)
    deciding = sc != tc
    assert deciding.sum() > 100  # the two faces really draw 骨 differently
    like_sc = float(np.mean(glyph[deciding] == sc[deciding]))
    chosen = SIMPLIFIED_FACE if like_sc > 0.5 else TRADITIONAL_FACE
    print(f"{language}: {like_sc:.2f} of {deciding.sum()} deciding pixels match the SC glyph")
    assert chosen == expected, f"{like_sc:.2f} of the deciding pixels match the SC glyph"
    assert abs(like_sc - 0.5) > 0.25  # a clear decision, not a coin toss


def test_a_chinese_and_a_latin_line_of_the_same_role_are_the_same_height(black_720p: Path, tmp_path: Path) -> None:
    chinese = _ink(_burn_frame(black_720p, tmp_path / "zh.mp4", ("国国国", ZH_HANS)))
    latin = _ink(_burn_frame(black_720p, tmp_path / "en.mp4", ("HHH", EN)))
    # 3.4% of 720 rows = 24.5 px for a capital and for an ideograph's ink.
    assert abs(chinese.shape[0] - latin.shape[0]) <= 2, (chinese.shape, latin.shape)
    assert 21 <= latin.shape[0] <= 28


@pytest.mark.parametrize("first", [ZH_HANS, FR])
def test_the_first_language_is_larger_than_the_second(black_720p: Path, tmp_path: Path, first: object) -> None:
    texts = {ZH_HANS: "国国国", FR: "HHH"}
    second = FR if first is ZH_HANS else ZH_HANS
    gray = _burn_frame(black_720p, tmp_path / "two.mp4", (texts[first], first), (texts[second], second))
    bands = row_bands(gray > 160)
    assert len(bands) == 2, bands
    top, bottom = (last - start + 1 for start, last in bands)
    assert 1.1 <= top / bottom <= 1.4, (top, bottom)  # 1 / 0.8, within a pixel or two


def test_sizes_follow_the_frame_height(black_1080p: Path, tmp_path: Path) -> None:
    small = _ink(_burn_frame(_black(tmp_path, "640x360"), tmp_path / "small.mp4", ("HHH", EN)))
    big = _ink(_burn_frame(black_1080p, tmp_path / "big.mp4", ("HHH", EN)))
    assert 34 <= big.shape[0] <= 40  # 3.4% of 1080
    assert abs(small.shape[0] * 3 - big.shape[0]) <= 4  # a third of the height, a third of the size
