"""Serve a review session with uvicorn on 127.0.0.1 and a free port."""

from __future__ import annotations

import secrets
import socket
import threading
import webbrowser
from collections.abc import Callable

from toolkit.errors import ScreenkitError
from toolkit.fsutil import confined
from toolkit.review.session import ReviewSession

HOST = "127.0.0.1"  # never another interface: the page edits files on this machine


def bind(port: int = 0) -> socket.socket:
    """A listening socket on 127.0.0.1 (port 0: a free one, chosen by the system)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # A restart on the same --port must not wait for the old connections' TIME-WAIT to end
    # (SO_REUSEADDR still refuses a port another process listens on).
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as error:
        sock.close()
        raise ScreenkitError(f"cannot listen on {HOST}:{port} ({error.strerror})") from None
    sock.listen(64)
    return sock


def serve(
    session: ReviewSession,
    *,
    port: int = 0,
    open_browser: bool = True,
    announce: Callable[[str], None] = print,
) -> None:
    """Run until interrupted; ``announce`` gets the URL (with its token) once listening."""
    import uvicorn

    from toolkit.review.app import create_app

    token = secrets.token_urlsafe(24)
    sock = bind(port)
    chosen = sock.getsockname()[1]
    app = create_app(session, token, allowed_hosts={f"{HOST}:{chosen}", f"localhost:{chosen}"})
    url = f"http://{HOST}:{chosen}/?token={token}"
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False, server_header=False)
    server = uvicorn.Server(config)

    def started() -> None:
        announce(url)
        if open_browser:
            webbrowser.open(url)

    original_startup = server.startup

    async def startup(sockets: list[socket.socket] | None = None) -> None:
        await original_startup(sockets=sockets)
        threading.Thread(target=started, daemon=True).start()

    server.startup = startup  # type: ignore[method-assign]
    try:
        with confined(session.workset.base):  # no write below the workset's folder follows a link
            server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the Ctrl+C it handled: stopping is how a review ends
    finally:
        sock.close()
