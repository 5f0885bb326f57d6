"""screenkit programme: the iCalendar file (read back by two parsers) and the run sheets (Chromium)."""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import SAMPLES, assert_clean_error, run_cli
from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit.report.browser import find_chromium

SAMPLE = SAMPLES / "paris-showcase"

needs_browser = pytest.mark.skipif(
    find_chromium() is None and os.environ.get("CI") != "true",
    reason="no chromium found: install Debian's chromium (CI does) to run the browser check",
)


def _event(tmp_path: Path, *, summer: bool = True, overlap: bool = False, missing: bool = False) -> Path:
    """A copy of the sample event; with SUMMER its panel moves past the summer-time change (29 March)."""
    folder = tmp_path / "event"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("make_media.py"))
    text = (folder / "manifest.yaml").read_text(encoding="utf-8")
    if summer:
        text = text.replace('end: "2026-03-15"', 'end: "2026-03-30"')
        text = text.replace('start: "2026-03-15T15:00:00+01:00"', 'start: "2026-03-29T15:00:00+02:00"')
    if overlap:  # a third screening in the auditorium, ten minutes after the shorts programme ends
        text += (
            "\n  - id: late-show\n    venue: cccp\n    screen: auditorium\n"
            '    start: "2026-03-14T19:53:00+01:00"\n    works: [city-static]\n'
        )
    if missing:
        (folder / "media" / "city-static.mp4").unlink()
    (folder / "manifest.yaml").write_text(text, encoding="utf-8")
    return folder / "manifest.yaml"


def _programme(manifest: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> list[Path]:
    result = run_cli("-q", "programme", str(manifest), "-o", str(out), *extra, env=env)
    assert result.code == 0, (result.stdout, result.stderr)
    return [Path(line) for line in result.stdout.splitlines()]


# ---- the calendar -------------------------------------------------------------------------


def test_calendar_read_back_by_icalendar_and_ics_across_the_summer_time_change(tmp_path: Path) -> None:
    import ics
    from icalendar import Calendar

    files = _programme(_event(tmp_path), tmp_path / "out", "--no-pdf")
    assert files[0].name == "programme.ics"
    data = files[0].read_bytes()

    calendar = Calendar.from_ical(data)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["x-screenkit-screening"]) for e in events] == ["shorts-programme", "lacquer-panel"]
    shorts, panel = events
    # Winter time (+01:00) on 14 March, summer time (+02:00) on 29 March, both as Europe/Paris.
    assert shorts["dtstart"].params["TZID"] == "Europe/Paris"
    assert shorts.decoded("dtstart").utcoffset() == timedelta(hours=1)
    assert panel.decoded("dtstart").utcoffset() == timedelta(hours=2)
    assert shorts.decoded("dtstart").astimezone(timezone.utc) == datetime(2026, 3, 14, 18, tzinfo=timezone.utc)
    assert panel.decoded("dtstart").astimezone(timezone.utc) == datetime(2026, 3, 29, 13, tzinfo=timezone.utc)
    # End = start + intro + runtimes + Q&A: 10 + (300 + 240 + 180) s + 20 min = 42 min.
    assert shorts.decoded("dtend") - shorts.decoded("dtstart") == timedelta(minutes=42)
    assert panel.decoded("dtend") - panel.decoded("dtstart") == timedelta(minutes=5 + 5 + 60)
    assert "Centre Culturel de Chine à Paris" in str(shorts["location"]) and "Auditorium" in str(shorts["location"])
    description = str(shorts["description"])
    assert "19:00–19:10 Introduction" in description and "Q&A" in description
    assert "fr: burned, DCP, soft track (default), sidecar (srt, vtt)" in description
    assert "audio zh-Hans" in description
    assert str(shorts["x-screenkit-intro-minutes"]) == "10" and str(shorts["x-screenkit-qa-minutes"]) == "20"
    # The time zone travels with the file.
    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(z["tzid"]) for z in zones] == ["Europe/Paris"]
    assert {c.name for c in zones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}

    parsed = ics.Calendar(data.decode("utf-8"))
    second = sorted(parsed.events, key=lambda e: e.begin)
    assert [e.name for e in second] == ["Programme de courts métrages", "Table ronde : filmer un objet de musée"]
    assert [e.begin.utcoffset() for e in second] == [timedelta(hours=1), timedelta(hours=2)]
    assert [e.begin.to("UTC").hour for e in second] == [18, 13]
    assert second[0].duration == timedelta(minutes=42)
    assert [e.uid for e in second] == [str(e["uid"]) for e in events]


def test_calendar_is_the_same_bytes_every_run_with_stable_uids(tmp_path: Path) -> None:
    from icalendar import Calendar

    from toolkit.programme import screening_uid

    manifest = _event(tmp_path)
    first = _programme(manifest, tmp_path / "a", "--no-pdf")[0].read_bytes()
    second = _programme(manifest, tmp_path / "b", "--no-pdf")[0].read_bytes()
    assert first == second
    events = Calendar.from_ical(first).walk("VEVENT")
    uids = [str(e["uid"]) for e in events]
    assert uids == [screening_uid("paris-showcase-2026", s) for s in ("shorts-programme", "lacquer-panel")]
    assert len(set(uids)) == 2 and all(re.fullmatch(r"[0-9a-f-]{36}", uid) for uid in uids)
    # DTSTAMP: the event's first day, not the clock; SOURCE_DATE_EPOCH when set.
    assert {e.decoded("dtstamp") for e in events} == {datetime(2026, 3, 13, tzinfo=timezone.utc)}
    epoch = _programme(manifest, tmp_path / "c", "--no-pdf", env={"SOURCE_DATE_EPOCH": "1773446400"})[0]
    stamps = {e.decoded("dtstamp") for e in Calendar.from_ical(epoch.read_bytes()).walk("VEVENT")}
    assert stamps == {datetime.fromtimestamp(1773446400, tz=timezone.utc)}
    # Moving a screening changes its times, never its UID.
    text = manifest.read_text(encoding="utf-8").replace("T19:00:00+01:00", "T18:30:00+01:00")
    manifest.write_text(text, encoding="utf-8")
    moved = Calendar.from_ical(_programme(manifest, tmp_path / "d", "--no-pdf")[0].read_bytes())
    assert [str(e["uid"]) for e in moved.walk("VEVENT")] == uids


# ---- the run sheets -------------------------------------------------------------------------


def test_run_sheet_running_order_copies_languages_and_warnings(tmp_path: Path) -> None:
    from lxml import html

    manifest = _event(tmp_path, summer=False, overlap=True, missing=True)
    files = _programme(manifest, tmp_path / "out", "--no-pdf")
    names = [f.name for f in files]
    assert names == [
        "programme.ics",
        "runsheet.2026-03-14.cccp.auditorium.html",
        "runsheet.2026-03-15.cccp.auditorium.html",
    ]
    page = html.fromstring(files[1].read_text(encoding="utf-8"))
    sections = page.xpath("//section[@class='screening']")
    assert [s.get("id") for s in sections] == ["shorts-programme", "late-show"]
    rows = sections[0].xpath(".//tbody/tr")
    cells = [[td.text_content().strip() for td in row.xpath("td")] for row in rows]
    assert [c[0] for c in cells] == ["19:00", "19:10", "19:15", "19:19", "19:22"]
    assert [c[1] for c in cells] == ["19:10", "19:15", "19:19", "19:22", "19:42"]
    sha = hashlib.sha256((SAMPLE / "media" / "lacquer-tray.mp4").read_bytes()).hexdigest()
    assert "media/lacquer-tray.mp4" in cells[1][3] and sha in cells[1][3]
    assert cells[1][5] == "zh-Hans"
    assert "fr burned, DCP, soft track (default), sidecar (srt, vtt)" in cells[1][6]
    assert "en soft track, sidecar (srt, vtt)" in cells[1][6]
    assert "missing" in cells[3][3]  # city-static's copy was removed
    assert "First screening of the day" in sections[0].text_content()
    late = sections[1].text_content()
    assert "Changeover: 11 min since the previous screening (the screen needs 15 min)" in late
    warnings = [li.text_content() for li in page.xpath("//ul[@class='warnings']/li")]
    assert "city-static: copy missing: media/city-static.mp4 is not beside the manifest" in warnings
    assert "changeover of 11 min after 'shorts-programme'; the screen needs 15 min" in warnings
    # A print style sheet: landscape pages, no screening split across two.
    style = page.xpath("//style")[0].text
    assert "@page { size:A4 landscape" in style and "@media print" in style and "break-inside:avoid" in style


def test_run_sheet_copies_and_checksums_from_a_built_package(tmp_path: Path) -> None:
    from lxml import html

    manifest = _event(tmp_path, summer=False)
    package = tmp_path / "package"
    shutil.copytree(manifest.parent, package)
    lines = []
    for work, label in (("lacquer-tray", "zh-Hans+fr"), ("tides-within", "fr"), ("city-static", "fr")):
        copy = package / work / f"{work}.burned.{label}.mp4"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(f"burned copy of {work}".encode())
        lines.append(f"{hashlib.sha256(copy.read_bytes()).hexdigest()}  {work}/{copy.name}")
    (package / "checksums.sha256").write_text("\n".join(lines) + "\n", encoding="utf-8")
    files = _programme(manifest, tmp_path / "out", "--no-pdf", "--package", str(package))
    page = html.fromstring(files[1].read_text(encoding="utf-8"))
    copies = [td.text_content() for td in page.xpath("//section[@id='shorts-programme']//tbody/tr/td[4]")]
    assert copies[1].startswith("lacquer-tray/lacquer-tray.burned.zh-Hans+fr.mp4")
    assert lines[0].split()[0] in copies[1]
    assert "copies from package" in page.xpath("//footer")[0].text_content()
    # A folder without checksums is not a package: one line, exit 2.
    assert_clean_error(
        run_cli("programme", str(manifest), "-o", str(tmp_path / "x"), "--package", str(tmp_path)),
        "checksums.sha256", "not a package folder",
    )


def test_a_manifest_the_schema_refuses_writes_nothing(tmp_path: Path) -> None:
    manifest = _event(tmp_path)
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("venue: cccp", "venue: 7", 1), encoding="utf-8")
    result = run_cli("programme", str(manifest), "-o", str(tmp_path / "out"), "--no-pdf")
    assert result.code == 1 and "Traceback" not in result.stderr
    assert "manifest.yaml:" in result.stderr
    assert not (tmp_path / "out").exists()


@needs_browser
def test_run_sheet_screenshot_and_pdf_in_chromium(tmp_path: Path) -> None:
    from PIL import Image
    from pypdf import PdfReader

    from toolkit.report.browser import screenshot

    manifest = _event(tmp_path, overlap=True)
    files = _programme(manifest, tmp_path / "out")
    names = sorted(f.name for f in files)
    assert names == [
        "programme.ics",
        "runsheet.2026-03-14.cccp.auditorium.html",
        "runsheet.2026-03-14.cccp.auditorium.pdf",
        "runsheet.2026-03-29.cccp.auditorium.html",
        "runsheet.2026-03-29.cccp.auditorium.pdf",
    ]
    sheet = tmp_path / "out" / "runsheet.2026-03-14.cccp.auditorium.html"
    png = screenshot(sheet, tmp_path / "sheet.png", width=1200, height=900)
    image = Image.open(png).convert("RGB")
    assert image.size == (1200, 900)
    pixels = list(image.get_flattened_data())
    dark = sum(1 for p in pixels if max(p) < 90)
    assert dark > 2000  # text and the header rule are drawn, not a blank page
    warning_fill = sum(1 for p in pixels if p == (255, 243, 223))  # the warnings' background
    assert warning_fill > 500

    reader = PdfReader(tmp_path / "out" / "runsheet.2026-03-14.cccp.auditorium.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape from the print style sheet
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in ("Run sheet", "19:00", "19:42", "Le Plateau laqué",
                     "media/lacquer-tray.mp4", "sidecar (srt, vtt)", "changeover of 11 min"):
        assert expected in text, (expected, text[:2000])
    panel = PdfReader(tmp_path / "out" / "runsheet.2026-03-29.cccp.auditorium.pdf")
    panel_text = " ".join(panel.pages[0].extract_text().split())
    assert "15:00" in panel_text and "Table ronde" in panel_text
    # The PDF carries no clock time: a second run gives the same bytes.
    again = _programme(manifest, tmp_path / "again")
    assert (tmp_path / "again" / "runsheet.2026-03-14.cccp.auditorium.pdf").read_bytes() == (
        tmp_path / "out" / "runsheet.2026-03-14.cccp.auditorium.pdf"
    ).read_bytes()
    assert len(again) == len(files)


def test_an_event_without_screenings_gives_an_empty_calendar(tmp_path: Path) -> None:
    from icalendar import Calendar

    manifest = _event(tmp_path, summer=False)
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text[: text.index("screenings:")] + "screenings: []\n", encoding="utf-8")
    files = _programme(manifest, tmp_path / "out")
    assert [f.name for f in files] == ["programme.ics"]
    calendar = Calendar.from_ical(files[0].read_bytes())
    assert list(calendar.walk("VEVENT")) == [] and str(calendar["x-wr-timezone"]) == "Europe/Paris"


@settings(max_examples=60, deadline=None)
@given(
    intro=st.integers(0, 120),
    qa=st.integers(0, 120),
    runtimes=st.lists(st.integers(1, 4 * 3600), min_size=1, max_size=4),
    day=st.integers(20, 31),
    hour=st.integers(0, 23),
)
@example(intro=30, qa=60, runtimes=[5400], day=29, hour=1)  # runs across the change (02:00 -> 03:00)
@example(intro=0, qa=0, runtimes=[60], day=29, hour=2)  # a local time that does not exist that day
def test_running_order_is_contiguous_and_ends_at_start_plus_its_parts(
    intro: int, qa: int, runtimes: list[int], day: int, hour: int
) -> None:
    """Across the summer-time change too: each line starts where the last ended, the end is
    start + intro + runtimes + Q&A in elapsed time, and the calendar says the same."""
    from icalendar import Calendar

    from toolkit.manifest.loader import parse_manifest
    from toolkit.programme import build_programme, calendar_bytes

    zone = ZoneInfo("Europe/Paris")
    local = datetime(2026, 3, day, hour, tzinfo=zone)
    text = (SAMPLE / "manifest.yaml").read_text(encoding="utf-8")
    head = text[: text.index("screenings:")]
    works = "".join(
        f"  - id: w{n}\n    title: {{original: W{n}}}\n    original_language: fr\n    runtime: {r}\n"
        f"    media: {{path: media/lacquer-tray.mp4}}\n    subtitles: []\n"
        for n, r in enumerate(runtimes)
    )
    head = head.replace("works:\n", "works:\n" + works, 1)
    text = head + (
        f"screenings:\n  - id: s\n    venue: cccp\n    screen: auditorium\n    start: \"{local.isoformat()}\"\n"
        f"    works: [{', '.join(f'w{n}' for n in range(len(runtimes)))}]\n"
        f"    intro_minutes: {intro}\n    qa_minutes: {qa}\n"
    )
    programme = build_programme(parse_manifest(text, SAMPLE / "manifest.yaml"))
    [slot] = programme.slots
    items = slot.items
    assert items[0].start == slot.start and items[-1].end == slot.end
    assert all(a.end == b.start for a, b in itertools.pairwise(items))
    elapsed = slot.end.astimezone(timezone.utc) - slot.start.astimezone(timezone.utc)
    assert elapsed == timedelta(minutes=intro + qa, seconds=sum(runtimes))
    # The same instant (compared in UTC: same-zone datetimes compare their wall times), shown
    # at the zone's offset for it; a local time summer time skips is shown, and said, so.
    assert slot.start.astimezone(timezone.utc) == local.astimezone(timezone.utc)
    skipped = slot.start.utcoffset() != local.utcoffset()
    assert skipped == any("UTC offset" in warning for warning in slot.warnings)
    assert slot.start.utcoffset() == slot.start.astimezone(zone).utcoffset()
    assert slot.end.utcoffset() == timedelta(hours=2 if slot.end >= datetime(2026, 3, 29, 1, tzinfo=timezone.utc) else 1)
    [event] = Calendar.from_ical(calendar_bytes(programme)).walk("VEVENT")
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start.astimezone(timezone.utc) == local.astimezone(timezone.utc)
    assert end.astimezone(timezone.utc) - start.astimezone(timezone.utc) == elapsed


def test_json_report_names_the_files_and_the_warnings(tmp_path: Path) -> None:
    import json

    manifest = _event(tmp_path, summer=False, overlap=True)
    result = run_cli("programme", str(manifest), "-o", str(tmp_path / "out"), "--no-pdf", "--format", "json")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["screenings"] == 3
    assert [Path(f).name for f in report["files"]] == [
        "programme.ics", "runsheet.2026-03-14.cccp.auditorium.html", "runsheet.2026-03-15.cccp.auditorium.html"
    ]
    assert {"screening": "late-show", "message": "changeover of 11 min after 'shorts-programme'; the screen needs 15 min"} in report["warnings"]
