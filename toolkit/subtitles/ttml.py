"""TTML deliverables on ttconv: IMSC 1.1 Text Profile and EBU-TT-D.

Built on ``ttconv`` (PyPI, the converter the IMSC community maintains):
a Track becomes ttconv's content model (one ``p`` per cue, a region for
bottom and one for top cues, italic/bold/underline spans, ``br`` between
lines, the document language) and ttconv's IMSC writer writes it; reading
goes through ttconv's IMSC reader, which also reads EBU-TT-D.

ttconv has no EBU-TT-D writer (dcp-subtitles.md), so EBU-TT-D is the IMSC
tree made to follow EBU Tech 3380: ``ttp:timeBase="media"``, times as
``hh:mm:ss.sss``, no profile signalling, every style of content elements
moved into ``tt:styling`` and referenced by ``style=`` (EBU-TT-D allows no
inline ``tts:`` styling on ``body``/``div``/``p``/``span``), and the
``ebuttm:conformsToStandard`` metadata.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from fractions import Fraction

from toolkit.subtitles.model import Track

TT = "http://www.w3.org/ns/ttml"
TTS = "http://www.w3.org/ns/ttml#styling"
TTP = "http://www.w3.org/ns/ttml#parameter"
TTM = "http://www.w3.org/ns/ttml#metadata"
EBUTTM = "urn:ebu:tt:metadata"
EBUTTS = "urn:ebu:tt:style"
IMSC11_TEXT = "http://www.w3.org/ns/ttml/profile/imsc1.1/text"
EBU_TT_D_STANDARD = "urn:ebu:tt:distribution:2018-04"
_ITT = ("http://www.w3.org/ns/ttml/profile/imsc1#styling", "http://www.w3.org/ns/ttml/profile/imsc1#parameter")

# Where the two regions stand: the title-safe area (10 % margins, as ttconv's
# own SRT reader uses), text hanging from its top or standing on its bottom.
SAFE = 10
# What EBU-TT-D lets a region carry itself; any other style goes through style=.
_REGION_ATTRIBUTES = ("origin", "extent", "displayAlign", "padding", "writingMode", "showBackground", "overflow")


def _model(track: Track):  # -> ttconv.model.ContentDocument (ttconv is imported lazily)
    from ttconv import model
    from ttconv import style_properties as styles

    from toolkit.text.markup import xml_text
    from toolkit.text.runs import lines_to_runs

    doc = model.ContentDocument()
    doc.set_lang(track.language.tag if track.language else "")
    doc.set_cell_resolution(model.CellResolutionType(rows=15, columns=32))
    doc.set_content_profiles({IMSC11_TEXT})
    regions = {}
    for name, display in (("bottom", styles.DisplayAlignType.after), ("top", styles.DisplayAlignType.before)):
        region = model.Region(name, doc)
        region.set_style(styles.StyleProperties.Origin, styles.CoordinateType(
            x=styles.LengthType(SAFE, styles.LengthType.Units.pct),
            y=styles.LengthType(SAFE, styles.LengthType.Units.pct)))
        region.set_style(styles.StyleProperties.Extent, styles.ExtentType(
            height=styles.LengthType(100 - 2 * SAFE, styles.LengthType.Units.pct),
            width=styles.LengthType(100 - 2 * SAFE, styles.LengthType.Units.pct)))
        region.set_style(styles.StyleProperties.DisplayAlign, display)
        region.set_style(styles.StyleProperties.TextAlign, styles.TextAlignType.center)
        doc.put_region(region)
        regions[name] = region
    body = model.Body(doc)
    doc.set_body(body)
    div = model.Div(doc)
    body.push_child(div)
    for cue in sorted(track.cues, key=lambda c: (c.start, c.end)):
        p = model.P(doc)
        p.set_begin(Fraction(cue.start, 1000))
        p.set_end(Fraction(cue.end, 1000))
        p.set_region(regions["top" if cue.is_top else "bottom"])
        for index, runs in enumerate(lines_to_runs(cue.lines or [""])):
            if index:
                p.push_child(model.Br(doc))
            for text, style in runs:
                span = model.Span(doc)
                if style.italic:
                    span.set_style(styles.StyleProperties.FontStyle, styles.FontStyleType.italic)
                if style.bold:
                    span.set_style(styles.StyleProperties.FontWeight, styles.FontWeightType.bold)
                if style.underline:
                    span.set_style(styles.StyleProperties.TextDecoration,
                                   styles.TextDecorationType(underline=True))
                span.push_child(model.Text(doc, xml_text(text)))
                p.push_child(span)
        div.push_child(p)
    return doc


def _imsc_tree(track: Track, *, profile: bool) -> ET.Element:
    from ttconv.imsc import config as imsc_config
    from ttconv.imsc import writer
    from ttconv.imsc.attributes import TimeExpressionSyntaxEnum

    config = imsc_config.IMSCWriterConfiguration(
        time_format=TimeExpressionSyntaxEnum.clock_time,
        profile_signaling=imsc_config.ContentProfilesSignaling.CONTENT_PROFILES if profile
        else imsc_config.ContentProfilesSignaling.NONE,
    )
    tree = writer.from_model(_model(track), config)
    return tree.getroot() if hasattr(tree, "getroot") else tree


def _serialise(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    _unindent_paragraphs(root)
    _preserve_spaces(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _unindent_paragraphs(root: ET.Element) -> None:
    # Indentation inside <p> would be read as spaces around the lines.
    for p in root.iter(f"{{{TT}}}p"):
        for element in p.iter():
            if element is not p:
                if element.tail is not None and not element.tail.strip():
                    element.tail = None
                if element.text is not None and not element.text.strip() and len(element):
                    element.text = None
        if p.text is not None and not p.text.strip():
            p.text = None


_COLLAPSIBLE = re.compile(r"[ \t\r\n]{2,}|[\t\r\n]|^ | $")


def _preserve_spaces(root: ET.Element) -> None:
    """``xml:space="preserve"`` on a paragraph whose lines have white space that TTML's default
    handling would collapse or trim (leading spaces, runs of spaces), so the text reads back."""
    for p in root.iter(f"{{{TT}}}p"):
        lines = [""]
        for element in p.iter():
            if element.tag == f"{{{TT}}}br":
                lines.append("")
            elif element is not p and element.text:
                lines[-1] += element.text
            if element is not p and element.tail:
                lines[-1] += element.tail
        if p.text:
            lines[0] = p.text + lines[0]
        if any(_COLLAPSIBLE.search(line) for line in lines):
            p.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def write_imsc(track: Track) -> str:
    """IMSC 1.1 Text Profile document (``ttp:contentProfiles`` signals it)."""
    root = _imsc_tree(track, profile=True)
    return _serialise(root)


def _media_time(value: str) -> str:
    """ttconv's clock times (``00:00:01.5``) as EBU-TT-D wants them: ``00:00:01.500``."""
    match = re.fullmatch(r"(\d+):(\d\d):(\d\d)(?:\.(\d+))?", value)
    if not match:
        return value
    hours, minutes, seconds, fraction = match.groups()
    return f"{int(hours):02d}:{minutes}:{seconds}.{(fraction or '0')[:3].ljust(3, '0')}"


def write_ebu_tt_d(track: Track) -> str:
    """EBU-TT-D (EBU Tech 3380) from ttconv's IMSC tree."""
    ET.register_namespace("ebuttm", EBUTTM)
    ET.register_namespace("ebutts", EBUTTS)
    ET.register_namespace("tt", TT)
    root = _imsc_tree(track, profile=False)
    for attribute in list(root.attrib):
        if attribute.startswith(f"{{{TTP}}}") or any(attribute.startswith(f"{{{ns}}}") for ns in _ITT):
            del root.attrib[attribute]
    root.set(f"{{{TTP}}}timeBase", "media")
    root.set(f"{{{TTP}}}cellResolution", "32 15")
    head = root.find(f"{{{TT}}}head")
    if head is None:
        head = ET.Element(f"{{{TT}}}head")
        root.insert(0, head)
    metadata = ET.Element(f"{{{TT}}}metadata")
    document = ET.SubElement(metadata, f"{{{EBUTTM}}}documentMetadata")
    ET.SubElement(document, f"{{{EBUTTM}}}conformsToStandard").text = EBU_TT_D_STANDARD
    head.insert(0, metadata)
    styling = head.find(f"{{{TT}}}styling")
    if styling is None:
        styling = ET.Element(f"{{{TT}}}styling")
        head.insert(1, styling)
    layout = head.find(f"{{{TT}}}layout")
    if layout is not None:  # EBU-TT-D: styling before layout
        head.remove(layout)
        head.append(layout)
    styles: dict[tuple[tuple[str, str], ...], str] = {}
    for element in root.iter():
        if element.tag in (f"{{{TT}}}style", f"{{{TT}}}tt"):
            continue
        movable = _REGION_ATTRIBUTES if element.tag == f"{{{TT}}}region" else ()
        inline = tuple(sorted(
            (k, v) for k, v in element.attrib.items()
            if k.startswith(f"{{{TTS}}}") and k.rsplit("}", 1)[1] not in movable
        ))
        for key in [k for k in element.attrib if any(k.startswith(f"{{{ns}}}") for ns in _ITT)]:
            del element.attrib[key]
        for key in ("begin", "end"):
            if key in element.attrib:
                element.set(key, _media_time(element.attrib[key]))
        if not inline:
            continue
        for key, _ in inline:
            del element.attrib[key]
        if inline not in styles:
            styles[inline] = f"s{len(styles) + 1}"
            style = ET.SubElement(styling, f"{{{TT}}}style", {"{http://www.w3.org/XML/1998/namespace}id": styles[inline]})
            for key, value in inline:
                style.set(key, value)
        element.set("style", styles[inline])
    if not len(styling):
        ET.SubElement(styling, f"{{{TT}}}style", {"{http://www.w3.org/XML/1998/namespace}id": "s0"})
    return _serialise(root)


# ---------------------------------------------------------------- reading


def read_ttml(data: bytes, path: str | None = None) -> Track:
    """IMSC / TTML / EBU-TT-D → a Track of what an IMSC renderer shows (``ttml_read``)."""
    from toolkit.subtitles.ttml_read import read_ttml_isd

    return read_ttml_isd(data, path)
