"""A small YAML writer for drafts that carry comments: every guess says what it was guessed from.

PyYAML drops comments and ruamel's round-trip API makes them awkward to attach to
values; a draft manifest only needs mappings, lists and scalars, so it is written
here directly. Strings that YAML could read as something else (``yes``, ``2026``,
``a: b``) are double-quoted with JSON's escapes, which are YAML's too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Union

Scalar = str | int | float | bool | None


@dataclass(frozen=True)
class Commented:
    """A value with the comment written after it (``key: value  # comment``)."""

    value: Node
    comment: str


Node = Union[Scalar, "Commented", dict[str, "Node"], list["Node"]]

# Plain (unquoted) only when YAML 1.1 and 1.2 both read the text back as this string.
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_./+-]*(?: [A-Za-z0-9_./+()-]+)*")
_SPECIAL = re.compile(
    r"(?i:y|n|yes|no|on|off|true|false|null|nan|inf)|[0-9+\-.:_ ]*|.*[:#].*",
)


# What YAML lets stand in a stream, less its line breaks beyond \n (NEL, LS, PS fold a quoted scalar).
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def scalar(value: Scalar) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() else repr(value)
    if _PLAIN.fullmatch(value) and not _SPECIAL.fullmatch(value):
        return value
    return _UNPRINTABLE.sub(_escape, json.dumps(value, ensure_ascii=False))


def _comment(text: str) -> str:
    return "  # " + _UNPRINTABLE.sub("?", " ".join(text.split()))


def _unwrap(node: Node) -> tuple[Node, str]:
    if isinstance(node, Commented):
        return node.value, _comment(node.comment)
    return node, ""


def _inline(node: Node) -> str | None:
    """A flow form for scalars and lists of scalars, else None."""
    if isinstance(node, list) and all(not isinstance(item, (dict, list, Commented)) for item in node):
        return "[" + ", ".join(scalar(item) for item in node) + "]"  # type: ignore[arg-type]
    if isinstance(node, dict) and not node:
        return "{}"
    if not isinstance(node, (dict, list, Commented)):
        return scalar(node)
    return None


def _mapping(data: dict[str, Node], indent: int, first_prefix: str | None = None) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for number, (key, raw) in enumerate(data.items()):
        lead = first_prefix if number == 0 and first_prefix is not None else pad
        value, note = _unwrap(raw)
        flow = _inline(value)
        if flow is not None:
            lines.append(f"{lead}{scalar(key)}: {flow}{note}")
        elif isinstance(value, dict):
            lines.append(f"{lead}{scalar(key)}:{note}")
            lines.extend(_mapping(value, indent + 2))
        else:
            assert isinstance(value, list)
            lines.append(f"{lead}{scalar(key)}:{note}")
            lines.extend(_sequence(value, indent + 2))
    return lines


def _sequence(items: list[Node], indent: int) -> list[str]:
    lines: list[str] = []
    pad = " " * indent
    for raw in items:
        value, note = _unwrap(raw)
        flow = _inline(value)
        if flow is not None:
            lines.append(f"{pad}- {flow}{note}")
        elif isinstance(value, dict):
            if note:
                lines.append(f"{pad}-{note}")
                lines.extend(_mapping(value, indent + 2))
            else:
                lines.extend(_mapping(value, indent + 2, first_prefix=f"{pad}- "))
        else:
            assert isinstance(value, list)
            lines.append(f"{pad}-{note}")
            lines.extend(_sequence(value, indent + 2))
    return lines


def dump(document: dict[str, Node], header: list[str] | None = None, blank_between: tuple[str, ...] = ()) -> str:
    """The YAML text of ``document``; ``header`` lines become leading comments; a blank line
    separates the top-level keys and the items of the lists named in ``blank_between``."""
    out = [f"# {line}".rstrip() for line in header or []]
    for key, raw in document.items():
        value, note = _unwrap(raw)
        if out:
            out.append("")
        if key in blank_between and isinstance(value, list) and value:
            out.append(f"{scalar(key)}:{note}")
            for index, item in enumerate(value):
                if index:
                    out.append("")
                out.extend(_sequence([item], 2))
        else:
            out.extend(_mapping({key: raw}, 0))
    return "\n".join(out) + "\n"
