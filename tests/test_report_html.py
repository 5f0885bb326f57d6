"""report.html: self-contained, shows Chinese without system fonts, renders in a real browser."""

from __future__ import annotations

import base64
import io
import os
import re
from pathlib import Path

import pytest

from toolkit.report.browser import find_chromium, screenshot
from toolkit.report.html import render_report
from toolkit.report.model import PackageReport

REPORT = {
    "screenkit": "0.1.0",
    "manifest": {"sha256": "ab" * 32},
    "event": {
        "title": {"en": "Sino-French Short Film Showcase", "zh-Hans": "中法短片展映"},
        "dates": "2026-12-04 – 2026-12-06",
        "venues": [{"name": "Centre Culturel de Chine à Paris", "city": "Paris"}],
        "qc_profile": "festival",
    },
    "languages": {"required": ["fr"], "optional": ["en"]},
    "works": [
        {
            "id": "tray",
            "title": {"original": "漆案", "en": "The Lacquered Tray"},
            "tracks": [
                {"language": "fr", "status": "human", "qc": {"errors": 0, "warnings": 1}},
                {"language": "en", "status": "machine", "source": "zh-Hans", "cues": 30},
            ],
            "deliverables": [
                {"kind": "burn", "languages": ["fr"], "path": "tray/tray.fr.mp4", "duration_ms": 5000,
                 "size": 2048, "sha256": "cd" * 32, "still": "stills/tray.png", "still_at_ms": 1000}
            ],
            "findings": [{"severity": "warning", "code": "SK203", "language": "fr", "where": "cue 4",
                          "message": "reading speed <script>alert(1)</script>"}],
        },
        {"id": "city", "title": {"en": "City Static"}, "tracks": [{"language": "fr", "status": "missing"}]},
    ],
}


def _write_still(root: Path) -> None:
    from PIL import Image

    (root / "stills").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (320, 180), (200, 30, 30)).save(root / "stills" / "tray.png")


def test_report_is_self_contained_and_escapes_text(tmp_path: Path) -> None:
    _write_still(tmp_path)
    page = render_report(PackageReport.from_json(REPORT), tmp_path)
    # No network: no http(s) URL for any resource.
    assert not re.search(r"(src|href)=['\"]?https?:", page)
    assert "data:image/png;base64," in page  # the still is embedded
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert page.count("badge missing") == 1  # city: fr missing; no en entry at all
    assert "<td>—</td>" in page
    assert "badge machine" in page


def test_embedded_font_covers_every_chinese_character_of_the_report(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    page = render_report(PackageReport.from_json(REPORT), tmp_path)
    match = re.search(r"url\(data:font/otf;base64,([A-Za-z0-9+/=]+)\)", page)
    assert match, "no embedded CJK font"
    font = TTFont(io.BytesIO(base64.b64decode(match.group(1))))
    cmap = font.getBestCmap()
    for char in "中法短片展映漆案":
        assert ord(char) in cmap, char
    assert len(match.group(1)) < 200_000  # a subset, not the 16 MB font


needs_browser = pytest.mark.skipif(
    find_chromium() is None and os.environ.get("CI") != "true",
    reason="no chromium found: install Debian's chromium (CI does) to run the browser check",
)


@needs_browser
def test_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    from PIL import Image

    _write_still(tmp_path)
    html_file = tmp_path / "report.html"
    html_file.write_text(render_report(PackageReport.from_json(REPORT), tmp_path), encoding="utf-8")
    png = screenshot(html_file, tmp_path / "shot.png", width=1280, height=1200)
    image = Image.open(png).convert("RGB")
    assert image.size == (1280, 1200)
    # The header band is drawn (dark gradient), the page body is light.
    r, g, b = image.getpixel((20, 20))
    assert r < 80 and g < 80 and b < 100
    r, g, b = image.getpixel((5, 600))
    assert min(r, g, b) > 230
    # The embedded still (pure red) is on the page.
    pixels = list(image.get_flattened_data())
    assert sum(1 for p in pixels if p[0] > 180 and p[1] < 60 and p[2] < 60) > 5000
    # Enough distinct colours for text, badges and the still: not a blank page.
    assert len(set(pixels)) > 200


def test_chromium_failure_is_reported_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "fake-chromium"
    fake.write_text("#!/bin/sh\necho 'cannot open display' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("SCREENKIT_CHROMIUM", str(fake))
    html_file = tmp_path / "r.html"
    html_file.write_text("<p>x</p>")
    from toolkit.errors import ScreenkitError

    with pytest.raises(ScreenkitError, match="cannot open display"):
        screenshot(html_file, tmp_path / "s.png")
