"""What a push did: every request sent, what changed per resource kind, what failed, and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from mockscim.idp.client import SentRequest


@dataclass
class Failure:
    kind: str
    key: str
    action: str
    status: int
    detail: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "action": self.action,
            "status": self.status,
            "detail": self.detail,
        }


@dataclass
class PushReport:
    profile: str
    base_url: str
    requests: list[SentRequest] = field(default_factory=list)
    #: (kind, action) -> count, e.g. ("User", "created").
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    failures: list[Failure] = field(default_factory=list)
    #: Why the push stopped early (401 after a rotation, unreachable server), or None.
    aborted: str | None = None
    aborted_status: int | None = None

    @property
    def ok(self) -> bool:
        return not self.failures and self.aborted is None

    def count(self, kind: str, action: str) -> int:
        return self.counts[(kind, action)]

    def note(self, kind: str, action: str) -> None:
        self.counts[(kind, action)] += 1

    def fail(self, kind: str, key: str, action: str, status: int, detail: str | None) -> None:
        self.failures.append(Failure(kind, key, action, status, detail))

    @property
    def retries(self) -> int:
        return sum(1 for r in self.requests if r.attempt > 1)

    def summary(self) -> str:
        lines = [f"{self.profile} push to {self.base_url}: {len(self.requests)} requests"]
        for kind in ("User", "Group"):
            parts = [f"{action} {n}" for (k, action), n in sorted(self.counts.items()) if k == kind]
            lines.append(f"  {kind.lower()}s: {', '.join(parts) if parts else 'no changes'}")
        if self.retries:
            lines.append(f"  retried after 429: {self.retries}")
        statuses = Counter(r.status for r in self.requests)
        lines.append("  statuses: " + ", ".join(f"{s}x{n}" for s, n in sorted(statuses.items())))
        for f in self.failures:
            lines.append(f"  FAILED {f.kind} {f.key} ({f.action}): {f.status} {f.detail or ''}")
        if self.aborted:
            lines.append(f"  ABORTED: {self.aborted}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "base_url": self.base_url,
            "ok": self.ok,
            "aborted": self.aborted,
            "counts": {f"{k}.{a}": n for (k, a), n in sorted(self.counts.items())},
            "failures": [f.to_json() for f in self.failures],
            "requests": [r.to_json() for r in self.requests],
        }
