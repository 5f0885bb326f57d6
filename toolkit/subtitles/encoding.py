"""Decoding subtitle bytes whose encoding nobody wrote down.

Real deliveries arrive as UTF-8 (with or without BOM), UTF-16 (with or
without BOM), GB18030/GBK/GB2312, Big5 and cp1252. In order:

1. a BOM decides; UTF-16 without BOM shows as NUL bytes in every other byte;
2. UTF-8 that decodes is UTF-8; UTF-8 with a few bad bytes is refused as
   mixed encodings, with the line;
3. Chinese: GB18030 or Big5, whichever gives the larger share of everyday
   hanzi (charset-normalizer alone confuses them, and takes GBK text with
   traditional characters for Korean);
4. cp1252 when the accented letters are the sparse ones of French, Spanish,
   Portuguese or German (charset-normalizer alone says cp1250 for French);
5. charset-normalizer for everything else (Cyrillic, Hebrew, Thai...).

GBK and GB2312 are decoded as GB18030, their superset (reference:
dcp-subtitles.md, "decode GBK as GB18030").
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from toolkit.errors import ScreenkitError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# charset-normalizer names → the codec screenkit reports and decodes with.
_PREFERRED = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "ascii": "utf-8",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "iso8859_15": "cp1252",
    "windows_1252": "cp1252",
    "cp1252": "cp1252",
}

# Vertical tabs are whitespace in text (WebVTT files carry them): not a sign of binary data.
_CONTROL_OK = {"\n", "\r", "\t", "\f", "\v", "\ufeff"}


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # codec name, e.g. "utf-8", "gb18030", "utf-16-le"
    had_bom: bool


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ch < " " and ch not in _CONTROL_OK)
    return controls > max(2, len(sample) // 200)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM shows as NUL in every other byte of ASCII text."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nul > half * 0.3 and even_nul < half * 0.05:
        return "utf-16-le"
    if even_nul > half * 0.3 and odd_nul < half * 0.05:
        return "utf-16-be"
    return None


def normalize_codec(name: str) -> str:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise ScreenkitError(f"unknown encoding {name!r}") from None
    return _PREFERRED.get(codec.replace("-", "_"), codec)


def decode(
    data: bytes,
    *,
    encoding: str | None = None,
    path: str | None = None,
    language: str | None = None,
    binary_check: bool = True,
) -> Decoded:
    """Decode subtitle bytes; ``encoding`` forces a codec (BOMs still win); ``language`` (a BCP 47
    tag or code from --lang or the file name) makes the readings in its script more plausible.
    ``binary_check=False`` for a format whose own rules say what control characters mean
    (WebVTT: NUL becomes U+FFFD): its text is not refused as binary data for them."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(codec), codec, True)
            except UnicodeDecodeError as error:
                raise _decode_error(data, error, codec, path) from None
    if encoding:
        codec = normalize_codec(encoding)
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as error:
            raise _decode_error(data, error, codec, path) from None
        return Decoded(text, codec, False)
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return _checked(Decoded(data.decode(utf16), utf16, False), path, binary_check)
        except UnicodeDecodeError:
            pass
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8", False), path, binary_check)
    except UnicodeDecodeError as error:
        _refuse_mixed_utf8(data, error, path)
    return _checked(_detect(data, path, language), path, binary_check)


def _refuse_mixed_utf8(data: bytes, error: UnicodeDecodeError, path: str | None) -> None:
    """Mostly valid UTF-8 with a few bad bytes is a file pasted together from two encodings.

    No single codec reads such a file right (decoding it all as cp1252 would
    garble every UTF-8 character), so the editor is told where the odd line is.
    """
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    valid = sum(1 for ch in text if ch > "\x7f" and ch != "\ufffd")
    if valid >= 3 and valid >= 2 * invalid:
        line = data[: error.start].count(b"\n") + 1
        raise ScreenkitError(
            f"mixed encodings: this line is not UTF-8 (byte 0x{data[error.start]:02x}) "
            "while the rest of the file is; re-save the file as UTF-8",
            path=path,
            line=line,
        )


def _is_ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@functools.lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """GB2312 level 1 (3,755 everyday simplified) plus Big5 frequent (5,401 traditional) hanzi.

    Decoding Big5 bytes as GBK (or the reverse) succeeds but yields mostly
    rare characters and symbols, so the share of everyday characters tells
    the two apart where byte-level detectors confuse them (dcp-subtitles.md:
    "detectors confuse GB2312 and Big5").
    """
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("gb2312"))
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode("big5"))
    return frozenset(ch for ch in chars if _is_ideograph(ch))


# Punctuation a Chinese subtitle uses besides hanzi: full-width forms and CJK symbols.
def _is_cjk_punctuation(ch: str) -> bool:
    return "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or ch in "\u2014\u2026\u201c\u201d\u2018\u2019\u00b7"


def _hanzi_score(text: str) -> float:
    """Share of non-ASCII characters that are everyday hanzi or CJK punctuation."""
    common = _common_hanzi()
    wide = [ch for ch in text if ch > "\x7f"]
    if not wide:
        return 0.0
    good = sum(1 for ch in wide if ch in common or _is_cjk_punctuation(ch))
    return good / len(wide)


# Letters and punctuation of French, Spanish, Portuguese, German, Italian in cp1252.
_LATIN_EXTRA = set("àâäçéèêëîïôöùûüÿœáíóúãõñìòÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÁÍÓÚÃÕÑÌÒß«»‘’“”…–—¿¡°€ª º·\u00a0")


def _latin_score(text: str) -> float:
    """How much cp1252 text looks like a Western European language.

    The accented letters must be the expected ones, and sparse: Hebrew,
    Thai or Cyrillic single-byte text read as cp1252 also gives accented
    Latin letters, but whole words of them.
    """
    wide = [ch for ch in text if ch > "\x7f"]
    letters = sum(1 for ch in text if ch.isalpha())
    if not wide or not letters:
        return 0.0
    expected = sum(1 for ch in wide if ch in _LATIN_EXTRA) / len(wide)
    wide_letters = sum(1 for ch in wide if ch.isalpha())
    # Dense accents (a short French line: "Déjà été à côté") are fine when they are all expected
    # letters; a misread Cyrillic or Greek text has a third of unexpected ones.
    return expected if wide_letters / letters < 0.3 or expected >= 0.97 else 0.0


def _share(text: str, test: Callable[[str], bool]) -> float:
    wide = [ch for ch in text if ch > "\x7f"]
    return sum(1 for ch in wide if test(ch)) / len(wide) if wide else 0.0


def _is_kana(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff"


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u3130" <= ch <= "\u318f"


_WIDE_RUN = re.compile(r"[^\x00-\x7f]+")
_SANDWICH = re.compile(r"(?<=[A-Za-z])[^\x00-\x7f](?=[A-Za-z])")


def _chinese_score(text: str) -> float:
    """Everyday hanzi share, and nothing that says another language was misread as Chinese:
    kana (Japanese), hanzi one at a time inside Latin words (cp1252 accents read as Big5:
    "¡Jack" → "︰ack"), or short runs between spaces (Korean words read as hanzi)."""
    wide = sum(1 for ch in text if ch > "\x7f")
    if not wide:
        return 0.0
    score = _hanzi_score(text)
    if _share(text, _is_kana) >= 0.05:
        return 0.0
    score *= max(0.0, 1.0 - 3 * len(_SANDWICH.findall(text)) / wide)
    runs = _WIDE_RUN.findall(text)
    if runs and sum(len(run) for run in runs) / len(runs) < 2.5:
        score *= 0.5
    return score


def _japanese_score(text: str) -> float:
    """Kana are what only Japanese has: without them no text is read as Japanese."""
    if _share(text, _is_kana) < 0.1:
        return 0.0
    common = _common_hanzi()
    return _share(text, lambda ch: _is_kana(ch) or ch in common or _is_cjk_punctuation(ch) or _is_ideograph(ch))


def _korean_score(text: str) -> float:
    """Hangul syllables; isolated jamo (what kana become when EUC-JP is read as EUC-KR) count against."""
    syllables = _share(text, lambda ch: "\uac00" <= ch <= "\ud7a3" or _is_cjk_punctuation(ch))
    jamo = _share(text, lambda ch: "\u3130" <= ch <= "\u318f")
    return max(0.0, syllables - 3 * jamo)


# Candidate codecs, the language family each is read as, and how plausible a text is for it.
_CANDIDATES: tuple[tuple[str, str, Callable[[str], float]], ...] = (
    ("gb18030", "zh", _chinese_score),
    ("big5hkscs", "zh", _chinese_score),
    ("shift_jis", "ja", _japanese_score),
    ("euc_jp", "ja", _japanese_score),
    ("euc_kr", "ko", _korean_score),
    ("cp1252", "latin", lambda text: _latin_score(text)),
)
_LATIN_LANGUAGES = frozenset({"en", "fr", "es", "pt", "de", "it", "ca", "nl", "da", "sv", "no", "nb", "fi"})
# Two readings closer than this are a coin toss: refuse rather than guess.
AMBIGUOUS_MARGIN = 0.1
PLAUSIBLE = 0.6


# Big5 is the Traditional Chinese encoding, GB the Simplified one: a declared script picks.
_SCRIPT_CODEC = {"hant": "big5hkscs", "tw": "big5hkscs", "hk": "big5hkscs", "hans": "gb18030", "cn": "gb18030"}


def _preferred_codec(language: str | None) -> str | None:
    if not language or not language.lower().startswith("zh"):
        return None
    parts = language.lower().split("-")[1:]
    return next((_SCRIPT_CODEC[part] for part in parts if part in _SCRIPT_CODEC), "gb18030")


def _family_of(language: str | None) -> str | None:
    if not language:
        return None
    base = language.split("-")[0].lower()
    if base in ("zh", "ja", "ko"):
        return base
    return "latin" if base in _LATIN_LANGUAGES else None


def _detect(data: bytes, path: str | None, language: str | None = None) -> Decoded:
    """Not UTF-8: every candidate reading scored by how plausible its text is for its language,
    the declared language (file name, --lang) weighing in; a tie is refused, never guessed."""
    family = _family_of(language)
    _refuse_mixed_lines(data, path, language)
    scored: list[tuple[float, str, str]] = []
    for codec, codec_family, score_of in _CANDIDATES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = score_of(text)
        if family is not None and score > 0:
            score = score * 1.2 if family == codec_family else score * 0.6
            if codec_family == "zh" and codec == _preferred_codec(language):
                score *= 1.1
        scored.append((score, codec, text))
    scored.sort(key=lambda item: -item[0])
    if scored and scored[0][0] >= PLAUSIBLE:
        score, codec, text = scored[0]
        rivals = [item for item in scored[1:] if item[2] != text and item[0] >= PLAUSIBLE]
        if rivals and score - rivals[0][0] < AMBIGUOUS_MARGIN:
            other = rivals[0][1]
            raise ScreenkitError(
                f"cannot tell the text encoding: {codec} and {other} both read it as plausible text "
                f"({score:.2f} vs {rivals[0][0]:.2f}); say --encoding {codec} or --encoding {other}",
                path=path,
                line=1,
            )
        return Decoded(text, codec, False)
    return _guess(data, path)


def _refuse_mixed_lines(data: bytes, path: str | None, language: str | None) -> None:
    """A legacy-encoded file with some lines in UTF-8 (pasted from elsewhere): no one codec reads
    both right, so the first UTF-8 line is named instead of decoded into mojibake."""
    utf8_lines: list[int] = []
    legacy: list[bytes] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if raw.isascii():
            continue
        try:
            as_utf8 = raw.decode("utf-8")
        except UnicodeDecodeError:
            legacy.append(raw)
            continue
        if sum(1 for ch in as_utf8 if ch > "\x7f") >= 2 and (_hanzi_score(as_utf8) >= 0.8 or _latin_score(as_utf8) >= 0.9):
            utf8_lines.append(number)
    if not (utf8_lines and legacy):
        return
    rest = "a legacy encoding"
    blob = b"\n".join(legacy)
    readings = []
    for codec, _family, score_of in _CANDIDATES:
        with contextlib.suppress(UnicodeDecodeError):
            readings.append((score_of(blob.decode(codec)), codec))
    if readings and max(readings)[0] >= PLAUSIBLE:
        rest = max(readings)[1]
    more = f" ({len(utf8_lines)} such lines)" if len(utf8_lines) > 1 else ""
    raise ScreenkitError(
        f"mixed encodings: this line is UTF-8 while the rest of the file is {rest}{more}; "
        "re-save the file in one encoding (or say --encoding to read it all one way)",
        path=path,
        line=utf8_lines[0],
    )


def _guess(data: bytes, path: str | None) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ScreenkitError(
            "cannot tell the text encoding (binary data?); give it with --encoding", path=path, line=1
        )
    codec = normalize_codec(best.encoding)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        # A superset choice (gb18030, big5hkscs, cp1252) can still miss a byte
        # the detector's own codec accepted.
        codec = best.encoding
        text = str(best)
    return Decoded(text, codec, False)


def _checked(decoded: Decoded, path: str | None, binary_check: bool = True) -> Decoded:
    if binary_check and _looks_binary(decoded.text):
        raise ScreenkitError("not a subtitle file: binary data", path=path, line=1)
    return decoded


def _decode_error(data: bytes, error: UnicodeDecodeError, codec: str, path: str | None) -> ScreenkitError:
    line = data[: error.start].count(b"\n") + 1
    return ScreenkitError(
        f"bytes not valid {codec} at offset {error.start}; give the encoding with --encoding",
        path=path,
        line=line,
    )
