"""The operations of Stytch's B2B Sessions API (``/v1/b2b/sessions/*``) over the session model
of :mod:`sessions`: authenticate, revoke, list, exchange. Pure functions over the state, called
under the store lock; each validates everything before it changes anything."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from mockscim.engine.clock import format_instant
from mockscim.scim.directory import ScimDirectory
from mockscim.vendors.stytch import errors, models, rbac, rotation
from mockscim.vendors.stytch.sessions import (
    DEFAULT_DURATION_MINUTES,
    by_jwt,
    by_token,
    check_duration,
    jwt_for,
    live_session,
    merged_custom_claims,
    role_ids,
    start,
    to_json,
    token_of,
)
from mockscim.vendors.stytch.state import Member, MemberSession, Organization, StytchState


def _one_credential(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """``session_token`` or ``session_jwt``, exactly one ("This endpoint requires either a
    session_jwt or session_token be included in the request. It will return an error if both
    are present", OAS ``api_b2b_session_v1_Authenticate``)."""
    token, jwt = body.get("session_token"), body.get("session_jwt")
    for key, value in (("session_token", token), ("session_jwt", jwt)):
        if value is not None and not isinstance(value, str):
            raise errors.invalid_argument(f"{key} must be a string.")
    if token and jwt:
        raise errors.too_many_session_arguments()
    if not token and not jwt:
        raise errors.no_session_arguments()
    return token or None, jwt or None


def authenticate(
    state: StytchState,
    directories: dict[str, ScimDirectory],
    body: dict[str, Any],
    now: datetime,
    project_id: str,
) -> dict[str, Any]:
    """``POST /v1/b2b/sessions/authenticate``: the live session, touched (``last_accessed_at``),
    extended by ``session_duration_minutes`` when given ("If the session_duration_minutes is
    not specified, a Session will not be extended"), its custom claims merged, optionally
    authorized; answers with a fresh JWT. Checks run before anything changes."""
    token, jwt = _one_credential(body)
    minutes = body.get("session_duration_minutes")
    if minutes is not None:
        check_duration(minutes)
    session = by_token(state, token, now) if token else by_jwt(state, str(jwt), now, project_id)
    claims = merged_custom_claims(session.custom_claims, body.get("session_custom_claims"))
    verdict = None
    check = body.get("authorization_check")
    if check is not None:
        verdict = authorization_verdict(state, directories, session, check)
    if minutes is not None:
        session.expires_at = rotation.expiry(now, timedelta(minutes=minutes))
    session.custom_claims = claims
    session.last_accessed_at = now
    member = state.members[session.member_id]
    org = state.organizations[session.organization_id]
    out: dict[str, Any] = {
        "member_session": to_json(state, directories, session),
        # By JWT too, Stytch answers the session's token (derived, see sessions.token_for).
        "session_token": token or token_of(session),
        "session_jwt": jwt_for(state, directories, session, now, project_id),
        "member": models.member(member, state, directories),
        "organization": models.organization(org, state),
    }
    if verdict is not None:
        out["verdict"] = verdict
    return out


def authorization_verdict(
    state: StytchState,
    directories: dict[str, ScimDirectory],
    session: MemberSession,
    check: Any,
) -> dict[str, Any]:
    """``authorization_check``: the organization must be the member's (403 tenancy error),
    and some role must grant the action (403 ``session_authorization_error``); the verdict
    names every granting role (OAS ``api_b2b_session_v1_AuthorizationVerdict``)."""
    if not isinstance(check, dict) or not all(
        isinstance(check.get(k), str) and check.get(k)
        for k in ("organization_id", "resource_id", "action")
    ):
        raise errors.invalid_argument(
            "authorization_check needs organization_id, resource_id and action."
        )
    org = state.find_organization(check["organization_id"])
    if org is None or org.organization_id != session.organization_id:
        raise errors.session_authorization_tenancy_error()
    roles = role_ids(state, directories, state.members[session.member_id])
    granting = rbac.granting_roles(
        roles, check["resource_id"], check["action"], state.custom_roles, org.fields
    )
    if not granting:
        raise errors.session_authorization_error(check["resource_id"], check["action"])
    return {"authorized": True, "granting_roles": granting}


def revoke(state: StytchState, body: dict[str, Any], now: datetime, project_id: str) -> None:
    """``POST /v1/b2b/sessions/revoke``: one session (by ``member_session_id``,
    ``session_token`` or ``session_jwt``) or every session of ``member_id`` (OAS
    ``api_b2b_session_v1_Revoke``)."""
    keys = ("member_session_id", "session_token", "session_jwt", "member_id")
    given = {k: body[k] for k in keys if body.get(k) not in (None, "")}
    if not given:
        raise errors.no_session_revoke_arguments()
    if len(given) > 1:
        raise errors.too_many_session_revoke_arguments()
    ((key, value),) = given.items()
    if not isinstance(value, str):
        raise errors.invalid_argument(f"{key} must be a string.")
    if key == "member_id":
        member = state.members.get(value)
        if member is None or member.deleted:
            raise errors.member_not_found()
        for session_id in [s for s, x in state.sessions.items() if x.member_id == value]:
            del state.sessions[session_id]
        return
    if key == "member_session_id":
        session = live_session(state, state.sessions.get(value), now)
    elif key == "session_token":
        session = by_token(state, value, now)
    else:
        session = by_jwt(state, value, now, project_id)
    del state.sessions[session.member_session_id]


def of_member(state: StytchState, member: Member, now: datetime) -> list[MemberSession]:
    """``GET /v1/b2b/sessions``: the member's live sessions, oldest first."""
    found = [s for s in state.sessions.values() if s.member_id == member.member_id]
    return sorted((s for s in found if s.live(now)), key=lambda s: s.started_at)


def exchange(
    state: StytchState,
    directories: dict[str, ScimDirectory],
    body: dict[str, Any],
    org: Organization,
    now: datetime,
    project_id: str,
) -> dict[str, Any]:
    """``POST /v1/b2b/sessions/exchange``: a session in ``org`` for the member of ``org``
    with the session's email ("This can be used to accept an invite, but not to create a new
    member via domain matching", OAS ``api_b2b_session_v1_Exchange``). The mock has no
    authentication requirements to fail, so the member is always authenticated; the factors
    are carried over and the original session stays valid."""
    token, jwt = _one_credential(body)
    minutes = body.get("session_duration_minutes", DEFAULT_DURATION_MINUTES)
    check_duration(minutes)
    merged_custom_claims({}, body.get("session_custom_claims"))  # validated before any change
    session = by_token(state, token, now) if token else by_jwt(state, str(jwt), now, project_id)
    email = state.members[session.member_id].email_address
    target = state.member_by_email(org.organization_id, email)
    if target is None:
        raise errors.member_not_found()
    factors = [
        dict(f, last_authenticated_at=format_instant(now)) for f in session.authentication_factors
    ]
    new, new_token_value = start(
        state, target, now, minutes, factors, body.get("session_custom_claims")
    )
    if target.status == "invited":  # accepting an invite activates the member
        target.status = "active"
        target.updated_at = now
    return {
        "member_id": target.member_id,
        "member_session": to_json(state, directories, new),
        "session_token": new_token_value,
        "session_jwt": jwt_for(state, directories, new, now, project_id),
        "member": models.member(target, state, directories),
        "organization": models.organization(org, state),
        "member_authenticated": True,
        "intermediate_session_token": "",
        "mfa_required": None,
        "primary_required": None,
    }
