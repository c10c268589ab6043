"""Seeding Stytch state outside its public API: custom roles, members with roles and member
sessions straight into a mock's store (no HTTP, same locking); building a scenario's
``stytch`` section; and the ``.stytch`` helper of every control handle.

    from mockscim.vendors.stytch import seeding
    org = seeding.create_organization(server.mock, "Acme", "acme")
    member = seeding.create_member(server.mock, org["organization_id"], "a@acme.test",
                                   roles=["stytch_admin"])
    session = seeding.mint_session(server.mock, member["member_id"])
    session["session_token"], session["session_jwt"]
"""

from __future__ import annotations

import base64
from typing import Any

from mockscim.engine.mock import Mock
from mockscim.engine.tokens import TokenRecord
from mockscim.scenario import schema
from mockscim.vendors.base import ControlHelper, ScenarioBuild
from mockscim.vendors.stytch import errors, members, models, rbac, session_jwt, sessions
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
    mock: Mock,
    organization_id: str,
    email: str,
    *,
    roles: list[str] | None = None,
    email_address_verified: bool = False,
    **fields: Any,
) -> dict[str, Any]:
    """A member created as the API would; ``email_address_verified`` stands in for the member
    having logged in with its email (the mock has no login), which reactivation requires."""
    body: dict[str, Any] = {"email_address": email, **fields}
    if roles is not None:
        body["roles"] = roles
    if not isinstance(email_address_verified, bool):
        raise errors.invalid_argument("'email_address_verified' must be a boolean.")
    with mock.store.lock:
        state = _state(mock)
        org = orgs.resolve(state, organization_id)
        member = members.create_member(state, org, body, mock.clock.now())
        member.email_address_verified = email_address_verified
        return models.member(member, state, mock.store.directories)


def verify_email(mock: Mock, member_id: str) -> dict[str, Any]:
    """Mark a member's email verified, as its first email login would at Stytch."""
    with mock.store.lock:
        state = _state(mock)
        member = state.members.get(member_id)
        if member is None:
            raise errors.member_not_found()
        member.email_address_verified = True
        return models.member(member, state, mock.store.directories)


def mint_session(
    mock: Mock, member_id: str, duration_minutes: int = 60, custom_claims: Any = None
) -> dict[str, Any]:
    """A session for the member: ``session_token`` and ``session_jwt`` in plaintext, once."""
    # The project's signing key is generated (once, ~0.1 s) before the store lock is taken.
    session_jwt.key_for(mock.settings.stytch_project_id)
    with mock.store.lock:
        return sessions.mint(
            _state(mock),
            mock.store.directories,
            member_id,
            mock.clock.now(),
            mock.settings.stytch_project_id,
            duration_minutes,
            custom_claims,
        )


def find_login_member(state: StytchState, who: str, organization: str | None) -> str:
    """The member a login names: a member_id, or an email address (in ``organization`` when
    given: the same address may belong to members of several organizations)."""
    org = None
    if organization is not None:
        org = orgs.resolve(state, organization)
    if "@" not in who:
        member = state.members.get(who)
        if org is not None and member is not None and member.organization_id != org.organization_id:
            member = None
        if member is None and org is not None:
            member = members.find_member(state, org, who)  # an external_id
        if member is None or member.deleted:
            raise errors.member_not_found()
        return member.member_id
    org_ids = [org.organization_id] if org is not None else list(state.organizations)
    found = [m for oid in org_ids if (m := state.member_by_email(oid, who)) is not None]
    if not found:
        raise errors.member_not_found()
    if len(found) > 1:
        raise errors.invalid_argument(
            f"{who!r} is a member of {len(found)} organizations; pass the organization."
        )
    return found[0].member_id


def login(
    mock: Mock,
    who: str,
    organization: str | None = None,
    duration_minutes: int = sessions.DEFAULT_DURATION_MINUTES,
    custom_claims: Any = None,
) -> dict[str, Any]:
    """Log a member in, as its magic-link login would at Stytch: ``session_token``,
    ``session_jwt`` and ``member_session``, in plaintext once. ``who`` is a member_id or an
    email address."""
    sessions.check_duration(duration_minutes)
    sessions.merged_custom_claims({}, custom_claims)
    session_jwt.key_for(mock.settings.stytch_project_id)
    with mock.store.lock:
        member_id = find_login_member(_state(mock), who, organization)
        return mint_session(mock, member_id, duration_minutes, custom_claims)


# ---------------------------------------------------------------------------- scenarios
SCENARIO_KEYS = frozenset({"roles", "organizations"})
ORG_KEYS = {"key", "organization", "members", "scim_connection", "directory"}
CONNECTION_KEYS = {
    "display_name",
    "identity_provider",
    "bearer_token",
    "next_bearer_token",
    "rotating",
    "implicit_role_assignments",
}


def validate_scenario(section: dict[str, Any]) -> None:
    for i, role in enumerate(schema.items(section.get("roles"), "stytch.roles")):
        schema.obj(role, f"stytch.roles[{i}]", {"role_id", "permissions"})
    for i, org in enumerate(schema.items(section.get("organizations"), "stytch.organizations")):
        where = f"stytch.organizations[{i}]"
        schema.obj(org, where, ORG_KEYS)
        schema.obj(org.get("organization"), f"{where}.organization")
        for j, member in enumerate(schema.items(org.get("members"), f"{where}.members")):
            schema.obj(member, f"{where}.members[{j}]")
        connection = org.get("scim_connection")
        if connection is None:
            if org.get("directory"):
                raise schema.ScenarioError(f"{where}: a directory needs a scim_connection")
            continue
        schema.obj(connection, f"{where}.scim_connection", CONNECTION_KEYS)
        schema.token(connection.get("bearer_token"), f"{where}.scim_connection.bearer_token")
        schema.token(
            connection.get("next_bearer_token"), f"{where}.scim_connection.next_bearer_token"
        )
        for j, item in enumerate(
            schema.items(
                connection.get("implicit_role_assignments"), f"{where}.implicit_role_assignments"
            )
        ):
            schema.obj(item, f"{where}.implicit_role_assignments[{j}]", {"group", "role_id"})
        schema.directory(org.get("directory"), f"{where}.directory")


def build_scenario(build: ScenarioBuild, section: dict[str, Any]) -> dict[str, Any]:
    for i, role in enumerate(section.get("roles") or []):
        build.call("POST", "/_mockscim/stytch/roles", role, {}, f"stytch.roles[{i}]")
    return {
        "organizations": [
            _build_org(build, org, f"stytch.organizations[{i}]")
            for i, org in enumerate(section.get("organizations") or [])
        ]
    }


def _basic_auth(settings: Any) -> dict[str, str]:
    basic = f"{settings.stytch_project_id}:{settings.stytch_secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(basic).decode()}


def _build_org(build: ScenarioBuild, org: dict[str, Any], where: str) -> dict[str, Any]:
    auth = _basic_auth(build.mock.settings)
    created = build.call("POST", "/v1/b2b/organizations", org["organization"], auth, where)
    org_id = created["organization"]["organization_id"]
    out: dict[str, Any] = {"key": org.get("key"), "organization_id": org_id, "members": {}}
    for j, member in enumerate(org.get("members") or []):
        body = build.call(
            "POST",
            f"/v1/b2b/organizations/{org_id}/members",
            member,
            auth,
            f"{where}.members[{j}]",
        )
        out["members"][body["member"]["email_address"]] = body["member"]["member_id"]
    spec = org.get("scim_connection")
    if spec is None:
        return out
    body = {k: spec[k] for k in ("display_name", "identity_provider") if k in spec}
    connection = build.call(
        "POST", f"/v1/b2b/scim/{org_id}/connection", body, auth, f"{where}.scim_connection"
    )["connection"]
    connection_id = connection["connection_id"]
    token = connection["bearer_token"]
    if spec.get("bearer_token"):
        token = _pin(build, connection_id, "current", spec["bearer_token"])
    base_path = f"/v1/b2b/scim/{connection_id}"
    provisioned = build.provision(base_path, token, org.get("directory"), f"{where}.directory")
    assignments = [
        {"group_id": provisioned["groups"].get(a.get("group"), ""), "role_id": a.get("role_id")}
        for a in spec.get("implicit_role_assignments") or []
    ]
    if assignments:
        build.call(
            "PUT",
            f"/v1/b2b/scim/{org_id}/connection/{connection_id}",
            {"scim_group_implicit_role_assignments": assignments},
            auth,
            f"{where}.scim_connection.implicit_role_assignments",
        )
    next_token = None
    if spec.get("next_bearer_token") or spec.get("rotating"):
        started = build.call(
            "POST",
            f"/v1/b2b/scim/{org_id}/connection/{connection_id}/rotate/start",
            {},
            auth,
            f"{where}.scim_connection.next_bearer_token",
        )["connection"]
        next_token = started["next_bearer_token"]
        if spec.get("next_bearer_token"):
            next_token = _pin(build, connection_id, "next", spec["next_bearer_token"])
    out.update(
        connection_id=connection_id,
        identity_provider=connection["identity_provider"],
        scim_base_path=base_path,
        bearer_token=token,
        next_bearer_token=next_token,
        **provisioned,
    )
    return out


def _pin(build: ScenarioBuild, connection_id: str, which: str, token: str) -> str:
    """Swap the minted token for the author's one, keeping its lifetime."""
    with build.mock.store.lock:
        connection = build.mock.store.vendor("stytch").connections[connection_id]
        minted: TokenRecord = getattr(connection, which)
        setattr(
            connection,
            which,
            TokenRecord.issue(token, minted.created_at, minted.expires_at),
        )
    return token


# ---------------------------------------------------------------------------- control handles
class StytchHelper(ControlHelper):
    """``mockscim.stytch.create_org(...)``: an organization, optionally with a SCIM connection
    and a provisioned directory, in one call (built through Stytch's own API)."""

    vendor = "stytch"

    def create_org(
        self,
        name: str | None = None,
        slug: str | None = None,
        *,
        domains: list[str] | None = None,
        scim: bool = True,
        identity_provider: str = "generic",
        users: int | list[dict[str, Any]] = 0,
        groups: int | list[dict[str, Any]] = 0,
        members: list[dict[str, Any]] | None = None,
        bearer_token: str | None = None,
        rotating: bool = False,
        next_bearer_token: str | None = None,
        **organization_fields: Any,
    ) -> dict[str, Any]:
        """Returns ``organization_id``, ``connection_id``, ``bearer_token``,
        ``next_bearer_token``, ``base_url`` (absolute when known), ``users``/``groups``
        (userName/displayName -> SCIM id) and ``members`` (email -> member_id)."""
        company = self.factory.company(name)
        if slug:
            company["slug"] = slug
        domain_list = domains or [company["domain"]]
        org: dict[str, Any] = {
            "key": company["slug"],
            "organization": {
                "organization_name": company["name"],
                "organization_slug": company["slug"],
                "email_allowed_domains": domain_list,
                **organization_fields,
            },
            "members": members or [],
        }
        if scim:
            people = (
                users
                if isinstance(users, list)
                else self.factory.scim_users(domain_list[0], users, organization=company["name"])
            )
            teams = groups if isinstance(groups, list) else self.factory.scim_groups(people, groups)
            connection: dict[str, Any] = {"identity_provider": identity_provider}
            if bearer_token:
                connection["bearer_token"] = bearer_token
            if next_bearer_token:
                connection["next_bearer_token"] = next_bearer_token
            elif rotating:
                connection["rotating"] = True
            org["scim_connection"] = connection
            org["directory"] = {"users": people, "groups": teams}
        result = self._load(org)
        if scim:
            result["base_url"] = self._absolute(result["scim_base_path"])
        return result

    def login(
        self,
        member: str,
        organization: str | None = None,
        *,
        session_duration_minutes: int = sessions.DEFAULT_DURATION_MINUTES,
        session_custom_claims: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Log ``member`` (a member_id or an email address; ``organization``, an id, slug or
        external id, picks among organizations sharing the address) in. Returns
        ``session_token``, ``session_jwt`` and ``member_session`` (Stytch's Member Session
        object), plus ``member_id``, ``organization_id``, ``member_session_id``: what a test
        hands to its own app, which authenticates them with ``sessions.authenticate``."""
        body: dict[str, Any] = {
            "member": member,
            "session_duration_minutes": session_duration_minutes,
        }
        if organization is not None:
            body["organization"] = organization
        if session_custom_claims is not None:
            body["session_custom_claims"] = session_custom_claims
        return dict(self._call("POST", "/stytch/login", body))


#: The ``.stytch`` helper of every control handle (see ``Vendor.seeding``).
Helper = StytchHelper
