"""An edit after approval clears the approval (and says so); the reviewer's name is remembered, never the login name."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from review_support import TOKEN, TRACK_KEY, make_event

from toolkit.review.rows import position_label
from toolkit.review.session import ReviewSession
from toolkit.review.workset import load_workset
from toolkit.subtitles.model import Cue

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette suggests httpx2; httpx is what it runs on here
    from starlette.testclient import TestClient

    from toolkit.review.app import create_app

HEADERS = {"X-Review-Token": TOKEN}


def _client(manifest: Path, tmp_path: Path, **options: object) -> tuple[TestClient, ReviewSession]:
    session = ReviewSession(load_workset([manifest]), cache_path=tmp_path / "cache.sqlite", **options)  # type: ignore[arg-type]
    return TestClient(create_app(session, TOKEN)), session


def _edit(client: TestClient, cue: int, text: str) -> dict[str, object]:
    response = client.post(f"/api/track/{TRACK_KEY}/cue/{cue}", headers=HEADERS, json={"text": text})
    assert response.status_code == 200, response.text
    return response.json()


def test_an_edit_after_approval_clears_it_and_a_restart_keeps_it_cleared(tmp_path: Path) -> None:
    event = make_event(tmp_path)
    client, session = _client(event, tmp_path, reviewer_file=tmp_path / "reviewer.txt")
    original = session.open(TRACK_KEY).track.cues[2].text
    approved = client.post(f"/api/track/{TRACK_KEY}/approve", headers=HEADERS, json={"reviewer": "Mei Chen"})
    assert approved.status_code == 200
    assert (tmp_path / "reviewer.txt").read_text(encoding="utf-8") == "Mei Chen\n"

    same = _edit(client, 2, original)  # the text it already has: no change, the approval stands
    assert same["reviewed"] is True and same["approval_cleared"] is None

    changed = _edit(client, 2, original + " Encore.")
    assert changed["reviewed"] is False
    assert changed["approval_cleared"] == {"by": "Mei Chen", "at": approved.json()["reviewed_at"]}
    page = client.get(f"/track/{TRACK_KEY}?token={TOKEN}").text
    assert 'data-approved="false"' in page and "approval cleared" in page and "by Mei Chen" in page
    assert 'class="badge reviewed"' not in page

    # A new session over the same files: the journaled edit is restored, the approval still cleared.
    client, session = _client(event, tmp_path)
    index = client.get(f"/?token={TOKEN}").text  # the list of tracks says it before the track is opened
    assert "approval cleared" in index and "edited after the approval by Mei Chen" in index
    page = client.get(f"/track/{TRACK_KEY}?token={TOKEN}").text
    assert 'data-approved="false"' in page and "approval cleared" in page
    assert session.open(TRACK_KEY).entry.reviewed is False

    # Approving again writes the edit and says reviewed.
    again = client.post(f"/api/track/{TRACK_KEY}/approve", headers=HEADERS, json={"reviewer": "Mei Chen"})
    assert again.status_code == 200
    page = client.get(f"/track/{TRACK_KEY}?token={TOKEN}").text
    assert 'data-approved="true"' in page and 'class="badge reviewed"' in page


def test_the_reviewer_field_starts_empty_without_a_name_given(tmp_path: Path) -> None:
    client, _ = _client(make_event(tmp_path), tmp_path)
    page = client.get(f"/track/{TRACK_KEY}?token={TOKEN}").text
    assert 'id="reviewer" name="reviewer" value=""' in page and 'placeholder="your name (asked once)"' in page


def test_the_cli_default_is_the_remembered_name_never_the_login(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.cli.review import remembered_reviewer, reviewer_file

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert reviewer_file() == tmp_path / "screenkit" / "reviewer.txt"
    assert remembered_reviewer() is None  # nothing remembered: no name (the page asks)
    reviewer_file().parent.mkdir(parents=True)
    reviewer_file().write_text("Mei Chen\n", encoding="utf-8")
    assert remembered_reviewer() == "Mei Chen"
    reviewer_file().write_text("bad\x00name\n", encoding="utf-8")
    assert remembered_reviewer() is None


def test_position_labels() -> None:
    def label(alignment: int | None) -> str | None:
        return position_label(Cue(0, 1000, ["x"], alignment=alignment))

    assert [label(a) for a in (None, 2, 8, 7, 9, 5, 4, 1, 3)] == [
        None, None, "top", "top left", "top right", "middle", "middle left", "bottom left", "bottom right",
    ]
