"""How Stytch's SCIM server departs from plain RFC 7644: provisioned users are Members.

Hooks run inside the store lock, in the same critical section as the SCIM write, so the
Member a user maps to is never seen out of step with the SCIM record.

- User ids are ``member-test-<uuid>``: a newly provisioned user's SCIM id is the id of the
  Member it creates, so the two can be correlated without a lookup table.
- Group ids are ``scim-group-test-<uuid>``.
- A user maps to a Member of the connection's organization by SCIM link first, then by email
  (so re-provisioning a deleted user reactivates the same Member).
- ``active: false`` and DELETE set the Member's status to ``deleted``; a write with ``active``
  true (or absent) sets it back to ``active``.
- Implicit roles from ``scim_group_implicit_role_assignments`` are computed from group
  membership whenever a Member is rendered or authorized, so group writes need no extra
  bookkeeping; a deleted group's assignments are dropped with it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from mockscim.engine.tokens import random_uuid
from mockscim.scim import errors
from mockscim.scim.directory import ScimDirectory, ScimRecord
from mockscim.scim.policy import ScimPolicy
from mockscim.vendors.stytch.state import (
    GROUP_PREFIX,
    MEMBER_PREFIX,
    REGISTRATION_PREFIX,
    Member,
    ScimLink,
    StytchState,
)

if TYPE_CHECKING:
    from mockscim.vendors.stytch.webhooks import StytchEvents


def email_of(data: dict[str, Any]) -> str | None:
    """The member email a SCIM user carries: the primary (else first) email, else userName."""
    emails = [e for e in data.get("emails") or [] if isinstance(e, dict) and e.get("value")]
    primary = [e for e in emails if e.get("primary") is True]
    chosen = (primary or emails or [None])[0]
    if chosen is not None:
        return str(chosen["value"]).strip()
    user_name = data.get("userName")
    if isinstance(user_name, str) and "@" in user_name:
        return user_name.strip()
    return None


def name_of(data: dict[str, Any]) -> str:
    if isinstance(data.get("displayName"), str) and data["displayName"]:
        return data["displayName"]
    name = data.get("name") if isinstance(data.get("name"), dict) else {}
    if isinstance(name.get("formatted"), str) and name["formatted"]:
        return name["formatted"]
    parts = [name.get("givenName"), name.get("familyName")]
    return " ".join(p for p in parts if isinstance(p, str) and p)


class StytchScimPolicy(ScimPolicy):
    vendor = "stytch"

    def __init__(
        self,
        state: StytchState | None = None,
        now: datetime | None = None,
        events: StytchEvents | None = None,
    ) -> None:
        self._state = state
        self._now = now
        self.events = events  # webhook: scim.* events (None: emit nothing)

    @property
    def state(self) -> StytchState:
        if self._state is None:
            raise RuntimeError("this policy is not bound to a request")
        return self._state

    @property
    def now(self) -> datetime:
        if self._now is None:
            raise RuntimeError("this policy is not bound to a request")
        return self._now

    def new_id(self, kind: str) -> str:
        prefix = MEMBER_PREFIX if kind == "User" else GROUP_PREFIX
        return f"{prefix}{random_uuid()}"

    def check_user(self, directory: ScimDirectory, data: dict[str, Any]) -> None:
        email = email_of(data)
        if not email or "@" not in email:
            raise errors.invalid_value(
                "A Stytch member needs an email address: send 'emails' or an email 'userName'."
            )
        state = self.state
        connection = state.connections.get(directory.id)
        if connection is None:
            return
        member = state.member_by_email(connection.organization_id, email)
        if member is None or member.scim is None or member.scim.connection_id != directory.id:
            return
        other = directory.users.get(member.scim.scim_user_id)
        if other is None or other.deleted:
            return
        same_name = str(other.data.get("userName", "")).lower() == str(data["userName"]).lower()
        same_external = data.get("externalId") is not None and other.data.get(
            "externalId"
        ) == data.get("externalId")
        if not (same_name or same_external):
            raise errors.uniqueness(f"Email '{email}' already belongs to another SCIM user.")

    def user_written(self, directory: ScimDirectory, record: ScimRecord, created: bool) -> None:
        state = self.state
        connection = state.connections.get(directory.id)
        if connection is None:
            return
        now = self.now
        data = record.data
        email = email_of(data) or ""
        member = state.member_by_scim_user(directory.id, record.id) or state.member_by_email(
            connection.organization_id, email
        )
        status_before = member.status if member is not None else None  # webhook
        if member is None:
            member_id = record.id if record.id not in state.members else self.new_id("User")
            member = Member(
                member_id=member_id,
                organization_id=connection.organization_id,
                email_address=email,
                status="active",
                name="",
                created_at=now,
                updated_at=now,
            )
            state.members[member_id] = member
        link = member.scim
        registration_id = (
            link.registration_id
            if link and link.connection_id == directory.id
            else f"{REGISTRATION_PREFIX}{random_uuid()}"
        )
        external_id = data.get("externalId") if isinstance(data.get("externalId"), str) else None
        member.scim = ScimLink(directory.id, registration_id, record.id, external_id, dict(data))
        member.email_address = email
        member.name = name_of(data) or member.name
        member.status = "deleted" if data.get("active") is False else "active"
        member.updated_at = now
        if self.events is not None:  # webhook: scim.member.create|update|delete
            self.events.scim_member_written(member, status_before)

    def user_deleted(self, directory: ScimDirectory, record: ScimRecord) -> None:
        member = self.state.member_by_scim_user(directory.id, record.id)
        if member is not None:
            status_before = member.status  # webhook
            member.status = "deleted"
            member.updated_at = self.now
            if self.events is not None:  # webhook: scim.member.delete
                self.events.scim_member_deleted(member, status_before)

    def group_written(
        self, directory: ScimDirectory, record: ScimRecord, created: bool, affected: set[str]
    ) -> None:
        if self.events is not None:  # webhook: scim.idp_group.* (create/update/member_*)
            self.events.scim_group_written(directory.id, record, created, affected)

    def group_deleted(
        self, directory: ScimDirectory, record: ScimRecord, affected: set[str]
    ) -> None:
        connection = self.state.connections.get(directory.id)
        if connection is not None:
            connection.assignments = [a for a in connection.assignments if a.group_id != record.id]
            if self.events is not None:  # webhook: scim.idp_group.delete
                self.events.scim_group_deleted(directory.id, record)
