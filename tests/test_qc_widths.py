"""Widths in the Netflix unit (qc-norms.md): full-width 1, half-width the profile's weight, zero-width 0."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.qc import text as tx


def reference_width(plain: str, weight: float) -> float:
    """Character by character, straight from the Unicode tables."""
    total = 0.0
    for char in plain:
        if char in tx.ZERO_WIDTH or unicodedata.combining(char):
            continue
        total += 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else weight
    return total


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=300), st.sampled_from([0.5, 1.0]), st.text(max_size=20))
def test_width_is_the_sum_of_character_widths(plain: str, weight: float, seen_first: str) -> None:
    for char in seen_first:  # characters met before through is_wide/char_width count alike
        tx.is_wide(char)
    assert tx.text_width(plain, weight) == reference_width(plain, weight)


def test_long_lines_and_mixed_scripts() -> None:
    line = "漆案 lacquer tray，「马王堆」é\u0301\u200b한글カナ" * 500  # a hostile line, cached path
    for weight in (0.5, 1.0):
        assert tx.text_width(line, weight) == reference_width(line, weight)
        assert tx.text_width(line, weight) == reference_width(line, weight)  # from the cache
