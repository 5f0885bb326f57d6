"""Findings per code on the real Chinese files of the shared corpus, for judging lint's precision.

Every file of ``../shared/corpus/real-world`` whose SOURCES.tsv language is
Chinese is linted as ``screenkit lint`` does (``toolkit.cli.lint.lint_file``:
language from the name or the text, bilingual tracks found, Netflix profile).
It prints the count of each code and, with ``--show CODE``, a seeded sample of
the findings with their cue's lines, to be judged by reading them
(BENCHMARKS.md records the judgement).

    .venv/bin/python bench/bench_chinese_lint.py [--show SK313 --sample 40]
"""

from __future__ import annotations

import argparse
import collections
import csv
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "real-world"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--profile", default="netflix")
    parser.add_argument("--show", action="append", default=[], metavar="CODE")
    parser.add_argument("--sample", type=int, default=40)
    args = parser.parse_args()

    from toolkit.cli.lint import lint_file
    from toolkit.errors import ScreenkitError
    from toolkit.languages import parse_language
    from toolkit.subtitles import read_track

    with (args.corpus / "SOURCES.tsv").open(encoding="utf-8") as sources:
        rows = [row for row in csv.DictReader(sources, delimiter="\t") if "zh" in row["language"]]
    counts: collections.Counter[str] = collections.Counter()
    found: dict[str, list[str]] = collections.defaultdict(list)
    files = 0
    for row in rows:
        path = args.corpus / row["local_path"]
        try:
            track = read_track(path)
            language = None if track.language else parse_language("zh-Hant" if "zh-Hant" in row["language"] else "zh-Hans")
            report = lint_file(path, args.profile, language, None, None, None, False, None)
        except ScreenkitError:
            continue
        files += 1
        for finding in report.diagnostics:
            counts[finding.code] += 1
            if finding.code in args.show and finding.location.cue:
                cue = track.cues[finding.location.cue - 1]
                found[finding.code].append(f"{path.name[-32:]} #{finding.location.cue} [{cue.style or ''}] {' | '.join(cue.lines)[:150]}")
    print(f"{files} Chinese files; findings per code ({args.profile})")
    for code, count in sorted(counts.items()):
        print(f"  {code} {count}")
    rng = random.Random(22)
    for code in args.show:
        print(f"== {code}: {min(args.sample, len(found[code]))} of {len(found[code])}")
        for line in rng.sample(found[code], min(args.sample, len(found[code]))):
            print("   ", line)


if __name__ == "__main__":
    main()
