"""A translation job: many files, several target languages, one model load per pair.

Reading and planning every file first lets all segments of all files for a
language pair go through the same batched calls (and identical segments be
translated once). A file that cannot be read or written is reported and the
others go on.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.chinese import config_for, convert_text, convert_track
from toolkit.diagnostics import Diagnostic, Location, Severity
from toolkit.errors import ScreenkitError
from toolkit.fsutil import refuse_overwriting_input
from toolkit.languages import ZH_HANS, Language, lookup
from toolkit.subtitles import SUBTITLE_EXTENSIONS, Track, read_track, write_track
from toolkit.translate.cache import CachedTranslator, TranslationCache
from toolkit.translate.engine import (
    ArgosPairTranslator,
    ConvertingTranslator,
    EngineOptions,
    PivotTranslator,
    SegmentTranslator,
    conversion_of,
    install_hint,
    missing_models,
    model_legs,
    plan_route,
)
from toolkit.translate.executor import Executor, LocalExecutor, PairWork
from toolkit.translate.glossary import Glossary, Protected, Term, protect, restore
from toolkit.translate.models import find_installed
from toolkit.translate.segment import TrackPlan, assemble, dropped_markup_cues, plan_track

# Too little text to tell a language apart reliably.
MIN_DETECTION_CHARS = 20
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) +| +(?=[\u3000-\u9fff\uff00-\uffef])")

TranslatorFactory = Callable[[Language, Language], SegmentTranslator]


@dataclass
class FileResult:
    input: Path
    source: Language | None = None
    outputs: dict[str, Path] = field(default_factory=dict)
    cues: int = 0
    segments: int = 0
    error: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": str(self.input),
            "source": self.source.tag if self.source else None,
            "outputs": {tag: str(path) for tag, path in self.outputs.items()},
            "cues": self.cues,
            "segments": self.segments,
            "error": self.error,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


@dataclass
class JobReport:
    files: list[FileResult] = field(default_factory=list)
    segments: int = 0
    translated: int = 0
    cache_hits: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.error]

    @property
    def cues(self) -> int:
        return sum(f.cues for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": len(self.files),
            "failed": len(self.failed),
            "cues": self.cues,
            "segments": self.segments,
            "translated": self.translated,
            "cache_hits": self.cache_hits,
            "seconds": round(self.seconds, 3),
            "results": [f.to_dict() for f in self.files],
        }


@dataclass
class _Loaded:
    result: FileResult
    track: Track
    plan: TrackPlan


def collect_inputs(paths: Sequence[str | Path]) -> list[Path]:
    """Files as given; folders expanded to the subtitle files inside them (sorted)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUBTITLE_EXTENSIONS)
            )
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def output_name(source_path: Path, source: Language | None, target: Language) -> str:
    """``film.zh.srt`` → ``film.en.srt``: the stem without its language part."""
    parts = source_path.name.split(".")
    extension = parts[-1] if len(parts) > 1 else "srt"
    stem_parts = parts[:-1] if len(parts) > 1 else parts
    if len(stem_parts) > 1 and lookup(stem_parts[-1]) is not None:
        stem_parts = stem_parts[:-1]
    return f"{'.'.join(stem_parts)}.{target.tag}.{extension}"


def detect_source(track: Track, given: Language | None) -> Language:
    if given is not None:
        return given
    if track.language is not None:
        return track.language
    from toolkit.qc.langid import identify_language

    text = "\n".join(cue.plain_text for cue in track.cues)
    language, code, probability = identify_language(text)
    if language is None or len(text.strip()) < MIN_DETECTION_CHARS:
        raise ScreenkitError(
            f"cannot tell the source language (identified {code or 'nothing'} at {probability:.2f}); "
            "name it with --from or in the file name (film.zh.srt)",
            path=track.path,
        )
    return language


class ArgosTranslators:
    """Translators per language pair, on one cached translator per argos package.

    A pivot (zh→fr) and a direct pair (zh→en) of the same job share the zh→en
    package: its model is loaded once and its results are cached once.
    """

    def __init__(
        self,
        options: EngineOptions,
        cache: TranslationCache | None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.options = options
        self.cache = cache
        self.progress = progress
        self.legs: dict[tuple[str, str], CachedTranslator] = {}

    def _leg(self, pair: tuple[str, str]) -> CachedTranslator:
        if pair not in self.legs:
            model = find_installed(*pair)
            if model is None:
                raise ScreenkitError(f"no model installed for {pair[0]}:{pair[1]}; {install_hint([pair])}")
            self.legs[pair] = CachedTranslator(ArgosPairTranslator(model, self.options), self.cache, self.progress)
        return self.legs[pair]

    def __call__(self, source: Language, target: Language) -> SegmentTranslator:
        planned = plan_route(source, target)
        if planned.conversion_only:
            assert planned.convert is not None
            return ConvertingTranslator(planned.convert)
        pairs = list(planned.pairs)
        missing = missing_models(pairs)
        if missing:
            raise ScreenkitError(f"no model installed for {source.tag} → {target.tag}; {install_hint(missing)}")
        legs = [self._leg(pair) for pair in pairs]
        translator: SegmentTranslator = legs[0] if len(legs) == 1 else PivotTranslator(legs[0], legs[1])
        return PivotTranslator(translator, ConvertingTranslator(planned.convert)) if planned.convert else translator

    @property
    def hits(self) -> int:
        return sum(leg.hits for leg in self.legs.values())

    @property
    def translated(self) -> int:
        return sum(leg.translated for leg in self.legs.values())


def run_job(
    inputs: Sequence[Path],
    targets: Sequence[Language],
    out_dir: Path,
    *,
    source: Language | None,
    factory: TranslatorFactory,
    glossary: Glossary | None = None,
    input_format: str | None = None,
    on_file: Callable[[FileResult], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    executor: Executor | None = None,
    reviewed: TranslationCache | None = None,
) -> JobReport:
    """Translate every input into every target language, files written atomically.

    ``executor`` runs the translation of each language pair (default: here, in
    this process); the files are split back and written here either way. With
    ``reviewed``, a cue whose source text has lines a person approved for the
    pair (``screenkit review``) gets those lines, not the model's.
    """
    started = time.monotonic()
    report = JobReport()
    loaded: list[_Loaded] = []
    for path in inputs:
        result = FileResult(input=path)
        report.files.append(result)
        try:
            track = read_track(path, fmt=input_format, language=source)
            result.source = detect_source(track, source)
            plan = plan_track(track, result.source)
        except ScreenkitError as error:
            result.error = str(error.with_path(path))
            continue
        result.cues = len(track)
        result.segments = len(plan.segments)
        for index in dropped_markup_cues(plan):
            cue = track.cues[index]
            result.diagnostics.append(
                Diagnostic(
                    "TR002",
                    Severity.INFO,
                    "styling inside the sentence cannot follow the translated words; kept only at the edges",
                    Location(path=str(path), line=cue.source_line, cue=index + 1, time_ms=cue.start),
                )
            )
        loaded.append(_Loaded(result, track, plan))

    # Every (source, target) pair: all segments of all files through one translator.
    # Between Chinese scripts the track is converted, cue by cue, and no model is asked.
    pairs: dict[tuple[str, str], list[_Loaded]] = {}
    for item in loaded:
        assert item.result.source is not None
        for target in targets:
            if target != item.result.source and config_for(item.result.source, target) is not None:
                _convert(item, target, glossary, out_dir)
                if on_file:
                    on_file(item.result)
            elif target != item.result.source:
                pairs.setdefault((item.result.source.tag, target.tag), []).append(item)
            else:
                item.result.diagnostics.append(
                    Diagnostic("TR003", Severity.INFO, f"already in {target.tag}: not translated", Location(path=str(item.result.input)))
                )
    # Check every model first: a missing one is a usage error before any work.
    translators: dict[tuple[str, str], SegmentTranslator] = {}
    for key, items in pairs.items():
        source_language = items[0].result.source
        target_language = next(t for t in targets if t.tag == key[1])
        assert source_language is not None
        translators[key] = factory(source_language, target_language)

    work: dict[tuple[str, str], list[list[Protected]]] = {}
    total = 0
    for key, items in pairs.items():
        source_language = items[0].result.source
        target_language = next(t for t in targets if t.tag == key[1])
        assert source_language is not None
        terms = _glossary_terms(glossary, source_language, target_language, translators[key])
        work[key] = [[protect(text, terms) for text in item.plan.texts] for item in items]
        unique = {p.text for file_protected in work[key] for p in file_protected}
        total += len(unique) * model_legs(translators[key])
    if on_total:
        on_total(total)

    pieces = []
    for key in pairs:
        flat = [p.text for file_protected in work[key] for p in file_protected]
        report.segments += len(flat)
        pieces.append(PairWork(key, translators[key], flat))

    def finish_pair(piece: PairWork, outputs: list[str]) -> None:
        key = piece.pair
        target_language = next(t for t in targets if t.tag == key[1])
        position = 0
        for item, file_protected in zip(pairs[key], work[key], strict=True):
            count = len(file_protected)
            file_outputs = outputs[position : position + count]
            position += count
            if item.result.error:
                continue
            _finish(item, file_protected, file_outputs, target_language, out_dir, reviewed)
            if on_file:
                on_file(item.result)

    (executor or LocalExecutor()).run(pieces, finish_pair)
    report.seconds = time.monotonic() - started
    return report


def _glossary_terms(
    glossary: Glossary | None, source: Language, target: Language, translator: SegmentTranslator
) -> list[Term]:
    """The terms to protect. Translating into Traditional through zh-Hans, the zh-Hans forms
    the glossary has are converted too, unless it gives the target's own form (names the
    glossary keeps, 'Li Bai' or {zh-Hant: 李白}, stay as written)."""
    if glossary is None:
        return []
    terms = glossary.terms_for(source, target)
    config = conversion_of(translator)
    if config is not None:
        known = {term.source for term in terms}
        for term in glossary.terms_for(source, ZH_HANS):
            if term.source not in known:
                terms.append(Term(term.source, convert_text(term.target, config)))
                known.add(term.source)
        terms.sort(key=lambda term: -len(term.source))
    return terms


def _convert(item: _Loaded, target: Language, glossary: Glossary | None, out_dir: Path) -> None:
    """A Chinese track into the other script with OpenCC: every cue, line, time and tag kept."""
    result = item.result
    assert result.source is not None
    terms = glossary.terms_for(result.source, target) if glossary else []
    converted = convert_track(item.track, target, {term.source: term.target for term in terms}, source=result.source)
    if not _write_output(item, converted, target, out_dir):
        return
    result.diagnostics.append(
        Diagnostic("TR005", Severity.INFO, f"converted {result.source.tag} → {target.tag} with OpenCC (no model)", Location(path=str(result.input)))
    )


def _finish(
    item: _Loaded,
    protected: list[Protected],
    outputs: list[str],
    target: Language,
    out_dir: Path,
    reviewed: TranslationCache | None = None,
) -> None:
    result = item.result
    restored = []
    for segment, guarded, output in zip(item.plan.segments, protected, outputs, strict=True):
        text, missing = restore(output, guarded.terms)
        if target.is_cjk:
            text = _CJK_SPACE.sub("", text)
        restored.append(text)
        for term in missing:
            cue = item.track.cues[segment.cues[0]]
            result.diagnostics.append(
                Diagnostic(
                    "TR001",
                    Severity.WARNING,
                    f"glossary term {term.source!r} → {term.target!r} is missing from the {target.tag} translation",
                    Location(path=str(result.input), line=cue.source_line, cue=segment.cues[0] + 1, time_ms=cue.start),
                )
            )
    names = tuple(dict.fromkeys(term.target for guarded in protected for term in guarded.terms))
    translated = assemble(item.track, item.plan, restored, target, keep=names)
    if reviewed is not None and result.source is not None:
        _apply_reviewed(item, translated, reviewed, result.source, target)
    _write_output(item, translated, target, out_dir)


def _write_output(item: _Loaded, track: Track, target: Language, out_dir: Path) -> bool:
    """Write one output track in the input's format; a failure is the file's error, not the job's."""
    result = item.result
    destination = out_dir / output_name(result.input, result.source, target)
    try:
        refuse_overwriting_input(destination, result.input)
        write_track(track, destination, fmt=item.track.format, bom=False)
    except ScreenkitError as error:
        result.error = str(error)
        return False
    except OSError as error:
        result.error = f"{destination}: cannot write ({error.strerror})"
        return False
    result.outputs[target.tag] = destination
    return True


def _apply_reviewed(
    item: _Loaded, translated: Track, reviewed: TranslationCache, source: Language, target: Language
) -> None:
    """Approved lines win over the model's: a reviewed track is never overwritten by a re-run."""
    approved = reviewed.lookup_reviewed(source.tag, target.tag, [cue.text for cue in item.track.cues])
    if not approved:
        return
    kept = 0
    for source_cue, cue in zip(item.track.cues, translated.cues, strict=True):
        text = approved.get(source_cue.text)
        if text is not None:
            cue.lines = text.split("\n")
            kept += 1
    if kept:
        item.result.diagnostics.append(
            Diagnostic(
                "TR004",
                Severity.INFO,
                f"{kept} cue(s) taken from reviewed translations instead of the model",
                Location(path=str(item.result.input)),
            )
        )
