"""Where a job's translation runs: in this process (local), or on a Ray cluster.

The job hands an executor one piece of work per language pair: the translator
the factory made for that pair and the texts (all segments of all its files,
glossary-protected). The executor returns the outputs of each piece, in
order; reading, splitting back and writing stay in the job, so every executor
writes files through the same code. A translator that is not made of argos
models (a script conversion, say) is just called: an executor only needs to
know the ones it can send elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from toolkit.errors import ScreenkitError
from toolkit.translate.engine import SegmentTranslator


@dataclass
class PairWork:
    """All the texts of one language pair of a job, and the translator for them."""

    pair: tuple[str, str]  # (source tag, target tag)
    translator: SegmentTranslator
    texts: list[str]


Done = Callable[[PairWork, list[str]], None]


class Executor(Protocol):
    def run(self, work: Sequence[PairWork], done: Done) -> None:
        """Translate every piece; call ``done(piece, outputs)`` for each, in the order given."""
        ...

    def close(self) -> None:
        """Let go of what ``run`` set up (a Ray it started); the executor may run again after."""
        ...


class LocalExecutor:
    """One pair after the other, in this process (the translators' own batched calls)."""

    def run(self, work: Sequence[PairWork], done: Done) -> None:
        for piece in work:
            done(piece, piece.translator.translate(piece.texts))

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class ExecutorSpec:
    """``--executor local|ray[:ADDRESS]`` and the Ray actor pool's size."""

    kind: str = "local"
    address: str | None = None  # None: RAY_ADDRESS, or a local Ray started for the job
    actors: int | None = None  # None: one per node of the cluster
    cpus_per_actor: float | None = None  # None: all the CPUs of the smallest node
    gpus_per_actor: float = 0.0

    def validate(self) -> None:
        if self.actors is not None and self.actors < 1:
            raise ScreenkitError(f"--actors must be 1 or more, got {self.actors}")
        if self.cpus_per_actor is not None and self.cpus_per_actor <= 0:
            raise ScreenkitError(f"--cpus-per-actor must be more than 0, got {self.cpus_per_actor}")
        if self.gpus_per_actor < 0:
            raise ScreenkitError(f"--gpus-per-actor must be 0 or more, got {self.gpus_per_actor}")
        if self.kind == "local" and (self.actors or self.cpus_per_actor or self.gpus_per_actor):
            raise ScreenkitError("--actors, --cpus-per-actor and --gpus-per-actor need --executor ray")


def parse_executor(text: str) -> ExecutorSpec:
    """``local``, ``ray`` (RAY_ADDRESS or a local Ray), ``ray:auto``, ``ray:HOST:PORT``, ``ray:ray://HOST:PORT``."""
    value = text.strip()
    if value == "local":
        return ExecutorSpec()
    if value == "ray":
        return ExecutorSpec(kind="ray")
    if value.startswith("ray:") and value[4:].strip():
        return ExecutorSpec(kind="ray", address=value[4:].strip())
    raise ScreenkitError(f"--executor must be local, ray or ray:ADDRESS (ray:auto, ray:HOST:6379), got {text!r}")


RAY_INSTALL_HINT = "--executor ray needs Ray, which is not installed: pip install 'screenkit[ray]'"


def make_executor(spec: ExecutorSpec) -> Executor:
    """The executor a spec names; Ray is imported only here, and only for ``ray``."""
    spec.validate()
    if spec.kind == "local":
        return LocalExecutor()
    try:
        import ray
        import ray.data  # noqa: F401  (the [data] part: pyarrow, pandas)
    except ImportError:
        raise ScreenkitError(RAY_INSTALL_HINT) from None
    from toolkit.translate.ray_executor import RayExecutor

    return RayExecutor(spec)
