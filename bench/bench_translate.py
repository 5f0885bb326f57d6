"""Benchmark: screenkit's batched translation vs argostranslate per cue vs raw CTranslate2.

    .venv/bin/python bench/bench_translate.py [--cues 2000] [--max-decoding-length 16]

One model for all three: an argos package built here (tests/tinymodel.py) at a
realistic size, 6+6 layers, d=512, 8 heads, FFN 2048, 16k vocabulary, random
weights saved in int8. Random weights never stop early, so every side decodes
exactly ``--max-decoding-length`` tokens per segment: the work is the same.

* baseline "argos per cue": ``argostranslate.translate.translate()`` called once
  per cue, as cue-by-cue subtitle translators do, in a venv of its own under
  build/ with argostranslate's whole dependency stack (stanza, spaCy, torch
  2.13.0 CPU). Its sentence splitter (MiniSBD) downloads an ONNX model on first
  use, which cannot happen offline, so it is replaced by "the cue is one
  sentence" (this only makes the baseline faster). Its translate_batch calls
  get the same max_decoding_length.
* "raw": one ``translate_batch`` over the pre-tokenised segments (what a perfect
  engine would do), max_batch_size 32, same beam and bound.
* "screenkit": the whole job (read, segment, tokenise, batched translation, cache
  writes to a fresh SQLite file, split back, wrap, atomic write).

Model loading is excluded on every side (one warm-up call first). Same beam (4,
argos's default), compute type (int8) and threads on every side.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

BUILD = ROOT / "build" / "bench-translate"
ARGOS_VENV = ROOT / "build" / "argos-venv"
MODEL_OPTIONS = {"layers": (6, 6), "d_model": 512, "heads": 8, "ffn": 2048, "pad_vocab_to": 16000, "quantization": "int8"}

ARGOS_SCRIPT = r"""
import json, sys, time
spec = json.loads(sys.argv[1])
import ctranslate2
original = ctranslate2.Translator.translate_batch
def bounded(self, *args, **kwargs):
    kwargs["max_decoding_length"] = spec["max_decoding_length"]  # the same bound as the other sides
    return original(self, *args, **kwargs)
ctranslate2.Translator.translate_batch = bounded
started = time.perf_counter()
from argostranslate import package, sbd, translate
import_seconds = time.perf_counter() - started
# MiniSBD would download an ONNX model (no network here): each cue is one sentence.
sbd.MiniSBDSentencizer.split_sentences = lambda self, text: [text]
package.install_from_path(spec["package"])
cues = json.load(open(spec["cues"], encoding="utf-8"))
translate.translate(cues[0], "zh", "en")  # warm-up: loads the model
started, cpu = time.perf_counter(), time.process_time()
outputs = [translate.translate(text, "zh", "en") for text in cues]
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"seconds": seconds, "cpu": cpu, "import_seconds": import_seconds, "cues": len(outputs)}))
"""


def ensure_argos_venv() -> Path | None:
    """A venv with argostranslate's full stack (not screenkit's set-up); None if it cannot be made."""
    python = ARGOS_VENV / "bin" / "python"
    probe = [str(python), "-c", "import argostranslate.translate"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    print("creating build/argos-venv (torch 2.13.0 CPU, argostranslate 1.11.0): a few minutes", file=sys.stderr)
    steps = [
        [sys.executable, "-m", "venv", str(ARGOS_VENV)],
        [str(python), "-m", "pip", "install", "-q", "torch==2.13.0"],
        [str(python), "-m", "pip", "install", "-q", "argostranslate==1.11.0"],
    ]
    for step in steps:
        if subprocess.run(step).returncode != 0:
            return None
    return python if subprocess.run(probe, capture_output=True).returncode == 0 else None


def make_cues(count: int, seed: int = 5) -> list[str]:
    """Distinct Chinese subtitle sentences, 8-20 characters, each ending a sentence."""
    from tinymodel import SAMPLE_LINES

    rng = random.Random(seed)
    chinese = [line.rstrip("。？") for line in SAMPLE_LINES if not line.isascii()]
    cues = []
    for number in range(count):
        first, second = rng.choice(chinese), rng.choice(chinese)
        text = f"{first[: rng.randint(4, 10)]}{second[: rng.randint(2, 8)]}{number}"
        cues.append(text + rng.choice("。？！"))
    return cues


def write_srt(cues: list[str], path: Path) -> None:
    blocks = []
    for number, text in enumerate(cues):
        start = number * 2500
        end = start + 2000
        blocks.append(f"{number + 1}\n{_clock(start)} --> {_clock(end)}\n{text}\n")
    path.write_text("\n".join(blocks), encoding="utf-8")


def _clock(ms: int) -> str:
    return f"{ms // 3600000:02}:{ms // 60000 % 60:02}:{ms // 1000 % 60:02},{ms % 1000:03}"


def build_package() -> Path:
    from tinymodel import build_argos_package

    package = BUILD / "translate-zh_en-bench.argosmodel"
    if not package.exists():
        print("building the 6+6-layer d=512 model (random weights, int8)", file=sys.stderr)
        partial = package.with_suffix(".part")
        build_argos_package(partial, from_code="zh", to_code="en", version="0.0", seed=3, **MODEL_OPTIONS)
        partial.replace(package)
    return package


def run_screenkit(package: Path, source: Path, bound: int, threads: int, beam: int) -> dict:
    os.environ["ARGOS_PACKAGES_DIR"] = str(BUILD / "packages")
    from toolkit.languages import EN, ZH_HANS
    from toolkit.translate.cache import TranslationCache
    from toolkit.translate.engine import EngineOptions
    from toolkit.translate.job import ArgosTranslators, run_job
    from toolkit.translate.models import find_installed, install_file

    if find_installed("zh", "en") is None:
        install_file(package)
    options = EngineOptions(beam_size=beam, device="cpu", compute_type="int8", threads=threads, max_decoding_length=bound)
    with tempfile.TemporaryDirectory() as scratch:
        cache = TranslationCache(Path(scratch) / "cache.sqlite")
        translators = ArgosTranslators(options, cache)
        leg = translators(ZH_HANS, EN)
        leg.inner.translate(["热身。"])  # type: ignore[attr-defined]  # warm-up: loads the model
        started, cpu = time.perf_counter(), time.process_time()
        report = run_job([source], [EN], Path(scratch) / "out", source=ZH_HANS, factory=translators)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        cache.close()
        assert not report.failed, report.failed[0].error
        engine = leg.inner  # type: ignore[attr-defined]
        segments = [s for r in report.files for s in [r.segments]]
        from toolkit.subtitles import read_track
        from toolkit.translate.segment import plan_track

        texts = plan_track(read_track(source), ZH_HANS).texts
        tokens = engine.tokenize(texts)
    return {"seconds": seconds, "cpu": cpu, "segments": segments[0], "calls": engine.calls, "tokens": tokens, "model": engine}


def run_raw(engine: object, tokens: list[list[str]], bound: int, beam: int) -> tuple[float, float]:
    translator = engine._translator  # type: ignore[attr-defined]  # the same loaded model
    started, cpu = time.perf_counter(), time.process_time()
    translator.translate_batch(
        tokens, max_batch_size=32, beam_size=beam, max_decoding_length=bound, length_penalty=0.2, replace_unknowns=True
    )
    return time.perf_counter() - started, time.process_time() - cpu


def run_argos(python: Path, package: Path, cues: list[str], bound: int, threads: int, beam: int) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        cue_file = Path(scratch) / "cues.json"
        cue_file.write_text(json.dumps(cues, ensure_ascii=False), encoding="utf-8")
        env = {
            **os.environ,
            "ARGOS_PACKAGES_DIR": str(Path(scratch) / "packages"),
            "XDG_DATA_HOME": str(Path(scratch) / "data"),
            "XDG_CACHE_HOME": str(Path(scratch) / "cache"),
            "XDG_CONFIG_HOME": str(Path(scratch) / "config"),
            "ARGOS_DEVICE_TYPE": "cpu",
            "ARGOS_COMPUTE_TYPE": "int8",
            "ARGOS_BEAM_SIZE": str(beam),
            "ARGOS_INTRA_THREADS": str(threads),
            "ARGOS_INTER_THREADS": "1",
        }
        spec = {"package": str(package), "cues": str(cue_file), "max_decoding_length": bound}
        done = subprocess.run([str(python), "-c", ARGOS_SCRIPT, json.dumps(spec)], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-2000:])
        return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cues", type=int, default=2000)
    parser.add_argument("--max-decoding-length", type=int, default=16)
    parser.add_argument("--beam-size", type=int, default=4)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--argos-cues", type=int, default=0, help="time argos on the first N cues only (0: all)")
    parser.add_argument("--repeats", type=int, default=3, help="alternating runs of screenkit and raw")
    parser.add_argument("--skip-argos", action="store_true")
    args = parser.parse_args()

    BUILD.mkdir(parents=True, exist_ok=True)
    package = build_package()
    cues = make_cues(args.cues)
    source = BUILD / "bench.zh.srt"
    write_srt(cues, source)
    bound, threads, beam = args.max_decoding_length, args.threads, args.beam_size

    # Alternate the two, several times: the machine is shared, so take the median of each.
    # Wall time suffers from other work on a shared machine; CPU time (all threads of
    # the process) much less, so both are reported.
    ours_runs: list[float] = []
    raw_runs: list[float] = []
    ours_cpu: list[float] = []
    raw_cpu: list[float] = []
    for _ in range(args.repeats):
        ours = run_screenkit(package, source, bound, threads, beam)
        ours_runs.append(ours["seconds"])
        ours_cpu.append(ours["cpu"])
        wall, cpu = run_raw(ours["model"], ours["tokens"], bound, beam)
        raw_runs.append(wall)
        raw_cpu.append(cpu)
    ours_seconds, raw = statistics.median(ours_runs), statistics.median(raw_runs)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    print(f"model: 6+6 layers, d=512, ffn 2048, vocab 16000, int8; beam {beam}; max_decoding_length {bound}; threads {threads}")
    print(f"file: {args.cues} cues -> {ours['segments']} segments; screenkit made {ours['calls']} translate_batch calls")
    runs = lambda values: ", ".join(f"{v:.1f}" for v in values)  # noqa: E731
    print(f"raw translate_batch (pre-tokenised):  {raw:8.2f} s   median of {runs(raw_runs)}")
    print(f"screenkit translate job:             {ours_seconds:8.2f} s   median of {runs(ours_runs)}   ({ours_seconds / raw:.2f}x raw)")
    cpu_ours, cpu_raw = statistics.median(ours_cpu), statistics.median(raw_cpu)
    print(f"CPU time: raw {cpu_raw:.1f} s (runs {runs(raw_cpu)}), screenkit {cpu_ours:.1f} s (runs {runs(ours_cpu)}): {cpu_ours / cpu_raw:.2f}x raw")
    if args.skip_argos:
        return
    python = ensure_argos_venv()
    if python is None:
        print("argos per cue: could not set up argostranslate's dependency stack; not measured")
        return
    subset = cues[: args.argos_cues] if args.argos_cues else cues
    argos = run_argos(python, package, subset, bound, threads, beam)
    per_cue = argos["seconds"] / len(subset)
    projected = per_cue * len(cues)
    label = "" if len(subset) == len(cues) else f" (measured on {len(subset)} cues, scaled)"
    print(f"argostranslate translate() per cue:  {projected:8.2f} s{label}   import argostranslate.translate: {argos['import_seconds']:.1f} s")
    projected_cpu = argos["cpu"] / len(subset) * len(cues)
    print(f"argos per cue CPU time: {projected_cpu:.1f} s")
    print(f"speed-up vs argos per cue: {projected / ours_seconds:.1f}x wall, {projected_cpu / cpu_ours:.1f}x CPU time")


if __name__ == "__main__":
    main()
