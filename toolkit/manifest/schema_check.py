"""JSON Schema validation of a loaded manifest: every error, most relevant first, each with its place."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from toolkit.diagnostics import Diagnostic, Location, Severity
from toolkit.manifest.loader import Manifest
from toolkit.manifest.pointer import child, from_parts

# Codes by the JSON Schema keyword that failed (M1xx: the file's shape).
KEYWORD_CODES: dict[str, str] = {
    "type": "M101",
    "required": "M102",
    "additionalProperties": "M103",
    "propertyNames": "M103",
    "enum": "M104",
    "const": "M104",
    "format": "M105",
    "pattern": "M106",
    "minimum": "M107",
    "maximum": "M107",
    "exclusiveMinimum": "M107",
    "exclusiveMaximum": "M107",
    "minItems": "M108",
    "maxItems": "M108",
    "minLength": "M108",
    "maxLength": "M108",
    "minProperties": "M108",
    "uniqueItems": "M109",
}
OTHER_SCHEMA_CODE = "M100"

_RFC3339 = re.compile(
    r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)\Z"
)
# Patterns whose regular expression says less to a reader than what they mean.
_PATTERN_MEANINGS = {
    "^(?:[1-9][0-9]{0,3}(?:\\.[0-9]{1,3})?|0\\.[0-9]{0,2}[1-9])(?:/[1-9][0-9]{0,4})?$": (
        "a positive frame rate (25, 23.976, 24000/1001: numerator and denominator above 0)"
    ),
}
# A sane range of years: no check computing with a date can leave Python's (years 1 to 9999).
MIN_YEAR, MAX_YEAR = 1900, 2199
_DATE = re.compile(r"\d{4}-\d\d-\d\d\Z")
_FORMAT_HINTS = {
    "date-time": f" (RFC 3339 with a UTC offset, e.g. 2026-03-14T19:00:00+01:00; years {MIN_YEAR} to {MAX_YEAR})",
    "date": f" (YYYY-MM-DD, years {MIN_YEAR} to {MAX_YEAR})",
}
_MAX_MESSAGE = 240


def parse_datetime(value: str) -> datetime:
    """An RFC 3339 date-time with offset (``Z`` accepted on Python 3.10 too)."""
    text = value.strip()
    if text[-1:] in "Zz":
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text.replace("t", "T"))


def _is_datetime(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if not _RFC3339.match(instance):
        return False
    try:
        moment = parse_datetime(instance)
    except ValueError:
        return False
    return MIN_YEAR <= moment.year <= MAX_YEAR


def _is_date(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    if not _DATE.match(instance):
        return False
    try:
        day = date.fromisoformat(instance)
    except ValueError:
        return False
    return MIN_YEAR <= day.year <= MAX_YEAR


def _is_uri(instance: object) -> bool:
    if not isinstance(instance, str):
        return True
    try:
        parts = urlsplit(instance)
        parts.port  # noqa: B018 - reading it checks the port ("http://h:x/" raises)
    except ValueError:  # "http://[": an unclosed IPv6 host
        return False
    return bool(parts.scheme and (parts.netloc or parts.scheme in {"mailto", "urn", "tel"})) and " " not in instance


def _finite_number(checker: object, instance: object) -> bool:
    """JSON numbers are finite: YAML's .inf and .nan, and 1e400, are not numbers here.

    (NaN compares false with every bound, so ``minimum``/``maximum`` alone let it through.)
    """
    return isinstance(instance, (int, float)) and not isinstance(instance, bool) and math.isfinite(instance)


def _finite_integer(checker: object, instance: object) -> bool:
    if isinstance(instance, bool):
        return False
    if isinstance(instance, int):
        return True
    return isinstance(instance, float) and math.isfinite(instance) and instance.is_integer()


@lru_cache(maxsize=1)
def manifest_validator() -> Any:
    """The one compiled Draft 2020-12 validator, format checking on (built once per process)."""
    from jsonschema import Draft202012Validator, FormatChecker, validators

    from toolkit.schemas import load_schema

    types = Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"number": _finite_number, "integer": _finite_integer}
    )
    validator_class = validators.extend(Draft202012Validator, type_checker=types)
    checker = FormatChecker()
    # date-time and uri are only checked by jsonschema when optional packages are
    # installed; screenkit checks them itself so that no dependency decides.
    checker.checks("date-time")(_is_datetime)
    checker.checks("date")(_is_date)
    checker.checks("uri")(_is_uri)
    schema = load_schema("manifest")
    Draft202012Validator.check_schema(schema)
    return validator_class(inline_refs(schema), format_checker=checker)


# Keywords a $ref may sit beside and still be merged into its target without
# changing what is valid (they constrain the same instance independently).
_MERGEABLE = frozenset({"title", "description", "default", "minItems", "maxItems", "minLength", "maxLength"})


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema with every local ``#/$defs/...`` reference replaced by its definition.

    The manifest schema has no recursion, so this accepts and rejects exactly
    the same documents; jsonschema then skips resolving references on every
    instance (about 1.7x faster on a 1,000-work manifest, see BENCHMARKS).
    Sibling keywords win over the definition's annotations (title, description).
    """
    definitions: dict[str, Any] = schema.get("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        reference = node.get("$ref")
        if isinstance(reference, str) and reference.startswith("#/$defs/") and reference[8:] in definitions:
            target = walk(definitions[reference[8:]])
            siblings = {key: walk(value) for key, value in node.items() if key != "$ref"}
            if set(siblings) <= _MERGEABLE and not (set(siblings) & set(target) - {"title", "description", "default"}):
                return {**target, **siblings}
            return {"allOf": [target], **siblings}
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("properties", "patternProperties", "dependentSchemas") and isinstance(value, dict):
                result[key] = {name: walk(sub) for name, sub in value.items()}  # names, not keywords
            elif key in ("enum", "const", "default", "examples"):
                result[key] = value  # data, not schemas
            else:
                result[key] = walk(value)
        return result

    inlined = {key: walk(value) for key, value in schema.items() if key != "$defs"}
    return inlined


@lru_cache(maxsize=1)
def _fast_validator() -> Callable[[object], object] | None:
    """The same schema compiled to Python by fastjsonschema: a valid manifest (the usual case)
    is known valid several times faster. Only its "valid" is trusted; any doubt goes to jsonschema.

    The manifest schema, its references inlined, uses only keywords draft 7 has with the same
    meaning; the formats are screenkit's own checks, as for jsonschema. A test compares both
    verdicts on mutated manifests.
    """
    try:
        import fastjsonschema
    except ImportError:
        return None
    from toolkit.schemas import load_schema

    schema = inline_refs(load_schema("manifest"))
    schema.pop("$id", None)
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    formats: dict[str, Callable[[object], bool]] = {
        "date-time": _is_datetime, "date": _is_date, "uri": _is_uri,
        "email": lambda value: not isinstance(value, str) or "@" in value,  # jsonschema's own test
    }
    # Generating the code is quick; compiling 0.5 MB of it is not (0.3-1 s, more than the
    # whole check of a large manifest): it is kept as a module, whose bytecode Python caches.
    import json

    identity = json.dumps([schema, sorted(formats), fastjsonschema.VERSION], sort_keys=True)
    module = _cached_module(identity, lambda: fastjsonschema.compile_to_code(schema, formats=formats))
    if module is None:
        validate: Callable[[object], object] = fastjsonschema.compile(schema, formats=formats)
        return validate
    generated = module.validate

    def validate_cached(data: object) -> object:
        return generated(data, custom_formats=formats)

    return validate_cached


def _cached_module(identity: str, generate: Callable[[], str]) -> ModuleType | None:
    """The generated code compiled, its bytecode kept in screenkit's cache folder, named by
    IDENTITY's hash (schema, formats, generator version) and the Python version; None when
    the folder is not usable (then the caller compiles)."""
    import hashlib
    import marshal
    import sys

    from toolkit.errors import ScreenkitError
    from toolkit.fsutil import SymlinkRefused, cache_dir, check_confined, write_bytes_atomic

    key = hashlib.sha256(identity.encode()).hexdigest()[:20]
    path = cache_dir() / f"manifest_schema_{key}.{sys.implementation.cache_tag}.bin"
    module = ModuleType("screenkit_manifest_schema")
    try:
        try:
            # A planted link (or FIFO) in the cache is refused, never read through (toolkit.fsutil).
            if not check_confined(path, create=False):
                raise FileNotFoundError(path)
            compiled = marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            compiled = compile(generate(), "<manifest schema>", "exec")
            write_bytes_atomic(path, marshal.dumps(compiled))  # makes the folder, following no link
        exec(compiled, module.__dict__)  # code fastjsonschema generated from our own schema
    except SymlinkRefused:
        raise  # a planted link in the cache: said, never written through
    except (OSError, SyntaxError, ImportError, ScreenkitError):
        return None  # a read-only or full cache: the caller compiles
    return module


def _all_finite(data: object) -> bool:
    """No .inf or .nan anywhere (fastjsonschema counts them as numbers; jsonschema here does not)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, float) and not math.isfinite(value):
            return False
    return True


def known_valid(data: object) -> bool:
    """True only when the fast validator accepts DATA; False means "ask jsonschema"."""
    validate = _fast_validator()
    if validate is None or not _all_finite(data):
        return False
    try:
        validate(data)
    except Exception:  # invalid, or anything fastjsonschema did not foresee: jsonschema decides
        return False
    return True


def schema_diagnostics(manifest: Manifest) -> list[Diagnostic]:
    """Every schema error, most relevant first (jsonschema's best_match order)."""
    cache, key = manifest.cache, manifest.cache_key
    if cache is not None and key is not None and cache.is_valid(key):
        return []  # this very text passed this very schema before (toolkit.manifest.cache)
    if known_valid(manifest.data):
        if cache is not None and key is not None:
            cache.mark_valid(key)
        return []  # without importing jsonschema (60 ms of a valid manifest's check)
    from jsonschema.exceptions import best_match, relevance

    errors = sorted(manifest_validator().iter_errors(manifest.data), key=relevance, reverse=True)
    diagnostics: list[Diagnostic] = []
    for error in errors:
        if error.context:
            # anyOf/oneOf: report the branch jsonschema judges the closest.
            error = best_match(error.context)
        diagnostics.extend(_to_diagnostics(manifest, error))
    return diagnostics


def _to_diagnostics(manifest: Manifest, error: Any) -> list[Diagnostic]:
    pointer = from_parts(error.absolute_path)
    code = KEYWORD_CODES.get(error.validator, OTHER_SCHEMA_CODE)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        extras = [key for key in error.instance if key not in allowed]
        found = []
        for key in extras:
            hint = difflib.get_close_matches(key, allowed, n=1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else f" (allowed: {', '.join(allowed)})"
            found.append(
                _diagnostic(manifest, code, child(pointer, key), f"unexpected property {key!r}{suggestion}", key=True)
            )
        if found:
            return found
    # jsonschema reports a bad key as an error of the propertyNames subschema
    # (enum, pattern...) on the key itself, with the path of the object.
    if "propertyNames" in error.absolute_schema_path and isinstance(error.instance, str):
        code = KEYWORD_CODES["propertyNames"]
        key_pointer = child(pointer, error.instance)
        message = f"{error.instance!r} is not an accepted key here: {_short(error.message)}"
        return [_diagnostic(manifest, code, key_pointer, message, key=True)]
    message = _short(error.message)
    if (
        error.validator == "type"
        and error.validator_value == "string"
        and isinstance(error.instance, (int, float))
        and not isinstance(error.instance, bool)
    ):
        # frame_rate: 25 or an all-digit sha256 read as a number.
        message += f'; write it in quotes: "{error.instance}"'
    if error.validator == "format":
        message += _FORMAT_HINTS.get(str(error.validator_value), "")
    meaning = _PATTERN_MEANINGS.get(str(error.validator_value)) if error.validator == "pattern" else None
    if meaning is not None:
        message = f"{_short(repr(error.instance))} is not {meaning}"
    if error.validator == "type" and isinstance(error.instance, float) and not math.isfinite(error.instance):
        message += " (not a finite number)"
    return [_diagnostic(manifest, code, pointer, message)]


def _short(message: str) -> str:
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


def _diagnostic(manifest: Manifest, code: str, pointer: str, message: str, *, key: bool = False) -> Diagnostic:
    position = manifest.position(pointer, key=key)
    line, column = position if position else (None, None)
    return Diagnostic(
        code=code,
        severity=Severity.ERROR,
        message=message,
        location=Location(path=manifest.display_path, line=line, column=column, pointer=pointer or "(top)"),
    )
