"""The review page in Debian's chromium, driven by Playwright, against a real ``screenkit review`` server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from review_support import TRACK_KEY, make_event, start_server

from toolkit.manifest import load_manifest
from toolkit.report.browser import find_chromium
from toolkit.subtitles import read_track

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        find_chromium() is None and os.environ.get("CI") != "true",
        reason="no chromium found: install Debian's chromium (CI does) to run the browser test",
    ),
]
LONG_FR = "Une phrase bien trop longue pour une réplique aussi brève : personne au fond de la salle ne pourrait la lire avant la suivante."
# Keep Chromium off the network and out of any profile (as toolkit.report.browser does).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def launch(playwright):  # type: ignore[no-untyped-def]
    return playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)


def test_edit_flag_approve_in_a_real_browser(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    event = make_event(tmp_path)
    server = start_server(str(event), "--cache", str(tmp_path / "cache.sqlite"), "--reviewer", "nobody")
    requests: list[str] = []
    errors: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

            page.goto(server.url)
            page.click(f'a[href^="/track/{TRACK_KEY}?"]')
            page.wait_for_selector("body[data-ready=true]")
            assert page.locator("#cues tbody tr").count() == len(read_track(event.parent / "subtitles" / "tides-within.fr.srt").cues)

            # Keyboard only: down to cue 2, Enter to edit, replace the text.
            page.keyboard.press("ArrowDown")
            assert page.evaluate("document.activeElement.id") == "cue-2"
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.closest('tr').id") == "cue-2"
            assert page.locator("#cue-2 .flag[data-code=SK203]").count() == 0
            page.keyboard.press("Control+A")
            page.keyboard.type(LONG_FR)
            page.wait_for_selector("#cue-2 .flag[data-code=SK203]")  # reading speed, flagged as typed
            page.wait_for_selector("#cue-2[data-state=saved]")
            assert "reading speed" in page.locator("#cue-2 .flag[data-code=SK203]").inner_text()
            # The video's subtitle track is rebuilt from the edits.
            page.wait_for_function(
                "text => Array.from(document.querySelector('#video track').track.cues || []).some(c => c.text === text)",
                arg=LONG_FR,
            )
            # Clicking a row seeks the video to its cue.
            page.click("#cue-5 td.time")
            start = int(page.get_attribute("#cue-5", "data-start") or 0) / 1000
            assert abs(page.evaluate("document.getElementById('video').currentTime") - start) < 0.05

            # Escape leaves the cell, Shift+A goes to the reviewer's name, Enter approves.
            page.click("#cue-2 textarea")
            page.keyboard.press("Escape")
            page.keyboard.press("Shift+A")
            assert page.evaluate("document.activeElement.id") == "reviewer"
            page.keyboard.type("Mei Chen")  # replaces the selected default name
            page.keyboard.press("Enter")
            page.wait_for_selector("body[data-approved=true]")
            assert "Mei Chen" in page.locator("#review-state").inner_text()
            browser.close()
    finally:
        server.kill()

    assert read_track(event.parent / "subtitles" / "tides-within.fr.srt").cues[1].text == LONG_FR
    track = load_manifest(event).data["works"][1]["subtitles"][2]
    assert (track["reviewed"], track["reviewed_by"]) == (True, "Mei Chen")
    assert "# draft from screenkit translate" in event.read_text(encoding="utf-8")
    assert requests and all(url.startswith(server.base + "/") for url in requests)  # nothing from elsewhere
    assert all("token=" in url for url in requests if "/api/" not in url)
    assert errors == []


def _open_track(context, server):  # type: ignore[no-untyped-def]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.url)
    page.click(f'a[href^="/track/{TRACK_KEY}?"]')
    page.wait_for_selector("body[data-ready=true]")
    return page, errors


def test_positions_play_to_the_cue_end_approval_cleared_by_an_edit_reviewer_remembered(tmp_path: Path) -> None:
    import getpass

    from playwright.sync_api import sync_playwright

    event = make_event(tmp_path)
    cache_home = tmp_path / "cache-home"  # where the approved name is kept between sessions
    env = {"XDG_CACHE_HOME": str(cache_home)}
    cues = read_track(event.parent / "subtitles" / "tides-within.fr.srt").cues
    server = start_server(str(event), "--cache", str(tmp_path / "cache.sqlite"), env=env)
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            context = browser.new_context(viewport={"width": 1400, "height": 900})
            page, errors = _open_track(context, server)

            # Positions: a {\an8} sign says "top" above its text; dialogue says nothing.
            for number, cue in enumerate(cues, start=1):
                row = f"#cue-{number}"
                assert page.get_attribute(row, "data-position") == ("top" if cue.is_top else None), number
                assert page.locator(f"{row} .position").count() == (1 if cue.is_top else 0)
            assert any(cue.is_top for cue in cues)
            assert page.locator("#cue-1 .position").inner_text() == "↑ top"
            assert "shown at the top" in (page.get_attribute("#cue-1 textarea", "aria-label") or "")

            # p plays from the cue's start and stops at its end (on its last frame).
            page.click("#cue-5 td.time")
            start, end = cues[4].start / 1000, cues[4].end / 1000
            page.keyboard.press("p")
            page.wait_for_selector("body[data-playing=cue]")
            page.wait_for_selector("body[data-playing=stopped]", timeout=30_000)
            assert page.evaluate("document.getElementById('video').paused")
            at = page.evaluate("document.getElementById('video').currentTime")
            assert start < at < end and abs(at - (end - 0.04)) < 0.005

            # The reviewer: no login name as default; asked at the first approval.
            assert page.input_value("#reviewer") == ""
            assert getpass.getuser() not in page.input_value("#reviewer") or not getpass.getuser()
            page.keyboard.press("Shift+A")
            page.keyboard.press("Enter")
            assert "Who approves the track?" in page.locator("#status").inner_text()
            assert page.evaluate("document.activeElement.id") == "reviewer"
            page.keyboard.type("Mei Chen")
            page.keyboard.press("Enter")
            page.wait_for_selector("body[data-approved=true]")
            assert page.evaluate("localStorage.getItem('screenkit.reviewer')") == "Mei Chen"

            # Any edit after approval clears it, and the page says so.
            page.click("#cue-3 textarea")
            page.keyboard.press("End")
            page.keyboard.type(" Encore.")
            page.wait_for_selector("body[data-approved=false]")
            page.wait_for_selector("#cue-3[data-state=saved]")
            assert "approval cleared" in page.locator("#review-state").inner_text()
            assert "by Mei Chen" in page.locator("#review-state").inner_text()
            assert "the approval is cleared" in page.locator("#status").inner_text()
            # ... and stays cleared on the next page load (the edit is journaled, not approved).
            page.reload()
            page.wait_for_selector("body[data-ready=true]")
            assert page.get_attribute("body", "data-approved") == "false"
            assert "approval cleared" in page.locator("#review-state").inner_text()

            # Another page of the same browser: the name is already there (localStorage).
            other, other_errors = _open_track(context, server)
            assert other.input_value("#reviewer") == "Mei Chen"
            browser.close()
    finally:
        server.kill()
    assert errors == [] and other_errors == []
    # The file and the manifest are still those approved: the edit waits for the next approval.
    assert read_track(event.parent / "subtitles" / "tides-within.fr.srt").cues[2].text == cues[2].text
    assert load_manifest(event).data["works"][1]["subtitles"][2]["reviewed_by"] == "Mei Chen"

    # A later session (another port, so another localStorage) starts with the name given.
    assert (cache_home / "screenkit" / "reviewer.txt").read_text(encoding="utf-8") == "Mei Chen\n"
    server = start_server(str(event), "--cache", str(tmp_path / "cache.sqlite"), env=env)
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page, errors = _open_track(browser.new_context(), server)
            assert page.input_value("#reviewer") == "Mei Chen"
            assert "approval cleared" in page.locator("#review-state").inner_text()
            browser.close()
    finally:
        server.kill()
    assert errors == []
