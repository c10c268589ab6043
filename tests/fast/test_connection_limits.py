"""The server under hostile connection patterns (issue 20, "Serving"): idle CPU, held and idle
keep-alive sockets, slow-drip requests and ``Expect: 100-continue`` without a body.

Loopback only; every loop is bounded and every server and socket is closed by the test. No
speed is asserted: the bounds are "answered at all within a generous timeout" and CPU seconds
that separate a sleeping poll loop (~0) from a spinning one (~a core).
"""

from __future__ import annotations

import resource
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
import requests

from mockscim import MockServer, Settings
from mockscim.app import create_app
from mockscim.http.context import mock_of
from mockscim.serving.wsgi import WSGIServer

HEALTH = b"GET /_mockscim/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"


def _server(**options: object) -> WSGIServer:
    app = create_app(Settings())
    mock_of(app).open()
    return WSGIServer(app, "127.0.0.1", 0, **options).start()  # type: ignore[arg-type]


@pytest.fixture
def bounded() -> Iterator[WSGIServer]:
    """waitress with a small limit and a 1 s read timeout (the idle timeout stays long, so
    only the new bounds can free a slot)."""
    server = _server(idle_timeout=60, max_connections=20, read_timeout=1)
    yield server
    server.stop()


def _health(server: WSGIServer) -> int:
    return requests.get(server.url + "/_mockscim/health", timeout=10).status_code


def _ask(sock: socket.socket) -> bytes:
    """One health request on a kept-alive socket; its whole answer."""
    sock.sendall(HEALTH + b"\r\n")
    answer = b""
    while not answer.endswith(b"}"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        answer += chunk
    return answer


def idle_cpu_seconds(seconds: float) -> float:
    """CPU time this whole process (every thread) used while the test thread slept."""
    before = time.process_time()
    time.sleep(seconds)
    return time.process_time() - before


def test_an_idle_mock_server_sleeps() -> None:
    """waitress's poll loop read ``asyncore_loop_timeout=0.2`` as the integer 0 and never slept:
    an idle ``MockServer`` burned a core inside the test process. Under 5% of a core now."""
    with MockServer() as server:
        assert requests.get(server.url + "/_mockscim/health", timeout=10).status_code == 200
        used = idle_cpu_seconds(2.5)
    assert used < 0.05 * 2.5, f"an idle MockServer used {used:.2f} CPU seconds in 2.5 s"


def test_many_idle_keep_alive_connections_do_not_stall_a_new_client(
    bounded: WSGIServer,
) -> None:
    """At the limit the longest-idle connection is closed to admit the new one (waitress alone
    stopped accepting until its idle sweep, 60 s here)."""
    with ExitStack() as stack:
        kept = []
        for _ in range(60):  # three times the limit, each after one answered request
            sock = stack.enter_context(socket.create_connection(("127.0.0.1", bounded.port), 10))
            assert _ask(sock).startswith(b"HTTP/1.1 200")
            kept.append(sock)
        assert _health(bounded) == 200
        # The oldest were closed to make room; the newest are still served.
        assert kept[0].recv(16) == b""
        assert _ask(kept[-1]).startswith(b"HTTP/1.1 200")


def test_a_thousand_held_sockets_do_not_lock_the_server_out(bounded: WSGIServer) -> None:
    """1,000 connections that never send a byte: a new client is still answered (waitress
    alone worked through them one connection limit per idle sweep)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    count = min(1000, soft - 200)  # the test process holds one descriptor per socket
    with ExitStack() as stack:
        for _ in range(count):
            stack.enter_context(socket.create_connection(("127.0.0.1", bounded.port), 10))
        assert _health(bounded) == 200
    assert _health(bounded) == 200


def test_slow_drip_requests_time_out_and_do_not_block_health_checks(bounded: WSGIServer) -> None:
    """Connections sending a header line now and then (never finishing the request) kept their
    slot for ever: waitress's idle sweep looks at the last byte received. They are closed once
    the request has taken longer than the read timeout (1 s here) to arrive, and meanwhile
    they do not keep a health check out."""
    with ExitStack() as stack:
        drips = []
        for _ in range(30):  # more than the limit
            sock = stack.enter_context(socket.create_connection(("127.0.0.1", bounded.port), 10))
            sock.sendall(b"GET /_mockscim/health HTTP/1.1\r\n")
            drips.append(sock)
        assert _health(bounded) == 200
        drip = drips[-1]
        closed = False
        for _ in range(40):  # 12 s at most; the read timeout is 1 s (sweep: every second)
            try:
                drip.sendall(b"X-Drip: 1\r\n")
            except OSError:
                closed = True
                break
            time.sleep(0.3)
        assert closed, "a request still arriving after 12 s was not timed out"
        assert _health(bounded) == 200


@pytest.mark.parametrize("kind", ["waitress", "werkzeug"])
def test_expect_100_continue_without_a_body_is_answered(kind: str) -> None:
    """``GET`` with ``Expect: 100-continue`` and no body: waitress sent ``100 Continue`` and then
    waited for a body that was never announced. Now the request is answered at once (RFC 9110
    section 10.1.1 lets a server skip the interim answer)."""
    server = _server(server=kind)
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(HEALTH + b"Expect: 100-continue\r\nConnection: close\r\n\r\n")
            received = b""
            while b'"ok"' not in received:
                chunk = sock.recv(4096)  # a hang is a socket.timeout after 10 s
                if not chunk:
                    break
                received += chunk
        assert b"HTTP/1.1 200" in received
        assert b'{"status":"ok"}' in received.replace(b" ", b"")
    finally:
        server.stop()


def test_expect_100_continue_with_a_body_still_gets_the_interim_answer() -> None:
    """A request that does announce a body keeps waitress's ``100 Continue``."""
    server = _server()
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(
                b"POST /_mockscim/reset HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nContent-Length: 2\r\n"
                b"Expect: 100-continue\r\nConnection: close\r\n\r\n"
            )
            assert sock.recv(4096).startswith(b"HTTP/1.1 100 Continue")
            sock.sendall(b"{}")
            answer = sock.recv(4096)
            while answer and b"\r\n" not in answer:
                answer += sock.recv(4096)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:80]
    finally:
        server.stop()


@pytest.mark.parametrize(
    "options",
    [{"max_connections": 0}, {"read_timeout": 0}, {"idle_timeout": float("inf")}],
)
def test_bounds_are_checked(options: dict[str, float]) -> None:
    app = create_app(Settings())
    with pytest.raises(ValueError):
        WSGIServer(app, "127.0.0.1", 0, **options)  # type: ignore[arg-type]


def test_a_host_name_with_two_addresses_binds_one_socket() -> None:
    """``localhost`` resolves to 127.0.0.1 and ::1: waitress's ``create_server`` made two
    listening sockets (a ``MultiSocketServer`` without ``effective_port``); one, IPv4 first,
    is bound now, and its URL answers."""
    app = create_app(Settings())
    server = WSGIServer(app, "localhost", 0).start()
    try:
        assert server.url == f"http://localhost:{server.port}"
        assert requests.get(server.url + "/_mockscim/health", timeout=10).status_code == 200
    finally:
        server.stop()
