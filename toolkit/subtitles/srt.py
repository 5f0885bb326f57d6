"""SubRip (.srt) reading and writing.

Writing goes through pysrt. Reading uses pysrt's item model too, but the
scan of the file is ours: pysrt keeps no line numbers, reads an unparsable
time as 00:00:00 and drops text after a blank line inside a cue, while a
subtitle editor needs ``film.srt:42: bad timestamp`` and tolerance for the
sloppiness real files have (missing index numbers, missing or extra blank
lines, trailing spaces, ``.`` for ``,``, CR-only line ends).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pysrt

from toolkit.errors import ScreenkitError
from toolkit.subtitles.markup import canonical_from_srt
from toolkit.subtitles.model import Cue, ReadWarning, Track
from toolkit.subtitles.timecode import format_srt, parse_clock

# "-&gt;" and "- & gt;": arrows escaped as HTML, then machine-translated with the text.
ARROW = re.compile(r"-{1,2}>|—>|–>|-\s*&\s*gt;")
_INDEX = re.compile(r"^\s*\d+\s*$")


@dataclass(slots=True)
class RawBlock:
    """One cue as found in the text: its timing line, text lines and where they were."""

    timing_line: int  # 1-based line number of the "-->" line
    start_text: str
    end_text: str
    settings: str
    lines: list[str]
    times: tuple[int, int] | None = None  # already read by the fast path


# The timing line as careful tools write it (almost every line of almost every
# file): read in one match. Anything else goes through the tolerant path.
_STRICT_TIMING = re.compile(
    r"(\d\d):([0-5]\d):([0-5]\d)[,.](\d\d\d) --> (\d\d):([0-5]\d):([0-5]\d)[,.](\d\d\d)(?:[ \t]+(.*?))?[ \t]*"
)


def _strict_times(line: str) -> tuple[int, int, str] | None:
    match = _STRICT_TIMING.fullmatch(line)
    if match is None:
        return None
    h1, m1, s1, f1, h2, m2, s2, f2, settings = match.groups()
    start = ((int(h1) * 60 + int(m1)) * 60 + int(s1)) * 1000 + int(f1)
    end = ((int(h2) * 60 + int(m2)) * 60 + int(s2)) * 1000 + int(f2)
    return start, end, settings or ""


def split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def scan_blocks(lines: list[str], path: str | None, first: int = 0) -> Iterator[RawBlock]:
    """Find cues by their timing lines; everything up to the next cue is text.

    Blank lines at the start or end of a cue's text are dropped; blank lines
    inside it are kept, as line breaks, since text follows them.
    """
    timing_rows = [
        i
        for i in range(first, len(lines))
        if "-->" in lines[i] or (("&" in lines[i] or ">" in lines[i]) and _is_sloppy_arrow(lines[i]))
    ]
    for position, row in enumerate(timing_rows):
        stop = timing_rows[position + 1] if position + 1 < len(timing_rows) else len(lines)
        # A lone number just before the next timing line is that cue's index,
        # blank line before it or not, unless it is all the text this cue has.
        if position + 1 < len(timing_rows) and stop - 2 > row and _INDEX.match(lines[stop - 1]):
            stop -= 1
        body = [line.rstrip() for line in lines[row + 1 : stop]]
        while body and not body[-1].strip():
            body.pop()
        while body and not body[0].strip():
            body.pop(0)
        fast = _strict_times(lines[row])
        if fast is not None:
            start, end, settings = fast
            yield RawBlock(row + 1, "", "", settings, body, (start, end))
            continue
        start_text, rest = _split_timing(lines[row], path, row + 1)
        end_text, settings = _split_end(rest)
        yield RawBlock(row + 1, start_text, end_text, settings, body)


def _is_sloppy_arrow(line: str) -> bool:
    # "00:00:01,000 -> 00:00:02,000" and dash variants seen in the corpus.
    return bool(ARROW.search(line)) and line.count(":") >= 2 and any(ch.isdigit() for ch in line[:3])


def _split_timing(line: str, path: str | None, number: int) -> tuple[str, str]:
    parts = ARROW.split(line, maxsplit=1)
    if len(parts) != 2:
        raise ScreenkitError(f"bad timing line {line.strip()!r}", path=path, line=number)
    return parts[0].strip(), parts[1]


# The end time, possibly with spaces after its colons, then WebVTT cue settings or SRT coordinates.
_END = re.compile(r"^(\d{1,3}\s*:\s*\d{1,2}(?:\s*:\s*\d{1,2})?(?:\s*[,.:]\s*\d{1,3})?)(?:\s+(.*))?$")


def _split_end(rest: str) -> tuple[str, str]:
    rest = rest.strip()
    match = _END.match(rest)
    if match:
        return match.group(1), (match.group(2) or "").strip()
    end_text, _, settings = rest.partition(" ")
    return end_text, settings.strip()


def _signed_clock(text: str) -> int:
    """A timestamp that may be negative (gaupol writes ``-00:00:06,843`` for cues before zero)."""
    stripped = text.strip()
    if stripped.startswith("-"):
        return -parse_clock(stripped[1:])
    return parse_clock(stripped)


def block_times(
    block: RawBlock, path: str | None, warnings: list[ReadWarning] | None = None
) -> tuple[int, int] | None:
    """The cue's times; negative times clamped to zero with a warning, None for a cue that ends
    before zero (dropped, with a warning)."""
    if block.times is not None:
        start, end = block.times
    else:
        try:
            start = _signed_clock(block.start_text)
            end = _signed_clock(block.end_text)
        except ValueError as error:
            raise ScreenkitError(str(error), path=path, line=block.timing_line) from None
    if start < 0 or end < 0:
        if end < start:
            pass  # reported below as an error
        elif end <= 0:
            if warnings is not None:
                warnings.append(ReadWarning(block.timing_line, "cue ends before 00:00:00,000: dropped", "dropped-negative"))
            return None
        else:
            if warnings is not None:
                warnings.append(ReadWarning(block.timing_line, f"negative start time {block.start_text.strip()} clamped to 00:00:00,000", "negative-time"))
            start = 0
    if end < start:
        raise ScreenkitError(
            f"cue ends before it starts ({format_srt(start)} --> {format_srt(end)})",
            path=path,
            line=block.timing_line,
        )
    return start, end


# The start of a timing line cut short: "00:00", "00:00:01,0", "00:00:01,000 -".
_CUT_TIMING = re.compile(r"\s*\d{1,3}:[\d:,.]*\s*(?:-{1,2}\s*[\d:,.]*)?\s*")


def _cut_short_tail(block: RawBlock, lines: list[str], warnings: list[ReadWarning]) -> None:
    """A file that ends in the first lines of a cue (``3`` and ``00:00`` after a blank line,
    the download cut short) keeps them out of the previous cue's text, with a warning at the line."""
    row = block.timing_line  # 0-based index of the first line after the timing line
    end = len(lines)
    while end > row and not lines[end - 1].strip():
        end -= 1
    blank = next((i for i in range(end - 1, row - 1, -1) if not lines[i].strip()), None)
    if blank is None:
        return
    tail = [line.strip() for line in lines[blank + 1 : end]]
    if len(tail) > 2 or not tail:
        return
    index = tail[0] if _INDEX.match(tail[0]) else None
    timing = tail[1:] if index is not None else tail
    if (index is None and not timing) or not all(_CUT_TIMING.fullmatch(line) for line in timing):
        return
    kept = len(block.lines) - len(tail)
    if kept <= 0:
        return  # the tail is all the text this cue has: its text, however odd
    del block.lines[kept:]
    while block.lines and not block.lines[-1].strip():
        block.lines.pop()
    what = f"cue {index}" if index is not None else "a cue"
    warnings.append(ReadWarning(
        blank + 2, f"{what} is cut short at the end of the file (no complete timing line): dropped", "cut-short-cue",
    ))


def parse_srt(text: str, path: str | None = None) -> Track:
    lines = split_lines(text)
    cues: list[Cue] = []
    warnings: list[ReadWarning] = []
    escaped = ESCAPED_ARROW in text  # looked for once: almost no file has one
    blocks = list(scan_blocks(lines, path))
    if blocks:
        _cut_short_tail(blocks[-1], lines, warnings)
    for block in blocks:
        # The strict timing line (almost every cue) has times that need no more checking but order.
        times = block.times
        if times is None or times[1] < times[0]:
            times = block_times(block, path, warnings)
            if times is None:
                continue
        body, alignment = canonical_from_srt([unescape_arrow(line) for line in block.lines] if escaped else block.lines)
        cues.append(Cue(times[0], times[1], body, alignment=alignment, source_line=block.timing_line))
    if not cues:
        _raise_no_cues(lines, path)
    return Track(cues=cues, format="srt", warnings=warnings)


# "-->" in a text line would read as a timing line: written as "--&gt;", read back as "-->".
ESCAPED_ARROW = "--&gt;"


def escape_arrow(line: str) -> str:
    return line.replace("-->", ESCAPED_ARROW) if "-->" in line else line


def unescape_arrow(line: str) -> str:
    return line.replace(ESCAPED_ARROW, "-->") if ESCAPED_ARROW in line else line


def _raise_no_cues(lines: list[str], path: str | None) -> None:
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ScreenkitError("empty subtitle file: no cues", path=path, line=1)
    raise ScreenkitError(
        f"no subtitle cues found (expected a timing line like '00:00:01,000 --> 00:00:02,000', "
        f"found {lines[first].strip()[:40]!r})",
        path=path,
        line=first + 1,
    )


def _srt_text(cue: Cue) -> str:
    # A blank line would end the cue for every other SRT reader.
    lines = [escape_arrow(line) for line in cue.lines if line.strip()] or [""]
    if cue.alignment is not None and cue.alignment != 2:
        lines[0] = f"{{\\an{cue.alignment}}}" + lines[0]
    return "\n".join(lines)


def write_srt(track: Track) -> str:
    """SRT text (LF line ends), cues in start-time order renumbered from 1, written through pysrt."""
    items = pysrt.SubRipFile(
        [
            pysrt.SubRipItem(
                index=number,
                start=pysrt.SubRipTime.from_ordinal(max(cue.start, 0)),
                end=pysrt.SubRipTime.from_ordinal(max(cue.end, 0)),
                text=_srt_text(cue),
            )
            for number, cue in enumerate(sorted(track.cues, key=lambda cue: cue.start), start=1)
        ],
        eol="\n",
    )
    # pysrt writes "index\ntime --> time\ntext\n\n" per item.
    return "".join(str(item) + "\n" for item in items)


__all__ = ["format_srt", "parse_srt", "write_srt"]
