"""A Chinese track in the wrong script is an error in lint and validate (OpenCC's tables decide)."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SAMPLES, run_cli
from qc_support import codes, make_track

from toolkit.chinese import convert_track
from toolkit.languages import ZH_HANT_HK, ZH_HANT_TW
from toolkit.qc.langid import identify_language
from toolkit.subtitles import read_track

LACQUER = SAMPLES / "paris-showcase" / "subtitles" / "lacquer-tray.zh-Hans.srt"


def test_lint_errs_on_a_taiwan_track_written_in_simplified(tmp_path: Path) -> None:
    wrong = tmp_path / "lacquer-tray.zh-Hant-TW.srt"
    wrong.write_bytes(LACQUER.read_bytes())
    result = run_cli("lint", str(wrong))
    assert result.code == 1
    assert "SK502" in result.stdout and "zh-Hans script" in result.stdout
    right = tmp_path / "right.zh-Hant-TW.srt"
    assert run_cli("convert", str(LACQUER), "-o", str(right), "--script", "zh-Hant-TW").code == 0
    assert "SK502" not in run_cli("lint", str(right)).stdout


def test_the_reverse_and_the_regions() -> None:
    simplified = read_track(LACQUER)
    for region in (ZH_HANT_TW, ZH_HANT_HK):
        traditional = convert_track(simplified, region)
        assert "SK502" not in codes(traditional, "festival")
        traditional.language = simplified.language  # Traditional text declared zh-Hans
        assert "SK502" in codes(traditional, "festival")
    short = make_track((0, 2000, "我是你的朋友"), lang="zh-Hant-TW")
    assert "SK502" not in codes(short, "festival")  # no telling character: no verdict


def test_language_identification_tells_the_scripts_apart() -> None:
    text = "\n".join(cue.plain_text for cue in read_track(LACQUER).cues)
    assert identify_language(text)[0].tag == "zh-Hans"
    converted = "\n".join(cue.plain_text for cue in convert_track(read_track(LACQUER), ZH_HANT_TW).cues)
    assert identify_language(converted)[0].tag == "zh-Hant"


def test_validate_errs_on_a_track_tagged_in_the_other_script(tmp_path: Path) -> None:
    event = tmp_path / "event"
    shutil.copytree(SAMPLES / "paris-showcase", event, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    manifest = event / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace("- {language: zh-Hans, path: subtitles/lacquer-tray.zh-Hans.srt", "- {language: zh-Hant-TW, path: subtitles/lacquer-tray.zh-Hans.srt")
    manifest.write_text(text, encoding="utf-8")
    result = run_cli("validate", str(manifest), "--no-media")
    assert result.code == 1
    assert "tagged zh-Hant-TW, but the text is written in zh-Hans script" in result.stdout + result.stderr
