"""QC profiles: data files (JSON or TOML) validated by schemas/qc-profile.schema.json.

A profile file has limits for every language and per-language overrides;
``load_profile`` resolves it for one language into a flat :class:`Profile`.
Built-in profiles live in ``toolkit/data/profiles``; every number in them
cites the row of ``qc-norms.md`` it implements.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from toolkit.diagnostics import Severity
from toolkit.errors import ScreenkitError
from toolkit.fsutil import (
    MAX_SMALL_DOCUMENT_DEPTH,
    depth_error,
    json_depth_at,
    load_json_bounded,
    read_input_bytes,
)
from toolkit.languages import Language

PROFILES_DIR = Path(__file__).resolve().parent.parent / "data" / "profiles"
SCHEMA_NAME = "qc-profile.schema.json"
BUILTIN_PROFILES = ("festival", "netflix", "netflix-children", "bbc", "cinema")
DEFAULT_PROFILE = "festival"
# Frames are counted at 24 fps when neither the track nor the profile says otherwise
# (qc-norms.md: Netflix minimum duration "20 frames at 24 fps").
DEFAULT_FRAME_RATE = Fraction(24)


def schema_path() -> Path:
    """The profile schema file (toolkit/schemas.py: the one lookup, repository or installed wheel)."""
    from toolkit.schemas import schema_path as lookup

    return lookup(SCHEMA_NAME.removesuffix(".schema.json"))


@dataclass(frozen=True)
class Duration:
    value: float
    unit: str  # "ms", "s" or "frames"

    def ms(self, frame_rate: Fraction) -> int:
        if self.unit == "frames":
            return round(Fraction(self.value) * 1000 / frame_rate)
        return round(self.value * (1000 if self.unit == "s" else 1))

    def __str__(self) -> str:
        return self.text

    @cached_property
    def text(self) -> str:
        """``2 frames``, ``0.833 s``: made once (every timing finding's message names its limit)."""
        if self.unit == "frames":
            return f"{self.value:g} frames"
        return f"{self.value:g} {self.unit}"


@dataclass
class Profile:
    """A profile resolved for one language (None: the profile's general limits)."""

    name: str
    language: Language | None = None
    description: str = ""
    frame_rate: Fraction = DEFAULT_FRAME_RATE
    max_chars_per_line: float | None = None
    max_chars_per_line_error: float | None = None
    max_lines: int | None = None
    max_cps: float | None = None
    max_wpm: float | None = None
    min_duration: Duration | None = None
    max_duration: Duration | None = None
    min_gap: Duration | None = None
    bridge_gap: Duration | None = None
    first_start: Duration | None = None
    half_width_weight: float = 1.0
    dialogue_dash: str | None = None
    ellipsis: str | None = None
    quotes: str | None = None  # outer pair then inner pair: “”‘’ or 「」『』
    cjk_dash: str | None = None  # a dash inside Chinese text: ——
    italics_allowed: bool = True
    cjk_punctuation: bool = False
    french_spacing: bool = False
    severity: dict[str, str] = field(default_factory=dict)  # code → error|warning|info|off
    sources: dict[str, str] = field(default_factory=dict)  # setting → guideline row
    path: str | None = None  # the file it was read from

    @cached_property
    def label(self) -> str:
        """``fr, netflix`` for messages (made once: every finding's message names it)."""
        return f"{self.language or 'any language'}, {self.name}"

    def rule_severity(self, code: str, default: Severity) -> Severity | None:
        """The severity of a rule under this profile; None when the profile turns it off."""
        chosen = self.severity.get(code)
        if chosen is None:
            return default
        return None if chosen == "off" else Severity(chosen)

    def duration_ms(self, setting: str, frame_rate: Fraction | None = None) -> int | None:
        value: Duration | None = getattr(self, setting)
        return None if value is None else value.ms(frame_rate or self.frame_rate)


_NUMBER_SETTINGS = ("max_chars_per_line", "max_chars_per_line_error", "max_cps", "max_wpm", "half_width_weight")
_DURATION_SETTINGS = ("min_duration", "max_duration", "min_gap", "bridge_gap", "first_start")


def _value(raw: Any) -> tuple[Any, str | None]:
    if isinstance(raw, dict):
        return raw["value"], raw.get("source")
    return raw, None


def _apply(profile: Profile, limits: dict[str, Any]) -> None:
    for setting, raw in limits.items():
        value, source = _value(raw)
        if source:
            profile.sources[setting] = source
        if value is None:  # null: this check is off (for this language)
            setattr(profile, setting, None)
            profile.sources.pop(setting, None)
            continue
        if setting in _DURATION_SETTINGS:
            unit = raw.get("unit", "ms") if isinstance(raw, dict) else "ms"
            setattr(profile, setting, Duration(float(value), unit))
        elif setting in _NUMBER_SETTINGS:
            setattr(profile, setting, float(value))
        elif setting == "max_lines":
            profile.max_lines = int(value)
        else:
            setattr(profile, setting, value)


def resolve(document: dict[str, Any], language: Language | None, path: str | None = None) -> Profile:
    """A validated profile document resolved for one language."""
    profile = Profile(name=document["name"], language=language, description=document.get("description", ""))
    profile.path = path
    if "frame_rate" in document:
        value, source = _value(document["frame_rate"])
        profile.frame_rate = Fraction(value).limit_denominator(1001)
        if source:
            profile.sources["frame_rate"] = source
    _apply(profile, document["limits"])
    if language is not None:
        # A region (zh-Hant-TW) takes its script's settings (zh-Hant), then its own.
        for tag in language.lineage:
            _apply(profile, document.get("languages", {}).get(tag, {}))
    profile.severity = dict(document.get("severity", {}))
    return profile


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    from toolkit.schemas import load_schema

    return load_schema(SCHEMA_NAME.removesuffix(".schema.json"))


def _json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def validate_document(document: Any, path: str) -> None:
    """Schema and semantic checks; a ScreenkitError naming the file and the JSON path."""
    from jsonschema import Draft202012Validator

    from toolkit.qc.registry import RULES

    validator = Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        where, message = _describe(errors[0])
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ScreenkitError(f"invalid QC profile: {where}: {message}{more}", path=path)
    for code in document.get("severity", {}):
        if code not in RULES:
            raise ScreenkitError(f"invalid QC profile: $.severity.{code}: no rule has this code", path=path)


def _describe(error: Any) -> tuple[str, str]:
    """The JSON path and message of the most telling part of a schema error.

    A setting may be written several ways (a number, ``{value, source}``, null),
    so the top error says little ("not valid under any of the given schemas");
    the deepest specific sub-error ("-1 is less than the minimum of 1",
    "'weeks' is not one of ['ms', 's', 'frames']") says what to change.
    """
    leaves: list[Any] = []

    def walk(node: Any) -> None:
        if node.context:
            for child in node.context:
                walk(child)
        else:
            leaves.append(node)

    walk(error)
    # "is not of type 'null'" only says that null was also allowed.
    leaves = [leaf for leaf in leaves if not (leaf.validator == "type" and leaf.validator_value == "null")]
    if not leaves:
        return _json_path(error.absolute_path), str(error.message)
    best = max(leaves, key=lambda leaf: (len(leaf.absolute_path), leaf.validator != "type"))
    return _json_path(best.absolute_path), str(best.message)


def read_document(path: Path) -> dict[str, Any]:
    """Read a profile file (.json or .toml) into a dict; ScreenkitError with file:line on syntax errors."""
    name = os.fspath(path)
    data = read_input_bytes(path, kind="profile file", missing="no such profile file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScreenkitError("profile file is not UTF-8 text", path=name) from None
    if path.suffix.lower() == ".toml":
        try:
            import tomllib
        except ModuleNotFoundError:  # Python 3.10
            import tomli as tomllib  # type: ignore[no-redef]
        deep = json_depth_at(text, MAX_SMALL_DOCUMENT_DEPTH, toml=True)  # tomllib recurses: bounded first
        if deep is not None:
            raise depth_error(text, deep, MAX_SMALL_DOCUMENT_DEPTH, name)
        try:
            document: Any = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise ScreenkitError(f"invalid TOML: {error}", path=name) from None
    else:
        document = load_json_bounded(text, name, max_depth=MAX_SMALL_DOCUMENT_DEPTH)
    if not isinstance(document, dict):
        raise ScreenkitError("invalid QC profile: $: the profile must be an object", path=name)
    return document


@lru_cache(maxsize=16)
def _builtin_document(name: str) -> dict[str, Any]:
    # Built-in profiles are validated by the test suite, not at every start.
    return json.loads((PROFILES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _user_document(path: Path) -> dict[str, Any]:
    document = read_document(path)
    validate_document(document, os.fspath(path))
    return document


_user_cache: dict[tuple[str, float], dict[str, Any]] = {}


def load_document(name_or_path: str) -> tuple[dict[str, Any], str | None]:
    """The profile document for a built-in name or a file path, and the path it came from."""
    if name_or_path in BUILTIN_PROFILES:
        return _builtin_document(name_or_path), None
    looks_like_path = any(sep in name_or_path for sep in ("/", os.sep)) or name_or_path.endswith((".json", ".toml"))
    path = Path(name_or_path)
    if not looks_like_path and not path.exists():
        raise ScreenkitError(
            f"unknown profile {name_or_path!r} (built-in: {', '.join(BUILTIN_PROFILES)}; or give a .json/.toml file)"
        )
    try:
        key = (os.fspath(path.resolve()), path.stat().st_mtime)
    except OSError:
        key = (os.fspath(path), 0.0)
    if key not in _user_cache:
        _user_cache[key] = _user_document(path)
    return _user_cache[key], os.fspath(path)


def load_profile(name_or_path: str, language: Language | None) -> Profile:
    """A built-in profile (festival, netflix, netflix-children, bbc, cinema) or a file, for one language."""
    document, path = load_document(name_or_path)
    return resolve(document, language, path)
