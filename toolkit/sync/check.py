"""Sync as a check: how far each track of a work is from the speech in the work's audio.

Used by ``validate`` (check family M8xx) and ``package`` (the report's sync
column), with the same calibrated confidence as ``screenkit sync``. A
measurement below its threshold (no speech in the audio, music only, a track
for another film: the cues cannot be told from shuffled copies of them) says
nothing about sync: it is "not measurable", never an offset, and the
package report's page says nothing about it (report.json keeps the detail).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from toolkit.errors import ScreenkitError
from toolkit.subtitles.model import Track
from toolkit.sync.audio import cached_speech_activity
from toolkit.sync.measure import DEFAULT_MIN_CONFIDENCE, measure

DEFAULT_TOLERANCE_MS = 200


def event_tolerance_ms(event: Mapping[str, object]) -> int:
    """The manifest event's ``sync_tolerance_seconds`` in ms (default 200 ms)."""
    seconds = event.get("sync_tolerance_seconds")
    if isinstance(seconds, (int, float)) and not isinstance(seconds, bool):
        return round(seconds * 1000)
    return DEFAULT_TOLERANCE_MS


NOT_MEASURABLE = "not measurable"


@dataclass(frozen=True)
class SyncEstimate:
    """One track against its work's audio."""

    offset_ms: int | None  # the correction sync would apply; None when not measurable
    fps: str | None = None  # "25:24" when the track runs at another frame rate
    confidence: float = 0.0
    detail: str | None = None  # why it could not be measured
    off_speech: tuple[int, int] | None = None  # cues (1-based) off the speech where the rest fits

    @property
    def measured(self) -> bool:
        return self.offset_ms is not None

    def off(self, tolerance_ms: int) -> bool:
        return self.measured and (
            abs(self.offset_ms or 0) > tolerance_ms or self.fps is not None or self.off_speech is not None
        )

    def to_json(self) -> dict[str, object]:
        if not self.measured:
            return {"measured": False, "reason": NOT_MEASURABLE, "detail": self.detail}
        data: dict[str, object] = {
            "measured": True, "offset_ms": self.offset_ms, "fps": self.fps, "confidence": round(self.confidence, 3),
        }  # fmt: skip
        if self.off_speech is not None:
            data["off_speech_cues"] = list(self.off_speech)
        return data


def estimate(video: str | os.PathLike[str], track: Track) -> SyncEstimate:
    """The offset (and frame-rate ratio) that would put ``track`` on ``video``'s speech."""
    try:
        result = measure(track, cached_speech_activity(video), fps_search=True)
    except ScreenkitError as error:
        return SyncEstimate(None, detail=error.message)
    fps = result.rate.label if result.ratio != 1 else None
    if result.off_speech is not None:
        # One offset fits most of the track and leaves a quarter off the speech:
        # a cut or a reel break, worth saying (the offset is the part that fits).
        first, last = result.off_speech
        return SyncEstimate(result.offset_ms, fps, result.confidence, off_speech=(first + 1, last + 1))
    if result.confidence < DEFAULT_MIN_CONFIDENCE:
        return SyncEstimate(
            None,
            confidence=result.confidence,
            detail=f"the cues match the speech no better than shuffled copies of them (confidence {result.confidence:.2f})",
        )
    return SyncEstimate(result.offset_ms, fps, result.confidence)
