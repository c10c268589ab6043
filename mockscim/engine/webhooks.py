"""Outgoing webhooks: endpoints, an outbox of messages, and signed delivery with retries.

The delivery protocol is Svix's, because that is what the emulated vendors use and what their
customers' handlers verify (docs.svix.com "Verifying webhooks manually", "Retry schedule"):

- every attempt is a ``POST`` of the message's JSON body with ``svix-id`` (the message id,
  the same on every attempt), ``svix-timestamp`` (seconds since the epoch of the *attempt*)
  and ``svix-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`` keyed by the
  base64-decoded part of the endpoint's ``whsec_`` secret. The timestamp is real wall-clock
  time, never the mock clock: receivers (the ``svix`` library) reject a timestamp more than
  five minutes from their own clock.
- a 2xx answer within the timeout (15 s by default) is a success; anything else, a redirect
  included, is a failure, retried after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (eight
  attempts in all), then the message is marked ``failed`` for that endpoint. The answer
  header ``webhook-delivery: abort-message`` stops the retries of that message.
- retries are *due* by the mock clock (``clock.advance`` moves a test through the schedule),
  and the delays are multiplied by ``retry_scale`` so a test can compress the schedule.

Each endpoint's due messages go out one at a time in the order they were emitted; a message
waiting for its retry does not hold back later ones (Svix delivers ordinary endpoints'
messages independently, on a best-effort order). A bounded pool of ``workers`` threads (8 by
default) serves every endpoint, one pass per endpoint at a time, started by one dispatcher
thread: 300 endpoints cost 9 threads, not 300. ``flush()`` delivers everything due now from
the calling thread and returns when done.

Bodies are compact UTF-8 JSON (``ensure_ascii=False``): "José" goes out as the two bytes of
"é", as Stytch's encoder writes it and Svix forwards it, so a handler that verifies the
signature over ``JSON.stringify(req.body)`` (or Python's ``json.dumps(..., separators=(",",
":"), ensure_ascii=False)``) of the parsed body gets the same bytes back.

An endpoint may carry custom ``headers`` (Svix's ``EndpointIn.headers``), sent with every
attempt; names Svix refuses (its ``FORBIDDEN_KEYS`` and ``FORBIDDEN_PREFIXES`` in
``svix-server/src/core/types/mod.rs``: ``user-agent``, ``content-type``, ``svix-*``, ...) are
refused here too. Their values may be credentials: only the names are shown after creation.

Secrets live only here, in memory: nothing in this module is part of a store snapshot, the
state file or the request journal, and the outgoing calls are not incoming requests, so they
never enter the journal. The engine knows no HTTP framework and no vendor: vendors call
:meth:`Webhooks.emit` with an event type and a payload.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import itertools
import json
import logging
import queue
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests

from mockscim.engine.clock import Clock
from mockscim.engine.faults import Faults, default_message

log = logging.getLogger("mockscim")

#: Delay before each attempt, in seconds after the preceding failure (the first is immediate).
RETRY_SCHEDULE: tuple[int, ...] = (0, 5, 300, 1800, 7200, 18000, 36000, 36000)
#: Svix waits this long for an answer before counting the attempt as failed.
DEFAULT_TIMEOUT = 15.0
#: Characters of the endpoint's answer kept with each attempt.
RESPONSE_EXCERPT = 1024
#: Messages kept for inspection; the oldest (and any retries still pending for it) go first.
MESSAGES_KEPT = 1000
#: How often the dispatcher looks at the mock clock for retries that have become due.
POLL_SECONDS = 0.25
#: Threads delivering to all endpoints together (each endpoint gets one pass at a time).
DELIVERY_WORKERS = 8
#: Header names Svix refuses on an endpoint (svix-server ``core/types/mod.rs``
#: ``FORBIDDEN_KEYS``), and prefixes (``FORBIDDEN_PREFIXES``).
FORBIDDEN_HEADERS = frozenset(
    {
        "user-agent",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailers",
        "transfer-encoding",
        "upgrade",
        "age",
        "cache-control",
        "clear-site-data",
        "expires",
        "pragma",
        "warning",
        "content-length",
        "content-type",
        "content-encoding",
        "content-language",
        "content-location",
    }
)
FORBIDDEN_HEADER_PREFIXES = (
    "x-amz-",
    "x-amzn-",
    "x-google",
    "x-goog-",
    "x-gfe",
    "x-azure-",
    "x-fd-",
    "x-svix-",
    "svix-",
)
#: Svix's limit on one header value, in bytes.
HEADER_VALUE_MAX = 4096
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
USER_AGENT = "Svix-Webhooks/mockscim"
SECRET_PREFIX = "whsec_"

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_KSUID_EPOCH = 1_400_000_000
_SECRET_BODY = re.compile(r"^[A-Za-z0-9+/=]{24,100}$")
#: Orders attempts as they were made (mock-clock instants tie while the clock is frozen).
_ATTEMPT_SEQ = itertools.count(1)


class WebhookError(ValueError):
    """Bad input for an endpoint, a filter or a replay; the control plane answers 400."""


class UnknownWebhookObject(LookupError):
    """No endpoint or message with that id; the control plane answers 404."""


# ---------------------------------------------------------------------------- ids and signing
def new_id(prefix: str) -> str:
    """``prefix`` + 27 base62 characters: a KSUID (4 bytes of seconds, 16 random bytes), the
    form Svix gives message ids (``msg_...``), so ids sort by creation time."""
    value = (int(time.time()) - _KSUID_EPOCH) << 128 | secrets.randbits(128)
    chars = []
    for _ in range(27):
        value, digit = divmod(value, 62)
        chars.append(_BASE62[digit])
    return prefix + "".join(reversed(chars))


def generate_secret() -> str:
    """A fresh ``whsec_`` secret: 24 random bytes, base64 (the size Svix generates)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_`` secret: its base64 part, decoded."""
    body = secret.removeprefix(SECRET_PREFIX)
    return base64.b64decode(body + "=" * (-len(body) % 4))


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``svix-signature`` value for one attempt: ``v1,<base64 HMAC-SHA256>``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def check_secret(secret: Any) -> str:
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX):
        raise WebhookError("'secret' must be a string starting with 'whsec_'")
    body = secret.removeprefix(SECRET_PREFIX)
    if not _SECRET_BODY.match(body):
        raise WebhookError("'secret' must be 'whsec_' followed by 24 to 100 base64 characters")
    try:
        key = secret_key(secret)
    except (binascii.Error, ValueError) as exc:
        raise WebhookError("'secret' is not valid base64 after 'whsec_'") from exc
    if len(key) < 16:
        raise WebhookError("'secret' must decode to at least 16 bytes")
    return secret


def check_url(url: Any) -> str:
    if not isinstance(url, str) or not url:
        raise WebhookError("'url' must be a non-empty string")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError(f"'url' must be an http:// or https:// URL with a host: {url!r}")
    return url


def check_event_types(value: Any) -> frozenset[str] | None:
    """An endpoint's filter: None (every event) or a non-empty list of exact event types."""
    if value is None:
        return None
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise WebhookError("'events' must be a list of event type strings")
    cleaned = [i.strip() for i in items if i.strip()]
    if not cleaned:
        raise WebhookError("'events' must name at least one event type (or be omitted)")
    return frozenset(cleaned)


def check_headers(value: Any) -> dict[str, str]:
    """An endpoint's custom headers: an object of header name to string value, as Svix's
    ``EndpointHeaders`` validates it (a token name, not forbidden, a value without line breaks
    of at most 4,096 bytes)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise WebhookError("'headers' must be an object of header name to string value")
    cleaned: dict[str, str] = {}
    for name, text in value.items():
        if not isinstance(name, str) or not _HEADER_NAME.match(name):
            raise WebhookError(f"'headers': invalid header name {name!r}")
        lowered = name.lower()
        if lowered in FORBIDDEN_HEADERS or lowered.startswith(FORBIDDEN_HEADER_PREFIXES):
            raise WebhookError(f"'headers': {name!r} may not be set on an endpoint")
        if not isinstance(text, str):
            raise WebhookError(f"'headers': the value of {name!r} must be a string")
        if any((ord(c) < 32 and c != "\t") or ord(c) == 127 for c in text):
            raise WebhookError(f"'headers': the value of {name!r} holds a control character")
        if len(text.encode("utf-8")) > HEADER_VALUE_MAX:
            raise WebhookError(f"'headers': the value of {name!r} is over 4096 bytes")
        if any(k.lower() == lowered for k in cleaned):
            raise WebhookError(f"'headers': {name!r} is given twice")
        cleaned[name] = text
    return cleaned


def _instant(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


# ---------------------------------------------------------------------------- records
@dataclass
class Endpoint:
    id: str
    url: str
    secret: str = field(repr=False)
    event_types: frozenset[str] | None
    created_at: datetime
    #: Given at start (``--webhook``): a reset keeps it, with the same id and secret.
    configured: bool = False
    #: Custom headers sent with every attempt; values shown only with the secret.
    headers: dict[str, str] = field(default_factory=dict, repr=False)

    def wants(self, event_type: str) -> bool:
        return self.event_types is None or event_type in self.event_types

    def to_json(self, *, with_secret: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "url": self.url,
            "events": sorted(self.event_types) if self.event_types else None,
            "created_at": _instant(self.created_at),
            "configured": self.configured,
            # Names only: a custom header is often a credential of its own.
            "header_names": sorted(self.headers),
        }
        if with_secret:
            out["secret"] = self.secret
            out["headers"] = dict(self.headers)
        return out


@dataclass
class Attempt:
    id: str
    endpoint_id: str
    #: ``scheduled`` (the first attempt and the retries) or ``manual`` (a replay).
    trigger: str
    #: Mock-clock time of the attempt.
    at: datetime
    #: The ``svix-timestamp`` it carried (real seconds since the epoch).
    timestamp: int
    status: int | None
    latency_ms: float
    response: str
    error: str | None
    #: Mock-clock time of the next retry, or None when no retry follows.
    next_attempt_at: datetime | None = None
    seq: int = field(default_factory=lambda: next(_ATTEMPT_SEQ))

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "endpoint_id": self.endpoint_id,
            "trigger": self.trigger,
            "at": _instant(self.at),
            "svix_timestamp": self.timestamp,
            "status": self.status,
            "ok": self.ok,
            "latency_ms": self.latency_ms,
            "response": self.response,
            "error": self.error,
            "next_attempt_at": _instant(self.next_attempt_at),
        }


@dataclass
class Delivery:
    """One message's way to one endpoint."""

    endpoint_id: str
    #: ``pending`` (an attempt is due or scheduled), ``success``, ``failed`` (retries
    #: exhausted or aborted) or ``cancelled`` (the endpoint was removed).
    status: str = "pending"
    due: datetime | None = None
    failures: int = 0
    #: A replay asked for one manual attempt now.
    manual: bool = False
    attempts: list[Attempt] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "endpoint_id": self.endpoint_id,
            "status": self.status,
            "attempt_count": len(self.attempts),
            "next_attempt_at": _instant(self.due if self.status == "pending" else None),
        }


@dataclass
class Message:
    id: str
    event_type: str
    payload: dict[str, Any]
    #: The exact bytes every attempt sends and signs.
    body: bytes = field(repr=False)
    created_at: datetime
    deliveries: dict[str, Delivery] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        attempts = sorted(
            (a for d in self.deliveries.values() for a in d.attempts), key=lambda a: a.seq
        )
        return {
            "id": self.id,
            "event_type": self.event_type,
            "payload": self.payload,
            "created_at": _instant(self.created_at),
            "deliveries": [d.to_json() for d in self.deliveries.values()],
            "attempts": [a.to_json() for a in attempts],
        }


# ---------------------------------------------------------------------------- senders
class _Sender:
    """One endpoint's place in the delivery pool. ``lock`` serializes its passes (the pool's
    and ``flush()``'s) so an endpoint never gets two attempts at once and order holds;
    ``woken`` asks the dispatcher for a pass; ``running`` (guarded by the dispatcher's lock)
    keeps a second pass from being queued while one is."""

    def __init__(self, endpoint_id: str) -> None:
        self.endpoint_id = endpoint_id
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.woken = True
        self.running = False
        #: Mock-clock time of this endpoint's earliest scheduled retry (None: none pending).
        self.next_due: datetime | None = None

    def stop(self) -> None:
        # An attempt in flight may take the whole timeout; its result is discarded.
        self.stopped.set()


class _Dispatcher:
    """One thread that hands endpoints with work to at most ``workers`` delivery threads: when
    woken (an emit, a replay, a clock move) or when an endpoint's next retry falls due on the
    mock clock. Workers are daemon threads started as work needs them (an attempt in flight
    at exit must not hold the process for its timeout)."""

    def __init__(self, engine: Webhooks, workers: int) -> None:
        self.engine = engine
        self.max_workers = workers
        self.queue: queue.SimpleQueue[_Sender | None] = queue.SimpleQueue()
        self.wake = threading.Event()
        self.closed = threading.Event()
        self.lock = threading.Lock()
        self.workers: list[threading.Thread] = []
        self.idle = 0
        self.thread = threading.Thread(
            target=self._run, name="mockscim-webhook-dispatcher", daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.closed.set()
        self.wake.set()
        with self.lock:
            count = len(self.workers)
        for _ in range(count):
            self.queue.put(None)

    def _run(self) -> None:
        while not self.closed.is_set():
            self.wake.wait(POLL_SECONDS)
            self.wake.clear()
            if self.closed.is_set():
                return
            now = self.engine.clock.now()
            for sender in self.engine._current_senders():
                with self.lock:
                    due = sender.woken or (sender.next_due is not None and sender.next_due <= now)
                    if sender.running or not due or sender.stopped.is_set():
                        continue
                    sender.woken = False
                    sender.running = True
                    if self.idle <= 0 and len(self.workers) < self.max_workers:
                        worker = threading.Thread(
                            target=self._work,
                            name=f"mockscim-webhook-{len(self.workers) + 1}",
                            daemon=True,
                        )
                        self.workers.append(worker)
                        self.idle += 1
                        worker.start()
                    self.idle -= 1  # taken by this pass (or counted back when it is picked up)
                self.queue.put(sender)

    def _work(self) -> None:
        while True:
            sender = self.queue.get()
            if sender is None:
                return
            try:
                self.engine._deliver_due(sender)
            except Exception:  # a bug must not stop the endpoint's deliveries for good
                log.exception("mockscim: webhook delivery to %s failed", sender.endpoint_id)
            finally:
                with self.lock:
                    sender.running = False
                    self.idle += 1
                    again = sender.woken
                if again:
                    self.wake.set()  # woken while its pass ran: another pass now


# ---------------------------------------------------------------------------- the engine
class Webhooks:
    """Endpoints, the outbox and the senders of one mock."""

    def __init__(
        self,
        clock: Clock,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retry_scale: float = 1.0,
        faults: Faults | None = None,
        max_messages: int = MESSAGES_KEPT,
        workers: int = DELIVERY_WORKERS,
    ) -> None:
        if timeout <= 0:
            raise WebhookError("the webhook timeout must be positive")
        if retry_scale < 0:
            raise WebhookError("the webhook retry scale must not be negative")
        self.clock = clock
        self.timeout = timeout
        self.retry_scale = retry_scale
        self.faults = faults
        self.max_messages = max_messages
        self.workers = max(1, workers)
        self._dispatcher: _Dispatcher | None = None
        self._lock = threading.RLock()
        self._endpoints: dict[str, Endpoint] = {}
        self._messages: OrderedDict[str, Message] = OrderedDict()
        self._senders: dict[str, _Sender] = {}
        self._configured: list[Endpoint] = []

    # ------------------------------------------------------------------ endpoints
    def configure(
        self,
        urls: Iterable[str],
        secret: str | None = None,
        events: Iterable[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> list[Endpoint]:
        """The endpoints given at start (``--webhook``): every reset brings them back with the
        same ids and secrets, as it brings back the start-up scenario."""
        urls = list(urls)
        for url in urls:
            check_url(url)
        if secret is not None:
            check_secret(secret)
        event_types = check_event_types(list(events)) if events else None
        custom = check_headers(headers)
        added = [
            self.add_endpoint(
                url, event_types=event_types, secret=secret, headers=custom, configured=True
            )
            for url in urls
        ]
        with self._lock:
            self._configured = list(added)
        return added

    def add_endpoint(
        self,
        url: str,
        *,
        event_types: Iterable[str] | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
        endpoint_id: str | None = None,
        configured: bool = False,
    ) -> Endpoint:
        check_url(url)
        if isinstance(event_types, set | frozenset):  # an endpoint's own filter, from Python
            event_types = sorted(event_types)
        types = check_event_types(event_types)  # anything but None, str, list, tuple: a 400
        custom = check_headers(headers)
        if secret is not None:
            check_secret(secret)
        endpoint = Endpoint(
            id=endpoint_id or new_id("ep_"),
            url=url,
            secret=secret or generate_secret(),
            event_types=types,
            created_at=self.clock.now(),
            configured=configured,
            headers=custom,
        )
        with self._lock:
            self._endpoints[endpoint.id] = endpoint
            self._senders[endpoint.id] = _Sender(endpoint.id)
            if self._dispatcher is None:
                self._dispatcher = _Dispatcher(self, self.workers)
        return endpoint

    def endpoints(self) -> list[Endpoint]:
        with self._lock:
            return list(self._endpoints.values())

    def endpoint(self, endpoint_id: str) -> Endpoint:
        with self._lock:
            endpoint = self._endpoints.get(endpoint_id)
        if endpoint is None:
            raise UnknownWebhookObject(f"no webhook endpoint {endpoint_id!r}")
        return endpoint

    def remove_endpoint(self, endpoint_id: str) -> None:
        """Stop delivering to the endpoint; its pending deliveries become ``cancelled``."""
        with self._lock:
            if endpoint_id not in self._endpoints:
                raise UnknownWebhookObject(f"no webhook endpoint {endpoint_id!r}")
            del self._endpoints[endpoint_id]
            sender = self._senders.pop(endpoint_id)
            for message in self._messages.values():
                delivery = message.deliveries.get(endpoint_id)
                if delivery is not None and delivery.status == "pending":
                    delivery.status = "cancelled"
                    delivery.due = None
                    delivery.manual = False
        sender.stop()

    # ------------------------------------------------------------------ messages
    def emit(self, event_type: str, payload: dict[str, Any]) -> Message:
        """Queue an event for every endpoint whose filter takes it. Cheap and free of I/O, so
        vendors call it inside the store lock, right where the state changes: the payload is
        the state at that moment and the order of messages is the order of the changes."""
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        now = self.clock.now()
        message = Message(new_id("msg_"), event_type, payload, body, now)
        with self._lock:
            for endpoint in self._endpoints.values():
                if endpoint.wants(event_type):
                    message.deliveries[endpoint.id] = Delivery(endpoint.id, due=now)
            self._messages[message.id] = message
            while len(self._messages) > self.max_messages:
                self._messages.popitem(last=False)
            senders = [self._senders[e] for e in message.deliveries if e in self._senders]
        self._wake(senders)
        return message

    def messages(self, event_type: str | None = None) -> list[Message]:
        with self._lock:
            return [
                m
                for m in self._messages.values()
                if event_type is None or m.event_type == event_type
            ]

    def message(self, message_id: str) -> Message:
        with self._lock:
            message = self._messages.get(message_id)
        if message is None:
            raise UnknownWebhookObject(f"no webhook message {message_id!r}")
        return message

    def messages_json(self, event_type: str | None = None) -> list[dict[str, Any]]:
        """Messages with their attempts, read under the lock so no attempt is half-recorded."""
        with self._lock:
            return [m.to_json() for m in self.messages(event_type)]

    def message_json(self, message_id: str) -> dict[str, Any]:
        with self._lock:
            return self.message(message_id).to_json()

    def replay(self, message_id: str, endpoint_id: str | None = None) -> Message:
        """Send the message again now, once, to ``endpoint_id`` or to every endpoint it was
        sent to. As Svix's resend does, the attempt keeps the message id (``svix-id``) and is
        signed afresh with the attempt's own timestamp."""
        with self._lock:
            message = self.message(message_id)
            if endpoint_id is not None:
                if endpoint_id not in self._endpoints:
                    raise UnknownWebhookObject(f"no webhook endpoint {endpoint_id!r}")
                targets = [endpoint_id]
            else:
                targets = [e for e in message.deliveries if e in self._endpoints]
                if not targets:
                    raise WebhookError(
                        f"message {message_id!r} was not sent to any current endpoint"
                    )
            for target in targets:
                delivery = message.deliveries.setdefault(target, Delivery(target, due=None))
                delivery.manual = True
            senders = [self._senders[t] for t in targets]
        self._wake(senders)
        return message

    # ------------------------------------------------------------------ delivery
    def wake(self) -> None:
        """Look at the clock now (after ``clock.advance``) rather than at the next poll."""
        self._wake(self._current_senders())

    def _wake(self, senders: list[_Sender]) -> None:
        for sender in senders:
            sender.woken = True
        with self._lock:
            dispatcher = self._dispatcher
        if dispatcher is not None:
            dispatcher.wake.set()

    def _current_senders(self) -> list[_Sender]:
        with self._lock:
            return list(self._senders.values())

    def flush(self) -> dict[str, int]:
        """Deliver every attempt that is due now, from this thread, and return the counts of
        deliveries by status once done."""
        with self._lock:
            senders = list(self._senders.values())
        for sender in senders:
            self._deliver_due(sender)
        counts = {"pending": 0, "success": 0, "failed": 0, "cancelled": 0}
        with self._lock:
            for message in self._messages.values():
                for delivery in message.deliveries.values():
                    counts[delivery.status] = counts.get(delivery.status, 0) + 1
        return counts

    def _next_due(self, sender: _Sender) -> tuple[Endpoint, Message, Delivery, str] | None:
        """The endpoint's oldest message due now; with none, notes when its next scheduled
        retry falls due (``sender.next_due``) for the dispatcher."""
        now = self.clock.now()
        later: datetime | None = None
        with self._lock:
            endpoint = self._endpoints.get(sender.endpoint_id)
            if endpoint is None:
                return None
            for message in self._messages.values():
                delivery = message.deliveries.get(sender.endpoint_id)
                if delivery is None:
                    continue
                if delivery.manual:
                    return endpoint, message, delivery, "manual"
                if delivery.status == "pending" and delivery.due is not None:
                    if delivery.due <= now:
                        return endpoint, message, delivery, "scheduled"
                    later = delivery.due if later is None else min(later, delivery.due)
            sender.next_due = later
        return None

    def _deliver_due(self, sender: _Sender) -> None:
        with sender.lock:
            while not sender.stopped.is_set():
                found = self._next_due(sender)
                if found is None:
                    return
                endpoint, message, delivery, trigger = found
                if trigger == "manual":
                    with self._lock:
                        delivery.manual = False
                attempt, abort = self._attempt(endpoint, message, trigger)
                if sender.stopped.is_set():
                    return  # removed or reset meanwhile: the result belongs to nobody
                self._record(delivery, attempt, abort)

    def _record(self, delivery: Delivery, attempt: Attempt, abort: bool) -> None:
        now = self.clock.now()
        with self._lock:
            if attempt.ok:
                delivery.status = "success"
                delivery.due = None
            elif attempt.trigger == "manual":
                # A failed replay is not retried; a scheduled retry still pending stays so.
                if delivery.status != "pending" or delivery.due is None:
                    delivery.status = "failed"
                attempt.next_attempt_at = delivery.due if delivery.status == "pending" else None
            else:
                delivery.failures += 1
                if abort or delivery.failures >= len(RETRY_SCHEDULE):
                    delivery.status = "failed"
                    delivery.due = None
                else:
                    delay = RETRY_SCHEDULE[delivery.failures] * self.retry_scale
                    delivery.due = now + timedelta(seconds=delay)
                    attempt.next_attempt_at = delivery.due
            delivery.attempts.append(attempt)

    def _attempt(self, endpoint: Endpoint, message: Message, trigger: str) -> tuple[Attempt, bool]:
        """One signed POST (or the injected fault standing in for it); never raises."""
        at = self.clock.now()
        timestamp = int(time.time())
        headers: dict[str, str | bytes] = {
            # Custom headers first: the protocol's own cannot be overridden (Svix forbids
            # those names on an endpoint anyway). Values go out as UTF-8 bytes.
            **{name: value.encode("utf-8") for name, value in endpoint.headers.items()},
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "svix-id": message.id,
            "svix-timestamp": str(timestamp),
            "svix-signature": sign(endpoint.secret, message.id, timestamp, message.body),
        }
        status: int | None = None
        response = ""
        error: str | None = None
        abort = False
        started = time.perf_counter()
        fault = (
            self.faults.take_webhook(urlsplit(endpoint.url).path or "/") if self.faults else None
        )
        send = True
        if fault is not None:
            if fault.latency_ms:
                if fault.latency_ms >= self.timeout * 1000:
                    time.sleep(self.timeout)
                    error = f"timed out after {self.timeout:g}s (fault {fault.id})"
                    send = False
                else:
                    time.sleep(fault.latency_ms / 1000)
            if send and fault.drop:
                error = f"connection dropped (fault {fault.id})"
                send = False
            elif send and fault.status is not None:
                status = fault.status
                response = fault.message or default_message(fault.status)
                send = False
        if send:
            try:
                answer = requests.post(
                    endpoint.url,
                    data=message.body,
                    headers=headers,
                    timeout=self.timeout,
                    allow_redirects=False,
                )
                status = answer.status_code
                response = answer.text[:RESPONSE_EXCERPT]
                abort = answer.headers.get("webhook-delivery", "").lower() == "abort-message"
            except requests.Timeout:
                error = f"timed out after {self.timeout:g}s"
            except requests.RequestException as exc:
                error = f"{type(exc).__name__}: {exc}"[:RESPONSE_EXCERPT]
        attempt = Attempt(
            id=new_id("atmpt_"),
            endpoint_id=endpoint.id,
            trigger=trigger,
            at=at,
            timestamp=timestamp,
            status=status,
            latency_ms=round((time.perf_counter() - started) * 1000, 3),
            response=response,
            error=error,
        )
        return attempt, abort

    # ------------------------------------------------------------------ lifecycle
    def reset(self) -> None:
        """Forget every endpoint, message and attempt, then bring back the endpoints given at
        start (same ids and secrets)."""
        with self._lock:
            senders = list(self._senders.values())
            self._senders = {}
            self._endpoints = {}
            self._messages = OrderedDict()
            configured = list(self._configured)
        for sender in senders:
            sender.stop()
        for endpoint in configured:
            self.add_endpoint(
                endpoint.url,
                event_types=endpoint.event_types,
                secret=endpoint.secret,
                headers=endpoint.headers,
                endpoint_id=endpoint.id,
                configured=True,
            )

    def close(self) -> None:
        with self._lock:
            senders = list(self._senders.values())
            self._senders = {}
            dispatcher, self._dispatcher = self._dispatcher, None
        for sender in senders:
            sender.stop()
        if dispatcher is not None:
            dispatcher.close()

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"endpoints": len(self._endpoints), "messages": len(self._messages)}
