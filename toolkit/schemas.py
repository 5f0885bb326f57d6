"""The JSON Schemas screenkit validates against, read from the repository's ``schemas/`` folder.

``schemas/`` is the one source of truth; the package is installed editable, so
the folder beside ``toolkit/`` is always there.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from toolkit.errors import ScreenkitError

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
_SUFFIX = ".schema.json"


def schema_names() -> list[str]:
    """Names of the available schemas (``manifest``, ...), sorted."""
    if not SCHEMA_DIR.is_dir():
        return []
    return sorted(path.name[: -len(_SUFFIX)] for path in SCHEMA_DIR.glob(f"*{_SUFFIX}"))


def schema_path(name: str) -> Path:
    """The file of schema NAME; a ScreenkitError listing the known names otherwise."""
    if name not in schema_names():
        known = ", ".join(schema_names()) or "none found"
        raise ScreenkitError(f"unknown schema {name!r} (available: {known})")
    return SCHEMA_DIR / f"{name}{_SUFFIX}"


@cache
def _load(name: str) -> str:
    return schema_path(name).read_text(encoding="utf-8")


def schema_text(name: str) -> str:
    """The schema file's text, exactly as stored."""
    return _load(name)


def load_schema(name: str) -> dict[str, Any]:
    """The schema as a fresh dictionary (callers may modify it)."""
    document: dict[str, Any] = json.loads(_load(name))
    return document
