"""SSOReady's organizations and SCIM directories: the domain rules of the management API
(``internal/store/*_mgmt.go``), independent of HTTP. Callers hold the store lock."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mockscim.engine.mock import Mock
from mockscim.vendors.ssoready import errors
from mockscim.vendors.ssoready.state import (
    DIRECTORY_PREFIX,
    ORG_PREFIX,
    DirectoryRecord,
    Organization,
    SSOReadyState,
    id_error,
    new_id,
)


@dataclass(frozen=True)
class StoreError:
    """How the real server words a failed lookup (the ``exact`` profile): a plain Go error,
    which connect turns into code 2 (HTTP 500). ``parse`` prefixes a malformed id's prettyuuid
    error; ``missing`` is the text for an id that parses but names no row."""

    parse: str = ""
    missing: str = "no rows in result set"

    def error(self, prefix: str, value: str) -> errors.SSOReadyError:
        problem = id_error(prefix, value)
        return errors.unknown(self.parse + problem if problem else self.missing)


#: store/organizations_mgmt.go wraps with ``store: ``.
ORG_LOOKUP = StoreError("store: ", "store: no rows in result set")
#: store/scim_directories_mgmt.go.
DIRECTORY_LOOKUP = StoreError(
    "parse scim directory id: ", "get scim directory: no rows in result set"
)
#: CreateSCIMDirectory's organization.
DIRECTORY_ORG = StoreError("parse organization id: ")
#: Unwrapped (app API selectors, ListSCIMDirectories' organization).
PLAIN = StoreError()
DUPLICATE_EXTERNAL_ID = (
    "store: ERROR: duplicate key value violates unique constraint "
    '"organizations_environment_id_external_id_key" (SQLSTATE 23505)'
)


# ---------------------------------------------------------------------- input
def _check_fields(
    body: dict[str, Any], allowed: Mapping[str, str], message: str, exact: bool = False
) -> None:
    """``rfc``: an unknown field is a 400. ``exact``: vanguard's codec unmarshals with
    ``DiscardUnknown: true``, so it is ignored. Every known field must have its proto type,
    used or not: protojson decodes the whole message before any handler runs. ``exact``
    bodies were already decoded by :mod:`vanguard` (a wrong type is its code-2 500); this is
    the ``rfc`` profile's 400 code 3."""
    for key, kind in allowed.items():
        if key in body:
            _TYPE_CHECKS[kind](body, key)
    if exact:
        return
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise errors.invalid_argument(f"unknown field {unknown[0]!r} in {message}")


def str_field(body: dict[str, Any], key: str) -> str:
    """A string field of a request body (SAML connections read theirs the same way)."""
    value = body.get(key, "")
    if not isinstance(value, str):
        raise errors.invalid_argument(f"{key} must be a string")
    return value


def bool_field(body: dict[str, Any], key: str) -> bool:
    value = body.get(key, False)
    if not isinstance(value, bool):
        raise errors.invalid_argument(f"{key} must be a boolean")
    return value


def strings_field(body: dict[str, Any], key: str) -> list[str]:
    value = body.get(key, [])
    if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
        raise errors.invalid_argument(f"{key} must be a list of strings")
    return value


_TYPE_CHECKS = {"string": str_field, "bool": bool_field, "strings": strings_field}


def _domains(body: dict[str, Any], exact: bool = False) -> list[str]:
    """``exact``: stored as sent (no trimming, no de-duplication, empty strings kept), as
    store/organizations_mgmt.go inserts them; ``rfc``: trimmed, de-duplicated, no empties."""
    value = strings_field(body, "domains")
    if exact:
        return list(value)
    if any(not d.strip() for d in value):
        raise errors.invalid_argument("domains must not contain an empty string")
    return list(dict.fromkeys(d.strip() for d in value))


# ---------------------------------------------------------------------- lookups
def find_org(state: SSOReadyState, org_id: str, exact: StoreError | None = None) -> Organization:
    """The organization; a missing one is 404 code 5, or ``exact``'s code 2."""
    org = state.organizations.get(org_id)
    if org is None:
        if exact is not None:
            raise exact.error(ORG_PREFIX, org_id)
        raise errors.not_found(f"organization not found: {org_id}")
    return org


def find_directory(
    state: SSOReadyState, directory_id: str, exact: StoreError | None = None
) -> DirectoryRecord:
    directory = state.directories.get(directory_id)
    if directory is None:
        if exact is not None:
            raise exact.error(DIRECTORY_PREFIX, directory_id)
        raise errors.not_found(f"scim directory not found: {directory_id}")
    return directory


# ---------------------------------------------------------------------- changes
#: The messages' fields and their proto types (ssoready/v1/ssoready.proto).
ORG_FIELDS = {
    "id": "string",
    "environmentId": "string",
    "displayName": "string",
    "externalId": "string",
    "domains": "strings",
}
DIRECTORY_FIELDS = {
    "id": "string",
    "organizationId": "string",
    "primary": "bool",
    "scimBaseUrl": "string",
    "clientBearerToken": "string",
    "hasClientBearerToken": "bool",
}


def _org_input(
    state: SSOReadyState, body: dict[str, Any], org_id: str | None, exact: bool = False
) -> tuple[str, str, list[str]]:
    _check_fields(body, ORG_FIELDS, "Organization", exact)
    display_name = str_field(body, "displayName")
    external_id = str_field(body, "externalId")
    domains = _domains(body, exact)
    if external_id:
        clash = state.org_by_external_id(external_id)
        if clash is not None and clash.id != org_id:
            if exact:
                raise errors.unknown(DUPLICATE_EXTERNAL_ID)
            raise errors.already_exists(
                f"an organization with external_id {external_id!r} already exists"
            )
    return display_name, external_id, domains


def create_organization(
    state: SSOReadyState, body: dict[str, Any], now: datetime, exact: bool = False
) -> Organization:
    display_name, external_id, domains = _org_input(state, body, None, exact)
    org = Organization(new_id(ORG_PREFIX), display_name, external_id, domains, now)
    state.organizations[org.id] = org
    return org


def update_organization(
    state: SSOReadyState, org_id: str, body: dict[str, Any], exact: bool = False
) -> Organization:
    """A full replacement, as store/organizations_mgmt.go does it: an absent displayName or
    externalId is cleared and the domains are replaced by the body's (absent: none)."""
    _check_fields(body, ORG_FIELDS, "Organization", exact)  # decoded before the handler runs
    org = find_org(state, org_id, ORG_LOOKUP if exact else None)
    org.display_name, org.external_id, org.domains = _org_input(state, body, org.id, exact)
    return org


def create_directory(
    mock: Mock, state: SSOReadyState, body: dict[str, Any], exact: bool = False
) -> DirectoryRecord:
    _check_fields(body, DIRECTORY_FIELDS, "SCIMDirectory", exact)
    org_id = str_field(body, "organizationId")
    primary = bool_field(body, "primary")
    if not org_id and not exact:
        raise errors.invalid_argument("organizationId is required")
    find_org(state, org_id, DIRECTORY_ORG if exact else None)
    directory = DirectoryRecord(new_id(DIRECTORY_PREFIX), org_id, primary, mock.clock.now())
    state.directories[directory.id] = directory
    mock.store.new_directory(directory.id, "ssoready")
    if primary:
        state.make_primary(directory)
    return directory


def update_directory(
    state: SSOReadyState, directory_id: str, body: dict[str, Any], exact: bool = False
) -> DirectoryRecord:
    """Only ``primary`` is writable (UpdateSCIMDirectory); absent means false. ``rfc``: a
    different ``organizationId`` is refused rather than ignored; ``exact`` ignores it."""
    _check_fields(body, DIRECTORY_FIELDS, "SCIMDirectory", exact)  # decoded before the handler
    directory = find_directory(state, directory_id, DIRECTORY_LOOKUP if exact else None)
    primary = bool_field(body, "primary")
    if (
        not exact
        and "organizationId" in body
        and str_field(body, "organizationId") != directory.organization_id
    ):
        # SSOReady silently ignores it; refusing says loudly that directories never move.
        raise errors.invalid_argument("organizationId of a SCIM directory cannot be changed")
    directory.primary = primary
    if primary:
        state.make_primary(directory)
    return directory


def user_deleted(state: SSOReadyState, record: Any) -> bool:
    return bool(record.deleted) or record.id in state.inactive_users
