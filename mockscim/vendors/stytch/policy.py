"""How Stytch's SCIM server departs from plain RFC 7644: provisioned users are Members.

Hooks run inside the store lock, in the same critical section as the SCIM write, so the
Member a user maps to is never seen out of step with the SCIM record.

- User ids are ``member-test-<uuid>``: a newly provisioned user's SCIM id is the id of the
  Member it creates, so the two can be correlated without a lookup table.
- Group ids are ``scim-group-test-<uuid>``.
- A user maps to a Member of the connection's organization by SCIM link first, then by email
  (an API-created member is linked, a deleted one re-provisioned); see ``members``.
- ``active: false`` and DELETE deprovision the Member (status ``deleted``, roles and sessions
  revoked); ``active`` true again reactivates it (``members.scim_user_written``).
- A write that would give two live members one email is a 409 ``uniqueness`` before anything
  changes (``check_user_write``).
- Implicit roles from ``scim_group_implicit_role_assignments`` are computed from group
  membership whenever a Member is rendered or authorized; a deleted group's assignments are
  dropped with it.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mockscim.engine.tokens import random_uuid
from mockscim.scim import errors
from mockscim.scim.directory import ScimDirectory, ScimRecord
from mockscim.scim.policy import ScimPolicy
from mockscim.vendors.stytch import members, models
from mockscim.vendors.stytch.state import (
    GROUP_PREFIX,
    MEMBER_PREFIX,
    Member,
    ScimConnection,
    StytchState,
)

if TYPE_CHECKING:
    from mockscim.vendors.stytch.webhooks import StytchEvents


def _is_live(directory: ScimDirectory, user_id: str) -> bool:
    """A lookup, not a scan: SCIM writes must not slow down as the directory grows."""
    user = directory.users.get(user_id)
    return user is not None and not user.deleted


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

    def check_user_write(
        self, directory: ScimDirectory, data: dict[str, Any], rid: str | None
    ) -> None:
        """Refuse, before anything changes, a write that would leave two live members of the
        organization with one email ("One active member per email"): SCIM 409 uniqueness."""
        email = email_of(data)
        if not email or "@" not in email:
            raise errors.invalid_value(
                "A Stytch member needs an email address: send 'emails' or an email 'userName'."
            )
        if data.get("active") is False:
            return  # a deleted member holds no email against anyone
        state = self.state
        connection = state.connections.get(directory.id)
        if connection is None:
            return
        org_id = connection.organization_id
        own = state.member_by_scim_user(directory.id, rid) if rid is not None else None
        linked = own or state.member_by_email(org_id, email)
        if state.retired_by_other(org_id, email, linked.member_id if linked else None):
            # "A retired email address cannot be used by other Members in the same
            # Organization" (openapi Member.retired_email_addresses).
            raise errors.uniqueness(f"Email '{email}' was retired by another member.")
        clash = state.member_by_email(org_id, email)
        if clash is None:
            return
        if own is not None:
            if clash.member_id != own.member_id:
                raise errors.uniqueness(
                    f"Email '{email}' already belongs to another member of the organization."
                )
            return
        # A new SCIM user: it links to the live member with this email unless another live
        # SCIM user of this connection already holds that member.
        link = clash.scim
        if link is not None and link.connection_id == directory.id:
            other = directory.users.get(link.scim_user_id)
            if other is not None and not other.deleted and link.scim_user_id != rid:
                raise errors.uniqueness(f"Email '{email}' already belongs to another SCIM user.")

    def _connection(self, directory: ScimDirectory) -> ScimConnection | None:
        return self.state.connections.get(directory.id)

    def _observed(
        self, member: Member | None, directory: ScimDirectory
    ) -> tuple[datetime, str] | None:
        """(updated_at, everything else a read shows) of ``member``, to tell a write that
        changed nothing from one that did."""
        if member is None:
            return None
        shown = models.member(member, self.state, {directory.id: directory})
        shown.pop("updated_at", None)
        return member.updated_at, json.dumps(shown, sort_keys=True)

    def user_written(self, directory: ScimDirectory, record: ScimRecord, created: bool) -> None:
        connection = self._connection(directory)
        if connection is None:
            return
        email = email_of(record.data) or ""
        before = members.scim_target(
            self.state, directory.id, connection.organization_id, email, record.id
        )
        status_before = before.status if before is not None else None  # webhook
        seen = self._observed(before, directory)  # webhook: an unchanged Member sends no update
        member = members.scim_user_written(
            self.state,
            connection.organization_id,
            directory.id,
            record.id,
            record.data,
            email,
            name_of(record.data),
            self.now,
            is_live_user=lambda rid: _is_live(directory, rid),
        )
        after = self._observed(member, directory)
        if seen is not None and after is not None and seen[1] == after[1]:
            member.updated_at = seen[0]  # nothing changed: not even the update time
        elif self.events is not None:  # webhook: scim.member.create|update|delete
            self.events.scim_member_written(member, status_before)

    def user_deleted(self, directory: ScimDirectory, record: ScimRecord) -> None:
        before = self.state.member_by_scim_user(directory.id, record.id)
        status_before = before.status if before is not None else None  # webhook
        member = members.scim_user_deleted(self.state, directory.id, record.id, self.now)
        if member is not None and status_before is not None and self.events is not None:
            self.events.scim_member_deleted(member, status_before)  # webhook: scim.member.delete

    def group_written(
        self, directory: ScimDirectory, record: ScimRecord, created: bool, affected: set[str]
    ) -> None:
        members.scim_group_written(self.state, directory.id, record.id, affected, self.now)
        if self.events is not None:  # webhook: scim.idp_group.* (create/update/member_*)
            self.events.scim_group_written(directory.id, record, created, affected)

    def group_deleted(
        self, directory: ScimDirectory, record: ScimRecord, affected: set[str]
    ) -> None:
        members.scim_group_deleted(self.state, directory.id, record.id, affected, self.now)
        if self._connection(directory) is not None and self.events is not None:
            self.events.scim_group_deleted(directory.id, record)  # webhook: scim.idp_group.delete
