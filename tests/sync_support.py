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
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from toolkit.subtitles.model import Cue, Track
from toolkit.sync.activity import Activity
from toolkit.sync.audio import vad_activity

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


# --------------------------------------------------------------------------- composed films, any length
#
# A film of any length is composed from a small bank of voiced clips (espeak-ng
# reading sentences at several speeds, pitches and voices; synthetic bursts
# without espeak-ng) laid at irregular times over a background: digital
# silence, room noise 20 dB under the speech, or a music bed 10 dB under it.
# Long films are never held as audio: they are rendered CHUNK_SECONDS at a
# time straight into WebRTC's VAD (the same judge sync uses), so three hours
# cost about two seconds of VAD and no disk.

MORE_SENTENCES = [
    "We will meet again at the lighthouse.",
    "Why did you never write to me?",
    "The rain has not stopped for three days.",
    "I kept every letter you sent.",
    "Come inside, the soup is getting cold.",
    "Nobody believed the old fisherman.",
    "Listen. Can you hear the engine?",
    "She sold the house and left the town.",
    "My father built this boat with his own hands.",
    "It is too late to go back now.",
    "Tomorrow the ferry leaves at six.",
    "Do you remember the summer of the storm?",
    "I am not afraid of the dark.",
    "They found the map under the floor.",
    "Tell me the truth, just once.",
    "The children ran down to the beach.",
]
BACKGROUNDS = ("silence", "room", "music")
FILM_RATE = 16_000  # what sync's VAD judges
CHUNK_SECONDS = 30.0
SPEECH_RMS = 0.1  # every clip is levelled to -20 dBFS
BACKGROUND_DB = {"room": 20.0, "music": 10.0}  # under the speech


def _resample(samples: np.ndarray, source: int, target: int = FILM_RATE) -> np.ndarray:
    if source == target:
        return samples
    count = int(len(samples) * target / source)
    return np.interp(np.arange(count) * (source / target), np.arange(len(samples)), samples)


@cache
def voice_bank(kind: str = "espeak") -> tuple[tuple[np.ndarray, str], ...]:
    """Voiced clips at FILM_RATE, each levelled to SPEECH_RMS, with what each says."""
    rng = np.random.default_rng(2024)
    clips: list[tuple[np.ndarray, str]] = []
    texts = [*SENTENCES, *MORE_SENTENCES]
    with tempfile.TemporaryDirectory() as scratch:
        for number, text in enumerate(texts * 2):
            if kind == "espeak":
                path = Path(scratch) / f"{number}.wav"
                voice = ("en-gb", "en-us", "en-gb-scotland")[number % 3]
                subprocess.run(
                    ["espeak-ng", "-v", voice, "-s", str(int(rng.uniform(130, 185))), "-p", str(int(rng.uniform(30, 70))),
                     "-w", str(path), text],
                    check=True, stdin=subprocess.DEVNULL, timeout=60,
                )  # fmt: skip
                with wave.open(str(path)) as clip:
                    rate = clip.getframerate()
                    voice_samples = np.frombuffer(clip.readframes(clip.getnframes()), "<i2") / 32768
                loud = np.flatnonzero(np.abs(voice_samples) > 0.02)
                samples = _resample(voice_samples[loud[0] : loud[-1] + 1], rate)
            else:
                samples = _burst(rng.uniform(0.8, 3.0), rng, FILM_RATE)
            clips.append((samples * (SPEECH_RMS / np.sqrt(np.mean(samples**2))), text))
    return tuple(clips)


@dataclass(frozen=True)
class Film:
    """A composed film: where each utterance lies (the truth) and how to render its audio."""

    seconds: float
    background: str
    seed: int
    voice: str
    placed: tuple[tuple[int, int], ...]  # (first sample, clip number) of each utterance

    @property
    def utterances(self) -> list[tuple[int, int]]:
        bank = voice_bank(self.voice)
        return [
            (round(at * 1000 / FILM_RATE), round((at + len(bank[clip][0])) * 1000 / FILM_RATE))
            for at, clip in self.placed
        ]

    def track(self) -> Track:
        bank = voice_bank(self.voice)
        cues = [
            Cue(start, end, [bank[clip][1]]) for (start, end), (_, clip) in zip(self.utterances, self.placed, strict=True)
        ]
        return Track(cues=cues, format="srt")

    def chunks(self) -> Iterator[np.ndarray]:
        """The audio, CHUNK_SECONDS at a time (float, FILM_RATE)."""
        bank = voice_bank(self.voice)
        size = round(CHUNK_SECONDS * FILM_RATE)
        total = round(self.seconds * FILM_RATE)
        notes = _music_notes(self.seconds, self.seed) if self.background == "music" else None
        starts = np.array([at for at, _ in self.placed], dtype=np.int64)
        longest = max((len(samples) for samples, _ in bank), default=0)
        for begin in range(0, total, size):
            end = min(begin + size, total)
            chunk = _background(self.background, begin, end, self.seed, notes)
            for number in range(int(np.searchsorted(starts, begin - longest)), int(np.searchsorted(starts, end))):
                at, clip = self.placed[number]
                samples = bank[clip][0]
                lo, hi = max(at, begin), min(at + len(samples), end)
                if hi > lo:
                    chunk[lo - begin : hi - begin] += samples[lo - at : hi - at]
            yield chunk

    def activity(self) -> Activity:
        """What sync hears in this film: WebRTC's VAD over the rendered audio, chunk by chunk."""
        return vad_activity(
            (np.clip(chunk, -1, 1) * 32767).astype("<i2").tobytes() for chunk in self.chunks()
        )

    def write_wav(self, path: Path) -> Path:
        _write_wav(path, np.concatenate(list(self.chunks())), FILM_RATE)
        return path


def compose_film(seconds: float, background: str = "silence", seed: int = 1, voice: str | None = None) -> Film:
    """Utterances at irregular times: gaps of 0.3-2.5 s, now and then a scene without dialogue (6-40 s)."""
    if background not in BACKGROUNDS:
        raise ValueError(background)
    voice = voice or ("espeak" if espeak_available() else "synthetic")
    bank = voice_bank(voice)
    rng = np.random.default_rng(seed)
    placed, at = [], 1.0
    while True:
        clip = int(rng.integers(len(bank)))
        length = len(bank[clip][0]) / FILM_RATE
        if at + length > seconds - 0.5:
            break
        placed.append((round(at * FILM_RATE), clip))
        at += length + (rng.uniform(6, 40) if rng.random() < 0.03 else rng.uniform(0.3, 2.5))
    return Film(seconds, background, seed, voice, tuple(placed))


def _background(kind: str, begin: int, end: int, seed: int, notes: np.ndarray | None) -> np.ndarray:
    size = end - begin
    if kind == "silence":
        return np.zeros(size)  # digital silence
    level = SPEECH_RMS / 10 ** (BACKGROUND_DB[kind] / 20)
    rng = np.random.default_rng([seed, begin])
    if kind == "room":
        # Air conditioning: noise tilted to the low end, and a little mains hum.
        white = rng.normal(0, 1, size)
        rumble = np.cumsum(white) * 0.02
        total = np.concatenate(([0.0], np.cumsum(rumble)))
        window = 801
        average = (total[window:] - total[:-window]) / window
        rumble[window // 2 : window // 2 + len(average)] -= average
        t = (begin + np.arange(size)) / FILM_RATE
        noise = rumble + 0.3 * white + 0.5 * np.sin(2 * np.pi * 50 * t)
        return noise * (level / np.sqrt(np.mean(noise**2)))
    assert notes is not None
    return _render_music(notes, begin, end) * level


def _music_notes(seconds: float, seed: int) -> np.ndarray:
    """Rows (start s, length s, frequency Hz, gain): chords every 0.5-2 s over a bass, a melody above."""
    rng = np.random.default_rng([seed, 77])
    scale = 220 * 2 ** (np.array([0, 2, 3, 5, 7, 8, 10]) / 12)
    rows, at = [], 0.0
    while at < seconds:
        length = rng.choice([0.5, 1.0, 1.5, 2.0])
        root = int(rng.integers(7))
        for step in (0, 2, 4):
            degree = root + step
            rows.append((at, length + 0.3, scale[degree % 7] * 2 ** (degree // 7), 0.6))
        rows.append((at, length + 0.3, scale[root] / 4, 0.8))
        beat = at
        while beat < at + length:
            tone = rng.choice([0.25, 0.5])
            rows.append((beat, tone + 0.1, scale[int(rng.integers(7))] * 2, 0.5))
            beat += tone
        at += length
    return np.array(rows)


@cache
def _note(frequency: float, length: float) -> np.ndarray:
    t = np.arange(round(length * FILM_RATE)) / FILM_RATE
    envelope = np.minimum(1, t / 0.01) * np.exp(-3 * t) * np.minimum(1, (length - t) / 0.05)
    return envelope * sum(np.sin(2 * np.pi * frequency * k * t) / k**1.5 for k in (1, 2, 3, 4))


def _render_music(notes: np.ndarray, begin: int, end: int) -> np.ndarray:
    out = np.zeros(end - begin)
    start_s, stop_s = begin / FILM_RATE, end / FILM_RATE
    for at, length, frequency, gain in notes[(notes[:, 0] < stop_s) & (notes[:, 0] + notes[:, 1] > start_s)]:
        wave_ = _note(float(frequency), float(length))
        first = round(at * FILM_RATE)
        lo, hi = max(first, begin), min(first + len(wave_), end)
        if hi > lo:
            out[lo - begin : hi - begin] += gain * wave_[lo - first : hi - first]
    rms = np.sqrt(np.mean(out**2))
    return out / rms if rms > 0 else out
