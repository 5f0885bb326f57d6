"""``screenkit schema [NAME]``: print one of screenkit's JSON Schemas."""

from __future__ import annotations

import click

from toolkit.errors import ScreenkitError


@click.command()
@click.argument("name", required=False, default="manifest")
@click.option("--list", "list_names", is_flag=True, help="List the available schema names.")
def schema(name: str, list_names: bool) -> None:
    """Print the JSON Schema NAME (default: manifest), for editors and CI.

    \b
    Example:
      screenkit schema manifest > manifest.schema.json
    """
    from toolkit.schemas import schema_names, schema_text

    if list_names:
        for known in schema_names():
            click.echo(known)
        return
    if name not in schema_names():
        known = ", ".join(schema_names()) or "none"
        raise ScreenkitError(f"unknown schema {name!r}; available: {known}")
    click.echo(schema_text(name), nl=False)
