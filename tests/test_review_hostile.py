"""The review server against hostile clients: every answer a 4xx with a message, never a 500 with a
traceback; bodies limited while they stream; a restart on the same port after many requests."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import warnings
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pytest
from review_support import TOKEN, start_server
from test_hostile_inputs import TINY_MANIFEST, tiny_event

from toolkit.review.app import MAX_BODY, create_app
from toolkit.review.session import ReviewSession
from toolkit.review.workset import load_workset

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette suggests httpx2; httpx is what it runs on here
    from starlette.testclient import TestClient

HEADERS = {"X-Review-Token": TOKEN, "Content-Type": "application/json"}
KEY = "alpha/0"
EDIT = f"/api/track/{KEY}/cue/0"


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    return tiny_event(tmp_path / "event", TINY_MANIFEST.replace(
        "{language: fr, path: subs/alpha.fr.srt}", "{language: fr, path: subs/alpha.fr.srt, origin: machine}"))


@pytest.fixture
def session(manifest: Path, tmp_path: Path) -> ReviewSession:
    return ReviewSession(load_workset([manifest]), cache_path=tmp_path / "cache.sqlite", reviewer="Ann")


@pytest.fixture
def client(session: ReviewSession) -> TestClient:
    return TestClient(create_app(session, TOKEN), raise_server_exceptions=False)


def _journal(manifest: Path) -> Path:
    return manifest.parent / "subs" / "alpha.fr.srt.review.jsonl"


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('{"text": "\\ud800"}', "lone surrogate"),
        ('{"text": "ok \\udfff ok"}', "lone surrogate"),
        ('{"reviewer": "\\ud83d"}', "lone surrogate"),
        ("[" * 1000 + "]" * 1000, "nested more than"),
        ('{"text": ' + "[" * 5000, "nested more than"),
        ('{"text": "x"', "not valid JSON"),
        ("\xff\xfe", "not valid JSON"),
    ],
    ids=["surrogate", "low-surrogate", "surrogate-key", "nested-1000", "nested-5000", "truncated", "not-utf8"],
)
def test_hostile_bodies_are_400_with_a_message(client: TestClient, manifest: Path, body: str, fragment: str) -> None:
    for path in (EDIT, f"/api/track/{KEY}/approve"):
        answer = client.post(path, content=body.encode("utf-8", "surrogatepass"), headers=HEADERS)
        assert answer.status_code == 400, (answer.status_code, answer.text)
        assert fragment in answer.json()["error"]
    assert not _journal(manifest).exists()  # nothing journaled


def test_a_lone_surrogate_given_to_the_session_is_refused_not_a_unicode_error(session: ReviewSession,
                                                                              manifest: Path) -> None:
    from toolkit.errors import ScreenkitError

    with pytest.raises(ScreenkitError, match="lone surrogate"):
        session.edit(KEY, 0, "\ud800")
    assert not _journal(manifest).exists()


def _scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"127.0.0.1:8765"), (b"x-review-token", TOKEN.encode()),
                    (b"content-type", b"application/json"), *headers],
        "server": ("127.0.0.1", 8765), "client": ("127.0.0.1", 50000),
    }


def _post_streaming(session: ReviewSession, size: int, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """(status, bytes the application pulled) for a body of SIZE bytes sent in 64 KiB chunks."""
    app = create_app(session, TOKEN)
    chunk = b" " * 65536
    pulled = 0
    status = 0

    def chunks() -> Iterator[bytes]:
        sent = 0
        while sent < size:
            sent += len(chunk)
            yield chunk

    body = chunks()

    async def receive() -> MutableMapping[str, Any]:
        nonlocal pulled
        piece = next(body, None)
        if piece is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += len(piece)
        return {"type": "http.request", "body": piece, "more_body": True}

    async def send(message: MutableMapping[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    asyncio.run(app(_scope(EDIT, headers), receive, send))
    return status, pulled


def test_a_100_mb_body_is_refused_while_it_streams(session: ReviewSession) -> None:
    """Chunked (no Content-Length): the application stops pulling past the limit."""
    status, pulled = _post_streaming(session, 100 * 1024 * 1024, [(b"transfer-encoding", b"chunked")])
    assert status == 413
    assert pulled <= MAX_BODY + 65536, pulled


def test_a_declared_100_mb_body_is_refused_before_a_byte_is_read(session: ReviewSession) -> None:
    status, pulled = _post_streaming(session, 100 * 1024 * 1024, [(b"content-length", str(100 * 1024 * 1024).encode())])
    assert (status, pulled) == (413, 0)


def test_a_bug_is_a_500_with_one_line_in_the_log_never_a_traceback(
    client: TestClient, session: ReviewSession, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(session, "edit", broken)
    answer = client.post(EDIT, json={"text": "x"}, headers={"X-Review-Token": TOKEN})
    assert answer.status_code == 500
    log = capsys.readouterr().err
    assert "Traceback" not in log and "RuntimeError: a bug" in log and len(log.strip().splitlines()) == 1, log


def test_the_server_answers_hostile_clients_without_a_traceback(manifest: Path, tmp_path: Path) -> None:
    """A real uvicorn: what the issue saw as 500s and tracebacks in the log."""
    import http.client

    server = start_server(str(manifest), "--cache", str(tmp_path / "cache.sqlite"), "--reviewer", "Ann")
    try:
        host, port = server.base.removeprefix("http://").split(":")
        for body in (b'{"text": "\\ud800"}', b"[" * 1000 + b"]" * 1000):
            connection = http.client.HTTPConnection(host, int(port), timeout=30)
            connection.request("POST", EDIT, body=body, headers={**HEADERS, "X-Review-Token": server.token})
            answer = connection.getresponse()
            assert answer.status == 400, answer.read()
            connection.close()
        # 100 MB announced and streamed: refused, the server stays small and answers on.
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            connection.putrequest("POST", EDIT)
            for name, value in {**HEADERS, "X-Review-Token": server.token, "Transfer-Encoding": "chunked"}.items():
                connection.putheader(name, value)
            connection.endheaders()
            piece = b" " * 65536
            for _ in range(1600):
                connection.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server closed the connection after its 413: what it should do
        else:
            connection.send(b"0\r\n\r\n")
            assert connection.getresponse().status == 413
        finally:
            connection.close()
        assert server.get("/api/ping") == {"ok": True}
    finally:
        server.process.send_signal(signal.SIGKILL)
        _, log = server.process.communicate(timeout=30)  # its whole log, read before the pipes close
    assert "Traceback" not in log and "Exception" not in log, log


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_bind_takes_a_port_in_time_wait() -> None:
    """The server closed its side first (TIME-WAIT on its port): binding it again works."""
    from toolkit.review.server import bind

    listener = bind(0)
    port = listener.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = listener.accept()
    accepted.close()  # the server's side closes first, as after a 'Connection: close' answer
    client.recv(1)
    client.close()
    listener.close()
    again = bind(port)
    assert again.getsockname()[1] == port
    again.close()


def test_restart_on_the_same_port_after_30_requests(manifest: Path, tmp_path: Path) -> None:
    port = _free_port()
    args = (str(manifest), "--cache", str(tmp_path / "cache.sqlite"), "--reviewer", "Ann", "--port", str(port))
    server = start_server(*args)
    try:
        for _ in range(30):
            assert server.get("/api/ping") == {"ok": True}  # urllib: Connection: close, the server closes first
    finally:
        server.kill()
    again = start_server(*args)
    try:
        assert again.base == f"http://127.0.0.1:{port}" and again.get("/api/ping") == {"ok": True}
    finally:
        again.kill()


def test_the_journal_is_written_as_one_json_line_per_edit(client: TestClient, manifest: Path) -> None:
    """After the hostile bodies, an ordinary edit still works and is journaled once."""
    answer = client.post(EDIT, json={"text": "Le fleuve se souvient."}, headers={"X-Review-Token": TOKEN})
    assert answer.status_code == 200, answer.text
    lines = _journal(manifest).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["text"] == "Le fleuve se souvient."
    assert os.path.isfile(_journal(manifest))
