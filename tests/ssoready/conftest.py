"""Fixtures for the SSOReady emulation tests: one real server per module, reset per test, and
the official ``ssoready`` SDK aimed at it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from mockscim.settings import Settings
from mockscim.testing.server import MockServer

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@pytest.fixture
def client(server: MockServer) -> Any:
    return server.ssoready_client()


@pytest.fixture
def app_client(server: MockServer) -> Any:
    return server.ssoready_client(app_key=True)


@dataclass
class Tenant:
    """An organization with a primary SCIM directory, and a SCIM client for it."""

    org: Any
    directory: Any
    token: str | None

    @property
    def base_url(self) -> str:
        return str(self.directory.scim_base_url)

    def scim(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        params: dict[str, str] | None = None,
        raw: bytes | None = None,
        authorization: str | None = None,
    ) -> requests.Response:
        """One SCIM request; ``raw`` sends those exact bytes, ``authorization`` that exact
        header (instead of ``Bearer <token>``)."""
        use = token if token is not None else self.token
        headers = {"Content-Type": "application/scim+json"}
        if authorization is not None:
            headers["Authorization"] = authorization
        elif use:
            headers["Authorization"] = f"Bearer {use}"
        data = raw if raw is not None else json.dumps(body) if body is not None else None
        return requests.request(
            method, self.base_url + path, data=data, headers=headers, params=params, timeout=10
        )

    def crashes(self, method: str, path: str, body: Any = None, **kwargs: Any) -> None:
        """The request gets no response at all: the connection closes (a Go panic)."""
        with pytest.raises(requests.ConnectionError):
            self.scim(method, path, body, **kwargs)

    def create_user(self, email: str, **attrs: Any) -> dict[str, Any]:
        r = self.scim("POST", "/Users", user_body(email, **attrs))
        assert r.status_code in (200, 201), r.text
        return dict(r.json())

    def create_group(self, name: str, members: list[str] | None = None) -> dict[str, Any]:
        body = {
            "schemas": [GROUP_SCHEMA],
            "displayName": name,
            "members": [{"value": m} for m in members or []],
        }
        r = self.scim("POST", "/Groups", body)
        assert r.status_code == 201, r.text
        return dict(r.json())


def user_body(email: str, **attrs: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "schemas": [USER_SCHEMA],
        "userName": email,
        "name": {"givenName": "Grace", "familyName": "Hopper"},
        "emails": [{"value": email, "primary": True, "type": "work"}],
        "active": True,
    }
    body.update(attrs)
    return body


def make_tenant(
    client: Any,
    *,
    external_id: str = "acme",
    domains: tuple[str, ...] = ("acme.test",),
    token: bool = True,
) -> Tenant:
    org = client.management.organizations.create_organization(
        external_id=external_id, domains=list(domains)
    ).organization
    directory = client.management.scim_directories.create_scim_directory(
        organization_id=org.id, primary=True
    ).scim_directory
    bearer = None
    if token:
        bearer = client.management.scim_directories.rotate_scim_directory_bearer_token(
            id=directory.id
        ).bearer_token
    return Tenant(org, directory, bearer)


@pytest.fixture
def tenant(client: Any) -> Tenant:
    return make_tenant(client)


@pytest.fixture(scope="module")
def _server() -> Iterator[MockServer]:
    """This package's tests written before the profiles assume the ``rfc`` profile's SCIM
    server; the ``exact`` profile's have their own fixtures (``exact_server``)."""
    with MockServer(Settings(ssoready_profile="rfc")) as server:
        yield server


@pytest.fixture(scope="module")
def _exact_server() -> Iterator[MockServer]:
    with MockServer(Settings(ssoready_profile="exact")) as server:
        yield server


def _fresh(server: MockServer) -> Iterator[MockServer]:
    server.reset()
    server.mock.server_errors.clear()
    yield server
    errors = server.mock.take_server_errors()
    assert not errors, "the server raised:\n" + "\n".join(errors)


@pytest.fixture
def exact(_exact_server: MockServer) -> Iterator[MockServer]:
    """A server in the ``exact`` profile, emptied before the test."""
    yield from _fresh(_exact_server)


@pytest.fixture
def xtenant(exact: MockServer) -> Tenant:
    """A tenant on the ``exact`` server."""
    return make_tenant(exact.ssoready_client())


@pytest.fixture(params=["exact", "rfc"])
def profile(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def profiled(profile: str, _exact_server: MockServer, _server: MockServer) -> Iterator[MockServer]:
    """The server of the ``profile`` parameter, emptied before the test."""
    yield from _fresh(_exact_server if profile == "exact" else _server)


@pytest.fixture
def ptenant(profiled: MockServer) -> Tenant:
    """A tenant on the server of the ``profile`` parameter."""
    return make_tenant(profiled.ssoready_client())


def app_user(server: MockServer, user_id: str) -> Any:
    """The user as the customer's backend reads it: the app API through the SDK."""
    return server.ssoready_client(app_key=True).scim.get_scim_user(id=user_id).scim_user


def app_members(server: MockServer, tenant: Tenant, group_id: str) -> set[str]:
    """Emails the app API lists for ``scimGroupId``."""
    page = server.ssoready_client(app_key=True).scim.list_scim_users(
        scim_directory_id=tenant.directory.id, scim_group_id=group_id
    )
    return {u.email for u in page.scim_users or []}
