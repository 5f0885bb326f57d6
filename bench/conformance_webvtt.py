"""WebVTT conformance: web-platform-tests' ``webvtt/parsing/file-parsing`` against screenkit's reader.

Usage::

    .venv/bin/python bench/conformance_webvtt.py PATH [-v]

PATH is a copy of the WPT folder ``webvtt/parsing/file-parsing`` (fetched
for measurement, never committed): ``tests/*.html`` with their
``tests/support/*.vtt``, and ``signature-invalid.html`` with
``support/*.vtt``. Each page's own script runs under node, unchanged, with a
stand-in for the browser: a ``<track>`` whose file screenkit refuses fires
``error``; one it reads fires ``load`` with the cues screenkit's WebVTT
parser gives (``toolkit.subtitles.webvtt.parse_document``: id, times, text,
line, position, size, align, vertical, region), after checking that
``read_track`` (the library's reading path: decoding, the registry) read the
same cues at the same times. testharness.js's asserts are re-implemented
with its comparison rules (``assert_equals`` tells 0 from -0).

Prints one line per failing test with ``-v``, then ``passed N of M``; tests
whose .vtt file is not on disk are counted apart. Exit 0 when all pass, 1
otherwise, 2 when PATH or node is missing.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.errors import ScreenkitError  # noqa: E402
from toolkit.fsutil import read_input_bytes  # noqa: E402
from toolkit.subtitles import read_track  # noqa: E402
from toolkit.subtitles.encoding import decode  # noqa: E402
from toolkit.subtitles.webvtt import Region, parse_document  # noqa: E402

_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


def _region_json(region: Region) -> dict[str, object]:
    return {
        "id": region.id, "width": region.width, "lines": region.lines,
        "regionAnchorX": region.region_anchor[0], "regionAnchorY": region.region_anchor[1],
        "viewportAnchorX": region.viewport_anchor[0], "viewportAnchorY": region.viewport_anchor[1],
        "scroll": region.scroll,
    }


def read_for_browser(path: Path) -> dict[str, object]:
    """What the stand-in browser gets for one file: {"error": ...} or {"cues": [...], "regions": [...]}."""
    try:
        track = read_track(path, fmt="vtt")  # a <track> element always parses WebVTT
    except ScreenkitError as error:
        return {"error": str(error)}
    data = read_input_bytes(path, kind="subtitle file")
    text = decode(data, path=str(path), binary_check=False).text
    document = parse_document(text, str(path))
    if [(c.start, c.end) for c in track.cues] != [(c.start, c.end) for c in document.cues]:
        return {"error": "read_track and parse_document disagree on the cues"}
    regions: list[Region] = []
    for cue in document.cues:
        region = cue.settings.region
        if region is not None and all(region is not seen for seen in regions):
            regions.append(region)
    cues = []
    for cue in document.cues:
        settings = cue.settings
        region = settings.region
        cues.append({
            "id": cue.id, "startTime": cue.start / 1000, "endTime": cue.end / 1000, "text": cue.text,
            "pauseOnExit": False,
            "region": None if region is None else next(i for i, seen in enumerate(regions) if seen is region),
            "vertical": settings.vertical,
            "line": "auto" if settings.line is None else settings.line,
            "snapToLines": settings.snap_to_lines, "lineAlign": settings.line_align,
            "position": "auto" if settings.position is None else settings.position,
            "positionAlign": settings.position_align, "size": settings.size, "align": settings.align,
        })
    return {"cues": cues, "regions": [_region_json(region) for region in regions]}


# The stand-in browser: testharness.js's API and a <video>/<track> that loads what Python read.
_HARNESS = r"""
const vm = require('vm');
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
function sameValue(x, y) {
  if (y !== y) return x !== x;
  if (x === 0 && y === 0) return 1 / x === 1 / y;
  return x === y;
}
function fmt(v) { try { return typeof v === 'string' ? JSON.stringify(v) : String(v); } catch (e) { return '?'; } }
function AssertionError(message) { this.message = message; }
const out = [];
for (const page of input.pages) {
  const tests = [];
  const tracks = [];
  class Test {
    constructor(name) { this.name = name; this.status = null; this.message = ''; tests.push(this); }
    step(fn, self, ...args) {
      if (this.status !== null) return undefined;
      try { return fn.apply(self === undefined ? this : self, args); }
      catch (e) { this.status = 'FAIL'; this.message = e && e.message !== undefined ? String(e.message) : String(e); }
      return undefined;
    }
    step_func(fn, self) { const t = this; return function (...a) { return t.step(fn, self === undefined ? t : self, ...a); }; }
    step_func_done(fn, self) { const t = this; return function (...a) { t.step(fn, self === undefined ? t : self, ...a); t.done(); }; }
    done() { if (this.status === null) this.status = 'PASS'; }
  }
  const element = (tag) => {
    const node = { tagName: tag.toUpperCase(), children: [], parentNode: null, src: '', textTracks: [],
      appendChild(child) { child.parentNode = this; this.children.push(child); return child; } };
    if (tag === 'track') { node.kind = ''; node.default = false; node.onload = null; node.onerror = null; node.track = null; tracks.push(node); }
    return node;
  };
  const context = {
    console,
    JSON, Array, Object, Number, String, Math,
    CSSRule: { STYLE_RULE: 1 },
    document: { createElement: element, body: element('body'), styleSheets: [] },
    getVideoURI: (base) => base + '.webm',
    done: () => {},
    async_test: (fn, name) => {
      if (typeof fn === 'function') { const t = new Test(name || page.title); t.step(fn, t, t); return t; }
      return new Test(fn);
    },
    assert_equals: (a, e, m) => { if (!sameValue(a, e)) throw new AssertionError(`assert_equals: ${m || ''} expected ${fmt(e)} but got ${fmt(a)}`); },
    assert_not_equals: (a, e, m) => { if (sameValue(a, e)) throw new AssertionError(`assert_not_equals: ${m || ''} got disallowed value ${fmt(a)}`); },
    assert_true: (a, m) => { if (a !== true) throw new AssertionError(`assert_true: ${m || ''} got ${fmt(a)}`); },
    assert_false: (a, m) => { if (a !== false) throw new AssertionError(`assert_false: ${m || ''} got ${fmt(a)}`); },
    assert_unreached: (m) => { throw new AssertionError(`assert_unreached: ${m || ''}`); },
  };
  vm.createContext(context);
  let error = null;
  try { for (const script of page.scripts) vm.runInContext(script, context); }
  catch (e) { error = String(e && e.message || e); }
  const missing = [];
  for (const track of tracks) {
    if (!track.src) continue;
    const key = page.dir ? page.dir + '/' + track.src : track.src;
    const result = input.vtt[key];
    if (result === undefined) { missing.push(key); continue; }
    if (result.error !== undefined) { if (track.onerror) track.onerror({ type: 'error' }); continue; }
    const regions = result.regions.map((r) => Object.assign({}, r));
    const cues = result.cues.map((c) => Object.assign({}, c, { region: c.region === null ? null : regions[c.region] }));
    const textTrack = { cues, kind: track.kind };
    track.track = textTrack;
    if (track.parentNode) track.parentNode.textTracks = [textTrack];
    if (track.onload) track.onload({ type: 'load', target: track });
  }
  for (const t of tests) {
    let status = t.status === null ? 'TIMEOUT' : t.status;
    if (missing.length && status !== 'PASS') status = 'MISSING';
    out.push({ page: page.name, name: t.name, status, message: error || t.message || (missing.length ? 'not on disk: ' + missing.join(', ') : '') });
  }
  if (!tests.length) out.push({ page: page.name, name: page.title, status: 'FAIL', message: error || 'no test ran' });
}
process.stdout.write(JSON.stringify(out));
"""


def _pages(root: Path) -> list[dict[str, object]]:
    pages = []
    for html in [root / "signature-invalid.html", *sorted((root / "tests").glob("*.html"))]:
        if not html.is_file():
            continue
        source = html.read_text(encoding="utf-8")
        title = _TITLE.search(source)
        pages.append({
            "name": str(html.relative_to(root)),
            "dir": "" if html.parent == root else str(html.parent.relative_to(root)),
            "title": title.group(1).strip() if title else html.stem,
            "scripts": _SCRIPT.findall(source),
        })
    return pages


def run(root: Path, node: str) -> list[dict[str, str]]:
    vtt = {str(path.relative_to(root)): read_for_browser(path) for path in sorted(root.rglob("*.vtt"))}
    payload = json.dumps({"pages": _pages(root), "vtt": vtt})
    done = subprocess.run([node, "-e", _HARNESS], input=payload, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"node failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="a copy of WPT's webvtt/parsing/file-parsing folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per test that does not pass")
    args = parser.parse_args(argv)
    node = shutil.which("node") or shutil.which("nodejs")
    if not (args.path / "tests").is_dir():
        print(f"{args.path}: not a copy of webvtt/parsing/file-parsing (no tests/ folder)", file=sys.stderr)
        return 2
    if node is None:
        print("node is needed to run the pages' scripts", file=sys.stderr)
        return 2
    results = run(args.path, node)
    ran = [r for r in results if r["status"] != "MISSING"]
    passed = [r for r in ran if r["status"] == "PASS"]
    missing = [r for r in results if r["status"] == "MISSING"]
    if args.verbose:
        for result in results:
            if result["status"] != "PASS":
                print(f"{result['status']:8} {result['page']}: {result['name']}: {result['message'][:300]}")
    extra = f" ({len(missing)} more not run: their .vtt files are not on disk)" if missing else ""
    print(f"WPT webvtt/parsing/file-parsing: passed {len(passed)} of {len(ran)} tests{extra}")
    return 0 if len(passed) == len(ran) else 1


if __name__ == "__main__":
    raise SystemExit(main())
