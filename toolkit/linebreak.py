"""The one line breaker: QC fixes and translation break subtitle lines here.

Width is the Netflix unit (qc-norms.md: "half-width characters (Latin
letters, digits, ASCII punctuation) count 0.5; a full-width CJK character
counts 1"; alphabetic languages count every character 1), measured with the
QC package's character classes (``toolkit.qc.text``), so a line the breaker
makes is exactly as long as ``screenkit lint`` says.

Where a line may break:

* Latin text at spaces only; a word, a number (``1,000``, ``12.5``) or a
  Latin name inside Chinese text is never split.
* Chinese text between words only (jieba, ``toolkit.chinese.words``), never
  inside a protected name (glossary names), and with the W3C clreq "basic"
  kinsoku rules (chinese-notes.md, "Kinsoku"): no closing punctuation
  (``，。、！？：；”’」』）》…`` …) at the start of a line, no opening
  punctuation (``“‘「『（《`` …) at its end; the two-em dash and the six-dot
  ellipsis stay whole.
* Markup never counts and never separates: a closing tag stays with what it
  closes, an opening tag with what it opens; a dialogue dash stays with its
  first word.

Among the layouts that fit, the best has balanced lines, no orphan (one word
alone when there were words to share) and, when it can, breaks after
punctuation. Every layout with the fewest lines is scored; prefix sums make
each line's width O(1).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from toolkit.qc import text as tx
from toolkit.qc.profile import Profile
from toolkit.subtitles.markup import TAG as _MARKUP_ONLY
from toolkit.subtitles.markup import TAG_PATTERN

_TOKEN = re.compile(rf"{TAG_PATTERN}|[ \t]+|.", re.DOTALL)
# clreq basic "not at line start": pause and stop marks, closing quotes and brackets,
# connector marks, interpuncts; plus the "strict" ellipses and dashes (so that ……, ⋯⋯ and
# —— stay whole) and their half-width forms.
NO_LINE_START = frozenset("、，。．：；！？‼⁇”’」』）］｝〕】〗〉》～–·・‧…⋯—,.!?:;)]}%»\u00a0")
# clreq basic "not at line end": opening quotes and brackets.
NO_LINE_END = frozenset("“‘「『（［｛〔【〖〈《([{«")
# A break after these reads naturally.
BREAK_AFTER = frozenset(",.;:!?，。！？；：、…⋯")
DASHES = frozenset("-‐‑–—−")
# Letters and digits, half- or full-width: a run of them (２４２, ＤＣＰ, 2024) is one word,
# whatever the segmenter says.
_ALNUM_FORMS = frozenset(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ"
)


def _may_break_between(previous: str, char: str) -> bool:
    """Kinsoku, and never inside a run of letters or digits."""
    return (
        char not in NO_LINE_START
        and previous not in NO_LINE_END
        and not (previous in _ALNUM_FORMS and char in _ALNUM_FORMS)
    )
ORPHAN_PENALTY = 100.0
# A break after punctuation is worth lines about a quarter of the limit apart from balanced.
PUNCTUATION_BONUS = 0.15
# More combinations than this (long text, many lines): fall back to filling line by line.
MAX_COMBINATIONS = 50_000


@dataclass(frozen=True)
class LineRules:
    """What a line may hold, in the width unit above."""

    max_width: float | None  # None: any width
    max_lines: int | None = 2
    half_width: float = 1.0  # the weight of a half-width character: 0.5 for Chinese
    words: bool = True  # break Chinese between segmented words only (False: between any two characters)
    drop_at_line_end: str = ""  # removed at line ends afterwards (，。 in Chinese): not counted there
    keep: tuple[str, ...] = ()  # never split (names the glossary protects)

    def width(self, line: str) -> float:
        """The width of a line as it will be shown (markup removed, dropped line-end marks not counted)."""
        plain = tx.strip_markup(line)
        if self.drop_at_line_end:
            plain = plain.rstrip().rstrip(self.drop_at_line_end)
        return tx.text_width(plain, self.half_width)

    def fits(self, lines: Sequence[str]) -> bool:
        if self.max_lines is not None and len(lines) > self.max_lines:
            return False
        return self.max_width is None or all(self.width(line) <= self.max_width for line in lines)


def rules_for_profile(profile: Profile, keep: Iterable[str] = ()) -> LineRules:
    """The line rules of a QC profile resolved for a language.

    Under Chinese punctuation rules ， and 。 are dropped at line ends (SK308),
    so they do not count there.
    """
    return LineRules(
        max_width=profile.max_chars_per_line,
        max_lines=profile.max_lines,
        half_width=profile.half_width_weight,
        drop_at_line_end="，。" if profile.cjk_punctuation else "",
        keep=tuple(keep),
    )


# ---------------------------------------------------------------- joining


def join_lines(lines: Sequence[str]) -> str:
    """One text from several lines: a space between Latin ends, nothing next to a full-width character."""
    text = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if text:
            last = tx.strip_markup(text).rstrip()[-1:]
            first = tx.strip_markup(stripped).lstrip()[:1]
            joiner = "" if (last and first and (tx.is_wide(last) or tx.is_wide(first))) else " "
            text += joiner
        text += stripped
    return text


def join_text(left: str, right: str) -> str:
    """Join two pieces of text: a space unless the seam touches a full-width character."""
    return join_lines([left, right])


# ---------------------------------------------------------------- pieces


@dataclass(frozen=True)
class _Piece:
    text: str  # with its markup
    separator: str  # " " after it at a space, "" where Chinese words meet
    width: float
    last: str  # last visible character


def _kept_names(plain: str, keep: Sequence[str]) -> tuple[set[int], set[int]]:
    """Offsets of ``plain`` inside a kept name (no break there) and at its edges (a kept name is
    a word of its own, whatever the segmenter made of it: 长沙/国丞相 has no break after 国)."""
    inside: set[int] = set()
    edges: set[int] = set()
    for name in keep:
        if not name:
            continue
        start = plain.find(name)
        while start >= 0:
            inside.update(range(start + 1, start + len(name)))
            edges.update((start, start + len(name)))
            start = plain.find(name, start + 1)
    return inside, edges - inside


def _pieces(text: str, rules: LineRules) -> list[_Piece]:
    """The unbreakable pieces of ``text`` and the separator after each."""
    tokens = _TOKEN.findall(text)
    plain = "".join(token for token in tokens if not _MARKUP_ONLY.fullmatch(token))
    inside, name_edges = _kept_names(plain, rules.keep)
    word_ends: frozenset[int] | None = None
    if rules.words and tx.is_cjk_text(plain):
        from toolkit.chinese.words import boundaries

        word_ends = boundaries(plain) | name_edges

    raw: list[tuple[str, str]] = []
    current = ""
    pending_open = ""
    pending_space = False
    previous: str | None = None
    offset = 0  # into plain
    for token in tokens:
        if _MARKUP_ONLY.fullmatch(token):
            if token.startswith("</"):
                # Stays with what it closes; markup before it keeps its place ({\p0}</font>).
                current += pending_open + token
                pending_open = ""
            else:
                pending_open += token
            continue
        start = offset
        offset += len(token)
        if token[0] in " \t":
            if current:
                pending_space = True
            continue
        char = token
        if current and previous is not None:
            if pending_space and (tx.strip_markup(current) in DASHES or start in inside):
                current += " "  # a dialogue dash stays with its first word, a kept name whole
            elif pending_space:
                raw.append((current, " "))
                current = ""
            elif (
                (tx.is_wide(previous) or tx.is_wide(char))
                and _may_break_between(previous, char)
                and start not in inside
                and (word_ends is None or start in word_ends)
            ):
                raw.append((current, ""))
                current = ""
        current += pending_open + char
        pending_open = ""
        pending_space = False
        previous = char
    current += pending_open
    if current:
        raw.append((current, ""))
    pieces = []
    cjk = tx.CJK.search(plain) is not None  # “ … — count full-width in the whole line, not per piece
    for piece, separator in raw:
        shown = tx.strip_markup(piece)
        pieces.append(_Piece(piece, separator, tx.text_width(shown, rules.half_width, cjk), shown[-1:]))
    return pieces


# ---------------------------------------------------------------- layouts


def _best_breaks(pieces: Sequence[_Piece], rules: LineRules, line_count: int) -> tuple[int, ...] | None:
    """The break positions of the best ``line_count``-line layout that fits, or None."""
    count = len(pieces)
    combinations = 1
    for k in range(line_count - 1):
        combinations = combinations * (count - 1 - k) // (k + 1)
    if combinations > MAX_COMBINATIONS:
        return None
    space = rules.half_width
    # prefix[i]: width of pieces[:i] with the spaces between them.
    prefix = [0.0]
    for i, piece in enumerate(pieces):
        gap = space if i > 0 and pieces[i - 1].separator == " " else 0.0
        prefix.append(prefix[-1] + gap + piece.width)
    drop = rules.drop_at_line_end
    end_drop = [1.0 if drop and piece.last and piece.last in drop else 0.0 for piece in pieces]
    after_punctuation = [piece.last in BREAK_AFTER for piece in pieces]
    limit = rules.max_width

    def line_width(a: int, b: int) -> float:
        # The space before pieces[a] belongs to the break, not to the line.
        lead = space if a > 0 and pieces[a - 1].separator == " " else 0.0
        return prefix[b] - prefix[a] - lead - end_drop[b - 1]

    scale = (limit or prefix[-1] / line_count or 1.0) ** 2
    orphans_matter = count >= 3 and line_count > 1
    best: tuple[float, tuple[int, ...]] | None = None
    for breaks in itertools.combinations(range(1, count), line_count - 1):
        edges = (0, *breaks, count)
        widths = [line_width(a, b) for a, b in itertools.pairwise(edges)]
        if limit is not None and max(widths) > limit:
            continue
        mean = sum(widths) / line_count
        cost = sum((width - mean) ** 2 for width in widths) / scale
        if orphans_matter:
            cost += ORPHAN_PENALTY * sum(1 for a, b in itertools.pairwise(edges) if b - a == 1)
        cost -= PUNCTUATION_BONUS * sum(after_punctuation[position - 1] for position in breaks)
        if best is None or cost < best[0]:
            best = (cost, breaks)
    return None if best is None else best[1]


def _assemble(pieces: Sequence[_Piece], breaks: Sequence[int]) -> list[str]:
    lines: list[str] = []
    edges = (0, *breaks, len(pieces))
    for a, b in itertools.pairwise(edges):
        text = ""
        for i in range(a, b):
            text += pieces[i].text
            if i < b - 1:
                text += pieces[i].separator
        lines.append(text)
    return lines


def _fill(pieces: Sequence[_Piece], rules: LineRules) -> list[str]:
    """No layout within the line count fits: fill each line as far as it goes (a piece wider than
    a line stays whole rather than be cut)."""
    limit = rules.max_width
    breaks: list[int] = []
    start = 0
    while start < len(pieces):
        end = start + 1
        while end < len(pieces):
            candidate = _assemble(pieces[start : end + 1], [])[0]
            if limit is not None and rules.width(candidate) > limit:
                break
            end += 1
        if end < len(pieces):
            breaks.append(end)
        start = end
    return _assemble(pieces, breaks)


def break_text(text: str, rules: LineRules) -> list[str] | None:
    """The best layout of ``text`` in the fewest lines that fit the rules; None when none fits."""
    text = text.strip()
    if not text:
        return []
    if rules.fits([text]):
        return [text]
    if rules.max_lines is not None and rules.max_width is not None:
        # Each break saves at most a space and a dropped line-end mark: text wider than that
        # cannot fit, and is refused in linear time (a 150,000-character line took 1 s).
        room = rules.max_lines * (rules.max_width + rules.half_width + 1.0)
        if rules.width(text) > room:
            return None
    pieces = _pieces(text, rules)
    most = rules.max_lines if rules.max_lines is not None else len(pieces)
    for line_count in range(2, min(most, len(pieces)) + 1):
        best = _best_breaks(pieces, rules, line_count)
        if best is not None:
            return _assemble(pieces, best)
    return None


def wrap(text: str, rules: LineRules) -> list[str]:
    """Lines for ``text``: the best layout that fits, or, when none does, lines filled in order
    (more lines than the rules allow, a QC finding rather than lost words)."""
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    lines = break_text(text, rules)
    if lines is not None:
        return lines
    return _fill(_pieces(text, rules), rules)


def rewrap(lines: Sequence[str], rules: LineRules) -> list[str] | None:
    """``lines`` joined and broken again to fit the rules; None when they fit already or cannot.

    Two speakers (two lines starting with a dialogue dash) are never joined.
    """
    if rules.fits(lines):
        return None
    if sum(1 for line in lines if tx.DIALOGUE_DASH.match(line)) >= 2:
        return None
    text = join_lines(lines)
    if not text:
        return None
    return break_text(text, rules)


def break_points(text: str, keep: Sequence[str] = ()) -> list[int]:
    """Offsets of plain ``text`` (no markup) where it may be cut, by the same rules as the lines:
    at a space (its offset), or where two Chinese words meet (kinsoku, Latin runs and kept names
    respected). For splitting one translated sentence back over several cues."""
    points: list[int] = []
    if tx.is_cjk_text(text):
        from toolkit.chinese.words import boundaries

        inside, name_edges = _kept_names(text, keep)
        word_ends = boundaries(text) | name_edges
    else:
        inside, word_ends = set(), frozenset()
    for index in range(1, len(text)):
        char, previous = text[index], text[index - 1]
        if char == " ":
            if previous != " ":
                points.append(index)
            continue
        if previous == " ":
            continue  # the cut is at the space itself
        if (
            (tx.is_wide(previous) or tx.is_wide(char))
            and _may_break_between(previous, char)
            and index not in inside
            and index in word_ends
        ):
            points.append(index)
    return points
