"""Member sessions: minted by the admin API for tests, checked when a request carries
``X-Stytch-Member-Session`` or ``X-Stytch-Member-SessionJWT``, then RBAC-authorized.

The JWT is JWT-shaped (three base64url parts with Stytch's claim names) but its signature is
random: it is an opaque credential to the mock, never verified cryptographically.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any

from mockscim.engine import jsontext
from mockscim.engine.clock import format_instant
from mockscim.engine.tokens import TokenRecord, random_alphanumeric, random_uuid
from mockscim.scim.directory import ScimDirectory
from mockscim.vendors.stytch import errors, models, rbac, rotation
from mockscim.vendors.stytch.state import SESSION_PREFIX, MemberSession, Organization, StytchState

SESSION_HEADER = "X-Stytch-Member-Session"
JWT_HEADER = "X-Stytch-Member-SessionJWT"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _jwt(
    project_id: str,
    session_id: str,
    member_id: str,
    org: Organization,
    roles: list[str],
    now: datetime,
    expires: datetime,
) -> str:
    header = {"alg": "RS256", "typ": "JWT", "kid": f"jwk-test-{random_uuid()}"}
    claims: dict[str, Any] = {
        "sub": member_id,
        "iss": f"stytch.com/{project_id}",
        "aud": [project_id],
        "iat": int(now.timestamp()),
        "nbf": int(now.timestamp()),
        "exp": int(expires.timestamp()),
        "https://stytch.com/session": {
            "id": session_id,
            "started_at": format_instant(now),
            "last_accessed_at": format_instant(now),
            "expires_at": format_instant(expires),
            "attributes": {"ip_address": "", "user_agent": ""},
            "authentication_factors": [],
            "roles": roles,
        },
        "https://stytch.com/organization": {
            "organization_id": org.organization_id,
            "slug": org.slug,
        },
    }
    parts = (
        json.dumps(header).encode(),
        json.dumps(claims).encode(),
        random_alphanumeric(64).encode(),
    )
    return ".".join(_b64(p) for p in parts)


def mint(
    state: StytchState,
    directories: dict[str, ScimDirectory],
    member_id: str,
    now: datetime,
    project_id: str,
    duration_minutes: int = 60,
) -> dict[str, Any]:
    """Create a session for an active member; returns the plaintext token and JWT once."""
    member = state.members.get(member_id)
    if member is None or member.status == "deleted":
        raise errors.member_not_found()
    org = state.organizations[member.organization_id]
    try:
        lifetime = timedelta(minutes=duration_minutes)
    except OverflowError as exc:
        raise errors.invalid_argument("'session_duration_minutes' is out of range.") from exc
    expires = rotation.expiry(now, lifetime)
    session_id = f"{SESSION_PREFIX}{random_uuid()}"
    roles = [r["role_id"] for r in models.member_roles(member, state, directories)]
    token = random_alphanumeric(44)
    jwt = _jwt(project_id, session_id, member_id, org, roles, now, expires)
    state.sessions[session_id] = MemberSession(
        session_id,
        member_id,
        org.organization_id,
        TokenRecord.issue(token, now, expires),
        TokenRecord.issue(jwt, now, expires),
    )
    return {
        "member_session_id": session_id,
        "member_id": member_id,
        "organization_id": org.organization_id,
        "session_token": token,
        "session_jwt": jwt,
        "expires_at": format_instant(expires),
        "roles": roles,
    }


def _looks_like_jwt(value: str) -> bool:
    parts = value.split(".")
    if len(parts) != 3 or not all(parts):
        return False
    try:
        for part in parts[:2]:
            # jsontext: a payload nested 50,000 deep is a ValueError, not a RecursionError
            jsontext.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    except ValueError:
        return False
    return True


def find(state: StytchState, token: str | None, jwt: str | None, now: datetime) -> MemberSession:
    """The live session a request's headers name, or the Stytch error for a bad one."""
    if jwt and not token and not _looks_like_jwt(jwt):
        raise errors.unable_to_parse_session_jwt()
    for session in state.sessions.values():
        if (token and session.token.matches(token, now)) or (
            not token and jwt and session.jwt.matches(jwt, now)
        ):
            member = state.members.get(session.member_id)
            if member is None or member.status == "deleted":
                break
            return session
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
