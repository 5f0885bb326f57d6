"""Speech-like audio at known times for the sync tests, and tracks timed to it.

Two voices: synthetic voiced bursts (a glottal-like harmonic series with a
wandering pitch, three formant bumps and 4 Hz syllables: WebRTC's VAD takes
them for speech and needs nothing installed) and espeak-ng's real synthesis
when Debian's espeak-ng is there (.ci/run installs it). Utterances and gaps
have irregular lengths (a fixed seed), as dialogue does: a regular rhythm
would let the track match at more than one offset.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from toolkit.subtitles.model import Cue, Track

SENTENCES = [
    "Good evening and welcome to the festival.",
    "Tonight we show a film about the sea.",
    "It was shot on a small island in winter.",
    "The director is here with us.",
    "Please switch off your phones.",
    "Thank you, and enjoy the screening.",
    "The boat left the harbour before dawn.",
    "Nobody on board knew the way back.",
]


@dataclass(frozen=True)
class Speech:
    path: Path
    utterances: list[tuple[int, int]]  # (start_ms, end_ms) of each utterance, the truth
    words: tuple[str, ...] = ()  # what each utterance says, when it says something

    def track(self) -> Track:
        """One cue per utterance, exactly on it."""
        texts = self.words or tuple(f"Line {number}" for number in range(1, len(self.utterances) + 1))
        cues = [Cue(start, end, [text]) for text, (start, end) in zip(texts, self.utterances, strict=True)]
        return Track(cues=cues, format="srt")


def _write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())


def _burst(seconds: float, rng: np.random.Generator, rate: int) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    pitch = rng.uniform(100, 180) * (1 + 0.1 * np.sin(2 * np.pi * 0.7 * t + rng.uniform(0, 6)))
    phase = 2 * np.pi * np.cumsum(pitch) / rate
    voice = np.zeros_like(t)
    for k in range(1, 16):
        gain = sum(np.exp(-(((k * pitch) - f) / b) ** 2) for f, b in ((700, 150), (1200, 200), (2600, 300)))
        voice += (0.2 + gain) / k * np.sin(k * phase)
    syllables = 0.5 * (1 - np.cos(2 * np.pi * rng.uniform(3.5, 5) * t))
    edges = np.minimum(1, np.minimum(t, seconds - t) / 0.02)
    return voice * syllables * edges


def _schedule(seconds: float, rng: np.random.Generator) -> list[tuple[float, float]]:
    spans, at = [], 1.0
    while True:
        length = rng.uniform(0.8, 2.6)
        if at + length > seconds - 0.5:
            return spans
        spans.append((at, at + length))
        at += length + rng.uniform(0.4, 2.6)


def synthetic_speech(path: Path, seconds: float = 40.0, seed: int = 7, rate: int = 16_000) -> Speech:
    rng = np.random.default_rng(seed)
    signal = rng.normal(0, 0.003, int(seconds * rate))  # a quiet room, not digital silence
    spans = _schedule(seconds, rng)
    for start, end in spans:
        burst = _burst(end - start, rng, rate)
        at = int(start * rate)
        signal[at : at + len(burst)] += 0.4 * burst / np.abs(burst).max()
    _write_wav(path, signal, rate)
    return Speech(path, [(round(start * 1000), round(end * 1000)) for start, end in spans])


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def espeak_speech(
    path: Path, seconds: float = 40.0, seed: int = 7, words_per_minute: tuple[int, int] = (150, 190)
) -> Speech:
    """Real synthesised English at the same irregular times (the sentences in turn)."""
    rng = np.random.default_rng(seed)
    rate = 22_050  # espeak-ng's output rate
    signal = rng.normal(0, 0.002, int(seconds * rate))
    utterances, words = [], []
    at = 1.0
    with tempfile.TemporaryDirectory() as scratch:
        for number in range(100):
            clip_path = Path(scratch) / f"{number}.wav"
            text = SENTENCES[number % len(SENTENCES)]
            subprocess.run(
                ["espeak-ng", "-s", str(int(rng.uniform(*words_per_minute))), "-w", str(clip_path), text],
                check=True, stdin=subprocess.DEVNULL, timeout=60,
            )  # fmt: skip
            with wave.open(str(clip_path)) as clip:
                assert clip.getframerate() == rate
                voice = np.frombuffer(clip.readframes(clip.getnframes()), "<i2") / 32768
            loud = np.flatnonzero(np.abs(voice) > 0.02)
            voice = voice[loud[0] : loud[-1] + 1]  # the utterance without espeak's silent edges
            if at + len(voice) / rate > seconds - 0.5:
                break
            start = int(at * rate)
            signal[start : start + len(voice)] += voice
            utterances.append((round(at * 1000), round((at + len(voice) / rate) * 1000)))
            words.append(text)
            at += len(voice) / rate + rng.uniform(0.4, 2.6)
    _write_wav(path, signal, rate)
    return Speech(path, utterances, tuple(words))


def moved(track: Track, *, shift_ms: int = 0, scale: float = 1.0, from_cue: int = 0) -> Track:
    """The track as a wrong copy would have it: cues from ``from_cue`` on scaled then shifted."""
    copy = track.copy()
    for cue in copy.cues[from_cue:]:
        cue.start = round(cue.start * scale) + shift_ms
        cue.end = round(cue.end * scale) + shift_ms
    return copy
