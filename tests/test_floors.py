"""One floor for each layer of the library: no module imports a higher floor (issue 21).

The pieces every format and rule shares (widths, scripts, faces by script, styled
runs, inline markup) live on the ground floor, ``toolkit.text``; formats stand on
it, the media and cinema writers on the formats, the rules on those, and so on up
to the command line. An import that goes up a floor, at module level or inside a
function ("lazily, to dodge a circle"), is refused here; the CLI's lazy imports
that keep ``--help`` fast are imports down, from the top floor.
"""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

# Lowest first. A module may import its own floor and any floor below.
FLOORS: tuple[frozenset[str], ...] = (
    frozenset({"errors", "languages", "text", "fsutil", "cachekeys", "schemas", "xmlsafe"}),
    frozenset({"subtitles"}),
    frozenset({"chinese", "diagnostics", "linebreak"}),
    frozenset({"media"}),
    frozenset({"dcp"}),
    frozenset({"qc"}),
    frozenset({"sync", "translate", "manifest"}),
    frozenset({"catalogue", "package", "review", "report", "doctor", "init", "programme"}),
    frozenset({"cli", "__main__"}),
)

# The one import that goes up, and why it may: the subtitle format registry's entry for
# the cinema formats loads the DCP package when a DCP file is first read or written
# (a plugin of the registry; what every reader of a .xml needs). Nothing else may.
PLUGINS = {("toolkit.subtitles.formats.cinema", "toolkit.dcp")}


def _floor_of(module: str) -> int:
    part = module.split(".")[1] if "." in module else ""
    for number, names in enumerate(FLOORS):
        if part in names:
            return number
    raise AssertionError(f"{module}: its package {part!r} has no floor in tests/test_floors.py")


def _imports(path: Path) -> list[tuple[str, int]]:
    """The toolkit modules a file imports, with their lines; type-checking-only imports aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only.update(id(child) for child in ast.walk(node))
    found = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "toolkit":  # a module of the package, or a name of its __init__
                found.extend(
                    (f"toolkit.{alias.name}" if _is_module(alias.name) else "toolkit", node.lineno)
                    for alias in node.names
                )
            elif node.module.startswith("toolkit."):
                found.append((node.module, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names if alias.name.startswith("toolkit."))
    return found


def _is_module(name: str) -> bool:
    return (ROOT / "toolkit" / name).is_dir() or (ROOT / "toolkit" / f"{name}.py").is_file()


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_library_module_imports_a_higher_floor() -> None:
    upward = []
    for path in sorted((ROOT / "toolkit").rglob("*.py")):
        module = _module_name(path)
        if module == "toolkit":
            continue
        own = _floor_of(module)
        for target, line in _imports(path):
            if target == "toolkit" or _floor_of(target) <= own:
                continue
            if any(module == source and target.startswith(prefix) for source, prefix in PLUGINS):
                continue
            upward.append(f"{path.relative_to(ROOT)}:{line}: {module} imports {target} (a higher floor)")
    assert not upward, "\n".join(upward)


def test_the_ground_floor_imports_nothing_above_it() -> None:
    for path in sorted((ROOT / "toolkit" / "text").rglob("*.py")):
        for target, line in _imports(path):
            assert _floor_of(target) == 0, f"{path.relative_to(ROOT)}:{line}: imports {target}"


def test_the_check_finds_an_upward_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from toolkit.package.build import build\n"
        "def lazy():\n    from toolkit.media.fonts import packaged_face\n",
        encoding="utf-8",
    )
    assert _imports(sample) == [("toolkit.media.fonts", 5)]
    assert _floor_of("toolkit.media.fonts") > _floor_of("toolkit.subtitles.ass")
