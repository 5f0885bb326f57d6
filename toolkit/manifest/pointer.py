"""JSON paths as people read them: ``works[2].runtime``, ``event.title.zh-Hans``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

_PLAIN_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*\Z")


def child(parent: str, key: str | int) -> str:
    """The path of ``parent[key]`` (an index) or ``parent.key`` (a property)."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    if _PLAIN_KEY.match(key):
        return f"{parent}.{key}" if parent else key
    return f"{parent}[{json.dumps(key, ensure_ascii=False)}]"


def from_parts(parts: Iterable[str | int]) -> str:
    pointer = ""
    for part in parts:
        pointer = child(pointer, part)
    return pointer


def parent_of(pointer: str) -> str | None:
    """``works[2].runtime`` → ``works[2]``; None for the document itself."""
    if not pointer:
        return None
    if pointer.endswith("]"):
        depth = 0
        # Walk back over the bracket, minding quoted keys that contain brackets.
        in_string = False
        for index in range(len(pointer) - 1, -1, -1):
            char = pointer[index]
            if char == '"' and (index == 0 or pointer[index - 1] != "\\"):
                in_string = not in_string
            elif not in_string and char == "]":
                depth += 1
            elif not in_string and char == "[":
                depth -= 1
                if depth == 0:
                    return pointer[:index]
        return ""
    dot = pointer.rfind(".")
    bracket = pointer.rfind("]")
    if dot > bracket:
        return pointer[:dot]
    return pointer[: bracket + 1] if bracket >= 0 else ""
