"""XML for untrusted files: no entity declarations, no external entities, bounded depth.

Subtitle XML comes from anyone (a festival receives it by mail). Two attacks
are refused before any reader sees the document:

- entity expansion ("billion laughs") and external entities (a file that
  names ``/etc/passwd`` or a URL): a document that declares any entity is
  refused; an undeclared entity is not well-formed;
- nesting so deep that a walk over the tree would exhaust the stack: the
  depth is counted while parsing and a document deeper than ``MAX_DEPTH``
  is refused at the line where it gets too deep.

``parse`` uses expat (the standard library) and builds a small tree of
``Element`` nodes (tag as ``{namespace}local``, attributes, children that are
elements or strings, the source line). ``check_lxml`` applies the same rules
to a document lxml has parsed (DCP reads through lxml).
"""

from __future__ import annotations

from typing import Any
from xml.parsers import expat

from toolkit.errors import ScreenkitError

# Real subtitle documents nest about ten deep (tt/body/div/p/span/span...).
MAX_DEPTH = 200


class Element:
    __slots__ = ("attrib", "children", "line", "tag")

    def __init__(self, tag: str, attrib: dict[str, str], line: int) -> None:
        self.tag = tag
        self.attrib = attrib
        self.children: list[Element | str] = []
        self.line = line

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrib.get(name, default)

    def elements(self) -> list[Element]:
        return [child for child in self.children if isinstance(child, Element)]


def _qualified(name: str) -> str:
    return "{" + name if "}" in name else name


def parse(data: bytes, path: str | None = None, *, max_depth: int = MAX_DEPTH) -> Element:
    """The document's root element; ScreenkitError (file, line) for anything unsafe or malformed."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    stack: list[Element] = []
    root: list[Element] = []

    def refuse(message: str) -> None:
        raise ScreenkitError(message, path=path, line=parser.CurrentLineNumber)

    def start(name: str, attributes: dict[str, str]) -> None:
        element = Element(_qualified(name), {_qualified(k): v for k, v in attributes.items()},
                          parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(element)
        elif root:
            refuse("more than one root element")
        else:
            root.append(element)
        stack.append(element)
        if len(stack) > max_depth:
            refuse(f"XML nested more than {max_depth} elements deep: refused")

    def end(_name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            children = stack[-1].children
            if children and isinstance(children[-1], str):
                children[-1] += data
            else:
                children.append(data)

    def entity(name: str, *_rest: Any) -> None:
        refuse(f"XML entity declaration {name!r} refused (entities can expand without bound)")

    def external(*_args: Any) -> int:
        refuse("external XML entity refused")
        return 0

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        raise ScreenkitError(f"not well-formed XML: {expat.ErrorString(error.code)}",
                             path=path, line=error.lineno, column=error.offset + 1) from None
    except (ValueError, LookupError) as error:  # an encoding expat (or Python) does not know
        raise ScreenkitError(f"not readable XML: {error}", path=path, line=1) from None
    if not root:
        raise ScreenkitError("no XML element", path=path, line=1)
    return root[0]


def check_lxml(root: Any, path: str | None = None, *, max_depth: int = MAX_DEPTH) -> None:
    """The same rules for a tree lxml parsed with ``resolve_entities=False``: refuse entity
    declarations and references, and nesting deeper than ``max_depth`` (counted without recursion)."""
    from lxml import etree

    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if dtd is not None:
        for declaration in dtd.iterentities():
            raise ScreenkitError(f"XML entity declaration {declaration.name!r} refused "
                                 "(entities can expand without bound)", path=path, line=1)
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if isinstance(element, etree._Entity):
            raise ScreenkitError(f"XML entity reference {element.text} refused", path=path,
                                 line=element.sourceline)
        if depth > max_depth:
            raise ScreenkitError(f"XML nested more than {max_depth} elements deep: refused",
                                 path=path, line=element.sourceline)
        stack.extend((child, depth + 1) for child in element)
