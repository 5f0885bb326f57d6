"""Reading a manifest (YAML or JSON) into plain data plus where each value is in the file.

Hostile input is refused before it can cost much: files over ``MAX_BYTES``,
aliases that expand a small file into a huge document ("billion laughs"),
duplicate keys, tags that would build anything but plain data. Every refusal is
a :class:`ScreenkitError` with the file, line and column.
"""

from __future__ import annotations

import functools
import io
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from toolkit.errors import ScreenkitError
from toolkit.fsutil import read_input_bytes
from toolkit.manifest.pointer import child, parent_of

Position = tuple[int, int]

# A 1,000-work manifest is about 1 MB; anything far larger is not a manifest.
MAX_BYTES = 4 * 1024 * 1024
# Nodes that YAML aliases may add beyond what is written in the file.
MAX_ALIAS_NODES = 100_000
MAX_DEPTH = 200
YAML_SUFFIXES = (".yaml", ".yml")
# False: ruamel.yaml's C parser (ruamel.yaml.clib) when installed, about 4x faster on
# large manifests; ruamel falls back to its pure-Python parser by itself otherwise.
YAML_PURE = False
JSON_SUFFIXES = (".json",)

_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_PLAIN_TAGS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class ManifestPathError(ScreenkitError):
    """A path in the manifest that is absolute or leads out of the manifest's folder."""


@dataclass
class Manifest:
    """A loaded manifest: plain data, positions of values and keys, and its folder."""

    path: Path  # as given (kept relative so that messages read like the command line)
    data: dict[str, Any]
    positions: dict[str, Position] = field(default_factory=dict)
    key_positions: dict[str, Position] = field(default_factory=dict)

    @functools.cached_property
    def base(self) -> Path:
        """The folder paths in the manifest are relative to (symbolic links resolved)."""
        return self.path.resolve().parent

    @functools.cached_property
    def _base_text(self) -> str:
        return os.fspath(self.base)

    @property
    def display_path(self) -> str:
        return os.fspath(self.path)

    def position(self, pointer: str, *, key: bool = False) -> Position | None:
        """Line and column of the value at POINTER (or of its key), else of the nearest parent."""
        if key and pointer in self.key_positions:
            return self.key_positions[pointer]
        current: str | None = pointer
        while current is not None:
            found = self.positions.get(current)
            if found is not None:
                return found
            current = parent_of(current)
        return None

    def resolve(self, relative: str, pointer: str | None = None) -> Path:
        """The file RELATIVE names, checked to stay inside the manifest's folder.

        Refuses absolute paths, ``..`` that climbs out, and symbolic links that
        lead out (after resolving them). The file need not exist.
        """
        line, column = self.position(pointer) if pointer and self.position(pointer) else (None, None)

        def refuse(message: str) -> ManifestPathError:
            return ManifestPathError(message, path=self.display_path, line=line, column=column)

        if "\x00" in relative:
            raise refuse("path contains a NUL character")
        if PurePosixPath(relative).is_absolute() or PureWindowsPath(relative).is_absolute() or PureWindowsPath(relative).drive:
            raise refuse(f"path {relative!r} is absolute; paths must be relative to the manifest's folder")
        base = self._base_text
        # os.path rather than pathlib: a 1,000-work manifest resolves thousands of paths.
        lexical = os.path.normpath(os.path.join(base, relative))
        if not _inside(lexical, base):
            raise refuse(f"path {relative!r} leads out of the manifest's folder")
        if not _inside(os.path.realpath(lexical), base):
            raise refuse(f"path {relative!r} is a symbolic link that leads out of the manifest's folder")
        return Path(lexical)


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def load_manifest(path: str | os.PathLike[str]) -> Manifest:
    """Read a YAML or JSON manifest; a ScreenkitError (exit 2) when it cannot be read or parsed."""
    path = Path(path)
    name = os.fspath(path)
    text = _read_text(path)
    if not text.strip():
        raise ScreenkitError("the manifest is empty", path=name)
    try:
        if path.suffix.lower() in JSON_SUFFIXES or (path.suffix.lower() not in YAML_SUFFIXES and text.lstrip("\ufeff \t\r\n").startswith("{")):
            from toolkit.manifest.jsonpos import load_json

            data, positions, key_positions = load_json(text, name)
        else:
            data, positions, key_positions = _load_yaml(text, name)
    except RecursionError:
        raise ScreenkitError(f"the manifest is nested too deeply (more than {MAX_DEPTH} levels)", path=name) from None
    if not isinstance(data, dict):
        kind = {list: "a list", str: "a string", type(None): "empty"}.get(type(data), type(data).__name__)
        raise ScreenkitError(
            f"the manifest must be a mapping (event:, works:, screenings:) at the top level, not {kind}",
            path=name,
            line=1,
            column=1,
        )
    return Manifest(path=path, data=data, positions=positions, key_positions=key_positions)


def _read_text(path: Path) -> str:
    name = os.fspath(path)
    raw = read_input_bytes(path, kind="manifest", max_bytes=MAX_BYTES)
    if b"\x00" in raw:
        raise ScreenkitError("binary data, not a YAML or JSON manifest", path=name)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ScreenkitError(
            f"not UTF-8 text (byte 0x{raw[error.start]:02x}); save the manifest as UTF-8", path=name, line=line
        ) from None


def _load_yaml(text: str, name: str) -> tuple[Any, dict[str, Position], dict[str, Position]]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe", pure=YAML_PURE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            root = yaml.compose(io.StringIO(text))
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "syntax error"
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        raise ScreenkitError(f"not valid YAML: {problem}", path=name, line=line, column=column) from None
    except YAMLError as error:
        raise ScreenkitError(f"not valid YAML: {error}", path=name) from None
    if root is None:
        return None, {}, {}
    return _YamlConverter(yaml, name).convert(root)


class _YamlConverter:
    """Composed YAML nodes → plain dict/list/str/int/float/bool/None, with marks."""

    def __init__(self, yaml: Any, name: str) -> None:
        self.constructor = yaml.constructor
        self.name = name
        self.positions: dict[str, Position] = {}
        self.key_positions: dict[str, Position] = {}
        self.seen: set[int] = set()
        self.alias_nodes = 0
        self.active: set[int] = set()

    def convert(self, root: Any) -> tuple[Any, dict[str, Position], dict[str, Position]]:
        return self.node(root, "", 0, False), self.positions, self.key_positions

    def fail(self, message: str, node: Any) -> ScreenkitError:
        mark = node.start_mark
        return ScreenkitError(message, path=self.name, line=mark.line + 1, column=mark.column + 1)

    def node(self, node: Any, pointer: str, depth: int, via_alias: bool) -> Any:
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        if depth > MAX_DEPTH:
            raise self.fail(f"nested more than {MAX_DEPTH} levels deep", node)
        identity = id(node)
        # The composer hands back the very same node object for an alias.
        if identity in self.seen and isinstance(node, (MappingNode, SequenceNode)):
            via_alias = True
        self.seen.add(identity)
        if via_alias:
            self.alias_nodes += 1
            if self.alias_nodes > MAX_ALIAS_NODES:
                raise self.fail(
                    f"YAML aliases expand to more than {MAX_ALIAS_NODES} values; refusing (write the values out)",
                    node,
                )
        if pointer not in self.positions:
            self.positions[pointer] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, (MappingNode, SequenceNode)) and node.tag not in _COLLECTION_TAGS:
            raise self.fail(f"YAML tag {node.tag!r} is not allowed in a manifest (plain values only)", node)
        if isinstance(node, MappingNode):
            if identity in self.active:
                raise self.fail("a YAML alias refers to its own anchor", node)
            self.active.add(identity)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.fail("YAML merge keys (<<) are not supported in manifests", key_node)
                key = self.scalar(key_node)
                if not isinstance(key, str):
                    key = str(key) if isinstance(key, (int, float, bool)) or key is None else None
                    if key is None:
                        raise self.fail("mapping keys must be plain text", key_node)
                if key in result:
                    raise self.fail(f"duplicate key {key!r}", key_node)
                key_pointer = child(pointer, key)
                self.key_positions.setdefault(
                    key_pointer, (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                )
                result[key] = self.node(value_node, key_pointer, depth + 1, via_alias)
            self.active.discard(identity)
            return result
        if isinstance(node, SequenceNode):
            if identity in self.active:
                raise self.fail("a YAML alias refers to its own anchor", node)
            self.active.add(identity)
            items = [
                self.node(item, child(pointer, index), depth + 1, via_alias)
                for index, item in enumerate(node.value)
            ]
            self.active.discard(identity)
            return items
        return self.scalar(node)

    def scalar(self, node: Any) -> Any:
        from ruamel.yaml.nodes import ScalarNode

        if not isinstance(node, ScalarNode):
            raise self.fail("mapping keys must be plain text", node)
        tag = node.tag
        if tag == "tag:yaml.org,2002:str":
            return node.value
        if tag == "tag:yaml.org,2002:timestamp":
            # Dates stay the text written; the schema checks their format.
            return node.value
        if tag in _PLAIN_TAGS:
            try:
                return self.constructor.construct_object(node, deep=True)
            except Exception:
                raise self.fail(f"cannot read the value {node.value!r}", node) from None
        raise self.fail(f"YAML tag {tag!r} is not allowed in a manifest (plain values only)", node)
