"""A bounded log of every request the mock answered, with secrets redacted.

Tests ask it which credential authenticated a call (``current``, ``next``, ``api_key``,
``session``, ``none``, ``invalid``) without the secret ever being stored: bodies pass through
:func:`redact` before they are kept, and headers are not kept at all.
"""

from __future__ import annotations

import itertools
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
SECRET_PATTERNS = (
    re.compile(r"ssoready_scim_bearer_token_[0-9a-z]+"),
    re.compile(r"ssoready_sk_[0-9A-Za-z]+"),
    re.compile(r"(?i)(bearer\s+)[^\s\"']+"),
)


def redact_text(text: str) -> str:
    for pattern in SECRET_PATTERNS:
        if pattern.groups:
            text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
        else:
            text = pattern.sub(REDACTED, text)
    return text


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
    request_body: Any = None
    response_body: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


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
