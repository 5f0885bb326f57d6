"""What an event is: dialogue, or a sign, a title card, a song or a translator's note.

Real Chinese tracks, fansub ASS above all, carry many events that are not
dialogue: typeset signs (``\\pos``, ``\\move``, rotated or clipped text), title
and credit cards (``\\an8`` at the top, a 《title》 alone, styles named 注释,
Title, Staff, Sign), song lyrics (OP/ED styles, lines in ♪) and notes
(（注：…）, T/N). A Chinese editor holds them to their own rules: a sign stays
up as long as the picture shows it and holds as many lines as the picture
has, a lyric is sung, not read; reading speed, duration, line count and line
length are dialogue rules, and so are gaps and overlaps between events.
Markup, punctuation and language rules still apply to every event.

``event_kind(cue)`` decides from the style name, the override tags and the
text; ``NOT_FOR_NON_DIALOGUE`` lists the codes such events are not checked for
(lint and fix alike).
"""

from __future__ import annotations

import re
from functools import lru_cache

from toolkit.subtitles.model import Cue, Track

DIALOGUE, SIGN, SONG, NOTE = "dialogue", "sign", "song", "note"

# Codes that judge dialogue only: durations, reading speed, line count and width, gaps and overlaps.
NOT_FOR_NON_DIALOGUE = frozenset({"SK101", "SK102", "SK103", "SK104", "SK105", "SK201", "SK202", "SK203", "SK204"})

_SIGN_STYLE = re.compile(
    r"sign|title|note|staff|credit|screen|typeset|logo|insert|info|graphic|comment|caption|place|"
    r"注|註|屏|标题|標題|片名|说明|說明|图形|圖形|地点|地點|字幕组|字幕組|制作|製作|職員|职员|标注|標註",
    re.IGNORECASE,
)
_SONG_STYLE = re.compile(
    r"(?:^|[^a-z])(?:op|ed|in)(?:[^a-z]|$)|song|lyric|kara|music|theme|歌|(?:^|[^a-z])(?:opening|ending)", re.IGNORECASE
)
# Positioned, moved, rotated, clipped or scaled-away text, or a top-of-screen card.
_TYPESET = re.compile(r"\\(?:pos|move|org|i?clip)\s*\(|\\fr[xyz]?-?\d|\\an[789]|\\a(?:5|6|7|9|10|11)(?!\d)|\\fsc[xy]0(?!\d|\.)")
_SONG_MARK = frozenset("♪♫♬♩")
_TITLE_ONLY = re.compile(r"^\s*《[^《》]+》\s*$")
# A time card: a year or a date alone (2077年, 一九四二年冬, 三年后).
_TIME_CARD = re.compile(
    r"^\s*[0-9０-９一二三四五六七八九十〇零百千两兩]+\s*年(?:[0-9０-９一二三四五六七八九十]+月)?"
    r"(?:[0-9０-９一二三四五六七八九十]+[日号號])?(?:[春夏秋冬]|后|後|前|以后|以後)?\s*$"
)
_NOTE = re.compile(r"^\s*(?:[（(\[【]\s*)?(?:注|註|译注|譯註|T/N|TN|N/T)\s*[：:]", re.IGNORECASE)


@lru_cache(maxsize=512)
def style_kind(style: str) -> str:
    """The kind a style's name says (``注释`` → sign, ``OP-CH`` → song), dialogue otherwise."""
    if _SONG_STYLE.search(style):
        return SONG
    if _SIGN_STYLE.search(style):
        return SIGN
    return DIALOGUE


def style_alignments(track: Track) -> dict[str, int]:
    """An ASS track's styles and their alignment (a top style is not a top card by itself)."""
    header = track.ass_header
    styles = getattr(header, "styles", None)
    if not styles:
        return {}
    found: dict[str, int] = {}
    for name, style in styles.items():
        try:
            found[name] = int(style.alignment)
        except (TypeError, ValueError):
            continue
    return found


def event_kind(cue: Cue, styles: dict[str, int] | None = None) -> str:
    """``dialogue``, ``sign``, ``song`` or ``note`` for one event (``styles``: ``style_alignments``)."""
    if cue.style:
        kind = style_kind(cue.style)
        if kind != DIALOGUE:
            return kind
    if cue.alignment in (7, 8, 9) and (not styles or styles.get(cue.style or "", 2) != cue.alignment):
        return SIGN  # a card at the top of the screen ({\an8}; not a style that sits at the top)
    text = cue.text
    if "\\" in text and _TYPESET.search(text):
        return SIGN
    if "<" in text or "{" in text:
        from toolkit.subtitles.markup import strip_markup

        plain = strip_markup(text).strip()
    else:
        plain = text.strip()
    if not plain:
        return DIALOGUE
    if plain[0] in _SONG_MARK or plain[-1] in _SONG_MARK:
        return SONG
    if plain[0] in "《" and _TITLE_ONLY.match(plain.split("\n", 1)[0]):
        return SIGN  # a title card: 《洛基》 (alone, or over the episode's number and name)
    if "年" in plain and len(plain) <= 12 and _TIME_CARD.match(plain):
        return SIGN  # a time card: 2077年
    if plain[0] in "（([【注註TtN" and _NOTE.match(plain):
        return NOTE
    return DIALOGUE


def event_kinds(track: Track) -> list[str]:
    """The kind of every event of a track."""
    styles = style_alignments(track) if track.ass_header is not None else None
    return [event_kind(cue, styles) for cue in track.cues]
