"""Line breaks an editor accepts: the one line breaker on long Chinese lines with the acceptable breaks marked.

``bench/data/chinese-breaks.txt`` holds one line per row with every break a
Chinese subtitle editor accepts marked ``|``. Each row, marks removed, is
broken by ``toolkit.linebreak.break_text`` under the Netflix profile of its
script (16 wide, 2 lines); the layout is acceptable when every break it makes
is at a mark. Run through ``bench/bench_chinese.py --accuracy`` or alone:

    .venv/bin/python bench/bench_breaks.py [--show]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DATA = Path(__file__).resolve().parent / "data" / "chinese-breaks.txt"


def marked_rows(path: Path = DATA) -> list[tuple[str, frozenset[int]]]:
    """(text, offsets where a break is acceptable) per row; spaces before a mark belong to the break."""
    rows: list[tuple[str, frozenset[int]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, marks, position = "", set(), 0
        for part in line.split("|"):
            text += part
            position += len(part)
            marks.add(position)
        marks.discard(len(text))
        rows.append((text, frozenset(marks)))
    return rows


def break_offsets(text: str, lines: list[str]) -> list[int] | None:
    """Where in ``text`` the ``lines`` start (after the first); None when they are not its words in order."""
    offsets: list[int] = []
    position = 0
    for index, line in enumerate(lines):
        found = text.find(line.strip(), position)
        if found < 0 or text[position:found].strip():
            return None
        if index:
            offsets.append(found)
        position = found + len(line.strip())
    return offsets


def judge(text: str, marks: frozenset[int], lines: list[str] | None) -> bool:
    if not lines or len(lines) < 2:
        return False
    offsets = break_offsets(text, lines)
    return offsets is not None and all(offset in marks for offset in offsets)


def break_accuracy(path: Path = DATA, show: bool = False) -> tuple[int, int]:
    from toolkit.chinese.script import count_script
    from toolkit.languages import ZH_HANS, ZH_HANT
    from toolkit.linebreak import break_text, rules_for_profile
    from toolkit.qc import load_profile

    rules = {script: rules_for_profile(load_profile("netflix", language))
             for script, language in (("Hans", ZH_HANS), ("Hant", ZH_HANT))}
    rows = marked_rows(path)
    good = 0
    misses: list[str] = []
    for text, marks in rows:
        script = count_script(text).script or "Hans"
        lines = break_text(text, rules[script])
        if judge(text, marks, lines):
            good += 1
        else:
            misses.append(f"    {' / '.join(lines or ['(none)'])}")
    print(f"line breaks judged acceptable: {good}/{len(rows)} {100 * good / len(rows):.1f}% ({path.name})")
    if show:
        print("\n".join(misses))
    return good, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every layout judged wrong")
    args = parser.parse_args()
    break_accuracy(DATA, args.show)


if __name__ == "__main__":
    main()
