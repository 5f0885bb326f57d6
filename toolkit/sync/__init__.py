"""Subtitles in sync with the picture: measure a track's offset (and frame-rate ratio, and
piecewise offsets) against a media file's speech or another track, and retime it.

Data flow: media → speech activity (audio.py) or reference track → cue activity
(activity.py) → mapping (align.py, model.py) → retimed track (apply.py) → file
(measure.py). Imports numpy; the CLI imports this package only when ``sync`` runs.
"""

from toolkit.sync.align import DEFAULT_MAX_OFFSET_MS, DEFAULT_SPLIT_PENALTY_MS, align
from toolkit.sync.apply import apply_mapping, check_invariants
from toolkit.sync.audio import speech_activity
from toolkit.sync.measure import (
    DEFAULT_MIN_CONFIDENCE,
    measure,
    reference_activity,
    synced,
    write_synced,
)
from toolkit.sync.model import NOMINAL_RATES, Piece, RatePair, SyncResult, rate_candidates

__all__ = [
    "DEFAULT_MAX_OFFSET_MS",
    "DEFAULT_MIN_CONFIDENCE",
    "DEFAULT_SPLIT_PENALTY_MS",
    "NOMINAL_RATES",
    "Piece",
    "RatePair",
    "SyncResult",
    "align",
    "apply_mapping",
    "check_invariants",
    "measure",
    "rate_candidates",
    "reference_activity",
    "speech_activity",
    "synced",
    "write_synced",
]
