"""Organizations: the domain operations behind the Stytch organization routes, and the
search-query machinery both searches share.

Every function validates its whole input before the first mutation and is called with the
store lock held, so a failed request leaves state exactly as it was. ``create_organization``,
``update_organization`` and ``delete_organization`` are the only places an organization
changes: the seam where organization events (webhooks) would be emitted.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from mockscim.engine.tokens import random_uuid
from mockscim.scim.directory import ScimDirectory
from mockscim.vendors.stytch import errors, models, rbac
from mockscim.vendors.stytch import validation as v
from mockscim.vendors.stytch.state import (
    ORG_PREFIX,
    Organization,
    StytchState,
)

_POLICY = {"ALL_ALLOWED", "RESTRICTED", "NOT_ALLOWED"}
# email_jit_provisioning and oauth_tenant_jit_provisioning have no ALL_ALLOWED (openapi
# api_organization_v1_Organization field descriptions: "RESTRICTED" or "NOT_ALLOWED").
_JIT = {"RESTRICTED", "NOT_ALLOWED"}
_ENUMS: dict[str, set[str]] = {
    "sso_jit_provisioning": _POLICY,
    "email_jit_provisioning": _JIT,
    "email_invites": _POLICY,
    "auth_methods": {"ALL_ALLOWED", "RESTRICTED"},
    "mfa_methods": {"ALL_ALLOWED", "RESTRICTED"},
    "mfa_policy": {"OPTIONAL", "REQUIRED_FOR_ALL"},
    "oauth_tenant_jit_provisioning": _JIT,
    "first_party_connected_apps_allowed_type": _POLICY,
    "third_party_connected_apps_allowed_type": _POLICY,
}
_NULLABLE_STR = {"organization_external_id", "sso_default_connection_id"}
#: The "Organization authentication setting parameters" of the create operation's description:
#: when none is passed, email_invites defaults to ALL_ALLOWED "so that the Organization has a
#: way to add Members", otherwise to NOT_ALLOWED (openapi api_organization_v1_Create). Which
#: fields count is not listed there; these are the ones that govern how members get in.
AUTH_SETTINGS = (
    "sso_jit_provisioning",
    "sso_jit_provisioning_allowed_connections",
    "email_allowed_domains",
    "email_jit_provisioning",
    "email_invites",
    "auth_methods",
    "allowed_auth_methods",
    "oauth_tenant_jit_provisioning",
    "allowed_oauth_tenants",
)
#: External ids: "alphanumeric, ., _, -, or | characters with a maximum length of 128" (openapi
#: CreateRequest.organization_external_id, members CreateRequest.external_id).
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


# ---------------------------------------------------------------- organizations
def resolve(state: StytchState, key: str) -> Organization:
    org = state.find_organization(key)
    if org is None:
        raise errors.organization_not_found()
    return org


#: Organization fields the create and update requests do not accept: ``custom_roles`` is
#: absent from openapi ``api_organization_v1_CreateRequest`` / ``UpdateRequest`` (it is set only
#: through the organization RBAC policy, ``rbac.organizations.set_org_policy``), so like any
#: field those schemas lack it is ignored (decided: Stytch's JSON decoding is not documented to
#: reject unknown fields).
NOT_SETTABLE = frozenset({"custom_roles"})


def _org_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The settable fields present in ``body``, type-checked against Stytch's defaults."""
    out: dict[str, Any] = {}
    for key, default in models.ORGANIZATION_DEFAULTS.items():
        if key not in body or body[key] is None or key in NOT_SETTABLE:
            continue
        value = body[key]
        if key in _NULLABLE_STR or isinstance(default, str):
            if not isinstance(value, str):
                raise errors.invalid_argument(f"'{key}' must be a string.")
            allowed = _ENUMS.get(key)
            if allowed is not None and value not in allowed:
                raise errors.invalid_argument(
                    f"'{key}' must be one of {', '.join(sorted(allowed))}."
                )
        elif isinstance(default, list):
            if not isinstance(value, list):
                raise errors.invalid_argument(f"'{key}' must be an array.")
            if key != "rbac_email_implicit_role_assignments" and not all(
                isinstance(x, str) for x in value
            ):
                raise errors.invalid_argument(f"'{key}' must be an array of strings.")
            if key == "rbac_email_implicit_role_assignments" and not all(
                isinstance(x, dict) for x in value
            ):
                raise errors.invalid_argument(f"'{key}' must be an array of objects.")
            if key == "rbac_email_implicit_role_assignments":
                value = _email_role_assignments(value)
        elif isinstance(default, dict) and not isinstance(value, dict):
            raise errors.invalid_argument(f"'{key}' must be an object.")
        out[key] = value
    return out


def _email_role_assignments(items: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Check ``rbac_email_implicit_role_assignments`` items (``{domain, role_id}``, both
    required). Role existence is checked against the organization in ``_check_roles``."""
    out = []
    for item in items:
        domain, role_id = item.get("domain"), item.get("role_id")
        if not isinstance(domain, str) or not _DOMAIN.match(domain.strip().lower()):
            raise errors.rbac_invalid_domain(domain)
        if not isinstance(role_id, str) or not role_id:
            raise errors.invalid_rbac_role_id(role_id)
        if role_id == rbac.STYTCH_MEMBER:
            raise errors.cannot_assign_default_rbac_role_id()
        out.append({"domain": domain.strip().lower(), "role_id": role_id})
    return out


def _check_roles(state: StytchState, fields: dict[str, Any], current: dict[str, Any]) -> None:
    """Every implicit role must exist (project roles, or the organization's custom roles as they
    will be after this write)."""
    merged = {**current, **fields}
    for item in fields.get("rbac_email_implicit_role_assignments") or []:
        if not rbac.known_role(item["role_id"], state.custom_roles, merged):
            raise errors.invalid_rbac_role_id(item["role_id"])


def _check_identity(state: StytchState, fields: dict[str, Any], org_id: str | None) -> None:
    if "organization_name" in fields:
        name = fields["organization_name"]
        if not name.strip():
            raise errors.organization_name_missing("organization_name must not be empty.")
        # "Must be between 1 and 128 characters in length." (openapi organization_name)
        if len(name) > 128:
            raise errors.invalid_organization_name()
    slug = fields.get("organization_slug")
    if slug is not None:
        if not v.SLUG.match(slug):
            raise errors.invalid_organization_slug()
        for other in state.organizations.values():
            if other.organization_id != org_id and other.slug == slug:
                raise errors.organization_slug_already_used()
    external = fields.get("organization_external_id")
    if external:
        if not v.external_id(external):
            raise errors.invalid_organization_external_id()
        for other in state.organizations.values():
            if other.organization_id != org_id and other.external_id == external:
                raise errors.organization_external_id_already_used()


def _slug_from(name: str) -> str:
    slug = re.sub(r"[^a-z0-9\-._~]+", "-", name.lower()).strip("-")[:100]
    # A slug has 2-128 characters (openapi organization_slug); pad a one-character name's.
    return slug if len(slug) >= 2 else f"{slug}-org".lstrip("-")


def create_organization(state: StytchState, body: dict[str, Any], now: datetime) -> Organization:
    if not isinstance(body.get("organization_name"), str) or not body["organization_name"].strip():
        raise errors.organization_name_missing()
    fields = _org_fields(body)
    if "organization_slug" not in fields:
        base = _slug_from(fields["organization_name"])
        slug, n = base, 1
        while any(o.slug == slug for o in state.organizations.values()):
            n += 1
            slug = f"{base}-{n}"
        fields["organization_slug"] = slug
    _check_identity(state, fields, None)
    _check_roles(state, fields, {})
    if "email_invites" not in fields:
        passed = any(body.get(key) is not None for key in AUTH_SETTINGS)
        fields["email_invites"] = "NOT_ALLOWED" if passed else "ALL_ALLOWED"
    org = Organization(f"{ORG_PREFIX}{random_uuid()}", fields, now, now)
    state.organizations[org.organization_id] = org
    return org


def update_organization(
    state: StytchState, org: Organization, body: dict[str, Any], now: datetime
) -> Organization:
    fields = _org_fields(body)
    _check_identity(state, fields, org.organization_id)
    _check_roles(state, fields, org.fields)
    org.fields.update(fields)
    org.updated_at = now
    return org


def set_org_policy(
    state: StytchState, org: Organization, org_policy: Any, now: datetime
) -> list[dict[str, Any]]:
    """Replace the organization's custom roles ("When you set an organization policy, it will
    replace any existing organization-specific roles", openapi ``..._SetOrgPolicy``). A role still
    used by the organization's email-domain assignments cannot go (decided: Stytch refuses
    unknown roles there, ``invalid_rbac_role_id``)."""
    roles = rbac.validate_org_roles(rbac.project_policy(state.custom_roles), org_policy)
    for item in org.fields.get("rbac_email_implicit_role_assignments") or []:
        role_id = item.get("role_id")
        if not rbac.known_role(role_id, state.custom_roles, {"custom_roles": roles}):
            raise errors.invalid_rbac_role_id(role_id)
    org.fields["custom_roles"] = roles
    org.updated_at = now
    return roles


def delete_external_id(org: Organization, now: datetime) -> Organization:
    """``DELETE /v1/b2b/organizations/{id}/external_id``: the external id is unset (the
    Organization object then omits it, like one created without)."""
    org.fields.pop("organization_external_id", None)
    org.updated_at = now
    return org


def delete_organization(
    state: StytchState, directories: dict[str, ScimDirectory], org: Organization
) -> None:
    """Delete the organization with its members, sessions and SCIM connections."""
    org_id = org.organization_id
    for connection_id in [
        c for c, conn in state.connections.items() if conn.organization_id == org_id
    ]:
        del state.connections[connection_id]
        directories.pop(connection_id, None)
    for member_id in [m.member_id for m in state.members_of(org_id)]:
        del state.members[member_id]
    for session_id in [s for s, sess in state.sessions.items() if sess.organization_id == org_id]:
        del state.sessions[session_id]
    del state.organizations[org_id]
