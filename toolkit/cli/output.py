"""Printing for the CLI: JSON documents on stdout, notes and progress on stderr."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any

import click

FORMAT_OPTION_HELP = "Report as human-readable text or one JSON document on stdout."


def settings() -> Any:
    ctx = click.get_current_context(silent=True)
    return ctx.find_root().obj if ctx is not None else None


def quiet() -> bool:
    current = settings()
    return bool(current and current.quiet)


def verbosity() -> int:
    current = settings()
    return current.verbose if current else 0


def note(message: str) -> None:
    """A line for the person at the terminal (stderr); silent with -q."""
    if not quiet():
        click.echo(message, err=True)


def detail(message: str, level: int = 1) -> None:
    if verbosity() >= level and not quiet():
        click.echo(message, err=True)


def emit_json(document: Any) -> None:
    click.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))


def stdout_console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def progress_enabled() -> bool:
    return not quiet() and sys.stderr.isatty()


@contextlib.contextmanager
def progress_bar(description: str, total: float | None) -> Iterator[Any]:
    """A Rich progress bar on stderr; a no-op object when stderr is not a terminal or -q."""
    if not progress_enabled():
        yield _NoProgress()
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=stderr_console(),
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=total)
        yield _RichProgress(progress, task)


class _NoProgress:
    def advance(self, amount: float = 1) -> None:
        pass

    def update(
        self, completed: float | None = None, description: str | None = None, total: float | None = None
    ) -> None:
        pass


class _RichProgress:
    def __init__(self, progress: Any, task: Any) -> None:
        self._progress = progress
        self._task = task

    def advance(self, amount: float = 1) -> None:
        self._progress.advance(self._task, amount)

    def update(
        self, completed: float | None = None, description: str | None = None, total: float | None = None
    ) -> None:
        kwargs: dict[str, Any] = {}
        if total is not None:
            kwargs["total"] = total
        if completed is not None:
            kwargs["completed"] = completed
        if description is not None:
            kwargs["description"] = description
        self._progress.update(self._task, **kwargs)
