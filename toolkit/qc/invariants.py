"""What ``fix_track`` promises, as a check that lists every broken promise.

Used by the property tests (generated multi-lane tracks), the corpus tests
and ``bench/bench_corpus.py``: after a fix the words of every event are the
same, no start moved by more than the minimum gap (nor earlier), no overlap
is left inside a lane unless it is reported as not fixed, no fix created an
overlap in any lane, and no line mixes two scripts that were on separate
lines.
"""

from __future__ import annotations

import itertools

from toolkit.qc import text as tx
from toolkit.qc.fix import FixResult
from toolkit.qc.kinds import DIALOGUE, event_kinds
from toolkit.qc.timing import capabilities_of, deliberate_overlap, lane_key, split_lanes
from toolkit.subtitles.model import Cue, Track


def _words(cue: Cue) -> tuple[str, ...]:
    return tuple(tx.words(" ".join(cue.lines)))


def lane_overlaps(track: Track) -> set[tuple[int, int]]:
    """Pairs of source lines of events of one lane on screen together (identical duplicates are
    one event; a zero-length event counts as an instant)."""
    caps = capabilities_of(track)
    by_lane: dict[tuple[object, ...], list[Cue]] = {}
    for cue in track.cues:
        by_lane.setdefault(lane_key(cue, caps), []).append(cue)
    pairs = set()
    for cues in by_lane.values():
        cues.sort(key=lambda cue: cue.start)
        for index, a in enumerate(cues):
            until = max(a.end, a.start + 1)
            for b in itertools.islice(cues, index + 1, None):
                if b.start >= until:
                    break
                if (a.start, a.end, a.lines) != (b.start, b.end, b.lines):
                    pairs.add((min(a.source_line or 0, b.source_line or 0), max(a.source_line or 0, b.source_line or 0)))
    return pairs


def fix_violations(before: Track, result: FixResult, min_gap: int) -> list[str]:
    """Every way ``result`` breaks the promises of a fix of ``before`` (empty: all kept)."""
    problems: list[str] = []
    after = result.track
    if sorted(_words(c) for c in before.cues if _words(c)) != sorted(_words(c) for c in after.cues if _words(c)):
        problems.append("the words changed")
    by_line = {cue.source_line: cue for cue in before.cues}
    for cue in after.cues:
        original = by_line.get(cue.source_line)
        if original is None:
            problems.append(f"event from line {cue.source_line} is new")
            continue
        if not 0 <= cue.start - original.start <= min_gap:
            problems.append(f"line {cue.source_line}: start moved by {cue.start - original.start} ms")
        if cue.end < cue.start:
            problems.append(f"line {cue.source_line}: ends before it starts")
        if tx.bilingual_groups(original.lines) is not None:
            latin_before = [w for line in original.lines if tx.line_script(line) == "latin" for w in tx.words(line)]
            latin_after = [w for line in cue.lines if tx.line_script(line) == "latin" for w in tx.words(line)]
            if latin_after != latin_before:
                problems.append(f"line {cue.source_line}: a line mixes the scripts of separate lines")
    caps = capabilities_of(after)
    cues = after.cues
    # Overlaps are a dialogue rule: signs, title cards, songs and notes keep their times.
    kinds = event_kinds(after)
    order = sorted((i for i in range(len(cues)) if kinds[i] == DIALOGUE), key=lambda i: cues[i].start)
    reported = {(change.code, change.cue) for change in result.skipped}
    for lane in split_lanes(cues, order, caps).lanes:
        ends_before: list[tuple[int, int]] = []  # (end, index) of earlier events of the lane
        for j in lane:
            for end, i in ends_before:
                if deliberate_overlap(cues[j].start - end, caps, cues[j].start - cues[i].start):
                    continue  # stacked by the ASS renderer: two speakers at once
                if end > cues[j].start and ("SK103", i + 1) not in reported:
                    problems.append(f"events {i + 1} and {j + 1} overlap in one lane, not reported")
            ends_before = [(end, i) for end, i in ends_before if end > cues[j].start] + [(cues[j].end, j)]
    created = lane_overlaps(after) - lane_overlaps(before)
    problems.extend(f"a fix made lines {a} and {b} overlap" for a, b in sorted(created))
    return problems
