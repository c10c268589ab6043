"""Stytch RBAC: which roles grant which actions on which resources.

The project policy (``GET /v1/b2b/rbac/policy``) holds Stytch's default resources and roles plus
custom roles registered through the admin API (``/_mockscim/stytch/roles``); an organization's
own roles (``custom_roles``) are set only through its policy (``PUT /v1/b2b/rbac/organizations/
{organization_id}``).
Permissions are ``{resource_id: [actions]}``; ``"*"`` stands for every action.
"""

from __future__ import annotations

from typing import Any

from mockscim.vendors.stytch import errors

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

#: What changing a SCIM connection's ``scim_group_implicit_role_assignments`` needs besides
#: ``update`` on stytch.scim (stytch-browser ``packages/core/src/public/b2b/scim.ts``).
CONNECTION_ASSIGNMENT_NEEDS = [(ORGANIZATION_RESOURCE, "update.settings.implicit-roles")]

#: The SCIM control-plane actions, as the API reference names them per endpoint.
SCIM_ACTIONS = ("create", "get", "update", "delete")

#: Stytch's default Resources and the actions each offers, in the order Stytch lists them
#: (stytch-browser ``packages/web/.storybook/handlers.ts`` ``rbac_policy.resources``, Stytch's
#: own fixture of a project policy; the five ids are also in docs b2b/guides/rbac/stytch-default).
DEFAULT_RESOURCES: tuple[dict[str, Any], ...] = (
    {
        "resource_id": ORGANIZATION_RESOURCE,
        "description": "Builtin resource for Stytch organization objects",
        "actions": [
            "update.info.name",
            "update.info.slug",
            "update.info.logo-url",
            "update.settings.allowed-auth-methods",
            "update.settings.allowed-mfa-methods",
            "update.settings.email-jit-provisioning",
            "update.settings.email-invites",
            "update.settings.allowed-domains",
            "update.settings.default-sso-connection",
            "update.settings.sso-jit-provisioning",
            "update.settings.mfa-policy",
            "update.settings.implicit-roles",
            "delete",
        ],
    },
    {
        "resource_id": MEMBER_RESOURCE,
        "description": "Builtin resource for Stytch member objects",
        "actions": [
            "create",
            "update.info.name",
            "update.info.untrusted-metadata",
            "update.info.mfa-phone",
            "update.info.delete.mfa-phone",
            "update.info.delete.mfa-totp",
            "update.info.delete.password",
            "update.settings.is-breakglass",
            "update.settings.mfa-enrolled",
            "update.settings.default-mfa-method",
            "update.settings.roles",
            "search",
            "delete",
        ],
    },
    {
        "resource_id": "stytch.sso",
        "description": "Builtin resource for Stytch SSO Connection objects",
        "actions": ["create", "get", "update", "delete"],
    },
    {
        "resource_id": SELF_RESOURCE,
        "description": "Builtin resource for the logged-in Stytch member object",
        "actions": [
            "update.info.name",
            "update.info.untrusted-metadata",
            "update.info.mfa-phone",
            "update.info.delete.mfa-phone",
            "update.info.delete.password",
            "update.info.delete.mfa-totp",
            "update.settings.mfa-enrolled",
            "update.settings.default-mfa-method",
            "delete",
        ],
    },
    {
        "resource_id": SCIM_RESOURCE,
        "description": "Builtin resource for Stytch SCIM Connection objects",
        "actions": ["create", "get", "update", "delete"],
    },
)

#: The two default roles: ``stytch_member`` holds ``*`` on ``stytch.self``, ``stytch_admin``
#: ``*`` on the four other default resources; every member also holds ``stytch_member`` (same
#: fixture, whose role descriptions these are).
DEFAULT_ROLES: dict[str, dict[str, list[str]]] = {
    STYTCH_MEMBER: {SELF_RESOURCE: ["*"]},
    STYTCH_ADMIN: {
        ORGANIZATION_RESOURCE: ["*"],
        MEMBER_RESOURCE: ["*"],
        "stytch.sso": ["*"],
        SCIM_RESOURCE: ["*"],
    },
}
DEFAULT_ROLE_DESCRIPTIONS = {
    STYTCH_MEMBER: (
        "Granted to all Members upon creation; grants permissions already implicitly granted "
        "to logged in Members via the SDK. Cannot be deleted."
    ),
    STYTCH_ADMIN: (
        "Granted to Members who create an organization through the Stytch discovery flow. "
        "Admins will also have the stytch_member role. Cannot be deleted."
    ),
}


def _permissions(grants: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [{"resource_id": r, "actions": list(a)} for r, a in grants.items()]


def project_policy(custom_roles: dict[str, dict[str, list[str]]]) -> dict[str, Any]:
    """The project's ``Policy`` (openapi ``api_b2b_rbac_v1_Policy``): the default roles, then
    the project's custom roles (description ``""``); the default resources, then every other
    resource a custom role names, with the actions named for it (decided: the mock has no
    resource registry, so a custom role's grants define its resources). No scopes."""
    roles = [
        {"role_id": r, "description": DEFAULT_ROLE_DESCRIPTIONS[r], "permissions": _permissions(g)}
        for r, g in DEFAULT_ROLES.items()
    ]
    roles += [
        {"role_id": r, "description": "", "permissions": _permissions(g)}
        for r, g in custom_roles.items()
    ]
    resources = [dict(r, actions=list(r["actions"])) for r in DEFAULT_RESOURCES]
    known = {r["resource_id"]: r for r in resources}
    for grants in custom_roles.values():
        for resource_id, actions in grants.items():
            entry = known.get(resource_id)
            if entry is None:
                entry = {"resource_id": resource_id, "description": "", "actions": []}
                known[resource_id] = entry
                resources.append(entry)
            if resource_id.startswith("stytch."):
                continue
            for action in actions:
                if action != "*" and action not in entry["actions"]:
                    entry["actions"].append(action)
    return {"roles": roles, "resources": resources, "scopes": []}


def org_policy(org_fields: dict[str, Any]) -> dict[str, Any]:
    """The organization's ``OrgPolicy``: its ``custom_roles`` (openapi ``api_b2b_rbac_v1_OrgPolicy``)."""
    return {"roles": [dict(r) for r in org_fields.get("custom_roles") or []]}


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


def validate_org_roles(project: dict[str, Any], raw: Any) -> list[dict[str, Any]]:
    """The ``org_policy.roles`` of a Set Org Policy request, checked as stytch-python's
    ``rbac_organizations.validate_org_policy`` checks them (no duplicate role, none the project
    policy defines, only project resources, a non-empty action list, ``*`` alone or not at all,
    only the resource's actions), in Stytch's ``CustomRole`` shape."""
    if not isinstance(raw, dict) or not isinstance(raw.get("roles"), list):
        raise errors.invalid_argument("org_policy.roles must be an array of roles.")
    project_roles = {r["role_id"] for r in project["roles"]}
    resources = {r["resource_id"]: r["actions"] for r in project["resources"]}
    seen: set[str] = set()
    out = []
    for role in raw["roles"]:
        if not isinstance(role, dict):
            raise errors.invalid_rbac_custom_role("Each role must be an object.")
        role_id = role.get("role_id")
        if not isinstance(role_id, str) or not role_id.strip():
            raise errors.empty_rbac_role_id()
        if role_id in DEFAULT_ROLES:
            raise errors.rbac_org_custom_roles_only(role_id)
        if role_id in seen or role_id in project_roles:
            raise errors.rbac_role_duplicate(role_id)
        seen.add(role_id)
        description = role.get("description", "")
        permissions = role.get("permissions")
        if not isinstance(description, str) or not isinstance(permissions, list):
            raise errors.invalid_rbac_custom_role(
                f"Role {role_id!r} needs a string description and a permissions array."
            )
        checked = []
        for permission in permissions:
            resource_id = permission.get("resource_id") if isinstance(permission, dict) else None
            actions = permission.get("actions") if isinstance(permission, dict) else None
            if not isinstance(resource_id, str) or resource_id not in resources:
                raise errors.invalid_rbac_custom_role(
                    f"Resource {resource_id!r} is not defined in the project RBAC policy."
                )
            if not isinstance(actions, list) or not actions:
                raise errors.rbac_permission_missing_actions(role_id, str(resource_id))
            if "*" in actions and len(actions) > 1:
                raise errors.invalid_rbac_custom_role(
                    "A wildcard action must be the only action for a role and resource."
                )
            for action in actions:
                if action != "*" and (
                    not isinstance(action, str) or action not in resources[resource_id]
                ):
                    raise errors.invalid_rbac_custom_role(
                        f"Unknown action {action!r} on resource {resource_id!r}."
                    )
            checked.append({"resource_id": resource_id, "actions": list(actions)})
        out.append({"role_id": role_id, "description": description, "permissions": checked})
    return out
