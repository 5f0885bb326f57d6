"""A YAML reader that keeps where each value and key is, and that no document can crash.

libyaml (PyYAML's C parser) is only asked for *events*, one at a time; the
tree is built here, iteratively, from them. Nothing recursive sees the
document, so the depth limit is enforced as the events arrive: a document
nested 30,000 levels deep is refused at level 201, after reading only that
far (ruamel.yaml's C composer recursed and crashed the process). Aliases are
counted as they expand (a "billion laughs" stops at ``MAX_ALIAS_NODES``), and
so are nodes and keys. Measured against ruamel.yaml in BENCHMARKS.md (YAML
loading): several times faster on the 1,000-work manifest.

Plain scalars are resolved as ruamel.yaml resolves YAML 1.2 (the core schema:
``yes`` is text, ``0o17`` is 15, ``.inf`` a float); dates and times stay the
text written (the schema checks their format). Only plain data: any tag but
the core ones is refused, as are merge keys (``<<``) and duplicate keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit.errors import ScreenkitError
from toolkit.manifest.pointer import child

Position = tuple[int, int]
Value = object  # dict[str, Value] | list[Value] | str | int | float | bool | None

MAX_DEPTH = 200
# Nodes that YAML aliases may add beyond what is written in the file.
MAX_ALIAS_NODES = 100_000
# Values in one document (a sample-like work has about 65), and keys in one mapping.
MAX_NODES = 2_000_000
MAX_KEYS = 100_000

_CORE = "tag:yaml.org,2002:"
_COLLECTION_TAGS = {None, "!", _CORE + "map", _CORE + "seq"}
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_INT = re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$")
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)
# Python refuses to turn longer digit strings into an int (a CPU guard); so do we, in one line.
MAX_DIGITS = 4000


def resolve_plain(text: str) -> Value:
    """A plain (unquoted, untagged) scalar as ruamel.yaml reads YAML 1.2; ValueError if unreadable."""
    first = text[:1]
    if first in ("", "~", "n", "N") and _NULL.match(text):
        return None
    if first in "tTfF" and _BOOL.match(text):
        return first in "tT"
    if first and first in "-+0123456789" and _INT.match(text):
        return _int(text)
    if first and first in "-+0123456789." and _FLOAT.match(text):
        return _float(text)
    return text


def _int(text: str) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits[:1] == "-" else 1
    digits = digits.lstrip("+-")
    if len(digits) > MAX_DIGITS:
        raise ValueError(f"a number of {len(digits)} digits (at most {MAX_DIGITS})")
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if digits.startswith(prefix):
            return sign * int(digits[2:] or "x", base)
    return sign * int(digits)


def _float(text: str) -> float:
    value = text.replace("_", "").lower()
    sign = -1.0 if value[:1] == "-" else 1.0
    value = value.lstrip("+-")
    if value == ".inf":
        return sign * float("inf")
    if value == ".nan":
        return float("nan")
    if len(value) > MAX_DIGITS:
        raise ValueError(f"a number of {len(value)} characters (at most {MAX_DIGITS})")
    return sign * float(value)


@dataclass
class _Open:
    """A mapping or sequence being built."""

    value: dict[str, Value] | list[Value]
    pointer: str
    anchor: str | None
    nodes_before: int  # the document's node count when it opened
    key: str | None = None  # mappings: the key waiting for its value
    key_position: Position | None = None


@dataclass
class _Result:
    data: Value = None
    positions: dict[str, Position] = field(default_factory=dict)
    key_positions: dict[str, Position] = field(default_factory=dict)


class _Builder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.result = _Result()
        self.stack: list[_Open] = []
        self.anchors: dict[str, tuple[Value, int]] = {}  # name -> (value, nodes inside)
        self.open_anchors: set[str] = set()
        self.nodes = 0
        self.alias_nodes = 0
        self.done = False

    def fail(self, message: str, mark: object) -> ScreenkitError:
        line = getattr(mark, "line", None)
        column = getattr(mark, "column", None)
        return ScreenkitError(
            message,
            path=self.name,
            line=line + 1 if isinstance(line, int) else None,
            column=column + 1 if isinstance(column, int) else None,
        )

    # -- where the next value goes --------------------------------------

    def _place(self, mark: object) -> str:
        """The pointer of the next value (for a mapping awaiting a key: none, keys are scalars)."""
        if not self.stack:
            if self.done:
                raise self.fail("more than one YAML document in the file; a manifest is one", mark)
            return ""
        top = self.stack[-1]
        if isinstance(top.value, list):
            return child(top.pointer, len(top.value))
        assert top.key is not None
        return child(top.pointer, top.key)

    def _count(self, mark: object, added: int = 1) -> None:
        self.nodes += added
        if self.nodes > MAX_NODES:
            raise self.fail(f"more than {MAX_NODES} values in the manifest; refusing", mark)

    def _attach(self, value: Value, mark: object) -> None:
        if not self.stack:
            self.result.data = value
            self.done = True
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
            return
        assert top.key is not None
        top.value[top.key] = value
        top.key = None

    def _awaiting_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].value, dict) and self.stack[-1].key is None

    def _remember(self, anchor: str | None, value: Value, nodes: int) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, nodes)
            self.open_anchors.discard(anchor)

    # -- events ------------------------------------------------------------

    def scalar(self, event: object) -> None:
        mark = getattr(event, "start_mark", None)
        value = self._scalar_value(event, mark)
        anchor = getattr(event, "anchor", None)
        if self._awaiting_key():
            self._key(value, mark)
            self._remember(anchor, value, 1)
            return
        pointer = self._place(mark)
        self._count(mark)
        self.result.positions.setdefault(pointer, (mark.line + 1, mark.column + 1))  # type: ignore[attr-defined]
        self._remember(anchor, value, 1)
        self._attach(value, mark)

    def _scalar_value(self, event: object, mark: object) -> Value:
        text: str = getattr(event, "value", "")
        tag = getattr(event, "tag", None)
        plain_implicit = bool(getattr(event, "implicit", (False, False))[0])
        if tag in (None, "!") and plain_implicit and getattr(event, "style", None) in (None, ""):
            if text == "<<" and self._awaiting_key():
                raise self.fail("YAML merge keys (<<) are not supported in manifests", mark)
            try:
                return resolve_plain(text)
            except ValueError as error:
                raise self.fail(f"cannot read the value: {error}", mark) from None
        if tag in (None, "!", _CORE + "str"):
            return text
        kind = tag[len(_CORE):] if isinstance(tag, str) and tag.startswith(_CORE) else None
        readers = {"int": (_INT, _int), "float": (_FLOAT, _float), "bool": (_BOOL, resolve_plain), "null": (_NULL, resolve_plain)}
        if kind in readers:
            pattern, read = readers[kind]
            try:
                if pattern.match(text):
                    return read(text)
                if kind == "float" and _INT.match(text):
                    return float(_int(text))
            except (ValueError, OverflowError) as error:
                raise self.fail(f"cannot read the value: {error}", mark) from None
            raise self.fail(f"cannot read the value {text!r} as {kind}", mark)
        if tag == _CORE + "timestamp":
            return text  # dates stay the text written; the schema checks their format
        raise self.fail(f"YAML tag {tag!r} is not allowed in a manifest (plain values only)", mark)

    def _key(self, key: Value, mark: object) -> None:
        top = self.stack[-1]
        assert isinstance(top.value, dict)
        if not isinstance(key, str):
            key = str(key)
        if key in top.value:
            raise self.fail(f"duplicate key {key!r}", mark)
        if len(top.value) >= MAX_KEYS:
            raise self.fail(f"more than {MAX_KEYS} keys in one mapping; refusing", mark)
        top.key = key
        self.result.key_positions.setdefault(
            child(top.pointer, key), (mark.line + 1, mark.column + 1)  # type: ignore[attr-defined]
        )

    def start(self, event: object, value: dict[str, Value] | list[Value]) -> None:
        mark = getattr(event, "start_mark", None)
        if self._awaiting_key():
            raise self.fail("mapping keys must be plain text", mark)
        tag = getattr(event, "tag", None)
        if tag not in _COLLECTION_TAGS:
            raise self.fail(f"YAML tag {tag!r} is not allowed in a manifest (plain values only)", mark)
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} levels deep", mark)
        pointer = self._place(mark)
        self._count(mark)
        self.result.positions.setdefault(pointer, (mark.line + 1, mark.column + 1))  # type: ignore[attr-defined]
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.open_anchors.add(anchor)
        self.stack.append(_Open(value, pointer, anchor, self.nodes))

    def end(self, event: object) -> None:
        mark = getattr(event, "start_mark", None)
        done = self.stack.pop()
        self._remember(done.anchor, done.value, self.nodes - done.nodes_before + 1)
        self._attach(done.value, mark)

    def alias(self, event: object) -> None:
        mark = getattr(event, "start_mark", None)
        name = getattr(event, "anchor", None)
        if name in self.open_anchors:
            raise self.fail("a YAML alias refers to its own anchor", mark)
        if name not in self.anchors:
            raise self.fail(f"YAML alias *{name} has no anchor before it", mark)
        value, nodes = self.anchors[str(name)]
        if self._awaiting_key():
            if isinstance(value, (dict, list)):
                raise self.fail("mapping keys must be plain text", mark)
            self._key(value, mark)
            return
        self.alias_nodes += nodes
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise self.fail(
                f"YAML aliases expand to more than {MAX_ALIAS_NODES} values; refusing (write the values out)", mark
            )
        pointer = self._place(mark)
        self._count(mark, nodes)
        self.result.positions.setdefault(pointer, (mark.line + 1, mark.column + 1))  # type: ignore[attr-defined]
        # The aliased value is shared, not copied: manifest data is read, never modified in place.
        self._attach(value, mark)


def load_yaml(text: str, name: str, *, pure: bool = False) -> tuple[Value, dict[str, Position], dict[str, Position]]:
    """Parse TEXT (a whole manifest) into plain data and the positions of its values and keys."""
    import yaml
    from yaml import events

    parser: object
    if not pure and getattr(yaml, "__with_libyaml__", False):
        from yaml.cyaml import CParser

        parser = CParser(text)
    else:
        parser = yaml.SafeLoader(text)
    builder = _Builder(name)
    get_event = parser.get_event  # type: ignore[attr-defined]
    handlers = {
        events.ScalarEvent: builder.scalar,
        events.MappingStartEvent: lambda event: builder.start(event, {}),
        events.SequenceStartEvent: lambda event: builder.start(event, []),
        events.MappingEndEvent: builder.end,
        events.SequenceEndEvent: builder.end,
        events.AliasEvent: builder.alias,
    }
    try:
        while True:
            event = get_event()
            if event is None:
                break
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
            elif isinstance(event, events.DocumentStartEvent) and builder.done:
                raise builder.fail("more than one YAML document in the file; a manifest is one", event.start_mark)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = " ".join(str(error.problem or error.context or "syntax error").split())
        if "maximum nesting depth" in problem:  # libyaml's own limit (1,000 levels), met while scanning ahead
            raise builder.fail(f"nested more than {MAX_DEPTH} levels deep", mark) from None
        raise builder.fail(f"not valid YAML: {problem}", mark) from None
    except yaml.YAMLError as error:
        raise ScreenkitError(f"not valid YAML: {error}", path=name) from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()
    result = builder.result
    return result.data, result.positions, result.key_positions
