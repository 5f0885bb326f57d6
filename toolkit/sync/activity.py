"""Activity strings: one value per 10 ms window, 1 where a subtitle is shown or speech is heard."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from toolkit.subtitles.model import Cue
from toolkit.sync.model import FRAME_MS

Activity = npt.NDArray[np.uint8]


def cue_frames(cues: Sequence[Cue], ratio: Fraction = Fraction(1)) -> list[tuple[int, int]]:
    """Each cue as [first, end) 10 ms windows after multiplying its times by ``ratio``."""
    frames = []
    for cue in cues:
        start = round(Fraction(cue.start) * ratio / FRAME_MS)
        end = round(Fraction(cue.end) * ratio / FRAME_MS)
        frames.append((start, max(end, start)))
    return frames


def cue_activity(cues: Sequence[Cue], ratio: Fraction = Fraction(1), length: int | None = None) -> Activity:
    """1 in every window where some cue is shown (overlapping cues count once)."""
    spans = cue_frames(cues, ratio)
    size = max((end for _, end in spans), default=0) if length is None else length
    marks = np.zeros(size + 1, dtype=np.int32)
    for start, end in spans:
        start, end = max(0, min(start, size)), max(0, min(end, size))
        if end > start:
            marks[start] += 1
            marks[end] -= 1
    return (np.cumsum(marks[:size]) > 0).astype(np.uint8)
