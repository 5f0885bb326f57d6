"""report.html: self-contained, shows Chinese without system fonts, renders in a real browser."""

from __future__ import annotations

import base64
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES, run_cli

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
    assert "title='no track in this language'>—<" in page
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


# ---- the report of the sample event's package, point by point (issue 25) ------------------

SAMPLE_MANIFEST = SAMPLES / "paris-showcase" / "manifest.yaml"
PAGE_CHECKS = (Path(__file__).parent / "page_checks.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample event packaged as the README's first command does (no --translate-missing)."""
    out = tmp_path_factory.mktemp("report") / "paris"
    result = run_cli("package", str(SAMPLE_MANIFEST), "--out", str(out), "--jobs", "2")
    assert result.code == 0, result.stderr
    return out


def _sample(out: Path) -> tuple[dict[str, Any], Any]:
    import lxml.html

    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return data, lxml.html.fromstring((out / "report.html").read_text(encoding="utf-8"))


def _cls(name: str) -> str:
    """XPath: the element has class NAME."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _cell(row: Any, label: str) -> Any:
    return row.xpath(f"td[@data-label='{label}']")[0]


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


@pytest.mark.slow
def test_sample_report_json_has_warnings_with_fixes_titles_end_times_synopses(sample_package: Path) -> None:
    data, _ = _sample(sample_package)
    assert data["language"] == "fr"  # the event's first required audience language
    by_code = {w["code"]: w for w in data["warnings"]}
    assert set(by_code) == {"SKP101", "SKP104"}
    assert by_code["SKP104"]["work"] == "tides-within" and "reviewed: false" in by_code["SKP104"]["message"]
    assert by_code["SKP104"]["fix"].startswith("Review and approve it (screenkit review)")
    assert by_code["SKP101"]["work"] == "city-static" and by_code["SKP101"]["line"] == 138
    shorts = data["screenings"][0]
    assert shorts["title"]["fr"] == "Programme de courts métrages"
    # 19:00 + 10 min intro + 300 + 240 + 180 s of films + 20 min Q&A.
    assert (shorts["start"], shorts["end"]) == ("2026-03-14T19:00:00+01:00", "2026-03-14T19:42:00+01:00")
    tides = next(w for w in data["works"] if w["id"] == "tides-within")
    assert tides["content_notes"] == ["made with generative AI tools", "flashing images"]
    assert tides["synopsis"]["fr"].startswith("Une animation générée par IA")


@pytest.mark.slow
def test_sample_report_an_optional_gap_is_neutral_and_said_in_words(sample_package: Path) -> None:
    _, page = _sample(sample_package)
    row = next(tr for tr in page.xpath(f"//table[{_cls('matrix')}]//tr") if "Électricité statique" in _text(tr))
    gap = row.xpath(f"td[@data-label='en']//span[{_cls('badge')}]")
    assert [b.get("class") for b in gap] == ["badge optional-gap"]
    assert _text(gap[0]) == "no English track (optional)"
    assert not page.xpath(f"//span[{_cls('badge')} and {_cls('missing')}]")  # no required track is missing
    cards = {_text(c.xpath(f"div[{_cls('l')}]")[0]): c.get("class") for c in page.xpath(f"//div[{_cls('card')}]")}
    assert cards["required tracks missing"] == "card ok"
    assert cards["optional tracks not provided"] == "card neutral"
    assert "missing tracks" not in cards


@pytest.mark.slow
def test_sample_report_every_warning_text_and_fix_beside_its_work(sample_package: Path) -> None:
    data, page = _sample(sample_package)
    assert data["warnings"]
    for warning in data["warnings"]:
        section = page.get_element_by_id(f"work-{warning['work']}")
        items = [_text(li) for li in section.xpath(f".//ul[{_cls('warnings')}]/li")]
        assert any(warning["message"] in item and f"Fix: {warning['fix']}" in item for item in items), warning
    # and nowhere else: a work's section lists its own warnings only
    for section in page.xpath("//section[starts-with(@id, 'work-')]"):
        work = section.get("id")[len("work-"):]
        expected = [w["message"] for w in data["warnings"] if w["work"] == work]
        assert [_text(li.xpath(f"span[{_cls('message')}]")[0]) for li in section.xpath(f".//ul[{_cls('warnings')}]/li")] == expected


@pytest.mark.slow
def test_sample_report_screenings_titles_local_times_end_and_programme(sample_package: Path) -> None:
    data, page = _sample(sample_package)
    rows = page.xpath(f"//table[{_cls('screenings')}]//tr[{_cls('screening')}]")
    assert len(rows) == len(data["screenings"]) == 2
    first = rows[0]
    assert _text(_cell(first, "Screening")) == "Programme de courts métrages"
    time = first.xpath(".//time")[0]
    assert time.get("datetime") == "2026-03-14T19:00:00+01:00"
    assert "2026-03-14T19:00:00+01:00" in time.get("title") and "2026-03-14T19:42:00+01:00" in time.get("title")
    assert _text(_cell(first, "When")) == "sam. 14 mars 19:00–19:42 (Europe/Paris)"
    assert _text(_cell(rows[1], "When")) == "dim. 15 mars 15:00–16:10 (Europe/Paris)"
    assert _text(_cell(first, "Programme")) == (
        "The Lacquered Tray, The Tides Within, Électricité statique"
    )
    meta = _text(page.xpath(f"//header/div[{_cls('meta')}]")[0])
    assert meta.startswith("ven. 13 mars – dim. 15 mars 2026")  # the event's dates, in French too
    table = _text(page.xpath(f"//table[{_cls('screenings')}]")[0])
    assert "shorts-programme" not in table and "T19:00" not in table  # no ids, no raw ISO as text


@pytest.mark.slow
def test_sample_report_sync_only_where_measured(sample_package: Path) -> None:
    data, page = _sample(sample_package)
    text = _text(page)
    tracks = [t for w in data["works"] for t in w["tracks"] if "sync" in t]
    measured = [t for t in tracks if t["sync"]["measured"]]
    assert "sync not measured" not in text
    shown = len(page.xpath(f"//table[{_cls('matrix')}]//*[{_cls('sub')}]")) - text.count("reviewed by")
    assert text.count("in sync (") + text.count("sync: ") == len(measured) == shown
    summary = _text(page.xpath(f"//*[{_cls('sync-summary')}]")[0])
    assert summary.startswith(f"Sync against the audio measured on {len(measured)} of {len(tracks)} tracks")


@pytest.mark.slow
def test_sample_report_synopses_and_content_notes(sample_package: Path) -> None:
    data, page = _sample(sample_package)
    for work in data["works"]:
        section = page.get_element_by_id(f"work-{work['id']}")
        synopsis = work["synopsis"].get("fr") or work["synopsis"].get("en")
        assert _text(section.xpath(f".//*[{_cls('synopsis')}]")[0]) == synopsis
        notes = _text(section.xpath(f".//*[{_cls('content-notes')}]")[0])
        assert notes == (f"Content notes: {', '.join(work['content_notes'])}" if work["content_notes"] else "No content notes.")


@pytest.mark.slow
def test_sample_report_every_deliverable_showing_an_unreviewed_track_has_the_badge(sample_package: Path) -> None:
    data, page = _sample(sample_package)
    badged = 0
    for work in data["works"]:
        unreviewed = {t["language"] for t in work["tracks"] if t.get("review", {}).get("reviewed") is False}
        rows = page.get_element_by_id(f"work-{work['id']}").xpath(f".//table[{_cls('deliverables')}]//tr[{_cls('deliverable')}]")
        assert len(rows) == len(work["deliverables"])
        for row, item in zip(rows, work["deliverables"], strict=True):
            marked = {_text(span).split()[0] for span in row.xpath(f".//span[{_cls('lang')}]") if span.xpath(f"span[{_cls('badge')} and {_cls('unreviewed')}]")}
            assert marked == unreviewed & set(item["languages"]), item["path"]
            badged += bool(marked)
    # tides-within's fr: the burned copy, the MKV, two sidecars and the IMSC file.
    assert badged == 5


@needs_browser
@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
def test_sample_report_passes_the_page_checks_and_never_scrolls_sideways(
    sample_package: Path, tmp_path: Path, width: int
) -> None:
    from PIL import Image

    failures, shot = _check_page(sample_package / "report.html", tmp_path / f"report-{width}.png", width)
    assert failures == []
    image = Image.open(shot)
    assert image.width == width  # a full-page screenshot is as wide as the page's scroll width
    assert image.height > 1500  # the whole report, not a blank or an error page


@needs_browser
def test_the_page_checks_find_what_they_look_for(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><head><meta name='viewport' content='width=device-width'></head><body>"
        "<h1>Report</h1><h3>skipped a level</h3>"
        "<p style='color:#aaa;background:#fff'>pale text</p>"
        "<div style='background:linear-gradient(#fff,#111)'><span style='color:#fff'>half unreadable</span></div>"
        "<img src='data:,'><input id='x'>"
        "<section style='width:200px'><table style='width:600px'><tr><td>wide</td></tr></table></section>"
        "</body></html>",
        encoding="utf-8",
    )
    failures, _ = _check_page(bad, tmp_path / "bad.png", 390)
    joined = "\n".join(failures)
    for expected in ("no valid lang", "heading level skipped (h1 then h3)", "contrast", "pale text",
                     "half unreadable", "image without alt", "form control without a label",
                     "spills out of its card", "scrolls sideways"):
        assert expected in joined, (expected, failures)


def _check_page(html_file: Path, png: Path, width: int) -> tuple[list[str], Path]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=find_chromium(),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        try:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(html_file.resolve().as_uri())
            failures = page.evaluate(PAGE_CHECKS)
            page.screenshot(path=str(png), full_page=True)
        finally:
            browser.close()
    return failures, png
