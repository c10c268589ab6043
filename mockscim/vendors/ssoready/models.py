"""SSOReady's JSON shapes (protobuf JSON: camelCase keys).

The real server omits fields holding their default value (false, "", []); the SDK reads them
as None. mockscim always includes them, except ``clientBearerToken``, which SSOReady never
returns (the token is shown once, by ``rotate-bearer-token``).
"""

from __future__ import annotations

from typing import Any

from mockscim.scim.directory import ScimRecord
from mockscim.vendors.ssoready.state import Directory, Organization

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


def scim_directory(directory: Directory, host_url: str) -> dict[str, Any]:
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


def scim_user(record: ScimRecord, directory_id: str, deleted: bool) -> dict[str, Any]:
    return {
        "id": record.id,
        "scimDirectoryId": directory_id,
        "email": record.data.get("userName", ""),
        "deleted": deleted,
        "attributes": attributes(record),
    }


def scim_group(record: ScimRecord, directory_id: str) -> dict[str, Any]:
    return {
        "id": record.id,
        "scimDirectoryId": directory_id,
        "displayName": record.data.get("displayName", ""),
        "deleted": record.deleted,
        "attributes": attributes(record),
    }
