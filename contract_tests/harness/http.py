"""One small HTTP interface over two transports: the in-process Flask app, or a real socket.

Scenario tests speak only this interface, so the same test runs against the in-process mock,
a served mock, or a live vendor. The socket transport honours ``429`` + ``Retry-After`` (live
APIs rate-limit), and every request is logged with the target's secrets scrubbed.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

from contract_tests.harness.safety import Scrubber
from mockscim.http.headers import parse_retry_after

log = logging.getLogger("mockscim.contract")


@dataclass
class Resp:
    status: int
    headers: dict[str, str]
    text: str
    #: Every attempt's status, oldest first (more than one when 429s were retried).
    attempts: list[int] = field(default_factory=list)

    @property
    def json(self) -> Any:
        try:
            return json.loads(self.text) if self.text else None
        except ValueError:
            return None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def bearer(token: str) -> str:
    return f"Bearer {token}"


class Http:
    """``request(method, url_or_path, ...)``; subclasses provide ``_send``."""

    def __init__(
        self,
        base_url: str,
        scrubber: Scrubber | None = None,
        *,
        max_retries: int = 5,
        max_wait: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.scrubber = scrubber or Scrubber()
        self.max_retries = max_retries
        self.max_wait = max_wait
        self.sleep = sleep
        #: Seconds slept because of Retry-After, in order (the safety-rail tests read it).
        self.waits: list[float] = []
        #: Scrubbed one-line log of every attempt.
        self.log: list[str] = []

    def url(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return f"{self.base_url}{path_or_url}"

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> Resp:
        url = self.url(path_or_url)
        if params:
            clean = {k: v for k, v in params.items() if v is not None}
            if clean:
                url += ("&" if "?" in url else "?") + urlencode(clean)
        body = None if json_body is None else json.dumps(json_body).encode()
        sent = dict(headers or {})
        if body is not None:
            sent.setdefault("Content-Type", content_type)
        attempts: list[int] = []
        while True:
            resp = self._send(method, url, sent, body)
            attempts.append(resp.status)
            self._log(method, url, resp.status)
            if resp.status != 429 or len(attempts) > self.max_retries:
                resp.attempts = attempts
                return resp
            wait = parse_retry_after(resp.headers.get("retry-after"))
            wait = 1.0 if wait is None else wait
            if wait > self.max_wait:
                resp.attempts = attempts
                return resp
            self.waits.append(wait)
            self.sleep(wait)

    def _log(self, method: str, url: str, status: int) -> None:
        line = self.scrubber.scrub(f"{method} {urlsplit(url).path} -> {status}")
        self.log.append(line)
        log.info("%s", line)

    def _send(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> Resp:
        raise NotImplementedError


class RequestsHttp(Http):
    """Over a real socket (a served mock, or a live vendor)."""

    def __init__(self, base_url: str, scrubber: Scrubber | None = None, **kwargs: Any) -> None:
        import requests

        super().__init__(base_url, scrubber, **kwargs)
        self.session = requests.Session()
        self.timeout = 30.0

    def _send(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> Resp:
        r = self.session.request(method, url, headers=headers, data=body, timeout=self.timeout)
        return Resp(r.status_code, {k.lower(): v for k, v in r.headers.items()}, r.text)


class FlaskHttp(Http):
    """In-process, through the Flask test client: no socket, no thread."""

    def __init__(self, app: Any, scrubber: Scrubber | None = None, **kwargs: Any) -> None:
        super().__init__("http://localhost", scrubber, **kwargs)
        self.client = app.test_client()

    def _send(self, method: str, url: str, headers: dict[str, str], body: bytes | None) -> Resp:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        r = self.client.open(path, method=method, headers=headers, data=body)
        return Resp(
            r.status_code,
            {k.lower(): v for k, v in r.headers.items()},
            r.get_data(as_text=True),
        )
