"""Secrets: minting, hashing, constant-time verification.

Plaintext tokens exist only in the response that mints them. The store keeps a
:class:`TokenRecord` holding the SHA-256 digest, the last four characters (both vendors show
them) and the expiry, so a state snapshot never contains a usable credential.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime

from mockscim.engine.clock import format_instant, parse_instant

_ALPHANUMERIC = string.ascii_letters + string.digits
_BASE36 = string.digits + string.ascii_lowercase


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def verify(token: str, expected_digest: str) -> bool:
    """Constant-time comparison of a presented token with a stored digest."""
    return hmac.compare_digest(digest(token), expected_digest)


class IssuedSecrets:
    """The digests of every credential this process has minted or restored, so redaction can
    recognise one wherever a client echoes it (a path, a filter, an ``externalId``), whatever
    its shape. Process-wide rather than per mock: :meth:`TokenRecord.issue` has no mock to
    hand, and a second mock in the same process only makes redaction stricter. Bounded: the
    oldest digests go first past :attr:`limit` (a redaction miss then falls back to shapes)."""

    #: Candidate strings shorter than this are never hashed: every credential is longer.
    MIN_LENGTH = 20

    def __init__(self, limit: int = 200_000) -> None:
        self._digests: dict[str, None] = {}
        self._lock = threading.Lock()
        self.limit = limit

    def remember(self, token_digest: str) -> None:
        with self._lock:
            self._digests[token_digest] = None
            while len(self._digests) > self.limit:
                del self._digests[next(iter(self._digests))]

    def holds(self, candidate: str) -> bool:
        """Whether ``candidate`` is a credential this process issued (one SHA-256)."""
        return (
            bool(self._digests)
            and len(candidate) >= self.MIN_LENGTH
            and digest(candidate) in self._digests
        )

    def __len__(self) -> int:
        return len(self._digests)


#: The process's registry; fed by :class:`TokenRecord`, read by :mod:`mockscim.engine.redaction`.
ISSUED = IssuedSecrets()


def random_alphanumeric(length: int) -> str:
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(length))


def base36_uuid() -> str:
    """A random UUID written in base 36, as SSOReady prints its ids and tokens."""
    value = uuid.UUID(bytes=secrets.token_bytes(16), version=4).int
    out = []
    while value:
        value, rem = divmod(value, 36)
        out.append(_BASE36[rem])
    return "".join(reversed(out)) or "0"


def random_uuid() -> str:
    return str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))


@dataclass(frozen=True, slots=True)
class TokenRecord:
    digest: str
    last_four: str
    created_at: datetime
    expires_at: datetime | None = None

    @classmethod
    def issue(
        cls, token: str, created_at: datetime, expires_at: datetime | None = None
    ) -> TokenRecord:
        record = cls(digest(token), token[-4:], created_at, expires_at)
        ISSUED.remember(record.digest)
        return record

    def matches(self, token: str, now: datetime) -> bool:
        """True when ``token`` is this credential and it has not expired at ``now``."""
        ok = verify(token, self.digest)
        return ok and (self.expires_at is None or now < self.expires_at)

    def to_json(self) -> dict[str, str | None]:
        return {
            "digest": self.digest,
            "last_four": self.last_four,
            "created_at": format_instant(self.created_at),
            "expires_at": format_instant(self.expires_at),
        }

    @classmethod
    def from_json(cls, data: dict[str, str | None]) -> TokenRecord:
        expires = data.get("expires_at")
        record = cls(
            digest=str(data["digest"]),
            last_four=str(data.get("last_four") or ""),
            created_at=parse_instant(str(data["created_at"])),
            expires_at=parse_instant(expires) if expires else None,
        )
        ISSUED.remember(record.digest)  # a restored credential is redacted like a minted one
        return record
