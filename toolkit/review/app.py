"""The review page as a Starlette application (Jinja2 templates, served by uvicorn).

Who gets in: every request must carry the session's random token (``?token=``
in the printed URL, or the ``X-Review-Token`` header the page's script
sends); without it the answer is 403. The token never goes into a cookie, so a
page of another site, which cannot know it, can neither read nor post
anything, and a ``Host`` other than 127.0.0.1/localhost (DNS rebinding) is
refused too. Only files under the workset's folder are served, with ``..``
and symbolic links that lead out answered 404. Subtitle text reaches the page
only through Jinja2's autoescaping and the script's ``textContent``; the
Content-Security-Policy allows no inline script and nothing from elsewhere.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
)
from starlette.routing import Route

from toolkit.errors import ScreenkitError
from toolkit.fsutil import has_lone_surrogate, load_json_bounded
from toolkit.review.rows import rows_html
from toolkit.review.session import OpenTrack, ReviewSession

HERE = Path(__file__).resolve().parent
STATIC = {"review.js": "text/javascript; charset=utf-8", "review.css": "text/css; charset=utf-8"}
MAX_BODY = 64 * 1024  # an edit is at most a few hundred characters
MAX_JSON_DEPTH = 16  # {"text": ..., "reviewer": ...}: two levels are all a request needs
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "media-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "x-frame-options": "DENY",
}

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class TokenGate:
    """ASGI middleware: the token on every request, a local Host, security headers on every answer."""

    def __init__(self, app: ASGIApp, token: str, allowed_hosts: set[str] | None) -> None:
        self.app = app
        self.token = token.encode()
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1"): value.decode("latin-1") for key, value in scope["headers"]}
        if self.allowed_hosts is not None and headers.get("host", "") not in self.allowed_hosts:
            await PlainTextResponse("forbidden host", status_code=403, headers=SECURITY_HEADERS)(scope, receive, send)
            return
        given = headers.get("x-review-token") or _query_token(scope.get("query_string", b""))
        if not given or not hmac.compare_digest(given.encode(), self.token):
            await PlainTextResponse(
                "forbidden: open the URL screenkit review printed (it carries the token)",
                status_code=403,
                headers=SECURITY_HEADERS,
            )(scope, receive, send)
            return

        declared = headers.get("content-length", "0").strip() or "0"
        if not declared.isdigit() or int(declared) > MAX_BODY:  # refused before a byte of it is read
            await JSONResponse(
                {"error": f"request body larger than {MAX_BODY} bytes" if declared.isdigit() else "bad Content-Length"},
                status_code=413 if declared.isdigit() else 400,
                headers={**SECURITY_HEADERS, "connection": "close"},
            )(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: MutableMapping[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {key.lower() for key, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as error:  # a bug: one line in the log, never a traceback; the client gets a 500
            import sys

            from toolkit.cli.main import internal_error_message

            print(f"screenkit review: {scope.get('method')} {scope.get('path')!a}: "
                  f"{internal_error_message(error)}", file=sys.stderr)
            if not started:
                await JSONResponse({"error": "internal error (a bug in screenkit)"}, status_code=500,
                                   headers=SECURITY_HEADERS)(scope, receive, send)


def _query_token(query: bytes) -> str | None:
    values = parse_qs(query.decode("latin-1")).get("token")
    return values[0] if values else None


def create_app(session: ReviewSession, token: str, *, allowed_hosts: set[str] | None = None) -> ASGIApp:
    """The review application; ``allowed_hosts`` (e.g. {"127.0.0.1:8765"}) None only in tests."""
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    workset = session.workset
    base = os.path.realpath(workset.base)

    def page(name: str, **context: Any) -> HTMLResponse:
        return HTMLResponse(templates.get_template(name).render(token=token, **context))

    async def index(request: Request) -> Response:
        return page(
            "index.html", workset=workset, manifest=workset.manifest.name if workset.manifest else None,
            cleared=session.cleared_approvals(),
        )

    def opened(request: Request) -> OpenTrack:
        key = f"{request.path_params['work']}/{request.path_params['index']}"
        try:
            return session.open(key)
        except KeyError:
            raise _NotFound() from None

    async def track_page(request: Request) -> Response:
        track = opened(request)
        entry = track.entry
        video = _served_path(entry.video, base) if entry.video else None
        return page(
            "track.html",
            entry=entry,
            rows=Markup(rows_html(track)),  # every value escaped in toolkit.review.rows
            video=video,
            revision=track.revision,
            reviewer=session.reviewer or "",
            pending=len(track.edits),
            cleared=track.approval_cleared,
            journal=entry.journal_path.name,
        )

    async def track_json(request: Request) -> Response:
        track = opened(request)
        return JSONResponse(
            {
                "key": track.entry.key,
                "language": track.entry.language.tag,
                "reviewed": track.entry.reviewed,
                "revision": track.revision,
                "cues": [
                    {
                        "index": index,
                        "start": cue.start,
                        "end": cue.end,
                        "source": track.source_text(index),
                        "text": track.text(index),
                        "edited": index in track.edits,
                        "findings": [f.to_dict() for f in track.cue_findings(index)],
                    }
                    for index, cue in enumerate(track.track.cues)
                ],
            }
        )

    async def vtt(request: Request) -> Response:
        track = opened(request)
        return Response(session.vtt(track.entry.key), media_type="text/vtt; charset=utf-8")

    async def edit(request: Request) -> Response:
        track = opened(request)
        body = await _json_body(request)
        try:
            cue = int(request.path_params["cue"])
        except ValueError:
            raise _NotFound() from None
        try:
            _, findings = session.edit(track.entry.key, cue, body.get("text"))
        except ScreenkitError as error:
            return JSONResponse({"error": error.message}, status_code=422)
        journal_ms, qc_ms = session.last_edit_ms
        return JSONResponse(
            {
                "cue": cue,
                "text": track.text(cue),
                "revision": track.revision,
                "findings": [f.to_dict() for f in findings],
                "reviewed": track.entry.reviewed,
                "approval_cleared": track.approval_cleared,
            },
            headers={"server-timing": f"journal;dur={journal_ms:.2f}, qc;dur={qc_ms:.2f}"},
        )

    async def approve(request: Request) -> Response:
        track = opened(request)
        body = await _json_body(request)
        try:
            result = session.approve(track.entry.key, body.get("reviewer"))
        except ScreenkitError as error:
            return JSONResponse({"error": str(error)}, status_code=422)
        return JSONResponse(result)

    async def ping(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            raise _NotFound()
        return FileResponse(HERE / "static" / name, media_type=STATIC[name])

    async def files(request: Request) -> Response:
        target = _inside(base, request.path_params["path"])
        if target is None:
            raise _NotFound()
        return FileResponse(target)

    async def not_found(request: Request, exc: Exception) -> Response:
        return PlainTextResponse("not found", status_code=404)

    async def bad_request(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": str(exc)}, status_code=400)

    async def unusable(request: Request, exc: Exception) -> Response:
        # A file of the workset that cannot be read or written (a planted link, a FIFO, a full disk).
        return JSONResponse({"error": str(exc)}, status_code=422)

    async def too_large(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": f"request body larger than {MAX_BODY} bytes"}, status_code=413,
                            headers={"connection": "close"})

    routes = [
        Route("/", index),
        Route("/track/{work}/{index:int}", track_page),
        Route("/track/{work}/{index:int}/subtitles.vtt", vtt),
        Route("/api/ping", ping),
        Route("/api/track/{work}/{index:int}", track_json),
        Route("/api/track/{work}/{index:int}/cue/{cue}", edit, methods=["POST"]),
        Route("/api/track/{work}/{index:int}/approve", approve, methods=["POST"]),
        Route("/static/{name}", static),
        Route("/files/{path:path}", files),
    ]
    app = Starlette(routes=routes, exception_handlers={
        _NotFound: not_found, 404: not_found, _BadRequest: bad_request, _TooLarge: too_large, ScreenkitError: unusable,
    })
    return TokenGate(app, token, allowed_hosts)


class _NotFound(Exception):
    pass


class _BadRequest(Exception):
    pass


class _TooLarge(Exception):
    pass


async def _json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object: read as it streams, never more than MAX_BODY bytes, nesting
    at most MAX_JSON_DEPTH deep, every string valid Unicode; else a 400 (413) saying why."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise _BadRequest("send JSON (Content-Type: application/json)")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise _TooLarge()  # the rest is never read: the connection is closed after the answer
        chunks.append(chunk)
    try:
        body = load_json_bounded(b"".join(chunks), max_depth=MAX_JSON_DEPTH)
    except ScreenkitError as error:
        raise _BadRequest(f"not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise _BadRequest("send a JSON object")
    if has_lone_surrogate(body):
        raise _BadRequest("the JSON holds a lone surrogate (\\ud800-\\udfff alone), which is not valid Unicode text")
    return body


def _inside(base: str, relative: str) -> str | None:
    """The real path of RELATIVE under BASE when it is a file there; None for anything else."""
    if "\x00" in relative or "\\" in relative or relative.startswith("/"):
        return None
    parts = relative.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    real = os.path.realpath(os.path.join(base, *parts))
    if not real.startswith(base.rstrip(os.sep) + os.sep) or not os.path.isfile(real):
        return None  # a symbolic link out of the folder, or not a file
    return real


def _served_path(path: Path, base: str) -> str | None:
    relative = os.path.relpath(os.path.realpath(path), base)
    return None if relative.startswith("..") else relative.replace(os.sep, "/")
