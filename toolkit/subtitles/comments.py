"""ASS ``Comment:`` events as blocks kept before a cue (``Cue.before``), the way WebVTT keeps NOTE blocks.

A block holds the event's fields as JSON, its times relative to the start of
the cue it travels with (or, in ``Track.after``, to the last cue's), so that a
retimed, re-sorted or fixed track keeps its comments where they were. This
module knows no pysubs2: the fixes move blocks without importing a reader.
"""

from __future__ import annotations

import json
from typing import Any

COMMENT_PREFIX = "ASS Comment event "


def comment_block(fields: dict[str, Any], start_ms: int, end_ms: int, anchor_ms: int) -> str:
    """The block of an event with ``fields`` (pysubs2's ``as_dict``) from START to END."""
    return _encode({**fields, "start": start_ms - anchor_ms, "end": end_ms - anchor_ms})


def comment_fields(block: str, anchor_ms: int) -> dict[str, Any] | None:
    """The event fields a block holds, times made absolute; None for a block of another kind."""
    fields = _decode(block)
    if fields is not None:
        fields["start"] += anchor_ms
        fields["end"] += anchor_ms
    return fields


def rebase_block(block: str, old_anchor_ms: int, new_anchor_ms: int) -> str:
    """A block moved to another cue: a comment's times stay where they were; other blocks as they are."""
    fields = comment_fields(block, old_anchor_ms) if old_anchor_ms != new_anchor_ms else None
    if fields is None:
        return block
    return comment_block(fields, fields["start"], fields["end"], new_anchor_ms)


def _encode(fields: dict[str, Any]) -> str:
    return COMMENT_PREFIX + json.dumps(fields, ensure_ascii=False, sort_keys=True)


def _decode(block: str) -> dict[str, Any] | None:
    if not block.startswith(COMMENT_PREFIX):
        return None
    from toolkit.errors import ScreenkitError
    from toolkit.fsutil import load_json_bounded

    try:  # a NOTE of a WebVTT file may start the same way: bounded, and not ours unless it parses
        fields = load_json_bounded(block[len(COMMENT_PREFIX) :], max_depth=32)
    except ScreenkitError:
        return None
    if not isinstance(fields, dict) or not all(isinstance(fields.get(k), int) for k in ("start", "end")):
        return None
    return fields
