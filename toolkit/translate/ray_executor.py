"""The Ray executor: a job's missing segments as a Ray Dataset, translated by an actor pool.

Only this module imports Ray (``pip install 'screenkit[ray]'``), and only
``--executor ray`` imports this module.

What stays on the driver: reading, the cache look-up (hits never leave it),
the cache writes and the files. What goes to the cluster: the chunks of
segments that are missing, one Dataset row per chunk, through
``map_batches`` with an actor class that loads each CTranslate2 translator
once per actor (ray-notes.md, "map_batches with a callable class").

Byte-identical to the local executor because the chunks are the ones
:class:`~toolkit.translate.cache.CachedTranslator` would send (cut from all
of a call's segments sorted by length, then the known ones left out) and each
chunk is translated by the same :class:`ArgosPairTranslator` code: a model's
output can depend on what else is in its batch, so the batches must match.

Models reach the workers without a shared file system: the installed
package folder is zipped once, put in the object store once
(``ray.put``, one copy per node), and unpacked once per node into a folder
named by its fingerprint, which the worker checks against the driver's.

Faults: the actor pool restarts a killed actor and retries its calls
(``max_restarts=-1``, ``max_task_retries=-1``: ray-notes.md, "Fault
tolerance"); a chunk is idempotent (same input, same output) and counted
once. Every chunk's results are committed to the cache as soon as they reach
the driver, so a driver killed with ``kill -9`` and re-run translates only
the chunks that never came back.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import socket
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import ray
import ray.data
import ray.exceptions

from toolkit.errors import ScreenkitError
from toolkit.translate.cache import CachedTranslator
from toolkit.translate.engine import (
    ArgosPairTranslator,
    EngineOptions,
    PivotTranslator,
    SegmentTranslator,
)
from toolkit.translate.executor import Done, ExecutorSpec, PairWork
from toolkit.translate.models import InstalledModel, model_fingerprint

# A chunk per Dataset row and a row per block: chunks stream back (and are
# committed) one by one, and an actor pool of any size has blocks to share.
ROWS_PER_BATCH = 1


@dataclass(frozen=True)
class ModelShipment:
    """What a worker needs to rebuild an installed model: its files (by object ref) and its identity."""

    package: list[ray.ObjectRef]  # nested in a list so Ray hands the ref over, not 100 MB per actor
    folder: str
    model: InstalledModel
    fingerprint: str
    options: EngineOptions


def _zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    # Stored, not deflated: int8 weights hardly compress and zipping 100 MB would cost seconds.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(folder.parent).as_posix())
    return buffer.getvalue()


def _node_model_folder(shipment: ModelShipment) -> Path:
    """The package unpacked on this node, once: a folder named by the model's fingerprint."""
    digest = hashlib.sha256(shipment.fingerprint.encode()).hexdigest()[:16]
    home = Path(tempfile.gettempdir()) / "screenkit-ray-models" / digest
    unpacked = home / shipment.folder
    if not (home / "complete").exists():
        home.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f".{digest}-", dir=home.parent))
        data = ray.get(shipment.package[0])
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            archive.extractall(scratch)
        (scratch / "complete").write_text(shipment.fingerprint, encoding="utf-8")
        try:
            scratch.rename(home)  # atomic; another actor on the node may have won the race
        except OSError:
            import shutil

            shutil.rmtree(scratch, ignore_errors=True)
    return unpacked


class ChunkTranslator:
    """The ``map_batches`` actor: rows of (chunk id, model key, texts) → translated texts."""

    def __init__(self, models: dict[str, ModelShipment], threads: int, device: str) -> None:
        self.models = models
        self.threads = threads
        self.device = device
        self.translators: dict[str, ArgosPairTranslator] = {}

    def _translator(self, key: str) -> ArgosPairTranslator:
        if key not in self.translators:
            shipment = self.models[key]
            model = replace(shipment.model, path=_node_model_folder(shipment))
            found = model_fingerprint(model)
            if found != shipment.fingerprint:
                raise RuntimeError(f"model unpacked on this node is {found}, the driver has {shipment.fingerprint}")
            options = replace(shipment.options, threads=self.threads, device=self.device)
            self.translators[key] = ArgosPairTranslator(model, options)
        return self.translators[key]

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        outputs = []
        for key, texts in zip(batch["model"], batch["texts"], strict=True):
            translated = self._translator(str(key)).translate(json.loads(str(texts)))
            outputs.append(json.dumps(translated, ensure_ascii=False))
        return {"chunk": batch["chunk"], "outputs": np.array(outputs, dtype=object)}


@dataclass
class _Call:
    """One ``translate`` call the local executor would make: one leg of one pair."""

    piece: int
    leg: SegmentTranslator
    remote: bool
    stage: int
    previous: _Call | None  # the leg before this one in the same pair (a pivot's first)
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    known: dict[str, str] = field(default_factory=dict)


@dataclass
class _Chunk:
    leg: CachedTranslator
    texts: list[str]


def _legs(translator: SegmentTranslator) -> list[SegmentTranslator]:
    if isinstance(translator, PivotTranslator):
        return _legs(translator.first) + _legs(translator.second)
    return [translator]


def is_remote(leg: SegmentTranslator) -> bool:
    """A leg the cluster can run: a cached argos model. Anything else runs on the driver."""
    return isinstance(leg, CachedTranslator) and isinstance(leg.inner, ArgosPairTranslator)


def schedule(work: Sequence[PairWork], remote: Callable[[SegmentTranslator], bool] = is_remote) -> list[_Call]:
    """The local executor's calls, in its order, each given the earliest stage it can run in.

    A leg needs its predecessor's outputs (zh→en before en→fr of a pivot):
    one stage later if that one ran on the cluster. Calls of the same leg keep
    their order (a later call leaves out what an earlier one translates).
    """
    calls: list[_Call] = []
    last_stage: dict[int, int] = {}
    for index, piece in enumerate(work):
        previous: _Call | None = None
        for leg in _legs(piece.translator):
            stage = 0 if previous is None else previous.stage + (1 if previous.remote else 0)
            stage = max(stage, last_stage.get(id(leg), 0))
            last_stage[id(leg)] = stage
            previous = _Call(index, leg, remote(leg), stage, previous)
            calls.append(previous)
    return calls


class ChunkPlanner:
    """The local executor's calls replayed as stages; each stage's missing chunks sent at once.

    How the chunks are sent is :meth:`send`'s business (the Ray Dataset in
    :class:`RayExecutor`); the rest (cache look-up, chunking, commits,
    counters, progress) is here, so that it can be checked against
    :class:`CachedTranslator` without a cluster.
    """

    def remote(self, leg: SegmentTranslator) -> bool:
        return is_remote(leg)

    def close(self) -> None:
        pass

    def send(self, chunks: list[_Chunk]) -> Iterator[tuple[int, list[str]]]:
        """(chunk number, outputs) for every chunk, in any order, each at least once."""
        raise NotImplementedError

    def run(self, work: Sequence[PairWork], done: Done) -> None:
        calls = schedule(work, self.remote)
        for stage in sorted({call.stage for call in calls}):
            self._run_stage(work, [c for c in calls if c.stage == stage])
        for index, piece in enumerate(work):
            done(piece, [c for c in calls if c.piece == index][-1].outputs)

    def _run_stage(self, work: Sequence[PairWork], stage: list[_Call]) -> None:
        chunks: list[_Chunk] = []
        planned: dict[int, set[str]] = {}  # per leg: texts an earlier call of this stage translates
        for call in stage:
            call.inputs = call.previous.outputs if call.previous else work[call.piece].texts
            if not call.remote:
                call.outputs = call.leg.translate(call.inputs)
                continue
            chunks.extend(self._plan_call(call, planned.setdefault(id(call.leg), set())))
        resolved = self._collect(chunks) if chunks else {}
        for call in stage:
            if call.remote:
                table = resolved.get(id(call.leg), {})
                call.outputs = [call.known[t] if t in call.known else table[t] for t in call.inputs]

    def _plan_call(self, call: _Call, planned: set[str]) -> list[_Chunk]:
        """What CachedTranslator.translate would send, without sending it: the same chunks."""
        leg = call.leg
        assert isinstance(leg, CachedTranslator)
        unique = list(dict.fromkeys(call.inputs))
        call.known = leg.cache.lookup(leg.key, unique) if leg.cache else {}
        leg.hits += sum(1 for text in call.inputs if text in call.known or text in planned)
        if leg.progress:
            leg.progress(sum(1 for text in unique if text in call.known or text in planned))
        for text in unique:
            if not text.strip():
                call.known[text] = text
        ordered = sorted((text for text in unique if text.strip()), key=len)
        chunks = []
        for start in range(0, len(ordered), leg.chunk):
            texts = [t for t in ordered[start : start + leg.chunk] if t not in call.known and t not in planned]
            if texts:
                chunks.append(_Chunk(leg, texts))
        planned.update(ordered)
        return chunks

    def _collect(self, chunks: list[_Chunk]) -> dict[int, dict[str, str]]:
        """Each chunk committed to the cache as soon as it is back; per leg, source → output."""
        resolved: dict[int, dict[str, str]] = {}
        received: set[int] = set()
        for number, outputs in self.send(chunks):
            if number in received:
                continue  # a retried block sent it again: the same texts, counted once
            chunk = chunks[number]
            if len(outputs) != len(chunk.texts):
                raise ScreenkitError(f"bug: chunk {number} came back with {len(outputs)} of {len(chunk.texts)} texts", exit_code=3)
            pairs = list(zip(chunk.texts, outputs, strict=True))
            if chunk.leg.cache:
                chunk.leg.cache.store(chunk.leg.key, pairs)
            resolved.setdefault(id(chunk.leg), {}).update(pairs)
            received.add(number)
            chunk.leg.translated += len(chunk.texts)
            if chunk.leg.progress:
                chunk.leg.progress(len(chunk.texts))
        if len(received) != len(chunks):  # ray-notes.md: a dropped block can pass silently
            raise ScreenkitError(f"the cluster returned {len(received)} of {len(chunks)} chunks", exit_code=3)
        return resolved


class RayExecutor(ChunkPlanner):
    """Each stage's missing chunks, of every pair, as one Dataset over one actor pool."""

    def __init__(self, spec: ExecutorSpec) -> None:
        self.spec = spec
        self.connect = _Connect(spec.address)
        self.shipments: dict[str, ModelShipment] = {}  # put in the object store once per job
        self.chunks_sent = 0
        self.datasets_run = 0

    def close(self) -> None:
        """Shut down the Ray this executor started (one it found running is left alone)."""
        self.connect.close()

    def send(self, chunks: list[_Chunk]) -> Iterator[tuple[int, list[str]]]:
        self.connect()
        rows = []
        for number, chunk in enumerate(chunks):
            rows.append({"chunk": number, "model": self._ship(chunk.leg), "texts": json.dumps(chunk.texts, ensure_ascii=False)})
        actors, cpus = self._pool_size(len(rows))
        inner = chunks[0].leg.inner
        assert isinstance(inner, ArgosPairTranslator)
        # Threads and device do not change the output (EngineOptions.cache_key); an actor
        # uses the CPUs it was given, and a GPU only when it was given one.
        threads = inner.options.threads or max(1, round(cpus))
        device = "cuda" if self.spec.gpus_per_actor > 0 else ("cpu" if inner.options.device == "auto" else inner.options.device)
        dataset = ray.data.from_items(rows, override_num_blocks=len(rows))
        translated = dataset.map_batches(
            ChunkTranslator,
            fn_constructor_kwargs={"models": dict(self.shipments), "threads": threads, "device": device},
            batch_size=ROWS_PER_BATCH,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=actors),
            num_cpus=cpus,
            num_gpus=self.spec.gpus_per_actor or None,
            # Not passed, because only the deprecated **ray_remote_args take them: Ray Data's
            # actor pools default to max_restarts=-1 and max_task_retries=-1 (ray-notes.md),
            # i.e. a killed actor is restarted and its calls retried; the fault test checks it.
        )
        self.chunks_sent += len(chunks)
        self.datasets_run += 1
        try:
            for row in translated.iter_rows():
                yield int(row["chunk"]), json.loads(str(row["outputs"]))
        except ray.exceptions.RayError as error:
            raise ScreenkitError(f"the Ray job failed: {_last_line(error)}") from None

    def _ship(self, leg: CachedTranslator) -> str:
        if leg.key not in self.shipments:
            inner = leg.inner
            assert isinstance(inner, ArgosPairTranslator)
            model = inner.model
            reference = ray.put(_zip_folder(model.path))
            self.shipments[leg.key] = ModelShipment(
                package=[reference],
                folder=model.path.name,
                model=replace(model, path=Path(model.path.name)),
                fingerprint=model_fingerprint(model),
                options=inner.options,
            )
        return leg.key

    def _pool_size(self, rows: int) -> tuple[int, float]:
        """(actors, CPUs per actor): as asked, else one actor per node with all its CPUs."""
        nodes = [node for node in ray.nodes() if node.get("Alive")]
        cpus = self.spec.cpus_per_actor
        if cpus is None:
            cpus = float(min((node.get("Resources", {}).get("CPU", 1.0) for node in nodes), default=1.0))
        actors = self.spec.actors or max(1, len(nodes))
        return max(1, min(actors, rows)), cpus


class _Connect:
    """Connect to Ray on first need (a job whose segments are all cached never does)."""

    def __init__(self, address: str | None) -> None:
        self.address = address
        self.started = False

    def __call__(self) -> None:
        if not ray.is_initialized():
            self._init()
        context = ray.data.DataContext.get_current()  # before any Dataset: each copies it (ray-notes.md)
        context.enable_progress_bars = False  # the CLI draws its own bar
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        # It would say, once, that progress bars are off: we turned them off on purpose.
        logging.getLogger("ray.data._internal.progress").setLevel(logging.ERROR)

    def _init(self) -> None:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # ray-notes.md: no usage reports
        where = self.address or os.environ.get("RAY_ADDRESS") or "a new local Ray"
        _check_reachable(self.address)
        if not self.address and not os.environ.get("RAY_ADDRESS"):
            # A Ray started for this job only, on this machine: its notice that token
            # authentication is on is about a cluster nobody else joins (ray-notes.md).
            logging.getLogger("ray._private.authentication.authentication_token_setup").setLevel(logging.ERROR)
        try:
            ray.init(address=self.address, log_to_driver=False, logging_level=logging.WARNING)
        except (ConnectionError, RuntimeError, ValueError) as error:
            raise ScreenkitError(f"cannot connect to the Ray cluster at {where} ({_last_line(error)})") from None
        self.started = True

    def close(self) -> None:
        if self.started:
            ray.shutdown()
            self.started = False


def _check_reachable(address: str | None) -> None:
    """A HOST:PORT that refuses connections fails now; Ray itself would retry for minutes."""
    if not address or "://" in address or address == "auto":
        return
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ScreenkitError(f"--executor ray:{address}: expected ray:auto, ray:HOST:PORT or ray:ray://HOST:PORT")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
    except OSError as error:
        raise ScreenkitError(f"cannot connect to the Ray cluster at {address} ({error.strerror or error})") from None


def _last_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[-1] if text else type(error).__name__
