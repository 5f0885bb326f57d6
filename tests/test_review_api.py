"""``screenkit review``: the application through an in-process client, and a real server killed with -9."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import warnings
from datetime import datetime
from pathlib import Path

import pytest
from conftest import SAMPLES, assert_clean_error, run_cli
from review_support import MACHINE_TRACK, TOKEN, TRACK_KEY, make_event, start_server
from tinymodel import argos_env, argos_packages_dir, tiny_packages  # noqa: F401  (fixtures)

from toolkit.errors import ScreenkitError
from toolkit.languages import parse_language
from toolkit.manifest import load_manifest, validate_manifest
from toolkit.review.journal import replay
from toolkit.review.session import ReviewSession
from toolkit.review.workset import load_workset
from toolkit.subtitles import read_track
from toolkit.translate.cache import TranslationCache

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette suggests httpx2; httpx is what it runs on here
    from starlette.testclient import TestClient

    from toolkit.review.app import create_app

HEADERS = {"X-Review-Token": TOKEN}
LONG_FR = "Une phrase beaucoup trop longue pour être lue pendant une réplique aussi brève, même vite."


def client_for(manifest: Path, tmp_path: Path, **options: object) -> tuple[TestClient, ReviewSession]:
    session = ReviewSession(load_workset([manifest]), cache_path=tmp_path / "cache.sqlite", reviewer="Ann Lee", **options)  # type: ignore[arg-type]
    return TestClient(create_app(session, TOKEN)), session


def edit(client: TestClient, cue: int, text: str, key: str = TRACK_KEY):
    return client.post(f"/api/track/{key}/cue/{cue}", headers=HEADERS, json={"text": text})


@pytest.fixture
def event(tmp_path: Path) -> Path:
    return make_event(tmp_path)


def test_manifest_page_lists_works_tracks_origin_and_review_state(event: Path, tmp_path: Path) -> None:
    client, _ = client_for(event, tmp_path)
    page = client.get(f"/?token={TOKEN}")
    assert page.status_code == 200
    for work in ("lacquer-tray", "tides-within", "city-static"):
        assert work in page.text
    assert f'href="/track/{TRACK_KEY}?token={TOKEN}"' in page.text
    assert page.text.count('class="badge machine"') == 1
    assert page.text.count('class="badge unreviewed"') == 1
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_track_page_rows_source_aligned_by_cue_and_video(event: Path, tmp_path: Path) -> None:
    client, _ = client_for(event, tmp_path)
    page = client.get(f"/track/{TRACK_KEY}?token={TOKEN}")
    assert page.status_code == 200
    source = read_track(event.parent / "subtitles" / "tides-within.zh-Hans.srt")
    translation = read_track(event.parent / "subtitles" / "tides-within.fr.srt")
    assert page.text.count("<textarea") == len(translation.cues)
    data = client.get(f"/api/track/{TRACK_KEY}", headers=HEADERS).json()
    assert [cue["source"] for cue in data["cues"]] == [cue.text for cue in source.cues]
    assert [cue["text"] for cue in data["cues"]] == [cue.text for cue in translation.cues]
    assert [(cue["start"], cue["end"]) for cue in data["cues"]] == [(c.start, c.end) for c in translation.cues]
    assert f'src="/files/media/tides-within.mp4?token={TOKEN}"' in page.text
    assert f'src="/track/{TRACK_KEY}/subtitles.vtt?token={TOKEN}&amp;v=0"' in page.text
    video = client.get(f"/files/media/tides-within.mp4?token={TOKEN}", headers={"Range": "bytes=0-99"})
    assert video.status_code == 206 and len(video.content) == 100  # seeking needs ranges


def test_edit_is_journaled_checked_and_in_the_vtt(event: Path, tmp_path: Path) -> None:
    client, _ = client_for(event, tmp_path)
    assert 'data-code="SK203"' not in client.get(f"/track/{TRACK_KEY}?token={TOKEN}").text
    before = client.get(f"/api/track/{TRACK_KEY}", headers=HEADERS).json()["cues"][1]
    assert "SK203" not in {f["code"] for f in before["findings"]}
    answer = edit(client, 1, LONG_FR)
    assert answer.status_code == 200, answer.text
    codes = {f["code"] for f in answer.json()["findings"]}
    assert "SK203" in codes  # reading speed, from toolkit.qc's own rule
    journal = event.parent / "subtitles" / "tides-within.fr.srt.review.jsonl"
    (record,) = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    assert record["type"] == "edit" and record["cue"] == 1 and record["text"] == LONG_FR
    assert record["was"] == before["text"]
    page = client.get(f"/track/{TRACK_KEY}?token={TOKEN}").text  # the edited row, not a cached one
    assert 'tabindex="-1" class="edited">' in page and LONG_FR in page and 'data-code="SK203"' in page
    vtt = client.get(f"/track/{TRACK_KEY}/subtitles.vtt?token={TOKEN}")
    assert vtt.headers["content-type"].startswith("text/vtt") and LONG_FR in vtt.text
    # The file itself is only written on approval.
    assert LONG_FR not in (event.parent / "subtitles" / "tides-within.fr.srt").read_text(encoding="utf-8")


def test_glossary_term_missing_is_flagged(event: Path, tmp_path: Path) -> None:
    from toolkit.translate.glossary import load_glossary

    source = read_track(event.parent / "subtitles" / "tides-within.zh-Hans.srt")
    index, term = next((i, ch) for i, cue in enumerate(source.cues) for ch in ("潮汐", "海") if ch in cue.text)
    glossary = tmp_path / "glossary.json"
    glossary.write_text(json.dumps({"pairs": [{"from": "zh-Hans", "to": "fr", "terms": [{"source": term, "target": "Marée"}]}]}), encoding="utf-8")
    client, _ = client_for(event, tmp_path, glossary=load_glossary(glossary))
    without = edit(client, index, "Rien ici.").json()["findings"]
    assert [f["code"] for f in without if f["code"] == "TR001"] == ["TR001"]
    with_term = edit(client, index, "La Marée monte.").json()["findings"]
    assert "TR001" not in {f["code"] for f in with_term}


def test_restart_replays_the_journal(event: Path, tmp_path: Path) -> None:
    client, _ = client_for(event, tmp_path)
    edit(client, 0, "Premier.")
    edit(client, 3, "Quatrième.")
    edit(client, 0, "Premier, corrigé.")
    again, _ = client_for(event, tmp_path)  # a new session over the same files
    cues = again.get(f"/api/track/{TRACK_KEY}", headers=HEADERS).json()["cues"]
    assert (cues[0]["text"], cues[3]["text"]) == ("Premier, corrigé.", "Quatrième.")
    assert cues[0]["edited"] and not cues[1]["edited"]
    assert "2 unapproved edit(s) restored" in again.get(f"/track/{TRACK_KEY}?token={TOKEN}").text


def test_journal_torn_last_line_is_ignored_and_sealed(event: Path, tmp_path: Path) -> None:
    client, session = client_for(event, tmp_path)
    edit(client, 0, "Gardé.")
    journal = session.open(TRACK_KEY).entry.journal_path
    with journal.open("ab") as handle:
        handle.write(b'{"type":"edit","cue":1,"te')  # a write cut short by kill -9
    assert replay(journal).edits == {0: "Gardé."}
    again, _ = client_for(event, tmp_path)
    edit(again, 2, "Après.")
    assert replay(journal).edits == {0: "Gardé.", 2: "Après."}


def test_approve_writes_track_manifest_and_cache(event: Path, tmp_path: Path) -> None:
    client, _ = client_for(event, tmp_path)
    original_text = event.read_text(encoding="utf-8")
    edit(client, 1, LONG_FR)
    edit(client, 2, "<i>Une ligne</i> en italique.")
    answer = client.post(f"/api/track/{TRACK_KEY}/approve", headers=HEADERS, json={"reviewer": "Mei Chen"})
    assert answer.status_code == 200, answer.text
    result = answer.json()

    written = read_track(event.parent / "subtitles" / "tides-within.fr.srt")
    assert written.cues[1].text == LONG_FR and written.cues[2].text == "<i>Une ligne</i> en italique."
    assert not list((event.parent / "subtitles").glob(".*part*"))  # no temporary left

    # Only the track's line changed; the comments and every other line are as they were.
    new_text = event.read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(original_text.splitlines(), new_text.splitlines()) if line[:1] in "+-"]
    assert len(changed) == 2 and changed[0] == "- " + "      " + "- " + MACHINE_TRACK
    assert changed[1].startswith("+       - {language: fr, path: subtitles/tides-within.fr.srt, role: full, origin: machine, reviewed: true, reviewed_by: Mei Chen, reviewed_at: ")
    assert changed[1].endswith("# draft from screenkit translate")
    assert [line for line in original_text.splitlines() if line.lstrip().startswith("#")] == [
        line for line in new_text.splitlines() if line.lstrip().startswith("#")
    ]
    track = load_manifest(event).data["works"][1]["subtitles"][2]
    assert track["reviewed"] is True and track["reviewed_by"] == "Mei Chen"
    assert datetime.fromisoformat(track["reviewed_at"]).utcoffset() is not None
    assert track["reviewed_at"] == result["reviewed_at"]
    assert [d.format_text() for d in validate_manifest(event, check_media=False) if d.is_error and d.code.startswith("M")] == []

    # The approved lines are in the translation cache, keyed by the source cue they render.
    source = read_track(event.parent / "subtitles" / "tides-within.zh-Hans.srt")
    cache = TranslationCache(tmp_path / "cache.sqlite")
    try:
        remembered = cache.lookup_reviewed("zh-Hans", "fr", [cue.text for cue in source.cues])
    finally:
        cache.close()
    assert remembered[source.cues[1].text] == LONG_FR
    assert len(remembered) == result["cached"] == len({c.text for c in source.cues})

    journal = replay(event.parent / "subtitles" / "tides-within.fr.srt.review.jsonl")
    assert journal.edits == {} and journal.approvals[-1]["by"] == "Mei Chen"
    page = client.get(f"/?token={TOKEN}").text
    assert "not reviewed" not in page and "by Mei Chen" in page


def test_approve_json_manifest_keeps_its_layout(tmp_path: Path) -> None:
    event = tmp_path / "expo"
    shutil.copytree(SAMPLES / "documentary-expo", event, ignore=shutil.ignore_patterns("*.mp4", "make_media.py"))
    manifest = event / "manifest.json"
    original = manifest.read_text(encoding="utf-8")
    data = json.loads(original)
    (index,) = [i for i, t in enumerate(data["works"][0]["subtitles"]) if t["language"] == "en"]
    client, _ = client_for(manifest, tmp_path)
    assert edit(client, 0, "The river keeps its own diary.", key=f"river-archive/{index}").status_code == 200
    answer = client.post(f"/api/track/river-archive/{index}/approve", headers=HEADERS, json={"reviewer": "Ann Lee"})
    assert answer.status_code == 200, answer.text
    new = manifest.read_text(encoding="utf-8")
    after = json.loads(new)
    expected = json.loads(original)
    expected["works"][0]["subtitles"][index].update(reviewed=True, reviewed_by="Ann Lee", reviewed_at=answer.json()["reviewed_at"])
    if "sha256" in expected["works"][0]["subtitles"][index]:
        expected["works"][0]["subtitles"][index]["sha256"] = answer.json()["sha256"]
    assert after == expected
    changed = [line for line in difflib.ndiff(original.splitlines(), new.splitlines()) if line[:1] in "+-"]
    assert len(changed) == 2  # the track's one line, rewritten in place
    assert changed[1].startswith('+         { "language": "en", "path": "subtitles/river-archive.en.srt", "role": "full", "origin": "machine", "reviewed": true, "reviewed_by": "Ann Lee", "reviewed_at": "')
    assert changed[1].endswith('" }')


def test_multi_line_json_track_gets_one_member_per_line(tmp_path: Path) -> None:
    from toolkit.review.manifest_edit import update_track_fields

    event = tmp_path / "expo"
    shutil.copytree(SAMPLES / "documentary-expo", event, ignore=shutil.ignore_patterns("*.mp4", "make_media.py"))
    manifest = event / "manifest.json"
    one_line = '{ "language": "en", "path": "subtitles/river-archive.en.srt", "role": "full", "origin": "machine", "reviewed": true }'
    spread = '{\n          "language": "en",\n          "path": "subtitles/river-archive.en.srt",\n          "origin": "machine"\n        }'
    original = manifest.read_text(encoding="utf-8")
    assert one_line in original
    manifest.write_text(original.replace(one_line, spread), encoding="utf-8")
    update_track_fields(manifest, 0, 1, {"reviewed": True, "reviewed_by": "Ann"})
    assert manifest.read_text(encoding="utf-8") == original.replace(
        one_line, spread.replace('"machine"\n', '"machine",\n          "reviewed": true,\n          "reviewed_by": "Ann"\n')
    )


def test_block_style_track_with_comments(tmp_path: Path) -> None:
    from toolkit.review.manifest_edit import update_track_fields

    event = make_event(tmp_path)
    text = event.read_text(encoding="utf-8").replace(
        "      " + "- " + MACHINE_TRACK,
        "      - language: fr  # machine draft\n"
        "        path: subtitles/tides-within.fr.srt\n"
        "        # kept as translated, not yet read by anyone\n"
        "        origin: machine\n"
        "        reviewed: false",
    )
    event.write_text(text, encoding="utf-8")
    update_track_fields(event, 1, 2, {"reviewed": True, "reviewed_by": "Ann", "reviewed_at": "2026-03-01T10:00:00+01:00"})
    new = event.read_text(encoding="utf-8")
    assert "        # kept as translated, not yet read by anyone\n        origin: machine\n        reviewed: true\n" in new
    assert "        reviewed_by: Ann\n        reviewed_at: '2026-03-01T10:00:00+01:00'\n    deliverables:" in new
    added = "        reviewed: true\n        reviewed_by: Ann\n        reviewed_at: '2026-03-01T10:00:00+01:00'\n"
    assert new.count(added) == 1 and new.replace(added, "        reviewed: false\n") == text


def test_requests_without_the_token_get_403(event: Path, tmp_path: Path) -> None:
    client, _ = client_for(event, tmp_path)
    for path in ("/", f"/track/{TRACK_KEY}", f"/api/track/{TRACK_KEY}", f"/track/{TRACK_KEY}/subtitles.vtt",
                 "/static/review.js", "/files/media/tides-within.mp4", "/api/ping", "/nowhere"):
        assert client.get(path).status_code == 403, path
        assert client.get(path + "?token=wrong").status_code == 403, path
        assert client.get(path, headers={"X-Review-Token": TOKEN[:-1]}).status_code == 403, path
    assert client.post(f"/api/track/{TRACK_KEY}/cue/0", json={"text": "x"}).status_code == 403
    assert client.post(f"/api/track/{TRACK_KEY}/approve", json={"reviewer": "x"}).status_code == 403
    assert not (event.parent / "subtitles" / "tides-within.fr.srt.review.jsonl").exists()
    assert client.get("/?token=" + TOKEN).status_code == 200


def test_a_host_other_than_loopback_is_refused(event: Path, tmp_path: Path) -> None:
    session = ReviewSession(load_workset([event]), cache_path=tmp_path / "c.sqlite")
    app = create_app(session, TOKEN, allowed_hosts={"127.0.0.1:8765"})
    assert TestClient(app, base_url="http://127.0.0.1:8765").get(f"/?token={TOKEN}").status_code == 200
    rebinding = TestClient(app, base_url="http://evil.example:8765")  # DNS rebinding to 127.0.0.1
    assert rebinding.get(f"/?token={TOKEN}").status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/files/..%2fsecret.txt",
        "/files/%2e%2e/secret.txt",
        "/files/media/..%2f..%2fsecret.txt",
        "/files/media/%2e%2e/%2e%2e/secret.txt",
        "/files/%2fetc%2fpasswd",
        "/files/media//tides-within.mp4",
        "/files/link-out/secret.txt",
        "/files/media/escape.mp4",
        "/files/media",
        "/track/..%2f..%2fx/0",
    ],
)
def test_paths_out_of_the_folder_get_404(event: Path, tmp_path: Path, path: str) -> None:
    (tmp_path / "secret.txt").write_text("not for the page", encoding="utf-8")
    os.symlink(tmp_path, event.parent / "link-out")
    os.symlink(tmp_path / "secret.txt", event.parent / "media" / "escape.mp4")
    client, _ = client_for(event, tmp_path)
    answer = client.get(path + ("&" if "?" in path else "?") + f"token={TOKEN}")
    assert answer.status_code == 404, (path, answer.status_code)
    assert "not for the page" not in answer.text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("<script>alert(1)</script>", "not allowed"),
        ('<img src=x onerror="alert(1)">', "not allowed"),
        ("Deux\n\nparagraphes", "empty line"),
        ("Ligne --> suivante", "timing line"),
        ("Bip\x07", "control"),
        ("x" * 2001, "more than 2000"),
        ("\n".join("l" * 9), "more than 8 lines"),
        (42, "must be a string"),
    ],
)
def test_invalid_edits_are_refused_and_not_journaled(event: Path, tmp_path: Path, text: object, fragment: str) -> None:
    client, _ = client_for(event, tmp_path)
    answer = client.post(f"/api/track/{TRACK_KEY}/cue/0", headers=HEADERS, json={"text": text})
    assert answer.status_code == 422 and fragment in answer.json()["error"]
    assert not (event.parent / "subtitles" / "tides-within.fr.srt.review.jsonl").exists()


def test_bad_requests(event: Path, tmp_path: Path) -> None:
    client, _ = client_for(event, tmp_path)
    assert client.post(f"/api/track/{TRACK_KEY}/cue/9999", headers=HEADERS, json={"text": "x"}).status_code == 422
    assert client.post(f"/api/track/{TRACK_KEY}/cue/-1", headers=HEADERS, json={"text": "x"}).status_code == 422
    assert client.post(f"/api/track/{TRACK_KEY}/cue/abc", headers=HEADERS, json={"text": "x"}).status_code == 404
    assert client.post(f"/api/track/{TRACK_KEY}/cue/0", headers=HEADERS, content=b"text=x").status_code == 400
    assert client.post(f"/api/track/{TRACK_KEY}/cue/0", headers={**HEADERS, "Content-Type": "application/json"}, content=b"{").status_code == 400
    assert client.get(f"/track/no-such-work/0?token={TOKEN}").status_code == 404
    assert client.get(f"/track/{TRACK_KEY[:-1]}9?token={TOKEN}").status_code == 404
    for reviewer in ("", "   ", "a\nb", "x" * 101, None):
        assert client.post(f"/api/track/{TRACK_KEY}/approve", headers=HEADERS, json={"reviewer": reviewer}).status_code == 422
    assert client.get(f"/static/../app.py?token={TOKEN}").status_code == 404


def test_subtitle_text_is_escaped_on_the_page(event: Path, tmp_path: Path) -> None:
    source = event.parent / "subtitles" / "tides-within.zh-Hans.srt"
    source.write_text(source.read_text(encoding="utf-8").replace("\n\n", "\n<script>alert('src')</script>\n\n", 1), encoding="utf-8")
    client, _ = client_for(event, tmp_path)
    assert edit(client, 1, 'Un "guillemet" & <b>gras</b> </textarea>').status_code == 422  # </textarea> is markup
    assert edit(client, 1, 'Un "guillemet" & <b>gras</b> a<b').status_code == 422
    assert edit(client, 1, 'Un "guillemet" & <b>gras</b> 1 < 2').status_code == 200
    page = client.get(f"/track/{TRACK_KEY}?token={TOKEN}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;src&#x27;)&lt;/script&gt;" in page
    assert "Un &quot;guillemet&quot; &amp; &lt;b&gt;gras&lt;/b&gt; 1 &lt; 2</textarea>" in page


def test_approved_lines_survive_a_later_translate(argos_env: dict, event: Path, tmp_path: Path) -> None:  # noqa: F811
    cache = tmp_path / "cache.sqlite"
    client, _ = client_for(event, tmp_path)
    edit(client, 1, LONG_FR)
    assert client.post(f"/api/track/{TRACK_KEY}/approve", headers=HEADERS, json={"reviewer": "Ann"}).status_code == 200
    approved = read_track(event.parent / "subtitles" / "tides-within.fr.srt")
    source = event.parent / "subtitles" / "tides-within.zh-Hans.srt"

    fresh = run_cli("translate", str(source), "--to", "fr", "--out-dir", str(tmp_path / "fresh"), "--cache", str(tmp_path / "other.sqlite"), "--beam-size", "1")
    assert fresh.code == 0, fresh.stderr
    model_only = read_track(tmp_path / "fresh" / "tides-within.fr.srt")
    assert [c.text for c in model_only.cues] != [c.text for c in approved.cues]  # the model alone differs

    again = run_cli("translate", str(source), "--to", "fr", "--out-dir", str(tmp_path / "again"), "--cache", str(cache), "--beam-size", "1", "--format", "json")
    assert again.code == 0, again.stderr
    retranslated = read_track(tmp_path / "again" / "tides-within.fr.srt")
    assert [c.text for c in retranslated.cues] == [c.text for c in approved.cues]
    assert [(c.start, c.end) for c in retranslated.cues] == [(c.start, c.end) for c in approved.cues]
    (result,) = json.loads(again.stdout)["results"]
    assert any(d["code"] == "TR004" for d in result["diagnostics"])


def test_kill_9_between_two_edits_loses_neither(event: Path, tmp_path: Path) -> None:
    args = (str(event), "--cache", str(tmp_path / "cache.sqlite"), "--reviewer", "Ann")
    server = start_server(*args)
    try:
        assert server.post(f"/api/track/{TRACK_KEY}/cue/0", {"text": "Avant le kill."})["cue"] == 0
    finally:
        server.kill()
    server = start_server(*args)
    try:
        assert server.get(f"/api/track/{TRACK_KEY}")["cues"][0]["text"] == "Avant le kill."
        server.post(f"/api/track/{TRACK_KEY}/cue/5", {"text": "Entre deux kills."})
    finally:
        server.kill()
    server = start_server(*args)
    try:
        cues = server.get(f"/api/track/{TRACK_KEY}")["cues"]
        assert (cues[0]["text"], cues[5]["text"]) == ("Avant le kill.", "Entre deux kills.")
        assert server.base.startswith("http://127.0.0.1:")
    finally:
        server.kill()


def test_cli_usage_errors(tmp_path: Path) -> None:
    assert_clean_error(run_cli("review", str(tmp_path / "missing.yaml"), "--no-browser"), "missing.yaml")
    (tmp_path / "film.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nHi\n", encoding="utf-8")
    assert_clean_error(run_cli("review", str(tmp_path / "film.srt"), "--no-browser"), "language")
    event = make_event(tmp_path)
    assert_clean_error(run_cli("review", str(event), "--no-browser", "--profile", "nonesuch"), "nonesuch")


def test_review_help() -> None:
    result = run_cli("review", "--help")
    assert result.code == 0 and "127.0.0.1" in result.stdout and "--no-browser" in result.stdout


def test_files_without_a_manifest(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    for name in ("city-static.zh-Hans.srt", "city-static.fr.srt"):
        shutil.copyfile(SAMPLES / "paris-showcase" / "subtitles" / name, folder / name)
    shutil.copyfile(SAMPLES / "paris-showcase" / "media" / "city-static.mp4", folder / "city-static.mp4")
    workset = load_workset([folder / "city-static.fr.srt"])
    (track,) = workset.tracks
    assert track.source is not None and track.source.language.tag == "zh-Hans"
    assert track.video == folder / "city-static.mp4" and workset.manifest is None
    session = ReviewSession(workset, cache_path=tmp_path / "cache.sqlite")
    client = TestClient(create_app(session, TOKEN))
    assert 'src="/files/city-static.mp4?' in client.get(f"/track/{track.key}?token={TOKEN}").text
    assert edit(client, 0, "Le métro arrive.", key=track.key).status_code == 200
    result = client.post(f"/api/track/{track.key}/approve", headers=HEADERS, json={"reviewer": "Ann"}).json()
    assert result["manifest"] is None and result["cached"] == len(read_track(folder / "city-static.zh-Hans.srt").cues)
    assert read_track(folder / "city-static.fr.srt").cues[0].text == "Le métro arrive."
    with pytest.raises(ScreenkitError, match="no en file"):
        load_workset([folder / "city-static.fr.srt"], source_language=parse_language("en"))
