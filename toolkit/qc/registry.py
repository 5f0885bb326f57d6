"""The QC rule registry: every rule's code, name, severity, message, documentation and fix.

One entry per rule, the way ruff's rules are: what the rule checks, why, and
what ``--fix`` does about it, all in one place. Other parts of screenkit read
it as plain data (``screenkit lint --list-rules``, ``--explain CODE``, the
finding catalogue of ``screenkit explain``):

- ``RULES``: ``dict[code, Rule]`` in code order; ``Rule`` is a frozen
  dataclass with ``code``, ``name``, ``severity`` (the default; profiles may
  change it), ``summary`` (one line), ``documentation`` (paragraphs of plain
  text: what, why, the fix), ``fix`` (what the fix does, one line; None when
  no fix exists) and ``line_fix`` (for fixes that rewrite one line of text,
  the function; the other fixes, which work on timing or whole events, are
  steps of ``fix_track`` that run only for their rule's code).
- ``register(rule)``: add a rule (a code already taken is an error). A new
  family (``DCP1xx``) is a module that calls it; ``parse_code_list`` accepts
  every registered code and any prefix of one.
- ``Selection``: ``--select``/``--ignore`` as one predicate, applied to both
  findings and fixes.

Codes never change meaning once published (scripts select and ignore them):
SK1xx timing, SK2xx reading and length, SK3xx text and punctuation, SK4xx
markup, SK5xx language and encoding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from toolkit.diagnostics import Severity
from toolkit.errors import ScreenkitError
from toolkit.qc import linefix
from toolkit.qc.profile import Profile

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

LineFix = Callable[[str, Profile], str]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    documentation: str
    fix: str | None = None  # what --fix does, one line; None: nothing is fixed automatically
    line_fix: LineFix | None = field(default=None, compare=False, repr=False)

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    @property
    def family(self) -> str:
        """``SK1`` for SK101: the prefix that selects the rule's family."""
        return self.code[:-2]

    def explain(self) -> str:
        """The rule's documentation as ``screenkit lint --explain`` prints it."""
        head = f"{self.code} {self.name} [{self.severity.value}]: {self.summary}"
        fix = f"Fix (--fix): {self.fix}." if self.fix else "Fix: none automatic; the finding says what to change."
        return f"{head}\n\n{self.documentation.strip()}\n\n{fix}\n"


RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    if rule.code in RULES:
        raise ValueError(f"rule code {rule.code} is registered twice")
    RULES[rule.code] = rule
    return rule


def _rules(*rules: Rule) -> None:
    for rule in rules:
        register(rule)


_rules(
    Rule(
        "SK101", "min-duration", E, "event shorter than the profile's minimum duration",
        "An event must stay on screen long enough to be read at all, however short its text. "
        "Netflix asks for 5/6 s (20 frames at 24 fps), cinema 15 frames, festivals 2 s "
        "(Netflix Timed Text Style Guide; festival practice). Limits in frames are converted at the track's frame rate, with half a "
        "frame of tolerance.",
        fix="extend the end into free time in the event's lane, never closer to the next event than the minimum gap",
    ),
    Rule(
        "SK102", "max-duration", W, "event longer than the profile's maximum duration",
        "An event left up too long is read twice and hides the picture; style guides cap it at "
        "7 s (Netflix Timed Text Style Guide). Splitting an event needs a person: the text must be divided where "
        "the speech pauses. "
        "Dialogue only: signs, title cards, songs and notes (toolkit/qc/kinds.py) are not held to it.",
    ),
    Rule(
        "SK103", "overlap", E, "event overlaps the next one in its lane",
        "Two events in the same lane (the same screen position and, in ASS, the same layer) "
        "must not be on screen at once: the second would cover or push the first. Events in "
        "different lanes (a sign at the top over dialogue at the bottom, ASS layers) may "
        "overlap; identical duplicates (the same text at the same time) are one event. Signs, "
        "title cards, songs and notes (toolkit/qc/kinds.py) are not dialogue and are left out.",
        fix="end the earlier event the minimum gap before the next one; an overlap that would leave "
        "the earlier event less than half its duration is reported, not moved",
    ),
    Rule(
        "SK104", "min-gap", E, "gap to the next event shorter than the minimum gap",
        "Events that follow each other too closely look like one flickering event; the "
        "minimum gap is 2 frames at any frame rate (Netflix Timed Text Style Guide; cinema practice).",
        fix="end the earlier event the minimum gap before the next one",
    ),
    Rule(
        "SK105", "gap-to-bridge", W, "small gap that should be closed to the minimum gap",
        "A gap of 3-11 frames reads as a flash between two events: Netflix closes such gaps "
        "to the minimum gap (Netflix Timed Text Style Guide).",
        fix="extend the earlier event to the minimum gap before the next one",
    ),
    Rule(
        "SK106", "out-of-order", E, "event starts before the previous one",
        "SRT and WebVTT players show events in file order; an event that starts before the "
        "previous one is skipped or shown late by some of them. ASS events may come in any order.",
        fix="sort the events by start time (events starting together keep their order)",
    ),
    Rule(
        "SK107", "past-video-end", E, "event ends after the end of the video",
        "An event after the end of the picture is never seen, and usually means the track was "
        "made for another cut or frame rate (see screenkit retime --fps).",
    ),
    Rule(
        "SK108", "first-event-too-early", E, "first event starts too early",
        "Cinema servers and some players drop subtitles in the first seconds (DCP: not before "
        "4 s).",
    ),
    Rule(
        "SK109", "zero-duration", E, "event with no duration",
        "An event that ends when it starts is never shown.",
        fix="extend the end into free time in the event's lane, as for SK101",
    ),
    Rule(
        "SK201", "line-length", E, "line longer than the profile allows",
        "Lines are measured in the Netflix unit: a full-width CJK character counts 1, a "
        "half-width character 0.5 in CJK profiles and 1 elsewhere (Netflix Timed Text Style Guide, FAQ 115001352212). Tags never "
        "count. Limits: 16 for Chinese, 42 for English and French on Netflix.",
        fix="re-wrap the event's lines",
    ),
    Rule(
        "SK202", "lines-per-event", E, "more lines than the profile allows",
        "Two lines per event is the rule almost everywhere (three in cinema). "
        "Dialogue only: signs, title cards, songs and notes (toolkit/qc/kinds.py) are not held to it.",
        fix="re-wrap the event's lines",
    ),
    Rule(
        "SK203", "reading-speed", E, "more characters per second than the profile allows",
        "Characters per second, spaces and punctuation counted (Netflix Timed Text Style Guide): 9 cps "
        "for Chinese, 17 for French, 20 for English for adults. Fixing it means shortening "
        "the text or lengthening the event: a translator's decision. A bilingual event (a Chinese "
        "line over an English one) is read language by language, each against its own limit. "
        "Dialogue only: signs, title cards, songs and notes are not held to it.",
    ),
    Rule(
        "SK204", "words-per-minute", E, "more words per minute than the profile allows",
        "The BBC measures reading speed in words per minute (160-180; BBC Subtitle Guidelines).",
    ),
    Rule(
        "SK301", "empty-event", E, "event with no visible text",
        "An event with only spaces or tags shows nothing but still blocks its lane.",
        fix="remove the event",
    ),
    Rule(
        "SK302", "edge-whitespace", W, "space at the start or end of a line",
        "Spaces at line ends shift centred text off centre.",
        fix="remove the space", line_fix=linefix.edge_whitespace,
    ),
    Rule(
        "SK303", "double-space", W, "two or more spaces in a row",
        "Two spaces in a row are a typing slip and widen the line.",
        fix="collapse to one space", line_fix=linefix.double_space,
    ),
    Rule(
        "SK304", "space-before-punctuation", W, "space before punctuation",
        "No space goes before , . ! ? ; : except in French, where ; : ! ? take a no-break space.",
        fix="remove the space", line_fix=linefix.space_before_punctuation,
    ),
    Rule(
        "SK305", "ellipsis-style", W, "ellipsis written as dots",
        "Netflix wants the single ellipsis character … (U+2026) in English and French, ⋯ allowed "
        "in Chinese (Netflix Timed Text Style Guide); three dots take three characters of the line. In Chinese "
        "text …, ……, ⋯⋯ and ⋯ followed by 。 become the single ⋯ of the Netflix zh guides "
        "(Netflix Simplified and Traditional Chinese Timed Text Style Guides).",
        fix="use the profile's ellipsis character", line_fix=linefix.ellipsis_style,
    ),
    Rule(
        "SK306", "dialogue-dash", W, "dialogue dash not in the language's style",
        "Two speakers in one event start their lines with a dash: '-' with no space in English "
        "and Chinese, '- ' with a space in French (Netflix Timed Text Style Guide).",
        fix="write the dash in the language's style", line_fix=linefix.dialogue_dash,
    ),
    Rule(
        "SK307", "cjk-half-width-punctuation", W, "half-width punctuation in Chinese text",
        "Chinese text takes full-width ，？！：； (Netflix Chinese Timed Text Style Guides).",
        fix="use full-width punctuation", line_fix=linefix.full_width_punctuation,
    ),
    Rule(
        "SK308", "cjk-line-end-punctuation", W, "Chinese line ends with ， or 。",
        "Chinese subtitles drop ， and 。 at the end of a line (Netflix zh guide, as quoted by "
        "subtitling references).",
        fix="remove the punctuation at the line end",
    ),
    Rule(
        "SK309", "french-space-missing", W, "no space before ; : ! ? in French",
        "French typography puts a (no-break) space before ; : ! ? (Imprimerie nationale, Lexique des règles typographiques); clock times "
        "(12:30) and addresses (http://) are not punctuation.",
        fix="insert a no-break space", line_fix=linefix.french_space_missing,
    ),
    Rule(
        "SK310", "french-breaking-space", N, "breaking space before ; : ! ? in French",
        "An ordinary space before ; : ! ? lets the mark wrap alone onto the next line.",
        fix="use a no-break space", line_fix=linefix.french_breaking_space,
    ),
    Rule(
        "SK311", "cjk-quotes", W, "quotation marks not in the region's style",
        "The mainland quotes with “ ” (‘ ’ inside), Taiwan and Hong Kong with 「 」 (『 』 inside) "
        "(W3C clreq, 'Quotation Marks'). The profile's zh-Hans, zh-Hant-TW and "
        "zh-Hant-HK settings say which; plain zh-Hant accepts both.",
        fix="swap the marks for the region's, outer for outer and inner for inner",
        line_fix=linefix.chinese_quotes,
    ),
    Rule(
        "SK312", "cjk-dash", W, "dash inside Chinese text not written as ——",
        "Chinese writes a dash as the two-em dash —— (one unit, never split; W3C clreq); -- or "
        "---, two full-width hyphens －－, or a dash set off by spaces "
        "between Chinese characters is an English habit. A single — with no spaces is left "
        "alone: 北京—上海 is the connecting dash; a dash after a space before a word is a "
        "second speaker's dialogue dash (SK313, SK314), never joined into ——.",
        fix="write the two-em dash", line_fix=linefix.chinese_dash,
    ),
    Rule(
        "SK313", "two-speakers-one-line", W, "two speakers on one line",
        "Each speaker of a dialogue event takes a line of their own, starting with the dialogue "
        "dash (Netflix: two lines at most, a dash for each speaker): '-你去哪儿了 -我去买菜了' on "
        "one line reads as one person talking. Found where a line starts with a dash and a "
        "second dash follows a space or a full stop.",
        fix="split the line at the second speaker's dash, when the event has only that line (a "
        "bilingual or two-line event is left for a person)",
    ),
    Rule(
        "SK314", "full-width-dialogue-dash", W, "full-width － used as a dialogue dash",
        "The full-width hyphen － (U+FF0D) is not a dialogue dash: the Netflix zh guides "
        "use '-' with no space. Mainland fansubs often write '－对 －要派谁'.",
        fix="write the profile's dialogue dash", line_fix=linefix.full_width_dialogue_dash,
    ),
    Rule(
        "SK315", "two-dot-ellipsis", W, "‥ (two-dot leader) used as an ellipsis in Chinese text",
        "‥ (U+2025) is a Japanese two-dot leader, not a Chinese ellipsis: the zh guides write "
        "⋯ (Netflix Chinese Timed Text Style Guides). '好‥他知道' is an ellipsis written with the wrong mark.",
        fix="write the profile's ellipsis (⋯)", line_fix=linefix.two_dot_leader,
    ),
    Rule(
        "SK316", "ascii-quotes-in-chinese", W, "ASCII quotes in a Chinese line",
        "Chinese quotes with full-width marks: “ ” ‘ ’ on the mainland, 「 」 『 』 in Taiwan "
        "and Hong Kong (W3C clreq). A straight \" or ' around Chinese text is "
        "half-width, has no opening or closing form, and is drawn from the Latin face.",
        fix="swap pairs of \" (and ' around Chinese text) for the region's marks; an odd number "
        "of \" is left for a person",
        line_fix=linefix.ascii_quotes,
    ),
    Rule(
        "SK401", "unbalanced-tag", E, "styling tag opened and not closed, or closed and not opened",
        "An unclosed <i> runs into the following events in some players; a stray </i> shows "
        "as text in others. Only where tags must be closed (SRT, WebVTT, TTML): an ASS "
        "override ({\\b1}, read as <b>) holds to the end of its event and needs none.",
        fix="close or drop the unmatched tag",
    ),
    Rule(
        "SK402", "unknown-tag", W, "markup the output format does not know",
        "Tags other than <i> <b> <u> <s> <font> show as text in many players, and ASS override "
        "blocks mean nothing outside ASS/SSA. The format registry says what each format carries.",
    ),
    Rule(
        "SK403", "italics-not-allowed", W, "italics where the language's style does not use them",
        "Chinese subtitles do not use italics (Netflix Chinese Timed Text Style Guides); the glyphs are slanted synthetically "
        "and read badly.",
        fix="remove the italics tags (an override block that does more than italics is left whole)",
        line_fix=linefix.remove_italics,
    ),
    Rule(
        "SK501", "not-utf8", W, "text encoding is not UTF-8",
        "Legacy encodings (GB18030, Big5, cp1252) are read by guessing; players and other tools "
        "guess differently. UTF-8 is read the same everywhere.",
        fix="write the fixed file as UTF-8",
    ),
    Rule(
        "SK502", "language-mismatch", E, "text is not in the declared language",
        "The text's language, identified over the whole track (py3langid; zh-Hans vs zh-Hant "
        "by OpenCC's conversion tables), is not the one declared by --lang, the file name or "
        "the manifest. A bilingual track (zh-Hans+en) is checked line by line. In a Chinese "
        "track each line is also checked on its own: a zh-Hant file with lines left in "
        "Simplified is found line by line, not only when the whole file leans that way.",
    ),
    Rule(
        "SK503", "language-undeclared", N, "language not declared; detected from the text",
        "Without a declared language the profile's language rules are chosen from the detected "
        "language; declare it (--lang, a film.fr.srt name) to be sure.",
    ),
)


def line_fix_rules() -> list[Rule]:
    """The rules whose fix rewrites one line, in the order ``fix_track`` applies them."""
    order = (
        "SK302", "SK303", "SK304", "SK305", "SK315", "SK314", "SK306", "SK403", "SK307", "SK311", "SK316", "SK312",
        "SK309", "SK310",
    )
    return [RULES[code] for code in order if code in RULES] + [
        rule for code, rule in RULES.items() if rule.line_fix is not None and code not in order
    ]


def parse_code_list(value: str | None, option: str) -> list[str]:
    """``SK2,SK301`` → ['SK2', 'SK301']; every entry must be a code or a prefix of one."""
    if not value:
        return []
    result = []
    for part in value.split(","):
        code = part.strip().upper()
        if not code:
            continue
        if code != "ALL" and not any(known.startswith(code) for known in RULES):
            families = sorted({rule.code[:2] for rule in RULES.values()})
            raise ScreenkitError(
                f"{option}: unknown rule code {part.strip()!r} (codes: {min(RULES)}..{max(RULES)}, "
                f"families {', '.join(families)}; a prefix like SK2 selects a family; "
                "see screenkit lint --list-rules)"
            )
        result.append("" if code == "ALL" else code)
    return result


def selected(code: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    select = list(select)
    if select and not any(code.startswith(prefix) for prefix in select):
        return False
    return not any(code.startswith(prefix) for prefix in ignore)


@dataclass(frozen=True)
class Selection:
    """``--select`` and ``--ignore`` as one predicate: ``selection(code) -> bool``."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    @classmethod
    def parse(cls, select: str | None, ignore: str | None) -> Selection:
        return cls(tuple(parse_code_list(select, "--select")), tuple(parse_code_list(ignore, "--ignore")))

    def __call__(self, code: str) -> bool:
        return selected(code, self.select, self.ignore)


ALL = Selection()


def explain(code: str) -> str:
    rule = RULES.get(code.strip().upper())
    if rule is None:
        raise ScreenkitError(f"unknown rule code {code!r} (see screenkit lint --list-rules)")
    return rule.explain()


# Rule families in their own modules register themselves on import.
from toolkit.qc import dcp as _dcp  # noqa: E402, F401
