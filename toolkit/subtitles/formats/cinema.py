"""Cinema and broadcast timed text: DCP subtitles (Interop, SMPTE), IMSC 1.1 and EBU-TT-D.

All four are XML that names its own encoding, so they read bytes. A DCP
subtitle file is more than its XML (the font, or the PNGs of image
subtitles, lie beside it), so the DCP formats write files
(``toolkit.dcp.deliver``) instead of returning text. ``.xml`` is claimed by
the DCP formats and EBU-TT-D, which the root element tells apart; ``.ttml``
means IMSC.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.errors import ScreenkitError
from toolkit.subtitles.formats import Capabilities, SubtitleFormat

if TYPE_CHECKING:
    from toolkit.subtitles.model import Track

_ROOT = re.compile(r"<(?:\w+:)?(\w+)[\s>/]")


def _root(text: str) -> tuple[str, str]:
    """The root element's name and the first 2,000 characters of the document."""
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    if not head.startswith("<"):
        return "", head
    body = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", head, flags=re.DOTALL).lstrip()
    match = _ROOT.match(body)
    return (match.group(1) if match else ""), head


def _sniff_interop(text: str) -> int:
    return 100 if _root(text)[0] == "DCSubtitle" else 0


def _sniff_smpte(text: str) -> int:
    root, head = _root(text)
    return 100 if root == "SubtitleReel" and "428-7" in head else 0


def _sniff_imsc(text: str) -> int:
    root, head = _root(text)
    return 60 if root == "tt" and "http://www.w3.org/ns/ttml" in head else 0


def _sniff_ebu_tt_d(text: str) -> int:
    root, head = _root(text)
    return 90 if root == "tt" and "urn:ebu:tt" in head else 0


def _text_unused(_text: str, path: str | None) -> Track:
    raise ScreenkitError("XML subtitles are read from bytes", path=path)


def _read_dcp(data: bytes, path: str | None) -> Track:
    from toolkit.dcp.reader import read_dcp_track

    return read_dcp_track(data, path)


def _read_ttml(data: bytes, path: str | None) -> Track:
    from toolkit.subtitles.ttml import read_ttml

    return read_ttml(data, path)


def _no_text(name: str) -> Callable[[Track], str]:
    def write(_track: Track) -> str:
        raise ScreenkitError(f"{name} subtitles are a folder of files (XML and font): write them to a path")

    return write


def _dcp_writer(standard: str) -> Callable[[Track, Path], list[Path]]:
    def write_file(track: Track, path: Path) -> list[Path]:
        from toolkit.dcp.deliver import DcpOptions, write_dcp

        options = DcpOptions(standard=standard, title=path.stem.split(".")[0] or "Untitled")
        if track.frame_rate is not None:
            options.fps = track.frame_rate
        return write_dcp([track], path, options).files

    return write_file


def _write_imsc(track: Track) -> str:
    from toolkit.subtitles.ttml import write_imsc

    return write_imsc(track)


def _write_ebu_tt_d(track: Track) -> str:
    from toolkit.subtitles.ttml import write_ebu_tt_d

    return write_ebu_tt_d(track)


# "styles": each cue's style names its block on screen (toolkit/dcp/events.py), so
# the two languages of a bilingual file are separate lanes for the timing rules.
_DCP = Capabilities(positions=True, styles=True, inline=frozenset({"i", "b", "u", "font"}), dcp=True)
_TTML = Capabilities(positions=True, inline=frozenset({"i", "b", "u"}))

FORMATS = (
    SubtitleFormat(
        max_line_chars=None,
        name="dcp-interop", description="DCP subtitles, Interop (TI CineCanvas DCSubtitle)",
        extensions=(".xml",), read=_text_unused, read_bytes=_read_dcp, write=_no_text("DCP"),
        write_file=_dcp_writer("interop"), sniff=_sniff_interop, aliases=("interop", "cinecanvas"),
        capabilities=replace(_DCP, images=True),  # image subtitles of an Interop source, copied
    ),
    SubtitleFormat(
        max_line_chars=None,
        name="dcp-smpte", description="DCP subtitles, SMPTE ST 428-7 (2014)",
        extensions=(".xml",), read=_text_unused, read_bytes=_read_dcp, write=_no_text("DCP"),
        write_file=_dcp_writer("smpte"), sniff=_sniff_smpte, aliases=("smpte",), capabilities=_DCP,
    ),
    SubtitleFormat(
        max_line_chars=None,
        name="imsc", description="IMSC 1.1 Text Profile (TTML)", extensions=(".ttml",),
        read=_text_unused, read_bytes=_read_ttml, write=_write_imsc, sniff=_sniff_imsc,
        aliases=("ttml", "imsc1.1"), capabilities=_TTML,
    ),
    SubtitleFormat(
        max_line_chars=None,
        name="ebu-tt-d", description="EBU-TT-D (EBU Tech 3380)", extensions=(".xml",),
        read=_text_unused, read_bytes=_read_ttml, write=_write_ebu_tt_d, sniff=_sniff_ebu_tt_d,
        aliases=("ebuttd", "ebu-tt"), capabilities=_TTML,
    ),
)
