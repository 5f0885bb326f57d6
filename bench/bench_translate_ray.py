"""Benchmark: the translate job on Ray (1 and 2 actors) against the local executor, same run.

    .venv/bin/python bench/bench_translate_ray.py [--cues 20000] [--files 20] [--repeats 2]

The model is bench/bench_translate.py's (an argos package built by
tests/tinymodel.py: 6+6 layers, d=512, 8 heads, FFN 2048, 16k vocabulary,
int8, random weights that decode exactly ``--max-decoding-length`` tokens per
segment). The catalogue is ``--cues`` distinct Chinese cues in ``--files``
SRT files, translated into English with a fresh cache each run.

Each side is the whole job, from ``run_job`` to the files written, model
load included (the Ray side also ships the package through the object store
and starts its actors, both per job): what a user waits for once the cluster
is up. ``ray.init`` (``ray start --head`` on a cluster) is measured apart.

* local: ``--executor local``, one process, CTranslate2 on all cores.
* ray, 1 actor: one actor with every CPU of the node (threads = its CPUs).
* ray, 2 actors: two actors of half the CPUs each.
* overhead: a one-chunk job on one actor (Dataset, actor start, model
  transfer and load), to project N machines: overhead + segments /
  (per-actor throughput x N).

Runs alternate (local, ray 1, ray 2, ...) and medians are reported, as the
machine may be shared; the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from bench_translate import BUILD, build_package, make_cues, write_srt  # noqa: E402


def catalogue(cues: int, files: int, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    texts = make_cues(cues)
    per_file = -(-cues // files)
    paths = []
    for number in range(files):
        part = texts[number * per_file : (number + 1) * per_file]
        if part:
            path = folder / f"episode{number + 1:03}.zh.srt"
            write_srt(part, path)
            paths.append(path)
    return paths


def run(paths: list[Path], executor: object | None, options: object, scratch: Path) -> tuple[float, int, dict[str, bytes]]:
    from toolkit.languages import EN, ZH_HANS
    from toolkit.translate.cache import TranslationCache
    from toolkit.translate.job import ArgosTranslators, run_job

    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    cache = TranslationCache(scratch / "cache.sqlite")
    translators = ArgosTranslators(options, cache)  # type: ignore[arg-type]
    started = time.perf_counter()
    report = run_job(paths, [EN], scratch / "out", source=ZH_HANS, factory=translators, executor=executor)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    cache.close()
    assert not report.failed, report.failed[0].error
    files = {p.name: p.read_bytes() for p in sorted((scratch / "out").iterdir())}
    return seconds, report.segments, files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cues", type=int, default=20000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--max-decoding-length", type=int, default=8)
    parser.add_argument("--beam-size", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    cpus = os.cpu_count() or 2
    load_before = os.getloadavg()

    BUILD.mkdir(parents=True, exist_ok=True)
    package = build_package()
    os.environ["ARGOS_PACKAGES_DIR"] = str(BUILD / "packages")
    from toolkit.translate.engine import EngineOptions
    from toolkit.translate.executor import ExecutorSpec
    from toolkit.translate.models import find_installed, install_file
    from toolkit.translate.ray_executor import RayExecutor

    if find_installed("zh", "en") is None:
        install_file(package)
    # Local: CTranslate2 with one thread per core. Ray: threads 0, i.e. each actor as many
    # threads as CPUs it was given (cpus-per-actor). Threads do not change the output.
    local_options = EngineOptions(
        beam_size=args.beam_size, device="cpu", compute_type="int8", threads=cpus, max_decoding_length=args.max_decoding_length
    )
    ray_options = replace(local_options, threads=0)
    work = Path(tempfile.mkdtemp(prefix="bench-ray-"))
    try:
        paths = catalogue(args.cues, args.files, work / "catalogue")
        os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
        import ray

        started = time.perf_counter()
        ray.init(address="local", num_cpus=cpus, include_dashboard=False, log_to_driver=False, object_store_memory=512 * 1024**2)
        init_seconds = time.perf_counter() - started

        sides = {
            "local": (lambda: None, local_options),
            "ray, 1 actor": (lambda: RayExecutor(ExecutorSpec(kind="ray", actors=1, cpus_per_actor=float(cpus))), ray_options),
            "ray, 2 actors": (lambda: RayExecutor(ExecutorSpec(kind="ray", actors=2, cpus_per_actor=cpus / 2)), ray_options),
        }
        times: dict[str, list[float]] = {name: [] for name in sides}
        reference: dict[str, bytes] | None = None
        segments = 0
        for _ in range(args.repeats):
            for name, (make, options) in sides.items():
                seconds, segments, files = run(paths, make(), options, work / "run")
                times[name].append(seconds)
                reference = reference or files
                assert files == reference, f"{name}: output differs from local"
        # The fixed cost of a Ray job: one chunk (one segment) on one actor.
        small = catalogue(1, 1, work / "one")
        make, options = sides["ray, 1 actor"]
        overhead_runs = [run(small, make(), options, work / "run")[0] for _ in range(args.repeats)]
        ray.shutdown()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    local = statistics.median(times["local"])
    overhead = statistics.median(overhead_runs)
    series = lambda values: ", ".join(f"{v:.1f}" for v in values)  # noqa: E731
    print(f"machine: {platform.machine()}, {cpus} cores, Python {platform.python_version()}, ray {ray.__version__}")
    print(f"load average before: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}; after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print(f"model: 6+6 layers, d=512, ffn 2048, vocab 16000, int8; beam {args.beam_size}; max_decoding_length {args.max_decoding_length}")
    print(f"catalogue: {args.cues} cues in {len(paths)} files -> {segments} segments, into English; outputs identical on every side")
    print(f"ray.init (once, like 'ray start --head'): {init_seconds:.1f} s")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:14} {median:7.1f} s   (runs {series(values)})   {median / local:.2f}x local   {segments / median:6.0f} segments/s")
    one_actor = statistics.median(times["ray, 1 actor"])
    per_actor = segments / max(one_actor - overhead, 1e-9)
    print(f"overhead of a Ray job (1 segment, 1 actor): {overhead:.1f} s (runs {series(overhead_runs)})")
    print(f"per-actor throughput (1 actor, {cpus} CPUs, overhead removed): {per_actor:.0f} segments/s")
    projection = ", ".join(f"{n} -> {overhead + segments / (per_actor * n):.1f} s" for n in (1, 2, 4, 8, 16))
    print(f"projected for {segments} segments on N such machines (overhead + segments / (throughput x N)): {projection}")


if __name__ == "__main__":
    main()
