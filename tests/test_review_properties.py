"""Invariants of the review page's parts: the journal, edit validation, approval, manifest editing.

- replaying the journal gives each cue's last edit, whatever the order, and a
  journal cut anywhere (kill -9 mid-write) gives the state after some whole
  number of its records, never a garbled text;
- any text the page accepts is written and read back as the same lines (the
  SRT, WebVTT and ASS structure can never be broken by an edit);
- approving a track without edits changes no cue's times or visible text: on
  every file of the shared corpus that parses;
- setting a track's fields in a manifest changes exactly those fields.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit.errors import ScreenkitError
from toolkit.review.checks import validate_edit
from toolkit.review.journal import Journal, replay
from toolkit.review.manifest_edit import update_track_fields
from toolkit.review.session import ReviewSession
from toolkit.review.workset import load_workset
from toolkit.subtitles import SUBTITLE_EXTENSIONS, Cue, Track, parse_text, read_track, render_track

CORPUS_FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix.lower() in SUBTITLE_EXTENSIONS)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(edits=st.lists(st.tuples(st.integers(0, 5), TEXT), max_size=12), cut=st.integers(0, 10_000))
def test_journal_replays_last_edit_per_cue_and_survives_any_cut(tmp_path: Path, edits: list[tuple[int, str]], cut: int) -> None:
    path = tmp_path / "t.srt.review.jsonl"
    path.unlink(missing_ok=True)
    journal = Journal(path)
    states: list[dict[int, str]] = [{}]
    for cue, text in edits:
        journal.append({"type": "edit", "cue": cue, "text": text})
        states.append({**states[-1], cue: text})
    assert replay(path).edits == states[-1]
    data = path.read_bytes() if edits else b""
    path.write_bytes(data[: cut % (len(data) + 1)])
    assert replay(path).edits in states  # a prefix of whole records, never half of one
    journal.append({"type": "edit", "cue": 9, "text": "after"})
    assert replay(path).edits.get(9) == "after"  # a torn tail does not swallow the next record


@SETTINGS
@given(text=TEXT, fmt=st.sampled_from(["srt", "vtt", "ass"]))
def test_accepted_text_reads_back_as_written(text: str, fmt: str) -> None:
    try:
        lines = validate_edit(text)
    except ScreenkitError:
        return
    if not "".join(lines).strip():
        return  # an empty cue: approval refuses it
    track = Track(cues=[Cue(1000, 3000, ["Avant."]), Cue(4000, 6000, lines), Cue(7000, 9000, ["Après."])], format=fmt)
    back = parse_text(render_track(track, fmt), fmt)
    assert [(c.start, c.end) for c in back.cues] == [(1000, 3000), (4000, 6000), (7000, 9000)]
    assert [line.strip() for line in back.cues[1].lines] == [line.strip() for line in lines]


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_approving_without_edits_changes_no_cue(tmp_path: Path, path: Path) -> None:
    try:
        original = read_track(path)
    except ScreenkitError:
        return  # the corpus tests check that it fails cleanly
    if not original.cues or any(not "".join(c.lines).strip() for c in original.cues):
        return  # approval refuses empty cues (the editor must write them first)
    copy = tmp_path / f"track.en{path.suffix.lower()}"
    shutil.copyfile(path, copy)
    session = ReviewSession(load_workset([copy]), cache_path=tmp_path / "cache.sqlite")
    (key,) = [track.key for track in session.workset.tracks]
    session.approve(key, "Corpus")
    back = read_track(copy)
    assert [(c.start, c.end) for c in back.cues] == [(c.start, c.end) for c in original.cues]
    def visible(track: Track) -> list[list[str]]:  # an empty line inside a cue cannot be written in SRT
        return [[line.strip() for line in c.lines if line.strip()] for c in track.cues]

    assert visible(back) == visible(original)
    assert len(parse_text(session.vtt(key), "vtt").cues) == len(original.cues)


VALUES = st.one_of(st.booleans(), st.integers(-5, 5), st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # ~0.1 s each
@given(changes=st.dictionaries(st.sampled_from(["reviewed", "reviewed_by", "reviewed_at", "origin", "note"]), VALUES, min_size=1), json_manifest=st.booleans())
def test_manifest_edit_changes_exactly_the_fields(tmp_path: Path, changes: dict[str, object], json_manifest: bool) -> None:
    name = "documentary-expo/manifest.json" if json_manifest else "paris-showcase/manifest.yaml"
    manifest = tmp_path / Path(name).name
    shutil.copyfile(SAMPLES / name, manifest)
    if json_manifest:
        before = json.loads(manifest.read_text(encoding="utf-8"))
    else:
        from ruamel.yaml import YAML

        before = YAML(typ="safe").load(manifest.read_text(encoding="utf-8"))
    work, track = (0, 1) if json_manifest else (1, 2)
    update_track_fields(manifest, work, track, changes)  # type: ignore[arg-type]
    text = manifest.read_text(encoding="utf-8")
    if json_manifest:
        after = json.loads(text)
    else:
        from ruamel.yaml import YAML

        after = YAML(typ="safe").load(text)
    before["works"][work]["subtitles"][track].update(changes)
    assert json.loads(json.dumps(after, default=str)) == json.loads(json.dumps(before, default=str))
