"""``screenkit translate`` end to end on real argos packages (tiny CTranslate2 models built here)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT, assert_clean_error, run_cli
from tinymodel import (  # noqa: F401  (fixtures)
    SAMPLE_LINES,
    argos_env,
    argos_packages_dir,
    build_argos_package,
    tiny_packages,
)

from toolkit.subtitles import read_track

NETFLIX_ZH = CORPUS / "ChineseSubFinder__ChineseSubFinder" / (
    "TestData__hotfix__001__org__series__无罪之最 (2021)__Sub_S1E0__[subhd]_0_"
    "The.Innocent.S01E01.Episode.1.1080p.NF.WEB-DL.DDP5.1.x264-PAAI.chs.srt"
)
ASS_ZH = CORPUS / "ChineseSubFinder__ChineseSubFinder" / (
    "TestData__hotfix__001__org__movies__21座桥 (2019)__21座桥 (2019) 720p AAC.chs[subhd].ass"
)
CHINESE = [line for line in SAMPLE_LINES if not line.isascii()]


def zh_srt(path: Path, count: int) -> Path:
    """``count`` distinct Chinese sentences, one per cue, 2 s apart (never joined)."""
    blocks = []
    for n in range(count):
        start = n * 2000
        text = f"{CHINESE[n % len(CHINESE)][:-1]}，第{n}次。"
        blocks.append(f"{n + 1}\n{_clock(start)} --> {_clock(start + 1500)}\n{text}\n")
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


def _clock(ms: int) -> str:
    return f"{ms // 3600000:02}:{ms // 60000 % 60:02}:{ms // 1000 % 60:02},{ms % 1000:03}"


def translate(*args: str, env: dict[str, str] | None = None):
    return run_cli("translate", *args, "--format", "json", env=env)


def test_real_file_to_english_and_french_through_the_pivot(argos_env: dict, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "out"
    cache = tmp_path / "cache.sqlite"
    result = translate(str(NETFLIX_ZH), "--to", "en,fr", "--from", "zh-Hans", "--out-dir", str(out), "--cache", str(cache), "--beam-size", "1")
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    original = read_track(NETFLIX_ZH)
    (file_report,) = report["results"]
    stem = NETFLIX_ZH.name[: -len(".chs.srt")]
    assert file_report["outputs"] == {"en": str(out / f"{stem}.en.srt"), "fr": str(out / f"{stem}.fr.srt")}
    for language in ("en", "fr"):
        translated = read_track(out / f"{stem}.{language}.srt")
        assert len(translated) == len(original) == report["cues"]
        assert [(c.start, c.end) for c in translated] == [(c.start, c.end) for c in original]
    # zh→en is translated once and reused by the zh→en→fr pivot; en→fr is the second pass.
    segments = file_report["segments"]
    assert report["segments"] == 2 * segments
    assert 0 < report["translated"] <= 2 * segments
    assert report["cache_hits"] >= segments
    with sqlite3.connect(cache) as db:
        models = dict(db.execute("SELECT substr(model, 1, 19), COUNT(*) FROM translations GROUP BY 1"))
    assert set(models) == {"translate-zh_en-1_0", "translate-en_fr-1_0"}

    # Re-run: everything from the cache, the same bytes.
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    again = json.loads(translate(str(NETFLIX_ZH), "--to", "en,fr", "--out-dir", str(out), "--cache", str(cache), "--beam-size", "1").stdout)
    # Hits are counted per model pass: zh→en (for en), zh→en and en→fr (for fr).
    assert again["translated"] == 0 and again["cache_hits"] == 3 * segments
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_ass_file_keeps_format_styles_positions_and_times(argos_env: dict, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "out"
    result = translate(str(ASS_ZH), "--to", "en", "--from", "zh", "--out-dir", str(out), "--cache", str(tmp_path / "c.sqlite"), "--beam-size", "1")
    assert result.code == 0, result.stderr
    (path,) = out.iterdir()
    assert path.name.endswith(".en.ass")
    original, translated = read_track(ASS_ZH), read_track(path)
    assert len(translated) == len(original) > 1000
    assert [(c.start, c.end, c.style, c.alignment) for c in translated] == [
        (c.start, c.end, c.style, c.alignment) for c in original
    ]
    # Two speakers keep a line each, however long (issue 22: never four lines; lint reports SK201).
    speakers = [sum(1 for line in c.plain_lines if line.lstrip()[:1] == "-") >= 2 for c in translated]
    assert all(len(line) <= 42 or " " not in line for c, two in zip(translated, speakers, strict=True) if not two for line in c.plain_lines)
    assert all(len(c.lines) <= 2 for c, two in zip(translated, speakers, strict=True) if two)


def test_resume_after_kill_translates_only_the_rest_and_writes_the_same_file(argos_env: dict, tmp_path: Path) -> None:  # noqa: F811
    source = zh_srt(tmp_path / "long.zh.srt", 400)
    out, cache = tmp_path / "out", tmp_path / "cache.sqlite"
    args = [str(source), "--to", "en", "--out-dir", str(out), "--cache", str(cache), "--compute-type", "float32"]
    env = {**os.environ, **argos_env, "PYTHONPATH": str(ROOT), "SCREENKIT_TRANSLATE_CHUNK": "8"}
    process = subprocess.Popen([sys.executable, "-m", "toolkit", "-q", "translate", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if cache.exists():
            try:
                with sqlite3.connect(f"file:{cache}?mode=ro", uri=True) as db:
                    stored = db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0  # the schema is being created
            if stored >= 40:
                process.send_signal(signal.SIGKILL)
                break
        time.sleep(0.005)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL, process.stderr.read() if process.stderr else ""
    process.stderr.close()  # type: ignore[union-attr]
    with sqlite3.connect(cache) as db:
        done_before = db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    assert 40 <= done_before < 400  # killed in the middle
    assert not out.exists() or not list(out.iterdir())  # no partial output

    resumed = run_cli("translate", *args, "--format", "json", env={"SCREENKIT_TRANSLATE_CHUNK": "8"})
    assert resumed.code == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    assert report["translated"] == 400 - done_before
    assert report["cache_hits"] == done_before

    # The same file as a run that was never interrupted.
    clean_out = tmp_path / "clean"
    clean = run_cli(
        "translate", str(source), "--to", "en", "--out-dir", str(clean_out), "--cache", str(tmp_path / "fresh.sqlite"),
        "--compute-type", "float32", env={"SCREENKIT_TRANSLATE_CHUNK": "8"},
    )
    assert clean.code == 0, clean.stderr
    assert (out / "long.en.srt").read_bytes() == (clean_out / "long.en.srt").read_bytes()


def test_one_bad_file_does_not_stop_the_others(argos_env: dict, tmp_path: Path) -> None:  # noqa: F811
    good = zh_srt(tmp_path / "good.zh.srt", 5)
    garbage = tmp_path / "garbage.zh.srt"
    garbage.write_bytes(b"\x00\x01 not subtitles \xff" * 10)
    missing = tmp_path / "missing.zh.srt"
    out = tmp_path / "out"
    result = translate(str(garbage), str(good), str(missing), "--to", "en", "--out-dir", str(out), "--cache", str(tmp_path / "c.sqlite"))
    assert result.code == 1
    report = json.loads(result.stdout)
    errors = {Path(r["input"]).name: r["error"] for r in report["results"]}
    assert errors["good.zh.srt"] is None
    assert errors["garbage.zh.srt"] and "garbage.zh.srt" in errors["garbage.zh.srt"]
    assert "no such file" in errors["missing.zh.srt"]
    assert sorted(p.name for p in out.iterdir()) == ["good.en.srt"]
    assert len(read_track(out / "good.en.srt")) == 5


def test_source_language_is_detected_when_not_named(argos_env: dict, tmp_path: Path) -> None:  # noqa: F811
    source = zh_srt(tmp_path / "episode 1.srt", 6)
    result = translate(str(tmp_path), "--to", "en", "--out-dir", str(tmp_path / "out"), "--cache", str(tmp_path / "c.sqlite"))
    assert result.code == 0, result.stderr
    (file_report,) = json.loads(result.stdout)["results"]
    assert file_report["input"] == str(source) and file_report["source"] == "zh-Hans"
    assert (tmp_path / "out" / "episode 1.en.srt").is_file()


def test_text_summary_and_glossary_warning_on_stderr(argos_env: dict, tmp_path: Path) -> None:  # noqa: F811
    source = tmp_path / "film.zh.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\n我们明天早上去秦岭。\n", encoding="utf-8")
    glossary = tmp_path / "g.yaml"
    glossary.write_text("version: 1\nnames:\n  - {zh-Hans: 秦岭, en: Qinling}\n", encoding="utf-8")
    result = run_cli("translate", str(source), "--to", "en", "--out-dir", str(tmp_path / "out"), "--cache", str(tmp_path / "c.sqlite"), "--glossary", str(glossary))
    assert result.code == 0, result.stderr
    assert "1 files (0 failed), 1 cues, 1 segments, 1 translated, 0 cache hits" in result.stderr
    # Random weights do not copy the placeholder: the check must say so (or the name is there).
    output = (tmp_path / "out" / "film.en.srt").read_text(encoding="utf-8")
    assert "Qinling" in output or "TR001" in result.stderr


def test_no_model_for_the_pair_says_how_to_install(tmp_path: Path) -> None:
    source = zh_srt(tmp_path / "film.zh.srt", 3)
    env = {"ARGOS_PACKAGES_DIR": str(tmp_path / "empty")}
    result = run_cli("translate", str(source), "--to", "fr", "--out-dir", str(tmp_path / "out"), "--cache", str(tmp_path / "c.sqlite"), env=env)
    assert_clean_error(result, "no model installed for zh-Hans → fr", "screenkit models install zh-Hans:en en:fr")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--to", "xx"], "unknown language 'xx'"),
        (["--to", "en", "--from", "klingon"], "unknown language 'klingon'"),
        (["--to", "en", "--compute-type", "int3"], "unknown compute type 'int3'"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path: Path, args: list[str], fragment: str) -> None:
    source = zh_srt(tmp_path / "film.zh.srt", 2)
    result = run_cli("translate", str(source), *args, "--out-dir", str(tmp_path / "out"), "--cache", str(tmp_path / "c.sqlite"))
    assert_clean_error(result, fragment)


def test_corrupt_model_weights_are_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packages = tmp_path / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    package = build_argos_package(tmp_path / "p.argosmodel", from_code="zh", to_code="en")
    assert run_cli("models", "install", str(package)).code == 0
    (packages / "translate-zh_en-1_0" / "model" / "model.bin").write_bytes(b"not a model")
    source = zh_srt(tmp_path / "film.zh.srt", 2)
    result = run_cli("translate", str(source), "--to", "en", "--out-dir", str(tmp_path / "out"), "--cache", str(tmp_path / "c.sqlite"))
    assert_clean_error(result, "cannot load the model", "translate-zh_en-1_0")


def test_engine_batches_loads_once_and_bounds_decoding(argos_packages_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(argos_packages_dir))
    from toolkit.translate.cache import CachedTranslator
    from toolkit.translate.engine import ArgosPairTranslator, EngineOptions, decoding_bound
    from toolkit.translate.models import find_installed

    engine = ArgosPairTranslator(find_installed("zh", "en"), EngineOptions(beam_size=2))
    texts = [f"{CHINESE[n % len(CHINESE)]}{n}" for n in range(300)]
    outputs = CachedTranslator(engine, None, chunk=256).translate(texts)
    assert len(outputs) == 300 and all(isinstance(o, str) for o in outputs)
    assert engine.calls == 2  # 300 segments: two translate_batch calls, not 300
    loaded = engine._translator
    tokens = engine.tokenize(texts[:40])
    results = engine.translate_tokens(tokens)
    assert engine._translator is loaded  # the model is loaded once
    bound = decoding_bound(max(len(t) for t in tokens))
    assert bound < 256 and all(len(r) <= bound for r in results)


def test_target_prefix_of_the_package_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ctranslate2

    from toolkit.translate.engine import ArgosPairTranslator, EngineOptions
    from toolkit.translate.models import find_installed

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    package = build_argos_package(tmp_path / "p.argosmodel", from_code="en", to_code="fr", target_prefix="▁Il")
    assert run_cli("models", "install", str(package)).code == 0
    model = find_installed("en", "fr")
    assert model is not None and model.target_prefix == "▁Il"
    engine = ArgosPairTranslator(model, EngineOptions(beam_size=1, max_decoding_length=12))
    tokens = engine.tokenize(["Wait for me here.", "Let's have dinner together."])
    raw = ctranslate2.Translator(str(model.path / "model"), compute_type="int8").translate_batch(
        tokens, target_prefix=[["▁Il"]] * 2, beam_size=1, max_decoding_length=12
    )
    assert [r.hypotheses[0][0] for r in raw] == ["▁Il", "▁Il"]
    assert engine.translate_tokens(tokens) == [list(r.hypotheses[0][1:]) for r in raw]


def test_cuda_without_a_gpu_and_a_cache_that_is_not_sqlite(argos_env: dict, tmp_path: Path) -> None:  # noqa: F811
    import ctranslate2

    source = zh_srt(tmp_path / "film.zh.srt", 2)
    out = str(tmp_path / "out")
    if ctranslate2.get_cuda_device_count() == 0:
        result = run_cli("translate", str(source), "--to", "en", "--out-dir", out, "--cache", str(tmp_path / "c.sqlite"), "--device", "cuda")
        assert_clean_error(result, "no CUDA device")
    bad_cache = tmp_path / "cache.sqlite"
    bad_cache.write_bytes(b"this is not a database" * 100)
    result = run_cli("translate", str(source), "--to", "en", "--out-dir", out, "--cache", str(bad_cache))
    assert_clean_error(result, "cannot use the translation cache", "cache.sqlite")
    assert not (tmp_path / "out").exists()
