"""The production server wrapper: threads, port 0, clean stop, idle timeout, dropped
connections on both servers."""

from __future__ import annotations

import socket

import pytest
import requests

from mockscim import MockServer, Settings
from mockscim.app import create_app
from mockscim.http.context import mock_of
from mockscim.serving.wsgi import BindError, WSGIServer


@pytest.fixture(params=["waitress", "werkzeug"])
def served(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    app = create_app(Settings())
    mock_of(app).open()
    server = WSGIServer(app, "127.0.0.1", 0, server=request.param, idle_timeout=1).start()
    yield server
    server.stop()


def test_port_zero_is_reported_and_serves(served: WSGIServer) -> None:
    assert served.port > 0
    assert served.url == f"http://127.0.0.1:{served.port}"
    assert requests.get(served.url + "/_mockscim/health", timeout=5).json() == {"status": "ok"}


def test_dropped_connection_fault_closes_without_an_answer(served: WSGIServer) -> None:
    requests.post(
        served.url + "/_mockscim/faults", json={"path": "/v1/b2b/**", "drop": True, "count": 1}
    )
    with pytest.raises(requests.ConnectionError):
        requests.get(served.url + "/v1/b2b/organizations/x", timeout=5)
    # count=1: the next request is answered normally (an auth error, not a drop).
    assert requests.get(served.url + "/v1/b2b/organizations/x", timeout=5).status_code == 401
    journal = requests.get(served.url + "/_mockscim/requests").json()["requests"]
    assert [e["status"] for e in journal] == [0, 401]


def test_raw_socket_sees_eof_on_a_drop(served: WSGIServer) -> None:
    requests.post(served.url + "/_mockscim/faults", json={"path": "**", "drop": True, "count": 1})
    with socket.create_connection(("127.0.0.1", served.port), timeout=5) as sock:
        sock.sendall(b"GET /v1/organizations HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            assert sock.recv(1024) == b""
        except ConnectionResetError:
            pass


def test_idle_connections_are_closed(served: WSGIServer) -> None:
    """idle_timeout=1: the server closes a connection that never sends a request (the
    client's own 30 s timeout would raise ``TimeoutError`` instead of reading EOF)."""
    with socket.create_connection(("127.0.0.1", served.port), timeout=30) as sock:
        try:
            assert sock.recv(1024) == b""
        except ConnectionResetError:
            pass


def test_stop_releases_the_port() -> None:
    app = create_app(Settings())
    server = WSGIServer(app, "127.0.0.1", 0).start()
    port = server.port
    server.stop()
    again = WSGIServer(app, "127.0.0.1", port).start()
    again.stop()


def test_a_port_in_use_is_a_bind_error() -> None:
    app = create_app(Settings())
    server = WSGIServer(app, "127.0.0.1", 0).start()
    try:
        for kind in ("waitress", "werkzeug"):
            with pytest.raises(BindError):
                WSGIServer(app, "127.0.0.1", server.port, server=kind)
    finally:
        server.stop()


def test_mockserver_runs_on_waitress() -> None:
    with MockServer() as srv:
        assert srv.server_kind == "waitress"
        client = srv.stytch_client()
        org = client.organizations.create(organization_name="Acme").organization
        assert org.organization_name == "Acme"
    with MockServer(server="werkzeug") as srv:
        assert srv.server_kind == "werkzeug"
        assert requests.get(srv.url + "/_mockscim/health").status_code == 200


@pytest.mark.parametrize("server", ["waitress", "werkzeug"])
def test_an_unknown_host_is_a_bind_error_naming_it(server: str) -> None:
    """An unresolvable host was waitress's ValueError traceback and werkzeug's "address already
    in use"; ``MockServer`` and ``serve`` both see one ``BindError`` (``serve`` names the flag
    first: ``tests/cli/test_serve_hostile.py``)."""
    with pytest.raises(BindError, match="unknown host"):
        WSGIServer(lambda environ, start_response: [], "nosuchhost.invalid", 0, server=server)
