"""The rule catalogue: stable codes, default severities, and whether --fix repairs them.

Codes never change meaning once published (scripts select and ignore them):
SK1xx timing, SK2xx reading and length, SK3xx text and punctuation,
SK4xx markup, SK5xx language and encoding.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.diagnostics import Severity
from toolkit.errors import ScreenkitError

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    fixable: bool


RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule("SK101", "min-duration", E, "event shorter than the profile's minimum duration", True),
        Rule("SK102", "max-duration", W, "event longer than the profile's maximum duration", False),
        Rule("SK103", "overlap", E, "event overlaps the next one", True),
        Rule("SK104", "min-gap", E, "gap to the next event shorter than the minimum gap", True),
        Rule("SK105", "gap-to-bridge", W, "small gap that should be closed to the minimum gap", True),
        Rule("SK106", "out-of-order", E, "event starts before the previous one", True),
        Rule("SK107", "past-video-end", E, "event ends after the end of the video", False),
        Rule("SK108", "first-event-too-early", E, "first event starts too early", False),
        Rule("SK109", "zero-duration", E, "event with no duration", True),
        Rule("SK201", "line-length", E, "line longer than the profile allows", True),
        Rule("SK202", "lines-per-event", E, "more lines than the profile allows", True),
        Rule("SK203", "reading-speed", E, "more characters per second than the profile allows", False),
        Rule("SK204", "words-per-minute", E, "more words per minute than the profile allows", False),
        Rule("SK301", "empty-event", E, "event with no visible text", True),
        Rule("SK302", "edge-whitespace", W, "space at the start or end of a line", True),
        Rule("SK303", "double-space", W, "two or more spaces in a row", True),
        Rule("SK304", "space-before-punctuation", W, "space before punctuation", True),
        Rule("SK305", "ellipsis-style", W, "ellipsis written as dots", True),
        Rule("SK306", "dialogue-dash", W, "dialogue dash not in the language's style", True),
        Rule("SK307", "cjk-half-width-punctuation", W, "half-width punctuation in Chinese text", True),
        Rule("SK308", "cjk-line-end-punctuation", W, "Chinese line ends with ， or 。", True),
        Rule("SK309", "french-space-missing", W, "no space before ; : ! ? in French", True),
        Rule("SK310", "french-breaking-space", N, "breaking space before ; : ! ? in French", True),
        Rule("SK401", "unbalanced-tag", E, "styling tag opened and not closed, or closed and not opened", True),
        Rule("SK402", "unknown-tag", W, "markup the output format does not know", False),
        Rule("SK403", "italics-not-allowed", W, "italics where the language's style does not use them", True),
        Rule("SK501", "not-utf8", W, "text encoding is not UTF-8", True),
        Rule("SK502", "language-mismatch", E, "text is not in the declared language", False),
        Rule("SK503", "language-undeclared", N, "language not declared; detected from the text", False),
    )
}


def parse_code_list(value: str | None, option: str) -> list[str]:
    """``SK2,SK301`` → ['SK2', 'SK301']; every entry must be a code or a prefix of one."""
    if not value:
        return []
    result = []
    for part in value.split(","):
        code = part.strip().upper()
        if not code:
            continue
        if code not in ("ALL", "SK") and not any(known.startswith(code) for known in RULES):
            raise ScreenkitError(
                f"{option}: unknown rule code {part.strip()!r} (codes run SK101..SK503; "
                "a prefix like SK2 selects a family)"
            )
        result.append("" if code == "ALL" else code)
    return result


def selected(code: str, select: list[str], ignore: list[str]) -> bool:
    if select and not any(code.startswith(prefix) for prefix in select):
        return False
    return not any(code.startswith(prefix) for prefix in ignore)
