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
punctuation or at a space used as a pause. Each place a break may go also has
a cost, the way a Chinese subtitle editor judges it (issue 22):

* a particle or a localiser starting a line (``/ 的歌手``, ``/ 了``, ``好 / 吧``,
  ``火车 / 上``), a preposition, conjunction or adverb ending one (``因为 /``,
  ``都 /``), a measure word left from its noun (``一名 / 医生``);
* a number taken from its unit or date (``12 / 月16日``, ``第92 / 届``),
  a run of Latin words (``Leonardo / DiCaprio``) or a code and its word
  (``T2 / 航站楼``), a 《title》, a compound of two words (``世界杯 / 决赛``).

A dialogue dash inside the text (``-A级紧急情况 -总部``) always starts a line:
two speakers are two lines, whatever the width. Every layout with the fewest
lines is scored; prefix sums make each line's width O(1).
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
        and previous not in _DIALOGUE  # a dash stays with what follows it (never stranded at a line end)
        and previous not in "·・‧"  # 凯特·温丝莱特: the middle dot joins a name's parts
        and not (previous in _ALNUM_FORMS and char in _ALNUM_FORMS)
    )
ORPHAN_PENALTY = 100.0
# Costs of a break, in the unit of the balance term (squared width difference / limit²):
# 0.28 is a 14 / 2 split of a 16-wide line.
PARTICLE_START_COST = 1.0  # 的 了 吧 吗 ... (or 上 里 中 ...) starting a line
FUNCTION_END_COST = 0.6  # a preposition or conjunction ending a line (因为 / 在 / 把)
ADVERB_END_COST = 0.45  # an adverb or auxiliary ending a line, away from its verb (都 / 已经 / 会)
MEASURE_END_COST = 0.5  # 一名 / 这个 / 那本 ending a line, away from its noun
UNIT_COST = 5.0  # inside a number with its unit or date (12月16日, 第92届, 3000多名)
LATIN_RUN_COST = 3.0  # between two Latin words inside a Chinese line (Leonardo DiCaprio)
TITLE_COST = 3.0  # inside 《…》
CODE_SEAM_COST = 0.8  # a Latin or digit run and the Chinese word it names (T2航站楼, BBC第四频道)
COMPOUND_COST = 0.25  # between two words of two or more characters (世界杯决赛)
PAUSE_BONUS = 0.3  # a space between Chinese words is a pause: the best place to break
DE_END_COST = 0.3  # 的 ending a line before its noun (那个穿红衣服的 / 女孩)
PRONOUN_START_COST = 0.4  # a one-character pronoun starting a line, away from its verb (告诉 / 我)
CLAUSE_BONUS = 0.15  # after a time clause (下班以后 / 的时候 /), before 《 「 “ (


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Line-start particles and localisers (Simplified and Traditional forms).
PARTICLES = _word_set(
    "的 了 吧 吗 嗎 呢 啊 着 著 过 過 们 們 地 得 嘛 呀 哦 么 麼 啦 喔 哇 呗 唄 咯 呐 吶 哪 罢了 而已 似的 的话 的話 "
    "上 里 裡 裏 中 内 內 外 之内 之內 之间 之間 之后 之後 之前 之中 之一 以后 以後 以前 以来 以來 时 時 的时候 的時候 一样 一樣"
)
FUNCTION_WORDS = _word_set(
    "在 从 從 对 對 把 被 和 与 與 跟 给 給 向 往 为 為 因为 因為 所以 但是 而且 如果 虽然 雖然 或者 以及 并且 並且 "
    "而 但 及 同 比 让 讓 叫 于 於 自 由 将 將 当 當 关于 關於 对于 對於 除了 按照 通过 通過 根据 根據 为了 為了 即使 "
    "不过 不過 然后 然後 可是 因此 于是 於是 只要 只有 无论 無論 不管 除非 哪怕 既然 尽管 儘管 要是 假如 还是 還是 "
    "或 是 像 离 離 到 朝"
)
ADVERBS = _word_set(
    "都 就 还 還 也 已经 已經 一定 再 又 才 要 会 會 能 可以 想 应该 應該 必须 必須 正在 曾经 曾經 刚 剛 刚刚 剛剛 "
    "马上 馬上 一直 常常 经常 經常 总是 總是 不 没 沒 没有 沒有 别 別 很 非常 最 更 太 真 真的 好好 突然 终于 終於 "
    "偷偷 并 並 正 先 快 已 仍然 一起 的确 的確 准时 準時 全部 全都 整整 需要 该 該 想要 打算 准备 準備 继续 繼續 "
    "开始 開始 得 不得不 只好 只能 一边 一邊 就要 快要 将要 將要 马上就要 馬上就要 就是 正要"
)
PRONOUNS = _word_set("我 你 他 她 它 您 咱")
_FUNCTION_OR_ADVERB = FUNCTION_WORDS | ADVERBS
# One-character suffixes the segmenter sometimes leaves alone (中国 / 人): they end the word before.
SUFFIXES = _word_set("人 者 家 员 員 性 化 式 界 市 县 縣 省 区 區 馆 館 站 院 队 隊 族")
CLAUSE_ENDS = ("下班以后", "之后", "之後", "的时候", "的時候", "时候", "時候", "之前")
_OPENING = frozenset("《「『“‘（")
_MEASURE_CHARS = frozenset("个個名位本件档檔集部首条條张張只隻家种種次届屆片座辆輛台臺场場封篇杯碗块塊元")
_MEASURE = re.compile("^[一二三四五六七八九十两兩几幾这這那每某哪半][个個名位本件档檔集部首条條张張只隻家种種次届屆片座辆輛台臺场場封篇杯碗]$")
_NUMBER = "[0-9０-９]+(?:[.,．][0-9０-９]+)*"
_UNIT = "(?:[年月日号號点點时時分秒岁歲个個元块塊米名位届屆次集部层層楼樓倍万萬亿億千百克斤度天周週]|公里|分钟|分鐘|小时|小時|周年|週年|%|％)"
# A number with its units, a date or a time: one unit (12月16日, ６月２７日, 3点45分, 第92届, 3000多名, 99块钱).
_NUMBER_UNIT = re.compile(f"(?:第?{_NUMBER}(?:多|余|餘)?{_UNIT}*)+")
_TITLE = re.compile("《[^《》]*》")
_LATIN = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz０１２３４５６７８９")
_STRIP = "，。！？：；、…⋯,.!?:;”’」』）》\"'"
_DIALOGUE = frozenset("-－–‐")
_PARTICLE_CHARS = frozenset("的了吧吗嗎呢啊着著过過们們")
_HAS_DIGIT = re.compile("[0-9０-９]")
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


def join_lines(lines: Sequence[str], pause: bool = False) -> str:
    """One text from several lines: a space between Latin ends, nothing next to a full-width character.

    ``pause``: a space between every two lines, Chinese ones too. Three caption lines
    (亚当·卢瑟福 / 科学记者 / BBC第四频道) are three items, not one sentence: glued, the name would
    run into the title.
    """
    text = ""
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if text:
            last = tx.strip_markup(text).rstrip()[-1:]
            first = tx.strip_markup(stripped).lstrip()[:1]
            wide = last and first and (tx.is_wide(last) or tx.is_wide(first))
            joiner = "" if wide and (not pause or last in BREAK_AFTER or first in NO_LINE_START) else " "
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
    start: int = 0  # offset of its first visible character in the plain text


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

    raw: list[tuple[str, str, int]] = []
    current = ""
    current_start = 0
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
                raw.append((current, " ", current_start))
                current = ""
            elif (
                (tx.is_wide(previous) or tx.is_wide(char))
                and _may_break_between(previous, char)
                and start not in inside
                and (word_ends is None or start in word_ends)
            ):
                raw.append((current, "", current_start))
                current = ""
        if not current:
            current_start = start
        current += pending_open + char
        pending_open = ""
        pending_space = False
        previous = char
    current += pending_open
    if current:
        raw.append((current, "", current_start))
    pieces = []
    cjk = tx.CJK.search(plain) is not None  # “ … — count full-width in the whole line, not per piece
    for piece, separator, piece_start in raw:
        shown = tx.strip_markup(piece)
        pieces.append(_Piece(piece, separator, tx.text_width(shown, rules.half_width, cjk), shown[-1:], piece_start))
    return pieces


def _spans(pattern: re.Pattern[str], plain: str) -> set[int]:
    """Offsets strictly inside the matches of ``pattern`` longer than one character."""
    inside: set[int] = set()
    for match in pattern.finditer(plain):
        if match.end() - match.start() > 1:
            inside.update(range(match.start() + 1, match.end()))
    return inside


def _core(shown: str) -> str:
    return shown.strip().strip(_STRIP)


@dataclass(frozen=True)
class _Costs:
    cost: list[float]  # cost[i]: a break before pieces[i] (index 0 unused)
    mandatory: frozenset[int]  # breaks every layout must make (a dialogue dash starts a line)


def _break_costs(pieces: Sequence[_Piece]) -> _Costs:
    """What each possible break costs an editor's eye, and the breaks that must be made."""
    count = len(pieces)
    cost = [0.0] * count
    shown = [
        tx.strip_markup(piece.text) if ("<" in piece.text or "{" in piece.text) else piece.text for piece in pieces
    ]
    separators = [piece.separator for piece in pieces]
    plain = "".join(text + separator for text, separator in zip(shown, separators, strict=True))
    if not tx.CJK.search(plain):
        mandatory = frozenset(
            i for i in range(1, count)
            if shown[0][:1] in _DIALOGUE and shown[i][:1] in _DIALOGUE and separators[i - 1] == " "
        )
        return _Costs(cost, mandatory)
    starts, position = [], 0
    for text, separator in zip(shown, separators, strict=True):
        starts.append(position)
        position += len(text) + len(separator)
    cores = [_core(text) for text in shown]
    wide_first = [bool(text) and tx.CJK.match(text[0]) is not None for text in shown]
    wide_last = [bool(text) and tx.CJK.match(text[-1]) is not None for text in shown]
    units = _spans(_NUMBER_UNIT, plain) if _HAS_DIGIT.search(plain) else set()
    titles = _spans(_TITLE, plain) if "《" in plain else set()
    # The end of a number with a measure word (第92届, 3000多名): its noun follows.
    measured = (
        {m.end() for m in _NUMBER_UNIT.finditer(plain) if plain[m.end() - 1] in _MEASURE_CHARS} if units else set()
    )
    mandatory: set[int] = set()
    speakers = shown[0][:1] in _DIALOGUE and shown[0][1:2] not in _DIALOGUE  # the text starts with a dash
    for i in range(1, count):
        left, right = shown[i - 1], shown[i]
        left_core, right_core = cores[i - 1], cores[i]
        left_end = left[-1:]
        at = starts[i]
        total = 0.0
        if (
            speakers and right[:1] in _DIALOGUE and right[1:2] not in _DIALOGUE
            and (separators[i - 1] == " " or left_end in BREAK_AFTER)
        ):
            mandatory.add(i)
            continue
        if (
            right_core in PARTICLES
            or (right[:1] in _PARTICLE_CHARS and len(right_core) == 1)
            or (right_core in SUFFIXES and len(left_core) >= 2)
        ):
            total += PARTICLE_START_COST
        after_mark = left_end in BREAK_AFTER
        if not after_mark:
            if left_core in FUNCTION_WORDS:
                total += FUNCTION_END_COST
            elif left_core in ADVERBS:
                total += ADVERB_END_COST
            elif at in measured or _MEASURE.match(left_core):
                total += MEASURE_END_COST
            elif left_core == "的" and len(right_core) >= 2 and right_core not in _FUNCTION_OR_ADVERB:
                total += DE_END_COST
            if right_core in PRONOUNS and wide_last[i - 1]:
                total += PRONOUN_START_COST
        if left_core in PRONOUNS and i >= 2 and cores[i - 2] in FUNCTION_WORDS:
            total += FUNCTION_END_COST  # 把你 / 跟他 /: the preposition's object, away from the verb
        if right[:1] in _OPENING or left_core.endswith(CLAUSE_ENDS):
            total -= CLAUSE_BONUS
        if at in units:
            total += UNIT_COST
        if at in titles:
            total += TITLE_COST
        if separators[i - 1] == " ":
            if left_end in _LATIN and right[:1] in _LATIN:
                total += LATIN_RUN_COST
            else:
                total -= PAUSE_BONUS
        elif left_end in _LATIN and len(left_core) <= 4 and wide_first[i] and right_core not in FUNCTION_WORDS:
            total += CODE_SEAM_COST
        elif (
            len(left_core) >= 2 and len(right_core) >= 2 and left == left_core and right == right_core
            and wide_last[i - 1] and wide_first[i]
            and left_core not in _FUNCTION_OR_ADVERB and right_core not in _FUNCTION_OR_ADVERB
        ):
            total += COMPOUND_COST
        cost[i] = total
    return _Costs(cost, frozenset(mandatory))


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
    costs = _break_costs(pieces)
    if len(costs.mandatory) > line_count - 1:
        return None  # more speakers than lines: a layout with more lines is tried
    limit = rules.max_width

    def line_width(a: int, b: int) -> float:
        # The space before pieces[a] belongs to the break, not to the line.
        lead = space if a > 0 and pieces[a - 1].separator == " " else 0.0
        return prefix[b] - prefix[a] - lead - end_drop[b - 1]

    scale = (limit or prefix[-1] / line_count or 1.0) ** 2
    orphans_matter = count >= 3 and line_count > 1
    best: tuple[float, tuple[int, ...]] | None = None
    break_cost = costs.cost
    free = [i for i in range(1, count) if i not in costs.mandatory]
    fixed = tuple(sorted(costs.mandatory))
    for chosen in itertools.combinations(free, line_count - 1 - len(fixed)):
        breaks = tuple(sorted(fixed + chosen)) if fixed else chosen
        edges = (0, *breaks, count)
        widths = [line_width(a, b) for a, b in itertools.pairwise(edges)]
        if limit is not None and max(widths) > limit:
            continue
        mean = sum(widths) / line_count
        cost = sum((width - mean) ** 2 for width in widths) / scale
        if orphans_matter:
            cost += ORPHAN_PENALTY * sum(1 for a, b in itertools.pairwise(edges) if b - a == 1)
        cost -= PUNCTUATION_BONUS * sum(after_punctuation[position - 1] for position in breaks)
        for position in breaks:
            cost += break_cost[position]
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
    if rules.fits([text]) and not _two_speakers(text):
        return [text]
    if rules.max_lines is not None and rules.max_width is not None:
        # Each break saves at most a space and a dropped line-end mark: text wider than that
        # cannot fit, and is refused in linear time (a 150,000-character line took 1 s).
        room = rules.max_lines * (rules.max_width + rules.half_width + 1.0)
        if rules.width(text) > room:
            return None
    pieces = _pieces(text, rules)
    most = rules.max_lines if rules.max_lines is not None else len(pieces)
    if most < 2 and _two_speakers(text):
        most = 2
    for line_count in range(2, min(most, len(pieces)) + 1):
        best = _best_breaks(pieces, rules, line_count)
        if best is not None:
            return _assemble(pieces, best)
    return None


_SECOND_SPEAKER = re.compile(r"(?:^|[\s，。！？!?.,…⋯])[-－–‐](?![-－–‐\s\d])")


def _two_speakers(text: str) -> bool:
    """A dialogue dash starts the text and another one follows a space or a full stop."""
    plain = tx.strip_markup(text).strip()
    return plain[:1] in _DIALOGUE and plain[1:2] not in _DIALOGUE and _SECOND_SPEAKER.search(plain, 1) is not None


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

    Two speakers (two lines starting with a dialogue dash) are never joined; three lines or
    more are joined with spaces (items of a caption, a pause each), never glued.
    """
    if rules.fits(lines):
        return None
    if sum(1 for line in lines if tx.DIALOGUE_DASH.match(line)) >= 2:
        return None
    text = join_lines(lines, pause=sum(1 for line in lines if line.strip()) >= 3)
    if not text:
        return None
    return break_text(text, rules)


def rewrap_possible(lines: Sequence[str], rules: LineRules) -> bool:
    """Whether ``rewrap`` would find a layout, without scoring any: filling lines greedily uses the
    fewest lines there are, so it fits exactly when some layout does (lint's "fixable", cheaply)."""
    if rules.fits(lines) or sum(1 for line in lines if tx.DIALOGUE_DASH.match(line)) >= 2:
        return False
    text = join_lines(lines, pause=sum(1 for line in lines if line.strip()) >= 3).strip()
    if not text:
        return False
    if rules.fits([text]) and not _two_speakers(text):
        return True
    room = rules.max_lines * (rules.max_width + rules.half_width + 1.0) if rules.max_lines and rules.max_width else None
    if room is not None and rules.width(text) > room:
        return False
    pieces = _pieces(text, rules)
    mandatory = _break_costs(pieces).mandatory if _two_speakers(text) else frozenset()
    most = rules.max_lines if rules.max_lines is not None else len(pieces)
    if most < 2 and mandatory:
        most = 2
    limit = rules.max_width
    lines_used, start = 1, 0
    while start < len(pieces):
        end = start + 1
        while end < len(pieces) and end not in mandatory:
            candidate = _assemble(pieces[start : end + 1], [])[0]
            if limit is not None and rules.width(candidate) > limit:
                break
            end += 1
        if limit is not None and rules.width(_assemble(pieces[start:end], [])[0]) > limit:
            return False  # one piece wider than a line
        if end < len(pieces):
            lines_used += 1
            if lines_used > most:
                return False
        start = end
    return True


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
