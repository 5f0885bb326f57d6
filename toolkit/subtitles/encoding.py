"""Decoding subtitle bytes whose encoding nobody wrote down.

Real deliveries arrive as UTF-8 (with or without BOM), UTF-16 (with or
without BOM), GB18030/GBK/GB2312, Big5 and cp1252. BOMs and UTF-8 are
decided exactly; the rest is left to charset-normalizer. GBK and GB2312 are
decoded as GB18030, their superset (reference: dcp-subtitles.md, "decode GBK
as GB18030").
"""

from __future__ import annotations

import codecs
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
    except UnicodeDecodeError:
        pass
    return _checked(_detect(data, path), path)


def _detect(data: bytes, path: str | None) -> Decoded:
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
