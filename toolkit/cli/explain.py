"""``screenkit explain CODE``: what a finding code means, why, and its fix."""

from __future__ import annotations

import click

from toolkit.cli.output import emit_json


@click.command()
@click.argument("code", required=False)
@click.option("--list", "list_codes", is_flag=True, help="List every code with its default severity and title.")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="Text, or one JSON document.",
)
def explain(code: str | None, list_codes: bool, output_format: str) -> None:
    """Explain a finding code of lint, validate, package or translate (SK, M, SKP, TR).

    \b
    Examples:
      screenkit explain M107
      screenkit explain --list
    """
    from toolkit.catalogue import catalogue, families
    from toolkit.catalogue import explain as lookup

    if list_codes or code is None:
        if output_format == "json":
            emit_json({"codes": [_json(doc) for doc in catalogue().values()]})
            return
        for prefix, title, docs in families():
            click.echo(f"{prefix}: {title}")
            for doc in docs:
                click.echo(f"  {doc.code:<7} {doc.severity.value:<8} {doc.title}")
        return
    doc = lookup(code)
    if output_format == "json":
        emit_json(_json(doc))
    else:
        click.echo(doc.explain(), nl=False)


def _json(doc: object) -> dict[str, object]:
    from toolkit.diagnostics import CodeDoc

    assert isinstance(doc, CodeDoc)
    return {
        "code": doc.code, "title": doc.title, "severity": doc.severity.value,
        "documentation": doc.documentation, "fix": doc.fix,
    }
