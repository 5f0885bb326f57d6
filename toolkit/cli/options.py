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
