"""screenkit package end to end on the sample event: real ffmpeg, real files, real re-runs."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLES, assert_clean_error, run_cli
from tinymodel import argos_packages_dir, tiny_packages  # noqa: F401  (fixtures)

from toolkit.manifest import validate_manifest
from toolkit.report.browser import find_chromium

pytestmark = pytest.mark.slow

SAMPLE = SAMPLES / "paris-showcase"


def _copy_sample(tmp: Path) -> Path:
    target = tmp / "event"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target / "manifest.yaml"


def _package_files(out: Path) -> dict[str, str]:
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*"))
        if path.is_file() and ".screenkit" not in path.relative_to(out).parts
    }


def _step_log(out: Path) -> dict[str, str]:
    entries = json.loads((out / ".screenkit" / "last-run.json").read_text())
    return {entry["step"]: entry["action"] for entry in entries}


@pytest.fixture(scope="module")
def argos(argos_packages_dir: Path) -> dict[str, str]:  # noqa: F811
    """The tiny test models (zh→en, en→fr, en→zh), installed with argostranslate's own code."""
    return {"ARGOS_PACKAGES_DIR": str(argos_packages_dir)}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, argos: dict[str, str]) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("package")
    manifest = _copy_sample(tmp)
    out = tmp / "pkg"
    result = run_cli("package", str(manifest), "--out", str(out), "--jobs", "2", "--translate-missing", env=argos)
    assert result.code == 0, result.stderr
    return manifest, out


def test_translate_missing_on_ray_builds_the_same_package(built: tuple[Path, Path], ray_cluster: str, tmp_path: Path, argos: dict[str, str]) -> None:
    manifest, out = built
    result = run_cli(
        "package", str(manifest), "--out", str(tmp_path / "pkg"), "--jobs", "2", "--translate-missing",
        "--executor", "ray", "--actors", "1", "--cpus-per-actor", "1", env=argos,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert _package_files(tmp_path / "pkg") == _package_files(out)


def test_executor_ray_without_translate_missing_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("package", str(SAMPLE / "manifest.yaml"), "--out", str(tmp_path / "pkg"), "--executor", "ray")
    assert_clean_error(result, "--translate-missing")
    assert not (tmp_path / "pkg").exists()


def test_package_contains_every_deliverable_of_the_manifest(built: tuple[Path, Path]) -> None:
    _manifest, out = built
    files = _package_files(out)
    for name in ("manifest.yaml", "report.json", "report.html", "checksums.sha256"):
        assert name in files
    # Burned copies as the manifest asks: lacquer-tray bilingual, the others in French.
    assert "lacquer-tray/lacquer-tray.burned.zh-Hans+fr.mp4" in files
    assert "tides-within/tides-within.burned.fr.mp4" in files
    assert "city-static/city-static.burned.fr.mp4" in files
    for work in ("lacquer-tray", "tides-within", "city-static"):
        assert f"{work}/{work}.subtitled.mkv" in files
        assert f"{work}/sidecar/{work}.fr.vtt" in files
        assert any(name.startswith(f"{work}/stills/") for name in files)
    # city-static has no English track: translated (tiny model) and marked machine.
    assert "city-static/subtitles/city-static.en.srt" in files
    report = json.loads((out / "report.json").read_text())
    city = next(w for w in report["works"] if w["id"] == "city-static")
    english = next(t for t in city["tracks"] if t["language"] == "en")
    assert english["status"] == "machine" and english["source"] == "zh-Hans"
    assert english["translation"]["segments"] > 0
    from toolkit.subtitles import read_track

    source = read_track(out / "city-static" / "subtitles" / "city-static.zh-Hans.srt")
    translated = read_track(out / "city-static" / "subtitles" / "city-static.en.srt")
    assert [(c.start, c.end) for c in translated.cues] == [(c.start, c.end) for c in source.cues]


def test_cinema_and_streaming_deliverables_are_built_hashed_and_valid(built: tuple[Path, Path]) -> None:
    from toolkit.dcp.xml import read_dcp_xml
    from toolkit.dcp.xsd import validate_xml
    from toolkit.subtitles import read_track

    _manifest, out = built
    files = _package_files(out)
    xml = out / "lacquer-tray/dcp/fr/lacquer-tray.fr.xml"
    assert validate_xml(xml.read_bytes()) == []
    read = read_dcp_xml(xml.read_bytes())
    assert read.header.language == "French" and (xml.parent / read.fonts[0][1]).is_file()
    assert "lacquer-tray/dcp/fr/" + read.fonts[0][1] in files
    source = read_track(out / "lacquer-tray/subtitles/lacquer-tray.fr.srt")
    assert [c.plain_lines for c in read_track(xml).cues] == [c.plain_lines for c in source.cues]
    for language in ("fr", "en"):
        ttml = f"tides-within/imsc/tides-within.{language}.ttml"
        assert ttml in files
        assert len(read_track(out / ttml).cues) == len(read_track(out / f"tides-within/subtitles/tides-within.{language}.srt").cues)
    report = json.loads((out / "report.json").read_text())
    listed = {d["path"]: d for w in report["works"] for d in w["deliverables"]}
    assert listed["lacquer-tray/dcp/fr/lacquer-tray.fr.xml"]["kind"] == "dcp_subtitles"
    assert listed["tides-within/imsc/tides-within.fr.ttml"]["kind"] == "imsc"
    checksums = (out / "checksums.sha256").read_text()
    assert "lacquer-tray/dcp/fr/lacquer-tray.fr.xml" in checksums and "tides-within.en.ttml" in checksums


def test_output_manifest_marks_the_machine_track(built: tuple[Path, Path]) -> None:
    from toolkit.manifest import load_manifest

    _, out = built
    data = load_manifest(out / "manifest.yaml").data
    city = next(w for w in data["works"] if w["id"] == "city-static")
    english = next(t for t in city["subtitles"] if t["language"] == "en")
    assert english["origin"] == "machine" and english["reviewed"] is False
    assert english["path"] == "city-static/subtitles/city-static.en.srt"
    human = next(t for t in city["subtitles"] if t["language"] == "fr")
    assert human["origin"] == "human"


def test_without_the_flag_an_optional_language_is_left_out_and_said(tmp_path: Path) -> None:
    manifest = _copy_sample(tmp_path)
    out = tmp_path / "pkg"
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media")
    assert result.code == 0, result.stderr
    assert "city-static has no en track" in result.stderr and "--translate-missing" in result.stderr
    assert not (out / "city-static" / "subtitles" / "city-static.en.srt").exists()
    report = json.loads((out / "report.json").read_text())
    city = next(w for w in report["works"] if w["id"] == "city-static")
    assert {t["language"]: t["status"] for t in city["tracks"]}["en"] == "missing"


def test_a_missing_required_language_is_an_error_without_the_flag(tmp_path: Path, argos: dict[str, str]) -> None:
    manifest = _copy_sample(tmp_path)
    text = manifest.read_text(encoding="utf-8").replace("required: [fr]", "required: [fr, en]")
    text = text.replace("optional: [en]", "optional: []")
    manifest.write_text(text, encoding="utf-8")
    out = tmp_path / "pkg"
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media")
    assert result.code == 1
    assert "M501" in result.stderr and "city-static" in result.stderr
    assert "Traceback" not in result.stderr and not out.exists()
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media", "--translate-missing", env=argos)
    assert result.code == 0, result.stderr
    assert (out / "city-static" / "subtitles" / "city-static.en.srt").is_file()


def test_translate_missing_without_a_model_says_how_to_install_one(tmp_path: Path) -> None:
    manifest = _copy_sample(tmp_path)
    empty = tmp_path / "no-models"
    empty.mkdir()
    env = {"ARGOS_PACKAGES_DIR": str(empty)}
    out = tmp_path / "pkg"
    # en is optional: a warning, the rest is built.
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media", "--translate-missing", env=env)
    assert result.code == 0, result.stderr
    assert "screenkit models install" in result.stderr and "city-static" in result.stderr
    assert not (out / "city-static" / "subtitles" / "city-static.en.srt").exists()
    # en required: an error, nothing built.
    text = manifest.read_text(encoding="utf-8").replace("required: [fr]", "required: [fr, en]")
    manifest.write_text(text.replace("optional: [en]", "optional: []"), encoding="utf-8")
    other = tmp_path / "pkg2"
    result = run_cli("package", str(manifest), "--out", str(other), "--no-media", "--translate-missing", env=env)
    assert result.code == 1
    assert "screenkit models install" in result.stderr and "Traceback" not in result.stderr
    assert not other.exists()


def test_checksums_verify(built: tuple[Path, Path]) -> None:
    _, out = built
    lines = (out / "checksums.sha256").read_text().splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = _package_files(out)
    del files["checksums.sha256"]
    assert listed == files
    done = subprocess.run(["sha256sum", "-c", "--quiet", "checksums.sha256"], cwd=out, capture_output=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_output_manifest_validates_with_paths_inside_the_package(built: tuple[Path, Path]) -> None:
    _, out = built
    findings = validate_manifest(out / "manifest.yaml", check_media=True)
    assert [f for f in findings if f.is_error] == []
    text = (out / "manifest.yaml").read_text()
    assert "sha256:" in text and ".." not in text


def test_burned_copies_have_the_source_duration(built: tuple[Path, Path]) -> None:
    from toolkit.media.probe import probe

    _, out = built
    burned = probe(out / "lacquer-tray" / "lacquer-tray.burned.zh-Hans+fr.mp4")
    source = probe(SAMPLE / "media" / "lacquer-tray.mp4")
    assert burned.video is not None and source.video is not None
    assert (burned.video.width, burned.video.height) == (source.video.width, source.video.height)
    assert abs((burned.duration_ms or 0) - (source.duration_ms or 0)) < 100


def test_rerun_with_nothing_changed_does_no_work(built: tuple[Path, Path], argos: dict[str, str]) -> None:
    manifest, out = built
    before = _package_files(out)
    result = run_cli("package", str(manifest), "--out", str(out), "--translate-missing", env=argos)
    assert result.code == 0, result.stderr
    log = _step_log(out)
    assert set(log.values()) == {"skipped"}, log
    assert _package_files(out) == before


def test_junit_report_lists_every_step(built: tuple[Path, Path], argos: dict[str, str]) -> None:
    manifest, out = built
    result = run_cli("package", str(manifest), "--out", str(out), "--translate-missing", "--format", "junit", env=argos)
    assert result.code == 0, result.stderr
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    steps = next(suite for suite in root.iter("testsuite") if suite.get("name") == "screenkit package steps")
    assert {case.get("name") for case in steps.iter("testcase")} == set(_step_log(out))
    assert steps.get("failures") == "0" and root.get("failures") == "0"


def test_junit_report_of_a_blocked_manifest(tmp_path: Path) -> None:
    manifest = _copy_sample(tmp_path)
    text = manifest.read_text(encoding="utf-8").replace("runtime: 300", "runtime: five minutes", 1)
    manifest.write_text(text, encoding="utf-8")
    result = run_cli("package", str(manifest), "--out", str(tmp_path / "pkg"), "--format", "junit")
    assert result.code == 1
    root = ET.fromstring(result.stdout.split("\n", 1)[1])
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("type", "").startswith("M")
    row = next(number for number, line in enumerate(text.splitlines(), 1) if "runtime: five minutes" in line)
    assert failure.get("line") == str(row)
    assert not (tmp_path / "pkg").exists()


def test_changing_one_subtitle_file_reruns_only_that_works_steps(tmp_path: Path) -> None:
    manifest = _copy_sample(tmp_path)
    out = tmp_path / "pkg"
    assert run_cli("package", str(manifest), "--out", str(out), "--no-media").code == 0
    track = manifest.parent / "subtitles" / "city-static.fr.srt"
    track.write_text(track.read_text(encoding="utf-8").replace("Encore ce bruit.", "Toujours ce bruit."), encoding="utf-8")
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media")
    assert result.code == 0, result.stderr
    ran = {step for step, action in _step_log(out).items() if action == "ran"}
    assert ran, "nothing was redone"
    assert all(step.startswith("city-static/") for step in ran), ran
    assert "city-static/subtitles/fr" in ran and "city-static/burn/fr" in ran
    assert "city-static/subtitles/zh-Hans" not in ran and "city-static/media" not in ran
    assert "Toujours ce bruit." in (out / "city-static" / "sidecar" / "city-static.fr.srt").read_text()


def test_another_ffmpeg_rebuilds_the_copies_and_nothing_else(tmp_path: Path) -> None:
    """The ffmpeg's version is in the fingerprint of every step that runs it."""
    from toolkit.media.ffmpeg import bundled_ffmpeg_path

    manifest = _copy_sample(tmp_path)
    out = tmp_path / "pkg"
    assert run_cli("package", str(manifest), "--out", str(out), "--no-media").code == 0
    other = tmp_path / "other" / "ffmpeg"
    other.parent.mkdir()
    other.write_text(
        '#!/bin/sh\nfor a in "$@"; do [ "$a" = -version ] && { echo "ffmpeg version 9.9.1-other"; exit 0; }; done\n'
        f'exec "{bundled_ffmpeg_path()}" "$@"\n'
    )
    other.chmod(0o755)
    result = run_cli("package", str(manifest), "--out", str(out), "--no-media", "--ffmpeg", str(other))
    assert result.code == 0, result.stderr
    log = _step_log(out)
    ran = {step.split("/")[1] for step, action in log.items() if action == "ran"}
    assert ran == {"burn", "still", "mux"}, log
    again = run_cli("package", str(manifest), "--out", str(out), "--no-media", "--ffmpeg", str(other))
    assert again.code == 0 and set(_step_log(out).values()) == {"skipped"}


def test_kill_9_in_the_middle_then_rerun_gives_the_identical_package(
    tmp_path: Path, built: tuple[Path, Path], argos: dict[str, str]
) -> None:
    manifest = _copy_sample(tmp_path)
    out = tmp_path / "pkg"
    env = {**os.environ, "PYTHONPATH": str(ROOT), **argos}
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "-q", "package", str(manifest), "--out", str(out), "--translate-missing"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    state = out / ".screenkit" / "state.json"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        # Kill once a few steps are recorded and while a burn is running.
        if state.is_file() and len(json.loads(state.read_text() or "{}")) >= 4:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be interrupted"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not (out / "report.html").exists()

    result = run_cli("package", str(manifest), "--out", str(out), "--translate-missing", env=argos)
    assert result.code == 0, result.stderr
    log = _step_log(out)
    assert "skipped" in log.values() and "ran" in log.values()
    assert not [p for p in out.rglob(".*.part*")], "temporary files left behind"
    _, reference = built
    assert _package_files(out) == _package_files(reference)


def test_dry_run_prints_the_plan_and_builds_nothing(tmp_path: Path) -> None:
    out = tmp_path / "pkg"
    result = run_cli("package", str(SAMPLE / "manifest.yaml"), "--out", str(out), "--dry-run", "--no-media")
    assert result.code == 0, result.stderr
    assert "lacquer-tray/burn/zh-Hans+fr" in result.stdout
    assert not out.exists()


def test_a_manifest_with_errors_stops_before_building(tmp_path: Path) -> None:
    manifest = _copy_sample(tmp_path)
    text = manifest.read_text(encoding="utf-8").replace("runtime: 300", "runtime: five minutes", 1)
    manifest.write_text(text, encoding="utf-8")
    out = tmp_path / "pkg"
    result = run_cli("package", str(manifest), "--out", str(out))
    assert result.code == 1
    assert "manifest.yaml:" in result.stderr and "works[0].runtime" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_package_refuses_to_write_into_the_manifest_folder(tmp_path: Path) -> None:
    manifest = _copy_sample(tmp_path)
    result = run_cli("package", str(manifest), "--out", str(manifest.parent))
    assert_clean_error(result, "manifest's folder")


def test_package_refuses_a_folder_that_is_not_a_package(tmp_path: Path) -> None:
    manifest = _copy_sample(tmp_path)
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    result = run_cli("package", str(manifest), "--out", str(out))
    assert_clean_error(result, "not a screenkit package")
    assert (out / "thesis.docx").read_text() == "precious"


@pytest.mark.skipif(
    find_chromium() is None and os.environ.get("CI") != "true",
    reason="no chromium found: install Debian's chromium (CI does) to render the package's report",
)
def test_the_package_report_renders_in_chromium(built: tuple[Path, Path], tmp_path: Path) -> None:
    from PIL import Image

    from toolkit.report.browser import screenshot

    _, out = built
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 3  # a still of each burned copy
    # city-static's English, machine-translated by this run: its own badge, not the reviewed one.
    assert 'class="badge unreviewed">machine, not reviewed<' in page
    png = screenshot(out / "report.html", tmp_path / "report.png", width=1280, height=2400)
    image = Image.open(png).convert("RGB")
    pixels = list(image.get_flattened_data())
    assert len(set(pixels)) > 500  # text, badges, stills: not a blank or error page
    # The amber "machine" badge background (#fff1d6) is drawn somewhere on the page.
    assert any(abs(r - 255) < 3 and abs(g - 241) < 4 and abs(b - 214) < 4 for r, g, b in pixels)
