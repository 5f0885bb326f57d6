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
