"""Options and argument types shared by several commands."""

from __future__ import annotations

from typing import Any

import click

format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report as text or as one JSON document on stdout.",
)

# The commands that report findings (lint, validate, package) also write JUnit XML for CI systems.
findings_format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "junit"]),
    default="text",
    show_default=True,
    help="Findings as text lines, one JSON document, or JUnit XML for CI systems.",
)

encoding_option = click.option(
    "--encoding", metavar="CODEC", help="Source text encoding (default: detected)."
)

input_path = click.Path(dir_okay=False, path_type=str)


def check_format(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from toolkit.errors import ScreenkitError
    from toolkit.subtitles.formats import get_format

    try:
        return get_format(value).name
    except ScreenkitError as error:
        raise click.BadParameter(error.message) from None


to_format_option = click.option(
    "--to",
    "to_format",
    metavar="FORMAT",
    callback=check_format,
    help="Output subtitle format: srt, vtt, ass, ssa... (default: from -o's extension).",
)

input_format_option = click.option(
    "--input-format",
    "input_format",
    metavar="FORMAT",
    callback=check_format,
    help="Subtitle format of the input when its extension says nothing (.txt): srt, vtt, ass, ssa... "
    "(default: from the content, then the extension).",
)


def executor_options(command: Any) -> Any:
    """``--executor local|ray[:ADDRESS]`` and the Ray actor pool, for translate and package."""
    for option in reversed(
        [
            click.option("--executor", "executor_name", default="local", show_default=True, metavar="local|ray[:ADDRESS]",
                         help="Where the models run: here, or on a Ray cluster (ray:auto, ray:HOST:6379; needs screenkit[ray])."),
            click.option("--actors", type=click.IntRange(1, 4096), help="Ray: translator actors (default: one per node)."),
            click.option("--cpus-per-actor", type=click.FloatRange(0, min_open=True),
                         help="Ray: CPUs per actor, also its threads (default: all of the smallest node's)."),
            click.option("--gpus-per-actor", default=0.0, type=click.FloatRange(0),
                         help="Ray: GPUs per actor (more than 0 runs the model on CUDA)."),
        ]
    ):
        command = option(command)
    return command


def executor_spec(name: str, actors: int | None, cpus_per_actor: float | None, gpus_per_actor: float) -> Any:
    """The options above as an ExecutorSpec, checked (a usage error here, before any work)."""
    from dataclasses import replace

    from toolkit.translate.executor import parse_executor

    spec = replace(parse_executor(name), actors=actors, cpus_per_actor=cpus_per_actor, gpus_per_actor=gpus_per_actor)
    spec.validate()
    return spec
