"""A bounded log of every request the mock answered, with secrets redacted.

Tests ask it which credential authenticated a call (``current``, ``next``, ``api_key``,
``session``, ``none``, ``invalid``) without the secret ever being stored: bodies pass through
:func:`redact` before they are kept, and headers are not kept at all.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

REDACTED = "[redacted]"

# Keys whose values are secrets in either vendor's JSON (compared case-insensitively).
SECRET_KEYS = frozenset(
    k.lower()
    for k in (
        "bearer_token",
        "next_bearer_token",
        "bearerToken",
        "clientBearerToken",
        "secret",
        "password",
        "session_token",
        "session_jwt",
        "intermediate_session_token",
        "api_key",
        "apiKey",
        "secretKey",
        "authorization",
    )
)
# Secrets recognisable by their shape wherever they appear (URLs, plain-text bodies).
_SHAPES = (
    r"ssoready_scim_bearer_token_[0-9a-z]+|ssoready_sk_[0-9A-Za-z]+|(?i:(?<=bearer )[^\s\"']+)"
    # Query parameters named like secrets (``?access_token=...``), in URLs and request logs.
    r"|(?i:(?:(?<=token=)|(?<=secret=)|(?<=password=)|(?<=key=))[^&\s\"']+)"
)
SECRET_SHAPE = re.compile(_SHAPES)
# One pass over raw JSON text: a secret-named key's string value, or a secret-shaped string.
_KEY_ALTERNATION = "|".join(sorted(re.escape(k) for k in SECRET_KEYS))
SECRET_IN_JSON = re.compile(
    rf'(?P<key>"(?i:{_KEY_ALTERNATION})"\s*:\s*)"(?:[^"\\]|\\.)+"|{_SHAPES}'
)


def redact_text(text: str) -> str:
    if not _may_hold_secret(text):
        return text
    return SECRET_SHAPE.sub(REDACTED, text)


# Every secret key or shape contains one of these; text without any needs no regex pass.
_SECRET_HINTS = ("token", "secret", "password", "ssoready_", "bearer", "session", "key", "auth")


def _may_hold_secret(text: str) -> bool:
    return any(map(text.lower().__contains__, _SECRET_HINTS))


def redact_json_text(text: str) -> str:
    """Redact serialized JSON without parsing it: the journal's hot path."""
    if not _may_hold_secret(text):
        return text

    def replace(match: re.Match[str]) -> str:
        key = match.group("key")
        return f'{key}"{REDACTED}"' if key else REDACTED

    return SECRET_IN_JSON.sub(replace, text)


def redact(value: Any) -> Any:
    """A copy of ``value`` with secret-named fields and secret-shaped strings replaced."""
    if isinstance(value, dict):
        return {
            k: (REDACTED if isinstance(k, str) and k.lower() in SECRET_KEYS and v else redact(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


@dataclass
class JournalEntry:
    seq: int
    at: str
    vendor: str
    surface: str
    method: str
    path: str
    query: str
    status: int
    latency_ms: float
    credential: str
    directory_id: str | None = None
    error_kind: str | None = None
    #: Bodies as redacted text; JSON ones are parsed only when read.
    request_text: str | None = None
    response_text: str | None = None
    request_is_json: bool = False
    response_is_json: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def _parse(text: str | None, is_json: bool) -> Any:
        if text is None or not is_json:
            return text
        try:
            return json.loads(text)
        except ValueError:
            return text

    @property
    def request_body(self) -> Any:
        return self._parse(self.request_text, self.request_is_json)

    @property
    def response_body(self) -> Any:
        return self._parse(self.response_text, self.response_is_json)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for side in ("request", "response"):
            del out[f"{side}_text"], out[f"{side}_is_json"]
        out["request_body"] = self.request_body
        out["response_body"] = self.response_body
        return out


class Journal:
    def __init__(self, size: int = 1000) -> None:
        self._lock = threading.Lock()
        self._entries: deque[JournalEntry] = deque(maxlen=size)
        self._seq = itertools.count(1)

    def next_seq(self) -> int:
        return next(self._seq)

    def append(self, entry: JournalEntry) -> None:
        with self._lock:
            self._entries.append(entry)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def entries(
        self,
        *,
        vendor: str | None = None,
        surface: str | None = None,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        credential: str | None = None,
        directory_id: str | None = None,
    ) -> list[JournalEntry]:
        """Entries oldest first; ``path`` matches as a substring or a regular expression."""
        with self._lock:
            items = list(self._entries)
        pattern = re.compile(path) if path else None
        return [
            e
            for e in items
            if (vendor is None or e.vendor == vendor)
            and (surface is None or e.surface == surface)
            and (method is None or e.method == method.upper())
            and (pattern is None or pattern.search(e.path))
            and (status is None or e.status == status)
            and (credential is None or e.credential == credential)
            and (directory_id is None or e.directory_id == directory_id)
        ]

    def __len__(self) -> int:
        return len(self._entries)
