"""The step engine: content-hash skipping, dependency order, failures, parallelism, resume."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from toolkit.errors import ScreenkitError
from toolkit.fsutil import write_text_atomic
from toolkit.package.steps import Step, StepRunner, clean_partial_files


def _copy_upper(source: Path, target: Path, calls: list[str]):
    def run(step: Step) -> dict:
        calls.append(step.id)
        write_text_atomic(target, source.read_text().upper())
        return {"chars": len(source.read_text())}

    return run


def _steps(tmp: Path, calls: list[str], option: str = "a") -> list[Step]:
    source = tmp / "in.txt"
    out = tmp / "pkg"
    first = Step("w/first", "upper", _copy_upper(source, out / "one.txt", calls), inputs=[source],
                 options={"opt": option}, outputs=[out / "one.txt"])
    second = Step("w/second", "upper", _copy_upper(out / "one.txt", out / "two.txt", calls),
                  inputs=[out / "one.txt"], outputs=[out / "two.txt"], after=["w/first"])
    return [second, first]  # given out of order on purpose


def test_steps_run_in_dependency_order_then_skip_when_nothing_changed(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("hello")
    calls: list[str] = []
    results = StepRunner(tmp_path / "pkg").run(_steps(tmp_path, calls))
    assert calls == ["w/first", "w/second"]
    assert [r.action for r in results] == ["ran", "ran"]
    assert (tmp_path / "pkg" / "two.txt").read_text() == "HELLO"

    calls.clear()
    results = StepRunner(tmp_path / "pkg").run(_steps(tmp_path, calls))
    assert calls == []
    assert [r.action for r in results] == ["skipped", "skipped"]
    assert results[1].info == {"chars": 5}  # info of the skipped step is kept


def test_a_touched_but_unchanged_input_is_still_skipped(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("hello")
    calls: list[str] = []
    StepRunner(tmp_path / "pkg").run(_steps(tmp_path, calls))
    source.write_text("hello")  # new mtime, same content
    calls.clear()
    StepRunner(tmp_path / "pkg").run(_steps(tmp_path, calls))
    assert calls == []


def test_changed_content_or_options_rerun_exactly_the_affected_steps(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_text("hello")
    calls: list[str] = []
    StepRunner(tmp_path / "pkg").run(_steps(tmp_path, calls))
    source.write_text("bye")
    calls.clear()
    StepRunner(tmp_path / "pkg").run(_steps(tmp_path, calls))
    assert calls == ["w/first", "w/second"]
    calls.clear()
    StepRunner(tmp_path / "pkg").run(_steps(tmp_path, calls, option="b"))
    # first reruns (options changed) and writes the same bytes: second is skipped.
    assert calls == ["w/first"]


def test_a_damaged_output_is_redone(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("hello")
    calls: list[str] = []
    StepRunner(tmp_path / "pkg").run(_steps(tmp_path, calls))
    (tmp_path / "pkg" / "two.txt").write_text("tampered")
    calls.clear()
    StepRunner(tmp_path / "pkg").run(_steps(tmp_path, calls))
    assert calls == ["w/second"]
    assert (tmp_path / "pkg" / "two.txt").read_text() == "HELLO"


def test_a_failure_blocks_dependants_and_is_not_recorded(tmp_path: Path) -> None:
    def fail(step: Step) -> dict:
        raise ScreenkitError("boom", path="in.txt")

    ran: list[str] = []
    steps = [
        Step("a", "x", fail, outputs=[tmp_path / "a.txt"]),
        Step("b", "x", lambda s: ran.append("b") or write_text_atomic(tmp_path / "b.txt", "b"),
             outputs=[tmp_path / "b.txt"], after=["a"]),
        Step("c", "x", lambda s: ran.append("c") or write_text_atomic(tmp_path / "c.txt", "c"),
             outputs=[tmp_path / "c.txt"]),
    ]
    results = {r.step: r for r in StepRunner(tmp_path).run(steps)}
    assert results["a"].action == "failed" and "boom" in (results["a"].error or "")
    assert results["b"].action == "blocked"
    assert results["c"].action == "ran"
    assert ran == ["c"]
    state = json.loads((tmp_path / ".screenkit" / "state.json").read_text())
    assert set(state) == {"c"}


def test_independent_steps_run_in_parallel_with_jobs(tmp_path: Path) -> None:
    barrier = threading.Barrier(2, timeout=20)

    def meet(step: Step) -> dict:
        barrier.wait()  # both steps must be running at once, or this times out
        write_text_atomic(tmp_path / f"{step.id}.txt", step.id)
        return {}

    steps = [Step(name, "x", meet, outputs=[tmp_path / f"{name}.txt"]) for name in ("p", "q")]
    results = StepRunner(tmp_path, jobs=2).run(steps)
    assert [r.action for r in results] == ["ran", "ran"]


def test_a_step_that_forgets_its_output_fails(tmp_path: Path) -> None:
    results = StepRunner(tmp_path).run([Step("lazy", "x", lambda s: None, outputs=[tmp_path / "x.txt"])])
    assert results[0].action == "failed"
    assert "did not produce" in (results[0].error or "")


def test_unknown_dependency_is_a_bug_not_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError) as raised:
        StepRunner(tmp_path).run([Step("a", "x", lambda s: None, after=["nope"])])
    assert not isinstance(raised.value, ScreenkitError)


def test_partial_files_of_an_interrupted_run_are_cleaned(tmp_path: Path) -> None:
    (tmp_path / "w").mkdir()
    leftover = tmp_path / "w" / ".copy.abc123.part.mkv"
    leftover.write_bytes(b"half")
    keep = tmp_path / "w" / "copy.mkv"
    keep.write_bytes(b"whole")
    assert clean_partial_files(tmp_path) == 1
    assert not leftover.exists() and keep.exists()
