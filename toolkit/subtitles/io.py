"""Reading and writing subtitle files through the format registry (``toolkit.subtitles.formats``).

The format comes from ``--input-format``/``--to`` when given, else from the
content (a ``WEBVTT`` header, a ``[Script Info]`` section), else from the
extension; the encoding is detected unless given.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.fsutil import read_input_bytes, write_text_atomic
from toolkit.languages import Language, language_from_filename, languages_from_filename
from toolkit.subtitles.encoding import decode
from toolkit.subtitles.formats import (
    SubtitleFormat,
    by_extension,
    extensions,
    for_path,
    format_names,
    get_format,
)
from toolkit.subtitles.model import Track

# Snapshots of the registry for option choices and folder walking.
FORMAT_NAMES = format_names()
SUBTITLE_EXTENSIONS = extensions()

# Files larger than this are not subtitles (a 2-hour film has ~2,000 cues, ~200 KB).
MAX_BYTES = 64 * 1024 * 1024


def format_from_path(path: str | os.PathLike[str], given: str | None = None) -> str:
    """The name of the format to write ``path`` in: ``given`` (``--to``), else by extension."""
    return for_path(path, given, option="--to").name


def check_line_lengths(text: str, spec: SubtitleFormat, path: str | None) -> None:
    """Refuse, at its line, a line longer than the format allows (no reader sees it)."""
    limit = spec.max_line_chars
    if limit is None or len(text) <= limit:
        return
    if max(map(len, text.split("\n"))) <= limit:
        return  # measured in C: the usual case costs one split, not a Python loop over lines
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line.rstrip("\r")) > limit:
            raise ScreenkitError(
                f"line of {len(line)} characters; {spec.name.upper()} lines are at most {limit}",
                path=path, line=number, column=limit + 1,
            )


def parse_text(text: str, fmt: str, path: str | None = None) -> Track:
    spec = get_format(fmt)
    check_line_lengths(text, spec, path)
    track = spec.read(text, path)
    track.format = spec.name
    return track


def read_track(
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    language: Language | None = None,
) -> Track:
    """Read a subtitle file into a Track; a ScreenkitError with file and line otherwise.

    ``fmt`` is ``--input-format``: without it the content decides, then the extension.
    """
    path = Path(path)
    name = os.fspath(path)
    data = read_input_bytes(path, kind="subtitle file", max_bytes=MAX_BYTES)
    given = get_format(fmt) if fmt else None
    candidates = [given] if given is not None else by_extension(path)
    if candidates and all(spec.read_bytes is not None for spec in candidates):
        # XML-like formats declare their own encoding: their reader gets the bytes.
        spec = given or for_path(path, None, data[:8192].decode("utf-8", "replace"))
        if spec.read_bytes is not None:
            track = spec.read_bytes(data, name)
            track.format = spec.name
            track.path = path
            track.encoding = track.encoding or "utf-8"
            track.language = language or track.language or language_from_filename(path)
            _second_language_from_name(track, path, language)
            return track
    hint = language or language_from_filename(path)
    decoded = decode(data, encoding=encoding, path=name, language=hint.tag if hint else _code_in_name(path))
    spec = given or for_path(path, None, decoded.text)
    check_line_lengths(decoded.text, spec, name)
    track = spec.read(decoded.text, name)
    track.format = spec.name
    track.path = path
    track.encoding = decoded.encoding
    track.had_bom = decoded.had_bom
    track.language = language or language_from_filename(path)
    _second_language_from_name(track, path, language)
    return track


def _second_language_from_name(track: Track, path: Path, given: Language | None) -> None:
    """A bilingual name (``film.zh-Hans+en.srt``) says the second language too."""
    if track.secondary_language is not None or "+" not in path.name:
        return
    found = languages_from_filename(path)
    if found is not None and found[1] is not None and (given is None or given == found[0]):
        track.secondary_language = found[1]


_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def _code_in_name(path: Path) -> str | None:
    """``film.ko.srt`` → ``ko``: a language code screenkit has no profile for still tells the
    encoding detector which script to expect."""
    for part in reversed(path.name.split(".")[1:-1]):
        if _CODE.match(part):
            return part
    return None


def render_track(track: Track, fmt: str) -> str:
    """The track written in ``fmt``, with only what that format can carry (``lossy.adapt``)."""
    from toolkit.subtitles.lossy import adapt

    spec = get_format(fmt)
    return spec.write(adapt(track, spec)[0])


def write_track(
    track: Track, path: str | os.PathLike[str], *, fmt: str | None = None, bom: bool = False
) -> str:
    """Write UTF-8 (BOM only if asked), atomically. Returns the format written."""
    chosen = format_from_path(path, fmt)
    spec = get_format(chosen)
    if spec.write_file is not None:
        spec.write_file(track, Path(path))
        return chosen
    write_text_atomic(path, render_track(track, chosen), bom=bom)
    return chosen
