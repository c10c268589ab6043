"""Members: the domain operations behind the member routes and the SCIM server, and the member
lifecycle of Stytch's "Supported SCIM actions" table (stytch.com docs b2b/guides/scim/actions
and multi-tenant-auth/enterprise-ready/scim/overview).

Every change to a member goes through one of the functions below, called with the store lock
held after the whole input has been validated. They are the seam where member events
(``organization.member.*`` / ``scim.member.*`` webhooks) would be emitted:

=========================  ==========================================================
``create_member``          API create (Member Provisioned when ``source="scim"``)
``update_member``          API update
``delete_member``          API delete
``reactivate_member``      API reactivate
``scim_user_written``      SCIM POST/PUT/PATCH of a user: provisioned, info updated,
                           deprovisioned (``active: false``) or reactivated
``scim_user_deleted``      SCIM DELETE of a user (Member Deprovisioned)
``scim_group_written``     SCIM group create/update, membership add/remove
``scim_group_deleted``     SCIM group delete
=========================  ==========================================================

Lifecycle rules, with their evidence:

- Deprovisioned (SCIM ``active: false``, SCIM DELETE, API delete): status ``deleted`` (the
  Member ``status`` enum is ``pending``/``invited``/``active``/``deleted`` in stytch-openapi
  ``api_organization_v1_Member``; "deactivated" in the SCIM table is prose for it, and Stytch's
  Admin Portal marks a deactivated member ``deleted``). Every role and session is revoked;
  explicit roles and authentication factors are not restored later (table; Admin Portal copy
  "other authentication factors and Role assignments will not be restored").
- Reactivated: status ``active``; only implicit roles the member still qualifies for return
  (email-domain and SCIM-group grants are computed from current data in ``models``).
- One live member per email per organization: a deleted member's email is free again
  ("A Member's email address can only be useable again by other Members if the Member is
  deleted", openapi members UpdateRequest ``email_address``).
- Retired emails: an API email change retires the old address (``retired_email_addresses``)
  unless ``unlink_email`` is true; no other live member may take a retired address until it is
  unlinked (``retired_member_email``); the member itself may change back to it. The change
  resets ``email_address_verified`` and clears the password ("This will clear any existing
  passwords and require re-verification of the new email address", same field description).
  A SCIM email change does not retire: Stytch names exactly two ways an address is retired,
  "an explicit Member update" and a new email "surfaced by an OAuth, SAML or OIDC provider"
  (openapi ``..._UnlinkRetiredEmail`` description, ``Member.retired_email_addresses``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from mockscim.engine.tokens import random_uuid
from mockscim.vendors.stytch import errors, rbac
from mockscim.vendors.stytch import validation as v
from mockscim.vendors.stytch.state import (
    MEMBER_PREFIX,
    REGISTRATION_PREFIX,
    Member,
    Organization,
    ScimLink,
    StytchState,
)


# ---------------------------------------------------------------- lookups
def find_member(
    state: StytchState,
    org: Organization,
    member_id: str,
    *,
    include_deleted: bool = False,
    allow_external_id: bool = True,
) -> Member:
    """The organization's member by member_id (or its external_id, "usable in most API calls
    where a member_id is expected"). Deleted members are not found unless asked for: the
    lookup operations exclude them, as ``dangerously_get``'s ``include_deleted`` (default
    false) and the search default do."""
    member = state.members.get(member_id)
    if member is not None and member.organization_id != org.organization_id:
        member = None
    if member is None and allow_external_id:
        member = next(
            (
                m
                for m in state.members_of(org.organization_id)
                if m.external_id == member_id and (include_deleted or not m.deleted)
            ),
            None,
        )
    if member is None or (member.deleted and not include_deleted):
        raise errors.member_not_found()
    return member


def email_taken(state: StytchState, org_id: str, email: str, member_id: str | None) -> bool:
    """Whether another live member of the organization has this email."""
    clash = state.member_by_email(org_id, email)
    return clash is not None and clash.member_id != member_id


def check_email_free(state: StytchState, org_id: str, email: str, member_id: str | None) -> None:
    """The API's email checks: no other live member uses it, or has retired it."""
    if email_taken(state, org_id, email, member_id):
        raise errors.duplicate_member_email()
    if state.retired_by_other(org_id, email, member_id):
        raise errors.retired_member_email()


# ---------------------------------------------------------------- API writes
def _roles(state: StytchState, org: Organization, body: dict[str, Any]) -> list[str] | None:
    roles = v.optional_str_list(body, "roles")
    if roles is None:
        return None
    for role_id in roles:
        if role_id == rbac.STYTCH_MEMBER:
            raise errors.cannot_assign_default_rbac_role_id()
        if not rbac.known_role(role_id, state.custom_roles, org.fields):
            raise errors.invalid_rbac_role_id(role_id)
    return list(dict.fromkeys(roles))


def member_fields(
    state: StytchState, org: Organization, body: dict[str, Any], member_id: str | None
) -> dict[str, Any]:
    """The member fields ``body`` sets, validated (nothing is written here)."""
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
        check_email_free(state, org.organization_id, fields["email_address"], member_id)
    if fields.get("external_id"):
        if not v.external_id(fields["external_id"]):
            raise errors.invalid_member_external_id()
        for other in state.members_of(org.organization_id):
            if other.member_id != member_id and other.external_id == fields["external_id"]:
                raise errors.duplicate_member_external_id()
    return fields


def create_member(
    state: StytchState, org: Organization, body: dict[str, Any], now: datetime
) -> Member:
    """API create. ``create_member_as_pending`` makes a ``pending`` member, else ``active``."""
    if body.get("email_address") is None:
        raise errors.invalid_argument("'email_address' is required.")
    pending = v.optional_bool(body, "create_member_as_pending")
    fields = member_fields(state, org, body, None)
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
    """API update; ``roles`` replaces the explicitly assigned roles; a new ``email_address``
    retires the old one (or drops it with ``unlink_email``), needs re-verification and clears the
    password."""
    fields = member_fields(state, org, body, member.member_id)
    unlink = v.optional_bool(body, "unlink_email") or False
    new_email = fields.pop("email_address", None)
    for key, value in fields.items():
        setattr(member, key, value)
    if new_email is not None and new_email.lower() != member.email_address.lower():
        change_email(member, new_email, retire=not unlink)
    member.updated_at = now
    return member


def change_email(member: Member, new_email: str, *, retire: bool) -> None:
    """Make ``new_email`` the member's address; the old one is retired when ``retire``.
    Changing back to a retired address takes it out of the retired list (decided: an address
    is either current or retired)."""
    kept = [r for r in member.retired_emails if r["email_address"].lower() != new_email.lower()]
    if retire and not any(r["email_address"].lower() == member.email_address.lower() for r in kept):
        kept.append(
            {"email_id": f"email-test-{random_uuid()}", "email_address": member.email_address}
        )
    member.retired_emails = kept  # a new list: the member index follows assignments
    member.email_address = new_email
    member.email_address_verified = False
    member.member_password_id = ""


def unlink_retired_email(member: Member, body: dict[str, Any], now: datetime) -> Member:
    """``unlink_retired_email``: drop one retired address, named by ``email_id``,
    ``email_address`` or both (which must then name the same one)."""
    email_id = v.optional_str(body, "email_id") or None
    address = v.optional_str(body, "email_address") or None
    if email_id is None and address is None:
        raise errors.retired_email_missing_email_identifiers()
    for retired in member.retired_emails:
        if (email_id is None or retired["email_id"] == email_id) and (
            address is None or retired["email_address"].lower() == address.lower()
        ):
            member.retired_emails = [r for r in member.retired_emails if r is not retired]
            member.updated_at = now
            return member
    raise errors.email_not_found()


def check_email_update(state: StytchState, member: Member, body: dict[str, Any]) -> str:
    """``start_email_update``: "members must be active and have an active, verified email
    address"; the new address must not be in use or retired by another member (openapi
    ``..._StartEmailUpdate``). The member changes only when the magic link or OTP sent to the
    new address is authenticated, which the mock has no way to do, so nothing is written."""
    if body.get("email_address") is None:
        raise errors.invalid_argument("'email_address' is required.")
    email = v.email(body["email_address"])
    if member.status != "active" or not member.email_address_verified:
        raise errors.email_updates_available_only_for_active_members()
    check_email_free(state, member.organization_id, email, member.member_id)
    return email


def delete_factor(member: Member, factor: str, now: datetime) -> Member:
    """Remove an authentication factor: ``mfa_phone`` (the number and its verification; a
    member without one is left as it is, decided), ``totp`` (``totp_not_found`` without one,
    catalogue) or ``external_id``."""
    if factor == "mfa_phone":
        member.mfa_phone_number = ""
        member.mfa_phone_number_verified = False
    elif factor == "totp":
        if not member.totp_registration_id:
            raise errors.totp_not_found()
        member.totp_registration_id = ""
    elif factor == "external_id":
        member.external_id = None
    member.updated_at = now
    return member


def delete_password(
    state: StytchState, org: Organization, password_id: str, now: datetime
) -> Member:
    """``delete_password`` names the password, not the member: the organization's live member
    holding ``member_password_id``, else ``member_password_not_found`` (catalogue)."""
    for member in state.members_of(org.organization_id):
        if password_id and member.member_password_id == password_id and not member.deleted:
            member.member_password_id = ""
            member.updated_at = now
            return member
    raise errors.member_password_not_found()


def _deprovision(state: StytchState, member: Member, now: datetime) -> None:
    """Status ``deleted``, every explicit role and authentication factor dropped, every session
    revoked. Implicit roles vanish with the status (see ``models.member_roles``)."""
    member.status = "deleted"
    member.roles = []
    member.mfa_phone_number = ""
    member.mfa_enrolled = False
    member.default_mfa_method = ""
    member.updated_at = now
    for session_id in [
        s for s, sess in state.sessions.items() if sess.member_id == member.member_id
    ]:
        del state.sessions[session_id]


def delete_member(state: StytchState, member: Member, now: datetime) -> None:
    """API delete: the member is deactivated (Admin Portal "Deactivate Member"), not erased."""
    _deprovision(state, member, now)


def reactivate_member(state: StytchState, member: Member, now: datetime) -> Member:
    """API reactivate (openapi ``..._members_Reactivate``): only for a deleted member with a
    verified email, whose email no live member has taken meanwhile."""
    if not member.deleted:
        raise errors.no_deleted_member_found_for_reactivation()
    if not member.email_address_verified:
        raise errors.email_unverified_for_reactivation()
    if email_taken(state, member.organization_id, member.email_address, member.member_id):
        raise errors.reactivation_email_belongs_to_another_member()
    member.status = "active"
    member.updated_at = now
    return member


# ---------------------------------------------------------------- SCIM writes
def scim_target(
    state: StytchState, connection_id: str, org_id: str, email: str, scim_user_id: str | None
) -> Member | None:
    """The member a SCIM user write lands on: the member linked to the SCIM user; for a new
    SCIM user the organization's live member with that email (an API-created member is linked,
    not duplicated), else a deleted member with that email that no live SCIM user of this
    connection holds (re-provisioning reactivates it)."""
    if scim_user_id is not None:
        linked = state.member_by_scim_user(connection_id, scim_user_id)
        if linked is not None:
            return linked
    live = state.member_by_email(org_id, email)
    if live is not None:
        return live
    deleted = state.member_by_email(org_id, email, include_deleted=True)
    return deleted


def scim_user_written(
    state: StytchState,
    org_id: str,
    connection_id: str,
    scim_user_id: str,
    data: dict[str, Any],
    email: str,
    name: str,
    now: datetime,
    *,
    is_live_user: Callable[[str], bool],
) -> Member:
    """Apply a SCIM user write to its member: provision, update, deprovision or reactivate.
    The caller (the SCIM policy) has already refused writes that would give two live members
    one email."""
    member = state.member_by_scim_user(connection_id, scim_user_id)
    if member is None:
        member = scim_target(state, connection_id, org_id, email, None)
        if (
            member is not None
            and member.scim is not None
            and member.scim.connection_id == connection_id
            and is_live_user(member.scim.scim_user_id)
            and member.scim.scim_user_id != scim_user_id
        ):
            member = None
    active = data.get("active") is not False
    if member is None:
        member_id = scim_user_id if scim_user_id not in state.members else None
        member = Member(
            member_id=member_id or f"{MEMBER_PREFIX}{random_uuid()}",
            organization_id=org_id,
            email_address=email,
            status="active" if active else "deleted",
            name=name,
            created_at=now,
            updated_at=now,
        )
        state.members[member.member_id] = member
    link = member.scim
    registration_id = (
        link.registration_id
        if link and link.connection_id == connection_id
        else f"{REGISTRATION_PREFIX}{random_uuid()}"
    )
    external_id = data.get("externalId") if isinstance(data.get("externalId"), str) else None
    member.scim = ScimLink(connection_id, registration_id, scim_user_id, external_id, dict(data))
    member.email_address = email
    member.name = name or member.name
    member.updated_at = now
    if not active and not member.deleted:
        _deprovision(state, member, now)
    elif active and member.status != "active":
        # Reactivated (or an invited/pending member claimed by the IdP): explicit roles stay
        # revoked; qualifying implicit roles return by themselves.
        member.status = "active"
    return member


def scim_user_deleted(
    state: StytchState, connection_id: str, scim_user_id: str, now: datetime
) -> Member | None:
    """SCIM DELETE: Member Deprovisioned."""
    member = state.member_by_scim_user(connection_id, scim_user_id)
    if member is not None and not member.deleted:
        _deprovision(state, member, now)
    return member


def scim_group_written(
    state: StytchState, connection_id: str, group_id: str, affected: set[str], now: datetime
) -> None:
    """Group created/updated, members added or removed. The SCIM-group implicit roles are
    derived from membership whenever a member is read or authorized, so nothing is stored;
    this is where ``scim.idp_group.*`` events would be emitted for ``affected`` members."""


def scim_group_deleted(
    state: StytchState, connection_id: str, group_id: str, affected: set[str], now: datetime
) -> None:
    """Group Deleted: its implicit role grants are revoked, so its role assignments go."""
    connection = state.connections.get(connection_id)
    if connection is not None:
        connection.assignments = [a for a in connection.assignments if a.group_id != group_id]
