"""The kinds of package step, one module each.

A module here defines ``KINDS``: the :class:`StepKind`\\ s it plans. Adding a
step kind (a new deliverable, say) is one new file: a ``plan`` function that
appends :class:`~toolkit.package.steps.Step`\\ s to the
:class:`~toolkit.package.plan.PackagePlan` for one work, and its codes in ``CODES``; for a
deliverable, ``deliverable=True`` so the report lists its outputs.

    subtitles  order 10  the QC-fixed tracks; --translate-missing translates the missing
    media      order 20  the video, linked or copied into the package
    burn       order 30  burned-in copies and a still of each
    mux        order 40  soft-subtitled copy
    sidecar    order 50  subtitle files beside the video
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.diagnostics import CodeDoc

if TYPE_CHECKING:
    from toolkit.package.plan import PackagePlan, WorkPlan
    from toolkit.package.steps import Step

PlanWork = Callable[["PackagePlan", "WorkPlan"], None]


@dataclass(frozen=True)
class StepKind:
    name: str  # Step.kind
    order: int  # planning order: tracks before what is made from them
    plan: PlanWork | None = None  # None: planned by another kind of the module (a still by its burn)
    deliverable: bool = False  # the report lists its outputs
    video: bool = False  # its outputs are videos: the report shows their duration
    # The languages of one output (default: the step's "languages" option).
    languages: Callable[[Step, Path], list[str]] | None = None


@cache
def kinds() -> dict[str, StepKind]:
    """Every step kind in this package, by name, in planning order."""
    found: list[StepKind] = []
    for module in pkgutil.iter_modules(__path__):
        found.extend(getattr(importlib.import_module(f"{__name__}.{module.name}"), "KINDS", ()))
    return {kind.name: kind for kind in sorted(found, key=lambda kind: kind.order)}


@cache
def codes() -> tuple[CodeDoc, ...]:
    """The SKPxxx codes the step kinds report (a module's ``CODES``), documented."""
    found: list[CodeDoc] = []
    for module in pkgutil.iter_modules(__path__):
        found.extend(getattr(importlib.import_module(f"{__name__}.{module.name}"), "CODES", ()))
    return tuple(sorted(found, key=lambda doc: doc.code))


def planners() -> list[PlanWork]:
    return [kind.plan for kind in kinds().values() if kind.plan is not None]


def output_languages(step: Step, output: Path) -> list[str]:
    kind = kinds().get(step.kind)
    if kind is not None and kind.languages is not None:
        return kind.languages(step, output)
    languages = step.options.get("languages", [])
    return [str(tag) for tag in languages] if isinstance(languages, list) else []
