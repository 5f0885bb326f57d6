"""Subtitle-aware segmentation: cues → sentences to translate → cues again.

Users' recurring complaints about subtitle translators (argos-notes.md):
sentences split across cues are translated badly, text shifts into the wrong
cue after merging, tags are lost, CJK lines are never wrapped. So:

* styling at the edges of a cue (``<i>…</i>``, ``{\\fad…}``, ``♪``) is lifted
  off before translation and put back after; the dash of each speaker of a
  two-speaker cue is kept and each speaker is translated on its own;
* a sentence that runs on into the next cue (no sentence-final punctuation,
  gap under a second) is translated once, and the translation is split back
  over the same cues in proportion to their durations, at word boundaries
  (at punctuation or between words for Chinese);
* every cue keeps its index, start and end; its text is re-wrapped to the
  target language's line length.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass, field
from functools import cache

from toolkit.languages import Language
from toolkit.linebreak import (
    BREAK_AFTER,
    LineRules,
    break_points,
    join_text,
    rules_for_profile,
    wrap,
)
from toolkit.qc import text as qc_text
from toolkit.subtitles.markup import TAG, TAG_PATTERN
from toolkit.subtitles.model import Cue, Track

# A cue continues into the next one only if the gap is shorter than this.
JOIN_MAX_GAP_MS = 1000
# A runaway sentence (no punctuation for minutes) is cut after this many cues.
JOIN_MAX_CUES = 4
JOIN_MAX_CHARS = 240
# Below this share of cues ending a sentence, the track does not use final
# punctuation (common in Chinese subtitles) and its absence says nothing.
PUNCTUATED_TRACK_SHARE = 0.2

_TAG = TAG_PATTERN
# Direction marks (U+200E/F, common in Netflix Chinese files) travel with the shell.
_LEAD = re.compile(rf"^(?:\s|{_TAG}|[♪♫#\u200e\u200f])*")
_TRAIL = re.compile(rf"(?:\s|{_TAG}|[♪♫#\u200e\u200f])*$")
_ANY_TAG = TAG
_DASH = re.compile(r"^([-‐–—]\s*)")
# "-怎么了？ -我要走了": two speakers on one line.
_INLINE_DIALOGUE = re.compile(r"^(\W*?[-‐–—].+?)\s+((?:<[^>]*>|\{[^}]*\}|[\u200e\u200f])*[-‐–—]\s*\S.*)$")
_FINAL = re.compile(r"[.!?。！？‼⁉][\"'”’」』)）\]]*$")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)[\"'”’」』)）\]]*$")
_LETTER = re.compile(r"\w", re.UNICODE)


@dataclass
class Shell:
    """What surrounds the translatable text of a cue or speaker: tags, dash, music notes."""

    lead: str = ""
    trail: str = ""
    per_line: bool = False  # the styling was repeated on every line
    dropped_markup: bool = False  # styling inside the sentence that cannot follow the words


@dataclass
class Part:
    """One translatable piece of a cue: the whole cue, or one speaker of a dialogue cue."""

    text: str
    shell: Shell
    dash: str = ""


@dataclass
class CuePlan:
    parts: list[Part]
    dialogue: bool = False
    one_line: bool = False  # both speakers were on one line: kept so when it fits

    @property
    def translatable(self) -> bool:
        return any(_LETTER.search(part.text) for part in self.parts)


@dataclass
class Segment:
    """A unit sent to the model once: a sentence over one or more cues, or one speaker."""

    text: str
    cues: list[int]  # cue indexes, consecutive; more than one when a sentence was joined
    part: int = 0  # which part of the cue (speaker), for single-cue segments


@dataclass
class TrackPlan:
    cues: list[CuePlan]
    segments: list[Segment] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [segment.text for segment in self.segments]


def _lift_shell(text: str) -> tuple[str, str, str]:
    lead = _LEAD.match(text)
    lead_text = lead.group(0) if lead else ""
    rest = text[len(lead_text) :]
    trail = _TRAIL.search(rest)
    trail_text = trail.group(0) if trail else ""
    core = rest[: len(rest) - len(trail_text)] if trail_text else rest
    return lead_text.lstrip(), core, trail_text.rstrip()


def _clean_core(lines: list[str], source: Language | None) -> tuple[str, bool]:
    """Join lines into one text without inner tags; True when inner styling was dropped."""
    dropped = False
    text = ""
    for line in lines:
        stripped = _ANY_TAG.sub("", line)
        dropped = dropped or stripped != line
        text = join_text(text, stripped.strip())
    return re.sub(r"\s+", " ", text).strip(), dropped


def plan_shell(lines: list[str], source: Language | None) -> tuple[Shell, str]:
    """The shell and the plain text of a block of lines (a cue or one speaker)."""
    lifted = [_lift_shell(line) for line in lines]
    if len(lines) > 1 and all(lead or trail for lead, _, trail in lifted) and len(
        {(lead, trail) for lead, _, trail in lifted}
    ) == 1:
        lead, _, trail = lifted[0]
        core, dropped = _clean_core([core for _, core, _ in lifted], source)
        return Shell(lead, trail, per_line=True, dropped_markup=dropped), core
    lead, core, trail = _lift_shell("\n".join(lines))
    text, dropped = _clean_core(core.split("\n"), source)
    return Shell(lead, trail, dropped_markup=dropped), text


def _dialogue_part(line: str, source: Language | None) -> Part | None:
    """``<i>- Text</i>`` → the speaker's text, with everything around it as its shell."""
    lead, core, trail = _lift_shell(line.strip())
    dash = _DASH.match(core)
    if dash is None:
        return None
    inner_lead, inner_core, inner_trail = _lift_shell(core[dash.end() :])
    text, dropped = _clean_core([inner_core], source)
    dash_text = dash.group(1)  # "-" or "- ", as the source has it
    shell = Shell(lead + dash_text + inner_lead, inner_trail + trail, dropped_markup=dropped)
    return Part(text, shell, dash_text)


def plan_cue(cue: Cue, source: Language | None) -> CuePlan:
    lines = [line for line in cue.lines if line.strip()]
    if len(lines) >= 2:
        parts = [_dialogue_part(line, source) for line in lines]
        if all(part is not None for part in parts):
            return CuePlan([part for part in parts if part is not None], dialogue=True)
    if len(lines) == 1:
        inline = _INLINE_DIALOGUE.match(lines[0].strip())
        if inline:
            parts = [_dialogue_part(inline.group(1), source), _dialogue_part(inline.group(2), source)]
            if all(part is not None for part in parts):
                return CuePlan([part for part in parts if part is not None], dialogue=True, one_line=True)
    shell, text = plan_shell(lines, source)
    return CuePlan([Part(text, shell)])


def ends_sentence(text: str) -> bool:
    text = text.rstrip()
    if _ELLIPSIS.search(text):
        return False  # "I was going to..." runs on into the next cue
    return bool(_FINAL.search(text))


def plan_track(track: Track, source: Language | None) -> TrackPlan:
    """Cues → segments: sentences joined across cues, speakers apart."""
    cues = [plan_cue(cue, source) for cue in track.cues]
    plan = TrackPlan(cues)
    plain = [i for i, c in enumerate(cues) if c.translatable and not c.dialogue]
    finished = sum(ends_sentence(cues[i].parts[0].text) for i in plain)
    uses_punctuation = bool(plain) and finished / len(plain) >= PUNCTUATED_TRACK_SHARE

    index = 0
    while index < len(cues):
        cue_plan = cues[index]
        if not cue_plan.translatable:
            index += 1
            continue
        if cue_plan.dialogue:
            for number, part in enumerate(cue_plan.parts):
                if _LETTER.search(part.text):
                    plan.segments.append(Segment(part.text, [index], number))
            index += 1
            continue
        members = [index]
        text = cue_plan.parts[0].text
        while uses_punctuation and _continues(track, cues, members[-1], len(members), text):
            members.append(members[-1] + 1)
            text = join_text(text, cues[members[-1]].parts[0].text)
        plan.segments.append(Segment(text, members))
        index = members[-1] + 1
    return plan


def _continues(track: Track, cues: list[CuePlan], last: int, count: int, text: str) -> bool:
    following = last + 1
    if following >= len(cues) or count >= JOIN_MAX_CUES or len(text) >= JOIN_MAX_CHARS:
        return False
    current, after = cues[last], cues[following]
    if after.dialogue or not after.translatable or ends_sentence(current.parts[0].text):
        return False
    this_cue, next_cue = track.cues[last], track.cues[following]
    if next_cue.alignment != this_cue.alignment:
        return False
    gap = next_cue.start - this_cue.end
    return 0 <= gap < JOIN_MAX_GAP_MS


# --- splitting a translated sentence back over its cues ---------------------------------


# The line length comes from the Netflix QC profile of the target language (qc-norms.md:
# 16 full-width characters per line for Chinese, 42 for en/fr), so translation and
# `screenkit lint --profile netflix` agree on what fits.
WRAP_PROFILE = "netflix"


@cache
def line_rules(language: Language) -> LineRules:
    """The lines a translation into ``language`` is wrapped to (the one breaker, toolkit/linebreak.py)."""
    from toolkit.qc import load_profile

    rules = rules_for_profile(load_profile(WRAP_PROFILE, language))
    # ， 。 at line ends are the QC fix's business: a translation keeps its punctuation.
    return dataclasses.replace(rules, drop_at_line_end="", max_width=rules.max_width or 42)


def split_proportionally(text: str, weights: list[int], cjk: bool) -> list[str]:
    """Cut ``text`` into ``len(weights)`` pieces whose lengths follow the weights.

    Cuts fall at spaces (Latin) or between words outside Latin
    runs (Chinese), preferring a cut just after punctuation near the ideal
    point. Every piece is non-empty when the text has enough words.
    """
    count = len(weights)
    text = text.strip()
    if count == 1:
        return [text]
    points = break_points(text)
    total_weight = sum(max(1, w) for w in weights)
    half = 0.5 if cjk else 1.0
    prefix = [0.0, *itertools.accumulate(qc_text.char_width(char, half, cjk) for char in text)]
    total_width = prefix[-1]
    cuts: list[int] = []
    cumulative = 0
    previous = 0
    for k in range(count - 1):
        cumulative += max(1, weights[k])
        ideal = total_width * cumulative / total_weight
        remaining_cuts = count - 2 - k
        candidates = [p for p in points if p > previous]
        # Leave enough break points for the cuts still to make.
        if remaining_cuts:
            candidates = candidates[: max(0, len(candidates) - remaining_cuts)]
        if not candidates:
            break
        window = max(4.0 * half, total_width * 0.12)

        def cost(point: int, ideal: float = ideal, window: float = window) -> float:
            distance = abs(prefix[point] - ideal)
            before = point - 1 if text[point - 1] != " " else point - 2
            punctuated = before >= 0 and text[before] in BREAK_AFTER
            return distance - (window if punctuated and distance <= window else 0)

        best = min(candidates, key=cost)
        cuts.append(best)
        previous = best
    pieces = []
    start = 0
    for cut in cuts:
        pieces.append(text[start:cut].strip())
        start = cut
    pieces.append(text[start:].strip())
    # Too few words for the cues: the cue keeps an ellipsis rather than vanishing.
    while len(pieces) < count:
        pieces.append("…")
    return [piece or "…" for piece in pieces]


# --- assembling the translated track ----------------------------------------------------


def _dress(lines: list[str], shell: Shell) -> list[str]:
    if not lines:
        return []
    if shell.per_line:
        return [f"{shell.lead}{line}{shell.trail}" for line in lines]
    dressed = list(lines)
    dressed[0] = shell.lead + dressed[0]
    dressed[-1] = dressed[-1] + shell.trail
    return dressed


def assemble(
    track: Track, plan: TrackPlan, translations: list[str], target: Language, keep: tuple[str, ...] = ()
) -> Track:
    """The translated track: same cues, same times, translated and re-wrapped text.

    ``keep``: glossary forms (names) that a line break never splits.
    """
    if len(translations) != len(plan.segments):
        raise ValueError("one translation per segment is needed")
    cue_texts: dict[tuple[int, int], str] = {}
    for segment, translated in zip(plan.segments, translations, strict=True):
        if len(segment.cues) == 1:
            cue_texts[(segment.cues[0], segment.part)] = translated.strip()
            continue
        weights = [track.cues[i].duration for i in segment.cues]
        for cue_index, piece in zip(segment.cues, split_proportionally(translated, weights, target.is_cjk), strict=True):
            cue_texts[(cue_index, 0)] = piece
    rules = dataclasses.replace(line_rules(target), keep=keep) if keep else line_rules(target)
    limit = rules.max_width or 42.0
    result = track.copy(language=target)
    for index, (cue, cue_plan) in enumerate(zip(result.cues, plan.cues, strict=True)):
        if not cue_plan.translatable:
            continue  # music notes, "...": kept as they are
        lines: list[str] = []
        # Two speakers stay two lines, one each (issue 22: never four); a speaker's line too
        # long for the limit is left for lint's SK201 to report.
        speakers = len(cue_plan.parts) >= 2 and all(part.dash for part in cue_plan.parts)
        for number, part in enumerate(cue_plan.parts):
            text = cue_texts.get((index, number), part.text)
            narrower = dataclasses.replace(rules, max_width=limit - rules.width(part.dash))
            wrapped = [text] if speakers else (wrap(text, narrower) or [text])
            lines.extend(_dress(wrapped, part.shell))
        if cue_plan.one_line and len(lines) == 2:
            together = f"{lines[0]} {lines[1]}"
            if rules.width(together) <= limit:
                lines = [together]
        cue.lines = lines
    return result


def dropped_markup_cues(plan: TrackPlan) -> list[int]:
    """Cues whose styling inside the sentence could not follow the translated words."""
    return [
        index
        for index, cue_plan in enumerate(plan.cues)
        if any(part.shell.dropped_markup for part in cue_plan.parts)
    ]
