"""Python helpers for tests: seed organizations, members with roles, custom roles, and mint
member sessions, straight into a running mock's store (no HTTP, same locking).

    from mockscim.vendors.stytch import helpers
    org = helpers.create_organization(server.mock, "Acme", "acme")
    member = helpers.create_member(server.mock, org["organization_id"], "a@acme.test",
                                   roles=["stytch_admin"])
    session = helpers.mint_session(server.mock, member["member_id"])
    session["session_token"], session["session_jwt"]
"""

from __future__ import annotations

from typing import Any

from mockscim.runtime import Mock
from mockscim.vendors.stytch import errors, models, rbac, sessions
from mockscim.vendors.stytch import organizations as orgs
from mockscim.vendors.stytch.state import StytchState


def _state(mock: Mock) -> StytchState:
    return mock.store.vendor("stytch")


def define_role(mock: Mock, role_id: str, permissions: dict[str, list[str]]) -> dict[str, Any]:
    """Add (or replace) a project-level custom role: ``{resource_id: [actions]}``."""
    if not isinstance(role_id, str) or not role_id or role_id in rbac.DEFAULT_ROLES:
        raise errors.invalid_argument(f"role_id {role_id!r} cannot be defined.")
    if not isinstance(permissions, dict) or not all(
        isinstance(k, str) and isinstance(a, list) and all(isinstance(x, str) for x in a)
        for k, a in permissions.items()
    ):
        raise errors.invalid_argument("permissions must be {resource_id: [action, ...]}.")
    with mock.store.lock:
        _state(mock).custom_roles[role_id] = {k: list(a) for k, a in permissions.items()}
    return {"role_id": role_id, "permissions": permissions}


def create_organization(mock: Mock, name: str, slug: str | None = None, **fields: Any) -> dict:
    body = {"organization_name": name, **fields}
    if slug is not None:
        body["organization_slug"] = slug
    with mock.store.lock:
        state = _state(mock)
        org = orgs.create_organization(state, body, mock.clock.now())
        return models.organization(org, state)


def create_member(
    mock: Mock, organization_id: str, email: str, *, roles: list[str] | None = None, **fields: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"email_address": email, **fields}
    if roles is not None:
        body["roles"] = roles
    with mock.store.lock:
        state = _state(mock)
        org = orgs.resolve(state, organization_id)
        member = orgs.create_member(state, org, body, mock.clock.now())
        return models.member(member, state, mock.store.directories)


def mint_session(mock: Mock, member_id: str, duration_minutes: int = 60) -> dict[str, Any]:
    """A session for the member: ``session_token`` and ``session_jwt`` in plaintext, once."""
    with mock.store.lock:
        return sessions.mint(
            _state(mock),
            mock.store.directories,
            member_id,
            mock.clock.now(),
            mock.settings.stytch_project_id,
            duration_minutes,
        )
