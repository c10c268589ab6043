"""The JSON shapes Stytch returns, built to satisfy the official SDK's pydantic models.

Every non-Optional field of ``stytch.b2b.models`` (Organization, Member, SCIMConnection*,
SCIMGroup, SCIMAttributes...) is always present with the right type; a missing field would be
a crash in the caller's code, not a failed assertion.

Null vs absent, one rule: an Optional field with no value is **omitted**, as Stytch's published
examples omit them (the Svix catalogue's member payloads have no ``scim_registration``,
``external_id`` or ``lock_*``; docs scim-connection-object and rotate-token-complete show no
``next_bearer_token_expires_at`` outside a rotation, "supplied only during token rotation");
except where a Stytch example shows ``null``: ``sso_default_connection_id`` (docs
b2b/api/create-organization response). See ``NULL_WHEN_UNSET``.
"""

from __future__ import annotations

from typing import Any

from mockscim.engine.clock import format_instant
from mockscim.scim.directory import ScimDirectory
from mockscim.scim.schemas import ENTERPRISE_USER
from mockscim.vendors.stytch import rbac
from mockscim.vendors.stytch.state import Member, Organization, ScimConnection, StytchState

SCIM_IDPS = (
    "okta",
    "microsoft-entra",
    "cyberark",
    "jumpcloud",
    "onelogin",
    "pingfederate",
    "rippling",
    "generic",
)
ENTRA = "microsoft-entra"
ENTRA_FLAG = "?aadOptscim062020"

#: Stytch's defaults for an organization created with only a name and slug.
ORGANIZATION_DEFAULTS: dict[str, Any] = {
    "organization_name": "",
    "organization_slug": "",
    "organization_logo_url": "",
    "organization_external_id": None,
    "trusted_metadata": {},
    "sso_jit_provisioning": "ALL_ALLOWED",
    "sso_jit_provisioning_allowed_connections": [],
    "sso_default_connection_id": None,
    "email_allowed_domains": [],
    "email_jit_provisioning": "NOT_ALLOWED",
    "email_invites": "ALL_ALLOWED",
    "auth_methods": "ALL_ALLOWED",
    "allowed_auth_methods": [],
    "mfa_policy": "OPTIONAL",
    "rbac_email_implicit_role_assignments": [],
    "mfa_methods": "ALL_ALLOWED",
    "allowed_mfa_methods": [],
    "oauth_tenant_jit_provisioning": "NOT_ALLOWED",
    "allowed_oauth_tenants": {},
    "claimed_email_domains": [],
    "first_party_connected_apps_allowed_type": "ALL_ALLOWED",
    "allowed_first_party_connected_apps": [],
    "third_party_connected_apps_allowed_type": "ALL_ALLOWED",
    "allowed_third_party_connected_apps": [],
    "custom_roles": [],
}


#: The only Optional fields sent as ``null`` when unset (a Stytch example shows them so).
NULL_WHEN_UNSET = frozenset({"sso_default_connection_id"})


def put_optional(out: dict[str, Any], key: str, value: Any) -> None:
    """Set an Optional field: its value, else nothing (or ``null`` for ``NULL_WHEN_UNSET``)."""
    if value is not None or key in NULL_WHEN_UNSET:
        out[key] = value


def base_url(server: str, connection: ScimConnection) -> str:
    url = f"{server}/v1/b2b/scim/{connection.connection_id}"
    return url + ENTRA_FLAG if connection.identity_provider == ENTRA else url


# ---------------------------------------------------------------- organizations
def organization(org: Organization, state: StytchState) -> dict[str, Any]:
    out: dict[str, Any] = {"organization_id": org.organization_id}
    for key, default in ORGANIZATION_DEFAULTS.items():
        if default is None:
            put_optional(out, key, org.fields.get(key) or None)
        else:
            out[key] = org.fields.get(key, default)
    out["sso_active_connections"] = []
    active = state.active_connection(org.organization_id)
    if active is not None:
        scim: dict[str, Any] = {
            "connection_id": active.connection_id,
            "display_name": active.display_name,
            "bearer_token_last_four": active.current.last_four,
        }
        put_optional(scim, "bearer_token_expires_at", format_instant(active.current.expires_at))
        out["scim_active_connection"] = scim
    out["created_at"] = format_instant(org.created_at)
    out["updated_at"] = format_instant(org.updated_at)
    return out


# ---------------------------------------------------------------- connections
def _assignments(
    connection: ScimConnection, directory: ScimDirectory | None
) -> list[dict[str, str]]:
    out = []
    for assignment in connection.assignments:
        group = directory.groups.get(assignment.group_id) if directory else None
        name = group.data.get("displayName", "") if group is not None else ""
        out.append(
            {"role_id": assignment.role_id, "group_id": assignment.group_id, "group_name": name}
        )
    return out


def connection(
    connection: ScimConnection,
    server: str,
    directory: ScimDirectory | None,
    *,
    bearer_token: str | None = None,
    next_bearer_token: str | None = None,
) -> dict[str, Any]:
    """``SCIMConnection``; exactly ``SCIMConnectionWithToken`` when ``bearer_token`` is given
    (create) and ``SCIMConnectionWithNextToken`` for ``next_bearer_token`` (rotate/start), per
    stytch-openapi's schemas of those names."""
    out: dict[str, Any] = {
        "organization_id": connection.organization_id,
        "connection_id": connection.connection_id,
        "status": connection.status,
        "display_name": connection.display_name,
        "identity_provider": connection.identity_provider,
        "base_url": base_url(server, connection),
        "scim_group_implicit_role_assignments": _assignments(connection, directory),
    }
    nxt = connection.next
    expires = format_instant(connection.current.expires_at)
    next_expires = format_instant(nxt.expires_at) if nxt else None
    if bearer_token is not None:
        out["bearer_token"] = bearer_token
        put_optional(out, "bearer_token_expires_at", expires)
        return out
    out["bearer_token_last_four"] = connection.current.last_four
    put_optional(out, "bearer_token_expires_at", expires)
    if next_bearer_token is not None:
        out["next_bearer_token"] = next_bearer_token
        put_optional(out, "next_bearer_token_expires_at", next_expires)
        return out
    out["next_bearer_token_last_four"] = nxt.last_four if nxt else ""
    put_optional(out, "next_bearer_token_expires_at", next_expires)
    return out


def scim_group(connection: ScimConnection, group_id: str, name: str) -> dict[str, str]:
    return {
        "group_id": group_id,
        "group_name": name,
        "organization_id": connection.organization_id,
        "connection_id": connection.connection_id,
    }


# ---------------------------------------------------------------- members
def implicit_scim_roles(
    member: Member, state: StytchState, directories: dict[str, ScimDirectory]
) -> list[tuple[str, dict[str, Any]]]:
    """(role_id, source details) granted by the member's SCIM groups on an active connection."""
    link = member.scim
    if link is None or member.deleted:
        return []
    connection = state.connections.get(link.connection_id)
    directory = directories.get(link.connection_id)
    if connection is None or connection.status != "active" or directory is None:
        return []
    group_ids = {g.id for g in directory.groups_of(link.scim_user_id)}
    return [
        (a.role_id, {"connection_id": connection.connection_id, "group_id": a.group_id})
        for a in connection.assignments
        if a.group_id in group_ids
    ]


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def implicit_email_roles(member: Member, org_fields: dict[str, Any]) -> list[tuple[str, str]]:
    """(role_id, domain) granted by the organization's ``rbac_email_implicit_role_assignments``
    to a live member whose email domain matches (openapi ``EmailImplicitRoleAssignment``)."""
    if member.deleted:
        return []
    domain = email_domain(member.email_address)
    return [
        (str(a["role_id"]), str(a["domain"]))
        for a in org_fields.get("rbac_email_implicit_role_assignments") or []
        if isinstance(a, dict) and str(a.get("domain", "")).lower() == domain
    ]


def member_roles(
    member: Member, state: StytchState, directories: dict[str, ScimDirectory]
) -> list[dict[str, Any]]:
    """The member's ``roles``: each role once, with every source that grants it (openapi
    ``MemberRole``/``MemberRoleSource``). A deleted member holds none: deprovisioning "revokes
    all current Roles" (Stytch's Supported SCIM actions table)."""
    if member.deleted:
        return []
    direct: dict[str, Any] = {"type": "direct_assignment", "details": {}}
    roles: dict[str, list[dict[str, Any]]] = {rbac.STYTCH_MEMBER: [dict(direct)]}
    for role_id in member.roles:
        sources = roles.setdefault(role_id, [])
        if direct not in sources:
            sources.append(dict(direct))
    org = state.organizations.get(member.organization_id)
    for role_id, domain in implicit_email_roles(member, org.fields if org else {}):
        roles.setdefault(role_id, []).append(
            {"type": "email_assignment", "details": {"email_domain": domain}}
        )
    for role_id, details in implicit_scim_roles(member, state, directories):
        roles.setdefault(role_id, []).append({"type": "scim_connection_group", "details": details})
    return [{"role_id": role_id, "sources": sources} for role_id, sources in roles.items()]


def member(
    member: Member, state: StytchState, directories: dict[str, ScimDirectory]
) -> dict[str, Any]:
    roles = member_roles(member, state, directories)
    link = member.scim
    out: dict[str, Any] = {
        "organization_id": member.organization_id,
        "member_id": member.member_id,
        "email_address": member.email_address,
        "status": member.status,
        "name": member.name,
        "sso_registrations": [],
        "is_breakglass": member.is_breakglass,
        "member_password_id": member.member_password_id,
        "oauth_registrations": [],
        "email_address_verified": member.email_address_verified,
        "mfa_phone_number_verified": member.mfa_phone_number_verified,
        "is_admin": any(r["role_id"] == rbac.STYTCH_ADMIN for r in roles),
        "totp_registration_id": member.totp_registration_id,
        "retired_email_addresses": [dict(r) for r in member.retired_emails],
        "is_locked": False,
        "mfa_enrolled": member.mfa_enrolled,
        "mfa_phone_number": member.mfa_phone_number,
        "default_mfa_method": member.default_mfa_method,
        "roles": roles,
        "trusted_metadata": member.trusted_metadata,
        "untrusted_metadata": member.untrusted_metadata,
        "created_at": format_instant(member.created_at),
        "updated_at": format_instant(member.updated_at),
    }
    if link is not None:
        registration: dict[str, Any] = {
            "connection_id": link.connection_id,
            "registration_id": link.registration_id,
        }
        put_optional(registration, "external_id", link.external_id)
        registration["scim_attributes"] = scim_attributes(
            link.scim_user_id, link.attributes, directories.get(link.connection_id)
        )
        out["scim_registration"] = registration
    put_optional(out, "external_id", member.external_id)
    # lock_created_at / lock_expires_at: the mock never locks a member, so never sent.
    return out


# ---------------------------------------------------------------- SCIM attributes
def _s(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _multi(items: Any, keys: tuple[str, ...] = ("value", "type")) -> list[dict[str, Any]]:
    out = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            entry: dict[str, Any] = {k: _s(item.get(k)) for k in keys}
            entry["primary"] = bool(item.get("primary", False))
            out.append(entry)
    return out


def scim_attributes(
    scim_user_id: str, data: dict[str, Any], directory: ScimDirectory | None = None
) -> dict[str, Any]:
    """SCIM user JSON in Stytch's snake_case ``scim_attributes`` form; ``groups`` comes from
    the connection's current group memberships."""
    groups = (
        [
            {"value": g.id, "display": _s(g.data.get("displayName"))}
            for g in directory.groups_of(scim_user_id)
        ]
        if directory is not None
        else []
    )
    name = data.get("name") if isinstance(data.get("name"), dict) else None
    enterprise = data.get(ENTERPRISE_USER) if isinstance(data.get(ENTERPRISE_USER), dict) else None
    addresses = []
    for item in data.get("addresses") or []:
        if isinstance(item, dict):
            addresses.append(
                {
                    "formatted": _s(item.get("formatted")),
                    "street_address": _s(item.get("streetAddress")),
                    "locality": _s(item.get("locality")),
                    "region": _s(item.get("region")),
                    "postal_code": _s(item.get("postalCode")),
                    "country": _s(item.get("country")),
                    "type": _s(item.get("type")),
                    "primary": bool(item.get("primary", False)),
                }
            )
    manager: dict[str, str] | None = None
    if enterprise and isinstance(enterprise.get("manager"), dict):
        m = enterprise["manager"]
        manager = {
            "value": _s(m.get("value")),
            "ref": _s(m.get("$ref")),
            "display_name": _s(m.get("displayName")),
        }
    out: dict[str, Any] = {
        "user_name": _s(data.get("userName")),
        "id": scim_user_id,
        "external_id": _s(data.get("externalId")),
        "active": data.get("active", True) is not False,
        "groups": groups,
        "display_name": _s(data.get("displayName")),
        "nick_name": _s(data.get("nickName")),
        "profile_url": _s(data.get("profileUrl")),
        "user_type": _s(data.get("userType")),
        "title": _s(data.get("title")),
        "preferred_language": _s(data.get("preferredLanguage")),
        "locale": _s(data.get("locale")),
        "timezone": _s(data.get("timezone")),
        "emails": _multi(data.get("emails")),
        "phone_numbers": _multi(data.get("phoneNumbers")),
        "addresses": addresses,
        "ims": _multi(data.get("ims")),
        "photos": _multi(data.get("photos")),
        "entitlements": _multi(data.get("entitlements")),
        "roles": _multi(data.get("roles")),
        "x509certificates": _multi(data.get("x509Certificates")),
    }
    put_optional(
        out,
        "name",
        (
            {
                "formatted": _s(name.get("formatted")),
                "family_name": _s(name.get("familyName")),
                "given_name": _s(name.get("givenName")),
                "middle_name": _s(name.get("middleName")),
                "honorific_prefix": _s(name.get("honorificPrefix")),
                "honorific_suffix": _s(name.get("honorificSuffix")),
            }
            if name
            else None
        ),
    )
    extension: dict[str, Any] | None = None
    if enterprise:
        extension = {
            "employee_number": _s(enterprise.get("employeeNumber")),
            "cost_center": _s(enterprise.get("costCenter")),
            "division": _s(enterprise.get("division")),
            "department": _s(enterprise.get("department")),
            "organization": _s(enterprise.get("organization")),
        }
        put_optional(extension, "manager", manager)
    put_optional(out, "enterprise_extension", extension)
    return out
