"""What a folder of screening copies and subtitle files holds, and which track belongs to which video.

Every video is probed (duration, frame rate, picture size, audio language tags);
every subtitle file is read (format, encoding) and its language identified from its
text, a bilingual track (a Chinese line over a French or English one) included. A
language tag in the file name (``film.fr.srt``, ``film.zh-Hans+fr.srt``) wins over
the text. Tracks are paired with videos by name: the subtitle's name without its
extension and its language and role parts is the video's name without extension.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from toolkit.errors import ScreenkitError
from toolkit.languages import Language, lookup

VIDEO_EXTENSIONS = frozenset({".mp4", ".m4v", ".mkv", ".mov", ".webm", ".avi", ".mxf", ".ts", ".mpg"})
# Name parts that say what kind of track a file is, not which film it belongs to.
ROLE_PARTS = {"forced": "forced", "sdh": "sdh", "cc": "sdh", "hi": "sdh", "full": "full"}
# A language the identifier is this sure of is said as sure; below it, the comment says so.
SURE = 0.9


@dataclass
class Video:
    path: Path
    duration_ms: int | None
    frame_rate: Fraction | None
    width: int | None
    height: int | None
    audio_languages: list[str]  # the tags as stored (zho, fra, und...)
    sha256: str

    @property
    def stem(self) -> str:
        return self.path.stem


@dataclass
class Subtitle:
    path: Path
    format: str
    encoding: str
    cues: int
    language: Language | None
    secondary: Language | None  # a bilingual track's second language
    language_source: str  # "file name" or "text"
    probability: float | None  # the identifier's, for a language from the text
    identified: str | None  # what the text reads as (zh-Hans+fr), when identified
    role: str | None  # from the name: forced, sdh
    stem: str  # the name without extension, language and role parts
    end_ms: int = 0

    @property
    def tag(self) -> str:
        if self.language is None:
            return "?"
        return self.language.tag + (f"+{self.secondary.tag}" if self.secondary else "")


@dataclass
class Problem:
    path: Path
    message: str  # the whole line: ``path:line: what is wrong``


@dataclass
class Folder:
    root: Path
    videos: list[Video] = field(default_factory=list)
    subtitles: list[Subtitle] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # files that could not be read
    pairs: dict[Path, list[Subtitle]] = field(default_factory=dict)  # video path → its tracks
    unplaced: list[Subtitle] = field(default_factory=list)  # tracks with no video


def slug(text: str, fallback: str = "item") -> str:
    """An id of the manifest: lower-case ASCII letters, digits and dashes, at most 64."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")
    return value or fallback


def _name_languages(path: Path) -> tuple[list[Language], str | None, str]:
    """(languages the name says, role the name says, the name's film part)."""
    parts = path.name.split(".")[:-1]
    languages: list[Language] = []
    role: str | None = None
    while len(parts) > 1:
        part = parts[-1]
        tags = [lookup(piece) for piece in part.split("+")]
        if part and all(tags):
            languages = [tag for tag in tags if tag is not None]
        elif part.lower() in ROLE_PARTS:
            role = ROLE_PARTS[part.lower()]
        else:
            break
        parts.pop()
    return languages, role, ".".join(parts)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_video(path: Path) -> Video:
    from toolkit.media.probe import probe

    info = probe(path)
    video = info.video
    size = video.display_size if video else None
    return Video(
        path=path,
        duration_ms=info.duration_ms,
        frame_rate=video.frame_rate if video else None,
        width=size[0] if size else None,
        height=size[1] if size else None,
        audio_languages=[s.language for s in info.audio if s.language and s.language.lower() != "und"],
        sha256=_sha256(path),
    )


def read_subtitle(path: Path) -> Subtitle:
    from toolkit.qc.langid import measure_languages
    from toolkit.subtitles import read_track

    named, role, stem = _name_languages(path)
    track = read_track(path, language=named[0] if named else None)
    measured = measure_languages(track)
    identified: str | None = None
    probability: float | None = None
    found_primary: Language | None = None
    found_secondary: Language | None = None
    if measured is not None and measured[0].primary is not None:
        found = measured[0]
        identified, probability = found.tag, found.probability
        found_primary = found.primary
        found_secondary = found.secondary if found.secondary_code else None
    if named:
        language, secondary, source = named[0], (named[1] if len(named) > 1 else None), "file name"
    else:
        language, secondary, source = found_primary, found_secondary, "text"
    return Subtitle(
        path=path,
        format=track.format or "",
        encoding=track.encoding or "utf-8",
        cues=len(track),
        language=language,
        secondary=secondary,
        language_source=source,
        probability=probability,
        identified=identified,
        role=role,
        stem=stem,
        end_ms=track.end,
    )


def _walk(root: Path, skip: set[Path]) -> list[Path]:
    found: list[Path] = []
    for directory, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            path = Path(directory) / name
            if name.startswith(".") or path.resolve() in skip:
                continue
            found.append(path)
    return found


def _key(stem: str) -> str:
    return slug(stem, fallback=stem.lower())


def scan(root: Path, *, skip: set[Path] | None = None) -> Folder:
    """Read every video and subtitle file under ``root`` and pair them."""
    from toolkit.subtitles.io import SUBTITLE_EXTENSIONS

    if not root.is_dir():
        raise ScreenkitError("not a folder" if root.exists() else "no such folder", path=root)
    folder = Folder(root=root)
    for path in _walk(root, skip or set()):
        suffix = path.suffix.lower()
        try:
            if suffix in VIDEO_EXTENSIONS:
                folder.videos.append(read_video(path))
            elif suffix in SUBTITLE_EXTENSIONS:
                folder.subtitles.append(read_subtitle(path))
        except ScreenkitError as error:
            folder.problems.append(Problem(path, str(error.with_path(path))))
        except OSError as error:
            folder.problems.append(Problem(path, f"{path}: cannot read: {error.strerror or error}"))
    _pair(folder)
    return folder


def _pair(folder: Folder) -> None:
    exact: dict[str, Video] = {}
    for video in folder.videos:
        exact.setdefault(_key(video.stem), video)
        folder.pairs[video.path] = []
    for subtitle in folder.subtitles:
        key = _key(subtitle.stem)
        video = exact.get(key)
        if video is None:
            # film-v2.fr.srt for film-v2-dcp.mp4, or the reverse: the longest shared beginning.
            prefixed = [v for v in folder.videos if key.startswith(_key(v.stem)) or _key(v.stem).startswith(key)]
            video = max(prefixed, key=lambda v: len(_key(v.stem)), default=None)
        if video is None:
            folder.unplaced.append(subtitle)
        else:
            folder.pairs[video.path].append(subtitle)
