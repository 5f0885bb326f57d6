"""Simplified ↔ Traditional conversion with OpenCC and screenkit's own phrase layer.

OpenCC converts phrase by phrase before falling back to characters, so the
one-to-many characters come out right (头发 → 頭髮, not 頭發; 头发很干 →
頭髮很乾), and the regional configurations add vocabulary (s2twp: 软件 →
軟體, 视频 → 影片). Which configuration serves which audience is from
chinese-notes.md ("Taiwan screening: s2twp; HK: s2hk/s2hkp; back to zh-Hans:
tw2sp"); hk2s and tw2s keep the regional vocabulary, t2s only folds
characters. Generic zh-Hant is written with s2tw: the standard Traditional
glyph forms (為, 裡, 著, 吃) without Taiwan vocabulary; OpenCC's own s2t
writes forms no reader uses today (喫飯, 爲).

Each line goes to OpenCC whole, Latin letters and digits in place, so that
phrases such as U盘 and B超 match (s2twp: 隨身碟, 超音波). Only markup
(``<i>``, ``{\\an8}``) is cut out, so the number of lines, cues and their
times never change.

Before OpenCC runs, screenkit's phrase layer (``toolkit/data/chinese/
phrases-*.tsv``) takes the words OpenCC lacks or gets wrong for a target:
Taiwan's 土豆 → 馬鈴薯 and 打开 → 打開 (s2twp's 開啟 is software talk),
Hong Kong's 出租车 → 的士, every Traditional target's 一个旧 → 一個舊
(OpenCC reads 个旧 as the city and writes 箇舊). The surname 余 before a
form of address (余先生) keeps its form. Glossary names (``protect``) win
over both. Each replaced piece is held out of OpenCC by a private-use
placeholder and put back after it, and every replacement is reported
(``Change``) for ``convert --explain``.

Quotation marks follow the target region: “” ‘’ become 「」 『』 for Taiwan and
Hong Kong (the profiles' SK311 quotes) and come back to “” ‘’ for zh-Hans.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Protocol

from toolkit.errors import ScreenkitError
from toolkit.languages import Language
from toolkit.subtitles.markup import TAG as _MARKUP  # markup is never converted
from toolkit.subtitles.model import Track

# target tag → OpenCC configuration, for a Simplified source (chinese-notes.md, "OpenCC configurations").
_FROM_SIMPLIFIED = {"zh-Hant": "s2tw", "zh-Hant-TW": "s2twp", "zh-Hant-HK": "s2hk"}
# source tag → configuration back to Simplified (a Taiwan source also gets its words back: tw2sp;
# generic zh-Hant is written in the standard forms s2tw writes, which tw2s folds: 著 → 着).
_TO_SIMPLIFIED = {"zh-Hant": "tw2s", "zh-Hant-TW": "tw2sp", "zh-Hant-HK": "hk2s"}
# Between Traditional variants: OpenCC's t2tw / t2hk fold the glyph forms.
_BETWEEN_TRADITIONAL = {"zh-Hant-TW": "t2tw", "zh-Hant-HK": "t2hk"}
CONFIGS = frozenset({*_FROM_SIMPLIFIED.values(), *_TO_SIMPLIFIED.values(), *_BETWEEN_TRADITIONAL.values()})

# Which phrase files serve a configuration (a Simplified source only: the files are keyed by
# Simplified words). s2t and s2hkp are not chosen by screenkit but get the same layers.
PHRASE_LAYERS: dict[str, tuple[str, ...]] = {
    "s2t": ("hant",),
    "s2tw": ("hant",),
    "s2twp": ("hant", "tw"),
    "s2hk": ("hant", "hk"),
    "s2hkp": ("hant", "hk"),
}
# Configurations whose output quotes 「」『』 (Taiwan, Hong Kong) and those back to “”‘’.
_CORNER_QUOTES = frozenset({"s2twp", "s2hk", "s2hkp", "t2tw", "t2hk"})
_CURLY_QUOTES = frozenset({"t2s", "tw2sp", "hk2s", "tw2s", "hk2sp"})
_TO_CORNER = str.maketrans("“”‘’", "「」『』")
_TO_CURLY = str.maketrans("「」『』", "“”‘’")

# Han ideographs (CJK unified, extension A, compatibility, extensions B–G) and 〇.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = re.compile(f"[{HAN}]+")
# Private-use characters hold replaced pieces out of OpenCC (which leaves them alone).
_HOLD_BASE = 0xF0000  # plane 15: never in subtitle text screenkit reads
_HOLD = re.compile("[\U000f0000-\U000ffffd]")

# 余 the surname (OpenCC writes 餘, "surplus") before a form of address or after 老/小 as a name.
# Not after the characters that make 余 "remaining" (业余, 其余, 多余, 剩余, 课余, 闲余 ...).
_ADDRESS = "先生|女士|小姐|太太|夫人|老师|教授|医生|大夫|博士|律师|警官|队长|经理|局长|校长|主任|老板|师傅|叔叔|阿姨|大爷|大妈|奶奶|爷爷"
_SURNAME_YU = re.compile(
    f"(?:(?<=[老小])余(?=[，。！？、 ]|$)|(?<![业其剩多残课闲盈结富节零有之空])余(?={_ADDRESS}))"
)
SURNAME_RULE = "rule: 余 as a surname (before a form of address, or 老余 / 小余)"


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


@dataclass(frozen=True)
class Phrase:
    source: str  # Simplified
    target: str  # the target's form, written as it must come out
    origin: str  # phrases-tw.tsv:12


@dataclass(frozen=True)
class Change:
    """One replacement the phrase layer (or a glossary name) made, for ``--explain``."""

    source: str
    target: str
    origin: str  # phrases-tw.tsv:12, glossary, or the rule's description
    line: int = 0  # index of the line in its cue, where convert_lines knows it


def _read_layer(name: str) -> list[Phrase]:
    filename = f"phrases-{name}.tsv"
    text = resources.files("toolkit").joinpath("data", "chinese", filename).read_text(encoding="utf-8")
    phrases: list[Phrase] = []
    for number, line in enumerate(text.splitlines(), 1):
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        fields = body.split("\t")
        if len(fields) != 2 or not all(fields):
            raise ScreenkitError(f"{filename}:{number}: expected 'simplified<TAB>target'")  # a packaging bug
        phrases.append(Phrase(fields[0], fields[1], f"{filename}:{number}"))
    return phrases


@cache
def phrase_layer(config: str) -> dict[str, Phrase]:
    """Simplified word → its form for ``config``'s target; a region's file wins over the generic one."""
    table: dict[str, Phrase] = {}
    for name in PHRASE_LAYERS.get(config, ()):
        for phrase in _read_layer(name):
            table[phrase.source] = phrase
    return table


# Names kept as written (an iterable), or terms with the form to write instead (a mapping:
# a glossary's 秦岭 → 秦嶺 where OpenCC alone would not know the house form).
Protect = Mapping[str, str] | Iterable[str]


@dataclass(frozen=True)
class _Terms:
    pattern: re.Pattern[str] | None
    forms: dict[str, Phrase]
    surname: bool  # apply the 余 rule


def _terms_for(config: str, protect: Protect) -> _Terms:
    given = dict(protect) if isinstance(protect, Mapping) else {name: name for name in protect}
    return _terms_with(config, tuple(sorted(given.items())))


@lru_cache(maxsize=64)
def _terms_with(config: str, given_items: tuple[tuple[str, str], ...]) -> _Terms:
    """The phrase layer and the glossary's names as one pattern, built once per glossary (a track
    converts line by line)."""
    forms = dict(phrase_layer(config))
    for source, target in given_items:
        if source and _HAN_RUN.search(source):
            forms[source] = Phrase(source, target, "glossary")
    # Longest first, so that 秦岭山脉 wins over 秦岭 (and 一个旧 over 个旧).
    names = sorted(forms, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(name) for name in names)) if names else None
    return _Terms(pattern, forms, surname=config in PHRASE_LAYERS)


@cache
def _cached_terms(config: str) -> _Terms:
    return _terms_for(config, ())


def _convert_plain(text: str, config: str, terms: _Terms, changes: list[Change] | None) -> str:
    if not text:
        return text
    held: list[str] = []

    def hold(value: str) -> str:
        held.append(value)
        return chr(_HOLD_BASE + len(held) - 1)

    def replace(match: re.Match[str]) -> str:
        phrase = terms.forms[match.group(0)]
        if changes is not None:
            changes.append(Change(phrase.source, phrase.target, phrase.origin))
        return hold(phrase.target)

    work = text
    if terms.pattern is not None and _HAN_RUN.search(work):
        work = terms.pattern.sub(replace, work)
    if terms.surname and "余" in work:
        def surname(match: re.Match[str]) -> str:
            if changes is not None:
                changes.append(Change("余", "余", SURNAME_RULE))
            return hold("余")

        work = _SURNAME_YU.sub(surname, work)
    out = converter(config).convert(work) if _HAN_RUN.search(work) else work
    if held:
        out = _HOLD.sub(lambda m: held[ord(m.group(0)) - _HOLD_BASE], out)
    if config in _CORNER_QUOTES:
        out = out.translate(_TO_CORNER)
    elif config in _CURLY_QUOTES:
        out = out.translate(_TO_CURLY)
    return out


def convert_text(text: str, config: str, protect: Protect = (), changes: list[Change] | None = None) -> str:
    """``text`` converted by ``config`` and screenkit's phrase layer; markup as it was.

    Names in ``protect`` stay as written (or are written in the mapped form).
    ``changes``, when given, receives what the phrase layer and the names replaced.
    """
    terms = _terms_for(config, protect) if protect else _cached_terms(config)
    if "<" not in text and "{" not in text:
        return _convert_plain(text, config, terms, changes)
    out: list[str] = []
    position = 0
    for tag in _MARKUP.finditer(text):
        out.append(_convert_plain(text[position : tag.start()], config, terms, changes))
        out.append(tag.group(0))
        position = tag.end()
    out.append(_convert_plain(text[position:], config, terms, changes))
    return "".join(out)


def convert_lines(
    lines: Sequence[str], config: str, protect: Protect = (), changes: list[Change] | None = None
) -> list[str]:
    """Each line converted on its own: the line count never changes."""
    names: Protect = protect if isinstance(protect, Mapping) else tuple(protect)
    out: list[str] = []
    for index, line in enumerate(lines):
        found: list[Change] | None = [] if changes is not None else None
        out.append(convert_text(line, config, names, found))
        if changes is not None and found:
            changes.extend(Change(c.source, c.target, c.origin, index) for c in found)
    return out


@dataclass(frozen=True)
class CueChange:
    cue: int  # 1-based cue number in the track
    change: Change


def convert_track(
    track: Track,
    target: Language,
    protect: Protect = (),
    source: Language | None = None,
    changes: list[CueChange] | None = None,
) -> Track:
    """A copy of ``track`` in ``target``'s script: same cues, times, markup and lines.

    ``source`` defaults to the track's language; converting a Chinese track
    into its own script (or a non-Chinese track) is a ScreenkitError.
    ``changes``, when given, receives the phrase-layer replacements cue by cue.
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
    names: Protect = protect if isinstance(protect, Mapping) else tuple(protect)
    for number, cue in enumerate(result.cues, 1):
        found: list[Change] | None = [] if changes is not None else None
        cue.lines = convert_lines(cue.lines, config, names, found)
        if changes is not None and found:
            changes.extend(CueChange(number, change) for change in found)
    return result
