"""Chinese word segmentation with jieba, for line breaks between words.

jieba (chinese-notes.md, "Segmentation") is a dictionary segmenter with
349,046 entries; budoux was measured too but splits names such as 马王堆 into
马 / 王堆, which is exactly what a subtitle line must not do, while jieba
keeps them. jieba is tuned for Simplified (it split 臺北電影節 as 臺/北電/影節),
so Traditional text is segmented through a t2s copy of the same length and
the boundaries are mapped back. The dictionary loads once per process
(about 0.6 s; jieba keeps a cache file in the temporary folder) and only
when a Chinese line really has to be broken.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Protocol

from toolkit.chinese.convert import converter


class _Tokenizer(Protocol):
    def cut(self, sentence: str, cut_all: bool = False, HMM: bool = True) -> Iterator[str]: ...


@cache
def _tokenizer() -> _Tokenizer:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer: _Tokenizer = jieba.Tokenizer()  # our own instance: no global state shared with other users
    return tokenizer


@lru_cache(maxsize=8192)
def boundaries(text: str) -> frozenset[int]:
    """Offsets in ``text`` where one segmented word ends and the next begins (0 and len excluded).

    The HMM of jieba joins unknown names (利苍) instead of leaving single
    characters; it is deterministic, so the same text always breaks the same way.
    """
    if not text:
        return frozenset()
    simplified = converter("t2s").convert(text)
    segmented = simplified if len(simplified) == len(text) else text
    cuts: set[int] = set()
    position = 0
    for word in _tokenizer().cut(segmented, HMM=True):
        position += len(word)
        cuts.add(position)
    cuts.discard(len(text))
    return frozenset(cuts)


def segment(text: str) -> list[str]:
    """The words of ``text`` (every character in exactly one word, order kept)."""
    cuts = sorted(boundaries(text))
    edges = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(edges) if b > a]
