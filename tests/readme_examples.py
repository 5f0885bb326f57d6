"""The README's examples, run as a new user would run them, compared with what it shows.

Every indented block of README.md whose first line starts with ``$ `` is an example:
each ``$ COMMAND`` line runs in bash, in one sandbox for the whole README (a copy of
``samples/``, ``bin/screenkit`` running this checkout, an empty home, cache and model
folder), in the README's order, so an example may use what an earlier one wrote. What
it prints (stdout and stderr together, as a terminal shows them) must be the lines
under it. The ```python block of "Using the library" runs too: its ``# `` comment
lines are what it prints.

What is not compared, and only that (said in the README's Development section):

* elapsed times (``0.4 s`` at the end of a summary line);
* a line ``...`` (any indentation) stands for any number of lines, and ``<...>`` in a
  line for any text (a version number that is the machine's, not screenkit's);
* the review page's random token (``?token=...``);
* ``^C`` at the start of an expected line: the command is interrupted (SIGINT) once
  it has printed every line before it, as the reader pressed Ctrl+C there.

``python tests/readme_examples.py --update`` rewrites the expected output of every
example with what it printed (for a person to read in the diff before committing).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PROMPT = "$ "
INDENT = "    "
ANY_LINES = "..."
ANY_TEXT = "<...>"
_ELAPSED = re.compile(r"(?<![\d.])\d+(?:\.\d+)? s$")
_TOKEN = re.compile(r"\?token=[A-Za-z0-9_-]+")
_TIMEOUT_S = 600


@dataclass
class Command:
    text: str
    expected: list[str]
    line: int  # 1-based line of README.md where the command is

    @property
    def interrupt_after(self) -> int | None:
        """How many expected lines come before the one that starts with ^C (None: none)."""
        for number, line in enumerate(self.expected):
            if line.startswith("^C"):
                return number
        return None


@dataclass
class Example:
    line: int
    commands: list[Command] = field(default_factory=list)


@dataclass
class PythonExample:
    line: int
    code: str
    expected: list[str]


def parse(text: str) -> tuple[list[Example], list[PythonExample]]:
    """The shell examples and python blocks of a Markdown text."""
    lines = text.splitlines()
    examples: list[Example] = []
    python: list[PythonExample] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("```python"):
            end = index + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            body = lines[index + 1 : end]
            expected = [part[2:] for part in body if part.startswith("# ")]
            code = "\n".join(part for part in body if not part.startswith("# "))
            python.append(PythonExample(index + 1, code + "\n", expected))
            index = end + 1
            continue
        starts_block = index == 0 or not lines[index - 1].strip()
        if starts_block and line.startswith(INDENT + PROMPT):
            example = Example(index + 1)
            while index < len(lines) and (lines[index].startswith(INDENT) or not lines[index].strip()):
                body = lines[index][len(INDENT):]
                if body.startswith(PROMPT):
                    example.commands.append(Command(body[len(PROMPT):], [], index + 1))
                else:
                    example.commands[-1].expected.append(body.rstrip() if body.strip() else "")
                index += 1
            for command in example.commands:
                while command.expected and not command.expected[-1]:
                    command.expected.pop()
            examples.append(example)
            continue
        index += 1
    return examples, python


def normalise(line: str) -> str:
    line = _TOKEN.sub("?token=TOKEN", line.rstrip())
    return _ELAPSED.sub("N s", line)


def mismatch(expected: list[str], printed: list[str]) -> str | None:
    """None when ``printed`` is what ``expected`` shows, else a short diff."""
    if _matches([normalise(e) for e in expected], [normalise(p) for p in printed]):
        return None
    import difflib

    diff = difflib.unified_diff(expected, printed, "README shows", "printed", lineterm="", n=1)
    return "\n".join(diff)


def _matches(expected: list[str], printed: list[str]) -> bool:
    if not expected:
        return not printed
    head = expected[0]
    if head.strip() == ANY_LINES:
        return any(_matches(expected[1:], printed[skip:]) for skip in range(len(printed) + 1))
    return bool(printed) and _line_matches(head, printed[0]) and _matches(expected[1:], printed[1:])


def _line_matches(expected: str, printed: str) -> bool:
    if ANY_TEXT not in expected:
        return expected == printed
    pattern = ".*".join(re.escape(part) for part in expected.split(ANY_TEXT))
    return re.fullmatch(pattern, printed) is not None


class Sandbox:
    """A folder laid out like a fresh checkout for the examples: samples copied, the
    launcher running this checkout, a home of its own (models, caches, config)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        shutil.copytree(ROOT / "samples", folder / "samples")
        for shared in ("bench", "tests", "schemas", "docs", "pyproject.toml"):
            (folder / shared).symlink_to(ROOT / shared)
        (folder / "bin").mkdir()
        launcher = folder / "bin" / "screenkit"
        launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m toolkit "$@"\n', encoding="utf-8")
        launcher.chmod(0o755)
        (folder / ".venv").symlink_to(Path(sys.prefix))  # `.venv/bin/python bench/...`
        self.home = folder / "home"
        self.home.mkdir()

    def env(self) -> dict[str, str]:
        keep = {key: value for key, value in os.environ.items() if not key.startswith(("SCREENKIT_", "ARGOS_", "XDG_", "RAY_"))}
        keep.update({
            "HOME": str(self.home), "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", "NO_COLOR": "1",
            "PATH": f"{self.folder / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}", "LC_ALL": "C.UTF-8",
            "COLUMNS": "100",
        })
        return keep

    def run(self, example: Example) -> list[list[str]]:
        """What each command of the example printed, run one after the other in one shell
        started in the checkout (so ``cd`` and ``$?`` carry to the next command, as typed)."""
        marker = f"__readme_{os.getpid()}_command__"
        # The marker is printed before each command; $? is set back to the last command's.
        script = "__status=0\n" + "".join(
            f"printf '%s\\n' '{marker}'\n(exit $__status)\n{command.text}\n__status=$?\n"
            for command in example.commands
        )
        process = subprocess.Popen(
            ["bash", "-c", script], cwd=self.folder, env=self.env(), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        assert process.stdout is not None
        printed: list[list[str]] = []
        deadline = time.monotonic() + _TIMEOUT_S
        for raw in iter(process.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if line == marker:
                printed.append([])
                continue
            printed[-1].append(line)
            interrupt_after = example.commands[len(printed) - 1].interrupt_after
            if interrupt_after is not None and len(printed[-1]) == interrupt_after:
                time.sleep(0.3)  # the reader presses Ctrl+C once the lines are there
                os.killpg(process.pid, signal.SIGINT)
            if time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                printed[-1].append("(readme test: timed out)")
                break
        process.wait()
        for command, output in zip(example.commands, printed, strict=False):
            while output and not output[-1].strip():
                output.pop()
            if command.interrupt_after is not None and command.interrupt_after < len(output):
                output[command.interrupt_after] = "^C" + output[command.interrupt_after]
            output[:] = [self.readme_paths(line) for line in output]
        return printed + [[] for _ in example.commands[len(printed):]]

    def readme_paths(self, line: str) -> str:
        line = line.replace(str(self.home), "~").replace(str(Path(sys.prefix)), ".venv")
        return line.replace(str(self.folder) + "/", "").replace(str(self.folder), ".")

def run_examples(readme: Path = README, folder: Path | None = None) -> Iterator[tuple[Command, list[str]]]:
    """Every shell example of ``readme`` in order, with what it printed; in ``folder``
    (kept, for a look at what the examples wrote) or in a temporary one."""
    examples, _python = parse(readme.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="readme-") as scratch:
        sandbox = Sandbox(folder or Path(scratch) / "screenkit")
        for example in examples:
            yield from zip(example.commands, sandbox.run(example), strict=True)
        for block in _python:
            yield Command(f"python block at line {block.line}", block.expected, block.line), _run_python(block, sandbox)


def _run_python(block: PythonExample, sandbox: Sandbox) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", block.code], cwd=sandbox.folder, env=sandbox.env(),
        capture_output=True, text=True, timeout=_TIMEOUT_S,
    )
    return [sandbox.readme_paths(line) for line in (done.stdout + done.stderr).splitlines()]


def update(readme: Path = README) -> int:
    """Rewrite the expected output of every shell example with what it printed."""
    lines = readme.read_text(encoding="utf-8").splitlines()
    replacements: list[tuple[Command, list[str]]] = [
        (command, printed) for command, printed in run_examples(readme) if not command.text.startswith("python block")
    ]
    changed = 0
    for command, printed in sorted(replacements, key=lambda pair: -pair[0].line):
        if mismatch(command.expected, printed) is None:
            continue
        start = command.line  # 0-based index of the line after the command
        end = start + len(command.expected)
        if len(printed) == len(command.expected):
            # Lines that match as they are (a wildcard, a time) stay as the README has them.
            printed = [
                shown if _line_matches(normalise(shown), normalise(line)) else line
                for shown, line in zip(command.expected, printed, strict=True)
            ]
        lines[start:end] = [INDENT + line if line else "" for line in printed]
        changed += 1
    readme.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    if argv[1:] == ["--update"]:
        print(f"updated {update()} examples")
        return 0
    failed = 0
    for command, printed in run_examples():
        problem = mismatch(command.expected, printed)
        status = "ok  " if problem is None else "DIFF"
        print(f"{status} README.md:{command.line}: $ {command.text[:90]}")
        if problem:
            failed += 1
            print(problem)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
