"""Faces by script: French in a Latin face (its ’ narrow), Han in the CJK face, a mixed line in both.

Before, French was burned in Noto Sans CJK SC, whose ’ is full-width (1,000
units against 278 for ``'``): the stills read "c’   est". These tests measure
the apostrophe in the face the burn really uses, then on a burned frame.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from media_support import lavfi

from toolkit.languages import FR, ZH_HANS, ZH_HANT
from toolkit.media.burn import burn
from toolkit.media.fonts import choose_faces
from toolkit.subtitles import parse_text
from toolkit.text.faces import LATIN_FACE, mark_faces, script_runs

CUE = "1\n00:00:00,000 --> 00:00:01,000\n{}\n"


def _advance(face_file: Path, ch: str) -> int:
    from fontTools.ttLib import TTFont

    font = TTFont(face_file, fontNumber=0, lazy=True)
    return font["hmtx"][font.getBestCmap()[ord(ch)]][0]


# ------------------------------------------------------------ runs of each script


def test_a_french_line_naming_a_chinese_title_is_cut_into_runs() -> None:
    assert script_runs("C’est « 花样年华 », dit-il.", False) == [
        ("C’est « ", False), ("花样年华", True), (" », dit-il.", False)]
    # Chinese quoting a Latin word: the quotes between the two scripts stay in the track's face (CJK).
    assert script_runs("他说“Paris”很美。", True) == [("他说“", True), ("Paris", False), ("”很美。", True)]
    assert script_runs("<i>l’année</i>", False) == [("<i>l’année</i>", False)]


@given(st.text(alphabet="abcé’'« »\u00a0\u202f\u3000，。花样年华<i></i>{}\\ 1", max_size=40), st.booleans())
def test_runs_keep_every_character_in_order_and_alternate(text: str, cjk_track: bool) -> None:
    runs = script_runs(text, cjk_track)
    assert "".join(run for run, _ in runs) == text
    assert all(a[1] != b[1] for a, b in itertools.pairwise(runs))  # neighbours differ, or they would be one run
    marked = mark_faces(text, cjk_track, LATIN_FACE, "Noto Sans CJK SC")
    assert mark_faces(marked, cjk_track, LATIN_FACE, "Noto Sans CJK SC") == marked  # re-marking changes nothing


def test_a_line_of_one_script_gets_no_switch() -> None:
    assert mark_faces("C’est l’année", False, LATIN_FACE, "Noto Sans CJK SC") == "C’est l’année"
    assert mark_faces("他说“你好”", True, LATIN_FACE, "Noto Sans CJK SC") == "他说“你好”"
    assert mark_faces("Le film 花样年华 !", False, LATIN_FACE, "Noto Sans CJK SC") == (
        "Le film {\\fnNoto Sans CJK SC}花样年华{\\fnNoto Sans} !")


def test_each_language_has_a_face_for_each_script() -> None:
    french, simplified, traditional = choose_faces(FR), choose_faces(ZH_HANS), choose_faces(ZH_HANT)
    assert (french.own.family, french.own.source) == ("Noto Sans", "fontpkg-noto-sans")
    assert french.cjk.family == "Noto Sans CJK SC"
    assert simplified.own.family == "Noto Sans CJK SC" and simplified.latin.family == "Noto Sans"
    assert traditional.own.family == "Noto Sans CJK TC" and traditional.latin == french.latin
    # The Latin face has what French typesetting uses; the CJK faces' ’ is full-width.
    from fontTools.ttLib import TTFont

    cmap = TTFont(french.latin.file, lazy=True).getBestCmap()
    assert all(ord(ch) in cmap for ch in "œŒ«»\u00a0\u202f’‘“”…éèàçùâêîôûëïü")
    assert _advance(simplified.own.file, "’") == 1000 > 2 * _advance(simplified.own.file, "'")


# ------------------------------------------------------------ the burn


@pytest.fixture(scope="module")
def black(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scripts")
    return lavfi(folder / "black.mp4", "-f", "lavfi", "-i", "color=c=black:size=1280x720:rate=25:duration=1",
                 "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")


def _burn(video: Path, out: Path, text: str, language: object) -> tuple[np.ndarray, object]:
    import av

    track = parse_text(CUE.format(text), "srt")
    track.language = language
    result = burn(video, [track], out, crf=0, preset="ultrafast")
    with av.open(str(out)) as container:
        return next(container.decode(video=0)).to_ndarray(format="gray"), result


def _glyph_columns(gray: np.ndarray) -> list[tuple[int, int]]:
    """The runs of columns with ink (the white fill), left to right: one per glyph when none touch."""
    ink = (gray > 160).any(axis=0)
    runs, start = [], None
    for x, on in enumerate(ink):
        if on and start is None:
            start = x
        elif not on and start is not None:
            runs.append((start, x - 1))
            start = None
    if start is not None:
        runs.append((start, len(ink) - 1))
    return runs


@pytest.mark.slow
def test_french_is_burned_in_a_face_whose_apostrophe_is_no_wider_than_a_straight_one(
    black: Path, tmp_path: Path
) -> None:
    _gray, result = _burn(black, tmp_path / "fr.mp4", "c’est l’année", FR)
    face = result.fonts[0]  # the face the burn used for the French track
    assert face.family == "Noto Sans"
    assert "\\fn" not in result.script  # one script: no switch
    # From the face's advances: the gap after ’ is no wider than after ' would be.
    assert _advance(face.file, "’") <= _advance(face.file, "'")


@pytest.mark.slow
def test_on_the_burned_frame_the_gap_after_the_apostrophe_is_that_of_a_straight_one(
    black: Path, tmp_path: Path
) -> None:
    curly, _ = _burn(black, tmp_path / "curly.mp4", "c’est", FR)
    straight, _ = _burn(black, tmp_path / "straight.mp4", "c'est", FR)
    gaps = []
    for gray in (curly, straight):
        glyphs = _glyph_columns(gray)
        assert len(glyphs) == 5, glyphs  # c, the apostrophe, e, s, t
        gaps.append(glyphs[2][0] - glyphs[1][1])
    curly_gap, straight_gap = gaps
    # In Noto Sans CJK the ’ is a full em wide: the gap after it was ~15 px at 720p.
    assert curly_gap <= straight_gap + 1, (curly_gap, straight_gap)
    width = [g[-1][1] - g[0][0] for g in (_glyph_columns(curly), _glyph_columns(straight))]
    assert width[0] <= width[1] + 2, width  # the whole word no wider either


@pytest.mark.slow
def test_a_mixed_line_is_burned_in_both_faces(black: Path, tmp_path: Path) -> None:
    gray, result = _burn(black, tmp_path / "mixed.mp4", "Le film 花样年华", FR)
    assert "{\\fnNoto Sans CJK SC}花样年华" in result.script
    assert result.warnings == []  # every glyph found: no box
    assert len(_glyph_columns(gray)) >= 8  # L e f i l m and four ideographs drawn
