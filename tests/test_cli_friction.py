"""The small frictions of a first hour (issue 25): set-up noise, help texts, closed
pipes, mistyped commands, explanations that cite what the project has, caches."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

# What setuptools' editable build and a pip configured with missing local indexes
# print on a fresh machine (seen on the first `bin/screenkit` of a clone).
NOISY_SETUP = """\
screenkit: setting up /x/.venv (first run only)...
WARNING: Location '/opt/wheels' is ignored: it is neither a file nor a directory.
/tmp/pip-build-env-1/overlay/lib/python3.11/site-packages/setuptools/command/editable_wheel.py:351: InformationOnly: Editable installation.
  !!

          ********************************************************************************
          Please be careful with folders in your working directory with the same
          name as your package as they may take precedence during imports.
          ********************************************************************************

  !!
    with strategy, WheelFile(wheel_path, "w") as wheel_obj:
ERROR: Could not find a version that satisfies the requirement nothing==0
"""


def test_setup_output_has_no_fragment_of_setuptools_notices() -> None:
    filtered = subprocess.run(
        ["awk", "-f", str(ROOT / "bin" / "_quiet_setup.awk")],
        input=NOISY_SETUP, capture_output=True, text=True, check=True,
    ).stdout
    assert filtered.splitlines() == [
        "screenkit: setting up /x/.venv (first run only)...",
        "ERROR: Could not find a version that satisfies the requirement nothing==0",
    ]


def test_the_set_up_uses_the_filter() -> None:
    assert "_quiet_setup.awk" in (ROOT / "bin" / "_venv.sh").read_text(encoding="utf-8")


def test_convert_help_names_every_format_it_converts() -> None:
    from toolkit.subtitles.formats import formats

    family = {
        "srt": "SRT", "vtt": "WebVTT", "ass": "ASS", "ssa": "ASS", "imsc": "IMSC",
        "ebu-tt-d": "EBU-TT-D", "dcp-interop": "DCP", "dcp-smpte": "DCP",
    }
    listed = run_cli("--help")
    line = next(line for line in listed.stdout.splitlines() if line.strip().startswith("convert"))
    for fmt in formats():
        assert fmt.name in family, f"new format {fmt.name}: name it in the convert help"
        assert family[fmt.name] in line, (fmt.name, line)


@pytest.mark.parametrize("args", [("explain", "--list"), ("lint", "--list-rules"), ("--help",)])
def test_a_closed_pipe_ends_quietly_with_exit_0(args: tuple[str, ...]) -> None:
    # The reader is gone before the first write, as with `| head -1` on long output.
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "toolkit", *args], stdout=write_end, stderr=subprocess.PIPE,
            env=env, timeout=120,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""


@pytest.mark.parametrize(("typed", "meant"), [("packge", "package"), ("lnt", "lint"), ("valdate", "validate")])
def test_a_mistyped_command_gets_a_suggestion(typed: str, meant: str) -> None:
    result = run_cli(typed)
    assert result.code == 2
    assert f"No such command '{typed}'. Did you mean '{meant}'?" in result.stderr


def test_an_unrelated_word_gets_no_suggestion() -> None:
    result = run_cli("zzzzzz")
    assert result.code == 2
    assert "No such command 'zzzzzz'." in result.stderr and "Did you mean" not in result.stderr


def test_no_explanation_cites_a_file_the_project_lacks() -> None:
    from toolkit.catalogue import catalogue

    shipped = {path.name for path in ROOT.glob("*.md")} | {path.name for path in ROOT.glob("docs/**/*.md")}
    for code, doc in catalogue().items():
        for cited in re.findall(r"[\w./-]+\.md\b", f"{doc.documentation} {doc.fix}"):
            assert Path(cited).name in shipped, f"{code} cites {cited}, which the project does not ship"


def test_langid_cache_is_keyed_by_content_not_path(tmp_path: Path) -> None:
    from toolkit.cachekeys import installed_file_digest

    site = tmp_path / "a" / "site-packages"
    (site / "pkg" / "data").mkdir(parents=True)
    (site / "pkg-1.0.dist-info").mkdir()
    model = site / "pkg" / "data" / "model.bin"
    model.write_bytes(b"model bytes")
    other = tmp_path / "b" / "site-packages" / "pkg" / "data" / "model.bin"
    other.parent.mkdir(parents=True)
    other.write_bytes(b"model bytes")
    # No RECORD: the content is hashed; two checkouts of the same bytes share the key.
    assert installed_file_digest(model) == installed_file_digest(other)
    assert installed_file_digest(model) == hashlib.sha256(b"model bytes").hexdigest()[:16]
    # A RECORD that lists the file at its size gives the wheel's digest without reading it.
    import base64

    digest = hashlib.sha256(b"model bytes").digest()
    record = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    (site / "pkg-1.0.dist-info" / "RECORD").write_text(
        f"pkg/data/model.bin,sha256={record},{len(b'model bytes')}\n", encoding="utf-8"
    )
    assert installed_file_digest(model) == digest.hex()[:16]
    # The file changed under the RECORD (another size): hashed again, so the key follows.
    model.write_bytes(b"other model bytes")
    assert installed_file_digest(model) == hashlib.sha256(b"other model bytes").hexdigest()[:16]


def test_unused_cache_copies_are_pruned_and_used_ones_kept(tmp_path: Path) -> None:
    from toolkit.cachekeys import PRUNE_AFTER_DAYS, mark_used, prune_siblings

    current, recent, stale, unrelated = (tmp_path / name for name in ("langid-a", "langid-b", "langid-c", "fonts"))
    for folder in (current, recent, stale, unrelated):
        folder.mkdir()
        mark_used(folder)
    old = time.time() - (PRUNE_AFTER_DAYS + 1) * 86400
    os.utime(stale / ".used", (old, old))
    os.utime(unrelated, (old, old))
    removed = prune_siblings(current, "langid-*")
    assert removed == [stale]
    assert current.is_dir() and recent.is_dir() and unrelated.is_dir() and not stale.exists()


def test_the_langid_model_is_unpacked_once_per_content(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path)}
    code = "from toolkit.qc.langid import identify_language; print(identify_language('bonjour tout le monde')[1])"
    for _ in range(2):
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
        assert done.stdout.strip() == "fr", done.stderr
    copies = sorted(path.name for path in (tmp_path / "screenkit").glob("langid-*"))
    assert len(copies) == 1
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    content = hashlib.sha256((Path(MODEL_DIR) / MODEL_FILE).read_bytes()).hexdigest()[:16]
    assert copies == [f"langid-{content}"]


def test_hypothesis_under_ci_is_derandomized_and_keeps_no_database(tmp_path: Path) -> None:
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        "from hypothesis import settings\n"
        "def test_profile():\n"
        "    print('PROFILE', settings().derandomize, settings().database is None)\n",
        encoding="utf-8",
    )

    def profile(ci: str | None) -> str:
        env = {key: value for key, value in os.environ.items() if key != "CI"}
        env["PYTHONPATH"] = str(ROOT)
        if ci is not None:
            env["CI"] = ci
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "--rootdir", str(ROOT),
             "--confcutdir", str(ROOT / "tests"), "-c", str(ROOT / "pyproject.toml"), str(probe)],
            cwd=ROOT / "tests", env=env, capture_output=True, text=True, timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return next(line for line in done.stdout.splitlines() if line.startswith("PROFILE"))

    assert profile("true") == "PROFILE True True"
    assert profile(None) == "PROFILE False False"  # a developer's run explores and remembers
    assert not (tmp_path / ".hypothesis").exists()
