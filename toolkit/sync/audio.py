"""Speech activity of a media file: ffmpeg decodes to 16 kHz mono PCM, WebRTC's VAD judges each 10 ms.

ffsubsync does the same with 48 kHz (sync-notes.md); the VAD works at 8-48 kHz
and 16 kHz is a third of the samples to move through the pipe. ffmpeg's
stdout is read as it decodes, so a feature film never sits in memory as PCM
(90 minutes would be 173 MB); only the one-byte-per-window string is kept.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import numpy as np

from toolkit.errors import ScreenkitError
from toolkit.media.ffmpeg import FFmpeg, ffmpeg_process, media_path, resolve_ffmpeg, summarize_log
from toolkit.sync.activity import Activity
from toolkit.sync.model import FRAME_MS

SAMPLE_RATE = 16_000
FRAME_BYTES = SAMPLE_RATE * FRAME_MS // 1000 * 2  # s16le mono
CHUNK_FRAMES = 500  # read 5 s of audio at a time
# WebRTC's most aggressive mode, as ffsubsync's webrtc VAD uses: music and
# room noise are less often taken for speech.
VAD_MODE = 3

# WebRTC's VAD goes on calling it speech for a while after speech stops
# (its hangover): measured on the tests' voices, runs end 6-8 windows late on
# average and start 1-4 late, which would bias every offset by ~40 ms. Each
# run's tail is trimmed by this many windows (runs shorter than it, clicks,
# are dropped with it).
HANGOVER_FRAMES = 6

ProgressCallback = Callable[[float], None]  # seconds of audio analysed


def decode_command(ffmpeg: FFmpeg, path: str | os.PathLike[str], stream: int = 0) -> list[str]:
    """The ffmpeg command line that writes the audio as 16 kHz mono s16le on stdout."""
    return [
        ffmpeg.path, "-hide_banner", "-nostdin", "-loglevel", "error",
        "-i", media_path(path),
        "-map", f"0:a:{stream}", "-vn", "-sn", "-dn",
        "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1",
    ]  # fmt: skip


def speech_activity(
    path: str | os.PathLike[str],
    *,
    ffmpeg: FFmpeg | None = None,
    stream: int = 0,
    progress: ProgressCallback | None = None,
) -> Activity:
    """1 per 10 ms window where the VAD hears speech in audio stream ``stream`` of ``path``."""
    import webrtcvad

    ffmpeg = ffmpeg or resolve_ffmpeg()
    from toolkit.fsutil import require_regular_file

    require_regular_file(path, kind="media file", missing="no such media file")  # a FIFO would block ffmpeg
    vad = webrtcvad.Vad(VAD_MODE)
    judged: list[bool] = []
    with ffmpeg_process(decode_command(ffmpeg, path, stream), stdout=True) as running:
        stdout = running.process.stdout
        assert stdout is not None
        is_speech = vad.is_speech
        pending = b""
        while True:
            data = stdout.read(CHUNK_FRAMES * FRAME_BYTES)
            if not data:
                break
            data = pending + data
            whole = len(data) - len(data) % FRAME_BYTES
            judged.extend(
                is_speech(data[at : at + FRAME_BYTES], SAMPLE_RATE) for at in range(0, whole, FRAME_BYTES)
            )
            pending = data[whole:]
            if progress is not None:
                progress(len(judged) * FRAME_MS / 1000)
    log, process = running.log, running.process
    if process.returncode != 0:
        if "matches no streams" in log:
            raise ScreenkitError(
                "no audio stream to sync against" if stream == 0 else f"no audio stream number {stream}",
                path=path,
            )
        raise ScreenkitError(f"cannot decode the audio: {summarize_log(log)}", path=path)
    return trim_hangover(np.fromiter(judged, dtype=np.uint8, count=len(judged)))


def trim_hangover(activity: Activity, frames: int = HANGOVER_FRAMES) -> Activity:
    """Speech only where the next ``frames`` windows are speech too (each run loses its tail)."""
    if frames <= 0 or activity.size == 0:
        return activity
    padded = np.concatenate([activity, np.zeros(frames, dtype=np.uint8)])
    kept = activity.copy()
    for ahead in range(1, frames + 1):
        kept &= padded[ahead : ahead + activity.size]
    return kept


_CACHE: dict[tuple[str, int, int, str, int], Activity] = {}
# package runs steps in threads: two tracks of one film must not decode it twice.
_CACHE_LOCK = threading.Lock()


def cached_speech_activity(
    path: str | os.PathLike[str], *, ffmpeg: FFmpeg | None = None, stream: int = 0
) -> Activity:
    """:func:`speech_activity`, decoded once per file (by path, size and mtime) in this process.

    validate and package measure every track of a work against the same
    audio: one decode serves them all.
    """
    ffmpeg = ffmpeg or resolve_ffmpeg()
    status = os.stat(path)
    key = (os.path.abspath(path), status.st_size, status.st_mtime_ns, ffmpeg.path, stream)
    with _CACHE_LOCK:
        if key not in _CACHE:
            if len(_CACHE) >= 8:  # a few films' worth (~0.5 MB per 90 minutes)
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = speech_activity(path, ffmpeg=ffmpeg, stream=stream)
        return _CACHE[key]
