"""The Python API of the control plane: ``.clock``, ``.faults``, ``.journal``, ``.state``,
``.webhooks`` and the ``.stytch`` / ``.ssoready`` seeding helpers, over ``/_mockscim``.

One implementation serves an in-process app (through Flask's test client, no socket) and a
running server (``Control("http://127.0.0.1:8765")``, through ``requests``), so the same test
code drives the pytest plugin's server, a ``MockServer`` or ``mockscim serve`` on another box.

    ctl = Control("http://127.0.0.1:8765")
    acme = ctl.stytch.create_org("Acme", users=3)
    ctl.faults.rate_limit("/v1/b2b/scim/*/Users", retry_after=2, count=1)
    ctl.clock.advance(days=366)
    ctl.journal.assert_called("POST", "/v1/b2b/scim/*/Users", credential="current")
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from mockscim.engine.clock import format_instant, parse_instant
from mockscim.engine.mock import read_scenario
from mockscim.engine.patterns import compile_route
from mockscim.engine.persistence import write_atomic
from mockscim.settings import Settings
from mockscim.vendors import VENDORS


class ControlError(RuntimeError):
    """The control plane refused a call (its JSON error message is the text)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


class Transport(Protocol):
    def __call__(
        self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None
    ) -> tuple[int, Any]: ...


#: The header carrying ``Settings.control_token`` (``mockscim serve --control-token``).
CONTROL_TOKEN_HEADER = "X-Mockscim-Control-Token"


def _token_headers(token: str | None) -> dict[str, str]:
    return {CONTROL_TOKEN_HEADER: token} if token else {}


class AppTransport:
    """Calls an in-process Flask app through its test client."""

    def __init__(self, app: Any, control_token: str | None = None) -> None:
        self.client = app.test_client()
        self.headers = _token_headers(control_token)

    def __call__(
        self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None
    ) -> tuple[int, Any]:
        response = self.client.open(
            path,
            method=method,
            query_string=params,
            data=json.dumps(body) if body is not None else None,
            content_type="application/json",
            headers=self.headers,
        )
        text = response.get_data(as_text=True)
        return response.status_code, json.loads(text) if text else None


class HttpTransport:
    """Calls a running mock over HTTP."""

    def __init__(self, url: str, control_token: str | None = None) -> None:
        import requests

        self.url = url.rstrip("/")
        self.session = requests.Session()
        self.session.headers.update(_token_headers(control_token))

    def __call__(
        self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None
    ) -> tuple[int, Any]:
        response = self.session.request(
            method,
            self.url + path,
            params=params,
            data=json.dumps(body) if body is not None else None,
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        return response.status_code, response.json() if response.content else None


class _Part:
    def __init__(self, transport: Transport) -> None:
        self._t = transport

    def _call(
        self, method: str, path: str, body: Any = None, params: dict[str, Any] | None = None
    ) -> Any:
        status, payload = self._t(method, "/_mockscim" + path, body, params)
        if status >= 400:
            # The control plane's {"error"}; vendor objects answer in the vendor's own shape.
            message = (
                payload.get("error") or payload.get("error_message") or payload
                if isinstance(payload, dict)
                else payload
            )
            raise ControlError(status, str(message))
        return payload


def _instant(value: datetime | str) -> str:
    if isinstance(value, datetime):
        return str(format_instant(value if value.tzinfo else value.astimezone()))
    return value


# ---------------------------------------------------------------------------- clock
class ClockControl(_Part):
    """The mock's clock: every token expiry and timestamp follows it. Reset returns it to
    real time."""

    def now(self) -> datetime:
        return parse_instant(self._call("GET", "/clock")["now"])

    @property
    def mode(self) -> str:
        return str(self._call("GET", "/clock")["mode"])

    def freeze(self, at: datetime | str | None = None) -> datetime:
        body: dict[str, Any] = {"freeze": _instant(at) if at is not None else True}
        return parse_instant(self._call("POST", "/clock", body)["now"])

    def set(self, at: datetime | str) -> datetime:
        return parse_instant(self._call("POST", "/clock", {"set": _instant(at)})["now"])

    def advance(
        self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0
    ) -> datetime:
        total = seconds + 60 * minutes + 3600 * hours + 86400 * days
        return parse_instant(self._call("POST", "/clock", {"advance": total})["now"])

    def unfreeze(self) -> datetime:
        return parse_instant(self._call("POST", "/clock", {"unfreeze": True})["now"])

    def reset(self) -> datetime:
        return parse_instant(self._call("POST", "/clock", {"reset": True})["now"])

    @contextmanager
    def frozen(self, at: datetime | str | None = None) -> Iterator[ClockControl]:
        self.freeze(at)
        try:
            yield self
        finally:
            self.unfreeze()


# ---------------------------------------------------------------------------- faults
class FaultControl(_Part):
    """Inject faults on routes; ``path`` is a route pattern (``*`` one segment, ``**`` any,
    ``<name>`` one segment, or a ``^regex``). All rules go away at reset."""

    def add(
        self,
        path: str = "**",
        *,
        vendor: str | None = None,
        method: str | list[str] | None = None,
        status: int | None = None,
        message: str | None = None,
        retry_after: int | None = None,
        latency_ms: float = 0,
        drop: bool = False,
        count: int | None = None,
        probability: float | None = None,
        surface: str | None = None,
        webhook: bool = False,
    ) -> dict[str, Any]:
        """A rule; with ``webhook=True`` it applies to the mock's outgoing webhook deliveries
        to endpoints whose URL path matches ``path`` (``status``, ``drop``, ``latency_ms``)."""
        body: dict[str, Any] = {"path": path}
        for key, value in (
            ("vendor", vendor),
            ("surface", surface),
            ("method", method),
            ("status", status),
            ("message", message),
            ("retry_after", retry_after),
            ("count", count),
            ("probability", probability),
        ):
            if value is not None:
                body[key] = value
        if latency_ms:
            body["latency_ms"] = latency_ms
        if drop:
            body["drop"] = True
        if webhook:
            body["webhook"] = True
        return self._call("POST", "/faults", body)

    def error(self, path: str, status: int = 500, **kwargs: Any) -> dict[str, Any]:
        return self.add(path, status=status, **kwargs)

    def rate_limit(self, path: str = "**", retry_after: int = 1, **kwargs: Any) -> dict[str, Any]:
        """429 Too Many Requests with ``Retry-After: <retry_after>``."""
        return self.add(path, status=429, retry_after=retry_after, **kwargs)

    def latency(self, path: str, ms: float, **kwargs: Any) -> dict[str, Any]:
        return self.add(path, latency_ms=ms, **kwargs)

    def drop(self, path: str, **kwargs: Any) -> dict[str, Any]:
        """Close the connection without answering."""
        return self.add(path, drop=True, **kwargs)

    def list(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/faults")["faults"])

    def remove(self, fault_id: str) -> None:
        self._call("DELETE", f"/faults/{fault_id}")

    def clear(self) -> None:
        self._call("DELETE", "/faults")


# ---------------------------------------------------------------------------- journal
class Call(dict):  # type: ignore[type-arg]
    """One journal entry (a dict with attribute access: ``call.status``, ``call.credential``)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def __str__(self) -> str:
        query = f"?{self['query']}" if self.get("query") else ""
        return (
            f"#{self['seq']} {self['method']} {self['path']}{query} -> {self['status']} "
            f"[{self['vendor']}, credential={self['credential']}]"
        )


class JournalControl(_Part):
    """Every request the mock answered (bounded; secrets redacted), oldest first."""

    def entries(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        vendor: str | None = None,
        surface: str | None = None,
        status: int | None = None,
        credential: str | None = None,
        directory_id: str | None = None,
        since: int | None = None,
    ) -> list[Call]:
        """Filtered entries; ``path`` is a route pattern as for faults (``*``, ``**``,
        ``<name>``, ``^regex``), matched against the whole path."""
        params = {
            k: v
            for k, v in (
                ("method", method),
                ("vendor", vendor),
                ("surface", surface),
                ("status", status),
                ("credential", credential),
                ("directory_id", directory_id),
                ("since", since),
            )
            if v is not None
        }
        items = [Call(e) for e in self._call("GET", "/requests", params=params)["requests"]]
        if path is not None:
            pattern = compile_route(path)
            items = [e for e in items if pattern.match(e["path"])]
        return items

    __call__ = entries

    def __iter__(self) -> Iterator[Call]:
        return iter(self.entries())

    def __len__(self) -> int:
        return len(self.entries())

    def last(self, *args: Any, **kwargs: Any) -> Call | None:
        found = self.entries(*args, **kwargs)
        return found[-1] if found else None

    def credentials(self, *args: Any, **kwargs: Any) -> list[str]:
        return [e["credential"] for e in self.entries(*args, **kwargs)]

    def clear(self) -> None:
        self._call("DELETE", "/requests")

    def assert_called(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        times: int | None = None,
        **filters: Any,
    ) -> list[Call]:
        """Assert at least one (or exactly ``times``) matching request; return them."""
        found = self.entries(method, path, **filters)
        ok = bool(found) if times is None else len(found) == times
        if not ok:
            want = "at least once" if times is None else f"{times} time(s)"
            raise AssertionError(
                f"expected {_describe(method, path, filters)} {want}, found {len(found)}.\n"
                + self._dump()
            )
        return found

    def assert_not_called(
        self, method: str | None = None, path: str | None = None, **filters: Any
    ) -> None:
        found = self.entries(method, path, **filters)
        if found:
            raise AssertionError(
                f"expected no {_describe(method, path, filters)}, found {len(found)}:\n"
                + "\n".join(f"  {e}" for e in found)
            )

    def _dump(self, limit: int = 30) -> str:
        items = self.entries()
        lines = [f"  {e}" for e in items[-limit:]]
        head = f"journal ({len(items)} request(s)" + (", last 30" if len(items) > limit else "")
        return head + "):\n" + ("\n".join(lines) if lines else "  (empty)")


def _describe(method: str | None, path: str | None, filters: dict[str, Any]) -> str:
    parts = [method or "any method", path or "any path"]
    parts += [f"{k}={v}" for k, v in filters.items() if v is not None]
    return "a request " + " ".join(parts)


# ---------------------------------------------------------------------------- state
class StateControl(_Part):
    """Snapshot, restore and scenario loading for the whole store."""

    def snapshot(self) -> dict[str, Any]:
        return dict(self._call("GET", "/state"))

    def restore(self, snapshot: dict[str, Any]) -> dict[str, Any]:
        return dict(self._call("PUT", "/state", snapshot))

    def load(
        self, scenario: dict[str, Any] | str | Path, *, merge: bool = False, baseline: bool = False
    ) -> dict[str, Any]:
        """Load a scenario (a dict, a JSON file, or a bundled scenario's name such as
        ``"demo"``, resolved here so it works from an installed wheel against any server);
        returns the load report (ids, base paths, tokens). ``merge`` adds it to the current
        state; ``baseline`` makes resets return to it."""
        if isinstance(scenario, str | Path):
            scenario = read_scenario(str(scenario))
        params = {"merge": "1" if merge else "0", "baseline": "1" if baseline else "0"}
        return dict(self._call("PUT", "/state", scenario, params))

    def save(self, path: str | Path) -> None:
        """Write the snapshot to ``path`` atomically."""

        write_atomic(path, json.dumps(self.snapshot()).encode("utf-8"))

    def stats(self) -> dict[str, int]:
        snap = self.snapshot()
        dirs = snap.get("directories", [])
        return {
            "directories": len(dirs),
            "users": sum(len(d.get("users", [])) for d in dirs),
            "groups": sum(len(d.get("groups", [])) for d in dirs),
        }


# ---------------------------------------------------------------------------- webhooks
@dataclass(frozen=True)
class WebhookEndpoint:
    """An endpoint the mock delivers to; ``secret`` verifies its deliveries (``svix``)."""

    id: str
    url: str
    secret: str = ""
    events: tuple[str, ...] | None = None
    #: Custom headers sent with every delivery; their values only in ``add_endpoint``'s answer.
    header_names: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> WebhookEndpoint:
        events = raw.get("events")
        return cls(
            raw["id"],
            raw["url"],
            raw.get("secret", ""),
            tuple(events) if events else None,
            tuple(raw.get("header_names") or ()),
            dict(raw.get("headers") or {}),
        )


class WebhookMessage(Call):
    """One emitted event (``.id``, ``.event_type``, ``.payload``, ``.created_at``) with its
    ``.deliveries`` (per endpoint: status, next attempt) and every one of its ``.attempts``."""

    def __str__(self) -> str:
        states = ", ".join(f"{d['endpoint_id']}={d['status']}" for d in self["deliveries"])
        return f"{self['id']} {self['event_type']} [{states or 'no endpoint'}]"

    @property
    def delivered(self) -> bool:
        """Every endpoint it was sent to answered 2xx (True when there was none)."""
        return all(d["status"] == "success" for d in self["deliveries"])


class WebhookControl(_Part):
    """Webhook endpoints, the messages the mock emitted and their delivery attempts. A reset
    clears them (the endpoints given at start with ``--webhook`` come back)."""

    def add_endpoint(
        self,
        url: str,
        events: list[str] | None = None,
        secret: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> WebhookEndpoint:
        """Deliver to ``url`` (only ``events`` when given), signed with ``secret`` (a fresh
        ``whsec_`` one when None; read it back from the result's ``.secret``), with the
        custom ``headers`` on every attempt (Svix's endpoint ``headers``)."""
        body: dict[str, Any] = {"url": url}
        if events is not None:
            body["events"] = list(events)
        if secret is not None:
            body["secret"] = secret
        if headers is not None:
            body["headers"] = dict(headers)
        return WebhookEndpoint.from_json(self._call("POST", "/webhooks/endpoints", body))

    def endpoints(self) -> list[WebhookEndpoint]:
        """The endpoints, without their secrets (see :meth:`secret`)."""
        raw = self._call("GET", "/webhooks/endpoints")["endpoints"]
        return [WebhookEndpoint.from_json(e) for e in raw]

    def secret(self, endpoint_id: str) -> str:
        return str(self._call("GET", f"/webhooks/endpoints/{endpoint_id}/secret")["key"])

    def remove_endpoint(self, endpoint_id: str) -> None:
        self._call("DELETE", f"/webhooks/endpoints/{endpoint_id}")

    def messages(self, event_type: str | None = None) -> list[WebhookMessage]:
        """Emitted messages, oldest first, each with its deliveries and attempts."""
        params = {"event_type": event_type} if event_type else None
        raw = self._call("GET", "/webhooks/messages", params=params)["messages"]
        return [WebhookMessage(m) for m in raw]

    def replay(self, message_id: str, endpoint_id: str | None = None) -> WebhookMessage:
        """Send the message once more now (same ``svix-id``, fresh timestamp and signature)."""
        body = {"endpoint_id": endpoint_id} if endpoint_id else {}
        return WebhookMessage(self._call("POST", f"/webhooks/messages/{message_id}/replay", body))

    def flush(self) -> dict[str, int]:
        """Make every attempt that is due now and return once they are done; the delivery
        counts by status (``pending`` ones wait for a retry the mock clock has not reached)."""
        return dict(self._call("POST", "/webhooks/flush")["deliveries"])

    def wait_for(self, event_type: str, timeout: float = 5.0, *, count: int = 1) -> WebhookMessage:
        """The ``count``-th message of ``event_type`` once it is delivered to every endpoint it
        was sent to; AssertionError after ``timeout`` seconds, listing what was emitted."""
        deadline = time.monotonic() + timeout
        while True:
            self.flush()
            found = self.messages(event_type)
            if len(found) >= count and found[count - 1].delivered:
                return found[count - 1]
            if time.monotonic() >= deadline:
                seen = "\n".join(f"  {m}" for m in self.messages()) or "  (none)"
                raise AssertionError(
                    f"no delivered {event_type!r} message #{count} within {timeout}s; "
                    f"messages:\n{seen}"
                )
            time.sleep(0.05)


# ---------------------------------------------------------------------------- the handle
class Control:
    """The control plane of one mock: an app object, a ``MockServer`` or a base URL.

    Every vendor adds its seeding helper as an attribute named after it (``.stytch``,
    ``.ssoready``) and an SDK factory ``<vendor>_client()``.
    """

    def __init__(self, target: Any, *, seed: int = 0, settings: Settings | None = None) -> None:
        self._target = target
        self._settings = settings
        token = self.settings.control_token
        if isinstance(target, str):
            transport: Transport = HttpTransport(target, token)
        else:
            transport = AppTransport(getattr(target, "app", target), token)
        self._transport = transport
        self._factory: Any = None
        self._seed = seed
        self.clock = ClockControl(transport)
        self.faults = FaultControl(transport)
        self.journal = JournalControl(transport)
        self.state = StateControl(transport)
        self.webhooks = WebhookControl(transport)
        for name, vendor in VENDORS.items():
            base_url = functools.partial(self.base_url_for, name)
            setattr(self, name, vendor.control_helper(self.state._call, base_url, self.factory))

    def factory(self) -> Any:
        """The seeded factory the vendor helpers name things with (see :meth:`use_factory`)."""
        if self._factory is None:
            from mockscim.testing.factories import Factory

            self._factory = Factory(self._seed)
        return self._factory

    @property
    def url(self) -> str | None:
        """Base URL of the server, or None for an app without a socket (or not started)."""
        if isinstance(self._target, str):
            return self._target.rstrip("/")
        try:
            return getattr(self._target, "url", None)
        except RuntimeError:
            return None

    def base_url_for(self, vendor: str) -> str | None:
        """Where ``vendor``'s URLs point (the seeding helpers' absolute ``base_url``): this
        mock's :attr:`url`; socket-free mode points them at the vendor's production host."""
        return self.url

    @property
    def settings(self) -> Settings:
        """What the mock accepts: the target's own settings, else what was passed, else the
        defaults ``mockscim serve`` prints."""
        if self._settings is not None:
            return self._settings
        found = getattr(self._target, "settings", None)
        if isinstance(found, Settings):
            return found
        mock = getattr(self._target, "extensions", {}).get("mockscim")
        return mock.settings if mock is not None else Settings()

    def reset(self, *, empty: bool = False) -> dict[str, Any]:
        return dict(self.state._call("POST", "/reset", {"empty": True} if empty else {}))

    def health(self) -> bool:
        status, body = self._transport("GET", "/_mockscim/health")
        return status == 200 and isinstance(body, dict) and body.get("status") == "ok"

    def use_factory(self, factory: Any) -> None:
        """Make the vendor helpers draw from ``factory`` (the plugin gives each test one seeded
        factory shared with ``scim_user_factory``, so names never clash and each test's data
        depends only on its own seed)."""
        self._factory = factory

    def sdk_client(self, vendor: str, **kwargs: Any) -> Any:
        """The vendor's official SDK client aimed at this mock (needs a URL: a server)."""
        url = self.url
        if url is None:
            raise RuntimeError("an SDK client needs a running server (this mock has no URL)")
        return VENDORS[vendor].sdk_client(self.settings, url, **kwargs)

    def __getattr__(self, name: str) -> Any:
        vendor = name.removesuffix("_client")
        if name.endswith("_client") and vendor in VENDORS:
            return lambda **kwargs: self.sdk_client(vendor, **kwargs)
        raise AttributeError(name)
