"""The HTTP side of the IdP: 429 back-off (bounded, Retry-After honoured), recording, 401."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

from mockscim.http.headers import parse_retry_after
from mockscim.idp import PushAborted, ScimClient
from mockscim.idp.client import split_base_url


class Throttle:
    """A tiny SCIM-ish server that answers 429 for the first ``n`` requests."""

    def __init__(self) -> None:
        self.remaining = 0
        self.retry_after: str | None = "2"
        self.seen: list[str] = []


@pytest.fixture(scope="module")
def throttled() -> Iterator[tuple[str, Throttle]]:
    app = Flask("throttled")
    throttle = Throttle()

    @app.route("/scim/Users", methods=["GET", "POST"])
    def users():  # type: ignore[no-untyped-def]
        throttle.seen.append(request.headers.get("Authorization", ""))
        if request.headers.get("Authorization") != "Bearer good":
            return jsonify({"detail": "bad token", "status": "401"}), 401
        if throttle.remaining > 0:
            throttle.remaining -= 1
            headers = {"Retry-After": throttle.retry_after} if throttle.retry_after else {}
            return jsonify({"detail": "slow down", "status": "429"}), 429, headers
        return jsonify({"Resources": [], "totalResults": 0}), 200

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", throttle
    finally:
        server.shutdown()
        server.server_close()


def make(url: str, sleeps: list[float], **kw) -> ScimClient:  # type: ignore[no-untyped-def]
    return ScimClient(url + "/scim", "good", sleep=sleeps.append, **kw)


def test_429_is_retried_after_retry_after_and_every_attempt_recorded(throttled) -> None:  # type: ignore[no-untyped-def]
    server, throttle = throttled
    throttle.remaining, throttle.retry_after = 2, "3"
    sleeps: list[float] = []
    client = make(server, sleeps)
    result = client.request("GET", "/Users", params={"filter": 'userName eq "a"'})
    assert result.status == 200
    assert sleeps == [3.0, 3.0]
    assert [(r.status, r.attempt) for r in client.sent] == [(429, 1), (429, 2), (200, 3)]
    assert client.sent[0].detail == "slow down"
    assert client.sent[0].path == "/scim/Users"
    assert client.sent[0].query == "filter=userName+eq+%22a%22"


def test_retries_are_bounded(throttled) -> None:  # type: ignore[no-untyped-def]
    server, throttle = throttled
    throttle.remaining, throttle.retry_after = 100, None
    sleeps: list[float] = []
    client = make(server, sleeps, max_retries=3, default_retry_after=0.5)
    result = client.request("GET", "/Users")
    assert result.status == 429
    assert sleeps == [0.5, 0.5, 0.5]
    assert len(client.sent) == 4
    throttle.remaining = 0


def test_huge_retry_after_is_capped(throttled) -> None:  # type: ignore[no-untyped-def]
    server, throttle = throttled
    throttle.remaining, throttle.retry_after = 1, "86400"
    sleeps: list[float] = []
    client = make(server, sleeps, max_retry_after=30)
    assert client.request("GET", "/Users").ok
    assert sleeps == [30]


def test_401_raises_and_the_token_is_never_recorded(throttled) -> None:  # type: ignore[no-untyped-def]
    server, _throttle = throttled
    client = ScimClient(server + "/scim", "secret-token-value", sleep=lambda s: None)
    with pytest.raises(PushAborted) as info:
        client.request("GET", "/Users")
    assert info.value.status == 401
    assert "secret-token-value" not in repr(client.sent[0].to_json())
    assert client.sent[0].token_generation == 0
    client.set_token("good")
    assert client.request("GET", "/Users").ok
    assert client.sent[-1].token_generation == 1


def test_unreachable_server_aborts() -> None:
    client = ScimClient("http://127.0.0.1:9/scim", "t", timeout=2)
    with pytest.raises(PushAborted):
        client.request("GET", "/Users")
    assert client.sent[0].status == 0


def test_retry_after_parsing() -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert parse_retry_after("7", lambda: now) == 7.0
    later = format_datetime(now + timedelta(seconds=42), usegmt=True)
    assert parse_retry_after(later, lambda: now) == 42.0
    earlier = format_datetime(now - timedelta(seconds=42), usegmt=True)
    assert parse_retry_after(earlier, lambda: now) == 0.0
    assert parse_retry_after("soon", lambda: now) is None
    assert parse_retry_after(None, lambda: now) is None


def test_base_url_flags_are_split_off() -> None:
    base, flags = split_base_url("https://h/scim/v2/?aadOptscim062020")
    assert base == "https://h/scim/v2"
    assert flags == {"aadoptscim062020": ""}
    assert split_base_url("http://h/x")[1] == {}
