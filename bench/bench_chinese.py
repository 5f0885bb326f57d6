"""Chinese conversion and re-wrap throughput on a generated 2,000-cue track, as ratios to reading it.

Baseline: ``read_track`` of the same SRT file (parse, encoding detection, model),
measured in the same run. Figures: OpenCC conversion of every cue (s2t and
s2twp, ``toolkit.chinese.convert_track``), script detection of the whole track
(``count_script``), re-wrapping every cue with the one line breaker under the
Netflix zh-Hans profile (``toolkit.linebreak.rewrap``, jieba word boundaries),
the same with character breaks only (``words=False``: what word segmentation
costs), and the whole ``fix_track``. The cues are long on purpose (one 18-34
character line each), so that every one of them needs breaking. jieba's
dictionary load (once per process) is reported on its own. Best of N (CPU time)
in interleaved rounds.

    .venv/bin/python bench/bench_chinese.py [--cues 2000] [--repeat 5]

``--accuracy`` instead measures what an editor signs off: exact-match
conversion per target on ``bench/data/chinese-conversion.tsv`` (zh-Hans lines
with their zh-Hant, zh-Hant-TW and zh-Hant-HK forms written by hand), next to
raw OpenCC on the same lines (s2tw / s2twp / s2hk, quotes mapped the same way),
and the line breaks judged acceptable on ``bench/data/chinese-breaks.tsv``.

    .venv/bin/python bench/bench_chinese.py --accuracy [--show]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_lint import measure

from toolkit.languages import ZH_HANS, ZH_HANT_TW
from toolkit.subtitles import read_track
from toolkit.subtitles.timecode import format_srt

WORDS = ["一九七二年", "长沙", "东郊", "马王堆", "汉墓", "被", "打开", "墓主", "是", "西汉", "丞相", "的", "夫人", "随葬品", "中", "有", "一件", "长方形", "木胎", "漆案", "案上", "还", "摆着", "杯盘", "好像", "宴席", "刚刚", "结束", "两千", "多年", "过去", "漆色", "依旧", "鲜亮", "外面", "黑漆", "里面", "朱红", "红色", "来自", "朱砂", "软件", "视频", "我们", "明天", "早上", "一起", "去", "博物馆", "看看", "修复", "时", "最", "怕", "的", "漆面", "开裂", "Netflix", "2024"]
PUNCTUATION = ["，", "。", "？", "！", "、", ""]


def generate(path: Path, cues: int, seed: int = 14) -> None:
    rng = random.Random(seed)
    start = 4000
    out = []
    for number in range(1, cues + 1):
        text = ""
        while len(text) < rng.randint(18, 34):
            text += rng.choice(WORDS) + (rng.choice(PUNCTUATION) if rng.random() < 0.2 else "")
        length = rng.randint(2000, 6000)
        out.append(f"{number}\n{format_srt(start)} --> {format_srt(start + length)}\n{text}\n")
        start += length + rng.choice([83, 200, 500, 1500])
    path.write_text("\n".join(out), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--accuracy", action="store_true", help="conversion and line-break accuracy on bench/data")
    parser.add_argument("--show", action="store_true", help="with --accuracy: print every miss")
    args = parser.parse_args()
    if args.accuracy:
        accuracy(args.show)
        return

    from toolkit.chinese import convert_track, count_script
    from toolkit.chinese.words import boundaries
    from toolkit.linebreak import rewrap, rules_for_profile
    from toolkit.qc import fix_track, load_profile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long.zh-Hans.srt"
        generate(path, args.cues)
        track = read_track(path)
        profile = load_profile("netflix", ZH_HANS)
        rules = rules_for_profile(profile)
        characters = dataclasses.replace(rules, words=False)
        text = "".join(cue.plain_text for cue in track.cues)

        cpu = time.process_time()
        boundaries("马王堆一号汉墓")  # loads jieba's dictionary (its cache file in the temp folder)
        jieba_load = time.process_time() - cpu
        convert_track(track, ZH_HANT_TW)  # loads the OpenCC configurations

        def rewrap_all(chosen=rules) -> int:
            boundaries.cache_clear()  # every round segments again, as a fresh process would
            return sum(1 for cue in track.cues if rewrap(cue.lines, chosen) is not None)

        steps = {
            "read_track (baseline)": lambda: read_track(path),
            "convert s2t": lambda: convert_track(track, parse("zh-Hant")),
            "convert s2twp": lambda: convert_track(track, ZH_HANT_TW),
            "count_script": lambda: count_script(text),
            "re-wrap, words (jieba)": rewrap_all,
            "re-wrap, characters only": lambda: rewrap_all(characters),
            "fix_track (all fixes)": lambda: fix_track(track, profile),
        }
        best, results = measure(steps, args.repeat)
    base = best["read_track (baseline)"][1]
    print(f"{args.cues} cues, {len(text)} characters; jieba dictionary load {jieba_load:.2f} s CPU (once per process)")
    print(f"re-wrapped cues: {results['re-wrap, words (jieba)']} of {args.cues}")
    print(f"{'step':28} {'wall s':>8} {'CPU s':>8} {'x read':>8}")
    for name, (wall, cpu_time) in best.items():
        print(f"{name:28} {wall:8.3f} {cpu_time:8.3f} {cpu_time / base:8.2f}")


DATA = Path(__file__).resolve().parent / "data"
TARGETS = ("zh-Hant", "zh-Hant-TW", "zh-Hant-HK")


def conversion_rows(path: Path = DATA / "chinese-conversion.tsv") -> list[dict[str, str]]:
    """The held-out set: one dict per line, keyed by tag (the header row names the columns)."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def conversion_accuracy(rows: list[dict[str, str]]) -> dict[str, dict[str, list[tuple[str, str, str]]]]:
    """Per target, per converter (screenkit, raw OpenCC): the misses as (source, expected, got), and all rows."""
    from toolkit.chinese.convert import config_for, convert_text, converter
    from toolkit.languages import ZH_HANS

    raw_configs = {"zh-Hant": "s2tw", "zh-Hant-TW": "s2twp", "zh-Hant-HK": "s2hk"}
    corner = str.maketrans("“”‘’", "「」『』")
    result: dict[str, dict[str, list[tuple[str, str, str]]]] = {}
    for tag in TARGETS:
        config = config_for(ZH_HANS, parse(tag))
        assert config is not None
        raw = converter(raw_configs[tag])
        misses: dict[str, list[tuple[str, str, str]]] = {"screenkit": [], "opencc": []}
        for row in rows:
            source, expected = row["zh-Hans"], row[tag]
            got = convert_text(source, config)
            if got != expected:
                misses["screenkit"].append((source, expected, got))
            plain = raw.convert(source)
            plain = plain.translate(corner) if tag != "zh-Hant" else plain
            if plain != expected:
                misses["opencc"].append((source, expected, plain))
        result[tag] = misses
    return result


def accuracy(show: bool) -> None:
    for name in ("chinese-conversion.tsv", "chinese-conversion-2.tsv"):
        rows = conversion_rows(DATA / name)
        print(f"conversion, exact match per line ({len(rows)} held-out lines, bench/data/{name})")
        print(f"{'target':12} {'screenkit':>16} {'raw OpenCC':>16}")
        results = conversion_accuracy(rows)
        for tag, misses in results.items():
            cells = [f"{len(rows) - len(misses[k])}/{len(rows)} {100 * (len(rows) - len(misses[k])) / len(rows):5.1f}%"
                     for k in ("screenkit", "opencc")]
            print(f"{tag:12} {cells[0]:>16} {cells[1]:>16}")
            if show:
                for source, expected, got in misses["screenkit"]:
                    print(f"    {source} | expected {expected} | got {got}")
    breaks = DATA / "chinese-breaks.txt"
    if breaks.exists():
        from bench_breaks import break_accuracy  # the judged long lines

        break_accuracy(breaks, show)


def parse(tag: str):
    from toolkit.languages import parse_language

    return parse_language(tag)


if __name__ == "__main__":
    main()
