"""The two-phase SCIM bearer-token rotation, as pure functions over a connection and "now".

States: *steady* (one current token) and *rotating* (current + pending next token).

- ``start``: steady or rotating -> rotating with a freshly minted next token. A second start
  replaces the pending token (the previous pending token stops working at once); see
  SUPPORTED.md (Stytch B2B) for the evidence behind that choice.
- ``complete``: rotating -> steady; the next token becomes current and the old current token
  stops authenticating at that instant. Steady -> ``scim_connection_not_rotating_token``.
- ``cancel``: rotating -> steady with the current token unchanged; the next token is dropped.
  Steady -> ``scim_connection_not_rotating_token``.

Callers hold the store lock, so a SCIM request authenticates either entirely before or
entirely after a transition.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mockscim.engine.tokens import TokenRecord, random_alphanumeric
from mockscim.vendors.stytch import errors
from mockscim.vendors.stytch.state import ScimConnection

TOKEN_LENGTH = 48


def mint(now: datetime, lifetime_seconds: int | None) -> tuple[str, TokenRecord]:
    """A new 48-character alphanumeric token and its record, expiring after the lifetime."""
    expires = expiry(now, timedelta(seconds=lifetime_seconds)) if lifetime_seconds else None
    token = random_alphanumeric(TOKEN_LENGTH)
    return token, TokenRecord.issue(token, now, expires)


def expiry(now: datetime, lifetime: timedelta) -> datetime:
    """``now + lifetime``, or a 400 ``invalid_argument`` when the instant does not exist (a
    clock frozen at the end of year 9999 has no "one year later"): checked before anything
    is minted, so the caller changes nothing."""
    try:
        return now + lifetime
    except OverflowError as exc:
        raise errors.invalid_argument(
            f"A token minted at {now.isoformat()} would expire after the year 9999; "
            "move the mock's clock back."
        ) from exc


def start(connection: ScimConnection, now: datetime, lifetime_seconds: int | None) -> str:
    """Begin (or restart) a rotation; returns the plaintext next token."""
    token, record = mint(now, lifetime_seconds)
    connection.next = record
    return token


def complete(connection: ScimConnection) -> None:
    if connection.next is None:
        raise errors.not_rotating()
    connection.current = connection.next
    connection.next = None


def cancel(connection: ScimConnection) -> None:
    if connection.next is None:
        raise errors.not_rotating()
    connection.next = None


def authenticate(
    connection: ScimConnection, token: str, now: datetime, *, next_authenticates: bool
) -> str | None:
    """Which credential ``token`` is for this connection: ``"current"``, ``"next"`` or None.

    Both records are always checked (no early exit) so timing does not reveal which matched.
    """
    if connection.status != "active":
        return None
    is_current = connection.current.matches(token, now)
    is_next = connection.next is not None and connection.next.matches(token, now)
    if is_current:
        return "current"
    if is_next and next_authenticates:
        return "next"
    return None
