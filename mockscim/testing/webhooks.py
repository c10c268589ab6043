"""``WebhookReceiver``: a loopback endpoint that verifies the mock's webhooks with ``svix``.

It stands in for a user's webhook handler in tests: a stdlib HTTP server on a free port, on a
thread, registered with a mock as a webhook endpoint. Every delivery is checked by the real
``svix`` library (``Webhook(secret).verify(body, headers)``), exactly as a production handler
would, and recorded; a delivery that fails verification is answered 400 and recorded with the
error. ``fail_next(n)`` makes it answer 500 to the next ``n`` deliveries, to watch retries.

    with WebhookReceiver(control) as hooks:
        ...  # provision over SCIM
        event = hooks.wait_for("scim.member.create")
        assert event.payload["member"]["email_address"] == "ada@acme.test"

The pytest plugin's ``webhook_receiver`` fixture is one of these, registered with the
``mockscim`` session mock for the test. Event types are not part of a Svix delivery (neither
header nor body carries them), so the receiver asks the mock which message a ``svix-id`` is.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from mockscim.control.client import Control, ControlError, WebhookEndpoint


@dataclass
class ReceivedWebhook:
    """One request that reached the receiver."""

    #: The ``svix-id`` header: the message id, the same on every attempt of one message.
    id: str
    body: bytes
    headers: dict[str, str]
    #: The status the receiver answered.
    status: int
    verified: bool
    error: str | None = None
    event_type: str | None = None
    payload: Any = field(default=None)

    @property
    def timestamp(self) -> int:
        return int(self.headers.get("svix-timestamp", "0") or 0)


class WebhookReceiver:
    """A verifying webhook endpoint on ``127.0.0.1:<free port>`` registered with a mock."""

    def __init__(
        self,
        control: Control,
        *,
        events: list[str] | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
        host: str = "127.0.0.1",
        path: str = "/webhooks",
    ) -> None:
        from svix.webhooks import Webhook  # ImportError here: the svix package is missing

        self._webhook_class = Webhook
        self.control = control
        self._events_filter = events
        self._secret = secret
        self._headers = headers
        self.host = host
        self.path = path
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._fail_remaining = 0
        self._fail_status = 500
        self.deliveries: list[ReceivedWebhook] = []
        self.endpoint: WebhookEndpoint | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the receiver is not running; call start()")
        return f"http://{self.host}:{self._server.server_port}{self.path}"

    @property
    def secret(self) -> str:
        if self.endpoint is None:
            raise RuntimeError("the receiver is not registered; call start()")
        return self.endpoint.secret

    def start(self) -> WebhookReceiver:
        if self._server is not None:
            return self
        self._server = ThreadingHTTPServer((self.host, 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="mockscim-webhook-receiver", daemon=True
        )
        self._thread.start()
        self.register()
        return self

    def register(self) -> WebhookEndpoint:
        """(Re-)register with the mock, e.g. after a reset removed the endpoint."""
        # Without a secret of our own, the mock generates one and answers it.
        self.endpoint = self.control.webhooks.add_endpoint(
            self.url, events=self._events_filter, secret=self._secret, headers=self._headers
        )
        self._secret = self.endpoint.secret
        return self.endpoint

    def stop(self) -> None:
        """Unregister (best effort: a reset may have removed the endpoint) and shut down."""
        if self._server is None:
            return
        if self.endpoint is not None:
            try:
                self.control.webhooks.remove_endpoint(self.endpoint.id)
            except ControlError:
                pass
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ behaviour
    def fail_next(self, count: int, status: int = 500) -> None:
        """Answer ``status`` (after verifying) to the next ``count`` deliveries."""
        with self._lock:
            self._fail_remaining = count
            self._fail_status = status

    def _receive(self, body: bytes, headers: dict[str, str]) -> int:
        error = None
        try:
            self._webhook_class(self.secret).verify(body, headers)
            verified = True
        except Exception as exc:  # WebhookVerificationError and malformed input alike
            verified = False
            error = f"{type(exc).__name__}: {exc}"
        with self._lock:
            if not verified:
                status = 400
            elif self._fail_remaining > 0:
                self._fail_remaining -= 1
                status = self._fail_status
            else:
                status = 204
            try:
                payload = json.loads(body)
            except ValueError:
                payload = None
            self.deliveries.append(
                ReceivedWebhook(
                    headers.get("svix-id", ""),
                    body,
                    headers,
                    status,
                    verified,
                    error,
                    None,
                    payload,
                )
            )
            self._arrived.notify_all()
        return status

    # ------------------------------------------------------------------ assertions
    def _label(self, items: list[ReceivedWebhook]) -> None:
        """Fill in event types from the mock's outbox (a delivery does not carry one)."""
        if all(d.event_type for d in items):
            return
        types = {m["id"]: m["event_type"] for m in self.control.webhooks.messages()}
        with self._lock:
            for delivery in items:
                if delivery.event_type is None:
                    delivery.event_type = types.get(delivery.id)

    @property
    def events(self) -> list[ReceivedWebhook]:
        """Verified deliveries answered 2xx, one per message, in arrival order."""
        with self._lock:
            accepted = [d for d in self.deliveries if d.verified and 200 <= d.status < 300]
        seen: set[str] = set()
        unique = []
        for delivery in accepted:
            if delivery.id not in seen:
                seen.add(delivery.id)
                unique.append(delivery)
        self._label(unique)
        return unique

    def event_types(self) -> list[str]:
        return [str(e.event_type) for e in self.events]

    def wait_for(self, event_type: str, timeout: float = 5.0, *, count: int = 1) -> ReceivedWebhook:
        """The ``count``-th verified event of ``event_type``, once it has arrived; asks the
        mock to deliver what is due (``flush``) while waiting. AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            self.control.webhooks.flush()
            found = [e for e in self.events if e.event_type == event_type]
            if len(found) >= count:
                return found[count - 1]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"no {event_type!r} event #{count} arrived within {timeout}s; "
                    f"received: {self.event_types() or 'nothing'}"
                )
            with self._arrived:
                self._arrived.wait(min(remaining, 0.1))


def _handler(receiver: WebhookReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            status = receiver._receive(body, headers)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: tests read .deliveries instead

    return Handler
