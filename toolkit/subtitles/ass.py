"""ASS/SSA through pysubs2, with the canonical markup of model.py."""

from __future__ import annotations

import re
import warnings

import pysubs2

from toolkit.errors import ScreenkitError
from toolkit.subtitles.comments import comment_block, comment_fields
from toolkit.subtitles.model import Cue, ReadWarning, Track
from toolkit.text.markup import (
    SCRIPT_FACES,
    ass_to_canonical,
    canonical_to_ass,
    unescape_ass_text,
)

_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
# Events are Dialogue and Comment lines, in file order (pysubs2 keeps both).
_DIALOGUE = re.compile(r"^\s*(?:Dialogue|Comment)\s*:", re.IGNORECASE)
# What makes text a script at all (headerless ones have Style: and Dialogue: lines only).
_SECTION = re.compile(
    r"^\s*(?:\[(?:Script Info|V4\+? Styles|Events)\]|(?:Style|Dialogue|Comment)\s*:)", re.IGNORECASE | re.MULTILINE
)


# pysubs2 tests every line against a section-heading pattern that backtracks
# quadratically on a long line starting with "[" (200 KB: 15 s). Real headings
# ("[V4+ Styles]", "[Aegisub Project Garbage]") are short; longer ones are refused here.
MAX_HEADING_CHARS = 256


def parse_ass(text: str, path: str | None = None, fmt: str = "ass") -> Track:
    # pysubs2 splits on LF only: a CR-only file would read as one line.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    long_lines = max(map(len, lines)) > MAX_HEADING_CHARS  # measured in C; the usual case
    for number, line in enumerate(lines if long_lines else (), start=1):
        if len(line) > MAX_HEADING_CHARS and "[" in line.strip()[:4]:
            raise ScreenkitError(
                f"a line starting with '[' of {len(line)} characters: not a section heading "
                f"(those are at most {MAX_HEADING_CHARS})",
                path=path, line=number, column=1,
            )
    if not _SECTION.search(text):
        first = next((i for i, line in enumerate(lines, start=1) if line.strip()), 1)
        raise ScreenkitError(
            f"not an {fmt.upper()} script: no [Script Info], [V4+ Styles] or [Events] section, no events", path=path, line=first
        )
    dialogue_rows = [number for number, line in enumerate(lines, start=1) if _DIALOGUE.match(line)]
    try:
        with warnings.catch_warnings():
            # pysubs2 warns on stderr for each field it defaults ("Failed to parse
            # layer"); the file still reads, and the CLI prints one line or none.
            warnings.simplefilter("ignore")
            subs = pysubs2.SSAFile.from_string(text, format_="ssa" if fmt == "ssa" else "ass")
    except Exception as error:  # pysubs2 raises plain exceptions of several kinds
        line = _line_of(error, lines)
        raise ScreenkitError(f"cannot parse {fmt.upper()}: {error}", path=path, line=line) from None
    cues: list[Cue] = []
    repaired: list[ReadWarning] = []
    comments: list[pysubs2.SSAEvent] = []  # Comment: events waiting for the next dialogue event
    events = list(subs.events)
    for number, event in enumerate(events):
        if event.is_comment:
            comments.append(event)
            continue
        row = dialogue_rows[number] if number < len(dialogue_rows) else None
        if event.end < event.start:
            raise ScreenkitError("event ends before it starts", path=path, line=row)
        if event.start < 0:
            if event.end <= 0:
                repaired.append(ReadWarning(row, "event ends before 0:00:00.00: dropped", "dropped-negative"))
                continue
            repaired.append(ReadWarning(row, "negative start time clamped to 0:00:00.00", "negative-time"))
            event.start = 0
        body, alignment = ass_to_canonical(event.text)
        body = [unescape_ass_text(line) for line in body]
        # An event naming a style the script lacks is drawn in Default (libass, VSFilter).
        style = subs.styles.get(event.style) or subs.styles.get("Default")
        if alignment is None and style is not None and int(style.alignment) != 2:
            alignment = int(style.alignment)
        cues.append(
            Cue(
                int(event.start),
                int(event.end),
                body,
                alignment=alignment,
                source_line=row,
                style=event.style,
                actor=event.name or None,
                layer=int(event.layer or 0),
                before=tuple(_comment_block(comment, int(event.start)) for comment in comments),
                ass_fields=_event_fields(event),
            )
        )
        comments = []
    # A script with fonts and styles and no events is an empty track (pysubs2 and players load
    # it); what is not a script at all pysubs2 refuses above.
    anchor = cues[-1].start if cues else 0
    after = [_comment_block(comment, anchor) for comment in comments]  # relative to the last event
    return Track(cues=cues, format=fmt, ass_header=subs, warnings=repaired, after=after)


_EXTRA_FIELDS = ("marginl", "marginr", "marginv", "effect", "marked")


def _comment_block(event: pysubs2.SSAEvent, anchor_ms: int) -> str:
    return comment_block(event.as_dict(), int(event.start), int(event.end), anchor_ms)


def _comment_event(block: str, anchor_ms: int) -> pysubs2.SSAEvent | None:
    """The Comment: event a block holds; None for a block of another kind."""
    fields = comment_fields(block, anchor_ms)
    return None if fields is None else pysubs2.SSAEvent(**{**fields, "type": "Comment"})


def _event_fields(event: pysubs2.SSAEvent) -> dict[str, int | str | bool] | None:
    """Margins, effect and SSA's Marked where they are not the defaults (kept for ASS → ASS)."""
    fields = {name: getattr(event, name) for name in _EXTRA_FIELDS if getattr(event, name)}
    return fields or None


def _line_of(error: Exception, lines: list[str]) -> int | None:
    message = str(error)
    for number, line in enumerate(lines, start=1):
        if line.strip() and line.strip()[:30] in message:
            return number
    return None


SCREEN_SIZE = (1920, 1080)  # PlayRes of a track written without a video to size it for


def screening_header(width: int, height: int, language: object = None) -> pysubs2.SSAFile:
    """A script header for the screen: PlayRes the video's size, the burn layout's Default style.

    Font size relative to the height (the burn's visual height), margins inside
    the title-safe area, outline and shadow, and the face of the track's script
    (Noto Sans for Latin-script languages, Noto Sans CJK SC/TC/HK for Chinese;
    a line of the other script switches face with ``\\fn``, see write_ass), so a
    converted track looks in a player as it would burned, instead of pysubs2's
    Arial 20 with MarginV 10 and no PlayRes.
    """
    from toolkit.subtitles.screen import DEFAULT_FACE, LATIN_FACE_METRICS, TrackFace, make_layout
    from toolkit.text.faces import primary_face

    is_cjk = bool(getattr(language, "is_cjk", False))
    metrics = DEFAULT_FACE.metrics if is_cjk else LATIN_FACE_METRICS
    layout = make_layout(width, height, primary_face(language), None,  # type: ignore[arg-type]
                         faces=[TrackFace(metrics, is_cjk)])
    spec = layout.primary
    header = pysubs2.SSAFile()
    header.info.update({"PlayResX": str(width), "PlayResY": str(height), "WrapStyle": "0",
                        "ScaledBorderAndShadow": "yes"})
    header.styles = {"Default": pysubs2.SSAStyle(
        fontname=spec.family, fontsize=spec.size, outline=spec.outline, shadow=spec.shadow,
        marginl=spec.margin_h, marginr=spec.margin_h, marginv=spec.margin_v,
        primarycolor=pysubs2.Color(255, 255, 255, 0), outlinecolor=pysubs2.Color(0, 0, 0, 0),
        backcolor=pysubs2.Color(0, 0, 0, 128), alignment=pysubs2.Alignment.BOTTOM_CENTER,
    )}
    return header


def _bottom_over_style(text: str, alignment: int | None, style: pysubs2.SSAStyle | None) -> str:
    """A bottom-centre cue in a style placed elsewhere says so ({\\an2}, which the canonical
    markup leaves out as the default): else it would read back where its style puts it."""
    if alignment == 2 and style is not None and int(style.alignment) != 2:
        return "{\\an2}" + text
    return text


def write_ass(track: Track, fmt: str = "ass") -> str:
    header = track.ass_header if isinstance(track.ass_header, pysubs2.SSAFile) else None
    if header is None:
        header = screening_header(*SCREEN_SIZE, track.language)
    subs = pysubs2.SSAFile()
    subs.info.update(header.info)
    subs.styles = {name: style.copy() for name, style in header.styles.items()}
    # Sections a player does not need but an editor wrote (Aegisub's project state, embedded
    # fonts and pictures) are kept as read.
    subs.aegisub_project = dict(header.aegisub_project)
    subs.fonts_opaque = dict(header.fonts_opaque)
    subs.graphics_opaque = dict(header.graphics_opaque)
    # The header must say the version the body is written in ([V4 Styles] is v4.00).
    subs.info["ScriptType"] = "v4.00" if fmt == "ssa" else "v4.00+"
    # Text read from ASS keeps its ASS syntax as written; any other text is characters.
    escape = track.format not in ("ass", "ssa")
    for cue in track.cues:
        for block in cue.before:
            comment = _comment_event(block, cue.start)
            if comment is not None:
                subs.events.append(comment)
        style_name = cue.style if cue.style and cue.style in subs.styles else "Default"
        style = subs.styles.get(style_name)
        alignment = cue.alignment
        if style is not None and alignment == int(style.alignment):
            alignment = None  # the style already says so
        # Control characters show in no player, and an ASS file holding them reads as binary.
        lines = [_CONTROLS.sub("", line) for line in cue.lines] if _CONTROLS.search(cue.text) else cue.lines
        if style is not None and style.fontname in SCRIPT_FACES:
            lines = _script_switches(lines, style.fontname, track.language)
        subs.events.append(
            pysubs2.SSAEvent(
                start=cue.start,
                end=cue.end,
                text=_bottom_over_style(canonical_to_ass(lines, alignment, escape=escape), alignment, style),
                style=style_name,
                name=cue.actor or "",
                layer=cue.layer,
                **(cue.ass_fields or {}),  # type: ignore[arg-type]
            )
        )
    last_start = track.cues[-1].start if track.cues else 0
    for block in track.after:
        comment = _comment_event(block, last_start)
        if comment is not None:
            subs.events.append(comment)
    return subs.to_string("ssa" if fmt == "ssa" else "ass")


def _script_switches(lines: list[str], style_face: str, language: object) -> list[str]:
    """A style in one of the script faces: runs of the other script switch face (``\\fn``)."""
    from toolkit.text.faces import LATIN_FACE, mark_faces, wanted_face

    cjk_track = style_face != LATIN_FACE
    cjk = style_face if cjk_track else wanted_face(language)  # type: ignore[arg-type]
    return [mark_faces(line, cjk_track, LATIN_FACE, cjk) for line in lines]
