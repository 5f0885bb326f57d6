"""screenkit convert --to dcp-interop|dcp-smpte|imsc|ebu-tt-d, and bilingual DCP subtitles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import assert_clean_error, run_cli

from toolkit.dcp.events import LINE_STEP
from toolkit.dcp.xml import read_dcp_xml
from toolkit.dcp.xsd import validate_xml
from toolkit.subtitles import read_track

FR = (
    "1\n00:00:04,000 --> 00:00:06,500\nBonjour <i>le monde</i>\ndeuxième ligne\n\n"
    "2\n00:00:07,000 --> 00:00:09,000\n{\\an8}En haut\n\n"
    "3\n00:00:10,000 --> 00:00:12,000\nUne\ndeux\ntrois\n"
)
ZH = (
    "1\n00:00:04,000 --> 00:00:06,000\n你好，世界\n\n2\n00:00:06,500 --> 00:00:08,000\n第二句\n第二行\n\n"
    "3\n00:00:10,500 --> 00:00:11,500\n三\n"
)


def _files(tmp_path: Path) -> tuple[Path, Path]:
    fr, zh = tmp_path / "film.fr.srt", tmp_path / "film.zh-Hans.srt"
    fr.write_text(FR, encoding="utf-8")
    zh.write_text(ZH, encoding="utf-8")
    return fr, zh


def test_convert_to_each_format_and_back(tmp_path: Path) -> None:
    fr, _ = _files(tmp_path)
    original = read_track(fr)
    for fmt, name in (("dcp-interop", "i/film.fr.xml"), ("dcp-smpte", "s/film.fr.xml"),
                      ("imsc", "film.fr.ttml"), ("ebu-tt-d", "e/film.fr.xml")):
        out = tmp_path / name
        args = ["convert", str(fr), "-o", str(out), "--format", "json"]
        if not name.endswith(".ttml"):
            args += ["--to", fmt]
        result = run_cli(*args)
        assert result.code == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["format"] == fmt and report["cues"] == 3
        assert all(Path(p).is_file() for p in report.get("files", [out]))
        if fmt.startswith("dcp"):
            assert validate_xml(out.read_bytes()) == [] and len(report["files"]) == 2
        back = read_track(out)
        assert back.format == fmt
        assert [c.plain_lines for c in back.cues] == [c.plain_lines for c in original.cues]
        assert [c.is_top for c in back.cues] == [c.is_top for c in original.cues]
    smpte = run_cli("convert", str(fr), "-o", str(tmp_path / "s2/film.xml"), "--to", "dcp-smpte")
    assert "asdcp-wrap" in smpte.stderr or (tmp_path / "s2/film.mxf").is_file()


def test_dcp_options_reach_the_header(tmp_path: Path) -> None:
    fr, _ = _files(tmp_path)
    out = tmp_path / "dcp/reel2.xml"
    result = run_cli("convert", str(fr), "-o", str(out), "--to", "dcp-smpte", "--fps", "25", "--reel", "2",
                     "--title", "Le Film")
    assert result.code == 0, result.stderr
    read = read_dcp_xml(out.read_bytes())
    assert (read.header.title, read.header.reel, read.header.fps, read.header.language) == ("Le Film", 2, 25, "fr")


def test_bilingual_chinese_block_above_french_never_overlapping(tmp_path: Path) -> None:
    fr, zh = _files(tmp_path)
    out = tmp_path / "bi/film.xml"
    for standard in ("dcp-interop", "dcp-smpte"):
        result = run_cli("convert", "--subs", f"fr={fr}", "--subs", f"zh-Hans={zh}", "-o", str(out),
                         "--to", standard)
        assert result.code == 0, result.stderr
        data = out.read_bytes()
        assert validate_xml(data) == []
        events = read_dcp_xml(data).events
        chinese = [e for e in events if any("\u4e00" <= ch <= "\u9fff" for line in e.lines for ch in line.text)]
        french = [e for e in events if e not in chinese]
        assert len(chinese) == 3 and len(french) == 3
        for upper in chinese:
            for lower in french:
                if upper.start < lower.end and lower.start < upper.end and lower.lines[0].valign != "top":
                    lowest_upper = min(line.vposition for line in upper.lines)
                    highest_lower = max(line.vposition for line in lower.lines)
                    assert lowest_upper - highest_lower >= LINE_STEP  # a whole line apart, never touching
                    assert all(line.valign == "bottom" for line in upper.lines + lower.lines)
        top = next(e for e in french if e.lines[0].valign == "top")
        assert top.lines[0].vposition > 0


def test_bad_uses_are_clean_errors(tmp_path: Path) -> None:
    fr, _zh = _files(tmp_path)
    assert_clean_error(run_cli("convert", str(fr), "-o", str(tmp_path / "x.xml")), "--to")
    assert_clean_error(run_cli("convert", str(fr), "-o", str(tmp_path / "x.srt"), "--reel", "2"), "DCP")
    assert_clean_error(run_cli("convert", "--subs", f"fr={fr}", "-o", str(tmp_path / "x.srt")), "dcp")
    assert_clean_error(run_cli("convert", str(fr), "-o", str(tmp_path / "x.xml"), "--to", "dcp-smpte",
                               "--fps", "26"), "EditRate")
    assert_clean_error(run_cli("convert", str(fr), "-o", str(tmp_path / "y.xml"), "--to", "dcp-interop",
                               "--font", str(tmp_path / "none.otf")), "no such font")
    not_xml = tmp_path / "bad.xml"
    not_xml.write_text("<DCSubtitle Version='1.0'>\n<Subtitle>", encoding="utf-8")
    assert_clean_error(run_cli("convert", str(not_xml), "-o", str(tmp_path / "b.srt")), "bad.xml:")
    assert not (tmp_path / "b.srt").exists() and not (tmp_path / "x.xml").exists()


@pytest.mark.slow
def test_no_images_refuses_a_big_chinese_track_and_recommends_smpte(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    from toolkit.media.fonts import packaged_cjk_font

    cmap = TTFont(packaged_cjk_font()).getBestCmap()
    han = [chr(c) for c in range(0x4E00, 0xA000) if c in cmap][:3000]
    blocks = []
    for index in range(0, 3000, 20):
        start = 4 + index // 20 * 2
        blocks.append(f"{index // 20 + 1}\n00:{start // 60:02d}:{start % 60:02d},000 --> "
                      f"00:{start // 60:02d}:{start % 60:02d},900\n{''.join(han[index:index + 20])}\n")
    source = tmp_path / "feature.zh-Hans.srt"
    source.write_text("\n".join(blocks), encoding="utf-8")
    out = tmp_path / "dcp/feature.xml"
    result = run_cli("convert", str(source), "-o", str(out), "--to", "dcp-interop", "--no-images")
    assert_clean_error(result, "640 KiB", "SMPTE")
    assert not out.parent.exists() or list(out.parent.iterdir()) == []


def test_smpte_mxf_goes_through_asdcp_wrap_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """asdcplib is not in Debian, so the real tool cannot run here: a stand-in on PATH checks
    how it is called (XML and target, the font beside the XML) and that a failure leaves no MXF."""
    import shutil

    from toolkit.dcp.deliver import DcpOptions, write_dcp
    from toolkit.languages import FR as FRENCH
    from toolkit.subtitles import parse_text

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "asdcp-wrap"
    tool.write_text(
        "#!/bin/sh\n"
        'case "$1" in *.xml) ;; *) echo "not xml: $1" >&2; exit 2;; esac\n'
        'ls "$(dirname "$1")" | grep -q "$(grep -o "urn:uuid:[0-9a-f-]*" "$1" | sed -n 2p | cut -c10-)" || exit 3\n'
        '[ -n "$FAIL" ] && { echo "Unexpected EditRate" >&2; exit 1; }\n'
        'printf MXF > "$2"\n',
        encoding="utf-8",
    )
    tool.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{Path(shutil.which('sh') or '/bin/sh').parent}")
    track = parse_text(FR, "srt")
    track.language = FRENCH
    result = write_dcp([track], tmp_path / "out/film.xml", DcpOptions(standard="smpte"))
    assert result.mxf == tmp_path / "out/film.mxf" and result.mxf.read_bytes() == b"MXF"
    assert result.mxf in result.files and not result.notes
    monkeypatch.setenv("FAIL", "1")
    from toolkit.errors import ScreenkitError

    with pytest.raises(ScreenkitError, match="asdcp-wrap failed: Unexpected EditRate"):
        write_dcp([track], tmp_path / "bad/film.xml", DcpOptions(standard="smpte"))
    assert not (tmp_path / "bad/film.mxf").exists()
    assert not [p for p in (tmp_path / "bad").iterdir() if ".part" in p.name]
