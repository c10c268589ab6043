"""Hostile input on SSOReady's ``exact`` SCIM server (kept apart from
tests/http/test_hostile_catalogue.py, which other surfaces extend): deep nesting and lone
UTF-16 surrogates, decided from Go's encoding/json as scimMiddleware and the handlers use it."""

from __future__ import annotations

import json

import pytest

from mockscim.testing.server import MockServer

from .conftest import Tenant


def test_nesting_past_the_mock_bound_is_a_400_and_stores_nothing(xtenant: Tenant) -> None:
    """1,000 levels: Go (limit 10,000) would take it; mockscim refuses past 64 levels, in the
    surface's own format (plain text), instead of a RecursionError 500."""
    deep = "[" * 1000 + "]" * 1000
    raw = ('{"userName": "ada@acme.test", "x": ' + deep + "}").encode()
    r = xtenant.scim("POST", "/Users", raw=raw)
    assert r.status_code == 400
    assert r.headers["Content-Type"].startswith("text/plain")
    assert "64 levels" in r.text
    assert xtenant.scim("GET", "/Users").json()["totalResults"] == 0


def test_nesting_past_go_s_limit_is_the_middleware_panic(xtenant: Tenant) -> None:
    """encoding/json: "exceeded max depth" past 10,000; scimMiddleware ``panic(err)``."""
    xtenant.crashes("POST", "/Users", raw=("[" * 10_001 + "]" * 10_001).encode())


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "a\\ud800b", "\\ud800\\ud800"])
def test_lone_surrogates_become_replacement_characters(xtenant: Tenant, escape: str) -> None:
    """encoding/json decodes an unpaired surrogate escape to U+FFFD: the group is stored and
    served back with U+FFFD, and listing keeps working."""
    raw = ('{"displayName": "' + escape + '"}').encode()
    r = xtenant.scim("POST", "/Groups", raw=raw)
    assert r.status_code == 201, r.text
    expected = json.loads('"' + escape + '"', strict=False)
    expected = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in expected)
    assert r.json()["displayName"] == expected
    listed = xtenant.scim("GET", "/Groups")
    assert listed.status_code == 200
    assert [g["displayName"] for g in listed.json()["resources"]] == [expected]


def test_lone_surrogate_in_a_user_key_and_value(xtenant: Tenant, exact: MockServer) -> None:
    raw = b'{"userName": "ada@acme.test", "title": "\\udc00", "\\ud801": 1}'
    r = xtenant.scim("POST", "/Users", raw=raw)
    assert r.status_code == 201, r.text
    user = (
        exact.ssoready_client()
        .scim.list_scim_users(scim_directory_id=xtenant.directory.id)
        .scim_users[0]
    )
    assert user.attributes["title"] == "\ufffd" and user.attributes["\ufffd"] == 1
