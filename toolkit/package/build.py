"""``screenkit package``: the whole screening package of an event, from its manifest.

Data flows one way: validate the manifest → plan the steps of every work
(``plan.PackagePlan``, one module per step kind in ``kinds/``) → run them
(``steps.StepRunner``), each skipped when its inputs have not changed → write
the output manifest and checksums (``outputs``) and the report (``report``
assembles the typed ``toolkit.report.model``; ``toolkit.report.html`` renders it).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.diagnostics import Diagnostic
from toolkit.errors import EXIT_FINDINGS, ScreenkitError
from toolkit.fsutil import (
    atomic_path,
    confined,
    open_folder,
    refuse_symlinks_below,
    write_text_atomic,
)
from toolkit.manifest import Manifest
from toolkit.package.lock import package_lock
from toolkit.package.options import PackageOptions
from toolkit.package.outputs import (
    CHECKSUMS,
    checksum_lines,
    output_manifest,
    write_checksums,
    write_manifest,
)
from toolkit.package.plan import PackagePlan
from toolkit.package.steps import (
    STATE_DIR,
    Step,
    StepResult,
    StepRunner,
    clean_partial_files,
    file_sha256,
)
from toolkit.report.model import PackageReport

REPORT_JSON = "report.json"
REPORT_HTML = "report.html"
# manifest semantic codes: required language missing, burned-in language missing.
MISSING_LANGUAGE_CODES = frozenset({"M501", "M503"})

__all__ = [
    "CHECKSUMS", "PackageBlocked", "PackageOptions", "PackageResult", "build_package", "write_checksums",
]


class PackageBlocked(ScreenkitError):
    """The manifest has errors: nothing is built; the findings say why."""

    def __init__(self, message: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(message, exit_code=EXIT_FINDINGS)
        self.diagnostics = diagnostics


@dataclass
class PackageResult:
    out_dir: Path
    steps: list[StepResult] = field(default_factory=list)
    plan: list[str] = field(default_factory=list)  # step descriptions (dry run)
    warnings: list[Diagnostic] = field(default_factory=list)
    report: PackageReport | None = None

    @property
    def failed(self) -> list[StepResult]:
        return [result for result in self.steps if result.action in ("failed", "blocked")]


EventCallback = Callable[[str, Step], None]


def _validate(manifest: Manifest, manifest_path: Path, options: PackageOptions) -> list[Diagnostic]:
    from toolkit.manifest import check_manifest

    diagnostics = check_manifest(manifest, check_media=options.check_media)
    blocking = [
        d for d in diagnostics
        if d.is_error and not (options.translate_missing and d.code in MISSING_LANGUAGE_CODES)
    ]
    if blocking:
        raise PackageBlocked(
            f"{manifest_path}: {len(blocking)} error(s) in the manifest; nothing was built", diagnostics
        )
    # M502 (optional language missing) is said by the package itself, with its own advice.
    return [d for d in diagnostics if not d.is_error and d.code != "M502"]


def build_package(
    manifest_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    options: PackageOptions | None = None,
    on_event: EventCallback | None = None,
) -> PackageResult:
    """Validate, plan and build (or, with ``dry_run``, only plan) the package."""
    options = options or PackageOptions()
    manifest_path, out = Path(manifest_path), Path(out_dir)
    _refuse_dangerous_output(manifest_path, out)
    from toolkit.manifest import load_manifest

    manifest = load_manifest(manifest_path)  # once: validated, then planned from
    warnings = _validate(manifest, manifest_path, options)
    package = PackagePlan(manifest, out, options)
    package.plan()
    result = PackageResult(out, warnings=warnings + package.warnings)
    result.plan = [step.describe() for step in package.steps]
    blocking = [d for d in package.warnings if d.is_error]
    if blocking:
        raise PackageBlocked(f"{manifest_path}: cannot build the package", blocking)
    if options.dry_run:
        return result
    # Below --out nothing is a link (or a FIFO): a planted one would take writes elsewhere.
    refuse_symlinks_below(out)
    with confined(out):
        os.close(open_folder(os.fspath(out), [STATE_DIR]))
        with package_lock(out, out / STATE_DIR, wait=options.wait):
            return _build(package, manifest_path, out, options, result, on_event)


def _build(
    package: PackagePlan,
    manifest_path: Path,
    out: Path,
    options: PackageOptions,
    result: PackageResult,
    on_event: EventCallback | None,
) -> PackageResult:
    """The run itself, under the folder's lock (another run's temporary files are never touched)."""
    clean_partial_files(out)
    runner = StepRunner(out, jobs=options.jobs, on_event=on_event)
    result.steps = runner.run(package.steps)
    step_log = [{"step": r.step, "kind": r.kind, "action": r.action, "error": r.error} for r in result.steps]
    write_text_atomic(out / STATE_DIR / "last-run.json", json.dumps(step_log, indent=1) + "\n")
    by_id = {step.step: step for step in result.steps}
    manifest_sha = file_sha256(manifest_path)
    # The runner's hashes: every output hashed once per run (cached by path, size, mtime).
    digest = runner.hash
    if any(failure.write_error for failure in result.failed):
        return result  # the folder could not take the outputs (full, read-only): no report of it
    if not result.failed:
        write_manifest(package, output_manifest(package, digest))
    from toolkit.package.report import build_report
    from toolkit.report.html import render_report

    report = build_report(package, by_id, manifest_sha, digest, result.warnings)
    finishing = {
        REPORT_JSON: json.dumps(report.to_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        REPORT_HTML: render_report(report, out),
    }
    # The report and the checksums are renamed into place together, or none of them is:
    # a run cut short (a full disk) leaves no report of itself.
    with contextlib.ExitStack() as stack:
        written: dict[str, Path] = {}
        for name, text in finishing.items():
            temporary = stack.enter_context(atomic_path(out / name))
            _write_text(temporary, text, out / name)
            written[name] = temporary
        checksums = stack.enter_context(atomic_path(out / CHECKSUMS))
        _write_text(checksums, checksum_lines(out, digest, written), out / CHECKSUMS)
    result.report = report
    return result


def _write_text(temporary: Path, text: str, target: Path) -> None:
    from toolkit.fsutil import write_error

    try:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise write_error(error, target) from None


def _refuse_dangerous_output(manifest_path: Path, out: Path) -> None:
    base = manifest_path.resolve().parent
    target = out.resolve()
    if target == base or base.is_relative_to(target):
        raise ScreenkitError("the package folder must not be the manifest's folder or contain it", path=out)
    if target.exists() and not target.is_dir():
        raise ScreenkitError("not a folder", path=out)
    if target.is_dir() and any(target.iterdir()) and not (target / STATE_DIR).is_dir():
        raise ScreenkitError(
            "folder exists and is not a screenkit package; choose an empty or new folder", path=out
        )
