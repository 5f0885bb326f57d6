"""A generated folder for ``screenkit init``: tiny videos from the bundled ffmpeg, and subtitle
files in every format and encoding screenkit reads, some paired by name, some not."""

from __future__ import annotations

from pathlib import Path

from media_support import lavfi

# Two cues of each language, inside the 6-second videos, at a calm reading speed.
# (after the 4 s a DCP file keeps clear), at a calm reading speed, short Chinese lines.
ZH_HANS_CUES = ["欢迎大家来到电影节", "我们一起看这部电影", "关于城市和记忆"]
ZH_HANT_CUES = ["歡迎大家來到電影節", "我們一起看這部電影", "關於城市與記憶"]
EN_CUES = ["Welcome to the festival", "We are watching a film", "About the city"]
FR_CUES = ["Bienvenue à tous au festival", "Nous regardons un film", "Sur la ville et sa mémoire"]
FR_SHORT_CUES = ["Bienvenue au festival", "Nous regardons un film", "Sur la ville"]  # under Chinese lines
TIMES = [("00:00:04,500", "00:00:06,800"), ("00:00:07,200", "00:00:09,500"), ("00:00:10,000", "00:00:12,000")]
SECONDS = 13


def srt(lines: list[str]) -> str:
    blocks = [f"{n}\n{start} --> {end}\n{text}\n" for n, ((start, end), text) in enumerate(zip(TIMES, lines, strict=True), 1)]
    return "\n".join(blocks)


def bilingual_srt(top: list[str], bottom: list[str]) -> str:
    return srt([f"{a}\n{b}" for a, b in zip(top, bottom, strict=True)])


def vtt(lines: list[str]) -> str:
    blocks = [
        f"{start.replace(',', '.')} --> {end.replace(',', '.')}\n{text}\n" for (start, end), text in zip(TIMES, lines, strict=True)
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def video(path: Path, *, rate: str = "25", audio_language: str | None = None) -> Path:
    args = ["-f", "lavfi", "-i", f"testsrc2=size=160x90:rate={rate}:duration={SECONDS}",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={SECONDS}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"]
    if audio_language:
        args += ["-metadata:s:a:0", f"language={audio_language}"]
    return lavfi(path, *args)


def write_converted(text: str, target: Path, fmt: str) -> None:
    """A subtitle file in ``fmt`` (ASS, SSA, TTML, DCP), written by screenkit from SRT text."""
    from toolkit.subtitles.io import parse_text, write_track

    track = parse_text(text, "srt")
    write_track(track, target, fmt=fmt)


def make_folder(root: Path) -> Path:
    """The folder; returns it. What each file should become is asserted by the tests."""
    media = root / "media"
    subs = root / "subs"
    media.mkdir(parents=True)
    subs.mkdir()
    video(media / "opening-night.mp4", audio_language="zho")
    video(media / "harbour_lights.mkv", rate="24000/1001")
    video(media / "Night Train.mov")
    # opening-night: the language of the first from its text (GB18030), the others from the name.
    (subs / "opening-night.srt").write_bytes(srt(ZH_HANS_CUES).encode("gb18030"))
    (subs / "opening-night.en.vtt").write_bytes(vtt(EN_CUES).encode("utf-16"))
    (subs / "opening-night.fr.srt").write_bytes(srt(FR_CUES).encode("cp1252"))
    (subs / "opening-night.en.sdh.srt").write_text(srt(EN_CUES), encoding="utf-8")
    # harbour_lights: Big5 Traditional Chinese, ASS and SSA, an IMSC file, a bilingual track by its text.
    (subs / "harbour_lights.zh-Hant.srt").write_bytes(srt(ZH_HANT_CUES).encode("big5"))
    write_converted(srt(FR_CUES), subs / "harbour_lights.fr.ass", "ass")
    write_converted(srt(EN_CUES), subs / "harbour_lights.ssa", "ssa")
    write_converted(srt(EN_CUES), root / "Night Train.en.ttml", "imsc")
    # Night Train: a DCP Interop file, a bilingual track by name and one bilingual by its text.
    write_converted(srt(FR_CUES), subs / "night-train.fr.xml", "dcp-interop")
    (subs / "Night Train.zh-Hans+fr.srt").write_text(bilingual_srt(ZH_HANS_CUES, FR_SHORT_CUES), encoding="utf-8")
    (subs / "harbour_lights.srt").write_text(bilingual_srt(ZH_HANT_CUES, EN_CUES), encoding="utf-8-sig")
    (root / "notes.txt").write_text("not a subtitle file\n", encoding="utf-8")
    return root


def make_untidy_folder(root: Path) -> Path:
    """What init cannot place: a video with no track, a track with no video, a broken file,
    a second track in one language."""
    root.mkdir(parents=True)
    video(root / "lonely.mp4")
    video(root / "paired.mp4")
    (root / "paired.fr.srt").write_text(srt(FR_CUES), encoding="utf-8")
    write_converted(srt(FR_CUES), root / "paired.fr.ass", "ass")
    (root / "orphan.fr.srt").write_text(srt(FR_CUES), encoding="utf-8")
    (root / "broken.en.srt").write_bytes(b"1\n00:00:01,000 --> banana\nHello\n")
    (root / "clip.mkv").write_bytes(b"not a video at all")
    return root
