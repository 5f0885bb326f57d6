"""What a sync finds: a mapping from the track's times to the picture's, and how sure it is.

A cue at time t (ms) in the input track is shown at ``round(t * ratio) + offset``
in the output, where ``offset`` is the one of the piece the cue belongs to.
That is the whole mapping: nothing else about a cue changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

FRAME_MS = 10  # activity is compared per 10 ms window, as ffsubsync does (sync-notes.md)

# The nominal rates a copy runs at; 23.976 is exactly 24000/1001.
NOMINAL_RATES: dict[str, Fraction] = {
    "23.976": Fraction(24000, 1001),
    "24": Fraction(24),
    "25": Fraction(25),
    "30": Fraction(30),
}


@dataclass(frozen=True)
class RatePair:
    """A track timed for a copy at ``source`` fps, shown with a copy at ``target`` fps."""

    source: str  # a key of NOMINAL_RATES
    target: str

    @property
    def ratio(self) -> Fraction:
        """Times are multiplied by this (as ``retime --fps SOURCE:TARGET`` does)."""
        return NOMINAL_RATES[self.source] / NOMINAL_RATES[self.target]

    @property
    def label(self) -> str:
        return f"{self.source}:{self.target}"


IDENTITY = RatePair("25", "25")


def rate_candidates() -> list[RatePair]:
    """1:1 first, then every ordered pair of distinct nominal rates, one per distinct ratio."""
    seen: dict[Fraction, RatePair] = {IDENTITY.ratio: IDENTITY}
    for source in NOMINAL_RATES:
        for target in NOMINAL_RATES:
            pair = RatePair(source, target)
            seen.setdefault(pair.ratio, pair)
    return list(seen.values())


@dataclass(frozen=True)
class Piece:
    """Consecutive cues that share one offset."""

    first_cue: int  # index into the track's cues
    last_cue: int  # inclusive
    offset_ms: int
    confidence: float
    start_ms: int  # the first cue's start in the input track (the split point for pieces after the first)

    def to_json(self) -> dict[str, int | float]:
        return {
            "first_cue": self.first_cue + 1,
            "last_cue": self.last_cue + 1,
            "split_at_ms": self.start_ms,
            "offset_ms": self.offset_ms,
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class SyncResult:
    """The mapping found, with the evidence for it."""

    rate: RatePair
    pieces: list[Piece]
    confidence: float  # 0 (no evidence: another offset scores as well) .. 1 (one clear peak)
    agreement: float  # share of subtitle time that falls on speech (or reference cues) once mapped
    against: str  # "audio" or "reference"
    warnings: list[str] = field(default_factory=list)
    max_offset_ms: int | None = None  # the range searched, either way
    # (first, last) cue, 0-based, of a quarter the mapping leaves off the speech
    # where the rest fits (align._uneven_fit): confidence 0, the track fits only in part.
    off_speech: tuple[int, int] | None = None

    @property
    def offset_ms(self) -> int:
        """The offset of the first piece (the only one without --split)."""
        return self.pieces[0].offset_ms

    @property
    def ratio(self) -> Fraction:
        return self.rate.ratio

    def to_json(self) -> dict[str, object]:
        return {
            "against": self.against,
            "offset_ms": self.offset_ms,
            "fps": self.rate.label if self.rate.ratio != 1 else None,
            "ratio": str(self.rate.ratio),
            "confidence": round(self.confidence, 3),
            "agreement": round(self.agreement, 3),
            "pieces": [piece.to_json() for piece in self.pieces],
            "max_offset_ms": self.max_offset_ms,
            **({"off_speech_cues": [self.off_speech[0] + 1, self.off_speech[1] + 1]} if self.off_speech else {}),
            "warnings": list(self.warnings),
        }
