"""Options and argument types shared by several commands."""

from __future__ import annotations

import click

format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report as text or as one JSON document on stdout.",
)

encoding_option = click.option(
    "--encoding", metavar="CODEC", help="Source text encoding (default: detected)."
)

input_path = click.Path(dir_okay=False, path_type=str)
