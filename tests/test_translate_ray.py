"""``translate --executor ray`` on a real local Ray (one cluster for the whole session, 2 CPUs).

Kept few and small (the machine is shared): one job through both stages of a
pivot and a direct pair, compared byte for byte with the local executor; an
actor killed with SIGKILL mid-job; the driver killed with SIGKILL and re-run;
the message without the extra; the local path importing no Ray.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, CliResult, assert_clean_error, run_cli, run_cli_subprocess
from tinymodel import (  # noqa: F401  (fixtures)
    SAMPLE_LINES,
    argos_env,
    argos_packages_dir,
    tiny_packages,
)

CHINESE = [line for line in SAMPLE_LINES if not line.isascii()]
ENGLISH = [line for line in SAMPLE_LINES if line.isascii() and "'" not in line][:10]
WORKER_TITLE = "MapWorker(MapBatches(ChunkTranslator))"


def srt(path: Path, lines: list[str], count: int) -> Path:
    """``count`` distinct sentences, one per cue, 2 s apart."""
    blocks = []
    for n in range(count):
        line = lines[n % len(lines)]
        text = f"{line[:-1]}，第{n}次。" if not line.isascii() else f"{line[:-1]}, take {n}."
        start = n * 2000
        blocks.append(f"{n + 1}\n{_clock(start)} --> {_clock(start + 1500)}\n{text}\n")
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def _clock(ms: int) -> str:
    return f"{ms // 3600000:02}:{ms // 60000 % 60:02}:{ms // 1000 % 60:02},{ms % 1000:03}"


def outputs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def worker_pids() -> set[int]:
    """The translator actors' processes (children of this test's Ray), by their process title."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if WORKER_TITLE in title:
                found.add(int(entry.name))
    return found


def test_ray_job_writes_the_same_files_as_local(ray_cluster: str, argos_env: dict, tmp_path: Path) -> None:  # noqa: F811
    inputs = tmp_path / "catalogue"
    inputs.mkdir()
    srt(inputs / "a.zh.srt", CHINESE, 30)
    srt(inputs / "b.zh.srt", CHINESE[3:], 25)
    srt(inputs / "c.en.srt", ENGLISH, 20)
    # zh→en; zh→fr through English (a second stage); en→fr after the pivot's en→fr.
    common = [str(inputs), "--to", "en,fr", "--format", "json"]
    env = {"SCREENKIT_TRANSLATE_CHUNK": "8"}
    local = run_cli("translate", *common, "--out-dir", str(tmp_path / "local"), "--cache", str(tmp_path / "l.sqlite"), env=env)
    assert local.code == 0, local.stderr
    on_ray = run_cli(
        "translate", *common, "--out-dir", str(tmp_path / "ray"), "--cache", str(tmp_path / "r.sqlite"),
        "--executor", "ray", "--actors", "2", "--cpus-per-actor", "0.5", env=env,
    )  # fmt: skip
    assert on_ray.code == 0, on_ray.stderr
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")
    assert len(outputs(tmp_path / "local")) == 5  # c.en.srt is not translated into English
    mine, theirs = json.loads(on_ray.stdout), json.loads(local.stdout)
    for key in ("cues", "segments", "translated", "cache_hits"):
        assert mine[key] == theirs[key], key
    with sqlite3.connect(tmp_path / "l.sqlite") as a, sqlite3.connect(tmp_path / "r.sqlite") as b:
        query = "SELECT model, source, target FROM translations ORDER BY model, source"
        assert a.execute(query).fetchall() == b.execute(query).fetchall()

    # All in the cache now: nothing leaves the driver (no Dataset is even built).
    again = run_cli(
        "translate", *common, "--out-dir", str(tmp_path / "again"), "--cache", str(tmp_path / "r.sqlite"),
        "--executor", "ray", env=env,
    )  # fmt: skip
    assert again.code == 0, again.stderr
    assert json.loads(again.stdout)["translated"] == 0
    assert outputs(tmp_path / "again") == outputs(tmp_path / "local")


def test_actor_killed_mid_job_is_restarted_and_the_files_are_the_same(
    ray_cluster: str, argos_env: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    from toolkit.languages import EN, ZH_HANS
    from toolkit.translate.cache import TranslationCache
    from toolkit.translate.engine import EngineOptions
    from toolkit.translate.executor import ExecutorSpec
    from toolkit.translate.job import ArgosTranslators, run_job
    from toolkit.translate.ray_executor import RayExecutor

    source = srt(tmp_path / "film.zh.srt", CHINESE, 80)
    monkeypatch.setenv("SCREENKIT_TRANSLATE_CHUNK", "8")  # 10 chunks
    local_cache = TranslationCache(tmp_path / "local.sqlite")
    run_job([source], [EN], tmp_path / "local", source=ZH_HANS, factory=ArgosTranslators(EngineOptions(), local_cache))
    local_cache.close()

    killed: list[int] = []
    after_kill: set[int] = set()

    def kill_once(count: int) -> None:
        pids = worker_pids()
        if killed:
            after_kill.update(pids)
        elif count and pids:  # the first chunk is back: the actor is on the next one
            killed.append(min(pids))
            os.kill(killed[0], signal.SIGKILL)

    cache = TranslationCache(tmp_path / "ray.sqlite")
    translators = ArgosTranslators(EngineOptions(), cache, progress=kill_once)
    executor = RayExecutor(ExecutorSpec(kind="ray", actors=1, cpus_per_actor=1))
    report = run_job([source], [EN], tmp_path / "ray", source=ZH_HANS, factory=translators, executor=executor)
    cache.close()
    assert not report.failed, report.failed[0].error
    assert killed, "no translator actor was found to kill"
    assert after_kill - set(killed), "no new actor after the kill"
    assert translators.translated == 80  # every chunk once, though one was sent twice
    assert outputs(tmp_path / "ray") == outputs(tmp_path / "local")


def test_driver_killed_then_rerun_translates_only_the_rest(ray_cluster: str, argos_env: dict, tmp_path: Path) -> None:  # noqa: F811
    source = srt(tmp_path / "long.zh.srt", CHINESE, 400)
    out, cache = tmp_path / "out", tmp_path / "cache.sqlite"
    args = [str(source), "--to", "en", "--out-dir", str(out), "--cache", str(cache)]
    ray_args = ["--executor", f"ray:{ray_cluster}", "--actors", "1", "--cpus-per-actor", "1"]
    env = {**os.environ, **argos_env, "PYTHONPATH": str(ROOT), "SCREENKIT_TRANSLATE_CHUNK": "8"}
    driver = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "-q", "translate", *args, *ray_args],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    stored = 0
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and driver.poll() is None:
        if cache.exists():
            try:
                with sqlite3.connect(f"file:{cache}?mode=ro", uri=True) as db:
                    stored = db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0  # the schema is being created
            if stored >= 40:
                driver.send_signal(signal.SIGKILL)
                break
        time.sleep(0.005)
    driver.wait(timeout=60)
    errors = driver.stderr.read().decode() if driver.stderr else ""
    driver.stderr.close()  # type: ignore[union-attr]
    assert driver.returncode == -signal.SIGKILL, errors
    with sqlite3.connect(cache) as db:
        done_before = db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    assert 40 <= done_before < 400  # killed in the middle
    assert not out.exists() or not list(out.iterdir())  # no partial output

    env = {"SCREENKIT_TRANSLATE_CHUNK": "8"}
    resumed = run_cli("translate", *args, *ray_args, "--format", "json", env=env)
    assert resumed.code == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    assert report["translated"] == 400 - done_before
    assert report["cache_hits"] == done_before

    clean = run_cli("translate", str(source), "--to", "en", "--out-dir", str(tmp_path / "clean"), "--cache", str(tmp_path / "fresh.sqlite"), env=env)
    assert clean.code == 0, clean.stderr
    assert outputs(out) == outputs(tmp_path / "clean")


# Run in a fresh interpreter where ``import ray`` fails, as it does without the extra.
WITHOUT_RAY = r"""
import sys

class NoRay:
    def find_spec(self, name, path=None, target=None):
        if name == "ray" or name.startswith("ray."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoRay())
for name in [m for m in sys.modules if m == "ray" or m.startswith("ray.")]:
    del sys.modules[name]
from toolkit.cli.main import main
main(sys.argv[1:])
"""


@pytest.mark.parametrize("command", ["translate", "package"])
def test_without_the_extra_ray_says_how_to_install_it(command: str, argos_env: dict, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "out"
    if command == "translate":
        args = ["translate", str(srt(tmp_path / "film.zh.srt", CHINESE, 3)), "--to", "en", "--out-dir", str(out)]
    else:
        args = ["package", str(SAMPLES / "paris-showcase" / "manifest.yaml"), "--out", str(out), "--translate-missing"]
    env = {**os.environ, **argos_env, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-c", WITHOUT_RAY, *args, "--executor", "ray:auto"], env=env, capture_output=True, text=True, timeout=120)
    assert_clean_error(CliResult(done.returncode, done.stdout, done.stderr), "pip install 'screenkit[ray]'")
    assert not out.exists()


LOCAL_PROBE = r"""
import sys
from toolkit.cli.main import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as done:
    code = done.code
print("LOADED=" + ",".join(sorted(m for m in sys.modules if m.split(".")[0] in ("ray", "pyarrow", "pandas"))), code)
"""


def test_the_local_executor_never_imports_ray(argos_env: dict, tmp_path: Path) -> None:  # noqa: F811
    source = srt(tmp_path / "film.zh.srt", CHINESE, 3)
    env = {**os.environ, **argos_env, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    command = [sys.executable, "-c", LOCAL_PROBE, "-q", "translate", str(source), "--to", "en", "--out-dir", str(tmp_path / "out")]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "LOADED= 0", done.stderr
    assert (tmp_path / "out" / "film.en.srt").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--executor", "spark"], "--executor must be local, ray or ray:ADDRESS"),
        (["--actors", "2"], "need --executor ray"),
    ],
)
def test_bad_executor_options_are_usage_errors(args: list[str], message: str, tmp_path: Path) -> None:
    source = srt(tmp_path / "film.zh.srt", CHINESE, 3)
    result = run_cli("translate", str(source), "--to", "en", "--out-dir", str(tmp_path / "out"), *args)
    assert_clean_error(result, message)


def test_an_address_nobody_listens_on_fails_at_once(argos_env: dict, tmp_path: Path) -> None:  # noqa: F811
    source = srt(tmp_path / "film.zh.srt", CHINESE, 3)
    # A fresh interpreter: in this one the session's Ray is connected, and a job uses it.
    result = run_cli_subprocess("translate", str(source), "--to", "en", "--out-dir", str(tmp_path / "out"), "--executor", "ray:127.0.0.1:1", env=argos_env)
    assert_clean_error(result, "cannot connect to the Ray cluster at 127.0.0.1:1")
    assert not (tmp_path / "out").exists()
