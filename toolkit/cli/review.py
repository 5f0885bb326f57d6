"""``screenkit review``: a local page to review and approve translated tracks."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.errors import ScreenkitError


@click.command()
@click.argument("paths", metavar="MANIFEST|FILE...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-browser", is_flag=True, help="Print the URL only; do not open a browser.")
@click.option("--port", default=0, show_default=True, type=click.IntRange(0, 65535), help="Port on 127.0.0.1 (0: a free one).")
@click.option("--reviewer", metavar="NAME", help="Name written as reviewed_by (default: the name given at the last approval; the page asks once, then remembers it).")
@click.option("--source", "source_language", metavar="LANG", help="Language of the track to show as the source (default: the work's original-language human track).")
@click.option("--profile", "profile_name", metavar="NAME|PATH", help="QC profile for the findings (default: the manifest's qc_profile, else festival).")
@click.option("--glossary", type=click.Path(dir_okay=False, path_type=Path), help="Glossary whose terms must appear in the translation.")
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False, path_type=Path), help="Translation cache that receives the approved lines (default: translate's).")
def review(
    paths: tuple[Path, ...],
    no_browser: bool,
    port: int,
    reviewer: str | None,
    source_language: str | None,
    profile_name: str | None,
    glossary: Path | None,
    cache_path: Path | None,
) -> None:
    """Review translated tracks in the browser, cue by cue, and approve them.

    \b
    Examples:
      screenkit review build/paris/manifest.yaml
      screenkit review film.en.srt --source zh-Hans --no-browser
    Serves 127.0.0.1 only; the printed URL carries the access token. Every
    edit is journaled beside its track at once; "Approve track" writes the
    track, sets reviewed/reviewed_by/reviewed_at in the manifest and keeps
    the approved lines in the translation cache. Stop with Ctrl+C.
    """
    try:
        from toolkit.review.server import serve
    except ModuleNotFoundError as error:
        raise ScreenkitError(
            f"the review page needs {error.name}: pip install 'screenkit[review]'"
        ) from None
    from toolkit.qc.profile import load_document
    from toolkit.review.session import ReviewSession
    from toolkit.review.workset import load_workset, parse_source_option
    from toolkit.translate.glossary import load_glossary

    workset = load_workset(list(paths), source_language=parse_source_option(source_language))
    if not workset.tracks:
        raise ScreenkitError("no subtitle tracks to review", path=paths[0])
    chosen_profile = profile_name or workset.qc_profile
    load_document(chosen_profile)  # a bad profile is a usage error before the server starts
    session = ReviewSession(
        workset,
        profile_name=chosen_profile,
        glossary=load_glossary(glossary) if glossary else None,
        cache_path=cache_path,
        reviewer=reviewer or remembered_reviewer(),
        reviewer_file=reviewer_file(),
    )
    machine = sum(1 for track in workset.tracks if track.origin == "machine" and not track.reviewed)
    click.echo(f"{len(workset.tracks)} track(s), {machine} machine translation(s) to review", err=True)

    def announce(url: str) -> None:
        click.echo(f"Review page: {url}")
        click.echo("Stop with Ctrl+C (every edit is already saved).", err=True)

    serve(session, port=port, open_browser=not no_browser, announce=announce)
    click.echo("Review stopped.", err=True)


def reviewer_file() -> Path:
    """Where the name typed at an approval is kept for the next review (never the login name)."""
    from toolkit.fsutil import cache_dir

    return cache_dir() / "reviewer.txt"


def remembered_reviewer() -> str | None:
    try:
        name = reviewer_file().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if name and len(name) <= 100 and name.isprintable() else None
