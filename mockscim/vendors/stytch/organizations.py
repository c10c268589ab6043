"""Organizations and members: the domain operations behind the Stytch routes.

Every function validates its whole input before the first mutation and is called with the
store lock held, so a failed request leaves state exactly as it was.
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
    MEMBER_PREFIX,
    ORG_PREFIX,
    Member,
    Organization,
    StytchState,
)

_POLICY = {"ALL_ALLOWED", "RESTRICTED", "NOT_ALLOWED"}
_ENUMS: dict[str, set[str]] = {
    "sso_jit_provisioning": _POLICY,
    "email_jit_provisioning": _POLICY,
    "email_invites": _POLICY,
    "auth_methods": {"ALL_ALLOWED", "RESTRICTED"},
    "mfa_methods": {"ALL_ALLOWED", "RESTRICTED"},
    "mfa_policy": {"OPTIONAL", "REQUIRED_FOR_ALL"},
    "oauth_tenant_jit_provisioning": _POLICY,
    "first_party_connected_apps_allowed_type": _POLICY,
    "third_party_connected_apps_allowed_type": _POLICY,
}
_NULLABLE_STR = {"organization_external_id", "sso_default_connection_id"}


# ---------------------------------------------------------------- organizations
def resolve(state: StytchState, key: str) -> Organization:
    org = state.find_organization(key)
    if org is None:
        raise errors.organization_not_found()
    return org


def _org_fields(body: dict[str, Any]) -> dict[str, Any]:
    """The settable fields present in ``body``, type-checked against Stytch's defaults."""
    out: dict[str, Any] = {}
    for key, default in models.ORGANIZATION_DEFAULTS.items():
        if key not in body or body[key] is None:
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
            if key not in ("rbac_email_implicit_role_assignments", "custom_roles") and not all(
                isinstance(x, str) for x in value
            ):
                raise errors.invalid_argument(f"'{key}' must be an array of strings.")
            if key in ("rbac_email_implicit_role_assignments", "custom_roles") and not all(
                isinstance(x, dict) for x in value
            ):
                raise errors.invalid_argument(f"'{key}' must be an array of objects.")
        elif isinstance(default, dict) and not isinstance(value, dict):
            raise errors.invalid_argument(f"'{key}' must be an object.")
        out[key] = value
    return out


def _check_identity(state: StytchState, fields: dict[str, Any], org_id: str | None) -> None:
    if "organization_name" in fields and not fields["organization_name"].strip():
        raise errors.StytchError(
            400, "organization_name_missing", "organization_name must not be empty."
        )
    slug = fields.get("organization_slug")
    if slug is not None:
        if not v.SLUG.match(slug):
            raise errors.StytchError(
                400,
                "invalid_organization_slug",
                "organization_slug must be 2-128 characters of letters, digits, '-._~'.",
            )
        for other in state.organizations.values():
            if other.organization_id != org_id and other.slug == slug:
                raise errors.organization_slug_already_used()
    external = fields.get("organization_external_id")
    if external:
        for other in state.organizations.values():
            if other.organization_id != org_id and other.external_id == external:
                raise errors.duplicate_organization_external_id()


def _slug_from(name: str) -> str:
    slug = re.sub(r"[^a-z0-9\-._~]+", "-", name.lower()).strip("-")
    return (slug or "org")[:100]


def create_organization(state: StytchState, body: dict[str, Any], now: datetime) -> Organization:
    if not isinstance(body.get("organization_name"), str) or not body["organization_name"].strip():
        raise errors.StytchError(400, "organization_name_missing", "organization_name is required.")
    fields = _org_fields(body)
    if "organization_slug" not in fields:
        base = _slug_from(fields["organization_name"])
        slug, n = base, 1
        while any(o.slug == slug for o in state.organizations.values()):
            n += 1
            slug = f"{base}-{n}"
        fields["organization_slug"] = slug
    _check_identity(state, fields, None)
    org = Organization(f"{ORG_PREFIX}{random_uuid()}", fields, now, now)
    state.organizations[org.organization_id] = org
    return org


def update_organization(
    state: StytchState, org: Organization, body: dict[str, Any], now: datetime
) -> Organization:
    fields = _org_fields(body)
    _check_identity(state, fields, org.organization_id)
    org.fields.update(fields)
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


def _operands(body: dict[str, Any], kind: str) -> tuple[str, list[tuple[str, Any]]]:
    query = body.get("query")
    if query is None:
        return "AND", []
    if not isinstance(query, dict):
        raise errors.invalid_argument("'query' must be an object.")
    operator = query.get("operator", "AND")
    if operator not in ("AND", "OR"):
        raise errors.invalid_argument("'query.operator' must be AND or OR.")
    operands = query.get("operands")
    if operands is None:
        operands = []
    if not isinstance(operands, list):
        raise errors.invalid_argument("'query.operands' must be an array.")
    out = []
    for operand in operands:
        if not isinstance(operand, dict) or not isinstance(operand.get("filter_name"), str):
            raise errors.StytchError(
                400, f"{kind}_search_filter_name_must_be_string", "filter_name must be a string."
            )
        if "filter_value" not in operand:
            raise errors.StytchError(
                400, f"{kind}_search_missing_filter_value", "filter_value is required."
            )
        out.append((operand["filter_name"], operand["filter_value"]))
    return operator, out


def _combine(operator: str, results: list[bool]) -> bool:
    if not results:
        return True
    return all(results) if operator == "AND" else any(results)


def _as_list(value: Any, name: str, kind: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise errors.StytchError(
            400, f"{kind}_search_expected_array_of_strings", f"{name} expects an array of strings."
        )
    return value


def _as_str(value: Any, name: str, kind: str) -> str:
    if not isinstance(value, str):
        raise errors.StytchError(400, f"{kind}_search_expected_string", f"{name} expects a string.")
    return value


def search_organizations(
    state: StytchState, body: dict[str, Any]
) -> tuple[list[Organization], int, str | None]:
    offset, limit = v.page(body.get("cursor"), body.get("limit"))
    operator, operands = _operands(body, "organization")
    tests = []
    for name, value in operands:
        if name == "organization_ids":
            ids = set(_as_list(value, name, "organization"))
            tests.append(lambda o, ids=ids: o.organization_id in ids)
        elif name == "organization_slugs":
            slugs = set(_as_list(value, name, "organization"))
            tests.append(lambda o, slugs=slugs: o.slug in slugs)
        elif name == "organization_external_ids":
            ext = set(_as_list(value, name, "organization"))
            tests.append(lambda o, ext=ext: o.external_id in ext)
        elif name == "organization_name_fuzzy":
            text = _as_str(value, name, "organization").lower()
            tests.append(lambda o, t=text: t in str(o.fields.get("organization_name", "")).lower())
        elif name == "organization_slug_fuzzy":
            text = _as_str(value, name, "organization").lower()
            tests.append(lambda o, t=text: t in o.slug.lower())
        elif name == "member_emails":
            emails = {e.lower() for e in _as_list(value, name, "organization")}
            tests.append(
                lambda o, emails=emails: any(
                    m.email_address.lower() in emails and m.status != "deleted"
                    for m in state.members_of(o.organization_id)
                )
            )
        else:
            raise errors.StytchError(
                400,
                "organization_search_filter_name_not_recognized",
                f"filter_name '{name}' is not recognized.",
            )
    matched = [o for o in state.organizations.values() if _combine(operator, [t(o) for t in tests])]
    chunk, next_cursor = v.paginate(matched, offset, limit)
    return chunk, len(matched), next_cursor


# ---------------------------------------------------------------- members
def find_member(
    state: StytchState, org: Organization, member_id: str, *, include_deleted: bool = False
) -> Member:
    member = state.members.get(member_id)
    if member is None or member.organization_id != org.organization_id:
        # A member may also be addressed by its external_id.
        member = next(
            (m for m in state.members_of(org.organization_id) if m.external_id == member_id), None
        )
    if member is None or (member.status == "deleted" and not include_deleted):
        raise errors.member_not_found()
    return member


def _roles(state: StytchState, org: Organization, body: dict[str, Any]) -> list[str] | None:
    roles = v.optional_str_list(body, "roles")
    if roles is None:
        return None
    for role_id in roles:
        if role_id == rbac.STYTCH_MEMBER:
            raise errors.StytchError(
                400,
                "cannot_assign_default_rbac_role_id",
                "stytch_member is granted to every member and cannot be assigned.",
            )
        if not rbac.known_role(role_id, state.custom_roles, org.fields):
            raise errors.invalid_rbac_role_id(role_id)
    return list(dict.fromkeys(roles))


def _member_fields(
    state: StytchState, org: Organization, body: dict[str, Any], member_id: str | None
) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for key in ("name", "mfa_phone_number", "default_mfa_method", "external_id"):
        value = v.optional_str(body, key)
        if value is not None:
            fields[key] = value
    for key in ("is_breakglass", "mfa_enrolled"):
        value = v.optional_bool(body, key)
        if value is not None:
            fields[key] = value
    for key in ("trusted_metadata", "untrusted_metadata"):
        value = v.optional_dict(body, key)
        if value is not None:
            fields[key] = value
    roles = _roles(state, org, body)
    if roles is not None:
        fields["roles"] = roles
    if body.get("email_address") is not None:
        fields["email_address"] = v.email(body["email_address"])
        clash = state.member_by_email(org.organization_id, fields["email_address"])
        if clash is not None and clash.member_id != member_id:
            raise errors.duplicate_member_email()
    if fields.get("external_id"):
        for other in state.members_of(org.organization_id):
            if other.member_id != member_id and other.external_id == fields["external_id"]:
                raise errors.duplicate_member_external_id()
    return fields


def create_member(
    state: StytchState, org: Organization, body: dict[str, Any], now: datetime
) -> Member:
    if body.get("email_address") is None:
        raise errors.invalid_argument("'email_address' is required.")
    pending = v.optional_bool(body, "create_member_as_pending")
    fields = _member_fields(state, org, body, None)
    member = Member(
        member_id=f"{MEMBER_PREFIX}{random_uuid()}",
        organization_id=org.organization_id,
        email_address=fields.pop("email_address"),
        status="pending" if pending else "active",
        name=fields.pop("name", ""),
        created_at=now,
        updated_at=now,
    )
    for key, value in fields.items():
        setattr(member, key, value)
    state.members[member.member_id] = member
    return member


def update_member(
    state: StytchState, org: Organization, member: Member, body: dict[str, Any], now: datetime
) -> Member:
    fields = _member_fields(state, org, body, member.member_id)
    for key, value in fields.items():
        setattr(member, key, value)
    member.updated_at = now
    return member


def delete_member(state: StytchState, member: Member, now: datetime) -> None:
    member.status = "deleted"
    member.updated_at = now
    for session_id in [
        s for s, sess in state.sessions.items() if sess.member_id == member.member_id
    ]:
        del state.sessions[session_id]


def reactivate_member(state: StytchState, member: Member, now: datetime) -> Member:
    if member.status != "deleted":
        raise errors.StytchError(
            400,
            "no_deleted_member_found_for_reactivation",
            "The member is not deleted, so it cannot be reactivated.",
        )
    member.status = "active"
    member.updated_at = now
    return member


def search_members(
    state: StytchState, directories: dict[str, ScimDirectory], body: dict[str, Any]
) -> tuple[list[Member], int, str | None, dict[str, Organization]]:
    org_keys = body.get("organization_ids")
    if not isinstance(org_keys, list) or not org_keys:
        raise errors.StytchError(
            400, "member_search_organization_ids_empty", "organization_ids must not be empty."
        )
    orgs = {}
    for key in _as_list(org_keys, "organization_ids", "member"):
        org = resolve(state, key)
        orgs[org.organization_id] = org
    offset, limit = v.page(body.get("cursor"), body.get("limit"))
    operator, operands = _operands(body, "member")
    tests = []
    status_filtered = False
    for name, value in operands:
        if name == "member_ids":
            ids = set(_as_list(value, name, "member"))
            tests.append(lambda m, ids=ids: m.member_id in ids)
        elif name == "member_emails":
            emails = {e.lower() for e in _as_list(value, name, "member")}
            tests.append(lambda m, emails=emails: m.email_address.lower() in emails)
        elif name == "member_email_fuzzy":
            text = _as_str(value, name, "member").lower()
            tests.append(lambda m, t=text: t in m.email_address.lower())
        elif name == "member_external_ids":
            ext = set(_as_list(value, name, "member"))
            tests.append(lambda m, ext=ext: m.external_id in ext)
        elif name == "statuses":
            statuses = set(_as_list(value, name, "member"))
            status_filtered = True
            tests.append(lambda m, s=statuses: m.status in s)
        elif name == "member_roles":
            wanted = set(_as_list(value, name, "member"))
            tests.append(
                lambda m, w=wanted: bool(
                    w & {r["role_id"] for r in models.member_roles(m, state, directories)}
                )
            )
        elif name == "member_is_breakglass":
            if not isinstance(value, bool):
                raise errors.StytchError(
                    400, "member_search_expected_boolean", f"{name} expects a boolean."
                )
            tests.append(lambda m, b=value: m.is_breakglass is b)
        else:
            raise errors.StytchError(
                400,
                "member_search_filter_name_not_recognized",
                f"filter_name '{name}' is not recognized.",
            )
    matched = []
    for member in state.members.values():
        if member.organization_id not in orgs:
            continue
        if member.status == "deleted" and not status_filtered:
            continue
        if _combine(operator, [t(member) for t in tests]):
            matched.append(member)
    chunk, next_cursor = v.paginate(matched, offset, limit)
    return chunk, len(matched), next_cursor, orgs
