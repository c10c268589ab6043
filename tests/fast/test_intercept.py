"""Socket-free mode: the official SDKs, built exactly as production builds them, run whole
rotation flows against the in-process mock without opening a socket."""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import aiohttp
import httpx
import pytest
import requests
import stytch
from ssoready.client import AsyncSSOReady, SSOReady

import mockscim
from mockscim.settings import Settings
from mockscim.testing.intercept import InterceptedMock


def scim_status(base_url: str, token: str) -> int:
    return requests.get(
        base_url + "/Users", headers={"Authorization": f"Bearer {token}"}
    ).status_code


# ---------------------------------------------------------------------------- Stytch
def test_stytch_rotation_sync_without_a_socket(
    no_network: list[Any], mockscim_intercept: InterceptedMock
) -> None:
    client = stytch.B2BClient(
        project_id=mockscim_intercept.settings.stytch_project_id,
        secret=mockscim_intercept.settings.stytch_secret,
        environment="test",
    )
    org = client.organizations.create(
        organization_name="Acme", organization_slug="acme"
    ).organization
    conn = client.scim.connection.create(organization_id=org.organization_id).connection
    assert conn.base_url == f"https://test.stytch.com/v1/b2b/scim/{conn.connection_id}"
    old = conn.bearer_token
    assert scim_status(conn.base_url, old) == 200

    started = client.scim.connection.rotate_start(
        organization_id=org.organization_id, connection_id=conn.connection_id
    ).connection
    new = started.next_bearer_token
    users = requests.get(conn.base_url + "/Users", headers={"Authorization": f"Bearer {new}"})
    assert users.status_code == 200 and users.json()["totalResults"] == 0
    client.scim.connection.rotate_complete(
        organization_id=org.organization_id, connection_id=conn.connection_id
    )
    assert scim_status(conn.base_url, old) == 401
    assert scim_status(conn.base_url, new) == 200
    assert mockscim_intercept.journal.credentials("GET", "/v1/b2b/scim/*/Users") == [
        "current",
        "next",
        "invalid",
        "current",
    ]


def test_stytch_rotation_async_without_a_socket(no_network: list[Any]) -> None:
    async def flow(mock: InterceptedMock) -> None:
        client = mock.stytch_client()
        org = (await client.organizations.create_async(organization_name="Acme")).organization
        org_id = org.organization_id
        conn = (await client.scim.connection.create_async(organization_id=org_id)).connection
        assert conn.base_url.startswith("https://test.stytch.com/v1/b2b/scim/")
        old = conn.bearer_token
        started = await client.scim.connection.rotate_start_async(
            organization_id=org_id, connection_id=conn.connection_id
        )
        new = started.connection.next_bearer_token
        async with (
            aiohttp.ClientSession() as session,
            session.get(conn.base_url + "/Users", headers={"Authorization": f"Bearer {new}"}) as r,
        ):
            assert r.status == 200
            assert (await r.json())["totalResults"] == 0
        await client.scim.connection.rotate_complete_async(
            organization_id=org_id, connection_id=conn.connection_id
        )
        async with httpx.AsyncClient() as hx:
            r = await hx.get(conn.base_url + "/Users", headers={"Authorization": f"Bearer {old}"})
            assert r.status_code == 401
        got = await client.scim.connection.get_async(organization_id=org_id)
        assert got.connection.bearer_token_last_four == new[-4:]
        await client.close()

    with mockscim.intercept() as mock:
        asyncio.run(flow(mock))


# ---------------------------------------------------------------------------- SSOReady
def test_ssoready_rotation_sync_without_a_socket(
    no_network: list[Any], mockscim_intercept: InterceptedMock
) -> None:
    client = SSOReady(api_key=mockscim_intercept.settings.ssoready_api_key)
    org = client.management.organizations.create_organization(
        external_id="acme", domains=["acme.test"]
    ).organization
    dirs = client.management.scim_directories
    directory = dirs.create_scim_directory(organization_id=org.id, primary=True).scim_directory
    assert directory.scim_base_url == f"https://auth.ssoready.com/v1/scim/{directory.id}"
    first = dirs.rotate_scim_directory_bearer_token(id=directory.id).bearer_token
    created = requests.post(
        directory.scim_base_url + "/Users",
        json={"userName": "ada@acme.test"},
        headers={"Authorization": f"Bearer {first}"},
    )
    assert created.status_code == 201
    assert "Location" not in created.headers  # SSOReady's own server sends none (exact)
    user_url = directory.scim_base_url + "/Users/" + created.json()["id"]
    assert requests.get(user_url, headers={"Authorization": f"Bearer {first}"}).ok
    second = dirs.rotate_scim_directory_bearer_token(id=directory.id).bearer_token
    assert scim_status(directory.scim_base_url, first) == 401
    assert scim_status(directory.scim_base_url, second) == 200
    users = client.scim.list_scim_users(scim_directory_id=directory.id).scim_users
    assert [u.email for u in users] == ["ada@acme.test"]


def test_ssoready_rotation_async_without_a_socket(no_network: list[Any]) -> None:
    async def flow(mock: InterceptedMock) -> None:
        client = AsyncSSOReady(api_key=mock.settings.ssoready_api_key)
        org = (
            await client.management.organizations.create_organization(
                external_id="acme", domains=["acme.test"]
            )
        ).organization
        dirs = client.management.scim_directories
        directory = (
            await dirs.create_scim_directory(organization_id=org.id, primary=True)
        ).scim_directory
        first = (await dirs.rotate_scim_directory_bearer_token(id=directory.id)).bearer_token
        async with httpx.AsyncClient() as hx:
            url = directory.scim_base_url + "/Users"
            assert (
                await hx.get(url, headers={"Authorization": f"Bearer {first}"})
            ).status_code == 200
            second = (await dirs.rotate_scim_directory_bearer_token(id=directory.id)).bearer_token
            assert (
                await hx.get(url, headers={"Authorization": f"Bearer {first}"})
            ).status_code == 401
            assert (
                await hx.get(url, headers={"Authorization": f"Bearer {second}"})
            ).status_code == 200

    with mockscim.intercept() as mock:
        asyncio.run(flow(mock))


# ---------------------------------------------------------------------------- the handle
def test_decorator_and_control_handles(no_network: list[Any]) -> None:
    @mockscim.intercept(Settings(seed=3))
    def run() -> None:
        mock = mockscim.intercept.current()
        org = mock.stytch.create_org("Acme", users=2)
        assert org["base_url"].startswith("https://test.stytch.com/v1/b2b/scim/")
        listed = requests.get(
            org["base_url"] + "/Users", headers={"Authorization": f"Bearer {org['bearer_token']}"}
        ).json()
        assert listed["totalResults"] == 2
        sso = mock.ssoready.create_org("initech", users=1)
        assert sso["base_url"].startswith("https://auth.ssoready.com/v1/scim/")
        got = mock.ssoready_client().management.scim_directories.get_scim_directory(
            id=sso["scim_directory_id"]
        )
        assert got.scim_directory.scim_base_url == sso["base_url"]
        mock.journal.assert_called("GET", "/v1/b2b/scim/*/Users", credential="current")
        mock.faults.error("/v1/b2b/organizations/**", 503, method="GET")
        with pytest.raises(stytch.core.response_base.StytchError):
            mock.stytch_client().organizations.get(organization_id=org["organization_id"])
        mock.reset()
        assert mock.state.stats()["users"] == 0

    run()


def test_dropped_connection_is_each_clients_connection_error(no_network: list[Any]) -> None:
    with mockscim.intercept() as mock:
        mock.faults.drop("**", count=3)
        with pytest.raises(requests.ConnectionError):
            requests.get("https://test.stytch.com/v1/b2b/organizations/x")
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get("https://api.ssoready.com/v1/organizations")

        async def aio() -> None:
            async with aiohttp.ClientSession() as s:
                await s.get("https://test.stytch.com/v1/b2b/organizations/x")

        with pytest.raises(aiohttp.ServerDisconnectedError):
            asyncio.run(aio())


def test_custom_domain_and_extra_hosts(no_network: list[Any]) -> None:
    with mockscim.intercept(hosts=["login.example.test"]) as mock:
        client = mock.stytch_client(environment=None, custom_base_url="https://login.example.test/")
        client.organizations.create(organization_name="Acme")
        r = requests.get("https://acme.customers.stytch.com/_mockscim/health")
        assert r.json() == {"status": "ok"}


def test_ssoready_base_url_override_is_intercepted(
    monkeypatch: pytest.MonkeyPatch, no_network: list[Any]
) -> None:
    monkeypatch.setenv("SSOREADY_BASE_URL", "https://ssoready.internal.test")
    with mockscim.intercept() as mock:
        client = SSOReady(
            api_key=mock.settings.ssoready_api_key, base_url="https://ssoready.internal.test"
        )
        client.management.organizations.create_organization(external_id="acme")
        mock.journal.assert_called("POST", "/v1/organizations", times=1)


# ---------------------------------------------------------------------------- pass-through
class _Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"hello from a real socket"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def test_other_hosts_pass_through_untouched(local_server: str) -> None:
    with mockscim.intercept() as mock:
        assert requests.get(local_server).text == "hello from a real socket"
        assert httpx.get(local_server).text == "hello from a real socket"

        async def both() -> list[str]:
            async with aiohttp.ClientSession() as s, s.get(local_server) as r:
                first = await r.text()
            async with httpx.AsyncClient() as hx:
                second = (await hx.get(local_server)).text
            return [first, second]

        assert asyncio.run(both()) == ["hello from a real socket"] * 2
        assert len(mock.journal) == 0


def test_an_unknown_client_name_is_refused_before_anything_is_patched() -> None:
    with pytest.raises(ValueError, match="unknown clients \\['curl'\\]"):
        mockscim.intercept(clients=["requests", "curl"])
    assert requests.Session.get_adapter.__module__ == "requests.sessions"
