"""``screenkit lint``: check subtitle files against a QC profile, and fix what is safe."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from toolkit.cli.options import encoding_option, findings_format_option, input_format_option
from toolkit.cli.output import emit_json, note, progress_bar
from toolkit.diagnostics import Diagnostic, Severity
from toolkit.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, ScreenkitError
from toolkit.languages import Language, parse_bilingual

if TYPE_CHECKING:
    from toolkit.qc.registry import Selection

PROFILE_HELP = "festival (default), netflix, netflix-children, bbc, cinema, or a .json/.toml profile file."


@dataclass
class FileReport:
    path: str
    language: str | None = None
    language_source: str | None = None  # "--lang", "file name", "detected"
    profile: str | None = None
    encoding: str | None = None
    cues: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    output: str | None = None
    changes: list[str] = field(default_factory=list)
    fixes: list[dict[str, str | int | None]] = field(default_factory=list)  # the changes with their codes
    warnings: list[str] = field(default_factory=list)  # what the reader repaired (negative times)
    skipped: list[str] = field(default_factory=list)  # problems --fix left, and why
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "language": self.language,
            "language_source": self.language_source,
            "profile": self.profile,
            "encoding": self.encoding,
            "cues": self.cues,
            "diagnostics": [diagnostic.to_dict() for diagnostic in self.diagnostics],
            "fix": None
            if self.output is None
            else {"output": self.output, "changes": self.changes, "fixes": self.fixes, "skipped": self.skipped},
            "warnings": self.warnings,
            "error": self.error,
        }


def collect_files(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given; folders walked (sorted, hidden entries skipped) for subtitle files."""
    from toolkit.subtitles import SUBTITLE_EXTENSIONS

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = []
            for folder, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(
                    Path(folder) / name
                    for name in names
                    if not name.startswith(".") and Path(name).suffix.lower() in SUBTITLE_EXTENSIONS
                )
            files.extend(sorted(found))
        else:
            files.append(path)
    return files


def _list_rules(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from toolkit.qc.registry import RULES

    for rule in RULES.values():
        fixable = "fix" if rule.fixable else "   "
        click.echo(f"{rule.code}  {rule.severity.value:<7}  {fixable}  {rule.name:<28}  {rule.summary}")
    ctx.exit(0)


def _explain(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if not value or ctx.resilient_parsing:
        return
    from toolkit.qc.registry import explain

    click.echo(explain(value), nl=False)  # an unknown code: ScreenkitError, exit 2
    ctx.exit(0)


@click.command()
@click.option("--explain", metavar="CODE", is_eager=True, expose_value=False, callback=_explain, help="Print a rule's documentation (what, why, the fix), then exit.")
@click.option("--list-rules", is_flag=True, is_eager=True, expose_value=False, callback=_list_rules, help="List the rule codes, their default severity and which --fix repairs, then exit.")
@click.argument("paths", metavar="FILE|DIR...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--profile", "profile_name", default="festival", show_default=True, metavar="NAME|PATH", help=PROFILE_HELP)
@click.option("--lang", "lang", metavar="TAG",
              help="Language of the tracks, or a bilingual pair (zh-Hant-TW+en) (default: from the file name, else detected).")
@click.option("--select", metavar="CODES", help="Only these rule codes or prefixes, comma-separated (e.g. SK2,SK301).")
@click.option("--ignore", metavar="CODES", help="Skip these rule codes or prefixes, comma-separated.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes; needs -o FILE or --in-place.")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path), help="With --fix: write the fixed track here.")
@click.option("--in-place", is_flag=True, help="With --fix: rewrite each file, keeping the original as FILE.bak.")
@click.option("--video-duration", metavar="DURATION", help="Flag events after the end of the video (e.g. 1:32:10, 5520s).")
@click.option("--fps", metavar="RATE", help="Frame rate for limits counted in frames (default: the profile's, 24).")
@input_format_option
@encoding_option
@findings_format_option
def lint(
    paths: tuple[Path, ...],
    profile_name: str,
    lang: str | None,
    select: str | None,
    ignore: str | None,
    fix: bool,
    output: Path | None,
    in_place: bool,
    video_duration: str | None,
    fps: str | None,
    input_format: str | None,
    encoding: str | None,
    output_format: str,
) -> None:
    """Check subtitle files (SRT, WebVTT, ASS) against a QC profile.

    \b
    Examples:
      screenkit lint film.fr.srt
      screenkit lint subtitles/ --profile netflix --ignore SK3
      screenkit lint film.zh-Hans.srt --fix -o film.fixed.srt
    Exit status: 0 clean (warnings allowed), 1 error-level findings,
    2 a file could not be read or the options are wrong.
    """
    from toolkit.qc.profile import load_document
    from toolkit.qc.registry import Selection
    from toolkit.subtitles.timecode import parse_fps, parse_offset

    selection = Selection.parse(select, ignore)
    if output is not None and not fix:
        raise ScreenkitError("-o/--output is for --fix (lint itself writes no file)")
    if in_place and not fix:
        raise ScreenkitError("--in-place is for --fix")
    if fix and (output is None) == (not in_place):
        raise ScreenkitError("--fix needs exactly one of -o FILE or --in-place")
    language, secondary = parse_bilingual(lang) if lang else (None, None)
    video_ms = parse_offset(video_duration) if video_duration else None
    if video_ms is not None and video_ms <= 0:
        raise ScreenkitError(f"--video-duration must be positive (got {video_duration!r})")
    frame_rate = parse_fps(fps) if fps else None
    load_document(profile_name)  # a bad profile is a usage error before any file is read

    files = collect_files(paths)
    if not files:
        from toolkit.subtitles import SUBTITLE_EXTENSIONS

        kinds = " ".join(SUBTITLE_EXTENSIONS)
        raise ScreenkitError(f"no subtitle files ({kinds}) found in " + ", ".join(map(str, paths)))
    if output is not None and len(files) > 1:
        raise ScreenkitError("-o takes one input file; use --in-place for several")

    reports: list[FileReport] = []
    with progress_bar("Linting", len(files)) as bar:
        for path in files:
            try:
                report = lint_file(
                    path, profile_name, language, encoding, frame_rate, video_ms, fix, output, input_format,
                    selection, secondary=secondary,
                )
            except ScreenkitError as error:
                if len(files) == 1:
                    raise
                report = FileReport(path=str(path), error=str(error.with_path(path)))
            report.diagnostics = [d for d in report.diagnostics if selection(d.code)]
            reports.append(report)
            bar.advance()

    if output_format == "json":
        emit_json({"profile": profile_name, "files": [r.to_dict() for r in reports], "summary": summarize(reports)})
        for report in reports:
            if report.error:
                click.echo(report.error, err=True)
    elif output_format == "junit":
        from toolkit.cli.junit import junit_report

        results = [(r.path, None if r.error else r.diagnostics, r.error) for r in reports]
        click.echo(junit_report("screenkit lint", results, passed="QC checks"))
    else:
        print_text(reports)
    if any(r.error for r in reports):
        raise SystemExit(EXIT_USAGE)
    has_errors = any(d.severity is Severity.ERROR for r in reports for d in r.diagnostics)
    raise SystemExit(EXIT_FINDINGS if has_errors else EXIT_OK)


def lint_file(
    path: Path,
    profile_name: str,
    language: Language | None,
    encoding: str | None,
    frame_rate: Any,
    video_ms: int | None,
    fix: bool,
    output: Path | None,
    input_format: str | None = None,
    selection: Selection | None = None,
    secondary: Language | None = None,
) -> FileReport:
    from toolkit.qc import ALL, fix_track, lint_track, load_profile
    from toolkit.qc.langid import identify_track, language_sample
    from toolkit.subtitles import read_track

    track = read_track(path, fmt=input_format, encoding=encoding)
    source = "file name" if track.language else None
    if language is not None:
        track.language, source = language, "--lang"
        if secondary is not None:
            track.secondary_language = secondary  # --lang zh-Hant-TW+en
    chosen = track.language
    found = identify_track(track.cues, language_sample(track)) if chosen is None or chosen.is_cjk else None
    if chosen is None and found is not None:
        chosen = found.primary
        source = "detected" if chosen else None
    bilingual = found if found is not None and found.secondary_code and chosen is not None and chosen.is_cjk else None
    if bilingual is not None and track.secondary_language is None:
        track.secondary_language = bilingual.secondary  # a bilingual track: zh-Hans+en
    shown = str(chosen) if chosen else None
    if shown and track.secondary_language is not None:
        shown += "+" + track.secondary_language.tag  # said by --lang or the name, or found
    elif shown and bilingual is not None:
        shown += "+" + bilingual.secondary_code
    if frame_rate is not None:
        track.frame_rate = frame_rate
    profile = load_profile(profile_name, chosen)
    report = FileReport(
        path=str(path),
        language=shown,
        language_source=source,
        profile=profile.name,
        encoding=track.encoding,
        cues=len(track),
        warnings=[warning.format(str(path)) for warning in track.warnings],
    )
    if not fix:
        report.diagnostics = lint_track(track, profile, video_duration_ms=video_ms)
        return report
    # --select and --ignore limit the fixes as they limit the findings.
    result = fix_track(track, profile, selection or ALL)
    if not result.track.cues:
        raise ScreenkitError("every event is empty: the fixed file would have none; nothing written", path=path)
    target = output if output is not None else path
    write_fixed(result.track, path, target, in_place=output is None, changed=result.changed)
    report.output = str(target)
    report.changes = result.changes
    report.fixes = [change.to_dict() for change in result.fixes]
    report.skipped = [str(change) for change in result.skipped]
    # What is left is reported against the file as written, with its own line numbers.
    written = read_track(target, fmt=track.format if target == path else None)
    written.language = track.language
    written.secondary_language = track.secondary_language
    written.frame_rate = track.frame_rate
    report.diagnostics = lint_track(written, profile, video_duration_ms=video_ms)
    return report


def write_fixed(track: Any, source: Path, target: Path, *, in_place: bool, changed: bool) -> None:
    """-o: always written. --in-place: only when something changed, after a backup FILE.bak."""
    from toolkit.fsutil import refuse_overwriting_input, write_bytes_atomic
    from toolkit.subtitles import format_from_path, write_track

    if not in_place:
        refuse_overwriting_input(target, source)
        fmt = track.format if target.suffix.lower() == source.suffix.lower() else format_from_path(target)
        write_track(track, target, fmt=fmt, bom=track.had_bom)
        return
    if not changed:
        return
    backup = source.with_name(source.name + ".bak")
    try:
        original = source.read_bytes()
    except OSError as error:
        raise ScreenkitError(f"cannot read: {error.strerror}", path=source) from None
    write_bytes_atomic(backup, original)
    write_track(track, source, fmt=track.format, bom=track.had_bom)


def summarize(reports: list[FileReport]) -> dict[str, Any]:
    diagnostics = [d for r in reports for d in r.diagnostics]
    counts = {severity.value: sum(d.severity is severity for d in diagnostics) for severity in Severity}
    return {
        "files": len(reports),
        "files_with_findings": sum(1 for r in reports if r.diagnostics),
        "unreadable": sum(1 for r in reports if r.error),
        "findings": len(diagnostics),
        **counts,
        "fixable": sum(1 for d in diagnostics if d.fix),
        "changes": sum(len(r.changes) for r in reports),
    }


def print_text(reports: list[FileReport]) -> None:
    first = True
    for report in reports:
        if report.error:
            click.echo(report.error, err=True)
            continue
        for warning in report.warnings:
            click.echo(warning, err=True)
        lines = [f"{report.output}: fixed: {change}" for change in report.changes]
        lines += [f"{report.output}: not fixed: {what}" for what in report.skipped]
        lines += [diagnostic.format_text() for diagnostic in report.diagnostics]
        if not lines:
            continue
        if not first:
            click.echo("")
        first = False
        for line in lines:
            click.echo(line)
    summary = summarize(reports)
    if summary["findings"]:
        parts = [f"{summary[name]} {name}{'s' if summary[name] != 1 else ''}" for name in ("error", "warning") if summary[name]]
        if summary["info"]:
            parts.append(f"{summary['info']} info")
        fixable = f"; {summary['fixable']} fixable with --fix" if summary["fixable"] and not any(r.output for r in reports) else ""
        click.echo(
            f"\nFound {summary['findings']} finding{'s' if summary['findings'] != 1 else ''} "
            f"({', '.join(parts)}) in {summary['files_with_findings']} of {summary['files']} "
            f"file{'s' if summary['files'] != 1 else ''}{fixable}."
        )
    elif not summary["unreadable"]:
        note(f"All {summary['files']} file{'s' if summary['files'] != 1 else ''} clean.")
    if summary["changes"]:
        note(f"Applied {summary['changes']} fix{'es' if summary['changes'] != 1 else ''}.")
