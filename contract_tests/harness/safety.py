"""The rails a run against a live vendor needs: a prefix on everything it creates, cleanup in
reverse creation order even when the test fails, and logs without secrets.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from mockscim.engine.redaction import redact_text
from mockscim.engine.tokens import random_alphanumeric

log = logging.getLogger("mockscim.contract")

#: Every resource a contract run creates starts with this, so leftovers are easy to find.
DEFAULT_PREFIX = "mockscim-ct-"


@dataclass
class Namer:
    """Names, slugs, external ids and emails, all carrying the run's prefix."""

    prefix: str = field(
        default_factory=lambda: f"{DEFAULT_PREFIX}{random_alphanumeric(6).lower()}-"
    )
    counter: int = 0

    def name(self, what: str) -> str:
        self.counter += 1
        return f"{self.prefix}{what}-{self.counter}"

    def slug(self, what: str) -> str:
        return re.sub(r"[^a-z0-9._~-]", "-", self.name(what).lower())[:128]

    def email(self, what: str, domain: str) -> str:
        return f"{self.name(what)}@{domain}"

    def domain(self) -> str:
        # example.com is reserved (RFC 2606): nothing is ever delivered there.
        return f"{self.prefix.rstrip('-')}.example.com"

    def owns(self, value: str) -> bool:
        return value.startswith(self.prefix)


@dataclass
class CleanupStep:
    description: str
    action: Callable[[], object]


class Cleanup:
    """A stack of undo actions: ``push`` after each create; ``run`` undoes newest first.

    ``run`` never stops at a failing step (a leftover is better than an abandoned cleanup);
    it returns the failures so the caller can report them.
    """

    def __init__(self) -> None:
        self.steps: list[CleanupStep] = []
        self.done: list[str] = []

    def push(self, description: str, action: Callable[[], object]) -> None:
        self.steps.append(CleanupStep(description, action))

    def run(self) -> list[tuple[str, BaseException]]:
        failures: list[tuple[str, BaseException]] = []
        while self.steps:
            step = self.steps.pop()
            try:
                step.action()
                self.done.append(step.description)
            except Exception as exc:
                failures.append((step.description, exc))
                log.warning("cleanup step failed: %s: %s", step.description, type(exc).__name__)
        return failures


class Scrubber:
    """Replaces known secrets (credentials, minted tokens) and secret-shaped strings."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        self.secrets: set[str] = set()
        for secret in secrets or []:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if secret and len(secret) >= 4:
            self.secrets.add(secret)

    def scrub(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "[REDACTED]")
        return redact_text(text)
