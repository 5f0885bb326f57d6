"""Glossaries: terms per language pair and names that must not be translated.

Names come out different in every episode when a model translates them
(argos-notes.md). A glossary term found in a source segment is replaced by a
placeholder the model copies through (``[T0]``), and the placeholder is
replaced by the term's target form after translation. The output is checked:
a term whose target form is missing is reported, never silently dropped.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from toolkit.errors import ScreenkitError
from toolkit.fsutil import (
    MAX_SMALL_DOCUMENT_DEPTH,
    depth_within,
    load_json_bounded,
    read_input_bytes,
)
from toolkit.languages import Language, parse_language

PLACEHOLDER = "[T{}]"
# Models may add spaces inside the brackets; any such form is accepted back.
_PLACEHOLDER = re.compile(r"\[\s*T\s*(\d+)\s*\]")
_LATIN_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f_]")


@dataclass(frozen=True)
class Term:
    source: str
    target: str


@dataclass
class Protected:
    text: str
    terms: list[Term] = field(default_factory=list)  # index = placeholder number


@dataclass
class Glossary:
    pairs: dict[tuple[str, str], list[Term]] = field(default_factory=dict)
    names: list[dict[str, str] | str] = field(default_factory=list)
    path: Path | None = None

    def terms_for(self, source: Language, target: Language) -> list[Term]:
        """The pair's own terms first, then the names that have a form in both languages.

        A region takes its script's entries where it has none of its own: zh-Hant-TW
        terms first, then zh-Hant ones.
        """
        terms: list[Term] = []
        known: set[str] = set()
        for source_tag in reversed(source.lineage):
            for target_tag in reversed(target.lineage):
                for term in self.pairs.get((source_tag, target_tag), []):
                    if term.source not in known:
                        terms.append(term)
                        known.add(term.source)
        for name in self.names:
            if isinstance(name, str):
                pair = Term(name, name)
            else:
                source_form = next((name[tag] for tag in reversed(source.lineage) if tag in name), None)
                target_form = next((name[tag] for tag in reversed(target.lineage) if tag in name), None)
                if source_form is None or target_form is None:
                    continue
                pair = Term(source_form, target_form)
            if pair.source not in known:
                terms.append(pair)
                known.add(pair.source)
        # Longest first, so that 秦岭山脉 wins over 秦岭.
        return sorted(terms, key=lambda term: -len(term.source))


@lru_cache(maxsize=1)
def glossary_schema() -> dict[str, Any]:
    from toolkit.schemas import load_schema

    return load_schema("glossary")  # works from an installed wheel too (toolkit/schemas.py)


def _read_document(path: Path) -> Any:
    """The glossary's data, read as the manifest is: nesting, aliases and size bounded."""
    data = read_input_bytes(path, kind="glossary file", missing="no such glossary file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScreenkitError(f"the glossary is not UTF-8 ({error.reason})", path=path) from None
    if path.suffix.lower() in (".yaml", ".yml"):
        from toolkit.manifest.yamlpos import load_yaml

        document = load_yaml(text, os.fspath(path))[0]
    else:
        document = load_json_bounded(text, path, max_depth=MAX_SMALL_DOCUMENT_DEPTH)
    if not depth_within(document, MAX_SMALL_DOCUMENT_DEPTH):  # jsonschema validates recursively
        raise ScreenkitError(f"nested more than {MAX_SMALL_DOCUMENT_DEPTH} levels deep", path=path)
    return document


def load_glossary(path: str | Path) -> Glossary:
    """Read and validate a glossary (JSON or YAML) against schemas/glossary.schema.json."""
    path = Path(path)
    document = _read_document(path)
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(glossary_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        pointer = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first.absolute_path).lstrip(".")
        raise ScreenkitError(f"{pointer or '(top)'}: {first.message}", path=path)
    glossary = Glossary(path=path)
    for pair in document.get("pairs", []):
        key = (parse_language(pair["from"]).tag, parse_language(pair["to"]).tag)
        glossary.pairs.setdefault(key, []).extend(Term(t["source"], t["target"]) for t in pair["terms"])
    for name in document.get("names", []):
        if isinstance(name, str):
            glossary.names.append(name)
        else:
            glossary.names.append({parse_language(tag).tag: form for tag, form in name.items()})
    return glossary


def _pattern(term: str) -> re.Pattern[str]:
    escaped = re.escape(term)
    # A Latin term is a whole word ("Li" must not match inside "Lily"); a CJK one is a
    # substring, and a Latin name touching CJK text ("Jia Zhangke拍的") still matches.
    if _LATIN_WORD.match(term[0]):
        escaped = rf"(?<!{_LATIN_WORD.pattern})" + escaped
    if _LATIN_WORD.match(term[-1]):
        escaped = escaped + rf"(?!{_LATIN_WORD.pattern})"
    return re.compile(escaped)


def protect(text: str, terms: list[Term]) -> Protected:
    """Replace each glossary term in ``text`` by a numbered placeholder."""
    used: list[Term] = []
    for term in terms:
        pattern = _pattern(term.source)
        if not pattern.search(text):
            continue
        placeholder = PLACEHOLDER.format(len(used))
        # The term is matched as a whole word, so the placeholder needs no spaces around it.
        text = pattern.sub(lambda _match, p=placeholder: p, text)
        used.append(term)
    return Protected(text, used)


def restore(translated: str, terms: list[Term]) -> tuple[str, list[Term]]:
    """Placeholders → target forms; the terms whose target form is missing from the result."""
    seen: set[int] = set()

    def put_back(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if number >= len(terms):
            return ""  # a placeholder the model invented
        seen.add(number)
        return terms[number].target

    text = _PLACEHOLDER.sub(put_back, translated)
    text = re.sub(r" {2,}", " ", text).strip()
    missing = [term for number, term in enumerate(terms) if number not in seen and term.target not in text]
    return text, missing
