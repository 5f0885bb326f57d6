"""The same inputs give the same bytes: two builds a second apart, two converts a second apart.

A font subset stamped with the build time (``head.modified``), an IssueDate
from the clock or a random UUID would make the second build differ; so the
builds here are made at least one second apart, the resolution of those stamps.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli, run_cli_subprocess

from toolkit.dcp.xml import read_dcp_xml

FR = (
    "1\n00:00:04,000 --> 00:00:06,500\nC’est l’année\u00a0: « œuvre »\n\n"
    "2\n00:00:07,000 --> 00:00:09,000\n{\\an8}En haut\u202f! « 花样年华 »\n"  # Han: SMPTE merges two faces
)


def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (but the run's own state) by relative name, with its sha256."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and ".screenkit" not in path.relative_to(folder).parts
    }


def _later_second(start: float) -> None:
    """Wait until the clock is in a later whole second than ``start`` (what time stamps resolve)."""
    while int(time.time()) <= int(start):
        time.sleep(0.05)


@pytest.mark.slow
def test_the_sample_package_built_twice_a_second_apart_is_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    event = tmp_path / "event"
    shutil.copytree(SAMPLES / "paris-showcase", event, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    trees = []
    for name in ("one", "two"):
        started = time.time()
        # A fresh interpreter each time: nothing cached in the process carries over.
        result = run_cli_subprocess("package", str(event / "manifest.yaml"), "--out", str(tmp_path / name))
        assert result.code == 0, result.stderr
        trees.append(_tree(tmp_path / name))
        _later_second(started)
    one, two = trees
    assert (tmp_path / "one" / "checksums.sha256").read_bytes() == (tmp_path / "two" / "checksums.sha256").read_bytes()
    assert any(name.startswith("lacquer-tray/dcp/fr/") and name.endswith((".otf", ".ttf")) for name in one)  # the DCP font
    assert one.keys() == two.keys()
    # The French of every burned copy in the Latin face (its ’ narrow), the Chinese in the CJK one.
    report = json.loads((tmp_path / "one" / "report.json").read_text(encoding="utf-8"))
    burns = [d for work in report["works"] for d in work["deliverables"] if d.get("fonts")]
    assert burns and all(d["fonts"][-1].startswith("Noto Sans (") for d in burns), burns
    assert burns[0]["fonts"][0].startswith("Noto Sans CJK SC (")  # lacquer-tray: zh-Hans above fr
    assert {name for name in one if one[name] != two[name]} == set()


def test_convert_to_dcp_smpte_twice_a_second_apart_is_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    source = tmp_path / "film.fr.srt"
    source.write_text(FR, encoding="utf-8")
    trees = []
    for name in ("one", "two"):
        started = time.time()
        result = run_cli_subprocess(
            "convert", str(source), "-o", str(tmp_path / name / "film.fr.xml"), "--to", "dcp-smpte"
        )
        assert result.code == 0, result.stderr
        trees.append(_tree(tmp_path / name))
        _later_second(started)
    assert trees[0] == trees[1]
    assert len(trees[0]) == 2  # the XML and its font, named by the font's urn:uuid
    header = read_dcp_xml((tmp_path / "one" / "film.fr.xml").read_bytes()).header
    assert header.issue_date == "2000-01-01T00:00:00+00:00"


def test_source_date_epoch_dates_a_converted_smpte_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1765152000")  # 2025-12-08 00:00:00 UTC
    source = tmp_path / "film.fr.srt"
    source.write_text(FR, encoding="utf-8")
    result = run_cli("convert", str(source), "-o", str(tmp_path / "film.fr.xml"), "--to", "dcp-smpte")
    assert result.code == 0, result.stderr
    header = read_dcp_xml((tmp_path / "film.fr.xml").read_bytes()).header
    assert header.issue_date == "2025-12-08T00:00:00+00:00"
