"""A bounded log of every request the mock answered, with secrets redacted.

Tests ask it which credential authenticated a call (``current``, ``next``, ``api_key``,
``session``, ``none``, ``invalid``) without the secret ever being stored: bodies pass through
:mod:`mockscim.engine.redaction` before they are kept, and headers are not kept at all.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

from mockscim.engine.patterns import compile_route


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
        except (ValueError, RecursionError):  # a hostile body is kept as text, never a 500
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


def _weight(entry: JournalEntry) -> int:
    """What an entry costs the journal's byte bound: its kept body text and path."""
    return len(entry.request_text or "") + len(entry.response_text or "") + len(entry.path)


#: Default bound of the body text the journal keeps, oldest entries dropped first.
DEFAULT_MAX_BYTES = 16 * 1024 * 1024


class Journal:
    """The newest ``size`` entries, and never more than ``max_bytes`` of kept text (3,000
    requests of 60 KB would otherwise keep 180 MB alive)."""

    def __init__(self, size: int = 1000, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._lock = threading.Lock()
        self._entries: deque[JournalEntry] = deque()
        self._size = size
        self._max_bytes = max_bytes
        self._bytes = 0
        self._seq = itertools.count(1)

    def next_seq(self) -> int:
        return next(self._seq)

    def append(self, entry: JournalEntry) -> None:
        weight = _weight(entry)
        with self._lock:
            self._entries.append(entry)
            self._bytes += weight
            while self._entries and (
                len(self._entries) > self._size or self._bytes > self._max_bytes
            ):
                self._bytes -= _weight(self._entries.popleft())

    @property
    def kept_bytes(self) -> int:
        return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

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
        """Entries oldest first; ``path`` is a route pattern (:mod:`mockscim.engine.patterns`)
        matched against the whole path."""
        with self._lock:
            items = list(self._entries)
        pattern = compile_route(path) if path else None
        return [
            e
            for e in items
            if (vendor is None or e.vendor == vendor)
            and (surface is None or e.surface == surface)
            and (method is None or e.method == method.upper())
            and (pattern is None or pattern.match(e.path) is not None)
            and (status is None or e.status == status)
            and (credential is None or e.credential == credential)
            and (directory_id is None or e.directory_id == directory_id)
        ]

    def __len__(self) -> int:
        return len(self._entries)
