"""A JSON reader that keeps where each value and key is (line, column), and refuses duplicate keys.

``json.loads`` forgets positions; validation messages must say ``file.json:12:5``.
Strings are decoded with the standard library's own scanner, so the values are
exactly what ``json.loads`` would give.
"""

from __future__ import annotations

import bisect
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from toolkit.errors import ScreenkitError
from toolkit.manifest.pointer import child

Position = tuple[int, int]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_MAX_DEPTH = 200
# Python refuses to make an int of more than 4,300 digits (a CPU guard); refuse sooner, at the place.
_MAX_NUMBER_LENGTH = 4000
_MAX_KEYS = 100_000
# json's scanner accepts "\ud800" alone; such a string cannot be printed, encoded or used as a path.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _Reader:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.positions: dict[str, Position] = {}
        self.key_positions: dict[str, Position] = {}

    def where(self, offset: int) -> Position:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def fail(self, message: str, offset: int) -> ScreenkitError:
        line, column = self.where(min(offset, len(self.text)))
        return ScreenkitError(f"not valid JSON: {message}", path=self.path, line=line, column=column)

    def skip(self, offset: int) -> int:
        match = _WHITESPACE.match(self.text, offset)
        return match.end() if match else offset

    def value(self, offset: int, pointer: str, depth: int) -> tuple[Any, int]:
        if depth > _MAX_DEPTH:
            raise self.fail(f"nested more than {_MAX_DEPTH} levels deep", offset)
        text = self.text
        self.positions[pointer] = self.where(offset)
        char = text[offset : offset + 1]
        if char == "{":
            return self.object(offset + 1, pointer, depth)
        if char == "[":
            return self.array(offset + 1, pointer, depth)
        if char == '"':
            return self.string(offset)
        if text.startswith("true", offset):
            return True, offset + 4
        if text.startswith("false", offset):
            return False, offset + 5
        if text.startswith("null", offset):
            return None, offset + 4
        number = _NUMBER.match(text, offset)
        if number:
            literal = number.group()
            if len(literal) > _MAX_NUMBER_LENGTH:
                raise self.fail(f"a number of {len(literal)} characters (at most {_MAX_NUMBER_LENGTH})", offset)
            is_float = number.group(1) or number.group(2)
            return (float(literal) if is_float else int(literal)), number.end()
        if not char:
            raise self.fail("unexpected end of file", offset)
        raise self.fail(f"unexpected {char!r}", offset)

    def string(self, offset: int) -> tuple[str, int]:
        try:
            value, end = scanstring(self.text, offset + 1, True)
        except ValueError as error:
            raise self.fail(str(error).split(":")[0], offset) from None
        if _LONE_SURROGATE.search(value):
            raise self.fail("a lone surrogate escape (such as \\ud800) is not a character", offset)
        return value, end

    def object(self, offset: int, pointer: str, depth: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        offset = self.skip(offset)
        if self.text[offset : offset + 1] == "}":
            return result, offset + 1
        while True:
            if self.text[offset : offset + 1] != '"':
                raise self.fail("expected a property name in double quotes", offset)
            key_offset = offset
            key, offset = self.string(offset)
            if key in result:
                raise self.fail(f"duplicate key {key!r}", key_offset)
            if len(result) >= _MAX_KEYS:
                raise self.fail(f"more than {_MAX_KEYS} keys in one object", key_offset)
            key_pointer = child(pointer, key)
            self.key_positions[key_pointer] = self.where(key_offset)
            offset = self.skip(offset)
            if self.text[offset : offset + 1] != ":":
                raise self.fail("expected ':' after the property name", offset)
            offset = self.skip(offset + 1)
            result[key], offset = self.value(offset, key_pointer, depth + 1)
            offset = self.skip(offset)
            char = self.text[offset : offset + 1]
            if char == "}":
                return result, offset + 1
            if char != ",":
                raise self.fail("expected ',' or '}'", offset)
            offset = self.skip(offset + 1)

    def array(self, offset: int, pointer: str, depth: int) -> tuple[list[Any], int]:
        result: list[Any] = []
        offset = self.skip(offset)
        if self.text[offset : offset + 1] == "]":
            return result, offset + 1
        while True:
            item, offset = self.value(offset, child(pointer, len(result)), depth + 1)
            result.append(item)
            offset = self.skip(offset)
            char = self.text[offset : offset + 1]
            if char == "]":
                return result, offset + 1
            if char != ",":
                raise self.fail("expected ',' or ']'", offset)
            offset = self.skip(offset + 1)


# What json.loads would accept but the positional reader refuses (or must look at): escapes of
# surrogates, numbers longer than the limit. Their presence sends the text to the positional reader.
_DOUBTFUL = re.compile(r"\\u[dD][89a-fA-F]|[-+0-9.eE]{" + str(_MAX_NUMBER_LENGTH + 1) + "}")


class _Doubt(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs) or len(result) > _MAX_KEYS:
        raise _Doubt("duplicate keys, or too many")
    return result


def _constant(name: str) -> Any:
    raise _Doubt(name)  # NaN, Infinity: not JSON


def _depth_within(data: Any, limit: int) -> bool:
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    return True


def fast_json(text: str) -> Any | None:
    """The document by the C parser, when it is certainly what ``load_json`` would give; else None.

    A valid manifest is the common case: its positions are only computed (by ``load_json``)
    when a finding needs one. Anything doubtful (invalid JSON, duplicate keys, NaN,
    surrogate escapes, long numbers, deep nesting) returns None, for ``load_json`` to refuse
    with its place.
    """
    import json

    body = text[1:] if text.startswith("\ufeff") else text
    if _DOUBTFUL.search(body):
        return None
    try:
        data = json.loads(body, object_pairs_hook=_pairs, parse_constant=_constant)
    except (ValueError, RecursionError):
        return None
    return data if _depth_within(data, _MAX_DEPTH) else None


def load_json(text: str, path: str) -> tuple[Any, dict[str, Position], dict[str, Position]]:
    """(data, value positions, key positions) of a JSON document; 1-based lines and columns."""
    reader = _Reader(text, path)
    start = reader.skip(1 if text.startswith("\ufeff") else 0)
    data, end = reader.value(start, "", 0)
    end = reader.skip(end)
    if end != len(text):
        raise reader.fail("extra data after the document", end)
    return data, reader.positions, reader.key_positions
