"""What a conversion loses, said once per kind: ``adapt(track, target) -> (track, losses)``.

A target keeps what it can carry (its ``Capabilities`` in the format
registry: top position, italics, bold, underline, ...) and drops the rest:
ASS drawings and override blocks in SRT/WebVTT, ``<s>``/``<font>`` in
WebVTT, layers and styles outside ASS, WebVTT NOTE/STYLE/REGION blocks,
identifiers and cue settings outside WebVTT. Each kind of loss is one
``Loss`` with a count, so that ``convert`` can print "dropped 6 drawing
events" once instead of staying silent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.subtitles.formats import Capabilities, SubtitleFormat, format_of
from toolkit.subtitles.model import Cue, Track
from toolkit.text.markup import ASS_BLOCK, STYLE_TAG, ass_visible, is_drawing


@dataclass(frozen=True)
class Loss:
    kind: str  # backwards, drawings, override-blocks, tag-s, layers, styles, comments, event-fields, cue-settings, identifiers, positions
    count: int
    message: str

    def to_dict(self) -> dict[str, str | int]:
        return {"kind": self.kind, "count": self.count, "message": self.message}


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


_POSITION_ONLY = re.compile(r"^(?:line:\S+|align:\S+|position-align:\S+)(?:\s+(?:line:\S+|align:\S+))*$")


def adapt(track: Track, target: SubtitleFormat) -> tuple[Track, list[Loss]]:
    """The track as ``target`` can carry it, and what was dropped (nothing: an empty list)."""
    source = format_of(track)
    have = source.capabilities if source is not None else Capabilities(positions=True, inline=frozenset({"i", "b", "u", "s", "font"}))
    can = target.capabilities
    if source is not None and source.name == target.name:
        return track, []
    counts: dict[str, int] = {}
    detail: dict[str, set[str]] = {}
    keeps_comments = bool(can.comments) and can.comments == have.comments  # one comment syntax

    def lost(kind: str, count: int = 1, what: str | None = None) -> None:
        counts[kind] = counts.get(kind, 0) + count
        if what is not None:
            detail.setdefault(kind, set()).add(what)

    cues: list[Cue] = []
    for cue in track.cues:
        if cue.end < cue.start:
            lost("backwards")  # WebVTT keeps such a cue (never shown); other formats refuse it
            continue
        if have.drawings and not can.drawings and is_drawing(cue.text):
            lost("drawings")
            continue
        lines = list(cue.lines)
        if have.overrides and not can.overrides:
            lines = [ass_visible(line) for line in lines]  # "\{" is a brace in ASS, two characters elsewhere
        if not can.overrides and any("{\\" in line for line in lines):
            found = sum(len(ASS_BLOCK.findall(line)) for line in lines)
            if found:
                lost("override-blocks", found)
                lines = [ASS_BLOCK.sub("", line) for line in lines]
        if any("<" in line for line in lines):

            def drop(match: re.Match[str]) -> str:
                name = match.group(2).lower()
                if name in can.inline:
                    return match.group(0)
                if not match.group(1):
                    lost(f"tag-{name}")
                return ""

            lines = [STYLE_TAG.sub(drop, line) for line in lines]
        changes: dict[str, object] = {"lines": lines}
        if cue.layer and not can.layers:
            lost("layers", 1, str(cue.layer))
            changes["layer"] = 0
        if cue.style and not can.styles:
            if cue.style.lstrip("*").lower() != "default":
                lost("styles", 1, cue.style)
            changes["style"] = None
        if cue.before and not keeps_comments:
            lost("comments", len(cue.before))
            changes["before"] = ()
        if cue.ass_fields and not can.event_fields:
            lost("event-fields")
            changes["ass_fields"] = None
        if cue.identifier and not can.cue_settings:
            lost("identifiers")
            changes["identifier"] = None
        if cue.settings and not can.cue_settings:
            if not _POSITION_ONLY.match(cue.settings):
                lost("cue-settings")
            changes["settings"] = None
        if cue.alignment not in (None, 2) and not can.positions:
            lost("positions")
            changes["alignment"] = None
        cues.append(cue.copy(**changes))
    adapted = track.copy(cues=cues)
    if track.after and not keeps_comments:
        lost("comments", len(track.after))
        adapted.after = []
    return adapted, [_describe(kind, count, detail.get(kind, set()), have) for kind, count in counts.items()]


def _describe(kind: str, count: int, detail: set[str], source: Capabilities) -> Loss:
    names = ", ".join(sorted(detail)[:5]) + (", ..." if len(detail) > 5 else "")
    if kind == "backwards":
        message = f"dropped {_n(count, 'cue')} ending before {'it starts' if count == 1 else 'they start'} (no player shows them)"
    elif kind == "drawings":
        message = f"dropped {_n(count, 'drawing event')} (ASS vector drawings show as text elsewhere)"
    elif kind == "override-blocks":
        message = f"dropped {_n(count, 'override block')} (kept: top position, italics, bold, underline)"
    elif kind.startswith("tag-"):
        message = f"dropped {_n(count, f'<{kind[4:]}> tag')} (the target format has no such styling)"
    elif kind == "layers":
        message = f"{_n(count, 'event')} lost its layer ({'layer' if len(detail) == 1 else 'layers'} {names})"
    elif kind == "styles":
        message = f"{_n(count, 'event')} lost its style ({_n(len(detail), 'style')}: {names})"
    elif kind == "comments" and source.comments == "ass":
        message = f"dropped {_n(count, 'Comment event')} (ASS comments; the target has none of that kind)"
    elif kind == "comments":
        message = f"dropped {_n(count, 'NOTE, STYLE or REGION block', 'NOTE, STYLE and REGION blocks')}"
    elif kind == "event-fields":
        message = f"dropped the margins or effect of {_n(count, 'event')} (ASS event fields)"
    elif kind == "cue-settings":
        message = f"dropped the cue settings of {_n(count, 'event')} (kept: the top position)"
    elif kind == "identifiers":
        message = f"dropped {_n(count, 'cue identifier')}"
    else:
        message = f"{_n(count, 'event')} lost its position"
    return Loss(kind, count, message)
