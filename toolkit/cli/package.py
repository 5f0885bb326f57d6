from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from toolkit.cli.options import executor_options, executor_spec, findings_format_option
from toolkit.cli.output import emit_json, note, progress_enabled, stderr_console
from toolkit.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, ScreenkitError


@click.command()
@click.argument("manifest", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Package folder (created; re-runs update it).")
@click.option("--translate-missing", is_flag=True, help="Machine-translate tracks the event needs and a work lacks.")
@click.option("-j", "--jobs", default=1, show_default=True, type=click.IntRange(1, 64), help="Works processed in parallel.")
@click.option("--dry-run", is_flag=True, help="Print the plan; build nothing.")
@click.option("--wait", is_flag=True, help="If another screenkit is writing --out, wait for it instead of failing.")
@click.option("--no-media", is_flag=True, help="Skip probing media during validation.")
@click.option("--crf", default=20, show_default=True, type=click.IntRange(0, 51), help="x264 quality of burned copies.")
@click.option("--preset", default="veryfast", show_default=True, help="x264 preset of burned copies.")
@click.option("--font", type=click.Path(dir_okay=False), help="Font file for burned subtitles.")
@click.option("--ffmpeg", "ffmpeg_path", metavar="PATH|system",
              help="ffmpeg to use instead of the one imageio-ffmpeg ships (also: $SCREENKIT_FFMPEG).")
@executor_options
@findings_format_option
def package(
    manifest: Path,
    out_dir: Path,
    translate_missing: bool,
    jobs: int,
    dry_run: bool,
    wait: bool,
    no_media: bool,
    crf: int,
    preset: str,
    font: str | None,
    ffmpeg_path: str | None,
    executor_name: str,
    actors: int | None,
    cpus_per_actor: float | None,
    gpus_per_actor: float,
    output_format: str,
) -> None:
    """Build the screening package of an event from its manifest.

    \b
    Validates the manifest (stops on errors), then for every work: the
    subtitle tracks the audience needs (QC-fixed; --translate-missing fills
    gaps by machine translation), burned and muxed copies, sidecar files and
    stills; then manifest.yaml, report.json, report.html and checksums.sha256.
    Steps whose inputs have not changed are skipped; an interrupted run,
    re-run, finishes the rest.

    \b
    Example:
      screenkit package samples/paris-showcase/manifest.yaml --out build/paris
    """
    from toolkit.package.build import PackageBlocked, PackageOptions, build_package
    from toolkit.translate import package_support

    spec = executor_spec(executor_name, actors, cpus_per_actor, gpus_per_actor)
    if spec.kind != "local" and not translate_missing:
        raise ScreenkitError("--executor ray runs the models of --translate-missing: give that too")
    package_support.executor_for(spec)  # without Ray installed: the one-line hint, before any work

    options = PackageOptions(
        translate_missing=translate_missing,
        jobs=jobs,
        dry_run=dry_run,
        wait=wait,
        check_media=not no_media,
        crf=crf,
        preset=preset,
        font=font,
        ffmpeg=ffmpeg_path,
        executor=spec,
    )
    try:
        with _StepDisplay() as display:
            result = build_package(manifest, out_dir, options, on_event=display.event)
    except PackageBlocked as blocked:
        if output_format == "json":
            emit_json({"ok": False, "error": blocked.message, "findings": [d.to_dict() for d in blocked.diagnostics]})
        elif output_format == "junit":
            from toolkit.cli.junit import junit_report

            click.echo(junit_report("screenkit package", [(str(manifest), blocked.diagnostics, None)]))
            click.echo(blocked.message, err=True)
        else:
            for diagnostic in blocked.diagnostics:
                click.echo(diagnostic.format_text(), err=True)
            click.echo(blocked.message, err=True)
        raise SystemExit(EXIT_FINDINGS) from None
    finally:
        package_support.close_executors()

    if output_format == "json":
        emit_json(
            {
                "ok": not result.failed,
                "out": str(result.out_dir),
                "plan": result.plan if dry_run else None,
                "steps": [{"step": s.step, "kind": s.kind, "action": s.action, "error": s.error} for s in result.steps],
                "warnings": [d.to_dict() for d in result.warnings],
            }
        )
    elif output_format == "junit":
        from toolkit.cli.junit import StepCase, junit_report

        steps = [StepCase(s.step, s.kind, s.action, s.error) for s in result.steps]
        click.echo(junit_report("screenkit package", [(str(manifest), result.warnings, None)], "manifest checks", steps))
    else:
        _print_text(result, dry_run)
    if any(failure.write_error for failure in result.failed):
        raise SystemExit(EXIT_USAGE)  # the package folder cannot take the outputs (full, read-only)
    raise SystemExit(EXIT_FINDINGS if result.failed else EXIT_OK)


def _print_text(result: Any, dry_run: bool) -> None:
    for warning in result.warnings:
        note(warning.format_text())
    if dry_run:
        click.echo(f"Plan for {result.out_dir} ({len(result.plan)} steps):")
        for line in result.plan:
            click.echo(f"  {line}")
        return
    ran = sum(1 for s in result.steps if s.action == "ran")
    skipped = sum(1 for s in result.steps if s.action == "skipped")
    for failure in result.failed:
        click.echo(f"{failure.step}: {failure.action}: {failure.error}", err=True)
    click.echo(
        f"{result.out_dir}: {len(result.steps)} steps, {ran} ran, {skipped} up to date, "
        f"{len(result.failed)} failed"
    )
    click.echo(f"report: {result.out_dir / 'report.html'}")


class _StepDisplay:
    """A Rich progress display of steps on stderr (off when not a terminal or with -q)."""

    def __init__(self) -> None:
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> _StepDisplay:
        if progress_enabled():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                console=stderr_console(), transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("package", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def event(self, kind: str, step: Any) -> None:
        if self._progress is None:
            return
        if kind == "started":
            self._progress.update(self._task, description=f"{step.kind}: {step.id}")
        elif kind in ("ran", "skipped", "failed"):
            self._progress.advance(self._task)
