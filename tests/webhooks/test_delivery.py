"""The delivery engine: Svix signing, the retry schedule on the mock clock, replay, faults,
reset, and secrets kept out of snapshots and the journal.

Vendor sources: docs.svix.com "Verifying webhooks manually" (svix-id, svix-timestamp,
svix-signature ``v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`` keyed by the base64
part of ``whsec_``; the two published example signatures), docs.svix.com/retries ("Retry
Schedule": immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; 2xx within 15 s is success),
the svix-webhooks server (``server/svix-server/src/worker.rs``: the timestamp signed is the
attempt's; a resend keeps the message id).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from svix.webhooks import Webhook, WebhookVerificationError

from mockscim.app import create_app
from mockscim.cli import serve
from mockscim.control.client import Control, ControlError
from mockscim.engine.faults import Faults
from mockscim.engine.mock import Mock
from mockscim.engine.webhooks import RETRY_SCHEDULE, sign
from mockscim.http.context import mock_of
from mockscim.settings import Settings
from mockscim.testing.webhooks import WebhookReceiver

START = "2030-01-01T00:00:00Z"
SCALE = 0.001


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[Control, Mock]]:
    """An in-process mock with a compressed retry schedule and a state file."""
    settings = Settings(webhook_retry_scale=SCALE, state_file=str(tmp_path / "state.json"))
    app = create_app(settings)
    mock = mock_of(app)
    mock.open()
    yield Control(app), mock
    mock.close()


def at(offset_ms: float) -> str:
    """START plus ``offset_ms`` milliseconds, as the attempt records print instants."""
    seconds, ms = divmod(round(offset_ms), 1000)
    return f"2030-01-01T00:00:{seconds:02d}.{ms:03d}Z"


def test_signature_matches_svix_published_examples():
    """Both example signatures of docs.svix.com ("Verifying webhooks manually")."""
    assert (
        sign(
            "whsec_plJ3nmyCDGBKInavdOK15jsl",
            "msg_loFOjxBNrRLzqYUf",
            1731705121,
            b'{"event_type":"ping","data":{"success":true}}',
        )
        == "v1,rAvfW3dJ/X/qxhsaXPOyyCGmRKsaKWcsNccKXlIktD0="
    )
    assert (
        sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            b'{"test": 2432232314}',
        )
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_failing_endpoint_is_retried_on_the_compressed_schedule_then_succeeds(world):
    """Three 500s, then success: attempts 2-4 come 5 s, 5 min and 30 min (times the scale) after
    the preceding failure, by the mock clock; every attempt is signed afresh and carries the
    same svix-id."""
    ctl, mock = world
    ctl.clock.freeze(START)
    with WebhookReceiver(ctl) as receiver:
        receiver.fail_next(3)
        message = mock.webhooks.emit("test.ping", {"n": 1})
        ctl.webhooks.flush()
        ctl.webhooks.flush()  # the retry is not due: the frozen clock has not moved
        assert len(receiver.deliveries) == 1
        for delay in RETRY_SCHEDULE[1:4]:
            ctl.clock.advance(delay * SCALE)
            ctl.webhooks.flush()
        assert [d.status for d in receiver.deliveries] == [500, 500, 500, 204]
        assert all(d.verified for d in receiver.deliveries)
        assert {d.id for d in receiver.deliveries} == {message.id}
        for delivery in receiver.deliveries:
            Webhook(receiver.secret).verify(delivery.body, delivery.headers)

    record = ctl.webhooks.messages("test.ping")[0]
    assert [a["status"] for a in record.attempts] == [500, 500, 500, 204]
    assert [a["at"] for a in record.attempts] == [at(0), at(5), at(305), at(2105)]
    assert [a["next_attempt_at"] for a in record.attempts] == [at(5), at(305), at(2105), None]
    assert all(a["trigger"] == "scheduled" for a in record.attempts)
    assert record.deliveries[0]["status"] == "success"
    assert record.delivered


def test_retries_stop_after_eight_attempts(world):
    """An endpoint that always fails (a webhook fault rule standing in for it) gets the eight
    attempts of Svix's schedule, then the message is marked failed; the receiver is never
    called because the fault answers for it."""
    ctl, mock = world
    ctl.clock.freeze(START)
    with WebhookReceiver(ctl) as receiver:
        rule = ctl.faults.add("/webhooks", status=503, webhook=True)
        mock.webhooks.emit("test.ping", {"n": 1})
        for delay in RETRY_SCHEDULE[1:]:
            ctl.webhooks.flush()
            ctl.clock.advance(delay * SCALE)
        counts = ctl.webhooks.flush()
        assert receiver.deliveries == []
    record = ctl.webhooks.messages()[0]
    assert [a["status"] for a in record.attempts] == [503] * len(RETRY_SCHEDULE)
    assert record.attempts[-1]["next_attempt_at"] is None
    assert record.deliveries[0]["status"] == "failed"
    assert counts["failed"] == 1
    assert next(f for f in ctl.faults.list() if f["id"] == rule["id"])["hits"] == 8


def test_replay_redelivers_with_the_same_id_and_a_fresh_signature(world):
    """A replay (Svix's resend) is one more, manual, attempt of the same message: same svix-id,
    signed with that attempt's own timestamp."""
    ctl, mock = world
    with WebhookReceiver(ctl) as receiver:
        message = mock.webhooks.emit("test.ping", {"n": 1})
        ctl.webhooks.flush()
        replayed = ctl.webhooks.replay(message.id)
        assert replayed.id == message.id
        ctl.webhooks.flush()
        assert len(receiver.deliveries) == 2
        first, second = receiver.deliveries
        assert first.id == second.id == message.id
        assert second.verified and second.status == 204
        assert second.body == first.body
    record = ctl.webhooks.messages()[0]
    assert [a["trigger"] for a in record.attempts] == ["scheduled", "manual"]
    assert record.attempts[1]["svix_timestamp"] == second.timestamp
    with pytest.raises(ControlError) as missing:
        ctl.webhooks.replay("msg_doesnotexist")
    assert missing.value.status == 404


def test_tampered_body_or_wrong_secret_fails_verification(world):
    """What a handler's svix check does with a forged delivery: a changed body, or a delivery
    signed with another endpoint's secret, raise WebhookVerificationError."""
    ctl, mock = world
    ctl.clock.freeze(START)  # the refused delivery's retry (5 ms scaled) must not fall due
    with WebhookReceiver(ctl) as receiver:
        # A second endpoint at the same URL signs with its own secret: the receiver refuses it.
        other = ctl.webhooks.add_endpoint(receiver.url)
        mock.webhooks.emit("test.ping", {"amount": 10})
        ctl.webhooks.flush()
        good = [d for d in receiver.deliveries if d.verified]
        bad = [d for d in receiver.deliveries if not d.verified]
        assert len(good) == 1 and len(bad) == 1
        assert bad[0].status == 400 and "No matching signature" in str(bad[0].error)
        delivery = good[0]
        Webhook(receiver.secret).verify(delivery.body, delivery.headers)
        with pytest.raises(WebhookVerificationError):
            Webhook(receiver.secret).verify(delivery.body.replace(b"10", b"99"), delivery.headers)
        with pytest.raises(WebhookVerificationError):
            Webhook(other.secret).verify(delivery.body, delivery.headers)
    record = ctl.webhooks.messages()[0]
    refused = next(d for d in record.deliveries if d["endpoint_id"] == other.id)
    assert refused["status"] == "pending" and refused["next_attempt_at"] is not None


def test_event_filter_and_endpoint_removal(world):
    ctl, mock = world
    with WebhookReceiver(ctl, events=["a.b.create"]) as receiver:
        mock.webhooks.emit("a.b.update", {})
        mock.webhooks.emit("a.b.create", {})
        ctl.webhooks.flush()
        assert receiver.event_types() == ["a.b.create"]
        ctl.webhooks.remove_endpoint(receiver.endpoint.id)
        mock.webhooks.emit("a.b.create", {})
        ctl.webhooks.flush()
        assert len(receiver.deliveries) == 1
    assert ctl.webhooks.endpoints() == []


def test_reset_clears_endpoints_queue_and_history(world):
    ctl, mock = world
    ctl.webhooks.add_endpoint("http://127.0.0.1:9/unreachable")
    mock.webhooks.emit("test.ping", {})
    assert ctl.webhooks.messages() and ctl.webhooks.endpoints()
    ctl.reset()
    assert ctl.webhooks.endpoints() == []
    assert ctl.webhooks.messages() == []


def test_endpoints_given_at_start_survive_reset_with_their_secret():
    """``serve --webhook URL`` endpoints are configuration: a reset keeps their id and secret
    (the user's app was configured with the printed secret)."""
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    app = create_app(Settings(webhooks=("http://127.0.0.1:9/a",), webhook_secret=secret))
    mock = mock_of(app)
    mock.open()
    try:
        ctl = Control(app)
        before = ctl.webhooks.endpoints()
        ctl.webhooks.add_endpoint("http://127.0.0.1:9/b")
        ctl.reset()
        after = ctl.webhooks.endpoints()
        assert [e.id for e in after] == [e.id for e in before]
        assert [e.url for e in after] == ["http://127.0.0.1:9/a"]
        assert ctl.webhooks.secret(after[0].id) == secret
    finally:
        mock.close()


def test_no_secret_in_state_journal_or_state_file(mockscim, webhook_receiver, stytch_client):
    """The signing secret exists only in memory: not in GET /_mockscim/state, not in the
    request journal, not in the endpoint list; the outgoing calls are not journaled."""
    stytch_client.organizations.create(organization_name="Acme")
    webhook_receiver.wait_for("direct.organization.create")
    secret = webhook_receiver.secret
    key_part = secret.removeprefix("whsec_")
    state = json.dumps(mockscim.state.snapshot())
    journal = json.dumps(mockscim.journal.entries())
    listed = repr(mockscim.webhooks.endpoints())
    for text in (state, journal, listed):
        assert key_part not in text
    # The delivery itself is not an incoming request: only the SDK call is journaled.
    assert [e.path for e in mockscim.journal.entries()] == ["/v1/b2b/organizations"]


def test_state_file_carries_no_webhook_secret(world, tmp_path: Path):
    ctl, mock = world
    endpoint = ctl.webhooks.add_endpoint("http://127.0.0.1:9/x")
    mock.persistence.flush()
    text = (tmp_path / "state.json").read_text()
    assert endpoint.secret.removeprefix("whsec_") not in text
    assert "webhook" not in text


def test_faults_keep_to_their_side():
    """Webhook rules never match incoming requests; request rules never match deliveries."""
    faults = Faults()
    faults.add({"path": "**", "status": 500, "webhook": True})
    assert faults.take("POST", "/v1/b2b/organizations", "stytch", "stytch") is None
    faults.clear()
    faults.add({"path": "**", "status": 500})
    assert faults.take_webhook("/hooks") is None


def test_slow_endpoint_fault_times_out():
    """A webhook latency at or above the delivery timeout is recorded as a timeout."""
    app = create_app(Settings(webhook_timeout=0.1))
    mock = mock_of(app)
    mock.open()
    try:
        ctl = Control(app)
        ctl.faults.add("**", latency_ms=100, webhook=True, count=1)
        ctl.webhooks.add_endpoint("http://127.0.0.1:9/slow")
        mock.webhooks.emit("test.ping", {})
        ctl.webhooks.flush()
        attempt = ctl.webhooks.messages()[0].attempts[0]
        assert attempt["status"] is None
        assert "timed out" in attempt["error"]
        assert attempt["next_attempt_at"] is not None
    finally:
        mock.close()


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"url": "ftp://x/"}, 400, "http:// or https://"),
        ({}, 400, "'url' is required"),
        ({"url": "http://x/", "secret": "nope"}, 400, "whsec_"),
        ({"url": "http://x/", "events": [1]}, 400, "event type strings"),
        ({"url": "http://x/", "colour": "red"}, 400, "unknown endpoint field"),
        ({"url": "http://x/", "webhook": True}, 400, "unknown endpoint field"),
    ],
)
def test_control_plane_rejects_bad_endpoints(world, body, status, fragment):
    ctl, _mock = world
    client = ctl._transport
    code, answer = client("POST", "/_mockscim/webhooks/endpoints", body)
    assert code == status
    assert answer["status"] == status and fragment in answer["error"]
    assert ctl.webhooks.endpoints() == []


def test_events_may_be_a_comma_list_like_the_cli_flag(world):
    ctl, _mock = world
    code, answer = ctl._transport(
        "POST", "/_mockscim/webhooks/endpoints", {"url": "http://x/", "events": "a.b.c, d.e.f"}
    )
    assert code == 201
    assert answer["events"] == ["a.b.c", "d.e.f"]
    assert answer["secret"].startswith("whsec_")


def test_control_plane_404s(world):
    ctl, _mock = world
    for call in (
        lambda: ctl.webhooks.remove_endpoint("ep_nope"),
        lambda: ctl.webhooks.secret("ep_nope"),
        lambda: ctl.webhooks.replay("msg_nope"),
    ):
        with pytest.raises(ControlError) as error:
            call()
        assert error.value.status == 404


def test_serve_flags_and_banner():
    """``mockscim serve --webhook URL --webhook URL --webhook-secret S --webhook-events ...``"""
    parser = argparse.ArgumentParser()
    serve.configure(parser)
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    args = parser.parse_args(
        [
            "--webhook",
            "http://127.0.0.1:9/a",
            "--webhook",
            "http://127.0.0.1:9/b",
            "--webhook-secret",
            secret,
            "--webhook-events",
            "scim.member.create, scim.member.delete",
            "--webhook-retry-scale",
            "0.01",
        ]
    )
    settings = serve.settings_from(args)
    assert settings.webhooks == ("http://127.0.0.1:9/a", "http://127.0.0.1:9/b")
    assert settings.webhook_secret == secret
    assert settings.webhook_events == ("scim.member.create", "scim.member.delete")
    assert settings.webhook_retry_scale == 0.01
    app = create_app(settings.with_overrides(scenario="none"))
    mock = mock_of(app)
    mock.open()
    try:
        lines = [line for line in serve.banner(mock, "http://h") if "webhook " in line]
        assert len(lines) == 2
        assert all(
            secret in line and "scim.member.create,scim.member.delete" in line for line in lines
        )
    finally:
        mock.close()
    with pytest.raises(SystemExit):
        parser.parse_args(["--webhook-retry-scale", "-1"])


def test_serve_refuses_a_bad_secret(capsys):
    parser = argparse.ArgumentParser()
    serve.configure(parser)
    args = parser.parse_args(["--port", "0", "--webhook", "http://x/", "--webhook-secret", "no"])
    assert serve.run(args) == 2
    assert "whsec_" in capsys.readouterr().err


def _eventually(check, timeout: float = 10.0) -> bool:
    """Poll ``check`` until true (the background senders need no flush); no timing assertion."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


def test_background_sender_delivers_and_retries_without_flush(world):
    """``serve --webhook`` has nobody calling flush: each endpoint's sender delivers on its own
    and, with a running clock and a compressed schedule, retries when the retry falls due."""
    ctl, mock = world
    with WebhookReceiver(ctl) as receiver:
        receiver.fail_next(1)
        mock.webhooks.emit("test.ping", {"n": 1})
        assert _eventually(lambda: [d.status for d in receiver.deliveries] == [500, 204])
    # The receiver answers before the mock records the attempt: wait for the record too.
    assert _eventually(lambda: ctl.webhooks.messages()[0].delivered)
    record = ctl.webhooks.messages()[0]
    assert record.deliveries[0]["status"] == "success"
    assert [a["status"] for a in record.attempts] == [500, 204]
