"""``screenkit init FOLDER``: a draft manifest from a folder, every guess commented, validated for real."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLES, assert_clean_error, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from init_support import make_folder, make_untidy_folder

from toolkit.init.folder import _name_languages
from toolkit.init.yamlout import Commented, dump

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """(the folder, the draft's text, init's stderr)."""
    folder = make_folder(tmp_path_factory.mktemp("init") / "festival")
    result = run_cli("init", str(folder))
    assert result.code == 0, result.stderr
    return folder, (folder / "manifest.yaml").read_text(encoding="utf-8"), result.stderr


def _tracks(text: str) -> dict[str, dict]:
    data = yaml.safe_load(text)
    return {track["path"]: track for work in data["works"] for track in work.get("subtitles", [])}


def _line(text: str, fragment: str) -> str:
    [line] = [line for line in text.splitlines() if fragment in line]
    return line


def test_generated_folder_draft_validates(generated: tuple[Path, str, str]) -> None:
    folder, _, _ = generated
    result = run_cli("validate", str(folder / "manifest.yaml"))
    assert result.code == 0, result.stdout + result.stderr
    assert "valid (0 errors, 0 warnings" in result.stderr


def test_every_format_and_encoding_is_read_and_paired(generated: tuple[Path, str, str]) -> None:
    _, text, _ = generated
    tracks = _tracks(text)
    found = {path: (t["language"], t.get("role", "full"), t["format"]) for path, t in tracks.items()}
    assert found == {
        "subs/opening-night.srt": ("zh-Hans", "full", "srt"),  # GB18030, language from the text
        "subs/opening-night.en.vtt": ("en", "full", "vtt"),  # UTF-16
        "subs/opening-night.en.sdh.srt": ("en", "sdh", "srt"),
        "subs/opening-night.fr.srt": ("fr", "full", "srt"),  # cp1252
        "subs/harbour_lights.zh-Hant.srt": ("zh-Hant", "full", "srt"),  # Big5
        "subs/harbour_lights.fr.ass": ("fr", "full", "ass"),
        "subs/harbour_lights.ssa": ("en", "full", "ssa"),
        "subs/harbour_lights.srt": ("zh-Hant", "bilingual", "srt"),  # bilingual by its text
        "Night Train.en.ttml": ("en", "full", "imsc"),
        "subs/night-train.fr.xml": ("fr", "full", "dcp-interop"),
        "subs/Night Train.zh-Hans+fr.srt": ("zh-Hans", "bilingual", "srt"),  # bilingual by its name
    }
    data = yaml.safe_load(text)
    by_video = {work["media"]["path"]: {t["path"] for t in work.get("subtitles", [])} for work in data["works"]}
    assert by_video["media/Night Train.mov"] == {
        "Night Train.en.ttml", "subs/night-train.fr.xml", "subs/Night Train.zh-Hans+fr.srt"
    }
    assert "gb18030" in _line(text, "path: subs/opening-night.srt")
    assert "utf-16" in _line(text, "path: subs/opening-night.en.vtt")
    assert "cp1252" in _line(text, "path: subs/opening-night.fr.srt")
    assert "big5" in _line(text, "path: subs/harbour_lights.zh-Hant.srt")


def test_video_facts_are_probed(generated: tuple[Path, str, str]) -> None:
    import hashlib

    folder, text, _ = generated
    works = {work["id"]: work for work in yaml.safe_load(text)["works"]}
    assert set(works) == {"opening-night", "harbour-lights", "night-train"}
    harbour = works["harbour-lights"]
    assert harbour["media"]["frame_rate"] == "23.976"
    assert harbour["media"]["resolution"] == {"width": 160, "height": 90}
    assert harbour["runtime"] == round(harbour["media"]["duration"]) == 13
    digest = hashlib.sha256((folder / "media" / "harbour_lights.mkv").read_bytes()).hexdigest()
    assert harbour["media"]["sha256"] == digest
    assert works["opening-night"]["original_language"] == "zh-Hans"  # its audio is tagged zho


def test_every_guess_is_commented(generated: tuple[Path, str, str]) -> None:
    _, text, stderr = generated
    guessed_keys = ("id:", "language:", "original_language:", "runtime:", "role:", "original:", "required:", "time_zone:")
    for line in text.splitlines():
        key = line.strip().removeprefix("- ")
        if key.startswith(guessed_keys):
            assert "  # " in line, line
    lines = text.splitlines()
    language_line = lines[lines.index(_line(text, "path: subs/opening-night.srt")) - 1]
    assert "language: zh-Hans  # language identified from the text (zh-Hans, 1.00)" in language_line
    named = lines[lines.index(_line(text, "path: subs/opening-night.fr.srt")) - 1]
    assert "language: fr  # language from the file name; the text reads as fr (" in named
    runtimes = [line for line in lines if line.strip().startswith("runtime:")]
    assert runtimes and all("# runtime from the video's duration (13 s)" in line for line in runtimes)
    assert "title from the file name" in _line(text, "original: Night Train")
    assert "original language from the video's audio language tag (zho)" in text
    assert "two languages in each cue (zh-Hant+en), from the text" in text
    assert "two languages in each cue (zh-Hans+fr), from the file name" in text
    comments = sum("  # " in line for line in text.splitlines())
    stated = int(stderr.strip().splitlines()[-1].split("; ")[-1].split()[0])
    assert comments >= stated > 20


def test_a_second_run_refuses_and_force_gives_the_same_bytes(generated: tuple[Path, str, str]) -> None:
    folder, text, _ = generated
    manifest = folder / "manifest.yaml"
    result = run_cli("init", str(folder))
    assert_clean_error(result, str(manifest), "--force", code=2)
    assert manifest.read_text(encoding="utf-8") == text
    again = run_cli("init", str(folder), "--force")
    assert again.code == 0, again.stderr
    assert manifest.read_text(encoding="utf-8") == text  # same inputs, same bytes
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_what_cannot_be_placed_is_said(tmp_path: Path) -> None:
    folder = make_untidy_folder(tmp_path / "untidy")
    result = run_cli("init", str(folder))
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    said = result.stderr
    assert f"{folder / 'broken.en.srt'}:2: " in said  # unreadable, with its line
    assert f"{folder / 'clip.mkv'}: " in said and "left out" in said
    assert f"{folder / 'orphan.fr.srt'}: no video named 'orphan'" in said
    assert f"{folder / 'lonely.mp4'}: no subtitle tracks" in said
    assert f"{folder / 'paired.fr.ass'}: a second full fr track" in said
    data = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    assert [w["id"] for w in data["works"]] == ["lonely", "paired"]
    assert [t["path"] for t in data["works"][1]["subtitles"]] == ["paired.fr.srt"]


@pytest.mark.parametrize("sample", ["paris-showcase", "documentary-expo"])
def test_the_samples_drafts_validate_and_agree_with_their_manifests(tmp_path: Path, sample: str) -> None:
    source = SAMPLES / sample
    folder = tmp_path / sample
    for part in ("media", "subtitles"):
        shutil.copytree(source / part, folder / part)
    result = run_cli("init", str(folder))
    assert result.code == 0, result.stderr
    checked = run_cli("validate", str(folder / "manifest.yaml"))
    assert checked.code == 0, checked.stdout + checked.stderr
    draft = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    manifest_file = source / ("manifest.yaml" if sample == "paris-showcase" else "manifest.json")
    original = yaml.safe_load(manifest_file.read_text(encoding="utf-8"))
    works = {work["id"]: work for work in original["works"]}
    assert {work["id"] for work in draft["works"]} == set(works)
    for work in draft["works"]:
        known = works[work["id"]]
        assert work["runtime"] == known["runtime"]
        assert work["media"]["path"] == known["media"]["path"]
        if "sha256" in known["media"]:
            assert work["media"]["sha256"] == known["media"]["sha256"]
        if sample == "paris-showcase":  # Chinese films: the guess from their Chinese tracks is right
            assert work["original_language"] == known["original_language"]
        assert {(t["language"], t["path"]) for t in work["subtitles"]} == {
            (t["language"], t["path"]) for t in known["subtitles"]
        }


def test_bad_invocations_exit_2_in_one_line(tmp_path: Path) -> None:
    assert_clean_error(run_cli("init", str(tmp_path / "missing")), "no such folder")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert_clean_error(run_cli("init", str(empty)), "no videos found")
    assert not (empty / "manifest.yaml").exists()
    outside = run_cli("init", str(empty), "-o", str(tmp_path.parent / "elsewhere" / "m.yaml"))
    assert_clean_error(outside, "in FOLDER or a folder above it")
    assert_clean_error(run_cli("init", str(empty), "--timezone", "Mars/Olympus"), "unknown time zone")


@pytest.mark.parametrize(
    ("name", "languages", "role", "stem"),
    [
        ("film.fr.srt", ["fr"], None, "film"),
        ("film.zh-Hans+fr.srt", ["zh-Hans", "fr"], None, "film"),
        ("Film Title.en.sdh.vtt", ["en"], "sdh", "Film Title"),
        ("film.v2.srt", [], None, "film.v2"),
        ("fr.srt", [], None, "fr"),  # a name that is only a language still names the film
    ],
)
def test_name_parts(name: str, languages: list[str], role: str | None, stem: str) -> None:
    found, found_role, found_stem = _name_languages(Path(name))
    assert [language.tag for language in found] == languages
    assert (found_role, found_stem) == (role, stem)


_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
_scalars = st.one_of(_text, st.integers(-10**6, 10**6), st.booleans(), st.none())
_keys = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd")), min_size=1, max_size=10)
_nodes = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(_keys, inner, max_size=4),
        st.builds(Commented, inner.filter(lambda node: not isinstance(node, Commented)), _text),
    ),
    max_leaves=8,
)


def _plain(node: object) -> object:
    if isinstance(node, Commented):
        return _plain(node.value)
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(_keys, _nodes, min_size=1, max_size=3))
def test_the_yaml_writer_reads_back_as_written(document: dict) -> None:
    text = dump(document, header=["a draft"], blank_between=tuple(document))
    assert yaml.safe_load(text) == _plain(document)


def test_a_name_the_text_disagrees_with_is_flagged(tmp_path: Path) -> None:
    from init_support import FR_CUES, srt, video

    folder = tmp_path / "mixed"
    folder.mkdir()
    video(folder / "film.mp4", audio_language="fra")
    (folder / "film.en.srt").write_text(srt(FR_CUES), encoding="utf-8")  # French text, English name
    assert run_cli("init", str(folder)).code == 0
    text = (folder / "manifest.yaml").read_text(encoding="utf-8")
    assert "language: en  # language from the file name; the text reads as fr (" in text
    assert _line(text, "language: en").endswith(": check it")
    assert "media:  # measured from the file; audio tagged fra" in text
    assert "original_language: fr  # original language from the video's audio language tag (fra)" in text


def test_a_manifest_above_the_folder_has_paths_from_its_own_folder(tmp_path: Path) -> None:
    folder = tmp_path / "event" / "deliveries"
    for part in ("media", "subtitles"):
        shutil.copytree(SAMPLES / "documentary-expo" / part, folder / part)
    manifest = tmp_path / "event" / "manifest.yaml"
    result = run_cli("init", str(folder), "-o", str(manifest))
    assert result.code == 0, result.stderr
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    assert data["works"][0]["media"]["path"] == "deliveries/media/river-archive.mp4"
    checked = run_cli("validate", str(manifest))
    assert checked.code == 0, checked.stdout + checked.stderr
