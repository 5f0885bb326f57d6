"""Conversion and re-wrap invariants on every Chinese file of the shared corpus."""

from __future__ import annotations

import csv
import itertools
import re
from pathlib import Path

import pytest
from conftest import CORPUS

from toolkit.chinese import convert_lines
from toolkit.chinese.convert import Change, convert_text
from toolkit.chinese.words import boundaries
from toolkit.errors import ScreenkitError
from toolkit.languages import ZH_HANS, ZH_HANT
from toolkit.linebreak import NO_LINE_END, NO_LINE_START, join_lines, rewrap, rules_for_profile
from toolkit.qc import load_profile
from toolkit.qc import text as tx
from toolkit.subtitles import read_track
from toolkit.subtitles.markup import TAG

HAN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def _chinese_files() -> list[tuple[Path, str]]:
    with (CORPUS / "SOURCES.tsv").open(encoding="utf-8") as sources:
        rows = list(csv.DictReader(sources, delimiter="\t"))
    found = []
    for row in rows:
        if "zh" not in row["language"]:
            continue
        path = CORPUS / row["local_path"]
        try:
            read_track(path)
        except ScreenkitError:
            continue  # broken on purpose; the reader's tests cover it
        found.append((path, "Hant" if "zh-Hant" in row["language"] else "Hans"))
    return found


FILES = _chinese_files()
FOLD_QUOTES = str.maketrans("「」『』", "“”‘’")
_LATIN_PHRASE = re.compile(r"(?<![A-Za-z])[A-Za-z](?=[\u4e00-\u9fff])")


def _other(text: str) -> str:
    return HAN.sub("", _LATIN_PHRASE.sub("", text)).translate(FOLD_QUOTES)


def test_the_corpus_has_chinese_files() -> None:
    assert len(FILES) >= 15
    assert {script for _, script in FILES} == {"Hans", "Hant"}


@pytest.mark.parametrize(("path", "script"), FILES, ids=[p.name[-50:] for p, _ in FILES])
def test_conversion_keeps_cues_times_lines_markup_and_other_text(path: Path, script: str) -> None:
    track = read_track(path)
    configs = ("s2t", "s2twp", "s2hk") if script == "Hans" else ("t2s", "tw2sp")
    for config in configs:
        for cue in track.cues:
            converted = convert_lines(cue.lines, config)
            assert len(converted) == len(cue.lines)
            for before, after in zip(cue.lines, converted, strict=True):
                assert TAG.findall(after) == TAG.findall(before)  # markup untouched, in order
                # Latin, digits, punctuation untouched; quotes take the region's form (“” → 「」 for TW/HK)
                # (and OpenCC's phrases that start with a letter: U盘 → 隨身碟, B超 → 超音波), except
                # where screenkit's phrase layer writes letters of its own (HK: U盘 → USB手指)
                changes: list[Change] = []
                convert_text(before, config, changes=changes)
                if not any(HAN.sub("", change.target) for change in changes):
                    assert _other(after) == _other(before)
                if config in ("s2t", "t2s"):  # character-level tables keep the length
                    assert len(after) == len(before)


@pytest.mark.parametrize(("path", "script"), FILES, ids=[p.name[-50:] for p, _ in FILES])
def test_rewrap_keeps_words_order_and_times_and_breaks_between_words(path: Path, script: str) -> None:
    track = read_track(path)
    rules = rules_for_profile(load_profile("netflix", ZH_HANT if script == "Hant" else ZH_HANS))
    for cue in track.cues:
        before = (cue.start, cue.end, list(cue.lines))
        lines = rewrap(cue.lines, rules)
        assert (cue.start, cue.end, cue.lines) == before  # the input is never modified
        if lines is None:
            continue
        assert tx.words(" ".join(lines)) == tx.words(" ".join(cue.lines))  # words and their order
        assert [t for line in lines for t in TAG.findall(line)] == [t for line in cue.lines for t in TAG.findall(line)]
        assert rules.fits(lines)
        joined = tx.strip_markup(join_lines(cue.lines))
        plain = [tx.strip_markup(line) for line in lines]
        if "".join(plain) == joined and tx.is_cjk_text(joined):  # broken between characters, no space
            cuts = set(itertools.accumulate(len(line) for line in plain[:-1]))
            assert cuts <= boundaries(joined) | _space_cuts(joined)
            for line in plain[1:]:
                assert line[:1] not in NO_LINE_START
            for line in plain[:-1]:
                assert line[-1:] not in NO_LINE_END


def _space_cuts(text: str) -> set[int]:
    return {match.start() for match in re.finditer(" ", text)}
