"""Stytch's control-plane objects: organizations, members, SCIM connections, member sessions.

Everything here is plain data mutated under the store lock. Secrets (SCIM bearer tokens,
member session tokens and JWTs) are kept only as :class:`TokenRecord` digests, so a state
snapshot never holds a usable credential.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockscim.engine.clock import format_instant, parse_instant
from mockscim.engine.tokens import TokenRecord
from mockscim.vendors.stytch.member_index import MemberIndex, member_setattr

ORG_PREFIX = "organization-test-"
MEMBER_PREFIX = "member-test-"
CONNECTION_PREFIX = "scim-connection-test-"
GROUP_PREFIX = "scim-group-test-"
REGISTRATION_PREFIX = "scim-registration-test-"
SESSION_PREFIX = "member-session-test-"


def _instant(value: str | None) -> datetime | None:
    return parse_instant(value) if value else None


@dataclass
class Organization:
    organization_id: str
    # Every settable Organization field (name, slug, external id, policies...), as JSON.
    fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    @property
    def slug(self) -> str:
        return str(self.fields.get("organization_slug") or "")

    @property
    def external_id(self) -> str | None:
        value = self.fields.get("organization_external_id")
        return value if isinstance(value, str) and value else None

    def to_json(self) -> dict[str, Any]:
        return {
            "organization_id": self.organization_id,
            "fields": self.fields,
            "created_at": format_instant(self.created_at),
            "updated_at": format_instant(self.updated_at),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Organization:
        return cls(
            raw["organization_id"],
            dict(raw["fields"]),
            parse_instant(raw["created_at"]),
            parse_instant(raw["updated_at"]),
        )


@dataclass
class ScimLink:
    """A member's SCIM registration: which connection provisioned it, as which SCIM user."""

    connection_id: str
    registration_id: str
    scim_user_id: str
    external_id: str | None
    # The SCIM resource as last written by the IdP (SCIM JSON), for ``scim_attributes``.
    attributes: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ScimLink:
        return cls(**raw)


@dataclass
class Member:
    member_id: str
    organization_id: str
    email_address: str
    status: str
    name: str
    created_at: datetime
    updated_at: datetime
    roles: list[str] = field(default_factory=list)
    external_id: str | None = None
    trusted_metadata: dict[str, Any] = field(default_factory=dict)
    untrusted_metadata: dict[str, Any] = field(default_factory=dict)
    is_breakglass: bool = False
    mfa_enrolled: bool = False
    mfa_phone_number: str = ""
    default_mfa_method: str = ""
    # Stytch verifies an email when the member authenticates with it; the mock has no login,
    # so only seeding sets this (reactivation needs it).
    email_address_verified: bool = False
    scim: ScimLink | None = None
    # Addresses this member gave up in an API email change: ``[{email_id, email_address}]``
    # (openapi ``api_organization_v1_RetiredEmail``). Assign a new list (the index follows it).
    retired_emails: list[dict[str, str]] = field(default_factory=list)
    # Authentication factors the mock cannot create (no password or TOTP login): empty unless a
    # test seeds them, so the delete endpoints have something to remove.
    member_password_id: str = ""
    totp_registration_id: str = ""
    mfa_phone_number_verified: bool = False

    @property
    def deleted(self) -> bool:
        return self.status == "deleted"

    def to_json(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k not in ("scim", "_index_owner")}
        out["created_at"] = format_instant(self.created_at)
        out["updated_at"] = format_instant(self.updated_at)
        out["scim"] = self.scim.to_json() if self.scim else None
        return out

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Member:
        data = dict(raw)
        scim = data.pop("scim", None)
        data["created_at"] = parse_instant(data["created_at"])
        data["updated_at"] = parse_instant(data["updated_at"])
        return cls(**data, scim=ScimLink.from_json(scim) if scim else None)

    __setattr__ = member_setattr  # keeps StytchState.members' lookup index in step


@dataclass
class RoleAssignment:
    role_id: str
    group_id: str


@dataclass
class ScimConnection:
    connection_id: str
    organization_id: str
    display_name: str
    identity_provider: str
    current: TokenRecord
    created_at: datetime
    status: str = "active"
    next: TokenRecord | None = None
    assignments: list[RoleAssignment] = field(default_factory=list)

    @property
    def rotating(self) -> bool:
        return self.next is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "connection_id": self.connection_id,
            "organization_id": self.organization_id,
            "display_name": self.display_name,
            "identity_provider": self.identity_provider,
            "current": self.current.to_json(),
            "next": self.next.to_json() if self.next else None,
            "created_at": format_instant(self.created_at),
            "status": self.status,
            "assignments": [a.__dict__ for a in self.assignments],
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> ScimConnection:
        return cls(
            connection_id=raw["connection_id"],
            organization_id=raw["organization_id"],
            display_name=raw.get("display_name", ""),
            identity_provider=raw.get("identity_provider", "generic"),
            current=TokenRecord.from_json(raw["current"]),
            next=TokenRecord.from_json(raw["next"]) if raw.get("next") else None,
            created_at=parse_instant(raw["created_at"]),
            status=raw.get("status", "active"),
            assignments=[RoleAssignment(**a) for a in raw.get("assignments", [])],
        )


@dataclass
class MemberSession:
    """A member session. Only the session token's digest is kept; session JWTs are not
    stored at all (they are verified by signature, then resolved by the session id they name).
    """

    member_session_id: str
    member_id: str
    organization_id: str
    token: TokenRecord
    started_at: datetime
    last_accessed_at: datetime
    expires_at: datetime
    authentication_factors: list[dict[str, Any]] = field(default_factory=list)
    custom_claims: dict[str, Any] = field(default_factory=dict)

    def live(self, now: datetime) -> bool:
        return now < self.expires_at

    def to_json(self) -> dict[str, Any]:
        return {
            "member_session_id": self.member_session_id,
            "member_id": self.member_id,
            "organization_id": self.organization_id,
            "token": self.token.to_json(),
            "started_at": format_instant(self.started_at),
            "last_accessed_at": format_instant(self.last_accessed_at),
            "expires_at": format_instant(self.expires_at),
            "authentication_factors": self.authentication_factors,
            "custom_claims": self.custom_claims,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> MemberSession:
        token = TokenRecord.from_json(raw["token"])
        # Snapshots written before sessions had their own timestamps carry them on the token.
        started = _instant(raw.get("started_at")) or token.created_at
        expires = _instant(raw.get("expires_at")) or token.expires_at or started
        return cls(
            raw["member_session_id"],
            raw["member_id"],
            raw["organization_id"],
            token,
            started,
            _instant(raw.get("last_accessed_at")) or started,
            expires,
            list(raw.get("authentication_factors") or []),
            dict(raw.get("custom_claims") or {}),
        )


@dataclass
class StytchState:
    organizations: dict[str, Organization] = field(default_factory=dict)
    members: dict[str, Member] = field(default_factory=MemberIndex)
    # Every connection ever created (deleted ones keep status "deleted"), by id.
    connections: dict[str, ScimConnection] = field(default_factory=dict)
    sessions: dict[str, MemberSession] = field(default_factory=dict)
    # Project-level custom RBAC roles: role_id -> {resource_id: [actions]}.
    custom_roles: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    # ------------------------------------------------------------------ lookups
    def find_organization(self, key: str) -> Organization | None:
        """By organization_id, organization_slug or organization_external_id."""
        org = self.organizations.get(key)
        if org is not None:
            return org
        for candidate in self.organizations.values():
            if candidate.slug == key or candidate.external_id == key:
                return candidate
        return None

    def active_connection(self, organization_id: str) -> ScimConnection | None:
        for connection in self.connections.values():
            if connection.organization_id == organization_id and connection.status == "active":
                return connection
        return None

    def members_of(self, organization_id: str) -> list[Member]:
        return [m for m in self.members.values() if m.organization_id == organization_id]

    def member_by_email(
        self, organization_id: str, email: str, *, include_deleted: bool = False
    ) -> Member | None:
        """The organization's live member with this email (at most one: Stytch keeps one
        non-deleted member per email), else with ``include_deleted`` the newest deleted one."""
        wanted = email.lower()
        deleted = None
        for member in self._member_index().all_by_email_address(organization_id, wanted):
            if not member.deleted:
                return member
            if deleted is None or member.updated_at >= deleted.updated_at:
                deleted = member
        return deleted if include_deleted else None

    def member_by_scim_user(self, connection_id: str, scim_user_id: str) -> Member | None:
        return self._member_index().by_scim_user(connection_id, scim_user_id)

    def retired_by_other(self, organization_id: str, email: str, member_id: str | None) -> bool:
        """Whether a live member other than ``member_id`` has retired this email: "A retired
        email address cannot be used by other Members in the same Organization" until it is
        unlinked, and a deleted member's addresses are free (openapi members UpdateRequest
        ``email_address``, ``Member.retired_email_addresses``)."""
        return any(
            m.member_id != member_id and not m.deleted
            for m in self._member_index().all_by_retired_email(organization_id, email)
        )

    def _member_index(self) -> MemberIndex:
        if not isinstance(self.members, MemberIndex):  # a plain dict assigned from outside
            self.members = MemberIndex(self.members)
        return self.members

    # ------------------------------------------------------------------ persistence
    def to_json(self) -> dict[str, Any]:
        return {
            "organizations": [o.to_json() for o in self.organizations.values()],
            "members": [m.to_json() for m in self.members.values()],
            "connections": [c.to_json() for c in self.connections.values()],
            "sessions": [s.to_json() for s in self.sessions.values()],
            "custom_roles": self.custom_roles,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> StytchState:
        state = cls()
        for item in raw.get("organizations", []):
            org = Organization.from_json(item)
            state.organizations[org.organization_id] = org
        for item in raw.get("members", []):
            member = Member.from_json(item)
            state.members[member.member_id] = member
        for item in raw.get("connections", []):
            connection = ScimConnection.from_json(item)
            state.connections[connection.connection_id] = connection
        for item in raw.get("sessions", []):
            session = MemberSession.from_json(item)
            state.sessions[session.member_session_id] = session
        state.custom_roles = {k: dict(v) for k, v in raw.get("custom_roles", {}).items()}
        return state
