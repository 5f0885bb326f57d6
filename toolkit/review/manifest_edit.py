"""Set a few keys of one track in a manifest without reformatting the rest of the file.

YAML goes through ruamel.yaml's round-trip mode (comments, key order, flow
style and quotes kept), with the indentation the file uses: the layouts
tried are those that give the file back byte for byte when nothing is
changed. JSON is edited in the text itself: an existing value is replaced
where it stands, a new key goes after the object's last member in the
object's own style (one line, or one member per line).

Either way the result is checked before it is written: it must parse to
the original data with exactly the requested changes, and no line outside
the track's own lines may differ. Otherwise nothing is written and the
error says which lines to add by hand.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from pathlib import Path
from typing import Any

from toolkit.errors import ScreenkitError
from toolkit.fsutil import read_input_bytes, write_text_atomic

Value = str | bool | int


def update_track_fields(manifest_path: Path, work_index: int, track_index: int, changes: dict[str, Value]) -> None:
    """Set ``changes`` in ``works[work_index].subtitles[track_index]``, atomically."""
    raw = read_input_bytes(manifest_path, kind="manifest")
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    if manifest_path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        updated = _edit_json(text, work_index, track_index, changes, manifest_path)
        before, after = json.loads(text), json.loads(updated)
    else:
        updated = _edit_yaml(text, work_index, track_index, changes, manifest_path)
        before = _plain_yaml(text)
        try:
            after = _plain_yaml(updated)
        except Exception:  # ruamel's errors have no common base worth naming; nothing is written
            raise ScreenkitError(
                "could not update the manifest (the result would not be valid YAML; nothing written)",
                path=manifest_path,
            ) from None
    expected = json.loads(json.dumps(before))
    expected["works"][work_index]["subtitles"][track_index].update(changes)
    if after != expected:
        raise ScreenkitError("could not update the manifest without changing other values (nothing written)", path=manifest_path)
    _check_only_track_lines_changed(text, updated, f"works[{work_index}].subtitles[{track_index}]", manifest_path)
    write_text_atomic(manifest_path, updated, bom=bom)


def _plain_yaml(text: str) -> Any:
    from ruamel.yaml import YAML

    return json.loads(json.dumps(YAML(typ="safe", pure=True).load(text), default=str))


def _track_lines(text: str, pointer: str, path: Path) -> tuple[int, int]:
    """The 0-based line range [first, last] the track's entry may occupy: up to the next value."""
    from toolkit.manifest.pointer import parent_of

    if path.suffix.lower() == ".json" or text.lstrip().startswith("{"):
        from toolkit.manifest.jsonpos import load_json

        _, positions, keys = load_json(text, str(path))
    else:
        from toolkit.manifest.yamlpos import load_yaml

        _, positions, keys = load_yaml(text, str(path))
    first = positions[pointer][0] - 1

    def inside(other: str) -> bool:
        current: str | None = other
        while current is not None:
            if current == pointer:
                return True
            current = parent_of(current)
        return False

    places = [*positions.items(), *keys.items()]
    later = [line - 1 for other, (line, _col) in places if line - 1 > first and not inside(other)]
    last = (min(later) - 1) if later else len(text.splitlines()) - 1
    return first, max(first, last)


def _check_only_track_lines_changed(old: str, new: str, pointer: str, path: Path) -> None:
    """Every changed line must be one of the track's own: a reformatted file fails this."""
    first, last = _track_lines(old, pointer, path)
    matcher = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    for tag, a_start, a_end, _b_start, _b_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        touched = (a_start, a_end - 1) if a_end > a_start else (a_start - 1, a_start - 1)  # an insertion follows a line
        if touched[0] < first or touched[1] > last:
            raise ScreenkitError(
                "could not update the manifest without reformatting it (nothing written); "
                "set reviewed, reviewed_by and reviewed_at on the track by hand",
                path=path,
            )


# --- YAML -----------------------------------------------------------------------------


def _indent_guesses(text: str) -> list[tuple[int, int, int]]:
    from ruamel.yaml.util import load_yaml_guess_indent

    _, sequence, offset = load_yaml_guess_indent(text)
    guesses = [(2, sequence or 2, offset or 0), (2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0)]
    return list(dict.fromkeys(guesses))


def _yaml_dumper(mapping: int, sequence: int, offset: int) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never re-wrap long lines
    yaml.allow_unicode = True
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: Any, document: Any) -> str:
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _plain_safe(text: str) -> bool:
    """Text that reads back as itself unquoted, in block and flow style alike (names such as Mei Chen)."""
    return bool(text) and text[0].isalnum() and text[-1] != " " and all(ch.isalnum() or ch in " .-_" for ch in text)


def _yaml_value(value: Value) -> Value:
    # ruamel writes some strings plain where a flow mapping cannot hold them (":x"): anything
    # but a plain word or name is written single-quoted.
    if isinstance(value, str) and not _plain_safe(value):
        from ruamel.yaml.scalarstring import SingleQuotedScalarString

        return SingleQuotedScalarString(value)
    return value


def _edit_yaml(text: str, work_index: int, track_index: int, changes: dict[str, Value], path: Path) -> str:
    for layout in _indent_guesses(text):
        yaml = _yaml_dumper(*layout)
        document = yaml.load(text)
        if _dump(yaml, document) != text:
            continue  # this layout would reformat the file
        track = document["works"][work_index]["subtitles"][track_index]
        for key, value in changes.items():
            track[key] = _yaml_value(value)
        return _dump(yaml, document)
    raise ScreenkitError(
        "could not update the manifest without reformatting it (nothing written); "
        "set reviewed, reviewed_by and reviewed_at on the track by hand",
        path=path,
    )


# --- JSON -----------------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\r\n]*")


def _skip(text: str, at: int) -> int:
    match = _WHITESPACE.match(text, at)
    return match.end() if match else at


def _members(text: str, start: int) -> tuple[list[tuple[str, int, int, int]], int]:
    """The members of the object at ``start``: (key, key start, value start, value end), and its end."""
    decoder = json.JSONDecoder()
    assert text[start] == "{"
    at = _skip(text, start + 1)
    members: list[tuple[str, int, int, int]] = []
    if text[at] == "}":
        return members, at + 1
    while True:
        key, key_end = decoder.raw_decode(text, at)
        colon = _skip(text, key_end)
        value_start = _skip(text, colon + 1)
        _, value_end = decoder.raw_decode(text, value_start)
        members.append((key, at, value_start, value_end))
        at = _skip(text, value_end)
        if text[at] == "}":
            return members, at + 1
        at = _skip(text, at + 1)  # the comma


def _elements(text: str, start: int) -> list[int]:
    decoder = json.JSONDecoder()
    assert text[start] == "["
    at = _skip(text, start + 1)
    starts: list[int] = []
    if text[at] == "]":
        return starts
    while True:
        starts.append(at)
        _, end = decoder.raw_decode(text, at)
        at = _skip(text, end)
        if text[at] == "]":
            return starts
        at = _skip(text, at + 1)


def _value_of(text: str, object_start: int, key: str) -> int:
    members, _ = _members(text, object_start)
    for name, _key_start, value_start, _end in members:
        if name == key:
            return value_start
    raise KeyError(key)


def _edit_json(text: str, work_index: int, track_index: int, changes: dict[str, Value], path: Path) -> str:
    try:
        root = _skip(text.lstrip("\ufeff"), 0) + (1 if text.startswith("\ufeff") else 0)
        works = _elements(text, _value_of(text, root, "works"))
        tracks = _elements(text, _value_of(text, works[work_index], "subtitles"))
        start = tracks[track_index]
    except (KeyError, IndexError, ValueError, AssertionError):
        raise ScreenkitError("cannot find the track in the manifest", path=path) from None
    for key, value in changes.items():
        members, end = _members(text, start)
        encoded = json.dumps(value, ensure_ascii=False)
        existing = next((m for m in members if m[0] == key), None)
        if existing is not None:
            text = text[: existing[2]] + encoded + text[existing[3] :]
            continue
        if not members:
            text = text[: start + 1] + f"{json.dumps(key)}: {encoded}" + text[start + 1 :]
            continue
        last_key_start, last_end = members[-1][1], members[-1][3]
        if "\n" in text[start:end]:
            line_start = text.rfind("\n", 0, last_key_start) + 1
            indent = text[line_start:last_key_start]
            insertion = f",\n{indent}{json.dumps(key)}: {encoded}"
        else:
            insertion = f", {json.dumps(key)}: {encoded}"
        text = text[:last_end] + insertion + text[last_end:]
    return text
