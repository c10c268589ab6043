"""The IdP's HTTP side: one SCIM base URL, one bearer token, 429 back-off, a log of every send.

Real IdPs back off on 429 and retry; this client does the same a bounded number of times,
sleeping through an injectable ``sleep`` so tests never wait. Every attempt (including the
ones answered 429) is recorded without the token: only which token *generation* was used,
so a report can show where a rotation happened without ever holding a secret.
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from mockscim.http.headers import parse_retry_after

SCIM_JSON = "application/scim+json"
#: The query flag Entra reads off its tenant URL to speak closer to RFC 7644.
ENTRA_FLAG = "aadoptscim062020"


class PushAborted(Exception):
    """A request the IdP cannot go past: bad credentials, or the server could not be reached."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class SentRequest:
    seq: int
    method: str
    path: str
    query: str
    status: int
    #: 1 for the first try, 2+ for retries after a 429.
    attempt: int
    #: How many times the token was replaced before this request (0 = the first token).
    token_generation: int
    #: The SCIM error ``detail`` (or the start of a non-JSON body) for failures.
    detail: str | None = None
    body: Any = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "attempt": self.attempt,
            "token_generation": self.token_generation,
            "detail": self.detail,
        }


@dataclass
class ScimResult:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def split_base_url(base_url: str) -> tuple[str, dict[str, str]]:
    """Strip the query string off a tenant URL, returning its flags (lower-cased names)."""
    parts = urlsplit(base_url.strip())
    flags = {k.lower(): v for k, v in parse_qsl(parts.query, keep_blank_values=True)}
    base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    return base, flags


def _detail(body: Any, text: str) -> str:
    if isinstance(body, dict):
        for key in ("detail", "message", "error_message", "error"):
            if isinstance(body.get(key), str):
                return body[key]
    return text[:200]


class ScimClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        session: requests.Session | None = None,
        max_retries: int = 5,
        default_retry_after: float = 1.0,
        max_retry_after: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = 30.0,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_request: Callable[[SentRequest], None] | None = None,
    ) -> None:
        self.base_url, self.flags = split_base_url(base_url)
        self._token = token
        self.token_generation = 0
        self.session = session or requests.Session()
        self.max_retries = max_retries
        self.default_retry_after = default_retry_after
        self.max_retry_after = max_retry_after
        self.sleep = sleep
        self.timeout = timeout
        self.now = now
        self.sent: list[SentRequest] = []
        #: Called after every attempt; tests use it to rotate a token mid-push.
        self.on_request = on_request

    @property
    def base_path(self) -> str:
        return urlsplit(self.base_url).path

    def has_flag(self, name: str) -> bool:
        return name.lower() in self.flags

    def uses_token(self, token: str) -> bool:
        return hmac.compare_digest(self._token.encode(), token.encode())

    def set_token(self, token: str) -> None:
        """Use a new bearer token from the next request on (after a rotation)."""
        self._token = token
        self.token_generation += 1

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: dict[str, str] | None = None,
    ) -> ScimResult:
        """Send one SCIM request, retrying on 429; raise :class:`PushAborted` on 401/403."""
        url = self.base_url + path
        query = urlencode(params or {})
        data = json.dumps(body) if body is not None else None
        attempt = 0
        while True:
            attempt += 1
            headers = {"Authorization": f"Bearer {self._token}", "Accept": SCIM_JSON}
            if data is not None:
                headers["Content-Type"] = SCIM_JSON
            generation = self.token_generation
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=headers,
                    timeout=self.timeout,
                )
            except requests.RequestException as exc:
                self._record(method, path, query, 0, attempt, generation, str(exc), body)
                raise PushAborted(f"{method} {path}: {exc}") from exc
            try:
                payload = response.json() if response.content else None
            except ValueError:
                payload = None
            status = response.status_code
            detail = None if 200 <= status < 300 else _detail(payload, response.text)
            self._record(method, path, query, status, attempt, generation, detail, body)
            if status == 429 and attempt <= self.max_retries:
                wait = parse_retry_after(response.headers.get("Retry-After"), self.now)
                wait = self.default_retry_after if wait is None else wait
                self.sleep(min(wait, self.max_retry_after))
                continue
            if status in (401, 403):
                raise PushAborted(f"{method} {path}: {status} {detail}", status)
            return ScimResult(status, payload, dict(response.headers))

    def _record(
        self,
        method: str,
        path: str,
        query: str,
        status: int,
        attempt: int,
        generation: int,
        detail: str | None,
        body: Any,
    ) -> None:
        entry = SentRequest(
            seq=len(self.sent) + 1,
            method=method,
            path=self.base_path + path,
            query=query,
            status=status,
            attempt=attempt,
            token_generation=generation,
            detail=detail,
            body=body,
        )
        self.sent.append(entry)
        if self.on_request is not None:
            self.on_request(entry)
