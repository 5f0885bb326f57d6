"""Sync's confidence calibrated from a 45-second short to a three-hour feature: length x case -> confidence, decision.

Films are composed by tests/sync_support.py (compose_film): espeak-ng clips
(synthetic bursts without it) at irregular times, now and then a scene
without dialogue, over digital silence, room noise 20 dB under the speech or
a music bed 10 dB under it. The audio is rendered 30 s at a time straight into
sync's VAD (vad_activity), never written, so three hours cost seconds.

Cases per film: the true track, +2.5 s, -0.8 s (plain sync), a 25:24 drift
(+0.3 s, with --fps-search), a two-part cut (+1.2 s from the middle cue on,
with --split), the same drift and cut synced plainly (no single offset puts
them back: they must be refused), and a track of another film of the same
length searched plainly, with --fps-search and with --split. A decision is
right when a track that can be put back is accepted with at least 90 % of its
cues within 50 ms of the truth, and when anything else is refused; the rest
are false refusals and false acceptances, counted at the end.

    .venv/bin/python bench/calibrate_sync.py [--lengths 45,60,180,600,1800,5400,10800]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sync_support import BACKGROUNDS, Film, compose_film, moved  # noqa: E402

from toolkit.subtitles import Track  # noqa: E402
from toolkit.sync import DEFAULT_MIN_CONFIDENCE, align, synced  # noqa: E402
from toolkit.sync.activity import Activity  # noqa: E402

LENGTHS = (45, 60, 180, 600, 1800, 5400, 10800)
TOLERANCE_MS = 50
RIGHT_SHARE = 0.9


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Film], Track]
    options: dict[str, bool]
    related: bool = True


def _other(film: Film) -> Track:
    return compose_film(film.seconds, film.background, seed=film.seed + 1000).track()


CASES = (
    Case("in sync", lambda film: film.track(), {}),
    Case("+2.5 s", lambda film: moved(film.track(), shift_ms=2500), {}),
    Case("-0.8 s", lambda film: moved(film.track(), shift_ms=-800), {}),
    Case("25:24 drift --fps-search", lambda film: moved(film.track(), scale=24 / 25, shift_ms=300), {"fps_search": True}),
    Case(
        "two-part cut --split",
        lambda film: moved(film.track(), shift_ms=1200, from_cue=len(film.placed) // 2),
        {"split": True},
    ),
    # Without the flag it needs, no answer is right: these must be refused.
    Case("25:24 drift, plain", lambda film: moved(film.track(), scale=24 / 25, shift_ms=300), {}),
    Case("two-part cut, plain", lambda film: moved(film.track(), shift_ms=1200, from_cue=len(film.placed) // 2), {}),
    Case("unrelated", _other, {}, related=False),
    Case("unrelated --fps-search", _other, {"fps_search": True}, related=False),
    Case("unrelated --split", _other, {"split": True}, related=False),
)


@dataclass(frozen=True)
class Row:
    seconds: float
    background: str
    case: str
    cues: int
    confidence: float
    agreement: float
    accepted: bool
    right: bool  # the mapping found puts the track back (never for an unrelated one)
    related: bool
    cpu: float

    @property
    def verdict(self) -> str:
        if self.accepted and not self.right:
            return "FALSE ACCEPTANCE"
        if not self.accepted and self.related and self.right:
            return "FALSE REFUSAL"
        return "ok"


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def run_case(film: Film, activity: Activity, case: Case) -> Row:
    track = case.make(film)
    start = _cpu()
    result = align(track.cues, activity, **case.options)
    cpu = _cpu() - start
    right = False
    if case.related:
        try:
            back = synced(track, result)
        except Exception:  # a mapping that cannot be applied is not right
            back = None
        if back is not None:
            near = sum(
                abs(cue.start - start_ms) <= TOLERANCE_MS
                for cue, (start_ms, _) in zip(back.cues, film.utterances, strict=True)
            )
            right = near >= RIGHT_SHARE * len(back.cues)
    return Row(
        film.seconds, film.background, case.name, len(track.cues), result.confidence, result.agreement,
        result.confidence >= DEFAULT_MIN_CONFIDENCE, right, case.related, cpu,
    )  # fmt: skip


def _length(seconds: float) -> str:
    return f"{seconds:g} s" if seconds < 60 else f"{seconds / 60:g} min"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", default=",".join(map(str, LENGTHS)), help="film lengths in seconds")
    parser.add_argument("--backgrounds", default=",".join(BACKGROUNDS))
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    lengths = [float(value) for value in options.lengths.split(",")]
    backgrounds = options.backgrounds.split(",")
    rows: list[Row] = []
    began = time.perf_counter()
    print(f"threshold {DEFAULT_MIN_CONFIDENCE}; right = at least {RIGHT_SHARE:.0%} of cues within {TOLERANCE_MS} ms")
    print("| length | background | cues | " + " | ".join(case.name for case in CASES) + " |")
    print("|---|---|---|" + "---|" * len(CASES))
    for seconds in lengths:
        for background in backgrounds:
            film = compose_film(seconds, background, seed=options.seed)
            activity = film.activity()
            line = [run_case(film, activity, case) for case in CASES]
            rows.extend(line)
            cells = []
            for row in line:
                mark = "accept" if row.accepted else "refuse"
                flag = "" if row.verdict == "ok" else f" **{row.verdict}**"
                cells.append(f"{row.confidence:.2f} {mark}{flag}")
            print(f"| {_length(seconds)} | {background} | {len(film.placed)} | " + " | ".join(cells) + " |", flush=True)
    false_refusals = sum(row.verdict == "FALSE REFUSAL" for row in rows)
    false_acceptances = sum(row.verdict == "FALSE ACCEPTANCE" for row in rows)
    putback = [row for row in rows if row.related and "plain" not in row.case]
    unrelated = [row for row in rows if not row.related]
    print(
        f"{len(rows)} decisions: {false_refusals} false refusals of {len(putback)} tracks that can be put back, "
        f"{false_acceptances} false acceptances of {len(rows) - len(putback)} that cannot "
        f"({len(unrelated)} unrelated tracks)"
    )
    print(
        f"confidence: tracks that can be put back min {min(row.confidence for row in putback):.2f}, "
        f"the others max {max(row.confidence for row in rows if row not in putback):.2f}; "
        f"alignment CPU {sum(row.cpu for row in rows):.1f} s, whole run {time.perf_counter() - began:.0f} s wall"
    )


if __name__ == "__main__":
    main()
