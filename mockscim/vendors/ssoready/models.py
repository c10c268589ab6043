"""SSOReady's JSON shapes (protobuf JSON: camelCase keys).

Defaults are emitted, as the real server's REST layer does (vanguard-go v0.2.0's JSON codec
marshals with ``EmitUnpopulated: true``): ``false``, ``""``, ``[]`` and ``"nextPageToken": ""``
are all present. There is no ``clientBearerToken``: SSOReady's proto has no such field (the
token is shown once, by ``rotate-bearer-token``).
"""

from __future__ import annotations

from typing import Any

from mockscim.scim.directory import ScimRecord
from mockscim.vendors.ssoready.state import DirectoryRecord, Organization

SCIM_PREFIX = "/v1/scim"


def organization(org: Organization, environment_id: str) -> dict[str, Any]:
    return {
        "id": org.id,
        "environmentId": environment_id,
        "displayName": org.display_name,
        "externalId": org.external_id,
        # parseOrganization sorts them.
        "domains": sorted(org.domains),
    }


def scim_base_url(host_url: str, directory_id: str) -> str:
    return f"{host_url}{SCIM_PREFIX}/{directory_id}"


def scim_directory(directory: DirectoryRecord, host_url: str) -> dict[str, Any]:
    return {
        "id": directory.id,
        "organizationId": directory.organization_id,
        "primary": directory.primary,
        "scimBaseUrl": scim_base_url(host_url, directory.id),
        "hasClientBearerToken": directory.token is not None,
    }


def attributes(record: ScimRecord) -> dict[str, Any]:
    """The SCIM resource as SSOReady keeps it: everything but ``schemas`` (scim.go deletes
    only ``schemas`` before storing, so ``userName`` stays among the attributes). Entra's
    ``"True"``/``"False"`` and bare-string ``manager`` are already normalised by the core."""
    return {k: v for k, v in record.data.items() if k != "schemas"}


def scim_user(
    record: ScimRecord, directory_id: str, deleted: bool, email: str | None = None
) -> dict[str, Any]:
    """``email`` is the ``exact`` profile's email column when it has one; the ``rfc``
    profile's is the userName."""
    return {
        "id": record.id,
        "scimDirectoryId": directory_id,
        "email": email if email is not None else record.data.get("userName", ""),
        "deleted": deleted,
        "attributes": attributes(record),
    }


def scim_group(
    record: ScimRecord, directory_id: str, display_name: str | None = None
) -> dict[str, Any]:
    """``display_name`` is the ``exact`` profile's column (a PATCH rename moves only it)."""
    return {
        "id": record.id,
        "scimDirectoryId": directory_id,
        "displayName": (
            display_name if display_name is not None else record.data.get("displayName", "")
        ),
        "deleted": record.deleted,
        "attributes": attributes(record),
    }
