"""Reading a manifest (YAML or JSON) into plain data plus where each value is in the file.

Hostile input is refused before it can cost much: files over ``MAX_BYTES``
(before parsing), nesting deeper than ``MAX_DEPTH``, aliases that expand a
small file into a huge document ("billion laughs"), too many values or keys,
duplicate keys, tags that would build anything but plain data, numbers of
thousands of digits, lone surrogates in JSON strings. Both readers
(``yamlpos``, ``jsonpos``) build the tree iteratively or within the depth
limit, so no document reaches a recursion that could crash the process. Every
refusal is a :class:`ScreenkitError` with the file, line and column.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import ScreenkitError
from toolkit.fsutil import read_input_bytes
from toolkit.manifest.pointer import parent_of
from toolkit.manifest.yamlpos import MAX_ALIAS_NODES, MAX_DEPTH, load_yaml

if TYPE_CHECKING:
    from toolkit.manifest.cache import ValidationCache

Position = tuple[int, int]

# What a catalogue needs, bounded: a sample-like work is 0.6-1.3 KB of YAML (a 5,000-work
# catalogue 6.6 MB), so 64 MiB holds some 50,000 works; the values are bounded apart
# (yamlpos.MAX_NODES, about 30,000 such works), as are nesting and aliases. Anything
# larger is refused before it is parsed.
MAX_BYTES = 64 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
# Linux and macOS limits: longer names fail every file operation ("File name too long").
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 4095
# False: libyaml's C parser (PyYAML's CParser) when PyYAML has it; True: PyYAML's
# pure-Python parser. Both only stream events (see toolkit.manifest.yamlpos).
YAML_PURE = False
JSON_SUFFIXES = (".json",)


class ManifestPathError(ScreenkitError):
    """A path in the manifest that is absolute or leads out of the manifest's folder."""


@dataclass
class Manifest:
    """A loaded manifest: plain data, positions of values and keys, and its folder."""

    path: Path  # as given (kept relative so that messages read like the command line)
    data: dict[str, Any]
    _positions: dict[str, Position] | None = None
    _key_positions: dict[str, Position] | None = None
    # Where positions are computed only when a finding needs one (JSON: a valid manifest
    # is read by the C parser alone; see _fast_json).
    _locate: Callable[[], tuple[dict[str, Position], dict[str, Position]]] | None = field(
        default=None, repr=False, compare=False
    )
    # Where validate keeps what it learnt (the schema's verdict on this text); None: nowhere.
    cache: ValidationCache | None = field(default=None, repr=False, compare=False)
    cache_key: str | None = field(default=None, repr=False, compare=False)

    def _located(self) -> tuple[dict[str, Position], dict[str, Position]]:
        if self._positions is None or self._key_positions is None:
            self._positions, self._key_positions = self._locate() if self._locate is not None else ({}, {})
        return self._positions, self._key_positions

    @property
    def positions(self) -> dict[str, Position]:
        return self._located()[0]

    @property
    def key_positions(self) -> dict[str, Position]:
        return self._located()[1]

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
        def refuse(message: str) -> ManifestPathError:
            position = self.position(pointer) if pointer else None
            line, column = position if position else (None, None)
            return ManifestPathError(message, path=self.display_path, line=line, column=column)

        if "\x00" in relative:
            raise refuse("path contains a NUL character")
        try:
            encoded = os.fsencode(relative)
        except UnicodeError:  # a lone surrogate: no file system can hold the name
            raise refuse(f"path {relative!r} holds a character that is not valid Unicode") from None
        if len(encoded) > MAX_PATH_BYTES:
            raise refuse(f"path is {len(encoded)} bytes long (at most {MAX_PATH_BYTES})")
        longest = max(relative.replace("\\", "/").split("/"), key=lambda part: len(part.encode("utf-8")))
        if len(longest.encode("utf-8")) > MAX_NAME_BYTES:
            raise refuse(
                f"a file or folder name of {len(longest.encode('utf-8'))} bytes in {relative[:60]!r}… "
                f"(file systems allow {MAX_NAME_BYTES})"
            )
        if _ABSOLUTE.match(relative):  # /x, \\x, C:\x, C:x (POSIX and Windows roots and drives)
            raise refuse(f"path {relative!r} is absolute; paths must be relative to the manifest's folder")
        base = self._base_text
        # os.path rather than pathlib: a 1,000-work manifest resolves thousands of paths.
        lexical = os.path.normpath(os.path.join(base, relative))
        if not _inside(lexical, base):
            raise refuse(f"path {relative!r} leads out of the manifest's folder")
        if not _inside(self._realpath(lexical), base):
            raise refuse(f"path {relative!r} is a symbolic link that leads out of the manifest's folder")
        return Path(lexical)


    def _realpath(self, lexical: str) -> str:
        """``os.path.realpath``, each folder resolved once (a catalogue has thousands of files in a few)."""
        folder, name = os.path.split(lexical)
        if os.path.islink(lexical):
            return os.path.realpath(lexical)
        real = self._real_folders.get(folder)
        if real is None:
            real = self._real_folders[folder] = os.path.realpath(folder)
        return os.path.join(real, name)

    @functools.cached_property
    def _real_folders(self) -> dict[str, str]:
        return {}


_ABSOLUTE = re.compile(r"[/\\]|[A-Za-z]:")


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def load_manifest(path: str | os.PathLike[str], *, cache: ValidationCache | None = None) -> Manifest:
    """Read a YAML or JSON manifest; a ScreenkitError (exit 2) when it cannot be read or parsed.

    With CACHE, a YAML text read before gives its data from the cache, and its
    positions are read only when a finding asks for one.
    """
    path = Path(path)
    return parse_manifest(_read_text(path), path, cache=cache)


def parse_manifest(text: str, path: str | os.PathLike[str], *, cache: ValidationCache | None = None) -> Manifest:
    """A manifest from its TEXT, as if read from PATH (its folder is where its paths lead)."""
    path = Path(path)
    name = os.fspath(path)
    if len(text) > MAX_BYTES:
        raise ScreenkitError(f"larger than {MAX_BYTES // (1024 * 1024)} MiB; not a manifest", path=name)
    if not text.strip():
        raise ScreenkitError("the manifest is empty", path=name)
    locate = None
    key = cache.document_key(text) if cache is not None else None
    if path.suffix.lower() in JSON_SUFFIXES or (path.suffix.lower() not in YAML_SUFFIXES and text.lstrip("\ufeff \t\r\n").startswith("{")):
        from toolkit.manifest.jsonpos import fast_json, load_json

        data = fast_json(text)
        if data is not None:
            positions = key_positions = None

            def locate() -> tuple[dict[str, Position], dict[str, Position]]:
                return load_json(text, name)[1:]
        else:  # something the fast path is not sure of: the positional reader says what, and where
            data, positions, key_positions = load_json(text, name)
    elif cache is not None and key is not None:
        data = cache.get_document(key)
        positions = key_positions = None
        if data is None:
            data, positions, key_positions = load_yaml(text, name, pure=YAML_PURE)
            if isinstance(data, dict):
                cache.put_document(key, data)
        else:  # only a text that parsed whole is cached: its positions, when asked for, read the same

            def locate() -> tuple[dict[str, Position], dict[str, Position]]:
                return load_yaml(text, name, pure=YAML_PURE)[1:]
    else:
        data, positions, key_positions = load_yaml(text, name, pure=YAML_PURE)
    if not isinstance(data, dict):
        kind = {list: "a list", str: "a string", type(None): "empty"}.get(type(data), type(data).__name__)
        raise ScreenkitError(
            f"the manifest must be a mapping (event:, works:, screenings:) at the top level, not {kind}",
            path=name,
            line=1,
            column=1,
        )
    manifest = Manifest(path=path, data=data, _positions=positions, _key_positions=key_positions, _locate=locate)
    if cache is not None:
        manifest.cache = cache
        manifest.cache_key = key
    return manifest


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


__all__ = [
    "MAX_ALIAS_NODES", "MAX_BYTES", "MAX_DEPTH", "Manifest", "ManifestPathError", "load_manifest", "parse_manifest",
]
