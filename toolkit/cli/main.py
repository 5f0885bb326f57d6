"""The screenkit command line: a thin layer that parses arguments and prints.

Subcommands live in their own modules and are imported only when run, so
``screenkit --help`` starts fast and never imports translation or media code.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib
import os
import sys
from typing import Any

import click

from toolkit import __version__
from toolkit.errors import EXIT_INTERNAL, EXIT_USAGE, ScreenkitError, internal_error_message

# name → (module:attribute, one-line help). The help is here so that listing
# commands does not import them.
COMMANDS: dict[str, tuple[str, str]] = {
    "convert": ("toolkit.cli.convert:convert", "Convert subtitles: SRT, WebVTT, ASS, IMSC/TTML, EBU-TT-D, DCP."),
    "retime": ("toolkit.cli.retime:retime", "Shift, change frame rate or remove a timecode offset."),
    "lint": ("toolkit.cli.lint:lint", "Check subtitles against a QC profile; --fix what is safe."),
    "validate": ("toolkit.cli.validate:validate", "Check screening manifests: schema and semantics."),
    "translate": ("toolkit.cli.translate:translate", "Translate subtitle tracks offline (argos models)."),
    "models": ("toolkit.cli.models:models", "List, install and remove translation models."),
    "probe": ("toolkit.cli.media:probe", "Show a video's streams, duration and subtitle tracks."),
    "burn": ("toolkit.cli.media:burn", "Burn subtitles into a video (one or two languages)."),
    "mux": ("toolkit.cli.media:mux", "Add soft subtitle tracks to a video, tagged by language."),
    "extract": ("toolkit.cli.media:extract", "Write a video's text subtitle tracks out as files."),
    "package": ("toolkit.cli.package:package", "Build the whole screening package of an event."),
    "sync": ("toolkit.cli.sync:sync", "Align a track to a video's speech (or a reference track) and retime it."),
    "schema": ("toolkit.cli.schema:schema", "Print a JSON Schema (manifest, profile, glossary)."),
    "review": ("toolkit.cli.review:review", "Review and approve translated tracks in a local web page."),
    "explain": ("toolkit.cli.explain:explain", "What a finding code means, why, and its fix."),
    "doctor": ("toolkit.cli.doctor:doctor", "Which ffmpeg, fonts, models and browser each capability uses."),
    "init": ("toolkit.cli.init:init", "Draft a manifest from a folder of videos, subtitles and a lineup."),
    "programme": ("toolkit.cli.programme:programme", "The screenings as iCalendar and printable run sheets (HTML, PDF)."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        target, _ = COMMANDS[cmd_name]
        module_name, attribute = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name == module_name:
                return _not_yet(cmd_name)
            raise
        command: click.Command = getattr(module, attribute)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            close = difflib.get_close_matches(name, list(COMMANDS), n=1, cutoff=0.6)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            ctx.fail(f"No such command {name!r}.{hint}")
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _not_yet(name: str) -> click.Command:
    @click.command(name=name, help=COMMANDS[name][1])
    def stub() -> None:
        raise ScreenkitError(f"'screenkit {name}' is not available in this version")

    return stub


class Settings:
    """Global options, reachable from every command through the click context."""

    def __init__(self, quiet: bool, verbose: int, debug: bool) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.debug = debug


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="screenkit")
@click.option("-q", "--quiet", is_flag=True, help="No progress bars or notes on stderr.")
@click.option("-v", "--verbose", count=True, help="More detail on stderr (repeat for more).")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: int, debug: bool) -> None:
    """screenkit: subtitles and screening copies for multilingual film events.

    \b
    Festival programmers: validate a manifest, build the screening package.
    Subtitle editors: lint, fix, convert, retime and translate tracks.
    """
    ctx.obj = Settings(quiet=quiet, verbose=verbose, debug=debug)


def _debug_requested(argv: list[str]) -> bool:
    return "--debug" in argv or os.environ.get("SCREENKIT_DEBUG") == "1"


def main(argv: list[str] | None = None) -> Any:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = _debug_requested(args)
    try:
        return cli.main(args=args, prog_name="screenkit", standalone_mode=False)
    except SystemExit:
        if _stdout_closed():
            _quiet_closed_pipe()  # `screenkit explain --list | head`: the reader had enough
        raise
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        click.echo("screenkit: aborted", err=True)
        sys.exit(130)
    except ScreenkitError as error:
        if debug:
            raise
        click.echo(str(error) if error.location else f"screenkit: {error}", err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        click.echo("screenkit: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        _quiet_closed_pipe()
    except OSError as error:
        if debug:
            raise
        where = f"{error.filename}: " if error.filename else ""
        click.echo(f"{where}{error.strerror or error}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as error:
        if debug:
            raise
        click.echo(internal_error_message(error), err=True)
        sys.exit(EXIT_INTERNAL)


def _stdout_closed() -> bool:
    """Whether click met a closed stdout (it then wraps the streams and exits 1)."""
    wrapper = getattr(click.utils, "_PacifyFlushWrapper", None)
    return wrapper is not None and isinstance(sys.stdout, wrapper)


def _quiet_closed_pipe() -> None:
    """End with exit 0 and no "Exception ignored" at shutdown when stdout was closed."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError):
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
    sys.exit(0)
