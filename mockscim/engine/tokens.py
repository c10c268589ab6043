"""Secrets and ids: minting, hashing, constant-time verification.

Plaintext tokens exist only in the response that mints them. The store keeps a
:class:`TokenRecord` holding the SHA-256 digest, the last four characters (both vendors show
them) and the expiry, so a state snapshot never contains a usable credential.

Where the randomness comes from (:class:`IdSource`): without a seed, the OS (``secrets``), so
ids and tokens are unguessable. With a seed (``serve --seed N``, ``Settings.seed``), a seeded
generator, so the same seed, scenario and sequence of requests give the same ids, SCIM base
URLs *and tokens* on every start, and a user can keep them in a ``.env`` file (as moto's
``/moto-api/seed`` does). A seeded mock's tokens are therefore guessable by whoever knows the
seed: a seed is for a local test mock, never for anything holding real data. Each request runs
with its app's source (:func:`activate` in the request hooks); code outside a request uses the
OS.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
import secrets
import string
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
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


class IdSource:
    """The randomness behind every id and token one mock mints: the OS's when ``seed`` is
    None, else a generator seeded from ``seed`` (its own stream, separate from the faults').

    ``mark``/``rewind`` let a reset return to the stream position right after the baseline was
    built, so the ids minted after a reset repeat those of the first run; ``fork`` moves to a
    stream derived from restored state, so ids minted after loading a snapshot (or a state
    file written by an earlier run with the same seed) never repeat the ids it holds.
    """

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed
        self._lock = threading.Lock()
        self._rng = random.Random(f"mockscim-ids:{seed}") if seed is not None else None
        self._mark = self._rng.getstate() if self._rng is not None else None
        # The key of the secrets derived from ids (:meth:`derive`): never stored anywhere.
        self._derive_key = (
            hashlib.sha256(f"mockscim-derive:{seed}".encode()).digest()
            if seed is not None
            else secrets.token_bytes(32)
        )

    @property
    def seeded(self) -> bool:
        return self._rng is not None

    def token_bytes(self, n: int) -> bytes:
        if self._rng is None:
            return secrets.token_bytes(n)
        with self._lock:
            return self._rng.randbytes(n)

    def choices(self, alphabet: str, length: int) -> str:
        if self._rng is None:
            return "".join(secrets.choice(alphabet) for _ in range(length))
        with self._lock:
            return "".join(self._rng.choices(alphabet, k=length))

    def derive(self, message: str, size: int = 33) -> str:
        """A secret derived from ``message`` (an id) with this source's key, URL-safe base64 of
        ``size`` bytes: the store keeps only its digest, yet this process (or a mock with the
        same seed) can give it again; without a seed nothing persisted yields it."""
        mac = hmac.new(self._derive_key, message.encode("utf-8"), "sha384").digest()
        return base64.urlsafe_b64encode(mac[:size]).decode("ascii")

    def mark(self) -> None:
        """Remember the current stream position (after the baseline was built)."""
        if self._rng is not None:
            with self._lock:
                self._mark = self._rng.getstate()

    def rewind(self) -> None:
        """Back to the marked position (a reset to the baseline)."""
        if self._rng is not None and self._mark is not None:
            with self._lock:
                self._rng.setstate(self._mark)

    def fork(self, material: bytes) -> None:
        """Continue on a stream derived from the seed and ``material`` (restored state)."""
        if self._rng is not None:
            with self._lock:
                self._rng = random.Random(
                    f"mockscim-ids:{self.seed}:" + hashlib.sha256(material).hexdigest()
                )


#: The OS's randomness: what code outside a seeded mock's request uses.
SYSTEM = IdSource()
_current: ContextVar[IdSource] = ContextVar("mockscim_ids", default=SYSTEM)


def activate(source: IdSource) -> Token[IdSource]:
    """Mint from ``source`` in this context until :func:`deactivate` (the request hooks)."""
    return _current.set(source)


def deactivate(token: Token[IdSource]) -> None:
    _current.reset(token)


@contextmanager
def using(source: IdSource) -> Iterator[IdSource]:
    """Mint from ``source`` inside the block (app creation, scenario builds)."""
    token = _current.set(source)
    try:
        yield source
    finally:
        _current.reset(token)


def current_source() -> IdSource:
    return _current.get()


def random_alphanumeric(length: int) -> str:
    return _current.get().choices(_ALPHANUMERIC, length)


def base36_uuid() -> str:
    """A random UUID written in base 36, as SSOReady prints its ids and tokens."""
    value = uuid.UUID(bytes=_current.get().token_bytes(16), version=4).int
    out = []
    while value:
        value, rem = divmod(value, 36)
        out.append(_BASE36[rem])
    return "".join(reversed(out)) or "0"


def random_uuid() -> str:
    return str(uuid.UUID(bytes=_current.get().token_bytes(16), version=4))


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
