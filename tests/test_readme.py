"""The README is a test: every example runs and prints what the README shows (issue 25).

The runner is tests/readme_examples.py; these tests run it on the real README, and
check that it would catch a README that drifted from what the commands print.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pytest
import readme_examples as rx
from conftest import ROOT


def _load_report_png_module():  # docs/make_report_png.py, not a package
    spec = importlib.util.spec_from_file_location("make_report_png", ROOT / "docs" / "make_report_png.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PICTURED_COMMAND = "bin/screenkit package samples/paris-showcase/manifest.yaml --out build/paris"

MINI = """\
# A tool

    $ printf 'one\\ntwo\\n'
    one
    two

Text between.

    $ echo "took 0.4 s"
    took 12.9 s
    $ printf 'a\\nb\\nc\\nversion 1.2.3 here\\n'
    a
    ...
    version <...> here

```python
print("hello")
# hello
```
"""


def test_the_parser_finds_each_command_its_lines_and_the_python_block() -> None:
    examples, python = rx.parse(MINI)
    assert [[c.text for c in e.commands] for e in examples] == [
        ["printf 'one\\ntwo\\n'"], ['echo "took 0.4 s"', "printf 'a\\nb\\nc\\nversion 1.2.3 here\\n'"]
    ]
    assert examples[0].commands[0].expected == ["one", "two"]
    assert examples[0].commands[0].line == 3
    assert python[0].expected == ["hello"] and "print" in python[0].code


def test_the_comparison_ignores_only_what_the_readme_says() -> None:
    assert rx.mismatch(["took 0.4 s"], ["took 12.9 s"]) is None
    assert rx.mismatch(["a", "...", "d"], ["a", "b", "c", "d"]) is None
    assert rx.mismatch(["a", "...", "d"], ["a", "d"]) is None
    assert rx.mismatch(["version <...> here"], ["version 1.2.3 here"]) is None
    assert rx.mismatch(["url ?token=abc"], ["url ?token=Zx_9-q"]) is None
    # Everything else counts: a word, a number that is not a time, a line more or less.
    assert rx.mismatch(["3 cues"], ["2 cues"]) is not None
    assert rx.mismatch(["took 0.4 s"], ["took 0.4 s", "extra"]) is not None
    assert rx.mismatch(["a", "b"], ["a"]) is not None
    assert rx.mismatch(["version <...> here"], ["version 1.2.3 there"]) is not None
    assert rx.mismatch(["exit 1"], ["exit 0"]) is not None


def test_a_changed_expected_line_of_a_real_example_is_caught(tmp_path: Path) -> None:
    examples, _ = rx.parse((ROOT / "README.md").read_text(encoding="utf-8"))
    explain = next(e for e in examples if e.commands[0].text.startswith("bin/screenkit explain "))
    sandbox = rx.Sandbox(tmp_path / "checkout")
    [printed] = sandbox.run(explain)
    assert rx.mismatch(explain.commands[0].expected, printed) is None
    changed = list(explain.commands[0].expected)
    changed[-1] = changed[-1].replace("offset", "0ffset")
    assert rx.mismatch(changed, printed) is not None


def test_state_and_exit_codes_carry_from_one_command_to_the_next(tmp_path: Path) -> None:
    examples, _ = rx.parse("    $ mkdir -p build && cd build && false\n    $ echo $? $(basename $PWD)\n    1 build\n")
    sandbox = rx.Sandbox(tmp_path / "checkout")
    assert sandbox.run(examples[0]) == [[], ["1 build"]]


@pytest.mark.slow
def test_every_readme_example_prints_what_the_readme_shows(tmp_path: Path) -> None:
    failures = []
    sandbox_folder = tmp_path / "checkout"
    report = sandbox_folder / "build" / "paris" / "report.html"
    pictured: str | None = None
    for command, printed in rx.run_examples(ROOT / "README.md", folder=sandbox_folder):
        problem = rx.mismatch(command.expected, printed)
        if problem is not None:
            failures.append(f"README.md:{command.line}: $ {command.text}\n{problem}")
        if pictured is None and command.text == PICTURED_COMMAND:
            # Examples run lazily: later ones (--translate-missing) rewrite this report.
            pictured = hashlib.sha256(report.read_bytes()).hexdigest()
    assert not failures, "\n\n".join(failures)
    # docs/report.png pictures the report the README's first package example makes.
    recorded = _load_report_png_module().recorded_report_sha256()
    assert pictured is not None, f"the README no longer runs {PICTURED_COMMAND!r}"
    assert recorded == pictured, (
        "docs/report.png is older than the report it pictures: run .venv/bin/python docs/make_report_png.py"
    )
