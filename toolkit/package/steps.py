"""Incremental, resumable steps: skipped when their inputs and options have not changed.

A step's fingerprint is a hash of its kind, its options and the *content*
hashes of its input files (never timestamps). After a step's outputs have
been renamed into place, its fingerprint and the hashes of its outputs are
recorded in ``.screenkit/state.json``; a step whose record matches is
skipped. A run killed with ``kill -9`` leaves at most temporary files and
steps without a record, which the next run redoes.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.errors import ScreenkitError
from toolkit.fsutil import (
    WriteError,
    load_json_bounded,
    open_input,
    read_input_bytes,
    write_text_atomic,
)

STATE_DIR = ".screenkit"
_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """The file's sha256; a FIFO, device or folder is refused, never read (it could block)."""
    digest = hashlib.sha256()
    with open(open_input(path, kind="file"), "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class HashCache:
    """sha256 of files, remembered per (path, size, mtime) within one run."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, int, int], str] = {}
        self._lock = threading.Lock()

    def __call__(self, path: Path) -> str:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            if key in self._known:
                return self._known[key]
        value = file_sha256(path)
        with self._lock:
            self._known[key] = value
        return value


@dataclass
class Step:
    id: str  # unique, e.g. "city-static/burn/fr"
    kind: str  # qc, translate, burn, mux, sidecar, still, ...
    run: Callable[[Step], dict[str, Any] | None]
    inputs: list[Path] = field(default_factory=list)  # files whose content decides the result
    options: dict[str, Any] = field(default_factory=dict)  # JSON-serialisable
    outputs: list[Path] = field(default_factory=list)  # absolute paths inside the package
    after: list[str] = field(default_factory=list)  # ids of steps that must finish first
    work: str | None = None

    def describe(self) -> str:
        outs = ", ".join(path.name for path in self.outputs)
        return f"{self.id}: {self.kind} -> {outs}" if outs else f"{self.id}: {self.kind}"


@dataclass
class StepResult:
    step: str
    kind: str
    action: str  # "ran", "skipped", "failed", "blocked"
    info: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    write_error: bool = False  # failed because an output could not be written (full disk, read-only)


class StepRunner:
    def __init__(self, root: Path, *, jobs: int = 1, on_event: Callable[[str, Step], None] | None = None):
        self.root = root
        self.jobs = max(1, jobs)
        self.state_path = root / STATE_DIR / "state.json"
        self.hash = HashCache()
        self.on_event = on_event or (lambda event, step: None)
        self._lock = threading.Lock()
        self.state: dict[str, Any] = self._load_state()

    def _load_state(self) -> dict[str, Any]:
        try:
            data = load_json_bounded(read_input_bytes(self.state_path, kind="state file"), self.state_path)
        except ScreenkitError:
            return {}  # none yet, or damaged: every step is redone
        return data if isinstance(data, dict) else {}

    def _save_state(self) -> None:
        write_text_atomic(self.state_path, json.dumps(self.state, indent=1, sort_keys=True))

    def fingerprint(self, step: Step) -> str:
        digest = hashlib.sha256()
        digest.update(f"{__version__}\0{step.kind}\0".encode())
        digest.update(json.dumps(step.options, sort_keys=True, default=str).encode())
        for path in step.inputs:
            digest.update(b"\0")
            digest.update(self.hash(path).encode())
        return digest.hexdigest()

    def up_to_date(self, step: Step, fingerprint: str) -> bool:
        record = self.state.get(step.id)
        if not record or record.get("fingerprint") != fingerprint:
            return False
        recorded = record.get("outputs", {})
        for path in step.outputs:
            name = self._relative(path)
            if not path.is_file() or recorded.get(name) != self.hash(path):
                return False
        return True

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def _execute(self, step: Step) -> StepResult:
        fingerprint = self.fingerprint(step)
        if self.up_to_date(step, fingerprint):
            self.on_event("skipped", step)
            return StepResult(step.id, step.kind, "skipped", self.state[step.id].get("info", {}))
        self.on_event("started", step)
        info = step.run(step) or {}
        missing = [str(path) for path in step.outputs if not path.is_file()]
        if missing:
            raise ScreenkitError(f"step {step.id} did not produce {', '.join(missing)}")
        record = {
            "fingerprint": fingerprint,
            "kind": step.kind,
            "outputs": {self._relative(path): self.hash(path) for path in step.outputs},
            "info": info,
        }
        with self._lock:
            self.state[step.id] = record
            self._save_state()
        self.on_event("ran", step)
        return StepResult(step.id, step.kind, "ran", info)

    def run(self, steps: Iterable[Step]) -> list[StepResult]:
        """Run steps in dependency order, up to ``jobs`` at once; a failure blocks its dependants."""
        ordered = list(steps)
        pending = {step.id: step for step in ordered}
        unknown = {dep for step in ordered for dep in step.after if dep not in pending}
        if unknown:
            raise RuntimeError(f"steps depend on unknown steps {sorted(unknown)}")  # a planning bug
        results: dict[str, StepResult] = {}
        running: dict[Future[StepResult], Step] = {}
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            while pending or running:
                progressed = False
                for step_id in list(pending):
                    if len(running) >= self.jobs:
                        break
                    step = pending[step_id]
                    if any(dep not in results for dep in step.after):
                        continue
                    del pending[step_id]
                    progressed = True
                    failed = [dep for dep in step.after if results[dep].action in ("failed", "blocked")]
                    if failed:
                        results[step_id] = StepResult(
                            step_id, step.kind, "blocked", error=f"not run: {failed[0]} failed"
                        )
                        continue
                    running[pool.submit(self._execute, step)] = step
                if not running:
                    if pending and not progressed:
                        raise RuntimeError(f"steps wait on each other: {sorted(pending)}")  # a planning bug
                    continue
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    step = running.pop(future)
                    try:
                        results[step.id] = future.result()
                    except ScreenkitError as error:
                        self.on_event("failed", step)
                        results[step.id] = StepResult(
                            step.id, step.kind, "failed", error=str(error), write_error=isinstance(error, WriteError)
                        )
        return [results[step.id] for step in ordered]


def clean_partial_files(root: Path) -> int:
    """Remove temporary files an interrupted run left (``.name.XXXX.part.ext``)."""
    removed = 0
    for path in root.rglob(".*.part*"):
        if path.is_file():
            try:
                os.unlink(path)
                removed += 1
            except OSError:
                pass
    return removed
