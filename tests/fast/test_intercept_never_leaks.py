"""Socket-free mode never lets a request to a vendor host leave the process, in any install
(issue 20): with ``httpx`` installed but not ``respx``, ``mockscim.intercept()`` used to skip
httpx silently, and the ssoready SDK's calls went to the real ``api.ssoready.com``.

Missing extras are simulated by hiding modules (``sys.modules[name] = None`` makes both
``import`` and ``importlib.util.find_spec`` see nothing). A tripwire under everything records
and refuses any name lookup or connect that is not loopback, so a request that would leave the
process is caught even if a client swallowed the error. Also: ``urllib.request`` (PyJWT's
``PyJWKClient``, the stytch SDK's JWKS fetch) is intercepted.
"""

from __future__ import annotations

import asyncio
import json
import socket
import ssl
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import aiohttp
import httpx
import jwt
import pytest
import requests
from ssoready.client import SSOReady

import mockscim
from mockscim.testing.intercept import CLIENTS, VendorHostRefused

from .conftest import NetworkUsed, _loopback

STYTCH = "https://test.stytch.com/v1/b2b/organizations/organization-test-nothing"
SSOREADY = "https://api.ssoready.com/v1/organizations"


@pytest.fixture
def tripwire(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Record and refuse every non-loopback lookup or connect, below whatever the test does."""
    attempts: list[str] = []
    getaddrinfo, connect = socket.getaddrinfo, socket.socket.connect

    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in (None, "localhost") and not _loopback((host, 0)):
            attempts.append(f"lookup {host!r}")
            raise NetworkUsed(f"DNS lookup of {host!r}")
        return getaddrinfo(host, *args, **kwargs)

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        if not _loopback(address):
            attempts.append(f"connect {address!r}")
            raise NetworkUsed(f"connect to {address!r}")
        return connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    yield attempts
    assert attempts == [], f"a request tried to leave the process: {attempts}"


def _requests_call(url: str) -> int:
    return requests.get(url).status_code


def _httpx_call(url: str) -> int:
    return httpx.get(url).status_code


def _aiohttp_call(url: str) -> int:
    async def run() -> int:
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            return response.status

    return asyncio.run(run())


def _urllib_call(url: str) -> int:
    try:
        with urllib.request.urlopen(url) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


CALLS: dict[str, Callable[[str], int]] = {
    "requests": _requests_call,
    "httpx": _httpx_call,
    "aiohttp": _aiohttp_call,
    "urllib": _urllib_call,
}
#: Modules each client needs, itself first (hiding the client hides its patcher's use too).
NEEDS = {"httpx": ("httpx", "respx"), "aiohttp": ("aiohttp", "aioresponses")}

INSTALLS = [
    (),
    ("respx",),
    ("aioresponses",),
    ("respx", "aioresponses"),
    ("httpx", "respx"),
    ("aiohttp", "aioresponses"),
    ("httpx", "respx", "aiohttp", "aioresponses"),
]


def _hide(monkeypatch: pytest.MonkeyPatch, modules: tuple[str, ...]) -> None:
    for name in modules:
        monkeypatch.setitem(sys.modules, name, None)


@pytest.mark.parametrize("hidden", INSTALLS, ids=[",".join(h) or "everything" for h in INSTALLS])
def test_no_vendor_request_leaves_the_process_in_any_install(
    hidden: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, tripwire: list[str]
) -> None:
    _hide(monkeypatch, hidden)
    installed = [c for c in CLIENTS if NEEDS.get(c, (c,))[0] not in hidden]
    unpatchable = [c for c in installed if c in NEEDS and NEEDS[c][1] in hidden]
    original_lookup = socket.getaddrinfo

    if unpatchable:
        # The default refuses to start, naming the extra, and patches nothing.
        with pytest.raises(RuntimeError, match=r"mockscim\[intercept\]") as refused:
            mockscim.intercept().__enter__()
        for client in unpatchable:
            assert f"{client} (needs {NEEDS[client][1]})" in str(refused.value)
        assert socket.getaddrinfo is original_lookup
        assert requests.Session.get_adapter.__module__ == "requests.sessions"

    patched = [c for c in installed if c not in unpatchable]
    with mockscim.intercept(clients=patched) as mock:
        for client in installed:
            for url in (STYTCH, SSOREADY):
                if client in patched:
                    assert CALLS[client](url) in (401, 404)  # answered by the mock
                else:
                    with pytest.raises(Exception) as caught:
                        CALLS[client](url)
                    assert _refused(caught.value), repr(caught.value)
        assert len(mock.journal) == 2 * len(patched)
    assert socket.getaddrinfo is original_lookup


def _refused(error: BaseException) -> bool:
    """Whether ``error`` (or its cause chain) is the resolver guard's refusal."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, VendorHostRefused) or "refused to resolve" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def test_ssoready_sdk_without_respx_is_refused_not_sent(
    monkeypatch: pytest.MonkeyPatch, tripwire: list[str]
) -> None:
    """The issue's case: httpx installed, respx not. The default refuses to start; leaving
    httpx out on purpose, the SDK's call fails instead of reaching ``api.ssoready.com``."""
    _hide(monkeypatch, ("respx",))
    with pytest.raises(RuntimeError, match=r"httpx \(needs respx\)"):
        mockscim.intercept().__enter__()
    with mockscim.intercept(clients=["requests", "aiohttp", "urllib"]) as mock:
        client = SSOReady(api_key=mock.settings.ssoready_api_key)
        with pytest.raises(httpx.ConnectError) as caught:
            client.management.organizations.list_organizations()
        assert _refused(caught.value)
        assert len(mock.journal) == 0


def test_urllib_is_intercepted_with_a_context_and_a_body(tripwire: list[str]) -> None:
    """``urlopen(..., context=...)`` builds a fresh opener each call (PyJWKClient passes one)."""
    with mockscim.intercept() as mock:
        settings = mock.settings
        request = urllib.request.Request(
            "https://api.ssoready.com/v1/organizations",
            data=json.dumps({"externalId": "acme"}).encode(),
            headers={
                "Authorization": f"Bearer {settings.ssoready_api_key}",
                "Content-Type": "application/json",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, context=ssl.create_default_context()) as response:
            assert response.status == 200
            created = json.load(response)
        assert created["organization"]["externalId"] == "acme"
        with pytest.raises(urllib.error.HTTPError) as denied:
            urllib.request.urlopen("https://api.ssoready.com/v1/organizations")
        assert denied.value.code == 401
        mock.faults.drop("**", count=1)
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen("https://api.ssoready.com/v1/organizations")


def test_pyjwt_jwks_fetch_reaches_the_mock(tripwire: list[str]) -> None:
    """The stytch SDK's local ``authenticate_jwt`` fetches the JWKS with PyJWT's
    ``PyJWKClient`` (urllib) from ``/v1/b2b/sessions/jwks/{project_id}`` on the API host."""
    with mockscim.intercept() as mock:
        project = mock.settings.stytch_project_id
        url = f"https://test.stytch.com/v1/b2b/sessions/jwks/{project}"
        try:
            data = jwt.PyJWKClient(url).fetch_data()
        except jwt.PyJWKClientConnectionError:
            data = None  # no JWKS route served: the request still never left the process
        entry = mock.journal.last("GET", f"/v1/b2b/sessions/jwks/{project}")
        assert entry is not None
        if entry.status == 200:
            assert isinstance(data, dict) and "keys" in data


def test_the_resolver_guard_refuses_vendor_hosts_only_while_active(tripwire: list[str]) -> None:
    with mockscim.intercept(clients=["requests"]):
        with pytest.raises(VendorHostRefused):
            socket.getaddrinfo("api.ssoready.com", 443)
        with pytest.raises(VendorHostRefused):
            socket.getaddrinfo(b"acme.customers.stytch.com.", 443)
        assert socket.getaddrinfo("127.0.0.1", 80)  # everything else resolves as before
    with pytest.raises(NetworkUsed):
        socket.getaddrinfo("api.ssoready.com", 443)  # the tripwire, not the guard
    tripwire.clear()
