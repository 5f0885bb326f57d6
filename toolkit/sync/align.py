"""Finding the mapping: FFT cross-correlation of activity strings, frame-rate candidates, pieces.

The offset search is ffsubsync's (sync-notes.md): both sides become 10 ms
activity strings and every offset is scored at once by one FFT
cross-correlation, O(n log n). Two differences, each for a reason:

- The strings lose their local mean (over HIGHPASS_MS) instead of being
  mapped to ±1, so a score does not grow with how much of the two strings
  overlap, scores at different frame-rate ratios compare (they are also
  divided by the strings' norms, a correlation coefficient), and long
  scenes without dialogue weigh no more than the lines' starts and ends.
- The confidence says how far the best offset's score stands above the best
  scores of decoys (the track's own cue lengths and gaps shuffled) over the
  same offsets, in the decoys' standard deviations (z), mapped onto 0..1
  between NOISE_Z and CLEAR_Z. A z over the other offsets of the track
  itself, as before, depended on the film's length and on the range: a
  one-minute film's right offset scored z 4-5 at ±8-20 s, where unrelated
  tracks reach 4 (BENCHMARKS.md).

Piecewise offsets (``split``) are alass's idea (sync-notes.md): each cue may
take its own offset, every change of offset between neighbouring cues costs
a penalty, and dynamic programming finds the best sequence. A cue at offset o
scores +1 per 10 ms window that falls on speech and -1 per window that does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from toolkit.errors import ScreenkitError
from toolkit.subtitles.model import Cue
from toolkit.sync.activity import Activity, cue_frames
from toolkit.sync.model import FRAME_MS, IDENTITY, Piece, RatePair, SyncResult, rate_candidates

MAX_OFFSET_CAP_MS = 60_000  # ffsubsync's --max-offset-seconds default: the most searched by default
MAX_OFFSET_FLOOR_MS = 10_000
PEAK_EXCLUSION_MS = 2_000  # neighbours of the best offset are the same peak, not a rival
# A frame-rate ratio other than 1:1 must beat 1:1 by this much (correlation
# coefficient): on a track without drift, 24:23.976 (0.1 % longer) scores
# within noise of 1:1 and must not be taken for a drift.
RATE_MARGIN = 0.02
DEFAULT_SPLIT_PENALTY_MS = 4_000  # a split must pay for itself with this much better-matched subtitle time
# An offset at the edge of the search range is the silent failure ffsubsync
# shows with --max-offset-seconds 2 (sync-notes.md): the true one lies beyond.
EDGE_MS = 500
# Both strings lose their mean over this window before they are compared: a
# long scene without dialogue is a large, slow feature that two unrelated
# films share by chance (measured: an unrelated 10-minute track reached the
# right tracks' z); what identifies a film is where its lines start and stop.
HIGHPASS_MS = 10_000
# The evidence is measured against decoys: the track's own cue lengths and
# gaps shuffled (same density, same rhythm, no relation to the audio),
# searched over the same offsets. z is how far the best offset's score
# stands above the decoys' best scores, in their standard deviations, so it
# means the same for a 45-second short and a three-hour feature, over any
# search range (bench/calibrate_sync.py; BENCHMARKS.md has the table).
DECOYS = 16
LONG_DECOYS = 8  # above 2**20 frames (three hours): the right peak stands far above, fewer decoys suffice
# Calibrated on bench/calibrate_sync.py's films (45 s to 180 min, silence,
# room noise, music bed; 210 decisions): tracks that cannot be put back
# reached z 2.2 at most, tracks that can 4.5 (a 45 s two-part cut under
# music) to over 40.
NOISE_Z = 0.0  # confidence 0: no better than the decoys' best
CLEAR_Z = 7.0  # confidence 1; 0.5 (the default threshold) at z = 3.5
# The agreement quarter by quarter (_uneven_fit): a quarter whose lift over
# the speech density is under UNEVEN_SHARE of the median quarter's is not on
# the speech. On the calibration films (bench/calibrate_sync.py) no right
# mapping trips it and every single offset laid over a two-part cut does.
UNEVEN_PARTS = 4
UNEVEN_MIN_CUES = 20
UNEVEN_MAX_DENSITY = 0.9
UNEVEN_SHARE = 0.5
UNEVEN_OFFSET_MS = 200  # a quarter whose own best offset lies further from the others' is off
LOCAL_SEARCH_MS = 3_000
UNEVEN_MIN_LIFT = 0.25  # a typical quarter must lie clearly on the speech for one to stand out
CLEAR_FIT = 0.5  # the confidence a fit needs before its quarters are compared (the default threshold)
UNCERTAIN_PIECE = 0.2  # a piece this unsure of its own offset is named in a warning
# Searching R frame-rate ratios gives an unrelated track R chances: the best
# of R draws from the decoys' (Gumbel) distribution lies sqrt(6)/pi * ln R
# of their standard deviations higher.
GUMBEL_SCALE = 6**0.5 / np.pi

Floats = npt.NDArray[np.float64]


def default_max_offset_ms(reference_frames: int) -> int:
    """The search range for a reference this long: a third of it, within 10-60 s.

    ±60 s on a one-minute film compares the track mostly with the film's own
    ends; a third leaves every offset most of the film to be judged on.
    """
    third = reference_frames * FRAME_MS // 3
    return int(min(MAX_OFFSET_CAP_MS, max(MAX_OFFSET_FLOOR_MS, third)))


DEFAULT_MAX_OFFSET_MS = MAX_OFFSET_CAP_MS


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


def _highpassed(values: Activity) -> Floats:
    """The string less its mean over HIGHPASS_MS around each window."""
    floats = values.astype(np.float64)
    if not floats.size:
        return floats
    half = HIGHPASS_MS // FRAME_MS // 2
    total = np.concatenate(([0.0], np.cumsum(floats)))
    index = np.arange(floats.size)
    low, high = np.maximum(0, index - half), np.minimum(floats.size, index + half + 1)
    return floats - (total[high] - total[low]) / (high - low)


def _norm(values: Floats) -> float:
    # Not np.linalg.norm: its BLAS threads spin for tens of ms on a loaded machine.
    return float(np.sqrt((values * values).sum()))


class Reference:
    """The reference string, high-passed once, its spectrum kept per FFT size."""

    def __init__(self, activity: Activity) -> None:
        self.activity = activity
        self.values = _highpassed(activity)
        self.norm = _norm(self.values)
        self._spectra: dict[int, npt.NDArray[np.complex128]] = {}

    def spectrum(self, size: int) -> npt.NDArray[np.complex128]:
        if size not in self._spectra:
            self._spectra = {size: np.fft.rfft(self.values, size)}
        return self._spectra[size]

    def correlate(self, subtitles: Activity, max_offset: int, min_offset: int) -> Scores:
        """Score of every offset o in [min_offset, max_offset] frames: corr(reference[j + o], subtitles[j])."""
        sub = _highpassed(subtitles)
        norm = self.norm * _norm(sub)
        offsets = np.arange(min_offset, max_offset + 1, dtype=np.int64)
        if norm == 0:
            return Scores(offsets, np.zeros(len(offsets)))
        if max_offset - min_offset < 64:
            # A few offsets (a mapping scored where it was put): dot products, no FFT.
            values = [self._dot(sub, offset) for offset in offsets]
            return Scores(offsets, np.array(values, dtype=np.float64) / norm)
        # Large enough that no offset searched wraps around onto another.
        size = _fft_size(max(len(self.values), len(sub)) + max(abs(min_offset), abs(max_offset)) + 1)
        circular = np.fft.irfft(self.spectrum(size) * np.conj(np.fft.rfft(sub, size)), size)
        return Scores(offsets, circular[offsets % size] / norm)

    def _dot(self, sub: Floats, offset: int) -> float:
        """sum over j of reference[j + offset] * sub[j]."""
        first = max(0, -offset)
        last = min(len(sub), len(self.values) - offset)
        if last <= first:
            return 0.0
        return float((self.values[first + offset : last + offset] * sub[first:last]).sum())


@cache
def _fft_size(at_least: int) -> int:
    """The smallest 2^a * 3^b * 5^c >= at_least (pocketfft is fast on those, and it is up to half a power of two)."""
    best = 1 << max(1, (at_least - 1).bit_length())
    power5 = 1
    while power5 < best:
        power35 = power5
        while power35 < best:
            size = power35
            while size < at_least:
                size *= 2
            best = min(best, size)
            power35 *= 3
        power5 *= 5
    return best


def correlate(reference: Activity, subtitles: Activity, max_offset: int, min_offset: int) -> Scores:
    return Reference(reference).correlate(subtitles, max_offset, min_offset)


def _decoys(spans: Sequence[tuple[int, int]], count: int) -> list[list[tuple[int, int]]]:
    """The track's cue lengths and gaps, each shuffled (a fixed seed: the same decoys every run)."""
    starts = np.array([start for start, _ in spans], dtype=np.int64)
    lengths = np.array([end - start for start, end in spans], dtype=np.int64)
    order = np.argsort(starts, kind="stable")
    starts, lengths = starts[order], lengths[order]
    gaps = np.maximum(0, starts[1:] - (starts[:-1] + lengths[:-1]))
    rng = np.random.default_rng(len(spans))
    decoys = []
    for _ in range(count):
        shuffled = rng.permutation(lengths)
        placed = starts[0] + np.concatenate(([0], np.cumsum(shuffled[:-1] + rng.permutation(gaps))))
        decoys.append([(int(start), int(start + length)) for start, length in zip(placed, shuffled, strict=True)])
    return decoys


def _decoy_count(reference: Reference) -> int:
    return DECOYS if len(reference.values) <= 1 << 20 else LONG_DECOYS


@dataclass(frozen=True)
class Null:
    """The best scores decoys reach over the same offsets: their mean and standard deviation."""

    mean: float
    spread: float

    def z(self, score: float, chances: int = 1) -> float:
        """How many of the decoys' standard deviations ``score`` lies above the best of ``chances`` decoys."""
        if self.spread <= 0:
            return 0.0
        expected = self.mean + GUMBEL_SCALE * self.spread * float(np.log(max(1, chances)))
        return (score - expected) / self.spread


def null_scores(reference: Reference, spans: Sequence[tuple[int, int]], low: int, high: int) -> Null:
    best = [
        float(reference.correlate(_activity(decoy), high, low).values.max())
        for decoy in _decoys(spans, _decoy_count(reference))
    ]
    return Null(float(np.mean(best)), float(np.std(best, ddof=1)))


def rate_chances(rates: Sequence[RatePair], spans: Sequence[tuple[int, int]]) -> int:
    """How many of ``rates`` are really different chances over a track this long.

    Over a one-minute track 24:23.976 moves the last cue by 60 ms: the same
    chance as 1:1. Ratios are told apart when they move it by half a second.
    """
    length = max(end for _, end in spans) - min(start for start, _ in spans)
    return len({round(float(rate.ratio - 1) * length * FRAME_MS / 500) for rate in rates})


def confidence_of(z: float) -> float:
    """z mapped onto 0..1 between NOISE_Z (0) and CLEAR_Z (1)."""
    return float(np.clip((z - NOISE_Z) / (CLEAR_Z - NOISE_Z), 0.0, 1.0))


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


def _search_range(spans: Sequence[tuple[int, int]], max_offset_ms: int) -> tuple[int, int]:
    first = min(start for start, _ in spans)
    # No cue may be moved before 00:00:00.
    return max(-max_offset_ms // FRAME_MS, -first), max_offset_ms // FRAME_MS


def _activity(spans: Sequence[tuple[int, int]]) -> Activity:
    size = max((end for _, end in spans), default=0)
    marks = np.zeros(size + 1, dtype=np.int32)
    for start, end in spans:
        start, end = max(0, start), max(0, end)
        if end > start:
            marks[start] += 1
            marks[end] -= 1
    return (np.cumsum(marks[:size]) > 0).astype(np.uint8)


@dataclass(frozen=True)
class Searched:
    """One subtitle string (a track or a piece at one rate) searched against the reference."""

    spans: list[tuple[int, int]]
    scores: Scores
    low: int
    high: int


def _search(spans: list[tuple[int, int]], reference: Reference, max_offset_ms: int) -> Searched | None:
    low, high = _search_range(spans, max_offset_ms)
    if low > high:
        return None
    return Searched(spans, reference.correlate(_activity(spans), high, low), low, high)


def _pick_rate(candidates: Sequence[tuple[RatePair, float]]) -> RatePair:
    """The best-scoring rate; another than 1:1 only if it beats 1:1 by RATE_MARGIN (relative)."""
    identity = dict(candidates).get(IDENTITY)
    best, value = max(candidates, key=lambda item: item[1])
    if identity is not None and best != IDENTITY and value - identity <= RATE_MARGIN * abs(identity):
        return IDENTITY
    return best


def _confidence(reference: Reference, searched: Searched, score: float, chances: int) -> float:
    return confidence_of(null_scores(reference, searched.spans, searched.low, searched.high).z(score, chances))


def align(
    cues: Sequence[Cue],
    reference: Activity,
    *,
    against: str = "audio",
    fps_search: bool = False,
    split: bool = False,
    max_offset_ms: int | None = None,
    split_penalty_ms: int = DEFAULT_SPLIT_PENALTY_MS,
) -> SyncResult:
    """The mapping that best lays ``cues`` over ``reference`` (speech or another track's activity).

    ``max_offset_ms`` None searches :func:`default_max_offset_ms` of the reference.
    """
    if not cues:
        raise ScreenkitError("the track has no cues to sync")
    if not reference.any():
        raise ScreenkitError(
            "no speech found in the audio" if against == "audio" else "the reference track has no cues"
        )
    if max_offset_ms is None:
        max_offset_ms = default_max_offset_ms(len(reference))
    prepared = Reference(reference)
    by_rate: dict[RatePair, Searched] = {}
    for rate in rate_candidates() if fps_search else [IDENTITY]:
        searched = _search(cue_frames(cues, rate.ratio), prepared, max_offset_ms)
        if searched is not None:
            by_rate[rate] = searched
    if not by_rate:
        raise ScreenkitError(f"no offset within ±{max_offset_ms / 1000:g} s keeps the cues after 00:00:00")
    chances = rate_chances(list(by_rate), cue_frames(cues))
    if split:
        # A change of rate can pass for two offsets and the other way round:
        # with --split the rates compete on the piecewise score.
        runs_by_rate = {
            rate: piecewise_offsets(
                searched.spans, reference, max_offset_ms // FRAME_MS, split_penalty_ms // FRAME_MS
            )
            for rate, searched in by_rate.items()
        }
        rate = _pick_rate([(rate, runs.total) for rate, runs in runs_by_rate.items()])
        pieces = _pieces(cues, prepared, by_rate[rate].spans, runs_by_rate[rate].runs, max_offset_ms, chances)
    else:
        rate = _pick_rate([(rate, float(searched.scores.values.max())) for rate, searched in by_rate.items()])
        searched = by_rate[rate]
        offset, score = searched.scores.peak(searched.scores.best())
        pieces = [
            Piece(0, len(cues) - 1, offset * FRAME_MS, _confidence(prepared, searched, score, chances), cues[0].start)
        ]
    warnings = []
    per_cue = [piece.offset_ms // FRAME_MS for piece in pieces for _ in range(piece.first_cue, piece.last_cue + 1)]
    if split:
        # The pieces were fitted to this reference, so the mapped track's own
        # score flatters it (an unrelated track cut into pieces fits a little
        # too): its decoys are cut into pieces the same way.
        overall = _mapping_confidence(
            by_rate[rate].spans, per_cue, prepared, max_offset_ms, split_penalty_ms, chances
        )
        warnings.extend(
            f"piece {number}'s offset is uncertain (confidence {piece.confidence:.2f})"
            for number, piece in enumerate(pieces, 1)
            if len(pieces) > 1 and piece.confidence < UNCERTAIN_PIECE
        )
    else:
        overall = pieces[0].confidence
    # Only a fit the decoys call clear can be uneven: an unrelated track's
    # quarters are all near 0, and it is refused as it is.
    uneven = _uneven_fit(reference, by_rate[rate].spans, per_cue) if overall >= CLEAR_FIT else None
    if uneven is not None:
        first, last = uneven
        overall = 0.0
        warnings.append(
            f"cues {first + 1}-{last + 1} do not lie on the speech where the rest does: "
            + ("the track fits only in part; try --split" if not split else "the pieces found do not fit it")
            + ("" if fps_search else ", or --fps-search if it drifts")
        )
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
        max_offset_ms=max_offset_ms,
        off_speech=uneven,
    )


def _uneven_fit(reference: Activity, spans: Sequence[tuple[int, int]], per_cue: Sequence[int]) -> tuple[int, int] | None:
    """The quarter of the track (first, last cue) that the mapping leaves off the speech, if one is.

    The agreement (share of subtitle time on speech) is compared quarter by
    quarter, as a lift over the speech density (0: no better than cues laid
    at random, 1: all on speech): one offset that fits half a two-part track
    has quarters at 0.9 and quarters near 0, where a right mapping has them
    all alike. Only where it is informative: tracks of UNEVEN_MIN_CUES cues
    or more, audio whose VAD does not hear speech nearly everywhere.
    """
    if len(spans) < UNEVEN_MIN_CUES:
        return None
    moved = [(start + offset, end + offset) for (start, end), offset in zip(spans, per_cue, strict=True)]
    low = max(0, min(start for start, _ in moved))
    high = min(len(reference), max(end for _, end in moved))
    if high <= low:
        return None
    density = float(reference[low:high].mean())
    if not 0.0 < density < UNEVEN_MAX_DENSITY:
        return None
    marks = np.concatenate(([0], np.cumsum(reference, dtype=np.int64)))
    bounds = np.linspace(0, len(moved), UNEVEN_PARTS + 1).round().astype(int)
    lifts = []
    for first, last in pairwise(bounds.tolist()):
        on = total = 0
        for start, end in moved[first:last]:
            lo, hi = min(max(start, 0), len(reference)), min(max(end, 0), len(reference))
            on += int(marks[hi] - marks[lo])
            total += max(0, end - start)
        lifts.append(((on / total if total else 0.0) - density) / (1 - density))
    typical = float(np.median(lifts))
    worst = int(np.argmin(lifts))
    if typical >= UNEVEN_MIN_LIFT and lifts[worst] < UNEVEN_SHARE * typical:
        return int(bounds[worst]), int(bounds[worst + 1]) - 1
    # One offset between two parts' (a compromise that leaves every cue a
    # little off) keeps the quarters alike: each quarter's own best offset
    # near the mapping tells it.
    local = [_local_offset(reference, moved[first:last]) for first, last in pairwise(bounds.tolist())]
    centre = float(np.median(local))
    worst = int(np.argmax([abs(offset - centre) for offset in local]))
    if abs(local[worst] - centre) > UNEVEN_OFFSET_MS // FRAME_MS:
        return int(bounds[worst]), int(bounds[worst + 1]) - 1
    return None


def _local_offset(reference: Activity, moved: Sequence[tuple[int, int]]) -> int:
    """The further shift (frames, within ±LOCAL_SEARCH_MS) that best lays these mapped cues on the speech."""
    reach = LOCAL_SEARCH_MS // FRAME_MS
    low = max(0, min(start for start, _ in moved) - reach)
    high = min(len(reference), max(end for _, end in moved) + reach)
    if high - low <= 2 * reach:
        return 0
    window = Reference(reference[low:high])
    part = _activity([(start - low, end - low) for start, end in moved])
    scores = window.correlate(part, reach, -reach)
    return int(scores.offsets[scores.best()])


def _pieces(
    cues: Sequence[Cue],
    reference: Reference,
    spans: Sequence[tuple[int, int]],
    runs: Sequence[tuple[int, int, int]],
    max_offset_ms: int,
    chances: int,
) -> list[Piece]:
    pieces = []
    for first, last, rough in runs:
        searched = _search(list(spans[first : last + 1]), reference, max_offset_ms)
        assert searched is not None  # the whole track had a range at this rate, so has each piece
        # The dynamic programme placed the piece; the FFT of the piece alone refines it.
        offset, score = searched.scores.peak(searched.scores.best(near=rough, within=PEAK_EXCLUSION_MS // FRAME_MS // 2))
        confidence = _confidence(reference, searched, score, chances)
        pieces.append(Piece(first, last, offset * FRAME_MS, confidence, cues[first].start))
    return pieces


def _mapped_score(reference: Reference, spans: Sequence[tuple[int, int]], runs: Sequence[tuple[int, int, int]]) -> float:
    """The correlation of the track with each run of cues moved by its offset."""
    moved = [(start + offset, end + offset) for first, last, offset in runs for start, end in spans[first : last + 1]]
    return float(reference.correlate(_activity(moved), 0, 0).values[0])


def _mapping_confidence(
    spans: Sequence[tuple[int, int]],
    per_cue: Sequence[int],
    reference: Reference,
    max_offset_ms: int,
    split_penalty_ms: int,
    chances: int,
) -> float:
    """The confidence of a piecewise mapping: the mapped track's score against decoys mapped the same way.

    Each piece alone may be short and its own peak weak; the whole mapped
    track either lies on the speech better than shuffled copies of it cut
    into pieces by the same dynamic programme, or not.
    """
    runs = [(number, number, offset) for number, offset in enumerate(per_cue)]
    score = _mapped_score(reference, spans, runs)
    limit, penalty = max_offset_ms // FRAME_MS, split_penalty_ms // FRAME_MS
    fitted = [
        _mapped_score(reference, decoy, piecewise_offsets(decoy, reference.activity, limit, penalty).runs)
        for decoy in _decoys(spans, _decoy_count(reference))
    ]
    return confidence_of(Null(float(np.mean(fitted)), float(np.std(fitted, ddof=1))).z(score, chances))


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
