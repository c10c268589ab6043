"""``Settings.ssoready_strict_quirks``: the real SSOReady SCIM server's known gaps, reproduced
for clients that want to be tested against them (off by default)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mockscim.settings import Settings
from mockscim.testing.server import MockServer

from .conftest import make_tenant


@pytest.fixture(scope="module")
def strict() -> Iterator[MockServer]:
    with MockServer(Settings(ssoready_strict_quirks=True)) as server:
        yield server


@pytest.fixture
def client(strict: MockServer) -> Any:
    strict.reset()
    return strict.ssoready_client()


def test_supported_filters_still_work(client: Any) -> None:
    tenant = make_tenant(client)
    tenant.create_user("ada@acme.test")
    tenant.create_group("Engineering")
    r = tenant.scim("GET", "/Users", params={"filter": 'userName eq "ada@acme.test"'})
    assert r.status_code == 200 and r.json()["totalResults"] == 1
    r = tenant.scim("GET", "/Users", params={"filter": 'email.value eq "ada@acme.test"'})
    assert r.status_code == 200
    r = tenant.scim("GET", "/Groups", params={"filter": 'displayName eq "Engineering"'})
    assert r.status_code == 200 and r.json()["totalResults"] == 1


@pytest.mark.parametrize(
    ("path", "flt"),
    [
        ("/Users", 'externalId eq "x"'),
        ("/Users", 'userName sw "ada"'),
        ("/Groups", 'externalId eq "x"'),
    ],
)
def test_unsupported_filters_answer_500(client: Any, path: str, flt: str) -> None:
    """scim.go's list handlers panic on any filter but their one regex; the strict profile
    answers Go's plain-text 500, while the supported form still answers 200."""
    tenant = make_tenant(client)
    r = tenant.scim("GET", path, params={"filter": flt})
    assert r.status_code == 500
    assert r.headers["Content-Type"].startswith("text/plain")
    assert r.text == "Internal Server Error\n"
    supported = 'userName eq "nobody@acme.test"' if path == "/Users" else 'displayName eq "x"'
    assert tenant.scim("GET", path, params={"filter": supported}).status_code == 200


def test_list_key_and_zero_based_start_index(client: Any) -> None:
    tenant = make_tenant(client)
    for i in range(3):
        tenant.create_user(f"u{i}@acme.test")
    r = tenant.scim("GET", "/Users", params={"startIndex": "2"})
    body = r.json()
    assert "Resources" not in body and len(body["resources"]) == 2
    assert body["startIndex"] == 1


def test_default_profile_answers_per_rfc(server: MockServer, client: Any) -> None:
    """The module's default server (not strict): RFC 7644 shapes."""
    tenant = make_tenant(server.ssoready_client())
    tenant.create_user("ada@acme.test")
    r = tenant.scim("GET", "/Users", params={"startIndex": "1", "filter": 'externalId eq "x"'})
    assert r.status_code == 200
    assert r.json()["startIndex"] == 1 and r.json()["Resources"] == []
