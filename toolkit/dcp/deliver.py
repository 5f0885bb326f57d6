"""Writing DCP subtitles to disk: the XML, its font (or its PNGs), checked before they count.

``write_dcp(tracks, xml_path, options)`` lays out one track (or two:
bilingual, the CJK one above), subsets the face for the script to the
characters used, and writes into the XML's folder:

- Interop: ``NAME.xml`` and ``NAME.otf`` (``LoadFont URI=``); when the
  subset font passes 640 KiB (a Chinese feature) one ``<uuid>.png`` per
  event instead, unless ``images=False``, which refuses and recommends SMPTE.
- SMPTE: ``NAME.xml`` and ``<font-uuid>.otf`` (``LoadFont`` holds the
  ``urn:uuid``: asdcp-wrap finds the font as the one file in the XML's folder
  whose name holds that UUID), then ``NAME.mxf`` through ``asdcp-wrap``
  when it is on PATH; otherwise a note says the MXF step needs it.

Every XML is validated against its XSD before it is renamed into place.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from fractions import Fraction
from pathlib import Path

from toolkit.dcp import events as layout
from toolkit.dcp.fonts import (
    _ALWAYS,
    INTEROP_FONT_LIMIT,
    SMPTE_FONT_LIMIT,
    SubsetFont,
    describe_character,
    drawn_characters,
    face_for,
    merged_font,
    subset_font,
)
from toolkit.dcp.xml import (
    INTEROP,
    SMPTE,
    SMPTE_RATES,
    DcpHeader,
    content_id,
    render_interop,
    render_smpte,
    stable_uuid,
)
from toolkit.dcp.xsd import validate_xml
from toolkit.errors import ScreenkitError
from toolkit.fsutil import write_files_atomic
from toolkit.languages import Language
from toolkit.subtitles.model import Track, strip_tags

INTEROP_RATES = (Fraction(24), Fraction(48))  # what Interop officially allows


@dataclass
class DcpOptions:
    standard: str = INTEROP
    title: str = "Untitled"
    reel: int = 1
    fps: Fraction = Fraction(24)
    font: Path | None = None  # a font file instead of the packaged face
    images: bool = True  # Interop: image subtitles when the font would be too big
    force_images: bool = False
    issue_date: str | None = None  # SMPTE IssueDate; default: SOURCE_DATE_EPOCH, else FIXED_ISSUE_DATE
    fade_ms: int = 0
    ffmpeg: str | None = None


@dataclass
class DcpResult:
    xml: Path
    standard: str
    mode: str  # "text" | "images"
    files: list[Path] = field(default_factory=list)  # everything written, XML first
    font_bytes: int = 0
    font_source: Path | None = None
    font_sources: list[Path] = field(default_factory=list)  # every font loaded, its own face first
    events: int = 0
    notes: list[str] = field(default_factory=list)
    mxf: Path | None = None


def _interop_language(languages: list[Language | None]) -> str:
    names = [language.english_name if language else "English" for language in languages]
    return ", ".join(dict.fromkeys(names))


# The IssueDate of a file made without an event to date it (convert) and without
# SOURCE_DATE_EPOCH: fixed, never the clock, so two runs give the same bytes.
FIXED_ISSUE_DATE = "2000-01-01T00:00:00+00:00"


def _issue_date(given: str | None) -> str:
    """``given`` (a package: the event's first day), else ``SOURCE_DATE_EPOCH``, else a fixed date."""
    if given:
        return given
    import os

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).isoformat()
    return FIXED_ISSUE_DATE


_SAFE = re.compile(r"[^A-Za-z0-9_\-.]")


def safe_name(name: str) -> str:
    """A name the Interop schema's RelativePathnameType takes (letters, digits, ``_-.``)."""
    cleaned = _SAFE.sub("_", name).lstrip("._-") or "subtitles"
    return cleaned[:80]


def _order(tracks: list[Track]) -> list[Track]:
    """Bilingual: the CJK track goes above (first), whatever order they came in."""
    def cjk(track: Track) -> bool:
        return bool(track.language and track.language.is_cjk)

    if len(tracks) == 2 and not cjk(tracks[0]) and cjk(tracks[1]):
        return [tracks[1], tracks[0]]
    return tracks


def plan_events(tracks: list[Track], fade_ms: int = 0) -> list[layout.DcpEvent]:
    if not tracks or len(tracks) > 2:
        raise ScreenkitError("DCP subtitles take one track, or two for a bilingual file")
    ordered = _order(tracks)
    if len(ordered) == 2:
        return layout.bilingual_events(ordered[0], ordered[1], fade=fade_ms)
    return layout.events_from_track(ordered[0], fade=fade_ms)


def _check_rates(options: DcpOptions) -> None:
    if options.standard == SMPTE and options.fps not in SMPTE_RATES:
        rates = ", ".join(str(r) for r in SMPTE_RATES)
        raise ScreenkitError(f"SMPTE subtitles need an EditRate asdcp-wrap accepts ({rates}), not {options.fps}")
    if options.reel < 1:
        raise ScreenkitError("--reel starts at 1")


def _validated(xml: bytes, path: Path) -> bytes:
    errors = validate_xml(xml)
    if errors:
        first = errors[0]
        raise ScreenkitError(
            f"bug: the written DCP XML does not validate: line {first.line}: {first.message}",
            path=path, exit_code=3,
        )
    return xml


@dataclass
class _FontPart:
    """One font of a DCP subtitle file: the face, the characters it draws, its subset."""

    face: Path
    cjk: bool | None  # draws the CJK runs (True), the Latin ones (False), or every character (None)
    subset: SubsetFont | None = None


def _font_parts(events: list[layout.DcpEvent], main: Language | None, options: DcpOptions,
                notes: list[str]) -> tuple[list[_FontPart], bool]:
    """The fonts the file loads (its own face first) and whether the track is Chinese.

    Latin-script text is drawn in the Latin face, Han in the script's CJK face
    (toolkit.media.fonts); a file whose lines mix them loads both (Interop: a
    second LoadFont and ``<Font Id=>`` runs). SMPTE Bv2.1 takes one font: there
    a mixed file is drawn in the CJK face, whose Latin glyphs draw the rest.
    """
    from toolkit.media.fonts import choose_faces
    from toolkit.text.faces import needs_both

    cjk_track = bool(main and main.is_cjk)
    if options.font is not None:
        return [_FontPart(face_for(main, options.font), None)], cjk_track
    faces = choose_faces(main, cjk_track=cjk_track)
    texts = [line.text for event in events for line in event.lines]
    if faces.latin.file == faces.cjk.file or not needs_both(texts, cjk_track):
        return [_FontPart(faces.own.file, None)], cjk_track
    return [_FontPart(faces.own.file, cjk_track), _FontPart(faces.for_script(not cjk_track).file, not cjk_track)], cjk_track


def _characters(events: list[layout.DcpEvent], parts: list[_FontPart], cjk_track: bool) -> list[dict[str, int]]:
    """Per font, each character it must draw with the number of the first cue using it."""
    from toolkit.text.faces import script_runs

    wanted: list[dict[str, int]] = [{} for _ in parts]
    for number, event in enumerate(events, start=1):
        for line in event.lines:
            text = strip_tags(line.text)
            runs = [(text, None)] if len(parts) == 1 else script_runs(text, cjk_track)
            for run, in_cjk in runs:
                index = 0 if len(parts) == 1 else next(i for i, part in enumerate(parts) if part.cjk == in_cjk)
                for ch in drawn_characters(run):
                    wanted[index].setdefault(ch, number)
    return wanted


def _check_coverage(parts: list[_FontPart], wanted: list[dict[str, int]], events: list[layout.DcpEvent],
                    path: Path | None) -> None:
    """Every character of the track in its font's subset, or the one-line error naming it and its cue."""
    from toolkit.subtitles.timecode import format_srt

    for part, characters in zip(parts, wanted, strict=True):
        assert part.subset is not None
        missing = sorted((number, ch) for ch, number in characters.items() if ch not in part.subset.characters)
        if missing:
            number, ch = missing[0]
            more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            raise ScreenkitError(
                f"subtitle {number} ({format_srt(events[number - 1].start)}): the font {part.subset.family} "
                f"({part.face.name}) has no glyph for {describe_character(ch)}{more}; pass --font FILE with a "
                "font that has it", path=path,
            )


def write_dcp(tracks: list[Track], xml_path: str | Path, options: DcpOptions) -> DcpResult:
    """Write DCP subtitles for one track (or a bilingual pair) beside ``xml_path``.

    The XML and its fonts (or PNGs) are written as one unit (fsutil.write_files_atomic):
    all under temporary names, renamed when every one is complete.
    """
    xml_path = Path(xml_path)
    _check_rates(options)
    ordered = _order(tracks)
    events = plan_events(ordered, options.fade_ms)
    if not events:
        raise ScreenkitError("no cues to write", path=tracks[0].path if tracks else None)
    languages = [track.language for track in ordered]
    main = next((lang for lang in languages if lang and lang.is_cjk), languages[0])
    notes: list[str] = []
    parts, cjk_track = _font_parts(events, main, options, notes)
    wanted = _characters(events, parts, cjk_track)
    for index, (part, characters) in enumerate(zip(parts, wanted, strict=True)):
        part.subset = subset_font(part.face, frozenset(characters) | (_ALWAYS if index == 0 else frozenset()))
    _check_coverage(parts, wanted, events, ordered[0].path)
    header = DcpHeader(
        standard=options.standard, title=options.title, reel=options.reel, fps=options.fps,
        issue_date=_issue_date(options.issue_date),
    )
    result = DcpResult(xml_path, options.standard, "text", font_source=parts[0].face,
                       font_sources=[part.face for part in parts], events=len(events))
    result.notes.extend(notes)
    folder = xml_path.parent
    subsets = [part.subset for part in parts if part.subset is not None]
    font_bytes = sum(len(subset.data) for subset in subsets)
    if options.standard == INTEROP:
        header.language = _interop_language(languages)
        too_big = font_bytes > INTEROP_FONT_LIMIT
        if too_big and not options.images:
            raise ScreenkitError(
                f"the font subset for this track is {font_bytes:,} bytes, over Interop's 640 KiB "
                f"({INTEROP_FONT_LIMIT:,} bytes): write SMPTE subtitles (--to dcp-smpte, fonts up to 10 MB) "
                "or allow Interop image subtitles (drop --no-images)",
                path=tracks[0].path,
            )
        if too_big or options.force_images:
            return _write_interop_images(events, header, parts, cjk_track, xml_path, options, result)
        names = [safe_name(xml_path.stem) + (f".{index + 1}" if index else "") + subset.suffix
                 for index, subset in enumerate(subsets)]
        header.font_uri = names[0]
        if len(parts) == 2:
            header.script_font = ("Font2", names[1])
            header.script_font_cjk = bool(parts[1].cjk)
        xml = _validated(render_interop(events, header), xml_path)
        fonts = [(folder / name, subset.data) for name, subset in zip(names, subsets, strict=True)]
    else:
        header.language = ordered[0].language.tag if ordered[0].language else "en"
        subset = subsets[0] if len(subsets) == 1 else merged_font(subsets)
        font_bytes = len(subset.data)
        if font_bytes > SMPTE_FONT_LIMIT:
            raise ScreenkitError(f"the font subset is {font_bytes:,} bytes, over SMPTE's 10 MB", path=parts[0].face)
        font_uuid = stable_uuid("font", hashlib.sha256(subset.data).hexdigest())
        header.font_uri = f"urn:uuid:{font_uuid}"
        xml = _validated(render_smpte(events, header), xml_path)
        fonts = [(folder / f"{font_uuid}{subset.suffix}", subset.data)]
    write_files_atomic([(xml_path, xml), *fonts])
    result.files = [xml_path] + [path for path, _ in fonts]
    if options.standard != INTEROP:
        result.mxf = wrap_mxf(xml_path, result)
    result.font_bytes = font_bytes
    return result


def _write_interop_images(
    events: list[layout.DcpEvent], header: DcpHeader, parts: list[_FontPart], cjk_track: bool, xml_path: Path,
    options: DcpOptions, result: DcpResult,
) -> DcpResult:
    from toolkit.dcp.images import DCP_2K, render_events

    mark = None
    if len(parts) == 2:
        from toolkit.text.faces import mark_faces

        families = {part.cjk: part.subset.family for part in parts if part.subset is not None}

        def mark(line: str) -> str:
            return mark_faces(line, cjk_track, families[False], families[True])

    family = parts[0].subset.family if parts[0].subset is not None else ""
    images = render_events(events, [part.face for part in parts], family, ffmpeg=options.ffmpeg, mark=mark)
    width, height = DCP_2K
    placed: list[layout.DcpEvent] = []
    files: list[tuple[Path, bytes]] = []
    base = content_id(header, events)
    for number, (event, image) in enumerate(zip(events, images, strict=True), start=1):
        name = f"{stable_uuid(base, str(number))}.png"
        line = layout.PlacedLine("", "top", round(image.y / height * 100, 2), "left", round(image.x / width * 100, 2))
        placed.append(layout.DcpEvent(event.start, event.end, [line], event.fade_in, event.fade_out, image=name))
        files.append((xml_path.parent / name, image.png))
    header.font_uri = None
    header.script_font = None
    xml = _validated(render_interop(placed, header), xml_path)
    write_files_atomic([(xml_path, xml), *files])
    result.mode = "images"
    result.files = [xml_path] + [path for path, _ in files]
    result.notes.append(
        f"the characters used need a {len(files)}-image Interop file: the subset font would pass 640 KiB"
        if not options.force_images else f"{len(files)} image subtitles"
    )
    return result


def wrap_mxf(xml_path: Path, result: DcpResult) -> Path | None:
    """SMPTE: wrap the XML and its font into MXF (ST 429-5) with asdcplib's asdcp-wrap, if installed."""
    tool = shutil.which("asdcp-wrap")
    if tool is None:
        result.notes.append(
            "SMPTE subtitles go into the DCP as MXF (ST 429-5): install asdcplib's asdcp-wrap and run "
            f"'asdcp-wrap {xml_path.name} {xml_path.stem}.mxf' in {xml_path.parent}; XML and font are written"
        )
        return None
    target = xml_path.with_suffix(".mxf")
    temporary = target.with_name(f".{target.stem}.part.mxf")
    try:
        completed = subprocess.run(
            [tool, str(xml_path), str(temporary)], capture_output=True, text=True, timeout=300,
            stdin=subprocess.DEVNULL,
        )
        if completed.returncode != 0 or not temporary.is_file() or temporary.stat().st_size == 0:
            message = (completed.stderr or completed.stdout).strip().splitlines()
            raise ScreenkitError(f"asdcp-wrap failed: {message[-1] if message else 'no output'}", path=xml_path)
        temporary.replace(target)
    finally:
        temporary.unlink(missing_ok=True)
    result.files.append(target)
    return target


def copy_interop_images(source: Path, target: Path) -> list[Path]:
    """An Interop file of image subtitles written again at ``target`` with its PNGs beside it.

    The events, times and positions are the source's; each PNG named by an ``<Image>`` must lie
    beside the source XML. Returns the files written, the XML first.
    """
    from toolkit.dcp.xml import read_dcp_xml

    read = read_dcp_xml(source.read_bytes(), str(source))
    pngs: list[tuple[Path, Path]] = []
    for event in read.events:
        if not event.image:
            raise ScreenkitError("an Interop file mixing text and image subtitles is not copied", path=source,
                                 line=event.source_line)
        name = Path(event.image).name
        png = source.parent / name
        if name != event.image or not png.is_file():
            raise ScreenkitError(f"image subtitle {event.image!r} not found beside the XML", path=source,
                                 line=event.source_line)
        pngs.append((png, target.parent / name))
    xml = render_interop(read.events, read.header)
    target.parent.mkdir(parents=True, exist_ok=True)
    written = [target]
    files: list[tuple[Path, bytes]] = [(target, xml)]
    for png, copy in dict(pngs).items():
        if png.resolve() != copy.resolve():
            files.append((copy, png.read_bytes()))
        written.append(copy)
    write_files_atomic(files)  # the XML and its PNGs as one unit, as write_dcp does
    return written
