"""SSOReady's control-plane objects: organizations and SCIM directories (with their token).

Plain data mutated under the store lock. A directory's bearer token is kept only as a
:class:`TokenRecord` (SHA-256 digest + last four), exactly as SSOReady stores only the hash;
``token`` is None until the first rotation. Users and groups live in the shared
:class:`~mockscim.scim.directory.ScimDirectory` of the same id.

SSOReady never deletes organizations or directories, and SCIM deletes are soft, so every
collection here is append-only in insertion order: an offset is a stable page position.
"""

from __future__ import annotations

import base64
import binascii
import json
import string
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mockscim.engine import jsontext
from mockscim.engine.clock import format_instant, parse_instant
from mockscim.engine.tokens import ISSUED, TokenRecord, base36_uuid
from mockscim.vendors.ssoready import errors

#: prettyuuid writes a 128-bit UUID as 25 base-36 digits (36**25 > 2**128), zero-padded.
ID_DIGITS = 25
_BASE36 = string.digits + string.ascii_lowercase

ORG_PREFIX = "org_"
DIRECTORY_PREFIX = "scim_directory_"
USER_PREFIX = "scim_user_"
GROUP_PREFIX = "scim_group_"
REQUEST_PREFIX = "scim_request_"
ENV_PREFIX = "env_"
TOKEN_PREFIX = "ssoready_scim_bearer_token_"
SAML_CONNECTION_PREFIX = "saml_conn_"
SAML_FLOW_PREFIX = "saml_flow_"
SAML_ACCESS_CODE_PREFIX = "saml_access_code_"
ONE_TIME_TOKEN_PREFIX = "ssoready_one_time_token_"


def new_id(prefix: str) -> str:
    """``prefix`` + a random UUID in base 36, SSOReady's visible id format."""
    return prefix + base36_uuid().rjust(ID_DIGITS, "0")


def go_quote(text: str) -> str:
    """Go's ``%q`` of a string, for the (mostly ASCII) texts error messages quote."""
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    out = out.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{out}"'


def id_error(prefix: str, value: str) -> str | None:
    """prettyuuid's ``Parse`` error for ``value`` as an id with ``prefix``, or None when it
    parses (ssoready/prettyuuid ``Format.Parse``: prefix, then length, then alphabet)."""
    if not value.startswith(prefix):
        return f"{go_quote(value)} does not have expected prefix {go_quote(prefix)}"
    if len(value) != len(prefix) + ID_DIGITS:
        return f"{go_quote(value)} does not have expected length {len(prefix) + ID_DIGITS}"
    for i in range(len(prefix), len(value)):
        if value[i] not in _BASE36:
            return f"{go_quote(value)} contains illegal char at position {i}"
    return None


def base36(value: int) -> str:
    out = []
    while value:
        value, rem = divmod(value, 36)
        out.append(_BASE36[rem])
    return "".join(reversed(out)).rjust(ID_DIGITS, "0")


@dataclass
class Organization:
    id: str
    display_name: str
    external_id: str
    domains: list[str]
    created_at: datetime

    def allows(self, email_domain: str) -> bool:
        return any(email_domain == d.lower() for d in self.domains)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "display_name": self.display_name,
            "external_id": self.external_id,
            "domains": list(self.domains),
            "created_at": format_instant(self.created_at),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Organization:
        return cls(
            raw["id"],
            raw.get("display_name", ""),
            raw.get("external_id", ""),
            list(raw.get("domains", [])),
            parse_instant(raw["created_at"]),
        )


@dataclass
class DirectoryRecord:
    """A SCIM directory as SSOReady's management API knows it (organization, primary flag,
    bearer token digest). Its users and groups are the SCIM core's ``ScimDirectory`` of the
    same id; the IdP simulator's ``mockscim.idp.Directory`` is the IdP's side."""

    id: str
    organization_id: str
    primary: bool
    created_at: datetime
    token: TokenRecord | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "organization_id": self.organization_id,
            "primary": self.primary,
            "created_at": format_instant(self.created_at),
            "token": self.token.to_json() if self.token else None,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> DirectoryRecord:
        token = raw.get("token")
        return cls(
            raw["id"],
            raw["organization_id"],
            bool(raw.get("primary", False)),
            parse_instant(raw["created_at"]),
            TokenRecord.from_json(token) if token else None,
        )


@dataclass
class SAMLConnection:
    """A SAML connection as store/saml_connections_mgmt.go keeps it: the IdP fields as sent
    (the certificate re-encoded as PEM), the SP fields derived from the id at creation."""

    id: str
    organization_id: str
    primary: bool
    idp_redirect_url: str
    idp_entity_id: str
    idp_certificate: str
    sp_entity_id: str
    sp_acs_url: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "organization_id": self.organization_id,
            "primary": self.primary,
            "idp_redirect_url": self.idp_redirect_url,
            "idp_entity_id": self.idp_entity_id,
            "idp_certificate": self.idp_certificate,
            "sp_entity_id": self.sp_entity_id,
            "sp_acs_url": self.sp_acs_url,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> SAMLConnection:
        return cls(
            str(raw["id"]),
            str(raw["organization_id"]),
            bool(raw.get("primary", False)),
            str(raw.get("idp_redirect_url", "")),
            str(raw.get("idp_entity_id", "")),
            str(raw.get("idp_certificate", "")),
            str(raw.get("sp_entity_id", "")),
            str(raw.get("sp_acs_url", "")),
        )


@dataclass
class SAMLFlow:
    """One SAML login (``saml_flows``): created by ``GetSAMLRedirectURL`` or by an
    IdP-initiated login; ``access_code`` is the SHA-256 digest of the access code the login
    page hands out, cleared when it is redeemed."""

    id: str
    connection_id: str
    state: str
    expires_at: datetime
    email: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    access_code: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "connection_id": self.connection_id,
            "state": self.state,
            "expires_at": format_instant(self.expires_at),
            "email": self.email,
            "attributes": dict(self.attributes),
            "access_code_digest": self.access_code,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> SAMLFlow:
        digest = raw.get("access_code_digest")
        if digest:
            ISSUED.remember(str(digest))
        return cls(
            str(raw["id"]),
            str(raw["connection_id"]),
            str(raw.get("state", "")),
            parse_instant(str(raw["expires_at"])),
            str(raw.get("email", "")),
            {str(k): str(v) for k, v in dict(raw.get("attributes") or {}).items()},
            str(digest) if digest else None,
        )


@dataclass
class AdminAccessToken:
    """A setup URL's ``admin_access_tokens`` row: the one-time token's digest (cleared when
    the setup page redeems it) and then the admin session's digest, both valid until
    ``expires_at`` (store/admin_mgmt.go ``CreateSetupURL``: 24 hours)."""

    organization_id: str
    can_manage_saml: bool
    can_manage_scim: bool
    expires_at: datetime
    one_time_token: str | None = None
    session_token: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "organization_id": self.organization_id,
            "can_manage_saml": self.can_manage_saml,
            "can_manage_scim": self.can_manage_scim,
            "expires_at": format_instant(self.expires_at),
            "one_time_token_digest": self.one_time_token,
            "session_token_digest": self.session_token,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> AdminAccessToken:
        one_time, session = raw.get("one_time_token_digest"), raw.get("session_token_digest")
        for known in (one_time, session):
            if known:
                ISSUED.remember(str(known))
        return cls(
            str(raw["organization_id"]),
            bool(raw.get("can_manage_saml")),
            bool(raw.get("can_manage_scim")),
            parse_instant(str(raw["expires_at"])),
            str(one_time) if one_time else None,
            str(session) if session else None,
        )


@dataclass
class SSOReadyState:
    organizations: dict[str, Organization] = field(default_factory=dict)
    directories: dict[str, DirectoryRecord] = field(default_factory=dict)
    #: Users whose last PUT/PATCH said ``active: false``: SSOReady stores that as
    #: ``deleted: true`` (scim.go: ``Deleted: !active``); a POST (upsert) clears it.
    inactive_users: set[str] = field(default_factory=set)
    #: ``exact`` profile: the columns SSOReady keeps beside a resource's attributes, which
    #: PATCH and upserts move independently of them. ``scim_users.email`` (user id ->
    #: (directory id, email)), ``scim_groups.display_name`` (group id -> name) and the
    #: ``scim_user_group_memberships`` relation (group id -> member user ids, insertion order).
    user_emails: dict[str, tuple[str, str]] = field(default_factory=dict)
    group_names: dict[str, str] = field(default_factory=dict)
    memberships: dict[str, list[str]] = field(default_factory=dict)
    #: Derived from ``user_emails``: (directory id, email) -> user id, the unique key the
    #: real upsert conflicts on (case-sensitive).
    _by_email: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    saml_connections: dict[str, SAMLConnection] = field(default_factory=dict)
    #: Logins in progress and setup links (their secrets as digests only), kept in snapshots
    #: so that seeding more data (a merge through a snapshot) does not drop them.
    saml_flows: dict[str, SAMLFlow] = field(default_factory=dict)
    admin_tokens: list[AdminAccessToken] = field(default_factory=list)
    #: The environment's redirect URL, where a SAML login lands with its access code
    #: (``PUT /_mockscim/ssoready/environment``).
    redirect_url: str = ""

    # ------------------------------------------------------------------ exact columns
    def user_by_email(self, directory_id: str, email: str) -> str | None:
        return self._by_email.get((directory_id, email))

    def set_email(self, user_id: str, directory_id: str, email: str) -> None:
        old = self.user_emails.get(user_id)
        if old is not None:
            self._by_email.pop(old, None)
        self.user_emails[user_id] = (directory_id, email)
        self._by_email[(directory_id, email)] = user_id

    def email_of(self, user_id: str) -> str | None:
        found = self.user_emails.get(user_id)
        return found[1] if found else None

    # ------------------------------------------------------------------ lookups
    def org_by_external_id(self, external_id: str) -> Organization | None:
        for org in self.organizations.values():
            if org.external_id and org.external_id == external_id:
                return org
        return None

    def primary_directory(self, org_id: str) -> DirectoryRecord | None:
        for directory in self.directories.values():
            if directory.organization_id == org_id and directory.primary:
                return directory
        return None

    def directories_of(self, org_id: str) -> list[DirectoryRecord]:
        return [d for d in self.directories.values() if d.organization_id == org_id]

    def make_primary(self, directory: DirectoryRecord) -> None:
        """At most one primary directory per organization (UpdatePrimarySCIMDirectory)."""
        for other in self.directories_of(directory.organization_id):
            other.primary = other.id == directory.id

    # ------------------------------------------------------------------ persistence
    def to_json(self) -> dict[str, Any]:
        return {
            "organizations": [o.to_json() for o in self.organizations.values()],
            "directories": [d.to_json() for d in self.directories.values()],
            "inactive_users": sorted(self.inactive_users),
            "user_emails": {k: list(v) for k, v in self.user_emails.items()},
            "group_names": dict(self.group_names),
            "memberships": {k: list(v) for k, v in self.memberships.items()},
            "saml_connections": [c.to_json() for c in self.saml_connections.values()],
            "saml_flows": [f.to_json() for f in self.saml_flows.values()],
            "admin_tokens": [t.to_json() for t in self.admin_tokens],
            "redirect_url": self.redirect_url,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> SSOReadyState:
        state = cls()
        for item in raw.get("organizations", []):
            org = Organization.from_json(item)
            state.organizations[org.id] = org
        for item in raw.get("directories", []):
            directory = DirectoryRecord.from_json(item)
            state.directories[directory.id] = directory
        state.inactive_users = set(raw.get("inactive_users", []))
        for user_id, (directory_id, email) in raw.get("user_emails", {}).items():
            state.set_email(user_id, directory_id, email)
        state.group_names = dict(raw.get("group_names", {}))
        state.memberships = {k: list(v) for k, v in raw.get("memberships", {}).items()}
        for item in raw.get("saml_connections", []):
            connection = SAMLConnection.from_json(item)
            state.saml_connections[connection.id] = connection
        for item in raw.get("saml_flows", []):
            flow = SAMLFlow.from_json(item)
            state.saml_flows[flow.id] = flow
        state.admin_tokens = [AdminAccessToken.from_json(t) for t in raw.get("admin_tokens", [])]
        state.redirect_url = str(raw.get("redirect_url", ""))
        return state


# ---------------------------------------------------------------------- page tokens
def encode_page_key(scope: str, key: str) -> str:
    """A page token naming the first id of the next page: the real store pages with
    ``where id >= $start order by id`` and marshals that id (``pageEncoder.Marshal``), so an
    item created between two pages appears on the later page when its id sorts after it."""
    raw = json.dumps({"s": scope, "k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_page_key(token: str | None, scope: str) -> str:
    """The id a page token starts at ("" without one); a foreign or forged token is an
    InvalidArgument."""
    if not token:
        return ""
    try:
        padded = token + "=" * (-len(token) % 4)
        data = jsontext.loads(base64.urlsafe_b64decode(padded.encode()))  # no RecursionError
        key = data["k"]
        if data["s"] != scope or not isinstance(key, str):
            raise ValueError
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise errors.invalid_argument("invalid page token") from exc
    return key
