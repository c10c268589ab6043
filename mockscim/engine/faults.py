"""Injected faults: error statuses, 429 with ``Retry-After``, latency and dropped connections.

A test asks for trouble on a route (``POST /_mockscim/faults`` or ``mockscim.faults.add``) and
the next matching requests get it, rendered in the error format of the vendor whose path it
is, so a client sees exactly what the real service would send. Rules match on a route pattern,
the vendor and the method, and fire a fixed number of times or with a probability drawn from a
seeded generator (the same seed gives the same sequence). A per-test reset clears them.

A rule with ``"webhook": true`` applies to the mock's *outgoing* webhook deliveries instead
(:mod:`mockscim.engine.webhooks`): its ``path`` is matched against the endpoint URL's path, and
the attempt is recorded as that status, as a dropped connection, or as slow (a latency at or
above the delivery timeout is a timeout) without the endpoint being called for status/drop.
Webhook rules never match incoming requests, and request rules never match deliveries.

Rules match on a route pattern (:mod:`mockscim.engine.patterns`). This module holds the rules
only; the request hook that applies them is in :mod:`mockscim.http.hooks`.
"""

from __future__ import annotations

import itertools
import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from mockscim.engine.patterns import PatternError, RoutePattern, compile_route

METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
RULE_FIELDS = frozenset(
    {
        "path",
        "vendor",
        "surface",
        "method",
        "status",
        "message",
        "retry_after",
        "latency_ms",
        "drop",
        "count",
        "probability",
        "webhook",
    }
)


class FaultError(ValueError):
    """A fault rule that cannot be applied; the control plane answers 400 with the message."""


@dataclass
class FaultRule:
    id: str
    path: str
    vendor: str | None = None
    surface: str | None = None
    methods: frozenset[str] | None = None
    status: int | None = None
    message: str | None = None
    retry_after: int | None = None
    latency_ms: float = 0.0
    drop: bool = False
    #: Remaining firings; None means unlimited.
    count: int | None = None
    probability: float | None = None
    #: Applies to outgoing webhook deliveries, not to incoming requests.
    webhook: bool = False
    hits: int = 0
    pattern: re.Pattern[str] | RoutePattern = field(default=re.compile(""), repr=False)

    @classmethod
    def from_json(cls, rule_id: str, body: dict[str, Any]) -> FaultRule:
        unknown = set(body) - RULE_FIELDS
        if unknown:
            raise FaultError(f"unknown fault field(s): {', '.join(sorted(unknown))}")
        path = body.get("path", "**")
        if not isinstance(path, str) or not path:
            raise FaultError("'path' must be a non-empty string")
        vendor = _opt_str(body, "vendor")
        surface = _opt_str(body, "surface")
        methods = _methods(body.get("method"))
        status = body.get("status")
        if status is not None and (
            isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599
        ):
            raise FaultError("'status' must be an integer from 400 to 599")
        message = _opt_str(body, "message")
        retry_after = body.get("retry_after")
        if retry_after is not None and (
            isinstance(retry_after, bool) or not isinstance(retry_after, int) or retry_after < 0
        ):
            raise FaultError("'retry_after' must be a non-negative integer (seconds)")
        if status == 429 and retry_after is None:
            retry_after = 1
        latency = body.get("latency_ms", 0)
        if (
            isinstance(latency, bool)
            or not isinstance(latency, int | float)
            or not latency >= 0  # also refuses NaN, which compares false with everything
        ):
            raise FaultError("'latency_ms' must be a non-negative number")
        if latency > 60_000:  # Infinity too
            raise FaultError("'latency_ms' must be at most 60000")
        drop = body.get("drop", False)
        if not isinstance(drop, bool):
            raise FaultError("'drop' must be a boolean")
        count = body.get("count")
        if count is not None and (
            isinstance(count, bool) or not isinstance(count, int) or count < 1
        ):
            raise FaultError("'count' must be a positive integer")
        probability = body.get("probability")
        if probability is not None and (
            isinstance(probability, bool)
            or not isinstance(probability, int | float)
            or not 0 <= probability <= 1
        ):
            raise FaultError("'probability' must be a number from 0 to 1")
        if status is None and not drop and not latency:
            raise FaultError("a fault needs 'status', 'drop' or 'latency_ms'")
        if drop and status is not None:
            raise FaultError(
                "'drop' and 'status' are exclusive: a dropped connection has no status"
            )
        webhook = body.get("webhook", False)
        if not isinstance(webhook, bool):
            raise FaultError("'webhook' must be a boolean")
        if webhook and (vendor or surface or methods or "retry_after" in body):
            raise FaultError(
                "a webhook fault matches on 'path' (the endpoint URL's path) only: "
                "'vendor', 'surface', 'method' and 'retry_after' do not apply"
            )
        if webhook and status == 429:
            retry_after = None
        return cls(
            id=rule_id,
            path=path,
            vendor=vendor,
            surface=surface,
            methods=methods,
            status=status,
            message=message,
            retry_after=retry_after,
            latency_ms=float(latency),
            drop=drop,
            count=count,
            probability=None if probability is None else float(probability),
            webhook=webhook,
            pattern=_compile(path),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "vendor": self.vendor,
            "surface": self.surface,
            "method": sorted(self.methods) if self.methods else None,
            "status": self.status,
            "message": self.message,
            "retry_after": self.retry_after,
            "latency_ms": self.latency_ms,
            "drop": self.drop,
            "count": self.count,
            "probability": self.probability,
            "webhook": self.webhook,
            "hits": self.hits,
        }

    def applies(self, method: str, path: str, vendor: str, surface: str) -> bool:
        return (
            not self.webhook
            and (self.vendor is None or self.vendor == vendor)
            and (self.surface is None or self.surface == surface)
            and (self.methods is None or method in self.methods)
            and self.pattern.match(path) is not None
        )


def _compile(path: str) -> re.Pattern[str] | RoutePattern:
    try:
        return compile_route(path)
    except PatternError as exc:
        raise FaultError(str(exc)) from exc


def _opt_str(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and (not isinstance(value, str) or not value):
        raise FaultError(f"'{key}' must be a non-empty string")
    return value


def _methods(value: Any) -> frozenset[str] | None:
    if value is None:
        return None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(m, str) for m in items):
        raise FaultError("'method' must be an HTTP method or a list of them")
    upper = frozenset(m.upper() for m in items)
    bad = upper - METHODS
    if bad:
        raise FaultError(f"unknown HTTP method(s): {', '.join(sorted(bad))}")
    return upper


class Faults:
    """The active rules of one mock; thread-safe, consumed in insertion order."""

    def __init__(self, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self._rules: list[FaultRule] = []
        self._ids = itertools.count(1)
        self._rng = random.Random(seed or 0)

    def add(self, body: dict[str, Any]) -> FaultRule:
        with self._lock:
            rule = FaultRule.from_json(f"fault-{next(self._ids)}", body)
            self._rules.append(rule)
            return rule

    def add_many(self, bodies: list[dict[str, Any]]) -> list[FaultRule]:
        """Validate every rule before adding any, so a bad list changes nothing."""
        for body in bodies:
            FaultRule.from_json("check", body)
        return [self.add(body) for body in bodies]

    def remove(self, rule_id: str) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if r.id != rule_id]
            return len(self._rules) != before

    def clear(self) -> None:
        """Drop every rule and restart the probability sequence from the seed."""
        with self._lock:
            self._rules = []
            self._rng = random.Random(self._seed or 0)

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def __bool__(self) -> bool:
        return bool(self._rules)

    def take(self, method: str, path: str, vendor: str, surface: str) -> FaultRule | None:
        """The rule that fires for this request, if any; spends one of its count."""
        return self._fire(lambda rule: rule.applies(method, path, vendor, surface))

    def take_webhook(self, path: str) -> FaultRule | None:
        """The webhook rule that fires for a delivery to an endpoint at ``path``, if any."""
        return self._fire(lambda rule: rule.webhook and rule.pattern.match(path) is not None)

    def _fire(self, matches: Callable[[FaultRule], bool]) -> FaultRule | None:
        """The first matching rule that fires (its probability drawn from the seeded
        generator); spends one of its count and drops it when none is left."""
        with self._lock:
            for rule in self._rules:
                if not matches(rule):
                    continue
                if rule.probability is not None and self._rng.random() >= rule.probability:
                    continue
                rule.hits += 1
                if rule.count is not None:
                    rule.count -= 1
                    if rule.count <= 0:
                        self._rules.remove(rule)
                return rule
        return None


def default_message(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return f"{phrase} (fault injected by mockscim)"


def rules_json(faults: Faults) -> dict[str, Any]:
    rules = [r.to_json() for r in faults.rules()]
    return {"faults": rules, "count": len(rules)}
