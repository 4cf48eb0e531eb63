"""Fixtures of the geo tests: a real web server on 127.0.0.1 standing in for the raw-file host or
an organisation's internal server, and an address where nothing listens. Never the internet."""

from __future__ import annotations

import functools
import http.server
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from pilkada_risk.geo.upstream import MIRROR_ENV, URL_ENV

#: The URL template under a server's base address, laid out as the mirror.
LAYOUT = "/{repo}/{commit}/{path}"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; records the paths asked for; ``cut`` sends only half of each file."""

    requests: list[str]
    cut = False

    def log_message(self, format: str, *args: object) -> None:
        self.requests.append(self.path)

    def copyfile(self, source, outputfile) -> None:  # type: ignore[no-untyped-def]
        if not self.cut:
            super().copyfile(source, outputfile)
            return
        data = source.read()
        outputfile.write(data[: len(data) // 2])  # Content-Length announced the whole file
        self.close_connection = True


class Served:
    """A running local server: ``base`` URL, ``template`` for ``PILKADA_RISK_UPSTREAM_URL`` and
    the ``requests`` it received."""

    def __init__(self, base: str, requests: list[str]) -> None:
        self.base, self.requests = base, requests
        self.template = base + LAYOUT


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Served]]:
    """Start ``http.server`` on 127.0.0.1 (ephemeral port, a thread) over a folder and point
    ``PILKADA_RISK_UPSTREAM_URL`` at it; stopped at the end of the test."""
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")  # a proxy must not intercept it
    with ExitStack() as stack:

        def start(folder: Path, *, cut: bool = False) -> Served:
            requests: list[str] = []
            handler = type("Handler", (_Handler,), {"requests": requests, "cut": cut})
            server = http.server.ThreadingHTTPServer(
                ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
            )
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            stack.callback(server.server_close)
            stack.callback(thread.join)
            stack.callback(server.shutdown)
            served = Served(f"http://127.0.0.1:{server.server_address[1]}", requests)
            monkeypatch.setenv(URL_ENV, served.template)
            return served

        yield start


@pytest.fixture
def unreachable(monkeypatch: pytest.MonkeyPatch) -> str:
    """Point ``PILKADA_RISK_UPSTREAM_URL`` at a 127.0.0.1 port where nothing listens; returns it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    template = f"http://127.0.0.1:{port}{LAYOUT}"
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv(URL_ENV, template)
    return template


@pytest.fixture
def empty_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No mirror, an empty cache in ``tmp_path/cache`` (a fresh laptop); returns the cache."""
    monkeypatch.delenv(MIRROR_ENV, raising=False)
    cache = tmp_path / "cache"
    monkeypatch.setenv("PILKADA_RISK_CACHE", str(cache))
    return cache
