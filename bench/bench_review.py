"""Benchmark: the review page of a 2,000-cue track in Debian's chromium (Playwright), against baselines.

In one run, against one real ``screenkit review`` server (uvicorn, 127.0.0.1):

- first paint: ``first-contentful-paint`` of the track page (rows rendered by
  the app, every cue's QC findings, the page's script) against the baseline,
  the same page's HTML saved as a static file without its script and served
  by the same server (``/files/...``): what the browser needs just to paint
  the same rows. The cold load (the first, which reads both tracks and runs
  QC on every cue) is reported apart from the warm median;
- saving one edit: the page's own timing of an edit from the moment it is sent
  to the moment its findings are shown (the journal record fsynced on the
  server in between), against the baseline of a ``fetch`` round trip to the
  app's ``/api/ping`` from the same page; the server's share (journal fsync,
  QC of the cue) comes from the answer's ``Server-Timing`` header.

    .venv/bin/python bench/bench_review.py [--cues 2000] [--repeat 9] [--edits 20]
    .venv/bin/python bench/bench_review.py --screenshot docs/review.png   # the README picture
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SOURCE_WORDS = ["河流", "记得", "每一次", "洪水", "海关", "墙上", "留下", "痕迹", "我们", "读着", "它们", "像", "一本", "日记"]
TARGET_WORDS = ["le", "fleuve", "se", "souvient", "de", "chaque", "crue", "sur", "le", "mur", "de", "la", "douane", "comme", "un", "journal"]


def clock(ms: int) -> str:
    return f"{ms // 3600000:02}:{ms // 60000 % 60:02}:{ms // 1000 % 60:02},{ms % 1000:03}"


def srt(cues: int, words: list[str], per_cue: int) -> str:
    blocks = []
    for n in range(cues):
        start = n * 2500
        text = " ".join(words[(n + k) % len(words)] for k in range(per_cue)) + f" {n}"
        blocks.append(f"{n + 1}\n{clock(start)} --> {clock(start + 2000)}\n{text}\n")
    return "\n".join(blocks)


def make_event(folder: Path, cues: int) -> Path:
    (folder / "subtitles").mkdir(parents=True)
    (folder / "subtitles" / "long.zh-Hans.srt").write_text(srt(cues, SOURCE_WORDS, 6), encoding="utf-8")
    (folder / "subtitles" / "long.fr.srt").write_text(srt(cues, TARGET_WORDS, 7), encoding="utf-8")
    manifest = folder / "manifest.yaml"
    manifest.write_text(
        "manifest_version: 1\n"
        "event: {id: bench, qc_profile: festival}\n"
        "works:\n"
        "  - id: long\n"
        "    title: {original: Long}\n"
        "    original_language: zh-Hans\n"
        "    subtitles:\n"
        "      - {language: zh-Hans, path: subtitles/long.zh-Hans.srt, origin: human, reviewed: true}\n"
        "      - {language: fr, path: subtitles/long.fr.srt, origin: machine, reviewed: false}\n",
        encoding="utf-8",
    )
    return manifest


def first_paint(page) -> float:  # type: ignore[no-untyped-def]
    # Polled with evaluate: wait_for_function evaluates a string, which the page's CSP forbids.
    for _ in range(600):
        paint = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime")
        if paint is not None:
            return float(paint)
        page.wait_for_timeout(50)
    raise RuntimeError("no first-contentful-paint entry after 30 s")


def measure(cues: int, repeat: int, edits: int) -> None:
    from playwright.sync_api import sync_playwright
    from review_support import start_server

    from toolkit.report.browser import find_chromium

    with tempfile.TemporaryDirectory(prefix="screenkit-bench-review-") as folder:
        manifest = make_event(Path(folder), cues)
        server = start_server(str(manifest), "--cache", str(Path(folder) / "cache.sqlite"), "--reviewer", "bench")
        track_url = f"{server.base}/track/long/1?token={server.token}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)

                responses: dict[str, list[float]] = {}

                def load(url: str, ready: bool) -> float:
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    page.goto(url)
                    paint = first_paint(page)
                    # When the last byte of the HTML arrived: the server's share of the paint time.
                    responses.setdefault(url, []).append(
                        float(page.evaluate("performance.getEntriesByType('navigation')[0].responseEnd"))
                    )
                    if ready:
                        page.wait_for_selector("body[data-ready=true]")
                    page.close()
                    return paint

                started = time.perf_counter()
                cold = load(track_url, True)
                cold_wall = time.perf_counter() - started
                # The baseline: the very HTML the app served, as a static file, without its script.
                page = browser.new_page()
                page.goto(track_url)
                html = page.content()
                page.close()
                static = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S)
                (Path(folder) / "static.html").write_text(static, encoding="utf-8")
                static_url = f"{server.base}/files/static.html?token={server.token}"
                rows = static.count("<textarea")
                assert rows == cues, (rows, cues)

                app_paints, static_paints = [], []
                for _ in range(repeat):
                    static_paints.append(load(static_url, False))
                    app_paints.append(load(track_url, True))

                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(track_url)
                page.wait_for_selector("body[data-ready=true]")
                pings = []
                for _ in range(edits):
                    pings.append(
                        page.evaluate(
                            "async () => { const t = performance.now();"
                            " await fetch('/api/ping', {headers: {'X-Review-Token': document.body.dataset.token}, cache: 'no-store'});"
                            " return performance.now() - t; }"
                        )
                    )
                saves = []
                for n in range(edits):
                    row = f"#cue-{n * 37 % cues + 1}"
                    page.click(f"{row} textarea")
                    page.fill(f"{row} textarea", f"Une réplique corrigée, numéro {n}.")
                    page.keyboard.press("Escape")  # saves at once
                    page.wait_for_selector(f"{row}[data-state=saved]")
                    saves.append(float(page.get_attribute(row, "data-save-ms") or "nan"))
                timings = page.evaluate(
                    "performance.getEntriesByType('resource').filter(e => e.name.includes('/cue/'))"
                    ".map(e => ({...Object.fromEntries(e.serverTiming.map(t => [t.name, t.duration])), fetch: e.responseEnd - e.startTime}))"
                )
                browser.close()
        finally:
            server.kill()

    journal = statistics.median(t.get("journal", float("nan")) for t in timings)
    qc = statistics.median(t.get("qc", float("nan")) for t in timings)
    fetch = statistics.median(t["fetch"] for t in timings)
    app, base = statistics.median(app_paints), statistics.median(static_paints)
    app_html, static_html = statistics.median(responses[track_url][1:]), statistics.median(responses[static_url])
    save, ping = statistics.median(saves), statistics.median(pings)
    print(f"track page of {cues} cues, chromium {find_chromium()}, load average {os.getloadavg()[0]:.1f}")
    print(f"first paint, cold (reads both tracks, QC of every cue): {cold:8.1f} ms  (page ready after {cold_wall * 1000:.0f} ms)")
    print(f"first paint, warm, median of {repeat}:  review page {app:8.1f} ms")
    print(f"                                 static baseline {base:8.1f} ms   ratio {app / base:.2f}x")
    print(f"  of which the HTML arrived at:      review page {app_html:8.1f} ms, static {static_html:.1f} ms")
    print(f"save one edit, median of {edits}:       review page {save:8.1f} ms")
    print(f"                        /api/ping fetch baseline {ping:8.1f} ms   ratio {save / ping:.2f}x")
    print(f"  of which the request itself (Resource Timing) {fetch:.1f} ms; on the server (Server-Timing):"
          f" journal append + fsync {journal:.1f} ms, QC of the cue {qc:.1f} ms")


def screenshot(target: Path) -> None:
    """The README picture: the sample event's machine fr track, one cue edited so a flag shows."""
    from playwright.sync_api import sync_playwright
    from review_support import TRACK_KEY, start_server
    from review_support import make_event as sample_event

    from toolkit.report.browser import find_chromium

    with tempfile.TemporaryDirectory(prefix="screenkit-shot-") as folder:
        event = sample_event(Path(folder))
        server = start_server(str(event), "--cache", str(Path(folder) / "cache.sqlite"), "--reviewer", "Mei Chen")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1400, "height": 820})
                page.goto(f"{server.base}/track/{TRACK_KEY}?token={server.token}")
                page.wait_for_selector("body[data-ready=true]")
                page.keyboard.press("ArrowDown")
                page.keyboard.press("Enter")
                page.keyboard.press("Control+A")
                page.keyboard.type("J’ai toujours eu l’impression que la mer ne parlait qu’à moi seule, chaque nuit, jusqu’à l’aube.")
                page.wait_for_selector("#cue-2[data-state=saved]")
                page.keyboard.press("Escape")
                page.keyboard.press("ArrowDown")
                page.wait_for_timeout(800)  # the rebuilt subtitle track and the video frame
                page.screenshot(path=str(target))
                browser.close()
        finally:
            server.kill()
    print(f"wrote {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cues", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--screenshot", type=Path, help="write the README screenshot here and stop")
    args = parser.parse_args()
    if args.screenshot:
        screenshot(args.screenshot)
    else:
        measure(args.cues, args.repeat, args.edits)


if __name__ == "__main__":
    main()
