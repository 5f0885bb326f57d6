"""Hostile XML: what an attacker would send as TTML or DCP subtitles is refused in one line.

Deep nesting ends in a message naming the file (never a RecursionError), entity
declarations and external entities are refused (no expansion, no file or network
read), bad numbers are bad input (never a ValueError), and a zero rate is an error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import assert_clean_error, run_cli

from toolkit.dcp.reader import read_dcp_track
from toolkit.errors import ScreenkitError
from toolkit.subtitles.ttml import read_ttml
from toolkit.xmlsafe import MAX_DEPTH, parse

TT = ('<tt xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling" '
      'xmlns:ttp="http://www.w3.org/ns/ttml#parameter"{attrs}>')
INTEROP = ('<DCSubtitle Version="1.0"><SubtitleID>x</SubtitleID><MovieTitle>t</MovieTitle>'
           "<ReelNumber>{reel}</ReelNumber><Language>French</Language><LoadFont Id=\"Font1\" URI=\"f.ttf\"/>"
           '<Font Id="Font1" Size="42"><Subtitle SpotNumber="1" TimeIn="00:00:01:000" TimeOut="00:00:02:000" '
           'FadeUpTime="0" FadeDownTime="0">{inner}</Subtitle></Font></DCSubtitle>')
TEXT = '<Text VAlign="bottom" VPosition="{vpos}">Bonjour</Text>'


def ttml(body: str, prolog: str = "", attrs: str = "") -> bytes:
    return (prolog + TT.format(attrs=attrs) + f"<body><div>{body}</div></body></tt>").encode()


def interop(reel: str = "1", vpos: str = "10", inner: str | None = None, prolog: str = "") -> bytes:
    return (prolog + INTEROP.format(reel=reel, inner=TEXT.format(vpos=vpos) if inner is None else inner)).encode()


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_deeply_nested_ttml_is_refused_at_its_line(depth: int) -> None:
    body = '<p begin="0s" end="1s">' + "<span>\n" * depth + "x" + "</span>" * depth + "</p>"
    with pytest.raises(ScreenkitError, match="nested more than") as caught:
        read_ttml(ttml(body), "deep.ttml")
    assert caught.value.path == "deep.ttml" and caught.value.line is not None and caught.value.line > MAX_DEPTH - 5


def test_nesting_within_the_bound_reads_without_recursion() -> None:
    depth = MAX_DEPTH - 10  # every walk is iterative: no recursion limit is near
    body = '<p begin="0s" end="1s">' + "<span>" * depth + "deep" + "</span>" * depth + "</p>"
    assert [c.plain_text for c in read_ttml(ttml(body)).cues] == ["deep"]


def test_a_long_chain_of_referential_styles_is_resolved_without_recursion() -> None:
    styles = "".join(f'<style xml:id="s{i}" style="s{i - 1}"/>' for i in range(1, 5000))
    data = (TT.format(attrs="") + f'<head><styling><style xml:id="s0" tts:fontStyle="italic"/>{styles}'
            '<style xml:id="loop1" style="loop2"/><style xml:id="loop2" style="loop1"/></styling></head>'
            '<body><div><p end="1s" style="s4999 loop1">chained</p></div></body></tt>').encode()
    assert [c.lines for c in read_ttml(data).cues] == [["<i>chained</i>"]]


def test_deeply_nested_ttml_through_the_cli_is_exit_2_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "deep.ttml"
    path.write_bytes(ttml('<p end="1s">' + "<span>" * 50_000 + "x" + "</span>" * 50_000 + "</p>"))
    result = run_cli("convert", str(path), "-o", str(tmp_path / "out.srt"))
    assert_clean_error(result, "deep.ttml:", "nested more than", code=2)
    assert not (tmp_path / "out.srt").exists()


def test_deeply_nested_dcp_xml_is_exit_2_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "deep.xml"
    path.write_bytes(interop(inner='<Text VAlign="bottom" VPosition="10">' + "<Font>" * 50_000 + "x"
                             + "</Font>" * 50_000 + "</Text>"))
    result = run_cli("convert", str(path), "-o", str(tmp_path / "out.srt"))
    assert_clean_error(result, "deep.xml:", code=2)
    assert "Recursion" not in result.stderr and not (tmp_path / "out.srt").exists()


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE tt [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>')


@pytest.mark.parametrize(("prolog", "reference"), [
    (LAUGHS, "&d;"), ('<!DOCTYPE tt [<!ENTITY e SYSTEM "file:///etc/passwd">]>', "&e;"),
    ('<!DOCTYPE tt [<!ENTITY e SYSTEM "file:///etc/passwd">]>', ""),
])
def test_entity_declarations_are_refused_in_ttml(prolog: str, reference: str) -> None:
    with pytest.raises(ScreenkitError, match="entity declaration") as caught:
        read_ttml(ttml(f'<p end="1s">{reference}</p>', prolog), "bomb.ttml")
    assert caught.value.path == "bomb.ttml"


@pytest.mark.parametrize(("prolog", "reference"), [
    (LAUGHS.replace("DOCTYPE tt", "DOCTYPE DCSubtitle"), "&d;"),
    ('<!DOCTYPE DCSubtitle [<!ENTITY e SYSTEM "file:///etc/passwd">]>', "&e;"),
    ('<!DOCTYPE DCSubtitle [<!ENTITY e SYSTEM "file:///etc/passwd">]>', ""),  # declared, not used
])
def test_entity_declarations_are_refused_in_dcp_xml(prolog: str, reference: str) -> None:
    data = interop(inner=f'<Text VAlign="bottom" VPosition="10">{reference}</Text>', prolog=prolog)
    with pytest.raises(ScreenkitError, match="entity") as caught:
        read_dcp_track(data, "bomb.xml")
    assert caught.value.path == "bomb.xml"


def test_an_undeclared_entity_or_an_unknown_encoding_is_not_well_formed() -> None:
    with pytest.raises(ScreenkitError, match="not well-formed"):
        read_ttml(ttml('<p end="1s">&unknown;</p>'))
    with pytest.raises(ScreenkitError, match="encoding"):
        parse(b'<?xml version="1.0" encoding="UT8"?><tt/>', "x.ttml")


@pytest.mark.parametrize("reel", ["\u00b2", "\u0663", "99999999999999999999", "9" * 5000, "-1", ""])
def test_dcp_reel_numbers_are_read_or_ignored_never_a_value_error(reel: str) -> None:
    track = read_dcp_track(interop(reel=reel), "reel.xml")
    assert [c.plain_text for c in track.cues] == ["Bonjour"]


@pytest.mark.parametrize("vpos", ["nan", "inf", "-inf", "1e400", "x"])
def test_dcp_positions_that_are_no_finite_number_are_the_default(vpos: str) -> None:
    cues = read_dcp_track(interop(vpos=vpos), "pos.xml").cues
    assert [c.plain_text for c in cues] == ["Bonjour"]


@pytest.mark.parametrize("time", ["99:99:99:999", "-00:00:01:000", "1e400", "nan", "00:00:01"])
def test_dcp_bad_times_are_a_clear_error(time: str) -> None:
    data = interop().replace(b'TimeIn="00:00:01:000"', f'TimeIn="{time}"'.encode())
    with pytest.raises(ScreenkitError) as caught:
        read_dcp_track(data, "time.xml")
    assert caught.value.path == "time.xml"


@pytest.mark.parametrize("value", ["9" * 400 + "s", "99999999999999999999h", "999999999999999999999999t",
                                   "9" * 5000 + ":00:00", "00:00:00:" + "9" * 5000])
def test_ttml_times_past_any_film_are_a_clear_error(value: str) -> None:
    with pytest.raises(ScreenkitError, match="1,000 hours"):
        read_ttml(ttml(f'<p begin="{value}">x</p>'), "far.ttml")


def test_a_paragraph_changing_at_thousands_of_times_is_refused_not_computed_for_minutes() -> None:
    # Every snapshot walks the paragraph: 1,000 spans with their own times would be 10^6 steps
    # per thousand snapshots; the reader bounds elements × snapshots and says so at the line.
    body = "<p>" + "".join(f'<span begin="{i}ms" end="{i + 5000}ms">w{i} </span>' for i in range(1000)) + "</p>"
    with pytest.raises(ScreenkitError, match="changing at 2,000 times") as caught:
        read_ttml(ttml(body), "busy.ttml")
    assert caught.value.line == 1
    few = "<p>" + "".join(f'<span begin="{i}s" end="{i + 1}s">w{i} </span>' for i in range(50)) + "</p>"
    assert len(read_ttml(ttml(few)).cues) == 50


@pytest.mark.parametrize("attrs", [' ttp:frameRate="' + "9" * 5000 + '"', ' ttp:tickRate="' + "9" * 5000 + '"',
                                   ' ttp:frameRateMultiplier="' + "9" * 5000 + ' 1"'])
def test_rates_with_thousands_of_digits_are_a_clear_error(attrs: str) -> None:
    # Found by the fuzzer: int() refuses more than 4,300 digits with a ValueError.
    with pytest.raises(ScreenkitError, match="ttp:"):
        read_ttml(ttml('<p begin="1f" end="2t">x</p>', attrs=attrs), "digits.ttml")
