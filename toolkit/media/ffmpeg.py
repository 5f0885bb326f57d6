"""Finding an ffmpeg, checking what it can do, and running it with progress.

One ffmpeg by default: the static binary the ``imageio-ffmpeg`` wheel ships
(built with libass, fontconfig and libx264: ffmpeg-notes.md), on every
machine, so a package is bit-identical wherever it is built. An ffmpeg that
happens to be on PATH (Debian's comes with mpv, VLC and many other packages)
is never picked on its own. Another binary only when asked:

1. ``--ffmpeg PATH`` or ``--ffmpeg system`` (the ``explicit`` argument),
2. the ``SCREENKIT_FFMPEG`` environment variable (a path, or ``system``).

``system`` means the ``ffmpeg`` on PATH. A chosen binary must run, be at least
:data:`MINIMUM_VERSION`; burning also needs libass (its ``-filters`` lists
``ass`` and ``subtitles``). Each shortfall is one clear line.

Commands are built with ffmpeg-python (``ffmpeg.input(...).output(...)``) and
run here with ``subprocess`` so that ``-progress pipe:1`` can be read while
ffmpeg works and its log kept for a clear error message.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from toolkit.errors import ScreenkitError, ToolMissingError

ENV_VARIABLE = "SCREENKIT_FFMPEG"
SYSTEM = "system"  # --ffmpeg system / SCREENKIT_FFMPEG=system: the ffmpeg on PATH
BUNDLED = "imageio-ffmpeg"
# The oldest ffmpeg screenkit is tested with: Debian 12's 5.1 (the suite runs
# with it via --ffmpeg system). Older builds lack options the commands use.
MINIMUM_VERSION = (5, 1)


@dataclass(frozen=True)
class FFmpeg:
    """One resolved ffmpeg binary and how it was found."""

    path: str
    source: str  # "imageio-ffmpeg", "--ffmpeg", "--ffmpeg system", "SCREENKIT_FFMPEG", ...

    @property
    def version(self) -> str:
        return _version(self.path)

    @property
    def has_libass(self) -> bool:
        return {"ass", "subtitles"} <= _filters(self.path)

    def describe(self) -> str:
        return f"{self.path} ({self.source}; {self.version})"

    def require_libass(self) -> None:
        if not self.has_libass:
            raise ToolMissingError(
                "this ffmpeg was built without libass (no 'subtitles'/'ass' filter), so it cannot "
                f"burn subtitles; chosen via {self.source}. Use --ffmpeg PATH or SCREENKIT_FFMPEG "
                "with a build that has libass, or neither, for the imageio-ffmpeg binary",
                path=self.path,
            )


def _check_runs(path: str, source: str) -> None:
    if not _filters(path):
        raise ToolMissingError(f"not a working ffmpeg (found via {source})", path=path)


def _ask(path: str, question: str) -> subprocess.CompletedProcess[str] | None:
    """``ffmpeg -hide_banner QUESTION`` (``-filters``, ``-version``); None when it cannot run."""
    try:
        return subprocess.run(
            [path, "-hide_banner", question],
            capture_output=True,
            text=True,
            errors="replace",
            timeout=30,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError):
        return None


@lru_cache(maxsize=16)
def _filters(path: str) -> frozenset[str]:
    """Names in ``ffmpeg -filters``; empty when the binary does not run."""
    done = _ask(path, "-filters")
    if done is None or done.returncode != 0:
        return frozenset()
    names = set()
    for line in done.stdout.splitlines():
        # " .. subtitles         V->V       Render text subtitles ..."
        parts = line.split()
        if len(parts) >= 3 and "->" in parts[2]:
            names.add(parts[1])
    return frozenset(names)


@lru_cache(maxsize=16)
def _version(path: str) -> str:
    done = _ask(path, "-version")
    if done is None:
        return "unknown version"
    first = done.stdout.splitlines()[0] if done.stdout else ""
    match = re.match(r"ffmpeg version (\S+)", first)
    return f"ffmpeg {match.group(1)}" if match else (first or "unknown version")


def version_number(version: str) -> tuple[int, ...] | None:
    """(9, 0, 2) from "ffmpeg n9.0.2-17-g2a571b6068", (5, 1, 9) from "ffmpeg 5.1.9-0+deb12u1";
    None for a git snapshot ("ffmpeg N-112233-g...") or an unreadable banner."""
    match = re.match(r"ffmpeg n?(\d+)\.(\d+)(?:\.(\d+))?", version)
    if match is None:
        return None
    return tuple(int(part) for part in match.groups() if part is not None)


def _check_version(path: str, source: str) -> None:
    version = _version(path)
    number = version_number(version)
    if number is None and re.match(r"ffmpeg N-\d+", version):
        return  # a build of ffmpeg's development branch: newer than any release
    wanted = ".".join(map(str, MINIMUM_VERSION))
    if number is None or number < MINIMUM_VERSION:
        raise ToolMissingError(
            f"{version} is older than ffmpeg {wanted}, the oldest screenkit works with (chosen via "
            f"{source}); use a newer one, or neither --ffmpeg nor {ENV_VARIABLE} for the imageio-ffmpeg binary"
            if number is not None
            else f"cannot tell this ffmpeg's version ({version!r}, chosen via {source}); "
            f"screenkit needs ffmpeg {wanted} or newer",
            path=path,
        )


def _executable(candidate: str, source: str) -> str:
    path = shutil.which(candidate) if os.sep not in candidate else candidate
    if path is None or not os.path.isfile(path):
        raise ToolMissingError(f"no ffmpeg at this path (given via {source})", path=candidate)
    if not os.access(path, os.X_OK):
        raise ToolMissingError(f"ffmpeg is not executable (given via {source})", path=path)
    return os.path.abspath(path)


def bundled_ffmpeg_path() -> str:
    """The binary inside the imageio-ffmpeg wheel.

    Looked up in the package's own ``binaries`` folder, not through
    ``imageio_ffmpeg.get_ffmpeg_exe()``: that honours ``IMAGEIO_FFMPEG_EXE`` and
    falls back to whatever ffmpeg is on PATH, the very thing to avoid.
    """
    try:
        from importlib.resources import files

        folder = Path(os.fspath(files("imageio_ffmpeg.binaries")))
    except (ImportError, TypeError) as error:
        raise ToolMissingError(
            f"the imageio-ffmpeg package is not installed ({error}): reinstall screenkit, "
            f"or choose an ffmpeg with --ffmpeg PATH|system or {ENV_VARIABLE}"
        ) from None
    found = sorted(
        path for path in folder.glob("ffmpeg*") if path.is_file() and os.access(path, os.X_OK)
    )
    if not found:
        raise ToolMissingError(
            "the imageio-ffmpeg package has no ffmpeg binary for this platform: choose one with "
            f"--ffmpeg PATH|system or {ENV_VARIABLE}",
            path=folder,
        )
    return os.fspath(found[-1])


def resolve_ffmpeg(explicit: str | os.PathLike[str] | None = None) -> FFmpeg:
    """The ffmpeg to use: ``explicit`` (--ffmpeg), else $SCREENKIT_FFMPEG, else imageio-ffmpeg's."""
    if explicit is not None:
        choice, source = os.fspath(explicit), "--ffmpeg"
    elif os.environ.get(ENV_VARIABLE):
        choice, source = os.environ[ENV_VARIABLE], ENV_VARIABLE
    else:
        return FFmpeg(bundled_ffmpeg_path(), BUNDLED)
    if choice == SYSTEM:
        source = f"{source} {SYSTEM}"
        on_path = shutil.which("ffmpeg")
        if on_path is None:
            raise ToolMissingError(f"no ffmpeg on PATH (asked for by {source})")
        path = os.path.abspath(on_path)
    else:
        path = _executable(choice, source)
    _check_runs(path, source)
    _check_version(path, source)
    return FFmpeg(path, source)


def media_path(path: str | os.PathLike[str]) -> str:
    """A path ffmpeg reads as a plain file whatever its name.

    Absolute paths never start with ``-`` (an option) and never look like a
    protocol (``concat:``, ``http:``): a relative name such as ``a:b.mp4``
    would. ``./`` would do for the dash; absolute covers both.
    """
    return os.path.abspath(os.fspath(path))


# ---------------------------------------------------------------- running


@dataclass
class RunResult:
    returncode: int
    log: str  # ffmpeg's stderr (warnings and errors)


ProgressCallback = Callable[[float], None]  # seconds of output written so far


@dataclass
class RunningFFmpeg:
    """An ffmpeg process inside ``ffmpeg_process``; ``log`` (its stderr) is read when it ends."""

    process: subprocess.Popen[bytes]
    log: str = ""


@contextlib.contextmanager
def ffmpeg_process(
    args: Sequence[str], *, stdout: bool = False, env: dict[str, str] | None = None
) -> Iterator[RunningFFmpeg]:
    """Start ffmpeg (args[0]), its stdout a pipe when asked; wait for it on leaving, kill it
    when the caller raises (Ctrl-C included). stderr goes to a temporary file, not a pipe,
    which could fill up and stall ffmpeg while the caller reads stdout."""
    with tempfile.TemporaryFile(mode="w+b") as log_file:
        try:
            process = subprocess.Popen(
                list(args),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE if stdout else subprocess.DEVNULL,
                stderr=log_file,
                env={**os.environ, **env} if env else None,
            )
        except OSError as error:
            raise ToolMissingError(f"cannot run ffmpeg: {error.strerror}", path=args[0]) from None
        running = RunningFFmpeg(process)
        try:
            yield running
            process.wait()
        except BaseException:
            with contextlib.suppress(OSError):
                process.kill()
            process.wait()
            raise
        finally:
            if process.stdout is not None:
                process.stdout.close()
        log_file.seek(0)
        running.log = log_file.read().decode("utf-8", "replace")


def run_ffmpeg(
    args: Sequence[str],
    *,
    progress: ProgressCallback | None = None,
    what: str = "ffmpeg",
    path_for_errors: str | os.PathLike[str] | None = None,
    env: dict[str, str] | None = None,
    output: str | os.PathLike[str] | None = None,
) -> RunResult:
    """Run a full ffmpeg command line (args[0] is the binary).

    With ``progress``, ``-progress pipe:1 -nostats`` must be in ``args``: the
    key=value blocks on stdout are parsed and ``out_time_us`` (microseconds;
    ``out_time_ms`` is microseconds too despite its name: ffmpeg-notes.md)
    passed on in seconds. stderr goes to a temporary file (not a pipe, which
    could fill up and stall ffmpeg while we read stdout). ``env``: variables
    added to ffmpeg's environment. ``output``: the final name of what ffmpeg
    writes, named when writing failed (a full disk, a read-only folder): ffmpeg
    logs such errors but may still exit 0 (seen with 9.0.2 on a full disk).
    """
    with ffmpeg_process(args, stdout=progress is not None, env=env) as running:
        if progress is not None and running.process.stdout is not None:
            for raw in running.process.stdout:
                key, _, value = raw.decode("utf-8", "replace").strip().partition("=")
                if key == "out_time_us" and value.strip().lstrip("-").isdigit():
                    progress(max(0, int(value)) / 1_000_000)
    log, process = running.log, running.process
    write_failure = _WRITE_ERROR.search(log)
    if output is not None and write_failure:
        from toolkit.fsutil import WriteError

        raise WriteError(f"cannot write: {write_failure.group(0)}", path=output)
    if process.returncode != 0:
        raise ScreenkitError(
            f"{what} failed: {summarize_log(log)}",
            path=path_for_errors,
        )
    return RunResult(process.returncode, log)


_WRITE_ERROR = re.compile(r"No space left on device|Disk quota exceeded|Read-only file system|File too large")


_NOISE = re.compile(r"^(Press \[q\]|Stream mapping|  Stream #|Input #|Output #|  Duration|  Metadata)")
# burn gives libass an empty fontconfig on purpose (only its own fonts): not a cause.
_EXPECTED = re.compile(r"Failed to load fontconfig fonts")
_ERRORISH = re.compile(r"rror|nvalid|Unknown|not found|No such|does not|Could not|[Ff]ailed|Unable|unsupported")


def summarize_log(log: str) -> str:
    """ffmpeg's own words in one line: the first specific error (the cause) and the
    last one (the consequence), e.g. "Unknown encoder 'x'; Error opening output files"."""
    lines = [
        line.strip() for line in log.splitlines()
        if line.strip() and not _NOISE.match(line) and not _EXPECTED.search(line)
    ]
    errors = [line for line in lines if _ERRORISH.search(line)]
    chosen = list(dict.fromkeys([errors[0], errors[-1]])) if errors else lines[-1:]
    return "; ".join(chosen)[:400] or "(no message from ffmpeg)"


def missing_glyphs(log: str) -> list[str]:
    """The characters libass found in no font, each once, in order."""
    seen: dict[str, None] = {}
    for match in _MISSING_GLYPH.finditer(log):
        seen[chr(int(match.group(1), 16))] = None
    return list(seen)


_MISSING_GLYPH = re.compile(r"failed to find any fallback with glyph 0x([0-9A-Fa-f]+)")


def temp_dir(prefix: str) -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix=prefix)


