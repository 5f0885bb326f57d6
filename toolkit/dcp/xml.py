"""DCP subtitle XML: Interop (TI CineCanvas ``DCSubtitle``) and SMPTE ST 428-7-2014.

Writers take positioned events (events.py) and return the XML bytes; readers
take the bytes and return the events and the header. The differences that
matter (../shared/reference/dcp-subtitles.md): Interop counts time in 4 ms
ticks and spells ``VAlign``; SMPTE counts edit units, spells ``Valign`` and
lives in a namespace. Times are written to the format's precision: a 4 ms
tick, one edit unit.
"""

from __future__ import annotations

import hashlib
import math
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from toolkit.dcp.events import FONT_SIZE, DcpEvent, PlacedLine
from toolkit.errors import ScreenkitError
from toolkit.text.markup import xml_text
from toolkit.text.runs import Style, lines_to_runs, runs_to_line
from toolkit.xmlsafe import check_lxml

if TYPE_CHECKING:
    from lxml.etree import _Element

INTEROP = "interop"
SMPTE = "smpte"
STANDARDS = (INTEROP, SMPTE)

SMPTE_NS = "http://www.smpte-ra.org/schemas/428-7/2014/DCST"
SMPTE_NAMESPACES = (
    "http://www.smpte-ra.org/schemas/428-7/2007/DCST",
    "http://www.smpte-ra.org/schemas/428-7/2010/DCST",
    SMPTE_NS,
)
TICK_MS = 4  # Interop: 250 ticks a second
# The frame rates asdcp-wrap accepts as an EditRate (dcp-subtitles.md).
SMPTE_RATES = (
    Fraction(24000, 1001), Fraction(24), Fraction(25), Fraction(30), Fraction(48),
    Fraction(50), Fraction(60), Fraction(96), Fraction(100), Fraction(120), Fraction(240),
)
_NAMESPACE = uuid.UUID("6f1c3a52-1b8e-4d0e-9a4e-5c6b7d8e9f10")  # screenkit's, for stable ids


@dataclass
class DcpHeader:
    standard: str
    title: str = "Untitled"
    reel: int = 1
    language: str = "en"  # Interop: an English name ("French"); SMPTE: RFC 5646 ("fr")
    fps: Fraction = Fraction(24)  # SMPTE EditRate; Interop has none (used by the checks)
    font_id: str = "Font1"
    font_uri: str | None = None  # Interop: file name; SMPTE: urn:uuid of the font
    # Interop: a second LoadFont (id, file name) for the runs of the other script
    # (a French line naming 花样年华), and whether that font is the CJK one.
    script_font: tuple[str, str] | None = None
    script_font_cjk: bool = True
    font_size: int = FONT_SIZE
    color: str = "FFFFFFFF"  # AARRGGBB
    effect: str = "border"
    effect_color: str = "FF000000"
    issue_date: str = "2000-01-01T00:00:00+00:00"
    subtitle_id: str | None = None  # bare UUID; derived from the content when None
    start_time: int = 0  # SMPTE StartTime, ms
    source_lines: dict[str, int] = field(default_factory=dict)  # element -> line, when read

    @property
    def timecode_rate(self) -> int:
        return round(self.fps)


def stable_uuid(*parts: str) -> str:
    """A UUID derived from the content, so the same input gives the same file on every machine."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return str(uuid.uuid5(_NAMESPACE, digest))


def content_id(header: DcpHeader, events: list[DcpEvent]) -> str:
    body = "\x1e".join(
        f"{e.start},{e.end},{e.image or ''}," + "|".join(
            f"{line.text}@{line.valign}{line.vposition}" for line in e.lines
        )
        for e in events
    )
    return stable_uuid(header.standard, header.title, str(header.reel), header.language, body)


# ---------------------------------------------------------------- times


DAY_MS = 24 * 3_600_000


def _check_day(ms: int) -> None:
    if ms >= DAY_MS:
        raise ScreenkitError(f"DCP subtitle times stop before 24:00:00 (a cue is at {ms // 3_600_000} h)")


def interop_time(ms: int) -> str:
    _check_day(ms)
    ticks = round(max(ms, 0) / TICK_MS)
    seconds, tick = divmod(ticks, 1000 // TICK_MS)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours:02d}:{minute:02d}:{second:02d}:{tick:03d}"


def interop_fade(ms: int) -> str:
    ticks = round(max(ms, 0) / TICK_MS)
    return str(ticks) if ticks < 1000 // TICK_MS else interop_time(ms)


_INTEROP_TICKS = re.compile(r"^(\d{2}):(\d{2}):(\d{2}):(\d{1,3})$")
_INTEROP_FRACTION = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{1,3})$")
_SMPTE_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2}):(\d+)$")


def _clock_ok(value: str, minutes: int, seconds: int) -> None:
    if minutes > 59 or seconds > 59:
        raise ValueError(f"bad time {value!r} (minutes and seconds go to 59)")


def parse_interop_time(value: str, *, fade: bool = False) -> int:
    value = value.strip()
    if fade and value.isascii() and value.isdigit():  # a fade given in ticks
        return int(value) * TICK_MS
    match = _INTEROP_TICKS.match(value)
    if match:
        h, m, s, t = (int(g) for g in match.groups())
        _clock_ok(value, m, s)
        if t >= 1000 // TICK_MS:
            raise ValueError(f"bad Interop time {value!r} (ticks go to 249)")
        return ((h * 60 + m) * 60 + s) * 1000 + t * TICK_MS
    match = _INTEROP_FRACTION.match(value)
    if match:
        h, m, s = (int(g) for g in match.groups()[:3])
        _clock_ok(value, m, s)
        return ((h * 60 + m) * 60 + s) * 1000 + int(match.group(4).ljust(3, "0"))
    raise ValueError(f"bad Interop time {value!r} (expected HH:MM:SS:TTT)")


def smpte_frames(ms: int, fps: Fraction) -> int:
    return round(Fraction(max(ms, 0)) * fps / 1000)


def smpte_time(ms: int, fps: Fraction) -> str:
    _check_day(ms)
    rate = round(fps)
    frames = smpte_frames(ms, fps)
    seconds, frame = divmod(frames, rate)
    minutes, second = divmod(seconds, 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours:02d}:{minute:02d}:{second:02d}:{frame:02d}"


def parse_smpte_time(value: str, fps: Fraction) -> int:
    match = _SMPTE_TIME.match(value.strip())
    if not match:
        raise ValueError(f"bad SMPTE time {value!r} (expected HH:MM:SS:EE)")
    h, m, s, e = (int(g) for g in match.groups())
    _clock_ok(value, m, s)
    rate = round(fps)
    if e >= rate:
        raise ValueError(f"bad SMPTE time {value!r} (edit units go to {rate - 1})")
    frames = ((h * 60 + m) * 60 + s) * rate + e
    return round(Fraction(frames * 1000) / fps)


# ---------------------------------------------------------------- writing


def _font_attributes(style: Style, smpte: bool) -> dict[str, str]:
    attributes: dict[str, str] = {}
    if style.italic:
        attributes["Italic"] = "yes"
    if style.bold:
        attributes["Weight"] = "bold"
    if style.underline:
        attributes["Underline" if smpte else "Underlined"] = "yes"
    if style.color:
        attributes["Color"] = "FF" + style.color.upper()
    if style.font:
        attributes["ID" if smpte else "Id"] = style.font
    return attributes


def _text_element(parent: ET.Element, line: PlacedLine, runs: list[tuple[str, Style]], smpte: bool) -> None:
    if smpte:
        attributes = {"Valign": line.valign, "Vposition": f"{line.vposition:.2f}"}
        if line.halign != "center":
            attributes["Halign"] = line.halign
            attributes["Hposition"] = f"{line.hposition:.2f}"
        attributes["Direction"] = "ltr"
    else:
        attributes = {"HAlign": line.halign, "HPosition": f"{line.hposition:.2f}",
                      "VAlign": line.valign, "VPosition": f"{line.vposition:.2f}",
                      "Direction": "horizontal"}
    text = ET.SubElement(parent, "Text", attributes)
    last: ET.Element | None = None
    for raw, style in runs:
        content = xml_text(raw)
        font_attributes = _font_attributes(style, smpte)
        if not font_attributes:
            if last is None:
                text.text = (text.text or "") + content
            else:
                last.tail = (last.tail or "") + content
            continue
        last = ET.SubElement(text, "Font", font_attributes)
        last.text = content


def _event_runs(event: DcpEvent, header: DcpHeader | None = None) -> list[list[tuple[str, Style]]]:
    lines = lines_to_runs([line.text for line in event.lines])
    if header is None or header.script_font is None:
        return lines
    from dataclasses import replace

    from toolkit.text.faces import script_runs

    font_id, cjk = header.script_font[0], header.script_font_cjk
    split: list[list[tuple[str, Style]]] = []
    for runs in lines:
        pieces: list[tuple[str, Style]] = []
        for text, style in runs:
            for piece, in_cjk in script_runs(text, not cjk):
                pieces.append((piece, replace(style, font=font_id) if in_cjk == cjk else style))
        split.append(pieces)
    return split


def _indent(element: ET.Element, level: int = 0) -> None:
    """Pretty-print structure only: the inside of ``<Text>`` is content, whitespace included."""
    children = list(element)
    if not children or element.tag.rsplit("}", 1)[-1] == "Text":
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in children:
        _indent(child, level + 1)
        child.tail = pad
    children[-1].tail = "\n" + "  " * level


def _serialise(root: ET.Element) -> bytes:
    _indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def render_interop(events: list[DcpEvent], header: DcpHeader) -> bytes:
    root = ET.Element("DCSubtitle", {"Version": "1.0"})
    ET.SubElement(root, "SubtitleID").text = header.subtitle_id or content_id(header, events)
    ET.SubElement(root, "MovieTitle").text = xml_text(header.title)
    ET.SubElement(root, "ReelNumber").text = str(header.reel)
    ET.SubElement(root, "Language").text = header.language
    images = any(event.image for event in events)
    if header.font_uri:
        ET.SubElement(root, "LoadFont", {"Id": header.font_id, "URI": header.font_uri})
    if header.script_font:
        ET.SubElement(root, "LoadFont", {"Id": header.script_font[0], "URI": header.script_font[1]})
    container = root
    if not images:
        container = ET.SubElement(root, "Font", {
            "Id": header.font_id, "Color": header.color, "Effect": header.effect,
            "EffectColor": header.effect_color, "Italic": "no", "Weight": "normal",
            "Underlined": "no", "Size": str(header.font_size), "Script": "normal",
        })
    for number, event in enumerate(events, start=1):
        subtitle = ET.SubElement(container, "Subtitle", {
            "SpotNumber": str(number), "TimeIn": interop_time(event.start),
            "TimeOut": interop_time(event.end), "FadeUpTime": interop_fade(event.fade_in),
            "FadeDownTime": interop_fade(event.fade_out),
        })
        if event.image:
            line = event.lines[0]
            ET.SubElement(subtitle, "Image", {
                "HAlign": line.halign, "HPosition": f"{line.hposition:.2f}",
                "VAlign": line.valign, "VPosition": f"{line.vposition:.2f}",
            }).text = event.image
            continue
        for line, runs in zip(event.lines, _event_runs(event, header), strict=True):
            _text_element(subtitle, line, runs, smpte=False)
    return _serialise(root)


def render_smpte(events: list[DcpEvent], header: DcpHeader) -> bytes:
    ET.register_namespace("", SMPTE_NS)

    def q(name: str) -> str:
        return f"{{{SMPTE_NS}}}{name}"

    root = ET.Element(q("SubtitleReel"))
    ET.SubElement(root, q("Id")).text = "urn:uuid:" + (header.subtitle_id or content_id(header, events))
    ET.SubElement(root, q("ContentTitleText")).text = xml_text(header.title)
    ET.SubElement(root, q("IssueDate")).text = header.issue_date
    ET.SubElement(root, q("ReelNumber")).text = str(header.reel)
    ET.SubElement(root, q("Language")).text = header.language
    fps = header.fps
    ET.SubElement(root, q("EditRate")).text = f"{fps.numerator} {fps.denominator}"
    ET.SubElement(root, q("TimeCodeRate")).text = str(header.timecode_rate)
    ET.SubElement(root, q("StartTime")).text = smpte_time(header.start_time, fps)
    if header.font_uri:
        ET.SubElement(root, q("LoadFont"), {"ID": header.font_id}).text = header.font_uri
    subtitle_list = ET.SubElement(root, q("SubtitleList"))
    font = ET.SubElement(subtitle_list, q("Font"), {
        "ID": header.font_id, "Color": header.color, "Effect": header.effect,
        "EffectColor": header.effect_color, "Italic": "no", "Weight": "normal",
        "Underline": "no", "Size": str(header.font_size), "Script": "normal",
    })
    for number, event in enumerate(events, start=1):
        subtitle = ET.SubElement(font, q("Subtitle"), {
            "SpotNumber": str(number),
            "TimeIn": smpte_time(event.start + header.start_time, fps),
            "TimeOut": smpte_time(event.end + header.start_time, fps),
            "FadeUpTime": smpte_time(event.fade_in, fps),
            "FadeDownTime": smpte_time(event.fade_out, fps),
        })
        for line, runs in zip(event.lines, _event_runs(event), strict=True):
            _text_element(subtitle, line, runs, smpte=True)
    return _serialise(root)


# ---------------------------------------------------------------- reading


@dataclass
class ReadSubtitles:
    header: DcpHeader
    events: list[DcpEvent]
    fonts: list[tuple[str, str, int]]  # (id, uri, line) of each LoadFont
    font_ids_used: list[tuple[str, int]]  # (id, line) of each Font that names one


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _style_from(element: _Element, inherited: Style, smpte: bool) -> Style:
    get = element.get
    italic = get("Italic")
    weight = get("Weight")
    underline = get("Underline" if smpte else "Underlined")
    colour = get("Color")
    return Style(
        italic=inherited.italic if italic is None else italic == "yes",
        bold=inherited.bold if weight is None else weight == "bold",
        underline=inherited.underline if underline is None else underline == "yes",
        color=inherited.color if colour is None or len(colour) != 8 or colour.upper() == "FFFFFFFF"
        else colour[2:].lower(),
    )


def ruby_text(ruby: _Element) -> str:
    """SMPTE ``<Ruby><Rb>base</Rb><Rt>annotation</Rt></Ruby>`` as ``base(annotation)``: the
    annotation kept where text formats have no ruby, marked off from the base it reads."""
    base = "".join("".join(child.itertext()) for child in ruby if _local(child.tag) == "Rb")
    notes = "".join("".join(child.itertext()) for child in ruby if _local(child.tag) == "Rt")
    if not base and not notes:
        return "".join(ruby.itertext())
    return f"{base}({notes})" if notes else base


def _text_runs(element: _Element, style: Style, smpte: bool) -> list[tuple[str, Style]]:
    runs: list[tuple[str, Style]] = []
    if element.text:
        runs.append((element.text, style))
    for child in element:
        name = _local(child.tag)
        if name == "Font":
            runs.extend(_text_runs(child, _style_from(child, style, smpte), smpte))
        elif name == "Space":
            runs.append((" ", style))
        elif name == "Ruby":
            runs.append((ruby_text(child), style))
        elif name in ("HGroup", "Rotate"):
            runs.append((child.text or "", style))
        if child.tail:
            runs.append((child.tail, style))
    return runs


def _decimal(value: str | None, default: float = 0.0) -> float:
    """A position in per cent; what is not a finite number (``nan``, ``1e400``) is the default."""
    try:
        number = float(value) if value is not None else default
    except ValueError:
        return default
    return number if math.isfinite(number) else default


def read_dcp_xml(data: bytes, path: str | None = None) -> ReadSubtitles:
    """Parse Interop or SMPTE subtitle XML; ScreenkitError with file and line on bad input."""
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (None, None)
        raise ScreenkitError(f"not well-formed XML: {error.msg}", path=path, line=line, column=column) from None
    check_lxml(root, path)  # no entities, bounded depth (toolkit.xmlsafe)
    name = _local(root.tag)
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if name == "DCSubtitle" and not namespace:
        smpte = False
    elif name == "SubtitleReel" and namespace in SMPTE_NAMESPACES:
        smpte = True
    else:
        raise ScreenkitError(
            f"not DCP subtitles: root element <{name}> (expected DCSubtitle or SubtitleReel)",
            path=path, line=root.sourceline,
        )

    def child_text(tag: str) -> tuple[str | None, int | None]:
        for child in root:
            if _local(child.tag) == tag:
                return (child.text or "").strip(), child.sourceline
        return None, None

    header = DcpHeader(standard=SMPTE if smpte else INTEROP)
    for tag, attribute in (("MovieTitle", "title"), ("ContentTitleText", "title"), ("Language", "language")):
        value, line = child_text(tag)
        if value is not None:
            setattr(header, attribute, value)
            header.source_lines[tag] = line or 0
    reel, reel_line = child_text("ReelNumber")
    if reel is not None:
        header.source_lines["ReelNumber"] = reel_line or 0
        # "²".isdigit() too; int() refuses 4,300 digits
        header.reel = int(reel) if reel.isascii() and reel.isdigit() and len(reel) <= 9 else 0
    identifier, _ = child_text("Id" if smpte else "SubtitleID")
    header.subtitle_id = (identifier or "").removeprefix("urn:uuid:") or None
    issue, _ = child_text("IssueDate")
    header.issue_date = issue or ""
    if smpte:
        rate, rate_line = child_text("EditRate")
        try:
            numerator, denominator = (int(p) for p in (rate or "24 1").split())
            header.fps = Fraction(numerator, denominator)
        except (ValueError, ZeroDivisionError):
            raise ScreenkitError(f"bad EditRate {rate!r}", path=path, line=rate_line) from None
        start, start_line = child_text("StartTime")
        if start is not None:
            header.source_lines["StartTime"] = start_line or 0
            try:
                header.start_time = parse_smpte_time(start, header.fps)
            except ValueError as error:
                raise ScreenkitError(str(error), path=path, line=start_line) from None

    fonts: list[tuple[str, str, int]] = []
    used: list[tuple[str, int]] = []
    for element in root.iter():
        if _local(element.tag) == "LoadFont":
            font_id = element.get("ID" if smpte else "Id") or ""
            uri = (element.text or "").strip() if smpte else element.get("URI") or ""
            fonts.append((font_id, uri, element.sourceline or 0))
        elif _local(element.tag) == "Font":
            font_id = element.get("ID" if smpte else "Id")
            if font_id:
                used.append((font_id, element.sourceline or 0))
    if fonts:
        header.font_id, header.font_uri = fonts[0][0], fonts[0][1]

    events: list[DcpEvent] = []

    def walk(element: _Element, style: Style) -> None:
        for child in element:
            tag = _local(child.tag)
            if tag == "Font":
                walk(child, _style_from(child, style, smpte))
            elif tag == "Subtitle":
                events.append(_event(child, style))

    def times(element: _Element, attribute: str, default: int | None = None) -> int:
        value = element.get(attribute)
        if value is None:
            if default is None:
                raise ScreenkitError(f"<Subtitle> without {attribute}", path=path,
                                     line=element.sourceline)
            return default
        try:
            if smpte:
                return parse_smpte_time(value, header.fps)
            return parse_interop_time(value, fade=attribute.startswith("Fade"))
        except ValueError as error:
            raise ScreenkitError(str(error), path=path, line=element.sourceline) from None

    valign_key, vpos_key, halign_key, hpos_key = (
        ("Valign", "Vposition", "Halign", "Hposition") if smpte
        else ("VAlign", "VPosition", "HAlign", "HPosition")
    )

    def _event(element: _Element, style: Style) -> DcpEvent:
        offset = header.start_time if smpte else 0
        # Interop's schema default for fades is 20 ticks (80 ms).
        default_fade = 0 if smpte else 20 * TICK_MS
        event = DcpEvent(
            times(element, "TimeIn") - offset,
            times(element, "TimeOut") - offset,
            fade_in=times(element, "FadeUpTime", default_fade),
            fade_out=times(element, "FadeDownTime", default_fade),
            source_line=element.sourceline,
        )

        def collect(node: _Element, node_style: Style) -> None:
            for child in node:
                tag = _local(child.tag)
                if tag == "Font":
                    collect(child, _style_from(child, node_style, smpte))
                elif tag in ("Text", "Image"):
                    placed = PlacedLine(
                        "",
                        child.get(valign_key, "center"),
                        _decimal(child.get(vpos_key)),
                        child.get(halign_key, "center"),
                        _decimal(child.get(hpos_key)),
                    )
                    if tag == "Image":
                        event.image = (child.text or "").strip()
                        event.lines.append(placed)
                        continue
                    runs = _text_runs(child, node_style, smpte)
                    event.lines.append(PlacedLine(runs_to_line(runs), placed.valign, placed.vposition,
                                                  placed.halign, placed.hposition))

        collect(element, style)
        return event

    walk(root if not smpte else _subtitle_list(root), Style())
    return ReadSubtitles(header, events, fonts, used)


def _subtitle_list(root: _Element) -> _Element:
    for child in root:
        if _local(child.tag) == "SubtitleList":
            return child
    return root
