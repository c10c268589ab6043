"""ServiceProviderConfig, ResourceTypes and Schemas: exactly what the core implements."""

from __future__ import annotations

from typing import Any

from mockscim.scim.schemas import RESOURCE_TYPES, SCHEMAS


def service_provider_config(base_url: str, max_results: int, max_payload: int) -> dict[str, Any]:
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "https://github.com/mockscim/mockscim",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": max_payload},
        "filter": {"supported": True, "maxResults": max_results},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "Authentication with the directory's SCIM bearer token.",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base_url}/ServiceProviderConfig",
        },
    }


def resource_types(base_url: str) -> list[dict[str, Any]]:
    return [rt.to_json(base_url) for rt in RESOURCE_TYPES.values()]


def resource_type(base_url: str, name: str) -> dict[str, Any] | None:
    for rt in RESOURCE_TYPES.values():
        if rt.name.lower() == name.lower():
            return rt.to_json(base_url)
    return None


def schemas(base_url: str) -> list[dict[str, Any]]:
    return [s.to_json(base_url) for s in SCHEMAS.values()]


def schema(base_url: str, urn: str) -> dict[str, Any] | None:
    for s in SCHEMAS.values():
        if s.id.lower() == urn.lower():
            return s.to_json(base_url)
    return None
