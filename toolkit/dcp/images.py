"""Interop image subtitles: each event drawn by libass (through ffmpeg) into a transparent PNG.

A Chinese feature uses 2,500-3,000 distinct characters, more than fits in
Interop's 640 KiB font limit even subset, so the text is drawn at the DCP's
resolution and each event becomes an ``<Image>`` (dcp-subtitles.md: libdcp,
DCP-o-matic). One ffmpeg run draws every event: event *n* is shown from
second *n* of a transparent 1 fps canvas, and ffmpeg writes raw RGBA frames
to a pipe; each frame is cropped to its drawn pixels and anchored top-left
like DCP-o-matic does (``HAlign="left"``, ``VAlign="top"``, positions = the
bitmap's corner in percent). The ``ass`` filter's ``alpha=1`` makes libass
blend into the alpha channel, so the area around the text stays transparent.
"""

from __future__ import annotations

import os
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.dcp.events import FONT_SIZE, DcpEvent, PlacedLine
from toolkit.errors import ScreenkitError
from toolkit.text.markup import canonical_to_ass

DCP_2K = (1998, 1080)  # 2K flat, the common festival container
PADDING = 4  # pixels kept around the drawn text


@dataclass(frozen=True)
class RenderedImage:
    png: bytes
    x: int
    y: int
    width: int
    height: int


def font_pixels(height: int, size: int = FONT_SIZE) -> int:
    """CineCanvas Size is in points on an 11-inch (792-point) high screen."""
    return round(height * size / 792)


def _ass_time(ms: int) -> str:
    centis = ms // 10
    hours, rest = divmod(centis, 360_000)
    minutes, rest = divmod(rest, 6_000)
    seconds, centis = divmod(rest, 100)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{centis:02d}"


def _position(line: PlacedLine, width: int, height: int) -> str:
    x = {"left": line.hposition / 100 * width, "right": width - line.hposition / 100 * width}.get(
        line.halign, width / 2 + line.hposition / 100 * width
    )
    column = {"left": 1, "center": 2, "right": 3}.get(line.halign, 2)
    if line.valign == "top":
        return f"{{\\an{6 + column}\\pos({x:.0f},{line.vposition / 100 * height:.0f})}}"
    if line.valign == "bottom":
        return f"{{\\an{column}\\pos({x:.0f},{height - line.vposition / 100 * height:.0f})}}"
    return f"{{\\an{3 + column}\\pos({x:.0f},{height / 2 + line.vposition / 100 * height:.0f})}}"


def build_script(events: list[DcpEvent], family: str, width: int, height: int,
                 mark: Callable[[str], str] | None = None) -> str:
    size = font_pixels(height)
    outline = max(1, round(size / 16))
    lines = [
        "[Script Info]", "ScriptType: v4.00+", f"PlayResX: {width}", f"PlayResY: {height}",
        "WrapStyle: 2", "ScaledBorderAndShadow: yes", "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
        "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, "
        "Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
        f"Style: Default,{family},{size},&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,0,0,0,0,100,100,"
        f"0,0,1,{outline},0,2,0,0,0,1",
        "", "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ]
    for index, event in enumerate(events):
        start, end = _ass_time(index * 1000), _ass_time(index * 1000 + 990)
        for line in event.lines:
            text = canonical_to_ass([mark(line.text) if mark else line.text], None).strip()
            lines.append(f"Dialogue: 0,{start},{end},Default,,0,0,0,,{_position(line, width, height)}{text}")
    return "\n".join(lines) + "\n"


def encode_png(rgba: bytes, width: int, height: int) -> bytes:
    """An 8-bit RGBA PNG (what DCP-o-matic writes and libdcp's test data holds)."""
    stride = width * 4
    raw = b"".join(b"\x00" + rgba[row * stride : (row + 1) * stride] for row in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")


def _crop(frame: bytes, width: int, height: int) -> RenderedImage:
    import numpy as np

    pixels = np.frombuffer(frame, dtype=np.uint8).reshape(height, width, 4)
    drawn = pixels[:, :, 3] > 0
    rows = np.flatnonzero(drawn.any(axis=1))
    columns = np.flatnonzero(drawn.any(axis=0))
    if rows.size == 0:  # an empty event: keep a 1x1 transparent image
        return RenderedImage(encode_png(b"\x00" * 4, 1, 1), 0, 0, 1, 1)
    top, bottom = max(int(rows[0]) - PADDING, 0), min(int(rows[-1]) + PADDING + 1, height)
    left, right = max(int(columns[0]) - PADDING, 0), min(int(columns[-1]) + PADDING + 1, width)
    crop = np.ascontiguousarray(pixels[top:bottom, left:right])
    return RenderedImage(encode_png(crop.tobytes(), right - left, bottom - top), left, top, right - left, bottom - top)


def render_events(
    events: list[DcpEvent],
    font: Path | list[Path],
    family: str,
    *,
    size: tuple[int, int] = DCP_2K,
    ffmpeg: str | None = None,
    progress: Callable[[int], None] | None = None,
    mark: Callable[[str], str] | None = None,
) -> list[RenderedImage]:
    """One cropped transparent PNG per event, drawn by libass with ``font`` (or these fonts:
    ``mark`` then puts the ``\\fn`` switches between them into each line)."""
    from toolkit.media.ffmpeg import resolve_ffmpeg

    binary = resolve_ffmpeg(ffmpeg)
    if not binary.has_libass:
        raise ScreenkitError(f"{binary.path} has no libass (the 'ass' filter): cannot draw image subtitles")
    width, height = size
    with tempfile.TemporaryDirectory(prefix="screenkit-dcp-") as folder:
        script = Path(folder) / "events.ass"
        script.write_text(build_script(events, family, width, height, mark), encoding="utf-8")
        fonts = Path(folder) / "fonts"
        fonts.mkdir()
        for file in dict.fromkeys([font] if isinstance(font, Path) else font):
            os.symlink(file.resolve(), fonts / file.name)
        graph = (
            f"ass=filename={_escape(script)}:fontsdir={_escape(fonts)}:alpha=1,format=rgba"
        )
        command = [
            binary.path, "-nostdin", "-v", "error",
            "-f", "lavfi", "-i", f"color=c=black@0.0:s={width}x{height}:r=1,format=rgba",
            "-vf", graph, "-frames:v", str(len(events)), "-f", "rawvideo", "-pix_fmt", "rgba", "pipe:1",
        ]
        frame_bytes = width * height * 4
        images: list[RenderedImage] = []
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log)
            assert process.stdout is not None
            try:
                while len(images) < len(events):
                    frame = process.stdout.read(frame_bytes)
                    if len(frame) < frame_bytes:
                        break
                    images.append(_crop(frame, width, height))
                    if progress is not None:
                        progress(len(images))
            finally:
                process.stdout.close()
                process.wait()
            log.seek(0)
            message = log.read().decode("utf-8", "replace").strip()
        if process.returncode != 0 or len(images) != len(events):
            raise ScreenkitError(f"ffmpeg could not draw the image subtitles: {message[-300:] or 'no output'}")
    return images


def _escape(path: Path) -> str:
    # ffmpeg filter arguments: ':' and '\' and quotes need escaping.
    return str(path).replace("\\", "\\\\").replace(":", "\\:").replace("'", "\\'")
