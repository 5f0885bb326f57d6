"""``screenkit models``: list, install and remove argos translation packages."""

from __future__ import annotations

import os

import click

from toolkit.cli.options import format_option
from toolkit.cli.output import emit_json, note
from toolkit.errors import ScreenkitError


def _size(value: int | None) -> str:
    if value is None:
        return "?"
    if value >= 1024**2:
        return f"{value / 1024**2:.0f} MB"
    return f"{value / 1024:.0f} KB"


@click.group()
def models() -> None:
    """List, install and remove translation models (argos packages).

    \b
    Examples:
      screenkit models list
      screenkit models install zh:en en:fr          (from the package index)
      screenkit models install translate-zh_en.argosmodel   (offline)
      screenkit models remove zh:en
    Packages live in ARGOS_PACKAGES_DIR; the index follows ARGOS_PACKAGE_INDEX.
    """


@models.command("list")
@click.option("--index", "index", metavar="URL", help="Package index (default: ARGOS_PACKAGE_INDEX or argos's).")
@click.option("--offline", is_flag=True, help="Do not ask the index; list installed models only.")
@format_option
def list_models(index: str | None, offline: bool, output_format: str) -> None:
    """Installed models, and those available from the index when it can be reached."""
    from toolkit.translate import models as registry

    installed = registry.installed_models()
    available: list[registry.AvailableModel] = []
    index_error = None
    if not offline:
        try:
            available = registry.with_sizes(registry.fetch_index(index))
        except ScreenkitError as error:
            index_error = str(error)
    if output_format == "json":
        emit_json(
            {
                "packages_dir": str(registry.packages_dir()),
                "installed": [m.to_dict() for m in installed],
                "available": [m.to_dict() for m in available],
                "index": registry.index_url(index),
                "index_error": index_error,
            }
        )
        return
    click.echo(f"Installed in {registry.packages_dir()}:")
    for model in installed:
        names = f"{registry.language_name(model.from_code)} → {registry.language_name(model.to_code)}"
        click.echo(f"  {model.pair:8} {names:22} {model.version:8} {_size(model.size_bytes):>8}  {model.name}")
    if not installed:
        click.echo("  (none)")
    if index_error:
        note(f"index not reachable: {index_error}")
    elif not offline:
        have = {m.pair for m in installed}
        click.echo(f"Available from {registry.index_url(index)}:")
        for model in sorted(available, key=lambda m: m.pair):
            mark = " (installed)" if model.pair in have else ""
            click.echo(f"  {model.pair:8} {model.version:8} {_size(model.size_bytes):>8}{mark}")


@models.command("install")
@click.argument("items", metavar="PAIR|FILE...", nargs=-1, required=True)
@click.option("--index", "index", metavar="URL", help="Package index (default: ARGOS_PACKAGE_INDEX or argos's).")
@format_option
def install(items: tuple[str, ...], index: str | None, output_format: str) -> None:
    """Install models: language pairs from the index (zh:en) or .argosmodel files."""
    from toolkit.translate import models as registry

    files = [item for item in items if item.endswith(".argosmodel") or (os.path.lexists(item) and not os.path.isdir(item))]
    pairs = [item for item in items if item not in files]
    done = [registry.install_file(path) for path in files]
    if pairs:
        done.extend(registry.install_pairs(pairs, index))
    if output_format == "json":
        emit_json({"installed": [m.to_dict() for m in done]})
    else:
        for model in done:
            note(f"installed {model.pair} ({model.name} {model.version}, {_size(model.size_bytes)})")


@models.command("remove")
@click.argument("items", metavar="PAIR|NAME...", nargs=-1, required=True)
@format_option
def remove(items: tuple[str, ...], output_format: str) -> None:
    """Remove installed models, by pair (zh:en) or package folder name."""
    from toolkit.translate import models as registry

    removed = [registry.remove(item) for item in items]
    if output_format == "json":
        emit_json({"removed": [m.to_dict() for m in removed]})
    else:
        for model in removed:
            note(f"removed {model.pair} ({model.name})")
