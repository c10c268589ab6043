"""The only source of "now" in mockscim.

Token expiry, ``meta.created``/``lastModified`` and journal timestamps all read one
:class:`Clock`, so a test can freeze or advance time and see every expiry follow.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from functools import lru_cache


def parse_instant(value: str) -> datetime:
    """Parse an RFC 3339 / ISO 8601 instant; naive values are taken as UTC."""
    text = value.strip()
    if text.endswith("Z") or text.endswith("z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_instant(value: datetime | None) -> str | None:
    """RFC 3339 with a ``Z`` suffix and second precision, as both vendors print instants."""
    if value is None:
        return None
    return _format(value)


@lru_cache(maxsize=65536)
def _format(value: datetime) -> str:
    # Cached: records render the same created/lastModified instants on every read.
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Clock:
    """Real time, real time shifted by an offset, or a frozen instant."""

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._frozen: datetime | None = frozen_at
        self._offset = timedelta(0)

    def now(self) -> datetime:
        with self._lock:
            if self._frozen is not None:
                return self._frozen
            return datetime.now(UTC) + self._offset

    @property
    def mode(self) -> str:
        if self._frozen is not None:
            return "frozen"
        return "offset" if self._offset else "real"

    def freeze(self, at: datetime | None = None) -> datetime:
        """Stop time, at ``at`` or at the current mock time."""
        current = self.now()
        with self._lock:
            self._frozen = at if at is not None else current
            return self._frozen

    def unfreeze(self) -> None:
        """Let time run again from the frozen instant (kept as an offset from real time)."""
        with self._lock:
            if self._frozen is not None:
                self._offset = self._frozen - datetime.now(UTC)
                self._frozen = None

    def set(self, at: datetime) -> None:
        """Jump to ``at``: frozen clocks stay frozen there, running clocks keep running from it."""
        with self._lock:
            if self._frozen is not None:
                self._frozen = at
            else:
                self._offset = at - datetime.now(UTC)

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            delta = timedelta(seconds=seconds)
            if self._frozen is not None:
                self._frozen = self._frozen + delta
            else:
                self._offset = self._offset + delta
        return self.now()

    def reset(self) -> None:
        """Back to real time: what a per-test reset does."""
        with self._lock:
            self._frozen = None
            self._offset = timedelta(0)

    def to_json(self) -> dict[str, object]:
        return {"mode": self.mode, "now": format_instant(self.now())}
