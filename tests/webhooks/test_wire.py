"""Webhooks on the wire (issue 20): UTF-8 bodies a re-serializing handler can verify, Svix's
custom endpoint headers, and a bounded number of delivery threads.

Vendor sources: Svix forwards the sender's bytes and signs ``{id}.{timestamp}.{body}`` over
them (docs.svix.com "Verifying webhooks manually"); Stytch's encoder writes UTF-8, so a body
with "José" carries the two bytes of "é", not ``\\u00e9``. Svix endpoints carry ``headers``
(``EndpointIn.headers``, "Endpoint headers" in the Svix API reference); the names it refuses are
``FORBIDDEN_KEYS``/``FORBIDDEN_PREFIXES`` in ``svix-server/src/core/types/mod.rs``
(``validate_header_key``), values at most 4,096 bytes (``validate_header_map``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from svix.webhooks import Webhook

from mockscim.app import create_app
from mockscim.control.client import Control
from mockscim.engine.mock import Mock
from mockscim.http.context import mock_of
from mockscim.settings import Settings
from mockscim.testing.webhooks import WebhookReceiver
from tests.serve_helper import serve
from tests.webhooks.test_stytch_events import scim, user


@pytest.fixture
def app() -> Iterator[Flask]:
    app = create_app(Settings(webhook_retry_scale=0.001))
    mock = mock_of(app)
    mock.open()
    yield app
    mock.close()


@pytest.fixture
def world(app: Flask) -> tuple[Control, Mock]:
    return Control(app), mock_of(app)


def reserialized(body: bytes) -> bytes:
    """What a handler that verifies ``JSON.stringify(req.body)`` signs: the parsed body written
    back compactly, non-ASCII characters as themselves."""
    text = json.dumps(json.loads(body), separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def test_a_non_ascii_name_arrives_as_utf8_and_verifies_after_reserializing(
    mockscim, webhook_receiver
):
    """A SCIM-provisioned "José Müller": the body holds UTF-8 bytes (it held ``\\u00e9``
    escapes, so a handler verifying its re-serialized body rejected every such event)."""
    org = mockscim.stytch.create_org("Acme", domains=["acme.test"])
    body = user("jose@acme.test", "José")
    body["name"]["familyName"] = "Müller"
    assert scim(org, "POST", "/Users", body).status_code == 201
    event = webhook_receiver.wait_for("scim.member.create")
    assert "José Müller".encode() in event.body
    assert b"\\u00e9" not in event.body
    assert reserialized(event.body) == event.body
    # The svix library verifies the re-serialized bytes, as an Express handler would.
    Webhook(webhook_receiver.secret).verify(reserialized(event.body), event.headers)
    assert event.payload["member"]["name"] == "José Müller"


def test_custom_headers_go_out_with_every_attempt(world):
    """Svix's endpoint ``headers``: sent with the first attempt, the retries and a replay; the
    protocol's own headers are unchanged and the signature still verifies."""
    ctl, mock = world
    secret_header = {"X-Shared-Secret": "s3cr3t-value", "X-Tenant": "acme"}
    with WebhookReceiver(ctl, headers=secret_header) as receiver:
        receiver.fail_next(1)
        message = mock.webhooks.emit("test.ping", {"name": "Zoë"})
        ctl.webhooks.flush()
        mock.clock.advance(1)
        ctl.webhooks.flush()
        ctl.webhooks.replay(message.id)
        ctl.webhooks.flush()
        assert [d.status for d in receiver.deliveries] == [500, 204, 204]
        for delivery in receiver.deliveries:
            assert delivery.headers["x-shared-secret"] == "s3cr3t-value"
            assert delivery.headers["x-tenant"] == "acme"
            assert delivery.headers["content-type"] == "application/json"
            Webhook(receiver.secret).verify(delivery.body, delivery.headers)
        # The creation answer shows the values; every later view shows the names only.
        assert receiver.endpoint is not None
        assert receiver.endpoint.headers == secret_header
        listed = ctl.webhooks.endpoints()[0]
        assert listed.header_names == ("X-Shared-Secret", "X-Tenant")
        assert listed.headers == {}
        assert ctl.webhooks.messages()[0].delivered


def test_header_values_are_shown_only_when_the_endpoint_is_created(app: Flask):
    client = app.test_client()
    created = client.post(
        "/_mockscim/webhooks/endpoints",
        json={"url": "http://127.0.0.1:9/h", "headers": {"Authorization": "Bearer abc123"}},
    )
    assert created.status_code == 201
    assert created.get_json()["headers"] == {"Authorization": "Bearer abc123"}
    listed = client.get("/_mockscim/webhooks/endpoints")
    assert listed.get_json()["endpoints"][0]["header_names"] == ["Authorization"]
    assert "abc123" not in listed.get_data(as_text=True)
    state = client.get("/_mockscim/state").get_data(as_text=True)
    assert "abc123" not in state


def test_custom_headers_survive_a_reset_for_endpoints_given_at_start():
    app = create_app(
        Settings(webhooks=("http://127.0.0.1:9/hook",), webhook_headers=(("X-A", "1"),))
    )
    mock = mock_of(app)
    mock.open()
    try:
        assert mock.webhooks.endpoints()[0].headers == {"X-A": "1"}
        mock.reset()
        assert mock.webhooks.endpoints()[0].headers == {"X-A": "1"}
    finally:
        mock.close()


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ([["X-A", "1"]], "must be an object"),
        ({"X A": "1"}, "invalid header name"),
        ({"User-Agent": "me"}, "may not be set"),
        ({"content-type": "text/plain"}, "may not be set"),
        ({"svix-signature": "v1,x"}, "may not be set"),
        ({"X-Svix-Thing": "1"}, "may not be set"),
        ({"X-Amz-Date": "1"}, "may not be set"),
        ({"X-A": 1}, "must be a string"),
        ({"X-A": "a\r\nX-B: b"}, "control character"),
        ({"X-A": "x" * 4097}, "over 4096 bytes"),
        ({"X-A": "1", "x-a": "2"}, "given twice"),
    ],
)
def test_bad_custom_headers_are_a_400(app: Flask, headers: Any, fragment: str):
    answer = app.test_client().post(
        "/_mockscim/webhooks/endpoints", json={"url": "http://127.0.0.1:9/h", "headers": headers}
    )
    assert answer.status_code == 400, answer.get_data(as_text=True)
    assert fragment in json.dumps(answer.get_json())
    assert mock_of(app).webhooks.endpoints() == []


@pytest.mark.parametrize("events", [5, True, 1.5, {"a": 1}])
def test_events_of_the_wrong_type_are_a_400_not_a_500(app: Flask, events: Any):
    """``events`` as a number, a bool or a float raised TypeError (a 500)."""
    answer = app.test_client().post(
        "/_mockscim/webhooks/endpoints", json={"url": "http://127.0.0.1:9/h", "events": events}
    )
    assert answer.status_code == 400
    assert "'events' must be" in json.dumps(answer.get_json())


def test_three_hundred_endpoints_share_a_bounded_pool(world):
    """One thread per endpoint made 300 endpoints 300 threads; now a dispatcher and at most
    ``DELIVERY_WORKERS`` workers deliver to all of them, and every endpoint gets its event."""
    from mockscim.engine.webhooks import DELIVERY_WORKERS

    ctl, mock = world
    received: list[str] = []
    lock = threading.Lock()
    with WebhookReceiver(ctl) as receiver:
        before = threading.active_count()
        for i in range(299):
            mock.webhooks.add_endpoint(f"{receiver.url}?n={i}", secret=receiver.secret)
        mock.webhooks.emit("test.ping", {"n": 1})
        peak = threading.active_count()

        def count() -> int:
            with lock:
                received[:] = [d.id for d in receiver.deliveries]
            return len(received)

        deadline = 200  # 20 s at most, polled every 0.1 s
        while count() < 300 and deadline:
            peak = max(peak, threading.active_count())
            threading.Event().wait(0.1)
            deadline -= 1
        assert count() == 300
    # The dispatcher and the workers, plus the receiver's own request threads (werkzeug-like
    # ThreadingHTTPServer: one per connection in flight, at most one per worker).
    assert peak - before <= 1 + 2 * DELIVERY_WORKERS


def test_serve_webhook_header_flag(capsys):
    """``serve --webhook-header 'Name: value'`` (repeatable) reaches the endpoints and the
    banner names the headers without their values; a bad one is a one-line error, exit 2."""
    with serve(
        "--webhook",
        "http://127.0.0.1:9/h",
        "--webhook-header",
        "X-Shared: hunter2",
        "--webhook-header",
        "X-Tenant: acme",
    ) as served:
        endpoints = Control(served.url).webhooks.endpoints()
        banner = "".join(served.readline() for _ in range(6))
    assert endpoints[0].header_names == ("X-Shared", "X-Tenant")
    assert "headers=X-Shared,X-Tenant" in banner
    assert "hunter2" not in banner
    from mockscim.cli.main import main

    assert main(["serve", "--port", "0", "--webhook-header", "X-A: 1"]) == 2
    assert "needs a --webhook" in capsys.readouterr().err
    bad = ["serve", "--port", "0", "--webhook", "http://127.0.0.1:9/h"]
    assert main([*bad, "--webhook-header", "User-Agent: x"]) == 2
    assert "may not be set" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main([*bad, "--webhook-header", "no-colon"])
