"""Reading TTML / IMSC / EBU-TT-D by the intermediate synchronic document (ISD) model.

What an IMSC renderer shows (imscJS, ttconv's ISD) is a sequence of timed
snapshots: at each instant where anything in the document changes, the
content that is active, displayed and visible in each active region. This
reader computes the same thing and turns each paragraph's stretch of
unchanging visible text into a cue:

- timing as TTML resolves it (imscJS's ``resolveTiming``): ``begin``/``end``/
  ``dur`` on any element, offsets from the parent (``par``, the default) or
  from the previous sibling's end (``seq``); ``end`` clips, an element with no
  timing lasts as long as its parent (indefinitely in ``par``, no time in
  ``seq``); content is shown only while it and every ancestor and its region
  are active;
- ``display="none"`` (from inline, referential or region styles) and ``<set>``
  animations that change ``display``/``visibility``/styles over an interval;
- region assignment (``region`` inherited, content of a document with regions
  and no region assigned is not shown), region timing and region ``<set>``;
- ``xml:space``: ``default`` collapses runs of white space and trims it
  around line breaks, ``preserve`` keeps it (line feeds break lines);
- time expressions: clock time with fraction or frames, offset times in h, m,
  s, ms, f (frames of ``ttp:frameRate`` × ``ttp:frameRateMultiplier``) and t
  (ticks of ``ttp:tickRate``);
- ruby (``tts:ruby``): base text followed by the annotation in parentheses.

Content still on screen after the document's last time (no end anywhere) ends
10 s after that time, as ttconv's SRT writer does, with a warning.
Image-profile documents are refused (screenkit's targets carry text).
No recursion: every walk uses an explicit stack (xmlsafe bounds the depth).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from toolkit.errors import ScreenkitError
from toolkit.languages import lookup
from toolkit.subtitles.model import Cue, ReadWarning, Track
from toolkit.xmlsafe import Element, parse

TT = "{http://www.w3.org/ns/ttml}"
TTS = "{http://www.w3.org/ns/ttml#styling}"
TTP = "{http://www.w3.org/ns/ttml#parameter}"
XML = "{http://www.w3.org/XML/1998/namespace}"
SMPTE_IMAGE = "backgroundImage"
INF = math.inf
OPEN_END_S = 10.0  # what content with no end lasts after the document's last time (ttconv's SRT writer)
# Each snapshot of a paragraph walks its elements: a bound on elements × snapshots keeps a
# hostile paragraph (thousands of spans, each with its own times) from costing minutes.
MAX_WORK = 400_000
MAX_SECONDS = 1000 * 3600  # a time past 1,000 hours is not a subtitle time

# Styles the reader uses. Inherited ones flow from region to body to spans.
_INHERITED = ("fontStyle", "fontWeight", "textDecoration", "visibility")
_KEPT = frozenset((*_INHERITED, "display", "displayAlign", "origin", "ruby"))
_CONTENT = frozenset({"body", "div", "p", "span", "br", "image"})


@dataclass(eq=False)
class _Node:
    kind: str  # body div p span br anon set region image
    line: int
    parent: _Node | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    styles: dict[str, str] = field(default_factory=dict)
    children: list[_Node] = field(default_factory=list)  # sets first, then contents, as imscJS orders them
    has_contents: bool = False
    text: str = ""
    space: str = "default"
    region: str | None = None  # the region attribute, when set
    begin: float = 0.0
    end: float = INF
    explicit: tuple[float | None, float | None, float | None] = (None, None, None)


@dataclass
class _Rates:
    frame_rate: float
    tick_rate: float


_CLOCK_FRACTION = re.compile(r"(\d{2,}):(\d\d):(\d\d(?:\.\d+)?)")
_CLOCK_FRAMES = re.compile(r"(\d{2,}):(\d\d):(\d\d):(\d{2,})(?:\.(\d+))?")
_OFFSET = re.compile(r"(\d+(?:\.\d+)?)(h|ms|m|s|f|t)")
_UNIT = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def parse_time(value: str, rates: _Rates) -> float | None:
    """Seconds of a TTML time expression; None when malformed (ignored, as imscJS does)."""
    value = value.strip()
    match = _OFFSET.fullmatch(value)
    if match:
        number, unit = float(match.group(1)), match.group(2)
        if unit == "f":
            return number / rates.frame_rate
        if unit == "t":
            return number / rates.tick_rate
        return number * _UNIT[unit]
    if len(value) > 64:  # no time of a film is written with more (int() refuses 4,300 digits)
        return math.inf if _OFFSET.fullmatch(value) or _CLOCK_FRAMES.fullmatch(value) \
            or _CLOCK_FRACTION.fullmatch(value) else None
    match = _CLOCK_FRACTION.fullmatch(value)
    if match:
        return int(match.group(1)) * 3600 + int(match.group(2)) * 60 + float(match.group(3))
    match = _CLOCK_FRAMES.fullmatch(value)
    if match:
        return (int(match.group(1)) * 3600 + int(match.group(2)) * 60 + int(match.group(3))
                + int(match.group(4)) / rates.frame_rate)
    return None


def _rates(root: Element, path: str | None) -> _Rates:
    def number(name: str) -> int | None:
        value = root.get(TTP + name)
        if value is None:
            return None
        match = re.search(r"\d+", value)
        if match is None:
            raise ScreenkitError(f"ttp:{name}={value[:40]!r} is not a number", path=path, line=root.line)
        if len(match.group()) > 9:
            raise ScreenkitError(f"ttp:{name} out of range", path=path, line=root.line)
        return int(match.group())

    frame_rate = number("frameRate")
    if frame_rate == 0:
        raise ScreenkitError("ttp:frameRate is 0: frame times cannot be read", path=path, line=root.line)
    effective = float(frame_rate or 30)
    multiplier = root.get(TTP + "frameRateMultiplier")
    if multiplier is not None:
        match = re.fullmatch(r"\s*(\d{1,9})\s+(\d{1,9})\s*", multiplier)
        if match is None or int(match.group(1)) == 0 or int(match.group(2)) == 0:
            raise ScreenkitError(f"bad ttp:frameRateMultiplier {multiplier[:40]!r} (two positive numbers)",
                                 path=path, line=root.line)
        effective = effective * int(match.group(1)) / int(match.group(2))
    tick = number("tickRate")
    if tick == 0:
        raise ScreenkitError("ttp:tickRate is 0: tick times cannot be read", path=path, line=root.line)
    tick_rate = float(tick) if tick is not None else (effective if frame_rate is not None else 1.0)
    if not (math.isfinite(effective) and math.isfinite(tick_rate)):
        raise ScreenkitError("frame or tick rate out of range", path=path, line=root.line)
    return _Rates(effective, tick_rate)


def _local(tag: str, namespace: str) -> str | None:
    return tag[len(namespace):] if tag.startswith(namespace) else None


def _inline_styles(element: Element) -> dict[str, str]:
    found = {}
    for key, value in element.attrib.items():
        name = _local(key, TTS)
        if name in _KEPT:
            found[name] = value.strip()
    return found


def _refs(element: Element) -> list[str]:
    return (element.get("style") or "").split()


def _resolve_styles(definitions: dict[str, tuple[dict[str, str], list[str]]]) -> dict[str, dict[str, str]]:
    """Chained referential styles flattened (inline wins, then the last reference): no recursion."""
    done: dict[str, dict[str, str]] = {}
    for start in definitions:
        stack = [(start, False)]
        visiting: set[str] = set()
        while stack:
            name, expanded = stack.pop()
            if name in done or name not in definitions:
                continue
            own, refs = definitions[name]
            if not expanded:
                if name in visiting:
                    continue  # a cycle: the reference is ignored
                visiting.add(name)
                stack.append((name, True))
                stack.extend((ref, False) for ref in refs if ref not in done and ref not in visiting)
                continue
            merged = dict(own)
            for ref in reversed(refs):
                for key, value in done.get(ref, {}).items():
                    merged.setdefault(key, value)
            done[name] = merged
    return done


def _merge_refs(own: dict[str, str], refs: list[str], styles: dict[str, dict[str, str]]) -> dict[str, str]:
    merged = dict(own)
    for ref in reversed(refs):
        for key, value in styles.get(ref, {}).items():
            merged.setdefault(key, value)
    return merged


@dataclass
class _Document:
    body: _Node | None
    regions: dict[str, _Node]
    default_region: bool
    language: str
    lines: dict[int, int] = field(default_factory=dict)


def _image_profile(root: Element) -> bool:
    for attribute in (TTP + "profile", TTP + "contentProfiles"):
        if "image" in (root.get(attribute) or ""):
            return True
    return False


def _build(root: Element, path: str | None) -> _Document:
    if root.tag != TT + "tt":
        raise ScreenkitError(f"not TTML: root element {root.tag!r} (expected tt in {TT[1:-1]})",
                             path=path, line=root.line)
    if _image_profile(root):
        raise ScreenkitError("an image-profile IMSC document (subtitles as pictures): "
                             "screenkit reads the text profile", path=path, line=root.line)
    rates = _rates(root, path)
    definitions: dict[str, tuple[dict[str, str], list[str]]] = {}
    region_elements: list[Element] = []
    body_element: Element | None = None
    for child in root.elements():
        if child.tag == TT + "head":
            for part in child.elements():
                if part.tag == TT + "styling":
                    for style in part.elements():
                        if style.tag == TT + "style" and style.get(XML + "id"):
                            definitions[style.get(XML + "id") or ""] = (_inline_styles(style), _refs(style))
                elif part.tag == TT + "layout":
                    region_elements.extend(r for r in part.elements() if r.tag == TT + "region")
        elif child.tag == TT + "body" and body_element is None:
            body_element = child
    styles = _resolve_styles(definitions)

    def timing(element: Element) -> tuple[float | None, float | None, float | None]:
        values = []
        for name in ("begin", "end", "dur"):
            raw = element.get(name)
            seconds = parse_time(raw, rates) if raw is not None else None
            if seconds is not None and not seconds <= MAX_SECONDS:
                raise ScreenkitError(f"{name}={raw!r}: past 1,000 hours", path=path, line=element.line)
            values.append(seconds)
        return values[0], values[1], values[2]

    def make_set(element: Element, parent: _Node) -> _Node:
        node = _Node("set", element.line, parent, explicit=timing(element))
        node.styles = _inline_styles(element)
        return node

    regions: dict[str, _Node] = {}
    for element in region_elements:
        identifier = element.get(XML + "id")
        if not identifier:
            continue
        node = _Node("region", element.line, explicit=timing(element))
        own = _inline_styles(element)
        for nested in element.elements():
            if nested.tag == TT + "style":
                for key, value in _inline_styles(nested).items():
                    own.setdefault(key, value)
            elif nested.tag == TT + "set":
                node.children.append(make_set(nested, node))
        node.styles = _merge_refs(own, _refs(element), styles)
        regions[identifier] = node
    default_region = not regions
    if default_region:
        regions[""] = _Node("region", root.line)

    body: _Node | None = None
    if body_element is not None:
        body = _Node("body", body_element.line, has_contents=True)
        space = root.get(XML + "space") or "default"
        stack: list[tuple[Element, _Node, str]] = [(body_element, body, space)]
        while stack:
            element, node, inherited_space = stack.pop()
            node.space = element.get(XML + "space") or inherited_space
            node.attrs = element.attrib
            node.explicit = timing(element)
            node.styles = _merge_refs(_inline_styles(element), _refs(element), styles)
            region = element.get("region")
            node.region = region or None
            ruby = node.styles.get("ruby")
            contents: list[_Node] = []
            pending: list[tuple[Element, _Node, str]] = []
            for child in element.children:
                if isinstance(child, str):
                    if node.kind in ("p", "span") and ruby not in ("container", "textContainer", "baseContainer"):
                        contents.append(_Node("anon", node.line, node, text=child, space=node.space))
                    continue
                name = _local(child.tag, TT)
                if name == "set":
                    node.children.append(make_set(child, node))
                elif name in _CONTENT and name != "body":
                    if name == "image" or SMPTE_IMAGE in "".join(child.attrib):
                        raise ScreenkitError("an image subtitle (IMSC image profile): screenkit reads text",
                                             path=path, line=child.line)
                    kid = _Node(name, child.line, node, has_contents=name != "br")
                    contents.append(kid)
                    if name != "br":
                        pending.append((child, kid, node.space))
                    else:
                        kid.explicit = timing(child)
            node.children.extend(contents)
            stack.extend(reversed(pending))
            if any(SMPTE_IMAGE in key for key in element.attrib):
                raise ScreenkitError("an image subtitle (smpte:backgroundImage): screenkit reads text",
                                     path=path, line=element.line)
    language = root.get(XML + "lang") or ""
    document = _Document(body, regions, default_region, language)
    for region_node in regions.values():
        _resolve_timing(region_node)
    if body is not None:
        _resolve_timing(body)
    return document


def _resolve_timing(top: _Node) -> None:
    """imscJS's resolveTiming without recursion: begin on the way down, end on the way up."""

    def enter(node: _Node, previous: _Node | None) -> None:
        parent = node.parent if node.kind != "region" else None
        in_seq = parent is not None and parent.attrs.get("timeContainer", "").strip() == "seq"
        implicit_begin = 0.0
        if parent is not None:
            implicit_begin = previous.end if in_seq and previous is not None else parent.begin
        begin, _, _ = node.explicit
        node.begin = implicit_begin + begin if begin else implicit_begin
        node.end = implicit_begin  # holds the implicit begin until leave()

    def leave(node: _Node) -> None:
        implicit_begin = node.end
        parent = node.parent if node.kind != "region" else None
        in_seq = parent is not None and parent.attrs.get("timeContainer", "").strip() == "seq"
        seq = node.attrs.get("timeContainer", "").strip() == "seq"
        implicit_end = node.begin
        for child in node.children:
            if child.kind == "set" or node.has_contents:
                implicit_end = child.end if seq else max(implicit_end, child.end)
        if not node.has_contents:
            implicit_end = node.begin if in_seq else INF
        _, end, dur = node.explicit
        if end is not None and dur is not None:
            node.end = min(node.begin + dur, implicit_begin + end)
        elif dur is not None:
            node.end = node.begin + dur
        elif end is not None:
            node.end = implicit_begin + end
        else:
            node.end = implicit_end

    enter(top, None)
    stack: list[tuple[_Node, int]] = [(top, 0)]
    while stack:
        node, index = stack.pop()
        if index < len(node.children):
            stack.append((node, index + 1))
            child = node.children[index]
            enter(child, node.children[index - 1] if index else None)
            stack.append((child, 0))
        else:
            leave(node)


# ---------------------------------------------------------------- snapshots


@dataclass(frozen=True)
class _Run:
    text: str
    italic: bool
    bold: bool
    underline: bool


def _active(node: _Node, t: float) -> bool:
    return node.begin <= t < node.end


def _styles_at(node: _Node, t: float) -> dict[str, str]:
    styles = node.styles
    changed = None
    for child in node.children:
        if child.kind != "set":
            break
        if child.styles and _active(child, t):
            changed = dict(styles) if changed is None else changed
            changed.update(child.styles)
    return styles if changed is None else changed


def _inherit(parent: dict[str, str], own: dict[str, str]) -> dict[str, str]:
    merged = {key: parent[key] for key in _INHERITED if key in parent}
    for key in _INHERITED:
        if key in own:
            if key == "textDecoration":
                merged[key] = _decoration(merged.get(key, ""), own[key])
            else:
                merged[key] = own[key]
    return merged


def _decoration(inherited: str, own: str) -> str:
    words = set(own.split())
    underline = "underline" in inherited.split()
    if "none" in words or "noUnderline" in words:
        underline = False
    if "underline" in words:
        underline = True
    return "underline" if underline else "none"


@dataclass
class _Paragraph:
    node: _Node
    chain: list[_Node]  # region, body, divs ... the p itself
    instants: list[float]
    region: str  # the region's id ("" for the default region)


def _paragraph_text(paragraph: _Paragraph, t: float) -> list[list[_Run]] | None:
    """The lines of one paragraph visible at ``t`` (None: nothing visible)."""
    inherited: dict[str, str] = {}
    placed: str | None = None  # the region explicitly assigned so far
    for node in paragraph.chain[1:]:
        placed = node.region or placed
    for node in paragraph.chain:
        if not _active(node, t):
            return None
        own = _styles_at(node, t)
        if own.get("display") == "none":
            return None
        inherited = _inherit(inherited, own)
    # The p's descendants in document order: (text, space, styles, ruby-text group) and line breaks.
    items: list[tuple[str, str, dict[str, str], int] | None] = []
    groups = 0
    stack: list[tuple[_Node | None, dict[str, str], int, str | None]] = [
        (child, inherited, 0, placed) for child in reversed(paragraph.node.children) if child.kind != "set"]
    while stack:
        node, parent_styles, group, region = stack.pop()
        if node is None:  # the end of a ruby annotation
            items.append(("", "close", {}, group))
            continue
        if not _active(node, t):
            continue
        if node.region is not None:
            if region is not None and node.region != region:
                continue  # placed in two regions: shown in neither
            region = node.region
        if node.kind in ("br", "anon") and (region or "") != paragraph.region:
            continue
        own = _styles_at(node, t)
        if own.get("display") == "none":
            continue
        styles = _inherit(parent_styles, own)
        if node.kind == "br":
            items.append(None)
            continue
        if node.kind == "anon":
            if node.text:
                items.append((node.text, node.space, styles, group))
            continue
        ruby = own.get("ruby")
        child_group = group
        if ruby in ("text", "textContainer") and group == 0:
            groups += 1
            child_group = groups
            items.append(("", "open", {}, child_group))
        kids = [child for child in node.children if child.kind != "set"]
        if child_group != group:
            stack.append((None, {}, child_group, region))
        stack.extend((child, styles, child_group, region) for child in reversed(kids))
    return _lines(items)


def _lines(items: list[tuple[str, str, dict[str, str], int] | None]) -> list[list[_Run]] | None:
    """imscJS's collapseLWSP over the main text and each ruby annotation on its own, then lines."""
    main: list[list] = []
    annotations: dict[int, list[list]] = {}
    order: list[tuple[str, Any]] = []  # ("main", entry) or ("open"/"close", group)
    for item in items:
        if item is None:
            main.append(["", "br", {}])
            order.append(("main", main[-1]))
            continue
        text, space, styles, group = item
        if space == "open":
            order.append(("open", group))
            annotations[group] = []
        elif space == "close":
            order.append(("close", group))
        elif group:
            annotations[group].append([text, space, styles])
        else:
            main.append([text, space, styles])
            order.append(("main", main[-1]))
    _collapse(main)
    for group_items in annotations.values():
        _collapse(group_items)
    lines: list[list[_Run]] = [[]]

    def emit(entry: list) -> None:
        text, space, styles = entry
        if space == "br":
            lines.append([])
            return
        if styles.get("visibility") == "hidden" or not text:
            if text and space != "preserve":
                trimmed.add(len(lines) - 1)  # hidden text held a place: spaces around it are no text
            return
        run = (styles.get("fontStyle") in ("italic", "oblique"), styles.get("fontWeight") == "bold",
               styles.get("textDecoration") == "underline")
        for index, part in enumerate(text.split("\n") if space == "preserve" else [text]):
            if index:
                lines.append([])
            if part:
                lines[-1].append(_Run(part, *run))

    trimmed: set[int] = set()
    for kind, index in order:
        if kind == "main":
            emit(index)
        elif kind == "open":
            visible = [e for e in annotations[index] if e[0] and e[2].get("visibility") != "hidden"]
            if visible:
                lines[-1].append(_Run("(", False, False, False))
                for entry in visible:
                    emit(entry)
                lines[-1].append(_Run(")", False, False, False))
    for number in trimmed:
        line = lines[number]
        if line:
            line[0] = _Run(line[0].text.lstrip(" "), line[0].italic, line[0].bold, line[0].underline)
            line[-1] = _Run(line[-1].text.rstrip(" "), line[-1].italic, line[-1].bold, line[-1].underline)
            lines[number] = [run for run in line if run.text]
    if not any(any(run.text.strip() for run in line) for line in lines):
        return None
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def _collapse(entries: list[list]) -> None:
    """imscJS's collapseLWSP: in ``default`` space, runs of white space become one space and
    white space at the start and end of a line goes."""

    def prev_lwsp(entry: list) -> bool:
        return entry[1] == "br" or entry[0][-1:] in ("\r", "\n", "\t", " ")

    def next_lwsp(entry: list) -> bool:
        return entry[1] == "br" or (entry[1] == "preserve" and entry[0][:1] in ("\r", "\n"))

    index = 0
    while index < len(entries):
        entry = entries[index]
        if entry[1] in ("br", "preserve"):
            index += 1
            continue
        text = re.sub(r"[\t\r\n ]+", " ", entry[0])
        if text.startswith(" ") and (index == 0 or prev_lwsp(entries[index - 1])):
            text = text[1:]
        entry[0] = text
        if not text:
            del entries[index]
        else:
            index += 1
    index = 0
    while index < len(entries):
        entry = entries[index]
        if entry[1] in ("br", "preserve"):
            index += 1  # (imscJS steps twice here, keeping a space at the end of the line after a br)
            continue
        if entry[0].endswith(" ") and (index == len(entries) - 1 or next_lwsp(entries[index + 1])):
            entry[0] = entry[0][:-1]
        index += 1


def _paragraphs(document: _Document, path: str | None = None) -> list[_Paragraph]:
    found: list[_Paragraph] = []
    if document.body is None:
        return found
    stack: list[tuple[_Node, list[_Node], str | None]] = [(document.body, [], None)]
    while stack:
        node, chain, region = stack.pop()
        if node.region is not None:
            if region is not None and node.region != region:
                continue  # content explicitly in two regions is shown in neither (imscJS)
            region = node.region
        chain = [*chain, node]
        if node.kind == "p":
            inner_instants: set[float] = set()
            size = 0
            named: set[str] = set()
            inner = list(node.children)
            while inner:
                child = inner.pop()
                inner_instants.update((child.begin, child.end))
                if child.region is not None:
                    named.add(child.region)
                inner.extend(child.children)
                size += 1
            if region is not None:
                keys = [region]
            elif document.default_region:
                keys = [""]
            else:
                keys = sorted(named)  # spans placed in regions of their own (imscJS shows each part there)
            for key in keys:
                region_node = document.regions.get(key)
                if region_node is None:
                    continue
                full = [region_node, *chain]
                instants = set(inner_instants)
                for member in full:
                    instants.update((member.begin, member.end))
                    for child in member.children:
                        if child.kind == "set":
                            instants.update((child.begin, child.end))
                start = max(member.begin for member in full)
                stop = min(member.end for member in full)
                if start < stop:
                    times = sorted(t for t in instants if start <= t <= stop)
                    if len(times) * size > MAX_WORK:
                        raise ScreenkitError(
                            f"a paragraph of {size:,} elements changing at {len(times):,} times: "
                            "more than a subtitle reader computes", path=path, line=node.line)
                    found.append(_Paragraph(node, full, times, key))
            continue
        stack.extend((child, chain, region) for child in reversed(node.children)
                     if child.kind in ("div", "p"))
    return found


def _region_is_top(region: _Node) -> bool:
    align = region.styles.get("displayAlign")
    if align == "before":
        return True
    if align == "after":
        return False
    origin = region.styles.get("origin", "").split()
    if len(origin) == 2 and origin[1].endswith("%"):
        try:
            return float(origin[1][:-1]) < 40
        except ValueError:
            return False
    return False


def read_ttml_isd(data: bytes, path: str | None = None) -> Track:
    """A TTML / IMSC / EBU-TT-D document as the cues an IMSC renderer would show."""
    root = parse(data, path)
    document = _build(root, path)
    paragraphs = _paragraphs(document, path)
    finite = [t for p in paragraphs for t in p.instants if t != INF]
    last = max(finite, default=0.0)
    cues: list[Cue] = []
    open_ended = 0
    for paragraph in paragraphs:
        top = _region_is_top(paragraph.chain[0])
        times = paragraph.instants
        current: tuple[float, float, list[str]] | None = None
        for begin, end in pairwise(times):
            if begin == end:
                continue
            runs = _paragraph_text(paragraph, begin)
            lines = [_plain_markup(line) for line in runs] if runs else None
            if current is not None and lines == current[2] and current[1] == begin:
                current = (current[0], end, current[2])
                continue
            if current is not None:
                open_ended += _emit(cues, current, last, top, paragraph.node.line)
            current = (begin, end, lines) if lines else None
        if current is not None:
            open_ended += _emit(cues, current, last, top, paragraph.node.line)
    cues.sort(key=lambda c: (c.start, c.end))
    track = Track(cues=cues, format="imsc", language=lookup(document.language) if document.language else None)
    if open_ended:
        track.warnings.append(ReadWarning(None, f"{open_ended} cue(s) have no end: they last to "
                                          f"{OPEN_END_S:g} s after the document's last time", "open-end"))
    return track


def _plain_markup(runs: list[_Run]) -> str:
    from toolkit.text.runs import Style, runs_to_line

    return runs_to_line([(run.text, Style(italic=run.italic, bold=run.bold, underline=run.underline))
                         for run in runs])


def _emit(cues: list[Cue], current: tuple[float, float, list[str]], last: float, top: bool, line: int) -> int:
    begin, end, lines = current
    open_end = end == INF
    if open_end:
        end = max(last, begin) + OPEN_END_S
    start_ms, end_ms = round(begin * 1000), round(end * 1000)
    if end_ms > start_ms:
        cues.append(Cue(start_ms, end_ms, lines, alignment=8 if top else None, source_line=line))
    return int(open_end)
