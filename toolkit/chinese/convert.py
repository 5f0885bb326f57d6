"""Simplified ↔ Traditional conversion with OpenCC, touching only Chinese text.

OpenCC converts phrase by phrase before falling back to characters, so the
one-to-many characters come out right (头发 → 頭髮, not 頭發; 头发很干 →
頭髮很乾), and the regional configurations add vocabulary (s2twp: 软件 →
軟體, 视频 → 影片). Which configuration serves which audience is from
chinese-notes.md ("Taiwan screening: s2twp; HK: s2hk/s2hkp; back to zh-Hans:
tw2sp"); hk2s and tw2s keep the regional vocabulary, t2s only folds
characters.

Only runs of Han characters are handed to OpenCC: markup (``<i>``, ``{\\an8}``),
Latin text, digits, punctuation and placeholders (``[T0]``) pass through
untouched, so the number of lines, cues and their times never change.
Protected names (glossary names) are cut out of the runs and stay as written
(or take the form the glossary gives for the target).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from toolkit.errors import ScreenkitError
from toolkit.languages import Language
from toolkit.subtitles.markup import TAG as _MARKUP  # markup is never converted
from toolkit.subtitles.model import Track

# target tag → OpenCC configuration, for a Simplified source (chinese-notes.md, "OpenCC configurations").
_FROM_SIMPLIFIED = {"zh-Hant": "s2t", "zh-Hant-TW": "s2twp", "zh-Hant-HK": "s2hk"}
# source tag → configuration back to Simplified (a Taiwan source also gets its words back: tw2sp).
_TO_SIMPLIFIED = {"zh-Hant": "t2s", "zh-Hant-TW": "tw2sp", "zh-Hant-HK": "hk2s"}
# Between Traditional variants: OpenCC's t2tw / t2hk fold the glyph forms.
_BETWEEN_TRADITIONAL = {"zh-Hant-TW": "t2tw", "zh-Hant-HK": "t2hk"}
CONFIGS = frozenset({*_FROM_SIMPLIFIED.values(), *_TO_SIMPLIFIED.values(), *_BETWEEN_TRADITIONAL.values()})

# Han ideographs (CJK unified, extension A, compatibility, extensions B–G) and 〇.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = re.compile(f"[{HAN}]+")


class Converter(Protocol):
    def convert(self, text: str) -> str: ...


@cache
def converter(config: str) -> Converter:
    """The OpenCC converter for a configuration name (``s2twp``), built once."""
    try:
        import opencc
    except ImportError:  # a broken installation: opencc is a dependency
        raise ScreenkitError("script conversion needs the opencc package (pip install opencc)") from None
    instance: Converter = opencc.OpenCC(config)
    return instance


def config_for(source: Language, target: Language) -> str | None:
    """The OpenCC configuration converting ``source`` text into ``target``; None when no conversion applies.

    The same script gives None (zh-Hant → zh-Hant), except between Traditional
    regions, whose glyph forms differ (zh-Hant → zh-Hant-TW: t2tw).
    """
    if source.script is None or target.script is None or source == target:
        return None
    if source.script == "Hans" and target.script == "Hant":
        return _FROM_SIMPLIFIED[target.tag]
    if source.script == "Hant" and target.script == "Hans":
        return _TO_SIMPLIFIED[source.tag]
    if source.script == "Hant" and target.tag in _BETWEEN_TRADITIONAL:
        return _BETWEEN_TRADITIONAL[target.tag]
    return None


# Names kept as written (an iterable), or terms with the form to write instead (a mapping:
# a glossary's 秦岭 → 秦嶺 where OpenCC alone would not know the house form).
Protect = Mapping[str, str] | Iterable[str]


@dataclass(frozen=True)
class _Terms:
    pattern: re.Pattern[str]
    forms: dict[str, str]


def _terms(protect: Protect) -> _Terms | None:
    forms = dict(protect) if isinstance(protect, Mapping) else {name: name for name in protect}
    forms = {source: target for source, target in forms.items() if _HAN_RUN.fullmatch(source)}
    if not forms:
        return None
    # Longest first, so that 秦岭山脉 wins over 秦岭.
    names = sorted(forms, key=len, reverse=True)
    return _Terms(re.compile("|".join(re.escape(name) for name in names)), forms)


def _convert_plain(text: str, convert: Converter, protected: _Terms | None) -> str:
    def run(match: re.Match[str]) -> str:
        chunk = match.group(0)
        if protected is None:
            return convert.convert(chunk)
        out: list[str] = []
        position = 0
        for name in protected.pattern.finditer(chunk):
            out.append(convert.convert(chunk[position : name.start()]) if name.start() > position else "")
            out.append(protected.forms[name.group(0)])
            position = name.end()
        out.append(convert.convert(chunk[position:]) if position < len(chunk) else "")
        return "".join(out)

    return _HAN_RUN.sub(run, text)


def convert_text(text: str, config: str, protect: Protect = ()) -> str:
    """``text`` with its Chinese converted by ``config``; markup and non-Chinese text as they were.

    Names in ``protect`` stay as written (or are written in the mapped form).
    """
    convert = converter(config)
    protected = _terms(protect)
    if "<" not in text and "{" not in text:
        return _convert_plain(text, convert, protected)
    out: list[str] = []
    position = 0
    for tag in _MARKUP.finditer(text):
        out.append(_convert_plain(text[position : tag.start()], convert, protected))
        out.append(tag.group(0))
        position = tag.end()
    out.append(_convert_plain(text[position:], convert, protected))
    return "".join(out)


def convert_lines(lines: Sequence[str], config: str, protect: Protect = ()) -> list[str]:
    """Each line converted on its own: the line count never changes."""
    names = protect if isinstance(protect, Mapping) else tuple(protect)
    return [convert_text(line, config, names) for line in lines]


def convert_track(track: Track, target: Language, protect: Protect = (), source: Language | None = None) -> Track:
    """A copy of ``track`` in ``target``'s script: same cues, times, markup and lines.

    ``source`` defaults to the track's language; converting a Chinese track
    into its own script (or a non-Chinese track) is a ScreenkitError.
    """
    source = source or track.language
    if source is None or source.script is None:
        raise ScreenkitError(
            "script conversion needs a Chinese track (name its language: --from zh-Hans, or film.zh-Hans.srt)",
            path=track.path,
        )
    if target.script is None:
        raise ScreenkitError(f"cannot convert into {target.tag}: conversion is between Chinese scripts", path=track.path)
    config = config_for(source, target)
    result = track.copy(language=target)
    if config is None:
        return result  # already in that script (zh-Hant-TW → zh-Hant: nothing to fold)
    names = protect if isinstance(protect, Mapping) else tuple(protect)
    for cue in result.cues:
        cue.lines = convert_lines(cue.lines, config, names)
    return result
