"""What ``screenkit package --translate-missing`` needs of the translator, in one place."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.errors import ScreenkitError
from toolkit.languages import Language

if TYPE_CHECKING:
    from toolkit.translate.executor import Executor, ExecutorSpec


def route_hops(source: Language, target: Language) -> int | None:
    """How many installed models translate source → target (0 a script conversion, 1 direct,
    2 through English); None if none."""
    from toolkit.translate.engine import missing_models, plan_route

    planned = plan_route(source, target)
    if planned.conversion_only:
        return 0
    if not planned.pairs or missing_models(planned.pairs):
        return None
    return len(planned.pairs)


def is_conversion(source: Language, target: Language) -> bool:
    """Made by OpenCC from the other Chinese script, no model (``origin: converted``)."""
    from toolkit.translate.engine import plan_route

    return plan_route(source, target).conversion_only


def install_hint_for(work: Any, target: Language) -> str:
    sources = sorted(
        track.language.argos for track in work.tracks.values() if track.status == "human"
    )
    examples = " ".join(f"{code}:{target.argos}" for code in sources[:2])
    return f"install one with: screenkit models install {examples}" if examples else "no source track"


def models_fingerprint(source: Language, target: Language) -> str:
    """Name, version and weights hash of every model used: a new model re-translates."""
    from toolkit.translate.engine import plan_route
    from toolkit.translate.models import find_installed, model_fingerprint

    planned = plan_route(source, target)
    parts = []
    for pair in planned.pairs:
        model = find_installed(*pair)
        parts.append(model_fingerprint(model) if model else f"{pair[0]}:{pair[1]}:missing")
    if planned.convert:
        from importlib.metadata import version

        # A new OpenCC may convert differently: its version is part of what the track depends on.
        parts.append(f"opencc-{version('opencc')}:{planned.convert}")
    return "|".join(parts)


_EXECUTORS: dict[ExecutorSpec, Executor] = {}


def executor_for(spec: ExecutorSpec | None) -> Executor | None:
    """One executor per spec for the whole run: a Ray connection is made once, not per track."""
    if spec is None or spec.kind == "local":
        return None
    if spec not in _EXECUTORS:
        from toolkit.translate.executor import make_executor

        _EXECUTORS[spec] = make_executor(spec)
    return _EXECUTORS[spec]


def close_executors() -> None:
    while _EXECUTORS:
        _EXECUTORS.popitem()[1].close()


def translate_file(
    source_file: Path, source: Language, target: Language, *, cache_path: Path, executor: Executor | None = None
) -> tuple[Any, dict[str, Any]]:
    """Translate one subtitle file (through the same job code as ``screenkit translate``)."""
    from toolkit.subtitles import read_track
    from toolkit.translate.cache import TranslationCache
    from toolkit.translate.engine import EngineOptions
    from toolkit.translate.job import ArgosTranslators, run_job

    cache = TranslationCache(cache_path)
    try:
        translators = ArgosTranslators(EngineOptions(), cache)
        with tempfile.TemporaryDirectory(prefix="screenkit-translate-") as folder:
            report = run_job(
                [source_file], [target], Path(folder), source=source, factory=translators, reviewed=cache,
                executor=executor,
            )
            result = report.files[0]
            if result.error or target.tag not in result.outputs:
                raise ScreenkitError(result.error or "translation produced no file", path=source_file)
            track = read_track(result.outputs[target.tag], language=target)
    finally:
        cache.close()
    # Only what the result depends on: cache hits differ between a clean run and
    # a resumed one, and the package must come out identical.
    from toolkit.translate.engine import plan_route

    conversion = plan_route(source, target).convert
    stats = {
        "segments": report.segments,
        "models": [leg.key for leg in translators.legs.values()],
        **({"conversion": f"OpenCC {conversion}"} if conversion else {}),
        "warnings": [d.message for d in result.diagnostics if d.severity.value == "warning"],
    }
    return track, stats
