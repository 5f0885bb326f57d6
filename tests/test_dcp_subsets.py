"""Complete DCP font subsets: every character of the track, every kind of space, or a one-line refusal.

The Interop subset of the sample's French track lacked U+00A0 (the space
before ``? ! : ;`` in French): ``isprintable`` says no to every space but
U+0020, so the subsetter was never asked for it, and a projector shows a box
there. The writer and the lint rule (DCP112) now share one test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from toolkit.dcp.deliver import DcpOptions, write_dcp
from toolkit.dcp.fonts import drawn_characters, is_drawn
from toolkit.dcp.xml import read_dcp_xml
from toolkit.errors import ScreenkitError
from toolkit.languages import FR, ZH_HANS
from toolkit.qc import load_profile
from toolkit.qc.rules import lint_track
from toolkit.subtitles import Cue, Track, read_track

SPACES = {
    "\u0020": (FR, "Bonjour tout le monde"),
    "\u00a0": (FR, "Vraiment\u00a0? Oui\u00a0!"),
    "\u202f": (FR, "Vraiment\u202f? Oui\u202f!"),
    "\u3000": (ZH_HANS, "你好\u3000世界"),
}


def _fonts(xml: Path) -> list[Path]:
    read = read_dcp_xml(xml.read_bytes())
    return [xml.parent / uri for _id, uri, _line in read.fonts]


def _cmap(path: Path) -> set[int]:
    return set(TTFont(path, lazy=True).getBestCmap())


@pytest.mark.parametrize("space", list(SPACES), ids=lambda ch: f"U+{ord(ch):04X}")
@pytest.mark.parametrize("standard", ["interop", "smpte"])
def test_each_kind_of_space_is_in_the_subset(tmp_path: Path, space: str, standard: str) -> None:
    language, text = SPACES[space]
    assert is_drawn(space) and space in drawn_characters(text)
    track = Track(cues=[Cue(4000, 6000, [text])], language=language)
    result = write_dcp([track], tmp_path / "film.xml", DcpOptions(standard=standard))
    fonts = result.files[1:]
    assert len(fonts) == 1  # one script: one font
    assert ord(space) in _cmap(fonts[0]), f"U+{ord(space):04X} missing from {fonts[0].name}"


def test_a_space_the_face_lacks_fails_the_write_naming_it_and_its_cue(tmp_path: Path) -> None:
    # Noto Sans CJK has no U+202F: a Chinese track that uses it cannot be drawn in its face.
    track = Track(cues=[Cue(4000, 6000, ["你好"]), Cue(7000, 9000, ["再见\u202f!"])], language=ZH_HANS)
    with pytest.raises(ScreenkitError) as caught:
        write_dcp([track], tmp_path / "film.xml", DcpOptions())
    message = str(caught.value)
    assert "U+202F NARROW NO-BREAK SPACE" in message and "subtitle 2 (00:00:07,000)" in message, message
    assert list(tmp_path.iterdir()) == []  # neither the XML nor a font


def _lint_dcp(xml: Path) -> list[str]:
    track = read_track(xml)
    return [d.format_text() for d in lint_track(track, load_profile("cinema", FR)) if d.code == "DCP112"]


def test_the_lint_rule_finds_a_space_missing_from_the_font(tmp_path: Path) -> None:
    track = Track(cues=[Cue(4000, 6000, ["Bonjour"]), Cue(7000, 9000, ["Vraiment\u00a0?"])], language=FR)
    xml = tmp_path / "film.xml"
    write_dcp([track], xml, DcpOptions())
    assert _lint_dcp(xml) == []
    # The font as it was written before: the same subset, without U+00A0.
    font = _fonts(xml)[0]
    face = TTFont(font)
    options = subset.Options()
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(_cmap(font) - {0xA0}))
    subsetter.subset(face)
    face.save(font)
    findings = _lint_dcp(xml)
    assert len(findings) == 1 and "U+00A0 NO-BREAK SPACE" in findings[0], findings
    assert "00:00:07,000" in findings[0]  # the cue that uses it


def test_a_mixed_interop_line_loads_both_faces_each_covering_its_runs(tmp_path: Path) -> None:
    track = Track(cues=[Cue(4000, 6000, ["Le film « 花样年华 », c’est beau\u202f!"])], language=FR)
    xml = tmp_path / "film.xml"
    result = write_dcp([track], xml, DcpOptions())
    latin, cjk = (TTFont(path, lazy=True) for path in result.files[1:])
    assert latin["name"].getDebugName(1) == "Noto Sans" and cjk["name"].getDebugName(1) == "Noto Sans CJK SC"
    assert {ord(ch) for ch in "花样年华"} <= set(cjk.getBestCmap()) and ord("’") in latin.getBestCmap()
    assert ord("’") not in cjk.getBestCmap()  # the apostrophe is drawn by the Latin face only
    assert b'<Font Id="Font2">\xe8\x8a\xb1\xe6\xa0\xb7\xe5\xb9\xb4\xe5\x8d\x8e</Font>' in xml.read_bytes()
    assert _lint_dcp(xml) == []


def test_a_mixed_smpte_file_loads_one_font_drawing_each_script_in_its_face(tmp_path: Path) -> None:
    """SMPTE takes one LoadFont: the two subsets are merged into one font."""
    track = Track(cues=[Cue(4000, 6000, ["Le film « 花样年华 », c’est beau\u202f!"])], language=FR)
    xml = tmp_path / "film.xml"
    result = write_dcp([track], xml, DcpOptions(standard="smpte"))
    assert len(result.files) == 2 and len(read_dcp_xml(xml.read_bytes()).fonts) == 1
    font = TTFont(result.files[1])
    cmap = font.getBestCmap()
    assert {ord(ch) for ch in "花样年华\u202f’«"} <= set(cmap)
    latin = TTFont(result.font_sources[0], lazy=True)
    # The apostrophe is Noto Sans's (175 units), not the CJK face's full-width one (1,000).
    assert font["hmtx"][cmap[ord("’")]][0] == latin["hmtx"][latin.getBestCmap()[ord("’")]][0] < 500
    assert font["hmtx"][cmap[ord("花")]][0] == 1000
    assert font["head"].modified == latin["head"].modified  # no build time stamp
    assert _lint_dcp(xml) == []


@pytest.mark.slow
def test_interop_image_subtitles_draw_a_mixed_line_in_both_faces(tmp_path: Path) -> None:
    from PIL import Image

    from toolkit.media.fonts import packaged_face

    line = "Le film « 花样年华 », c’est l’année"
    track = Track(cues=[Cue(4000, 6000, [line])], language=FR)
    both = write_dcp([track], tmp_path / "both" / "film.xml", DcpOptions(force_images=True))
    cjk_face = packaged_face("Noto Sans CJK SC")
    assert cjk_face is not None
    one = write_dcp([track], tmp_path / "one" / "film.xml", DcpOptions(force_images=True, font=cjk_face.file))
    assert both.mode == one.mode == "images"
    widths = [Image.open(result.files[1]).size[0] for result in (both, one)]
    # In the CJK face alone the two ’ are full-width: the same line is drawn wider.
    assert widths[0] < widths[1], widths
