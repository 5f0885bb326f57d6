"""Finding the mapping: FFT cross-correlation of activity strings, frame-rate candidates, pieces.

The offset search is ffsubsync's (sync-notes.md): both sides become 10 ms
activity strings and every offset is scored at once by one FFT
cross-correlation, O(n log n). Two differences, each for a reason:

- The strings are centred (their mean subtracted) instead of mapped to ±1,
  so a score does not grow with how much of the two strings overlap and
  scores at different frame-rate ratios compare (they are also divided by
  the strings' norms, a correlation coefficient).
- The confidence is how far the best offset's score stands above the
  scores of all other offsets, in standard deviations (z), mapped onto 0..1
  between NOISE_Z and CLEAR_Z. A track unrelated to the audio has only
  noise: its best offset is the largest of many random scores.

Piecewise offsets (``split``) are alass's idea (sync-notes.md): each cue may
take its own offset, every change of offset between neighbouring cues costs
a penalty, and dynamic programming finds the best sequence. A cue at offset o
scores +1 per 10 ms window that falls on speech and -1 per window that does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from toolkit.errors import ScreenkitError
from toolkit.subtitles.model import Cue
from toolkit.sync.activity import Activity, cue_activity, cue_frames
from toolkit.sync.model import FRAME_MS, IDENTITY, Piece, RatePair, SyncResult, rate_candidates

DEFAULT_MAX_OFFSET_MS = 60_000  # ffsubsync's --max-offset-seconds default
PEAK_EXCLUSION_MS = 2_000  # neighbours of the best offset are the same peak, not a rival
# A frame-rate ratio other than 1:1 must beat 1:1 by this much (correlation
# coefficient): on a track without drift, 24:23.976 (0.1 % longer) scores
# within noise of 1:1 and must not be taken for a drift.
RATE_MARGIN = 0.02
DEFAULT_SPLIT_PENALTY_MS = 4_000  # a split must pay for itself with this much better-matched subtitle time
# An offset at the edge of the search range is the silent failure ffsubsync
# shows with --max-offset-seconds 2 (sync-notes.md): the true one lies beyond.
EDGE_MS = 500
# Measured on the tests' 40-60 s clips (13-19 cues, ±60 s searched): tracks
# unrelated to the audio peak at z 2.5-4.4 (up to 5.9 searching all rates);
# matching tracks at z 8.4-12.3; a drifting track searched without
# --fps-search, or a two-part one without --split, at 3.6-5.6. A feature
# film's thousand cues only raise the matching peak.
NOISE_Z = 4.0
CLEAR_Z = 10.0
UNCERTAIN_PIECE = 0.2  # a piece this unsure of its own offset is named in a warning

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Scores:
    """Correlation per candidate offset (frames), for one subtitle string against the reference."""

    offsets: npt.NDArray[np.int64]
    values: Floats

    def best(self, near: int | None = None, within: int | None = None) -> int:
        """Index of the best offset (optionally only among those within ``within`` of ``near``)."""
        if near is None or within is None:
            return int(np.argmax(self.values))
        allowed = np.abs(self.offsets - near) <= within
        masked = np.where(allowed, self.values, -np.inf)
        return int(np.argmax(masked))

    def peak(self, index: int) -> tuple[int, float]:
        return int(self.offsets[index]), float(self.values[index])


def peak_z(chosen: Scores, index: int, rivals: Sequence[Scores] = ()) -> float:
    """How many standard deviations the peak at ``index`` stands above the other offsets.

    Offsets within PEAK_EXCLUSION_MS of the peak belong to it (the same
    alignment, slightly off); the rest, at every rate candidate searched
    (more candidates give noise more chances), are the noise it is measured against.
    """
    offset, best = chosen.peak(index)
    far = [scores.values[np.abs(scores.offsets - offset) > PEAK_EXCLUSION_MS // FRAME_MS] for scores in (chosen, *rivals)]
    noise = np.concatenate(far)
    if noise.size < 2 or float(noise.std()) == 0.0:
        return 0.0
    return (best - float(np.median(noise))) / float(noise.std())


def confidence(chosen: Scores, index: int, rivals: Sequence[Scores] = ()) -> float:
    """The peak's z-score mapped onto 0..1 between NOISE_Z (0) and CLEAR_Z (1)."""
    z = peak_z(chosen, index, rivals)
    return float(np.clip((z - NOISE_Z) / (CLEAR_Z - NOISE_Z), 0.0, 1.0))


def _centred(values: Activity) -> Floats:
    floats = values.astype(np.float64)
    return floats - floats.mean() if floats.size else floats


def correlate(reference: Activity, subtitles: Activity, max_offset: int, min_offset: int) -> Scores:
    """Score of every offset o in [min_offset, max_offset] frames: corr(reference[j + o], subtitles[j])."""
    ref, sub = _centred(reference), _centred(subtitles)
    norm = float(np.linalg.norm(ref) * np.linalg.norm(sub))
    size = 1 << max(1, int(len(ref) + len(sub)).bit_length())
    spectrum = np.fft.rfft(ref, size) * np.conj(np.fft.rfft(sub, size))
    circular = np.fft.irfft(spectrum, size)
    offsets = np.arange(min_offset, max_offset + 1, dtype=np.int64)
    values = circular[offsets % size] / norm if norm > 0 else np.zeros(len(offsets))
    return Scores(offsets, values)


def _agreement(reference: Activity, cues: Sequence[Cue], ratio: Fraction, offsets: Sequence[int]) -> float:
    """Share of mapped subtitle windows that fall on reference activity."""
    on = total = 0
    for (start, end), offset in zip(cue_frames(cues, ratio), offsets, strict=True):
        start, end = start + offset, end + offset
        total += max(0, end - start)
        lo, hi = max(start, 0), min(end, len(reference))
        if hi > lo:
            on += int(reference[lo:hi].sum())
    return on / total if total else 0.0


def _search_range(cues: Sequence[Cue], ratio: Fraction, max_offset_ms: int) -> tuple[int, int]:
    first = min(start for start, _ in cue_frames(cues, ratio))
    # No cue may be moved before 00:00:00.
    return max(-max_offset_ms // FRAME_MS, -first), max_offset_ms // FRAME_MS


def _scores(cues: Sequence[Cue], reference: Activity, rate: RatePair, max_offset_ms: int) -> Scores | None:
    low, high = _search_range(cues, rate.ratio, max_offset_ms)
    if low > high:
        return None
    return correlate(reference, cue_activity(cues, rate.ratio), high, low)


def _pick_rate(candidates: Sequence[tuple[RatePair, float]]) -> RatePair:
    """The best-scoring rate; another than 1:1 only if it beats 1:1 by RATE_MARGIN (relative)."""
    identity = dict(candidates).get(IDENTITY)
    best, value = max(candidates, key=lambda item: item[1])
    if identity is not None and best != IDENTITY and value - identity <= RATE_MARGIN * abs(identity):
        return IDENTITY
    return best


def align(
    cues: Sequence[Cue],
    reference: Activity,
    *,
    against: str = "audio",
    fps_search: bool = False,
    split: bool = False,
    max_offset_ms: int = DEFAULT_MAX_OFFSET_MS,
    split_penalty_ms: int = DEFAULT_SPLIT_PENALTY_MS,
) -> SyncResult:
    """The mapping that best lays ``cues`` over ``reference`` (speech or another track's activity)."""
    if not cues:
        raise ScreenkitError("the track has no cues to sync")
    if not reference.any():
        raise ScreenkitError(
            "no speech found in the audio" if against == "audio" else "the reference track has no cues"
        )
    by_rate: dict[RatePair, Scores] = {}
    for rate in rate_candidates() if fps_search else [IDENTITY]:
        scores = _scores(cues, reference, rate, max_offset_ms)
        if scores is not None:
            by_rate[rate] = scores
    if not by_rate:
        raise ScreenkitError(f"no offset within ±{max_offset_ms / 1000:g} s keeps the cues after 00:00:00")
    if split:
        # A change of rate can pass for two offsets and the other way round:
        # with --split the rates compete on the piecewise score.
        runs_by_rate = {
            rate: piecewise_offsets(
                cue_frames(cues, rate.ratio), reference, max_offset_ms // FRAME_MS, split_penalty_ms // FRAME_MS
            )
            for rate in by_rate
        }
        rate = _pick_rate([(rate, runs.total) for rate, runs in runs_by_rate.items()])
        pieces = _pieces(cues, reference, rate, runs_by_rate[rate].runs, by_rate, max_offset_ms)
    else:
        rate = _pick_rate([(rate, float(scores.values.max())) for rate, scores in by_rate.items()])
        scores = by_rate[rate]
        index = scores.best()
        rivals = [other for key, other in by_rate.items() if key != rate]
        offset = int(scores.offsets[index]) * FRAME_MS
        pieces = [Piece(0, len(cues) - 1, offset, confidence(scores, index, rivals), cues[0].start)]
    warnings = []
    per_cue = [piece.offset_ms // FRAME_MS for piece in pieces for _ in range(piece.first_cue, piece.last_cue + 1)]
    if split:
        # The pieces were fitted to this reference, so the mapped track's own
        # peak flatters it (an unrelated track cut into pieces fits a little
        # too): at least one piece must also stand out on its own.
        overall = min(
            _mapping_confidence(cue_frames(cues, rate.ratio), per_cue, reference, max_offset_ms),
            max(piece.confidence for piece in pieces),
        )
        warnings.extend(
            f"piece {number}'s offset is uncertain (confidence {piece.confidence:.2f})"
            for number, piece in enumerate(pieces, 1)
            if len(pieces) > 1 and piece.confidence < UNCERTAIN_PIECE
        )
    else:
        overall = pieces[0].confidence
    edge = any(abs(piece.offset_ms) >= max_offset_ms - EDGE_MS for piece in pieces)
    if edge:
        warnings.append(
            f"the best offset is at the edge of the search range (±{max_offset_ms / 1000:g} s): "
            "the true one may lie beyond it; raise --max-offset"
        )
    return SyncResult(
        rate=rate,
        pieces=pieces,
        confidence=0.0 if edge else overall,
        agreement=_agreement(reference, cues, rate.ratio, per_cue),
        against=against,
        warnings=warnings,
    )


def _pieces(
    cues: Sequence[Cue],
    reference: Activity,
    rate: RatePair,
    runs: Sequence[tuple[int, int, int]],
    rates: Iterable[RatePair],
    max_offset_ms: int,
) -> list[Piece]:
    pieces = []
    for first, last, rough in runs:
        part = cues[first : last + 1]
        by_rate = {other: _scores(part, reference, other, max_offset_ms) for other in rates}
        scores = by_rate[rate]
        assert scores is not None  # the whole track had a range at this rate, so has each piece
        # The dynamic programme placed the piece; the FFT of the piece alone refines it.
        index = scores.best(near=rough, within=PEAK_EXCLUSION_MS // FRAME_MS // 2)
        rivals = [other for key, other in by_rate.items() if key != rate and other is not None]
        offset = int(scores.offsets[index]) * FRAME_MS
        pieces.append(Piece(first, last, offset, confidence(scores, index, rivals), cues[first].start))
    return pieces


def _mapping_confidence(
    spans: Sequence[tuple[int, int]], per_cue: Sequence[int], reference: Activity, max_offset_ms: int
) -> float:
    """The confidence of a piecewise mapping: the mapped track's peak at no further shift.

    Each piece alone may be short and its own peak weak; the whole mapped
    track either lies on the speech better than any shift of it, or not.
    """
    moved = [(start + offset, end + offset) for (start, end), offset in zip(spans, per_cue, strict=True)]
    lowest = min(start for start, _ in moved)
    size = max(end for _, end in moved) - lowest
    marks = np.zeros(size + 1, dtype=np.int32)
    for start, end in moved:
        marks[start - lowest] += 1
        marks[end - lowest] -= 1
    mapped = (np.cumsum(marks[:size]) > 0).astype(np.uint8)
    limit = max_offset_ms // FRAME_MS
    scores = correlate(reference, mapped, lowest + limit, lowest - limit)
    return confidence(scores, int(np.flatnonzero(scores.offsets == lowest)[0]))


@dataclass(frozen=True)
class Runs:
    runs: list[tuple[int, int, int]]  # (first cue, last cue, offset in frames)
    total: float  # the score of the whole sequence, penalties paid


def piecewise_offsets(
    spans: Sequence[tuple[int, int]], reference: Activity, max_offset: int, penalty: int
) -> Runs:
    """Runs (first, last, offset) of cues sharing an offset, all in frames, by dynamic programming.

    best[o] after cue i is the best total score of cues 0..i with cue i at
    offset o; cue i either keeps cue i-1's offset or jumps from the best one
    at the cost of ``penalty``.
    """
    width = 2 * max_offset + 1
    signed = reference.astype(np.int32) * 2 - 1  # +1 speech, -1 silence
    end = max(max(stop for _, stop in spans), len(reference))
    padded = np.zeros(end + 2 * max_offset + 2, dtype=np.int32)
    padded[max_offset : max_offset + len(signed)] = signed
    prefix = np.concatenate(([0], np.cumsum(padded, dtype=np.int64)))
    offsets = np.arange(-max_offset, max_offset + 1)

    def score(start: int, stop: int) -> npt.NDArray[np.float64]:
        row = (prefix[stop : stop + width] - prefix[start : start + width]).astype(np.float64)
        row[start + offsets < 0] = -np.inf  # the cue would start before 00:00:00
        return row

    best = score(*spans[0])
    jumped = np.zeros((len(spans), width), dtype=bool)
    came_from = np.zeros(len(spans), dtype=np.int64)
    for i in range(1, len(spans)):
        origin = int(np.argmax(best))
        jump = best[origin] - penalty
        jumped[i] = jump > best
        came_from[i] = origin
        best = np.maximum(best, jump) + score(*spans[i])
    position = int(np.argmax(best))
    total = float(best[position])
    chosen = np.zeros(len(spans), dtype=np.int64)
    for i in range(len(spans) - 1, -1, -1):
        chosen[i] = position
        if i > 0 and jumped[i, position]:
            position = int(came_from[i])
    runs: list[tuple[int, int, int]] = []
    first = 0
    for i in range(1, len(spans) + 1):
        if i == len(spans) or chosen[i] != chosen[first]:
            runs.append((first, i - 1, int(offsets[chosen[first]])))
            first = i
    return Runs(runs, total)
