"""Language tags, with the Taiwan and Hong Kong regions of Traditional Chinese."""

from __future__ import annotations

import pytest

from toolkit.languages import (
    TAGS,
    ZH_HANT,
    ZH_HANT_HK,
    ZH_HANT_TW,
    language_from_filename,
    parse_language,
    parse_language_list,
)
from toolkit.qc import load_profile
from toolkit.schemas import load_schema


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("zh-Hant-TW", ZH_HANT_TW), ("zh_hant_tw", ZH_HANT_TW), ("zh-TW", ZH_HANT_TW),
     ("zh-Hant-HK", ZH_HANT_HK), ("ZH-HK", ZH_HANT_HK), ("zh-Hant", ZH_HANT), ("cht", ZH_HANT)],
)
def test_regional_tags_are_accepted(tag: str, expected: object) -> None:
    assert parse_language(tag) == expected


def test_regions_map_to_the_traditional_model_and_codes_with_their_own_names() -> None:
    for language, name in ((ZH_HANT_TW, "中文（台灣）"), (ZH_HANT_HK, "中文（香港）")):
        assert (language.argos, language.iso639_2t, language.iso639_2b) == ("zt", "zho", "chi")
        assert language.native_name == name
        assert language.script == "Hant" and language.is_cjk
        assert language.lineage == ("zh-Hant", language.tag)
    assert ZH_HANT.lineage == ("zh-Hant",)


def test_regions_everywhere_tags_are() -> None:
    assert {"zh-Hant-TW", "zh-Hant-HK"} <= set(TAGS)
    assert load_schema("manifest")["$defs"]["language"]["enum"] == list(TAGS)
    assert parse_language_list("zh-Hant-TW,zh-Hant-HK,zh-TW") == [ZH_HANT_TW, ZH_HANT_HK]
    assert language_from_filename("film.zh-Hant-TW.srt") == ZH_HANT_TW
    assert language_from_filename("film.zh-hk.srt") == ZH_HANT_HK


def test_a_region_takes_its_scripts_profile_settings() -> None:
    hant = load_profile("netflix", ZH_HANT)
    for region in (ZH_HANT_TW, ZH_HANT_HK):
        profile = load_profile("netflix", region)
        assert (profile.max_chars_per_line, profile.half_width_weight, profile.cjk_punctuation) == (
            hant.max_chars_per_line, hant.half_width_weight, hant.cjk_punctuation)
