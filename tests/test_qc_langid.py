"""Language identification over the full py3langid set; bilingual tracks are zh-Hans+en."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from toolkit.qc.langid import identify_language, identify_track
from toolkit.subtitles.model import Cue

DANISH = "Jeg ved ikke, hvad du taler om. Vi skal hjem nu, før det bliver mørkt. Hvor er min søster henne?"
GREEK = "Δεν ξέρω τι λες. Πρέπει να πάμε σπίτι τώρα, πριν νυχτώσει. Πού είναι η αδελφή μου;"
TRADITIONAL = "我們為什麼那麼好奇呢？他們明天就要離開這座城市了。你知道他在哪裡嗎？這個問題很難回答。"


@pytest.mark.parametrize(("text", "code"), [(DANISH, "da"), (GREEK, "el")])
def test_languages_outside_the_old_dozen(text: str, code: str) -> None:
    assert identify_language(text)[1] == code


def test_traditional_chinese_is_zh_hant_by_opencc_tables() -> None:
    language, code, _ = identify_language(TRADITIONAL)
    assert code == "zh" and language is not None and language.tag == "zh-Hant"


BILINGUAL = [
    ["我们为什么那么好奇呢", "Because who would not want to know"],
    ["他们明天就要离开这座城市了", "They are leaving the city tomorrow"],
    ["你知道他在哪里吗", "Do you know where he is now"],
]


def test_bilingual_track_is_both_languages() -> None:
    cues = [Cue(1000 * n, 1000 * n + 900, lines) for n, lines in enumerate(BILINGUAL)]
    found = identify_track(cues, " ".join(" ".join(lines) for lines in BILINGUAL))
    assert found.tag == "zh-Hans+en"


def test_lint_reports_a_bilingual_track_as_zh_hans_plus_en(tmp_path: Path) -> None:
    path = tmp_path / "film.srt"
    path.write_text(
        "".join(f"{n}\n00:00:0{n},000 --> 00:00:0{n},900\n" + "\n".join(lines) + "\n\n" for n, lines in enumerate(BILINGUAL, 1)),
        encoding="utf-8",
    )
    report = json.loads(run_cli("lint", str(path), "--format", "json").stdout)["files"][0]
    assert report["language"] == "zh-Hans+en"
    # Each line is measured against its own language: no Chinese 16-character limit on English lines.
    assert not any(d["code"] == "SK201" for d in report["diagnostics"])


def test_a_track_whose_languages_are_events_of_their_own_is_bilingual() -> None:
    # A bilingual DCP file: each Chinese event and its French counterpart are separate events.
    french = ["Pourquoi sommes-nous si curieux ?", "Ils quittent la ville demain matin.", "Tu sais où il est maintenant ?"]
    events = [[zh] for zh, _ in BILINGUAL] + [[fr] for fr in french]
    cues = [Cue(1000 * n, 1000 * n + 900, lines) for n, lines in enumerate(events)]
    found = identify_track(cues, " ".join(line for lines in events for line in lines))
    assert found.tag == "zh-Hans+fr"
    # A Chinese track with an English credit or two is one language.
    few = [Cue(1000 * n, 1000 * n + 900, [zh]) for n, (zh, _) in enumerate(BILINGUAL * 3)] + [Cue(20000, 21000, ["THE END"])]
    assert identify_track(few, " ".join(" ".join(c.lines) for c in few)).tag == "zh-Hans"


def test_french_events_of_a_bilingual_dcp_file_are_checked_as_french(tmp_path: Path) -> None:
    zh = tmp_path / "film.zh-Hans.srt"
    fr = tmp_path / "film.fr.srt"
    zh.write_text("".join(f"{n}\n00:00:{2 * n:02},000 --> 00:00:{2 * n + 1:02},500\n{line}\n\n"
                          for n, (line, _) in enumerate(BILINGUAL * 2, 1)), encoding="utf-8")
    french = ["<i>Pourquoi tant de curiosité ?</i>", "- Ils partent demain.", "Tu sais où il est ?"] * 2
    fr.write_text("".join(f"{n}\n00:00:{2 * n:02},000 --> 00:00:{2 * n + 1:02},500\n{line}\n\n"
                          for n, line in enumerate(french, 1)), encoding="utf-8")
    out = tmp_path / "dcp" / "film.xml"
    assert run_cli("convert", "--subs", f"zh-Hans={zh}", "--subs", f"fr={fr}", "--to", "dcp-interop", "-o", str(out)).code == 0
    report = json.loads(run_cli("lint", str(out), "--format", "json").stdout)["files"][0]
    assert report["language"] == "zh-Hans+fr"
    codes = {d["code"] for d in report["diagnostics"]}
    # Under the Chinese profile these French lines would be SK403 (italics) and SK306 (the dash).
    assert not codes & {"SK403", "SK306", "SK304"}, report["diagnostics"]
    alone = tmp_path / "alone.zh-Hans.srt"
    alone.write_text(fr.read_text(encoding="utf-8"), encoding="utf-8")
    declared = json.loads(run_cli("lint", str(alone), "--format", "json").stdout)["files"][0]
    assert {"SK403", "SK306"} <= {d["code"] for d in declared["diagnostics"]}  # what the profile choice avoids


SAMPLES_BY_LANGUAGE = [DANISH, GREEK, TRADITIONAL, "Bonjour tout le monde, comment allez-vous ce soir ?", "Where were you last night?"]


def test_the_unpacked_model_in_the_cache_identifies_as_the_shipped_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.qc import langid

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    langid._identifier.cache_clear()
    try:
        fresh = [identify_language(text) for text in SAMPLES_BY_LANGUAGE]  # unpacks and writes the cache
        [folder] = (tmp_path / "screenkit").glob("langid-*")
        # The six arrays, and the stamp of its last use (toolkit.cachekeys prunes by it).
        assert {path.name for path in folder.iterdir()} == {f"{name}.npy" for name in langid._MODEL_PARTS} | {".used"}
        langid._identifier.cache_clear()
        assert [identify_language(text) for text in SAMPLES_BY_LANGUAGE] == fresh  # memory-mapped from the cache
        (folder / "nextmove.npy").write_bytes(b"damaged")
        langid._identifier.cache_clear()
        assert [identify_language(text) for text in SAMPLES_BY_LANGUAGE] == fresh  # rebuilt
        assert (folder / "nextmove.npy").stat().st_size > 1000
    finally:
        langid._identifier.cache_clear()


def test_a_read_only_cache_folder_still_identifies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.qc import langid

    (tmp_path / "screenkit").write_text("not a folder", encoding="utf-8")  # the cache cannot be made
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    langid._identifier.cache_clear()
    try:
        assert identify_language(DANISH)[1] == "da"
    finally:
        langid._identifier.cache_clear()
