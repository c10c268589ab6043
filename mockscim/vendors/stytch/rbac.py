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
