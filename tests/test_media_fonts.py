"""Font choice: --font, a system font found through fontconfig, the packaged Noto Sans CJK."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import assert_clean_error, run_cli
from media_support import FACTORY

from toolkit.errors import ScreenkitError
from toolkit.languages import EN, ZH_HANS, ZH_HANT
from toolkit.media import fonts
from toolkit.media.fonts import choose_font, font_family, packaged_cjk_font

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture
def fresh_fontconfig_cache():
    lookup = fonts._fontconfig_font  # cached per language: start and end with an empty cache
    lookup.cache_clear()
    yield
    lookup.cache_clear()


def test_packaged_font_family_is_the_name_libass_matches() -> None:
    packaged = packaged_cjk_font()
    assert packaged is not None and packaged.suffix == ".otf"
    # Name ID 1 of this file; its typographic family (16) would be "Noto Sans CJK TC",
    # which libass does not match for fonts loaded from fontsdir=.
    assert font_family(packaged) == "Noto Sans CJK TC Regular"
    assert font_family(DEJAVU) == "DejaVu Sans"


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig tools not installed")
def test_system_font_found_through_fontconfig(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_fontconfig_cache: None
) -> None:
    """A machine with a CJK font installed: fontconfig's choice wins over the packaged font."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    packaged = packaged_cjk_font()
    assert packaged is not None
    (folder / "SystemCJK.otf").symlink_to(packaged)
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{folder}</dir>\n  <cachedir>{tmp_path / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    chosen = choose_font(ZH_HANT, "歡迎")
    assert chosen.source == "fontconfig" and chosen.file == folder / "SystemCJK.otf"
    assert chosen.family == "Noto Sans CJK TC Regular"
    # Latin text keeps the system's Latin sans-serif.
    assert choose_font(EN, "Hello").file != chosen.file


def test_without_a_system_cjk_font_the_packaged_one_is_used(
    monkeypatch: pytest.MonkeyPatch, fresh_fontconfig_cache: None
) -> None:
    monkeypatch.setattr(fonts, "_fontconfig_font", lambda lang: None)
    chosen = choose_font(ZH_HANS, "你好")
    assert chosen.source == "packaged" and chosen.file == packaged_cjk_font()
    # Text that is Chinese even when the language is not known.
    assert choose_font(None, "你好").source == "packaged"


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
