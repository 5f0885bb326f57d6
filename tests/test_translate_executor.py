"""The executors' contract, without a cluster: the Ray executor's plan is the local executor's calls.

Byte-identical output on Ray rests on one invariant: the chunks it sends are
exactly the ones the local executor's CachedTranslator sends (same texts, so
the same batches), for any mix of pairs, pivots, shared legs, duplicates,
blank segments and a half-filled cache; and the counters, cache and outputs
end the same. Checked here with hypothesis on the planner (the part of the
Ray executor that is not Ray), with a fake model; tests/test_translate_ray.py
runs the same code on a real Ray with real models.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinymodel import FakeTranslator

from toolkit.errors import ScreenkitError
from toolkit.translate.cache import CachedTranslator, TranslationCache
from toolkit.translate.engine import PivotTranslator, SegmentTranslator
from toolkit.translate.executor import ExecutorSpec, LocalExecutor, PairWork, parse_executor
from toolkit.translate.ray_executor import ChunkPlanner, _Chunk, schedule


class InProcessPlanner(ChunkPlanner):
    """The Ray executor's planning, with the chunks translated here instead of on actors."""

    def remote(self, leg: SegmentTranslator) -> bool:
        return isinstance(leg, CachedTranslator)

    def send(self, chunks: list[_Chunk]) -> Iterator[tuple[int, list[str]]]:
        # Backwards, and the first one back comes twice: Ray keeps no order, and a retried
        # block can deliver a chunk again.
        outputs = {}
        for number in reversed(range(len(chunks))):
            outputs[number] = chunks[number].leg.inner.translate(chunks[number].texts)  # type: ignore[attr-defined]
            yield number, outputs[number]
        yield len(chunks) - 1, outputs[len(chunks) - 1]


TEXTS = st.lists(st.sampled_from(["一", "二三", "四五六", "七", "", " ", "八九", "十十十十"]), max_size=12)
# A and B: model legs (cached, on the cluster); "AC": a model then a driver-side step (as
# en → zh-Hans → zh-Hant conversion is).
PIECES = st.lists(st.tuples(st.sampled_from(["A", "B", "AB", "AC"]), TEXTS), min_size=1, max_size=4)


def _run(executor: LocalExecutor | InProcessPlanner, pieces: list[tuple[str, list[str]]], cached: list[str], chunk: int, folder: Path) -> tuple:
    cache = TranslationCache(folder / "cache.sqlite")
    cache.store("A", [(text, f"a:{text}") for text in cached])
    legs = {name: CachedTranslator(FakeTranslator(key=name), cache, chunk=chunk) for name in "AB"}
    translators: dict[str, SegmentTranslator] = {
        "A": legs["A"], "B": legs["B"], "AB": PivotTranslator(legs["A"], legs["B"]),
        "AC": PivotTranslator(legs["A"], FakeTranslator({"一": "壹"}, key="C")),
    }  # fmt: skip
    work = [PairWork(("x", str(n)), translators[kind], texts) for n, (kind, texts) in enumerate(pieces)]
    results: list[list[str]] = []
    executor.run(work, lambda piece, outputs: results.append(outputs))
    sent = sorted(tuple(call) for leg in legs.values() for call in leg.inner.calls)  # type: ignore[attr-defined]
    counters = [(leg.hits, leg.translated) for leg in legs.values()]
    rows = cache._db.execute("SELECT model, source, target FROM translations ORDER BY 1, 2").fetchall()
    cache.close()
    return results, sent, counters, rows


@settings(max_examples=60, deadline=None)
@given(pieces=PIECES, cached=st.lists(st.sampled_from(["一", "四五六", "八九"]), max_size=3), chunk=st.integers(1, 4))
def test_the_planner_sends_the_local_executors_chunks(pieces: list[tuple[str, list[str]]], cached: list[str], chunk: int) -> None:
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
        local = _run(LocalExecutor(), pieces, cached, chunk, Path(one))
        planned = _run(InProcessPlanner(), pieces, cached, chunk, Path(two))
    results, sent, counters, rows = local
    assert planned[0] == results  # outputs, in the order of the pieces
    assert planned[1] == sent  # the same chunks sent to the model, each once
    assert planned[2] == counters  # hits and translated segments (a repeat counted once)
    assert planned[3] == rows  # the cache


def test_a_pivot_waits_for_its_first_leg_and_a_shared_leg_keeps_its_order() -> None:
    first, second = CachedTranslator(FakeTranslator(key="A"), None), CachedTranslator(FakeTranslator(key="B"), None)
    work = [
        PairWork(("zh", "en"), first, ["一"]),
        PairWork(("zh", "fr"), PivotTranslator(first, second), ["一"]),
        PairWork(("en", "fr"), second, ["one"]),
        PairWork(("zh-Hans", "zh-Hant"), FakeTranslator(key="convert"), ["一"]),  # runs on the driver
    ]
    stages = [(c.piece, c.stage, c.remote) for c in schedule(work, lambda leg: isinstance(leg, CachedTranslator))]
    assert stages == [(0, 0, True), (1, 0, True), (1, 1, True), (2, 1, True), (3, 0, False)]


@pytest.mark.parametrize(
    "text, kind, address",
    [("local", "local", None), ("ray", "ray", None), ("ray:auto", "ray", "auto"), ("ray:10.0.0.5:6379", "ray", "10.0.0.5:6379"), ("ray:ray://head:10001", "ray", "ray://head:10001")],
)
def test_executor_names(text: str, kind: str, address: str | None) -> None:
    spec = parse_executor(text)
    assert (spec.kind, spec.address) == (kind, address)


@pytest.mark.parametrize("text", ["", "ray:", "spark", "Ray", "local:host"])
def test_bad_executor_names(text: str) -> None:
    with pytest.raises(ScreenkitError, match="--executor must be"):
        parse_executor(text)


def test_pool_options_need_ray() -> None:
    with pytest.raises(ScreenkitError, match="need --executor ray"):
        ExecutorSpec(actors=2).validate()
