"""translate --to zh-Hant*: conversion from zh-Hans (no model), through zh-Hans from other languages."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli
from tinymodel import (  # noqa: F401  (fixtures)
    argos_env,
    argos_packages_dir,
    tiny_packages,
)

from toolkit.chinese import count_script
from toolkit.languages import ZH_HANS, ZH_HANT, ZH_HANT_TW
from toolkit.subtitles import read_track
from toolkit.translate.engine import plan_route

ZH_SRT = (
    "1\n00:00:01,000 --> 00:00:03,000\n<i>这个软件的视频</i>\n张艺谋在台北\n\n"
    "2\n00:00:04,000 --> 00:00:06,500\n{\\an8}头发很干，Li Bai 说 2024 年\n\n"
    "3\n00:00:07,000 --> 00:00:09,000\n秦岭的鼠标\n"
)


def test_zh_hans_to_taiwan_and_hong_kong_is_converted_with_no_model(tmp_path: Path) -> None:
    source = tmp_path / "film.zh-Hans.srt"
    source.write_text(ZH_SRT, encoding="utf-8")
    empty = tmp_path / "no-models"
    empty.mkdir()
    env = {"ARGOS_PACKAGES_DIR": str(empty), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = run_cli("translate", str(source), "--to", "zh-Hant-TW,zh-Hant-HK,zh-Hant", "--out-dir", str(tmp_path / "out"), "--format", "json", env=env)
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["translated"] == 0
    codes = [d["code"] for result in report["results"] for d in result["diagnostics"]]
    assert codes.count("TR005") == 3
    original = read_track(source)
    taiwan = read_track(tmp_path / "out" / "film.zh-Hant-TW.srt")
    assert [c.lines for c in taiwan.cues] == [
        ["<i>這個軟體的影片</i>", "張藝謀在臺北"],
        ["頭髮很乾，Li Bai 說 2024 年"],
        ["秦嶺的滑鼠"],
    ]
    assert taiwan.cues[1].alignment == 8
    hong_kong = read_track(tmp_path / "out" / "film.zh-Hant-HK.srt")
    assert hong_kong.cues[0].lines == ["<i>這個軟件的影片</i>", "張藝謀在台北"]  # HK: 视频 → 影片 (phrases-hk.tsv)
    for converted in (taiwan, hong_kong, read_track(tmp_path / "out" / "film.zh-Hant.srt")):
        assert [(c.start, c.end, len(c.lines)) for c in converted.cues] == [
            (c.start, c.end, len(c.lines)) for c in original.cues
        ]


def test_glossary_terms_are_converted_and_protected_names_stay_as_written(tmp_path: Path) -> None:
    source = tmp_path / "film.zh-Hans.srt"
    source.write_text(ZH_SRT, encoding="utf-8")
    glossary = tmp_path / "glossary.json"
    glossary.write_text(
        json.dumps(
            {
                "names": ["张艺谋", {"zh-Hans": "秦岭", "zh-Hant-TW": "秦嶺山"}],
                "pairs": [{"from": "zh-Hans", "to": "zh-Hant", "terms": [{"source": "鼠标", "target": "滑鼠器"}]}],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    empty = tmp_path / "no-models"
    empty.mkdir()
    env = {"ARGOS_PACKAGES_DIR": str(empty), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = run_cli("translate", str(source), "--to", "zh-Hant-TW", "--glossary", str(glossary), "--out-dir", str(tmp_path / "out"), env=env)
    assert result.code == 0, result.stderr
    taiwan = read_track(tmp_path / "out" / "film.zh-Hant-TW.srt")
    assert taiwan.cues[0].lines[1] == "张艺谋在臺北"  # a name the glossary keeps: as written
    assert taiwan.cues[2].lines == ["秦嶺山的滑鼠器"]  # the glossary's own forms (a zh-Hant pair term serves TW)


def test_other_languages_go_through_zh_hans_when_that_model_exists(argos_env: dict, tmp_path: Path) -> None:  # noqa: F811
    from toolkit.languages import EN

    route = plan_route(EN, ZH_HANT_TW)
    assert route.pairs == (("en", "zh"),) and route.convert == "s2twp" and route.via == ZH_HANS
    assert plan_route(ZH_HANS, ZH_HANT).conversion_only
    source = tmp_path / "film.en.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:03,000\nThe lacquer tray is red.\n\n2\n00:00:04,000 --> 00:00:06,000\nIt is old.\n", encoding="utf-8")
    result = run_cli("translate", str(source), "--to", "zh-Hant", "--out-dir", str(tmp_path / "out"), "--format", "json", env=argos_env)
    assert result.code == 0, result.stderr
    out = read_track(tmp_path / "out" / "film.zh-Hant.srt", language=ZH_HANT)
    text = "".join(cue.plain_text for cue in out.cues)
    assert text.strip()
    assert count_script(text).simplified == 0  # whatever the model wrote, it was converted
    assert [(c.start, c.end) for c in out.cues] == [(1000, 3000), (4000, 6000)]


def test_terms_through_zh_hans_are_converted_unless_the_glossary_gives_the_target_form() -> None:
    from tinymodel import FakeTranslator

    from toolkit.languages import EN
    from toolkit.translate.engine import ConvertingTranslator, PivotTranslator
    from toolkit.translate.glossary import Glossary, Term
    from toolkit.translate.job import _glossary_terms

    glossary = Glossary(
        pairs={("en", "zh-Hans"): [Term("software", "软件")]},
        names=["Li Bai", {"en": "Qinling", "zh-Hans": "秦岭", "zh-Hant": "秦嶺山脈"}],
    )
    translator = PivotTranslator(FakeTranslator(), ConvertingTranslator("s2t"))
    terms = {term.source: term.target for term in _glossary_terms(glossary, EN, ZH_HANT, translator)}
    assert terms == {"software": "軟件", "Li Bai": "Li Bai", "Qinling": "秦嶺山脈"}
