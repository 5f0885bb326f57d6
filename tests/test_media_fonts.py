"""Font choice: --font, the packaged Noto Sans CJK face for each script, a system copy of that face."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import assert_clean_error, run_cli
from media_support import FACTORY

from toolkit.errors import ScreenkitError
from toolkit.languages import EN, FR, ZH_HANS, ZH_HANT
from toolkit.media import fonts
from toolkit.media.fonts import choose_font, font_family, packaged_collection, packaged_face

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture
def fresh_fontconfig_cache():
    lookup = fonts._fontconfig_face  # cached per face: start and end with an empty cache
    lookup.cache_clear()
    yield
    lookup.cache_clear()


def _fontconfig_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *files: Path) -> None:
    """A fontconfig that knows exactly ``files`` (as the system's fonts)."""
    folder = tmp_path / "system-fonts"
    folder.mkdir()
    for file in files:
        (folder / file.name).symlink_to(file)
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<fontconfig>\n'
        f"  <dir>{folder}</dir>\n  <cachedir>{tmp_path / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))


def test_each_script_gets_its_own_face_from_the_pip_package() -> None:
    collection = packaged_collection()
    assert collection is not None and collection.suffix == ".ttc"
    simplified, traditional = choose_font(ZH_HANS, "你好"), choose_font(ZH_HANT, "你好")
    assert (simplified.family, simplified.source) == ("Noto Sans CJK SC", "noto-cjk-sans-otc")
    assert (traditional.family, traditional.source) == ("Noto Sans CJK TC", "noto-cjk-sans-otc")
    # Each face is a file of its own, copied out of the collection: its name table says which.
    assert font_family(simplified.file) == "Noto Sans CJK SC"
    assert font_family(traditional.file) == "Noto Sans CJK TC"
    assert simplified.file != traditional.file
    # Latin-script text in Noto Sans (the CJK faces' ’ is full-width); unknown language with Chinese in SC.
    assert choose_font(EN, "Hello").family == choose_font(FR, "Bonjour").family == "Noto Sans"
    assert choose_font(FR, "Bonjour").source == "fontpkg-noto-sans"
    assert choose_font(None, "你好").family == "Noto Sans CJK SC"
    assert simplified.describe() == f"Noto Sans CJK SC ({simplified.file.name}, noto-cjk-sans-otc)"


def test_a_packaged_face_is_copied_out_once_and_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = packaged_face(ZH_HANT)
    assert first is not None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fonts._face_file.cache_clear()
    try:
        again = packaged_face(ZH_HANT)
        assert again is not None and again.file != first.file and tmp_path in again.file.parents
        assert again.file.read_bytes() == first.file.read_bytes()
    finally:
        fonts._face_file.cache_clear()


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig tools not installed")
def test_a_system_font_counts_only_when_it_really_is_that_face(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_fontconfig_cache: None
) -> None:
    """Without the pip package: a system copy of the SC face is taken; a stand-in is refused."""
    collection = packaged_collection()
    assert collection is not None
    monkeypatch.setattr(fonts, "packaged_collection", lambda: None)
    _fontconfig_with(tmp_path, monkeypatch, collection, DEJAVU)
    chosen = choose_font(ZH_HANT, "歡迎")
    assert (chosen.source, chosen.family, font_family(chosen.file, chosen.index)) == (
        "fontconfig", "Noto Sans CJK TC", "Noto Sans CJK TC")


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig tools not installed")
def test_a_system_font_that_is_another_face_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_fontconfig_cache: None
) -> None:
    # fc-match answers DejaVu Sans for "Noto Sans CJK SC" here: a stand-in, not the face.
    monkeypatch.setattr(fonts, "packaged_collection", lambda: None)
    _fontconfig_with(tmp_path, monkeypatch, DEJAVU)
    with pytest.raises(ScreenkitError, match="no system font is Noto Sans CJK SC"):
        choose_font(ZH_HANS, "你好")


def test_the_packaged_face_wins_over_any_system_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_fontconfig_cache: None
) -> None:
    """A system copy may be another version: the packaged file keeps copies identical everywhere."""
    collection = packaged_collection()
    assert collection is not None
    _fontconfig_with(tmp_path, monkeypatch, collection, DEJAVU)
    monkeypatch.setattr(fonts, "_fontconfig_face", lambda face: pytest.fail("fontconfig asked"))
    assert choose_font(ZH_HANS, "你好").source == "noto-cjk-sans-otc"


def test_an_explicit_collection_gives_the_face_for_the_script(tmp_path: Path) -> None:
    collection = packaged_collection()
    assert collection is not None
    link = tmp_path / "cjk.ttc"
    link.symlink_to(collection)
    chosen = choose_font(ZH_HANT, "歡迎", link)
    assert (chosen.source, chosen.family) == ("--font", "Noto Sans CJK TC")
    assert font_family(chosen.file, chosen.index) == "Noto Sans CJK TC"


def test_explicit_font_wins_and_must_be_a_font(tmp_path: Path) -> None:
    chosen = choose_font(ZH_HANS, "你好", DEJAVU)
    assert (chosen.source, chosen.family) == ("--font", "DejaVu Sans")
    with pytest.raises(ScreenkitError, match="no such font file"):
        choose_font(EN, "x", tmp_path / "absent.ttf")
    truncated = tmp_path / "cut.ttf"
    truncated.write_bytes(DEJAVU.read_bytes()[:64])
    with pytest.raises(ScreenkitError, match="not a TrueType/OpenType font"):
        choose_font(EN, "x", truncated)


def test_burn_reports_the_fonts_it_used(tmp_path: Path) -> None:
    result = run_cli(
        "burn", str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "-o", str(tmp_path / "o.mp4"),
        "--font", str(DEJAVU), "--preset", "ultrafast", "--format", "json",
    )
    assert result.code == 0, result.stderr
    import json

    report = json.loads(result.stdout)
    assert report["fonts"] == [{"family": "DejaVu Sans", "file": str(DEJAVU), "source": "--font"}]
    assert report["languages"] == ["en"]
    missing = run_cli("burn", str(FACTORY.clip), "--subs", f"en={FACTORY.en}", "-o", str(tmp_path / "p.mp4"),
                      "--font", str(tmp_path / "nope.otf"))
    assert_clean_error(missing, "nope.otf", "no such font file")
