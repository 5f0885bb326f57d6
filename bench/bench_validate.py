"""Benchmark: `screenkit validate --no-media` on a generated 1,000-work manifest.

First, as the user runs it: the whole ``screenkit validate --no-media`` process
(start-up, load with positions, schema and semantic checks) against a Python
process that loads the same document (``json.load``, PyYAML's ``CSafeLoader``)
and calls ``jsonschema.validate``, for JSON and for YAML, interleaved. Then the
YAML readers side by side, and, in one process on the same in-memory document:

- baseline: ``jsonschema.validate(document, schema)`` (the usual one-liner: the
  schema is checked and a validator built on each call, format checking off);
- screenkit schema pass: the one compiled Draft 2020-12 validator, format
  checking on, every error collected (``schema_diagnostics``);
- screenkit semantic pass (ids, references, paths inside the folder, every
  subtitle track parsed, language-identified and QC'd, languages, schedule);
- loading the manifest from YAML and from JSON with positions.

Prints each median and the ratio of screenkit's schema + semantic passes to
the baseline.

    .venv/bin/python bench/bench_validate.py [--works 1000] [--repeat 5]

Catalogue scale (``--scale 100,1000,3000``): for each size, whole processes on
the JSON and the YAML manifest, interleaved in the same run: the baseline
process (load + ``jsonschema.validate``), ``screenkit validate --no-media``
cold (an empty cache folder) with ``--jobs 1`` and ``--jobs 2``, and warm (the
same catalogue again, unchanged, ``--jobs 2``); wall time (median), the CPU
time of the process and its workers, the time per work (growth) and each
ratio to the baseline.

    .venv/bin/python bench/bench_validate.py --scale 100,1000,3000 --repeat 3
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Sentences the tracks are made of: every track a different text (a catalogue's tracks
# are unique, so a cache keyed by content learns nothing from one track about the next).
FRENCH_LINES = (
    "Le fleuve garde la mémoire.", "Chaque crue laisse une trace.",
    "Nous sommes revenus au village.", "Ma grand-mère parlait de la digue.",
    "Le marché ouvre avant le jour.", "Il faut traverser le pont.",
    "Les enfants comptent les bateaux.", "La lumière change sur les toits.",
)
ENGLISH_LINES = (
    "The river keeps its memory.", "Every flood leaves a mark.",
    "We came back to the village.", "My grandmother spoke of the dike.",
    "The market opens before dawn.", "We have to cross the bridge.",
    "The children count the boats.", "The light changes on the roofs.",
)
FIRST_DAY = date(2026, 3, 13)
ZONE = ZoneInfo("Europe/Paris")
SCREENS = ("one", "two", "three", "four")
SLOTS_PER_DAY = 40  # 4 screens x 10 hours


def track_text(lines: tuple[str, ...], index: int, cues: int = 30) -> str:
    """An SRT of CUES cues, a different text for every INDEX (line choice and a number)."""
    blocks = []
    for cue in range(cues):
        start = 500 + cue * 2500
        end = start + 2200
        line = lines[(index * 3 + cue * 5) % len(lines)]
        extra = f"\nNo {index}." if cue == 0 else ""
        blocks.append(
            f"{cue + 1}\n{_srt(start)} --> {_srt(end)}\n{line}{extra}\n"
        )
    return "\n".join(blocks)


def _srt(ms: int) -> str:
    return f"00:{ms // 60000:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def screening_start(slot_index: int) -> str:
    """The RFC 3339 start of screening SLOT_INDEX: a real day, the zone's offset on that day."""
    day, slot = divmod(slot_index, SLOTS_PER_DAY)
    local = datetime.combine(FIRST_DAY + timedelta(days=day), clock(10 + slot // len(SCREENS)), tzinfo=ZONE)
    return local.isoformat()


def generate(folder: Path, works: int) -> dict[str, Any]:
    """A valid manifest with WORKS works (two unique tracks each) and a screening per five works.

    The works are sample-like (samples/paris-showcase): 30 cues a track, 1.5 minutes.
    """
    (folder / "subs").mkdir(parents=True)
    (folder / "media").mkdir()
    work_list = []
    for index in range(works):
        work_id = f"work-{index:04d}"
        (folder / "media" / f"{work_id}.mp4").write_bytes(b"placeholder: --no-media does not read it")
        (folder / "subs" / f"{work_id}.fr.srt").write_text(track_text(FRENCH_LINES, index), encoding="utf-8")
        (folder / "subs" / f"{work_id}.en.srt").write_text(track_text(ENGLISH_LINES, index), encoding="utf-8")
        work_list.append(
            {
                "id": work_id,
                "title": {"original": f"Work {index}", "fr": f"Œuvre {index}"},
                "original_language": "zh-Hans",
                "directors": ["Someone"],
                "year": 2025,
                "country": ["CN"],
                "runtime": 90,
                "media": {"path": f"media/{work_id}.mp4", "frame_rate": "25", "resolution": {"width": 320, "height": 180}},
                "subtitles": [
                    {"language": "fr", "path": f"subs/{work_id}.fr.srt", "role": "full", "origin": "human", "reviewed": True},
                    {"language": "en", "path": f"subs/{work_id}.en.srt", "role": "full", "origin": "machine", "reviewed": False},
                ],
                "deliverables": {"burn": [{"languages": ["fr"]}], "mux": {"default": "fr"}, "sidecar": {"formats": ["srt", "vtt"]}},
            }
        )
    screenings = []
    for index in range(0, works, 5):
        slot_index = index // 5
        screenings.append(
            {
                "id": f"s-{slot_index:04d}",
                "venue": "hall",
                "screen": SCREENS[slot_index % SLOTS_PER_DAY % len(SCREENS)],
                "start": screening_start(slot_index),
                "works": [w["id"] for w in work_list[index : index + 5]],
                "intro_minutes": 5,
                "qa_minutes": 10,
            }
        )
    last_day = FIRST_DAY + timedelta(days=max(0, len(screenings) - 1) // SLOTS_PER_DAY)
    return {
        "manifest_version": 1,
        "event": {
            "id": "bench",
            "title": {"en": "Benchmark festival"},
            "dates": {"start": FIRST_DAY.isoformat(), "end": last_day.isoformat()},
            "time_zone": "Europe/Paris",
            "venues": [
                {
                    "id": "hall",
                    "name": "Hall",
                    "city": "Paris",
                    "country": "FR",
                    "screens": [{"id": s, "name": s} for s in SCREENS],
                }
            ],
            "audience_languages": {"required": ["fr"], "optional": ["en"]},
            "screening_copy": {"frame_rates": ["25"], "resolutions": [{"width": 320, "height": 180}]},
            "changeover_minutes": 15,
        },
        "works": work_list,
        "screenings": screenings,
    }


def median_time(function: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# The baseline process: load the same document the usual way, then jsonschema.validate.
BASELINE = """
import json, sys
import jsonschema
path, schema_path = sys.argv[1], sys.argv[2]
with open(path, encoding="utf-8") as handle:
    if path.endswith(".json"):
        document = json.load(handle)
    else:
        import yaml
        document = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
with open(schema_path, encoding="utf-8") as handle:
    schema = json.load(handle)
jsonschema.validate(document, schema)
"""


def process_time(command: list[str], repeat: int) -> float:
    """Median wall time of a whole process (start-up included); it must exit 0."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"{command[:4]}... exited {done.returncode}: {done.stderr[-500:]}")
    return statistics.median(times)


def whole_processes(folder: Path, repeat: int) -> None:
    """``screenkit validate --no-media`` as the user runs it against the baseline process, JSON and YAML."""
    from toolkit.schemas import schema_path

    schema = str(schema_path("manifest"))
    print("whole processes (start-up, load, schema, semantic checks), median of", repeat)
    for name in ("manifest.json", "manifest.yaml"):
        path = str(folder / name)
        # Interleaved, so that a change of load on a shared machine hits both alike.
        screenkit_times, baseline_times = [], []
        for _ in range(repeat):
            screenkit_times.append(
                process_time([sys.executable, "-m", "toolkit", "-q", "validate", "--no-media", "--no-cache", path], 1)
            )
            baseline_times.append(process_time([sys.executable, "-c", BASELINE, path, schema], 1))
        ours, theirs = statistics.median(screenkit_times), statistics.median(baseline_times)
        print(f"  {name:14} screenkit validate --no-media {ours:6.2f} s   python + jsonschema.validate "
              f"{theirs:6.2f} s   ratio {ours / theirs:.2f}x")


def timed_process(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children) of one run; it must exit 0."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{command[:6]}... exited {done.returncode}: {done.stdout[-300:]} {done.stderr[-300:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def catalogue_scale(sizes: list[int], repeat: int) -> None:
    """validate at 100, 1,000, 3,000 works: cold (--jobs 1, --jobs 2), warm, against the baseline."""
    from ruamel.yaml import YAML

    from toolkit.schemas import schema_path

    schema = str(schema_path("manifest"))
    print(f"catalogue scale: whole processes, median of {repeat} (wall s; CPU s of the process and its workers)")
    print(f"  {'works':>5} {'file':5} {'run':28} {'wall':>7} {'cpu':>7} {'ms/work':>8} {'x baseline':>10}")
    for works in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-validate-") as temporary:
            folder = Path(temporary)
            document = generate(folder / "event", works)
            paths = {"json": folder / "event" / "manifest.json", "yaml": folder / "event" / "manifest.yaml"}
            paths["json"].write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
            with paths["yaml"].open("w", encoding="utf-8") as handle:
                YAML(typ="safe", pure=True).dump(document, handle)
            for kind, path in paths.items():
                rows: dict[str, list[tuple[float, float]]] = {}
                for attempt in range(repeat):
                    cache_home = folder / f"cache-{kind}-{attempt}"
                    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "XDG_CACHE_HOME": str(cache_home)}
                    validate = [sys.executable, "-m", "toolkit", "-q", "validate", "--no-media", str(path)]
                    # Interleaved, so that a change of load on a shared machine hits every row alike.
                    runs = [
                        ("baseline: load + jsonschema.validate", [sys.executable, "-c", BASELINE, str(path), schema]),
                        ("cold, --jobs 1", [*validate, "--jobs", "1", "--no-cache"]),
                        ("cold, --jobs 2", [*validate, "--jobs", "2"]),  # fills cache_home
                        ("warm (unchanged), --jobs 2", [*validate, "--jobs", "2"]),
                    ]
                    for label, command in runs:
                        rows.setdefault(label, []).append(timed_process(command, env))
                baseline = statistics.median(wall for wall, _ in rows["baseline: load + jsonschema.validate"])
                for label, measured in rows.items():
                    wall = statistics.median(w for w, _ in measured)
                    cpu = statistics.median(c for _, c in measured)
                    print(f"  {works:>5} {kind:5} {label:28} {wall:7.2f} {cpu:7.2f} {wall / works * 1000:8.2f} "
                          f"{wall / baseline:10.2f}")
            size = {kind: path.stat().st_size / 1e6 for kind, path in paths.items()}
            print(f"  {works:>5} works, {2 * works} tracks: JSON {size['json']:.1f} MB, YAML {size['yaml']:.1f} MB; "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


def yaml_loaders(yaml_path: Path, repeat: int) -> None:
    """The YAML readers side by side, on the same file (why screenkit reads libyaml's events)."""
    import yaml
    from ruamel.yaml import YAML

    from toolkit.manifest import load_manifest

    text = yaml_path.read_text(encoding="utf-8")
    rows = [
        ("ruamel.yaml safe load (C), no positions", lambda: YAML(typ="safe").load(text)),
        ("ruamel.yaml compose (C): nodes with marks", lambda: YAML(typ="safe").compose(text)),
        ("PyYAML CSafeLoader load, no positions", lambda: yaml.load(text, Loader=yaml.CSafeLoader)),
        ("screenkit: libyaml events -> data + positions", lambda: load_manifest(yaml_path)),
    ]
    print("YAML loading, median of", repeat)
    for label, function in rows:
        print(f"  {label:<50} {median_time(function, repeat) * 1000:8.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--processes-only", action="store_true", help="only the whole-process comparison")
    parser.add_argument("--scale", help="catalogue sizes to run cold and warm, e.g. 100,1000,3000 (only that)")
    args = parser.parse_args(argv)
    if args.scale:
        catalogue_scale([int(size) for size in args.scale.split(",")], args.repeat)
        return 0

    import jsonschema
    from ruamel.yaml import YAML

    from toolkit.manifest import load_manifest, validate_manifest
    from toolkit.manifest.checks import check_semantics
    from toolkit.manifest.schema_check import manifest_validator, schema_diagnostics
    from toolkit.schemas import load_schema

    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        document = generate(folder, args.works)
        json_path = folder / "manifest.json"
        json_path.write_text(json.dumps(document, indent=2, ensure_ascii=False), encoding="utf-8")
        yaml_path = folder / "manifest.yaml"
        with yaml_path.open("w", encoding="utf-8") as handle:
            YAML(typ="safe", pure=True).dump(document, handle)
        whole_processes(folder, args.repeat)
        if args.processes_only:
            return 0
        yaml_loaders(yaml_path, args.repeat)
        schema = load_schema("manifest")
        manifest = load_manifest(json_path)
        assert manifest.data == document
        manifest_validator()  # compiled once per process, as in the CLI
        check_semantics(manifest, check_media=False)  # warm imports and the language model

        findings = validate_manifest(json_path, check_media=False)
        assert findings == [], [d.format_text() for d in findings[:5]]

        baseline = median_time(lambda: jsonschema.validate(document, schema), args.repeat)
        compiled_only = median_time(lambda: list(manifest_validator().iter_errors(document)), args.repeat)
        schema_pass = median_time(lambda: schema_diagnostics(manifest), args.repeat)
        semantic_pass = median_time(lambda: check_semantics(manifest, check_media=False), args.repeat)
        load_json = median_time(lambda: load_manifest(json_path), args.repeat)
        import toolkit.manifest.loader as loader

        load_yaml = median_time(lambda: load_manifest(yaml_path), args.repeat)
        loader.YAML_PURE = True
        load_yaml_pure = median_time(lambda: load_manifest(yaml_path), 1)
        loader.YAML_PURE = False
        structure = copy.deepcopy(manifest)
        for work in structure.data["works"]:
            del work["subtitles"]
            del work["deliverables"]
        structure_pass = median_time(lambda: check_semantics(structure, check_media=False), args.repeat)
        end_to_end_json = median_time(lambda: validate_manifest(json_path, check_media=False), args.repeat)
        sizes = (json_path.stat().st_size, yaml_path.stat().st_size)

    tracks = 2 * args.works
    print(f"manifest: {args.works} works, {tracks} subtitle tracks, {len(document['screenings'])} screenings; "
          f"JSON {sizes[0] / 1e6:.2f} MB, YAML {sizes[1] / 1e6:.2f} MB; median of {args.repeat}")
    rows = [
        ("baseline: jsonschema.validate(document, schema)", baseline),
        ("compiled validator, format checks, all errors (no mapping)", compiled_only),
        ("screenkit schema pass (compiled, formats, positions)", schema_pass),
        ("screenkit semantic pass (--no-media, tracks parsed + QC)", semantic_pass),
        ("  of which without subtitle tracks (ids, refs, paths, schedule)", structure_pass),
        ("screenkit schema + semantic", schema_pass + semantic_pass),
        ("load JSON with positions", load_json),
        ("load YAML with positions (libyaml events)", load_yaml),
        ("load YAML with positions (PyYAML's pure-Python parser, 1 run)", load_yaml_pure),
        ("validate_manifest(JSON, check_media=False) end to end", end_to_end_json),
    ]
    for label, seconds in rows:
        print(f"  {label:<62} {seconds * 1000:8.1f} ms   x{seconds / baseline:5.2f} baseline")
    print(f"ratio (schema + semantic) / baseline: {(schema_pass + semantic_pass) / baseline:.2f}")
    print(f"per subtitle track (parse + language + QC): {(semantic_pass - structure_pass) / tracks * 1000:.2f} ms")
    print(f"load average while running: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
