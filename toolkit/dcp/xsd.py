"""Validating DCP subtitle XML against the published schemas.

The schemas come from the ``clairmeta`` package (PyPI, BSD-3-Clause), the DCP
checker labs run: ``DCDMSubtitle-2007/2010/2014.xsd`` for SMPTE ST 428-7 and
``DCSubtitle.xsd`` for Interop (TI never published one; ClairMeta's is
back-ported from the SMPTE 2014 schema, as its catalog says). The package is
located without being imported, so validation does not load ClairMeta's code.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import ScreenkitError, ToolMissingError

if TYPE_CHECKING:
    from lxml.etree import XMLSchema

SCHEMA_FILES = {
    "": "DCSubtitle.xsd",
    "http://www.smpte-ra.org/schemas/428-7/2007/DCST": "DCDMSubtitle-2007.xsd",
    "http://www.smpte-ra.org/schemas/428-7/2010/DCST": "DCDMSubtitle-2010.xsd",
    "http://www.smpte-ra.org/schemas/428-7/2014/DCST": "DCDMSubtitle-2014.xsd",
}


@dataclass(frozen=True)
class SchemaError:
    line: int
    column: int
    message: str


def schema_folder() -> Path:
    spec = importlib.util.find_spec("clairmeta")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        folder = Path(location) / "xsd"
        if (folder / "DCSubtitle.xsd").is_file():
            return folder
    raise ToolMissingError(
        "the DCP subtitle schemas come from the 'clairmeta' package, which is not installed "
        "(pip install clairmeta)"
    )


@lru_cache(maxsize=8)
def _schema(namespace: str) -> XMLSchema:
    from lxml import etree

    name = SCHEMA_FILES.get(namespace)
    if name is None:
        raise ScreenkitError(f"no schema for namespace {namespace!r}")
    return etree.XMLSchema(etree.parse(str(schema_folder() / name)))


def validate_xml(data: bytes) -> list[SchemaError]:
    """Schema errors of DCP subtitle XML (Interop or SMPTE, told by the root); [] when valid."""
    from lxml import etree

    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (1, 0)
        return [SchemaError(line, column, f"not well-formed XML: {error.msg}")]
    tag = root.tag if isinstance(root.tag, str) else ""
    namespace = tag[1:].split("}")[0] if tag.startswith("{") else ""
    if namespace not in SCHEMA_FILES:
        return [SchemaError(root.sourceline or 1, 0, f"unknown subtitle namespace {namespace!r}")]
    schema = _schema(namespace)
    if schema.validate(root):
        return []
    return [SchemaError(e.line, e.column, e.message) for e in schema.error_log]
