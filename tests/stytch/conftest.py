"""Fixtures for the Stytch emulation tests: one real server per module, reset per test, and
the official ``stytch`` SDK aimed at it."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from mockscim.testing.server import MockServer
from mockscim.vendors.stytch import seeding as helpers

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"


@pytest.fixture
def client(server: MockServer) -> Any:
    return server.stytch_client()


@pytest.fixture
def org(server: MockServer) -> dict[str, Any]:
    return helpers.create_organization(
        server.mock, "Acme Corp", "acme", organization_external_id="ext-acme"
    )


@pytest.fixture
def other_org(server: MockServer) -> dict[str, Any]:
    return helpers.create_organization(server.mock, "Globex", "globex")


def snapshot(server: MockServer) -> str:
    """The whole store as canonical JSON, to assert that a failed call changed nothing."""
    return json.dumps(server.mock.store.snapshot(), sort_keys=True)


class Scim:
    """A raw HTTP client for one connection's SCIM server (the IdP's side)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.split("?")[0]
        self.http = requests.Session()

    def request(
        self, method: str, path: str, token: str | None, body: Any = None
    ) -> requests.Response:
        headers = {"Content-Type": "application/scim+json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body) if body is not None else None
        return self.http.request(
            method, self.base_url + path, data=data, headers=headers, timeout=10
        )

    def status(self, token: str | None) -> int:
        """What the server says to a harmless read with ``token``."""
        return self.request("GET", "/Users?count=1", token).status_code

    def create_user(self, token: str, user_name: str, **attrs: Any) -> dict[str, Any]:
        body = {"schemas": [USER_SCHEMA], "userName": user_name, **attrs}
        response = self.request("POST", "/Users", token, body)
        assert response.status_code == 201, response.text
        return response.json()

    def create_group(
        self, token: str, name: str, members: list[str] | None = None
    ) -> dict[str, Any]:
        body = {
            "schemas": [GROUP_SCHEMA],
            "displayName": name,
            "members": [{"value": m} for m in members or []],
        }
        response = self.request("POST", "/Groups", token, body)
        assert response.status_code == 201, response.text
        return response.json()


@pytest.fixture
def connection(client: Any, org: dict[str, Any]) -> Any:
    """A fresh Okta connection of ``org`` (SDK CreateResponse.connection, with bearer_token)."""
    return client.scim.connection.create(
        organization_id=org["organization_id"], display_name="Okta", identity_provider="okta"
    ).connection


@pytest.fixture
def scim(connection: Any) -> Scim:
    return Scim(connection.base_url)


@pytest.fixture
def scim_for() -> type[Scim]:
    """The Scim client class, for tests that open more than one connection's server."""
    return Scim


@pytest.fixture
def fails(server: MockServer) -> Any:
    """``fails(call, status, error_type)``: the call raises that Stytch error and the store is
    byte-for-byte what it was before (no half-applied change)."""
    from stytch.core.response_base import StytchError

    def check(call: Any, status: int, error_type: str) -> Any:
        before = snapshot(server)
        with pytest.raises(StytchError) as info:
            call()
        details = info.value.details
        assert (details.status_code, details.error_type) == (status, error_type), details
        assert details.request_id.startswith("request-id-test-")
        assert details.error_url and details.error_message
        assert snapshot(server) == before
        return details

    return check
