"""The subtitle format registry: one entry per format, found by name, extension or content.

Every place that needs to know something about a format (how to read or
write it, which extensions it uses, whether it can carry a top position, a
layer or a drawing) asks the registry instead of testing the format's name.

Public API (small on purpose):

- ``SubtitleFormat``: one format (``name``, ``extensions``, ``sniff``,
  ``read``, ``write``, ``capabilities``, ``description``, ``aliases``).
- ``Capabilities``: what a format can carry: ``positions`` (top/middle
  alignment), ``styles`` (named styles), ``layers`` (ASS layers),
  ``drawings`` (ASS ``{\\p1}`` vector drawings), ``cue_settings`` (WebVTT
  ``line:0 align:start``), ``comments`` (the syntax of the comments it keeps:
  ``webvtt`` NOTE/STYLE/REGION blocks, ``ass`` ``Comment:`` events; None for none),
  ``overrides`` (ASS override blocks kept verbatim), ``inline`` (the
  canonical inline tags it can show: ``i b u s font``), ``any_order`` (events
  need not be in time order, as in ASS), ``event_per_line`` (an event is one
  source line, as in ASS; otherwise text lines follow a timing line),
  ``event_fields`` (per-event margins and effect, as in ASS), ``dcp`` (DCP
  subtitle XML: the DCP1xx QC rules and the DCP writer apply), ``images``
  (image subtitles of a source, DCP ``<Image>`` PNGs, carried as they are:
  Interop copies them from an Interop source; elsewhere a conversion of them is
  refused with a count).
- ``register(fmt)``: add a format (a name already taken is an error).
- ``get_format(name)``: by name or alias (``webvtt`` → ``vtt``); ScreenkitError if unknown.
- ``format_of(track)``: the entry of ``track.format`` (None when not set).
- ``formats()``: every entry, in name order. ``format_names()``, ``extensions()``.
- ``for_path(path, given=None, text=None)``: the format to read or write a
  file: ``given`` (``--input-format`` / ``--to``) wins, then the content
  (``sniff``) if ``text`` is given, then the extension.

Adding a format is a one-file job: put a module in this package
(``toolkit/subtitles/formats/<name>.py``) that defines ``FORMAT =
SubtitleFormat(...)`` (or ``FORMATS = (...)`` for a family). Every module here
is discovered and registered on first use; nothing else needs editing: the
CLI's ``--to``/``--input-format`` choices, folder walking, the manifest's
format check and the QC rules all read the registry. Keep the module light:
import heavy parsers inside ``read``/``write``. A reader gets the decoded
text (``read(text, path)``); a format that carries its own encoding (XML)
may set ``read_bytes(data, path)`` instead and is given the raw bytes; one
whose output is several files sets ``write_file(track, path)``.

``sniff(text)`` returns a score: 0 means "not this format", higher is more
certain (100 for a signature only this format has, 50 for a plausible
shape). Among formats that claim the text, the highest score wins, the
file's extension breaking ties.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import ScreenkitError

if TYPE_CHECKING:
    from toolkit.subtitles.model import Track


@dataclass(frozen=True)
class Capabilities:
    positions: bool = False
    styles: bool = False
    layers: bool = False
    drawings: bool = False
    cue_settings: bool = False
    comments: str | None = None  # "webvtt" or "ass": comments survive only between formats of one syntax
    overrides: bool = False
    inline: frozenset[str] = frozenset()
    any_order: bool = False
    event_per_line: bool = False
    event_fields: bool = False  # per-event margins and effect (ASS, SSA)
    dcp: bool = False  # DCP subtitle XML: the DCP1xx rules and the DCP writer's options apply
    images: bool = False  # carries image subtitles read from a source (DCP <Image> PNGs) as they are


def _never(_text: str) -> int:
    return 0


@dataclass(frozen=True)
class SubtitleFormat:
    name: str
    extensions: tuple[str, ...]  # lower case, with the dot; the first is the one written
    read: Callable[[str, str | None], Track]
    write: Callable[[Track], str]
    capabilities: Capabilities
    description: str = ""
    sniff: Callable[[str], int] = _never
    aliases: tuple[str, ...] = ()
    read_bytes: Callable[[bytes, str | None], Track] | None = None
    # A format whose output is several files (DCP subtitles: the XML and its
    # font or PNGs beside it) writes them itself; returns every file written.
    write_file: Callable[[Track, Path], list[Path]] | None = None
    # Longest line read (characters): the cost of a reader stays bounded, and a file that
    # is one endless line is refused at that line. None: the format has no lines (XML).
    max_line_chars: int | None = 65_536
    # The format says what control characters in its text mean (WebVTT: NUL becomes U+FFFD),
    # so the decoder does not refuse a file of it as binary data for them.
    controls_are_text: bool = False

    @property
    def extension(self) -> str:
        return self.extensions[0]


# Extensions that say nothing about the format: the content decides. Any other
# extension no format claims (.docx) is refused rather than guessed at.
GENERIC_EXTENSIONS = frozenset({"", ".txt", ".text"})

_REGISTRY: dict[str, SubtitleFormat] = {}
_ALIASES: dict[str, str] = {}
_discovered = False


def register(fmt: SubtitleFormat) -> SubtitleFormat:
    """Add a format to the registry; returns it (usable as ``FORMAT = register(...)``)."""
    key = fmt.name.lower()
    if key in _REGISTRY and _REGISTRY[key] is not fmt:
        raise ValueError(f"subtitle format {fmt.name!r} is registered twice")
    _REGISTRY[key] = fmt
    for alias in fmt.aliases:
        _ALIASES[alias.lower()] = key
    return fmt


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    _discovered = True
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found = getattr(module, "FORMATS", None) or (
            (module.FORMAT,) if hasattr(module, "FORMAT") else ()
        )
        for fmt in found:
            register(fmt)


def formats() -> list[SubtitleFormat]:
    _discover()
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def format_names() -> tuple[str, ...]:
    return tuple(fmt.name for fmt in formats())


def extensions() -> tuple[str, ...]:
    """Every extension some format claims (for walking folders)."""
    return tuple(sorted({ext for fmt in formats() for ext in fmt.extensions}))


def _names_hint() -> str:
    return ", ".join(format_names())


def get_format(name: str) -> SubtitleFormat:
    _discover()
    key = name.lower().lstrip(".")
    key = _ALIASES.get(key, key)
    fmt = _REGISTRY.get(key)
    if fmt is None:
        raise ScreenkitError(f"unknown subtitle format {name!r} (known: {_names_hint()})")
    return fmt


def format_of(track: Track) -> SubtitleFormat | None:
    if not track.format:
        return None
    try:
        return get_format(track.format)
    except ScreenkitError:
        return None


def by_extension(path: str | os.PathLike[str]) -> list[SubtitleFormat]:
    suffix = Path(path).suffix.lower()
    return [fmt for fmt in formats() if suffix in fmt.extensions]


def sniff(text: str, path: str | os.PathLike[str] | None = None) -> SubtitleFormat | None:
    """The format the content says, the extension breaking ties; None if none claims it."""
    by_ext = {fmt.name for fmt in by_extension(path)} if path is not None else set()
    best: tuple[int, bool, SubtitleFormat] | None = None
    for fmt in formats():
        score = fmt.sniff(text)
        if score <= 0:
            continue
        candidate = (score, fmt.name in by_ext, fmt)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return None if best is None else best[2]


def for_path(
    path: str | os.PathLike[str],
    given: str | None = None,
    text: str | None = None,
    *,
    option: str = "--input-format",
) -> SubtitleFormat:
    """The format of a file: ``given`` wins, then the content (when ``text``), then the extension.

    The content is only asked for files with a subtitle extension or one that
    says nothing (``GENERIC_EXTENSIONS``: none, ``.txt``).
    """
    if given:
        return get_format(given)
    suffix = Path(path).suffix.lower()
    if text is not None and (suffix in GENERIC_EXTENSIONS or suffix in extensions()):
        found = sniff(text, path)
        if found is not None:
            return found
    candidates = by_extension(path)
    if len(candidates) == 1:
        return candidates[0]
    suffix = suffix or "(none)"
    if candidates:
        names = " or ".join(fmt.name for fmt in candidates)
        reason = f"the extension {suffix!r} may be {names} and the content does not say which"
    else:
        reason = f"cannot tell the subtitle format from the extension {suffix!r}"
        if text is not None:
            reason += " or the content"
    raise ScreenkitError(f"{reason}; say {option} ({_names_hint()})", path=path)


__all__ = [
    "GENERIC_EXTENSIONS",
    "Capabilities",
    "SubtitleFormat",
    "by_extension",
    "extensions",
    "for_path",
    "format_names",
    "format_of",
    "formats",
    "get_format",
    "register",
    "sniff",
]
