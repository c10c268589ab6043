"""Member sessions as Stytch serves them: minted by a login (the harness's
``mockscim.stytch.login``), authenticated, listed, extended, exchanged and revoked through
``/v1/b2b/sessions/*``, and checked when a request carries ``X-Stytch-Member-Session`` or
``X-Stytch-Member-SessionJWT`` (then RBAC-authorized).

A session has an opaque ``session_token`` (kept only as a digest) and short-lived session
JWTs signed with the project's key (:mod:`session_jwt`; never stored). Lifetimes run on the
mock clock. An expired or revoked session, or one whose member was deprovisioned, is simply
not found (``session_not_found``): Stytch's error catalogue has no "expired" or "revoked"
session type.
"""

from __future__ import annotations

import hmac
import json
from datetime import datetime, timedelta
from typing import Any

from mockscim.engine.clock import format_instant
from mockscim.engine.tokens import TokenRecord, current_source, digest, random_uuid
from mockscim.engine.tokens import verify as tokens_verify
from mockscim.scim.directory import ScimDirectory
from mockscim.vendors.stytch import errors, models, rbac, rotation, session_jwt
from mockscim.vendors.stytch.state import (
    SESSION_PREFIX,
    Member,
    MemberSession,
    Organization,
    StytchState,
)

SESSION_HEADER = "X-Stytch-Member-Session"
JWT_HEADER = "X-Stytch-Member-SessionJWT"
#: "This value must be a minimum of 5 and a maximum of 527040 minutes (366 days)" and "If the
#: session_duration_minutes parameter is not specified, a Stytch session will be created with
#: a 60 minute duration" (stytch-python ``b2b/api/sessions.py`` ``authenticate``).
MIN_DURATION_MINUTES = 5
MAX_DURATION_MINUTES = 527040
DEFAULT_DURATION_MINUTES = 60
#: "Custom claims made with reserved claims (iss, sub, aud, exp, nbf, iat, jti) will be
#: ignored" (same docstring).
RESERVED_CLAIMS = frozenset({"iss", "sub", "aud", "exp", "nbf", "iat", "jti"})
#: "Total custom claims size cannot exceed four kilobytes" (same docstring).
MAX_CUSTOM_CLAIMS_BYTES = 4096
STYTCH_CLAIM_PREFIX = "https://stytch.com/"


def token_for(member_session_id: str) -> str:
    """The session's token: 44 URL-safe characters, the shape of Stytch's session tokens (e.g.
    ``mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q`` in Stytch's API reference).

    Derived from the session id (:meth:`IdSource.derive`, a key that is never stored) rather
    than random: the store keeps only the digest, yet ``sessions.authenticate`` with a JWT can
    answer the session's token as Stytch does, and a seeded mock mints the same tokens on every
    run. Without a seed nothing persisted (state file, snapshot, journal) yields it."""
    return current_source().derive(member_session_id)


def token_of(session: MemberSession) -> str:
    """The plaintext token of ``session`` when this mock minted it; "" for a session restored
    from another unseeded process's snapshot (its key is gone, only the digest remains)."""
    token = token_for(session.member_session_id)
    return token if tokens_verify(token, session.token.digest) else ""


def check_duration(minutes: Any) -> int:
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int)
        or not MIN_DURATION_MINUTES <= minutes <= MAX_DURATION_MINUTES
    ):
        raise errors.invalid_session_duration_minutes()
    return minutes


def merged_custom_claims(current: dict[str, Any], claims: Any) -> dict[str, Any]:
    """``current`` with ``claims`` applied: a new value adds or replaces, ``null`` deletes,
    reserved JWT claim names are ignored. Raises before anything changes: not an object
    (``invalid_argument``), a claim in Stytch's namespace (``stytch_claims_in_custom_claims``),
    more than 4 KB of JSON (``custom_claims_too_large``); catalogue names."""
    if claims is None:
        return current
    if not isinstance(claims, dict):
        raise errors.invalid_argument("session_custom_claims must be an object.")
    merged = dict(current)
    for key, value in claims.items():
        if key.startswith(STYTCH_CLAIM_PREFIX):
            raise errors.stytch_claims_in_custom_claims()
        if key in RESERVED_CLAIMS:
            continue
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    if len(json.dumps(merged, separators=(",", ":")).encode()) > MAX_CUSTOM_CLAIMS_BYTES:
        raise errors.custom_claims_too_large()
    return merged


def email_factor(member: Member, now: datetime, factor_type: str = "magic_link") -> dict[str, Any]:
    """An email authentication factor (OAS ``api_session_v1_AuthenticationFactor``,
    ``EmailFactor``): what a magic-link login puts on a session."""
    stamp = format_instant(now)
    return {
        "type": factor_type,
        "delivery_method": "email",
        "last_authenticated_at": stamp,
        "created_at": stamp,
        "updated_at": stamp,
        "email_factor": {
            "email_id": f"member-email-test-{random_uuid()}",
            "email_address": member.email_address,
        },
    }


def role_ids(
    state: StytchState, directories: dict[str, ScimDirectory], member: Member
) -> list[str]:
    return [r["role_id"] for r in models.member_roles(member, state, directories)]


def to_json(
    state: StytchState, directories: dict[str, ScimDirectory], session: MemberSession
) -> dict[str, Any]:
    """The Member Session object (OAS ``api_b2b_session_v1_MemberSession``)."""
    member = state.members[session.member_id]
    org = state.organizations[session.organization_id]
    return {
        "member_session_id": session.member_session_id,
        "member_id": session.member_id,
        "started_at": format_instant(session.started_at),
        "last_accessed_at": format_instant(session.last_accessed_at),
        "expires_at": format_instant(session.expires_at),
        "authentication_factors": session.authentication_factors,
        "organization_id": session.organization_id,
        "roles": role_ids(state, directories, member),
        "organization_slug": org.slug,
        "custom_claims": dict(session.custom_claims),
    }


def jwt_for(
    state: StytchState,
    directories: dict[str, ScimDirectory],
    session: MemberSession,
    now: datetime,
    project_id: str,
) -> str:
    """A fresh session JWT: valid five minutes from ``now`` (mock clock), with Stytch's session
    and organization claims (stytch-python ``_authenticate_jwt_local_common`` reads ``id``,
    ``started_at``, ``last_accessed_at``, ``expires_at``, ``authentication_factors``, ``roles``
    and the organization's ``organization_id`` and ``slug``)."""
    member = state.members[session.member_id]
    org = state.organizations[session.organization_id]
    issued = int(now.timestamp())
    claims: dict[str, Any] = {
        **session.custom_claims,
        "sub": session.member_id,
        "iss": f"stytch.com/{project_id}",
        "aud": [project_id],
        "iat": issued,
        "nbf": issued,
        "exp": issued + int(session_jwt.JWT_LIFETIME.total_seconds()),
        session_jwt.SESSION_CLAIM: {
            "id": session.member_session_id,
            "started_at": format_instant(session.started_at),
            "last_accessed_at": format_instant(session.last_accessed_at),
            "expires_at": format_instant(session.expires_at),
            "attributes": {"ip_address": "", "user_agent": ""},
            "authentication_factors": session.authentication_factors,
            "roles": role_ids(state, directories, member),
        },
        session_jwt.ORGANIZATION_CLAIM: {
            "organization_id": org.organization_id,
            "slug": org.slug,
        },
    }
    return session_jwt.encode(project_id, claims)


def start(
    state: StytchState,
    member: Member,
    now: datetime,
    duration_minutes: int,
    factors: list[dict[str, Any]],
    custom_claims: Any = None,
) -> tuple[MemberSession, str]:
    """A new session for ``member``; returns it and its plaintext token (shown once)."""
    if member.deleted:
        raise errors.member_not_found()
    try:
        lifetime = timedelta(minutes=duration_minutes)
    except OverflowError as exc:
        raise errors.invalid_argument("'session_duration_minutes' is out of range.") from exc
    expires = rotation.expiry(now, lifetime)
    session_id = f"{SESSION_PREFIX}{random_uuid()}"
    token = token_for(session_id)
    session = MemberSession(
        session_id,
        member.member_id,
        member.organization_id,
        TokenRecord.issue(token, now),
        now,
        now,
        expires,
        factors,
    )
    session.custom_claims = merged_custom_claims({}, custom_claims)
    state.sessions[session.member_session_id] = session
    return session, token


def mint(
    state: StytchState,
    directories: dict[str, ScimDirectory],
    member_id: str,
    now: datetime,
    project_id: str,
    duration_minutes: int = DEFAULT_DURATION_MINUTES,
    custom_claims: Any = None,
) -> dict[str, Any]:
    """Log ``member_id`` in (a magic-link factor): the session, its plaintext ``session_token``
    and a ``session_jwt``, returned once."""
    member = state.members.get(member_id)
    if member is None or member.deleted:
        raise errors.member_not_found()
    session, token = start(
        state, member, now, duration_minutes, [email_factor(member, now)], custom_claims
    )
    body = to_json(state, directories, session)
    return {
        "member_session": body,
        "member_session_id": session.member_session_id,
        "member_id": member_id,
        "organization_id": session.organization_id,
        "session_token": token,
        "session_jwt": jwt_for(state, directories, session, now, project_id),
        "expires_at": body["expires_at"],
        "roles": body["roles"],
    }


def live_session(state: StytchState, session: MemberSession | None, now: datetime) -> MemberSession:
    if session is None or not session.live(now):
        raise errors.session_not_found()
    member = state.members.get(session.member_id)
    if member is None or member.deleted:
        raise errors.session_not_found()
    return session


def by_token(state: StytchState, token: str, now: datetime) -> MemberSession:
    """The live session of a session token (digest compared in constant time)."""
    wanted = digest(token)
    for session in state.sessions.values():
        if hmac.compare_digest(session.token.digest, wanted):
            return live_session(state, session, now)
    raise errors.session_not_found()


def by_jwt(
    state: StytchState, jwt: str, now: datetime, project_id: str | None = None
) -> MemberSession:
    """The live session a signed session JWT names; its ``exp`` is not enforced (the session's
    expiry is), so an expired JWT of a live session still authenticates."""
    claims = session_jwt.decode(jwt, project_id)
    session = state.sessions.get(str(claims[session_jwt.SESSION_CLAIM].get("id")))
    if session is not None and session.member_id != claims["sub"]:
        session = None
    return live_session(state, session, now)


def find(
    state: StytchState,
    token: str | None,
    jwt: str | None,
    now: datetime,
    project_id: str | None = None,
) -> MemberSession:
    """The live session a request's headers name (the token wins when both are given), or
    the Stytch error for a bad one."""
    if token:
        return by_token(state, token, now)
    if jwt:
        return by_jwt(state, jwt, now, project_id)
    raise errors.session_not_found()


def current(
    state: StytchState,
    token: str | None,
    jwt: str | None,
    org: Organization,
    now: datetime,
) -> MemberSession | None:
    """The request's member session, checked for validity (404/401) and tenancy (403); None
    without a session header ("If neither session header is passed, no authorization check
    will be performed", Stytch API reference)."""
    if not token and not jwt:
        return None
    session = find(state, token, jwt, now)
    if session.organization_id != org.organization_id:
        raise errors.session_authorization_tenancy_error()
    return session


def allows(
    state: StytchState,
    directories: dict[str, ScimDirectory],
    session: MemberSession,
    org: Organization,
    resource: str,
    action: str,
) -> bool:
    """Whether any current role of the session's member grants ``action`` on ``resource``
    (stytch-go ``shared/rbac_local.go`` ``performRoleAuthorizationCheck``: ``*`` or the
    action itself)."""
    member = state.members[session.member_id]
    role_ids = [r["role_id"] for r in models.member_roles(member, state, directories)]
    return bool(rbac.granting_roles(role_ids, resource, action, state.custom_roles, org.fields))


def require(
    state: StytchState,
    directories: dict[str, ScimDirectory],
    session: MemberSession | None,
    org: Organization,
    needs: list[tuple[str, str]],
) -> None:
    """Every (resource, action) in ``needs`` must be granted (403 ``session_authorization_error``
    for the first that is not); nothing is checked without a session."""
    if session is None:
        return
    for resource, action in needs:
        if not allows(state, directories, session, org, resource, action):
            raise errors.session_authorization_error(resource, action)


def authorize(
    state: StytchState,
    directories: dict[str, ScimDirectory],
    token: str | None,
    jwt: str | None,
    org: Organization,
    resource: str,
    action: str,
    now: datetime,
) -> MemberSession | None:
    """Enforce RBAC when a session header is present; no header means no check (the project
    secret alone is enough). Order: session valid (404/401), tenancy (403), permission (403)."""
    session = current(state, token, jwt, org, now)
    require(state, directories, session, org, [(resource, action)])
    return session
