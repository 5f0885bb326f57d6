"""The fast path of the schema check (fastjsonschema) never calls valid what jsonschema does not."""

from __future__ import annotations

import copy
import random

from conftest import ROOT, load_bench_module
from hypothesis import given, settings
from hypothesis import strategies as st
from manifest_kit import BASE_YAML

from toolkit.errors import ScreenkitError
from toolkit.manifest.loader import parse_manifest
from toolkit.manifest.schema_check import known_valid, manifest_validator

VALUES = [None, True, False, 0, -1, 1, 6.0, 6.5, 1e300, float("inf"), float("nan"), "", "x", "25/0", "fr", "2026-03-14",
          "2026-03-14T19:00:00+01:00", "http://[", "a@b", [], {}, [1], {"a": 1}, 10**30]


def _agree(data: object) -> None:
    if known_valid(data):
        assert list(manifest_validator().iter_errors(data)) == [], data


def _paths(data: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


def _set(data: object, path: tuple[object, ...], value: object) -> object:
    if not path:
        return value
    node = data
    for step in path[:-1]:
        node = node[step]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]
    return data


def test_one_changed_value_anywhere() -> None:
    base = parse_manifest(BASE_YAML, ROOT / "m.yaml").data
    assert known_valid(base)
    rng = random.Random(5)
    paths = _paths(base)
    for path in paths:
        for value in rng.sample(VALUES, 8):
            _agree(_set(copy.deepcopy(base), path, copy.deepcopy(value)))
        if path and isinstance(path[-1], str):  # a key removed, or renamed
            parent = copy.deepcopy(base)
            node = parent
            for step in path[:-1]:
                node = node[step]
            value = node.pop(path[-1])
            _agree(parent)
            node[str(path[-1]) + "x"] = value
            _agree(parent)


def test_mutated_manifest_texts() -> None:
    fuzz = load_bench_module("fuzz")
    rng = random.Random(7)
    seeds = [(BASE_YAML.encode(), "yaml"), *fuzz.manifest_seeds()]
    checked = 0
    for _ in range(2500):
        data, hint = rng.choice(seeds)
        try:
            manifest = parse_manifest(fuzz.mutate(data, rng, seeds).decode("utf-8", "replace"), ROOT / f"m.{hint}")
        except ScreenkitError:
            continue
        _agree(manifest.data)
        checked += 1
    assert checked > 300  # most mutations still load; each is compared


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.sampled_from(VALUES[:18]), lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["id", "language", "path", "runtime", "start", "works", "x"]), inner, max_size=3), max_leaves=12), st.sampled_from(["event", "works", "screenings"]))
def test_generated_sections(value: object, section: str) -> None:
    base = parse_manifest(BASE_YAML, ROOT / "m.yaml").data
    base[section] = value
    _agree(base)


def test_fast_json_reads_what_the_positional_reader_reads() -> None:
    """The C parser's document is taken only when the positional reader gives the same one."""
    import json

    from toolkit.manifest.jsonpos import fast_json, load_json

    fuzz = load_bench_module("fuzz")
    base = json.dumps(parse_manifest(BASE_YAML, ROOT / "m.yaml").data, indent=1).encode()
    extra = [b'{"a": NaN}', b'{"a": 1, "a": 2}', b'{"a": "\\ud800"}', b'{"a": ' + b"9" * 4100 + b"}",
             b"[" * 300 + b"]" * 300, b'{"a": 1e400}', b'\xef\xbb\xbf{"a": 1}']
    rng = random.Random(3)
    seeds = [(base, "json")]
    texts = [fuzz.mutate(base, rng, seeds) for _ in range(2000)] + extra
    taken = 0
    for raw in texts:
        text = raw.decode("utf-8", "replace")
        fast = fast_json(text)
        if fast is None:
            continue
        taken += 1
        data, _positions, _keys = load_json(text, "m.json")  # must not raise
        assert json.dumps(data, sort_keys=True) == json.dumps(fast, sort_keys=True)
    assert taken > 100
