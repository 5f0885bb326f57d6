"""Widths in the Netflix unit (qc-norms.md): full-width 1, half-width the profile's weight, zero-width 0."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.qc import text as tx

CJK_LINE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
WIDE_IN_CJK = "“”‘’…⋯—―·‧"


def reference_width(plain: str, weight: float) -> float:
    """Character by character, straight from the Unicode tables (the CJK face's wide marks count 1
    in a line holding CJK text)."""
    cjk = CJK_LINE.search(plain) is not None
    total = 0.0
    for char in plain:
        if char in tx.ZERO_WIDTH or unicodedata.combining(char):
            continue
        wide = unicodedata.east_asian_width(char) in ("W", "F") or (cjk and char in WIDE_IN_CJK)
        total += 1.0 if wide else weight
    return total


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(st.text(max_size=300), st.text(alphabet="中文“”‘’…⋯—·‧ab1", max_size=40)),
    st.sampled_from([0.5, 1.0]),
    st.text(max_size=20),
)
def test_width_is_the_sum_of_character_widths(plain: str, weight: float, seen_first: str) -> None:
    for char in seen_first:  # characters met before through is_wide/char_width count alike
        tx.is_wide(char)
    assert tx.text_width(plain, weight) == reference_width(plain, weight)


def test_long_lines_and_mixed_scripts() -> None:
    line = "漆案 lacquer tray，「马王堆」é\u0301\u200b한글カナ" * 500  # a hostile line, cached path
    for weight in (0.5, 1.0):
        assert tx.text_width(line, weight) == reference_width(line, weight)
        assert tx.text_width(line, weight) == reference_width(line, weight)  # from the cache


def test_quotes_ellipses_dashes_and_the_middle_dot_are_full_width_in_chinese_lines() -> None:
    # 15 ideographs and a pair of “”: 17 wide, like the same line with 「」 (issue 22).
    curly, corner = "他说“我们明天一起去看电影好不好”", "他说「我们明天一起去看电影好不好」"
    assert tx.text_width(curly, 0.5) == tx.text_width(corner, 0.5) == 17
    for mark in WIDE_IN_CJK:
        assert tx.text_width(f"中{mark}", 0.5) == 2
        assert tx.text_width(f"a{mark}", 0.5) == 1.0  # a Latin line: half-width
    assert tx.text_width("亚当·卢瑟福⋯⋯", 0.5) == 8
    assert tx.text_width("“Hello”", 1.0) == 7


def test_cjk_line_width_over_16_is_flagged_with_curly_quotes_too() -> None:
    from toolkit.languages import ZH_HANS
    from toolkit.qc import load_profile
    from toolkit.subtitles.model import Cue, Track

    profile = load_profile("netflix", ZH_HANS)
    lines = ["他说“我们明天一起去看电影好不好”", "他说「我们明天一起去看电影好不好」"]
    for line in lines:
        track = Track(cues=[Cue(1000, 6000, [line])], language=ZH_HANS)
        from toolkit.qc import lint_track

        assert "SK201" in {f.code for f in lint_track(track, profile)}, line


def test_the_bundled_cjk_face_draws_these_marks_a_full_em_wide() -> None:
    """The widths above are what the packaged Noto Sans CJK faces draw (their advances)."""
    import pytest

    from toolkit.languages import ZH_HANS, ZH_HANT_TW
    from toolkit.media.fonts import packaged_face

    ttlib = pytest.importorskip("fontTools.ttLib")
    for language in (ZH_HANS, ZH_HANT_TW):
        choice = packaged_face(language)
        if choice is None:
            pytest.skip("the noto-cjk-sans-otc package is not installed")
        face = ttlib.TTFont(str(choice.file), lazy=True)
        cmap, metrics, em = face.getBestCmap(), face["hmtx"], face["head"].unitsPerEm
        advance = {char: metrics[cmap[ord(char)]][0] / em for char in WIDE_IN_CJK + "中「a-1"}
        for mark in WIDE_IN_CJK:
            assert advance[mark] >= 0.85, (choice.family, mark, advance[mark])  # — is 0.894 em, the rest 1
            assert tx.char_width(mark, 0.5, cjk=True) == 1.0
        assert advance["中"] == advance["「"] == 1.0
        for half in "a-1":
            assert advance[half] < 0.7 and tx.char_width(half, 0.5, cjk=True) == 0.5
