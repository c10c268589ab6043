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
        return cls(digest(token), token[-4:], created_at, expires_at)

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
        return cls(
            digest=str(data["digest"]),
            last_four=str(data.get("last_four") or ""),
            created_at=parse_instant(str(data["created_at"])),
            expires_at=parse_instant(expires) if expires else None,
        )
