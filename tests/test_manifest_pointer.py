"""JSON paths as shown to people: built from parts, and walked back to their parents."""

from __future__ import annotations

import pytest

from toolkit.manifest.pointer import child, from_parts, parent_of


@pytest.mark.parametrize(
    ("parts", "text"),
    [
        ([], ""),
        (["works", 2, "runtime"], "works[2].runtime"),
        (["event", "title", "zh-Hans"], "event.title.zh-Hans"),
        (["works", 0, "title", "a b"], 'works[0].title["a b"]'),
        (["x", "[odd]", 1], 'x["[odd]"][1]'),
        (["x", '"q"'], 'x["\\"q\\""]'),
    ],
)
def test_from_parts(parts: list[str | int], text: str) -> None:
    assert from_parts(parts) == text


@pytest.mark.parametrize(
    ("pointer", "parent"),
    [
        ("works[2].runtime", "works[2]"),
        ("works[2]", "works"),
        ("works", ""),
        ('x["[odd]"][1]', 'x["[odd]"]'),
        ('x["[odd]"]', "x"),
        ('x["a.b"].c', 'x["a.b"]'),
        ("", None),
    ],
)
def test_parent_of(pointer: str, parent: str | None) -> None:
    assert parent_of(pointer) == parent


def test_child_of_the_document() -> None:
    assert child("", "event") == "event"
    assert child("", 0) == "[0]"
