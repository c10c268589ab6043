"""Stytch RBAC: which roles grant which actions on which resources.

The project policy holds the two Stytch default roles plus custom roles registered through the
admin API (``/_mockscim/stytch/roles``); an organization may add its own ``custom_roles``.
Permissions are ``{resource_id: [actions]}``; ``"*"`` stands for every action.
"""

from __future__ import annotations

from typing import Any

STYTCH_ADMIN = "stytch_admin"
STYTCH_MEMBER = "stytch_member"
SCIM_RESOURCE = "stytch.scim"
ORGANIZATION_RESOURCE = "stytch.organization"
MEMBER_RESOURCE = "stytch.member"
SELF_RESOURCE = "stytch.self"

#: The stytch.organization action each Update Organization field needs (stytch-openapi
#: ``api_organization_v1_UpdateRequest`` field descriptions). Fields absent here need none.
ORGANIZATION_UPDATE_ACTIONS: dict[str, str] = {
    "organization_name": "update.info.name",
    "organization_slug": "update.info.slug",
    "organization_logo_url": "update.info.logo-url",
    "sso_default_connection_id": "update.settings.default-sso-connection",
    "sso_jit_provisioning": "update.settings.sso-jit-provisioning",
    "sso_jit_provisioning_allowed_connections": "update.settings.sso-jit-provisioning",
    "email_allowed_domains": "update.settings.allowed-domains",
    "email_jit_provisioning": "update.settings.email-jit-provisioning",
    "email_invites": "update.settings.email-invites",
    "auth_methods": "update.settings.allowed-auth-methods",
    "allowed_auth_methods": "update.settings.allowed-auth-methods",
    "mfa_policy": "update.settings.mfa-policy",
    "rbac_email_implicit_role_assignments": "update.settings.implicit-roles",
    "mfa_methods": "update.settings.allowed-mfa-methods",
    "allowed_mfa_methods": "update.settings.allowed-mfa-methods",
    "oauth_tenant_jit_provisioning": "update.settings.oauth-tenant-jit-provisioning",
    "allowed_oauth_tenants": "update.settings.allowed-oauth-tenants",
}

#: The stytch.member action each Update Member field needs (stytch-openapi
#: ``api_organization_v1_organizations_members_UpdateRequest``); the ones in
#: ``MEMBER_SELF_ACTIONS`` may instead be granted on stytch.self when the session's member is
#: the member being updated.
MEMBER_UPDATE_ACTIONS: dict[str, str] = {
    "name": "update.info.name",
    "untrusted_metadata": "update.info.untrusted-metadata",
    "is_breakglass": "update.settings.is-breakglass",
    "mfa_phone_number": "update.info.mfa-phone",
    "mfa_enrolled": "update.settings.mfa-enrolled",
    "roles": "update.settings.roles",
    "default_mfa_method": "update.settings.default-mfa-method",
    "email_address": "update.info.email",
}
MEMBER_SELF_ACTIONS = frozenset(
    {
        "update.info.name",
        "update.info.untrusted-metadata",
        "update.info.mfa-phone",
        "update.settings.mfa-enrolled",
        "update.settings.default-mfa-method",
    }
)

#: The SCIM control-plane actions, as the API reference names them per endpoint.
SCIM_ACTIONS = ("create", "get", "update", "delete")

_STYTCH_RESOURCES = (
    "stytch.organization",
    "stytch.member",
    "stytch.sso",
    "stytch.scim",
    "stytch.self",
)

DEFAULT_ROLES: dict[str, dict[str, list[str]]] = {
    STYTCH_ADMIN: {resource: ["*"] for resource in _STYTCH_RESOURCES},
    # Stytch's default member role only acts on the member itself.
    STYTCH_MEMBER: {"stytch.self": ["*"]},
}


def known_role(role_id: str, custom_roles: dict[str, Any], org_fields: dict[str, Any]) -> bool:
    if role_id in DEFAULT_ROLES or role_id in custom_roles:
        return True
    return any(r.get("role_id") == role_id for r in org_fields.get("custom_roles") or [])


def permissions_of(
    role_id: str, custom_roles: dict[str, dict[str, list[str]]], org_fields: dict[str, Any]
) -> dict[str, list[str]]:
    if role_id in DEFAULT_ROLES:
        return DEFAULT_ROLES[role_id]
    if role_id in custom_roles:
        return custom_roles[role_id]
    for role in org_fields.get("custom_roles") or []:
        if role.get("role_id") == role_id:
            return {
                p["resource_id"]: list(p.get("actions", []))
                for p in role.get("permissions", [])
                if isinstance(p, dict) and "resource_id" in p
            }
    return {}


def granting_roles(
    role_ids: list[str],
    resource: str,
    action: str,
    custom_roles: dict[str, dict[str, list[str]]],
    org_fields: dict[str, Any],
) -> list[str]:
    """The roles among ``role_ids`` that allow ``action`` on ``resource``."""
    granted = []
    for role_id in role_ids:
        actions = permissions_of(role_id, custom_roles, org_fields).get(resource, [])
        if "*" in actions or action in actions:
            granted.append(role_id)
    return granted
