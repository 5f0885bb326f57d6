"""Every finding code screenkit reports, in one catalogue, each with its documentation.

Each family keeps its codes beside the code that reports them; this module
only gathers them (``screenkit explain CODE``, ``screenkit explain --list``):

    SK    subtitle QC rules           toolkit.qc.registry
    M1    manifest shape (schema)     toolkit.manifest.schema_codes
    M2-M8 manifest checks             toolkit.manifest.checks.<family>.FAMILY.codes
    SKP   package build               toolkit.package.kinds.<kind>.CODES
    TR    translation                 toolkit.translate.codes

A new family adds its source to ``_SOURCES``; a test checks that every code
the project emits is documented here.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from functools import cache

from toolkit.diagnostics import CodeDoc, Severity
from toolkit.errors import ScreenkitError


def _qc_rules() -> Iterable[CodeDoc]:
    from toolkit.qc.registry import RULES

    for rule in RULES.values():
        fix = f"screenkit lint --fix: {rule.fix}." if rule.fix else None
        yield CodeDoc(rule.code, f"{rule.name}: {rule.summary}", rule.severity, rule.documentation, fix)


def _schema() -> Iterable[CodeDoc]:
    from toolkit.manifest.schema_codes import CODES

    return CODES


def _manifest_checks() -> Iterable[CodeDoc]:
    from toolkit.manifest.checks import families

    return [doc for family in families() for doc in family.codes]


def _package() -> Iterable[CodeDoc]:
    from toolkit.package.kinds import codes

    return codes()


def _translate() -> Iterable[CodeDoc]:
    from toolkit.translate.codes import CODES

    return CODES


_SOURCES: tuple[tuple[str, str, Callable[[], Iterable[CodeDoc]]], ...] = (
    ("SK", "subtitle QC rules (screenkit lint)", _qc_rules),
    ("M1", "manifest shape: JSON Schema (screenkit validate)", _schema),
    ("M", "manifest checks (screenkit validate)", _manifest_checks),
    ("SKP", "package build (screenkit package)", _package),
    ("TR", "translation (screenkit translate)", _translate),
)


@cache
def catalogue() -> dict[str, CodeDoc]:
    """Every documented code, in family order."""
    found: dict[str, CodeDoc] = {}
    for _prefix, _title, source in _SOURCES:
        for doc in source():
            if doc.code in found:
                raise RuntimeError(f"finding code {doc.code} is documented twice")  # a bug
            found[doc.code] = doc
    return found


def families() -> list[tuple[str, str, list[CodeDoc]]]:
    return [(prefix, title, list(source())) for prefix, title, source in _SOURCES]


def explain(code: str) -> CodeDoc:
    """The documentation of CODE (case-insensitive); a ScreenkitError naming near codes if unknown."""
    wanted = code.strip().upper()
    known = catalogue()
    if wanted in known:
        return known[wanted]
    near = difflib.get_close_matches(wanted, list(known), n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(near)}?)" if near else " (screenkit explain --list names them all)"
    raise ScreenkitError(f"unknown finding code {code!r}{hint}")


__all__ = ["CodeDoc", "Severity", "catalogue", "explain", "families"]
