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

_CONTROL_OK = {"\n", "\r", "\t", "\f", "\ufeff"}


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


def decode(data: bytes, *, encoding: str | None = None, path: str | None = None) -> Decoded:
    """Decode subtitle bytes; ``encoding`` forces a codec (BOMs still win)."""
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
            return _checked(Decoded(data.decode(utf16), utf16, False), path)
        except UnicodeDecodeError:
            pass
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8", False), path)
    except UnicodeDecodeError as error:
        _refuse_mixed_utf8(data, error, path)
    return _checked(_detect(data, path), path)


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
    return expected if wide_letters / letters < 0.3 else 0.0


def _detect(data: bytes, path: str | None) -> Decoded:
    """Not UTF-8: Chinese (GB18030 or Big5) by everyday-character share, then cp1252, then guess."""
    scored: list[tuple[float, str, str]] = []
    for codec in ("gb18030", "big5hkscs"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        scored.append((_hanzi_score(text), codec, text))
    if scored:
        # GB18030 first on a tie (dcp-subtitles.md: decode GBK as GB18030).
        score, codec, text = max(scored, key=lambda item: item[0])
        if score >= 0.6:
            return Decoded(text, codec, False)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = ""
    if text and _latin_score(text) >= 0.9:
        return Decoded(text, "cp1252", False)
    return _guess(data, path)


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


def _checked(decoded: Decoded, path: str | None) -> Decoded:
    if _looks_binary(decoded.text):
        raise ScreenkitError("not a subtitle file: binary data", path=path, line=1)
    return decoded


def _decode_error(data: bytes, error: UnicodeDecodeError, codec: str, path: str | None) -> ScreenkitError:
    line = data[: error.start].count(b"\n") + 1
    return ScreenkitError(
        f"bytes not valid {codec} at offset {error.start}; give the encoding with --encoding",
        path=path,
        line=line,
    )
