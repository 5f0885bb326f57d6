"""Shared test helpers: run the CLI for real, find the shared corpus, make small files."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_bench_module(name: str) -> ModuleType:
    """A script of ``bench/`` (``fuzz``) imported as a module, once per run."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
# The shared folder lies beside the checkout (as in CI); SCREENKIT_SHARED points elsewhere.
SHARED = Path(os.environ.get("SCREENKIT_SHARED", ROOT.parent / "shared")).resolve()
CORPUS = SHARED / "corpus" / "real-world"
SAMPLES = ROOT / "samples"


def _hypothesis_profiles() -> None:
    """Under CI (``CI`` set, as .ci/run does) Hypothesis runs derandomized, with a fixed seed
    per test, and keeps no example database in the checkout: the same run every time. A
    failure it finds is kept as an explicit ``@example`` beside its test. Elsewhere it
    explores at random and remembers failures in ``.hypothesis/`` (ignored by git)."""
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        settings.load_profile("ci")


_hypothesis_profiles()


def pytest_configure(config: pytest.Config) -> None:
    # Without the corpus the corpus tests would collect nothing and pass silently.
    if not CORPUS.is_dir():
        raise pytest.UsageError(
            f"the real-world corpus is missing: {CORPUS} (put shared/ beside the checkout, "
            "or set SCREENKIT_SHARED to its folder)"
        )


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> CliResult:
    """Run ``screenkit ARGS`` in this process through the real entry point (main())."""
    from toolkit.cli.main import main

    stdout, stderr = io.StringIO(), io.StringIO()
    old_cwd = Path.cwd()
    old_env = os.environ.copy()
    code = 0
    try:
        if cwd is not None:
            os.chdir(cwd)
        if env:
            os.environ.update(env)
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                main(list(args))
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
    finally:
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_env)
    return CliResult(code, stdout.getvalue(), stderr.getvalue())


def run_cli_subprocess(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300
) -> CliResult:
    """Run ``python -m toolkit ARGS`` in a fresh interpreter (for start-up and isolation tests)."""
    full_env = os.environ.copy()
    full_env["PYTHONPATH"] = str(ROOT)
    full_env.setdefault("NO_COLOR", "1")
    if env:
        full_env.update(env)
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def cli():
    return run_cli


def assert_clean_error(result: CliResult, *fragments: str, code: int = 2) -> None:
    """One-line message, the expected exit code, no traceback."""
    assert result.code == code, (result.code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.fixture(scope="session")
def ray_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real local Ray with 2 CPUs, started once for the session; its GCS address (for a second driver)."""
    import ray

    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"  # ray-notes.md
    # The workers inherit this environment: an empty packages folder, so the models
    # can only reach them through the object store, as on a cluster without shared disks.
    saved = os.environ.get("ARGOS_PACKAGES_DIR")
    os.environ["ARGOS_PACKAGES_DIR"] = str(tmp_path_factory.mktemp("no-models-on-workers"))
    try:
        # "local": a new cluster of our own, even if a `ray start` left its address on this machine.
        ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=150 * 1024**2)
    finally:
        if saved is None:
            os.environ.pop("ARGOS_PACKAGES_DIR", None)
        else:
            os.environ["ARGOS_PACKAGES_DIR"] = saved
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()
