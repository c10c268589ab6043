"""The bad-input catalogue: every case is a 4xx SCIM error and leaves state unchanged."""

from __future__ import annotations

import json

import pytest

from mockscim.scim.schemas import USER

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


@pytest.fixture
def seeded(scim):
    user = scim.create_user("seed@example.com", active=True, name={"givenName": "Seed"})
    group = scim.create_group("Seeded", [user["id"]])
    return user["id"], group["id"]


def _ops(*ops):
    return {"schemas": [PATCH], "Operations": list(ops)}


CASES = [
    # (name, method, path template, body or raw bytes, status, scimType)
    ("malformed json", "POST", "/Users", b'{"userName": ', 400, "invalidSyntax"),
    ("empty body", "POST", "/Users", b"", 400, "invalidSyntax"),
    ("body not an object", "POST", "/Users", [1, 2], 400, "invalidSyntax"),
    ("missing userName", "POST", "/Users", {"schemas": [USER]}, 400, "invalidValue"),
    ("userName wrong type", "POST", "/Users", {"userName": 42}, 400, "invalidValue"),
    ("blank userName", "POST", "/Users", {"userName": "  "}, 400, "invalidValue"),
    (
        "active not boolean",
        "POST",
        "/Users",
        {"userName": "x@e.com", "active": "maybe"},
        400,
        "invalidValue",
    ),
    (
        "emails not a list",
        "POST",
        "/Users",
        {"userName": "x@e.com", "emails": "x@e.com"},
        400,
        "invalidValue",
    ),
    (
        "name not an object",
        "POST",
        "/Users",
        {"userName": "x@e.com", "name": "X"},
        400,
        "invalidValue",
    ),
    (
        "schemas not a list",
        "POST",
        "/Users",
        {"userName": "x@e.com", "schemas": USER},
        400,
        "invalidValue",
    ),
    (
        "externalId wrong type",
        "POST",
        "/Users",
        {"userName": "x@e.com", "externalId": 7},
        400,
        "invalidValue",
    ),
    ("duplicate userName", "POST", "/Users", {"userName": "SEED@example.com"}, 409, "uniqueness"),
    ("group without displayName", "POST", "/Groups", {"members": []}, 400, "invalidValue"),
    ("PUT wrong type", "PUT", "/Users/{uid}", {"userName": ["a"]}, 400, "invalidValue"),
    ("PUT unknown id", "PUT", "/Users/nope", {"userName": "n@e.com"}, 404, None),
    (
        "PATCH unknown id",
        "PATCH",
        "/Users/nope",
        _ops({"op": "replace", "value": {"active": False}}),
        404,
        None,
    ),
    (
        "PATCH bad op",
        "PATCH",
        "/Users/{uid}",
        _ops({"op": "merge", "path": "active", "value": False}),
        400,
        "invalidSyntax",
    ),
    (
        "PATCH no operations",
        "PATCH",
        "/Users/{uid}",
        {"schemas": [PATCH], "Operations": []},
        400,
        "invalidSyntax",
    ),
    (
        "PATCH unknown path",
        "PATCH",
        "/Users/{uid}",
        _ops({"op": "replace", "path": "nosuchattr", "value": 1}),
        400,
        "invalidPath",
    ),
    (
        "PATCH malformed path",
        "PATCH",
        "/Users/{uid}",
        _ops({"op": "replace", "path": "emails[type eq", "value": 1}),
        400,
        "invalidPath",
    ),
    ("PATCH remove without path", "PATCH", "/Users/{uid}", _ops({"op": "remove"}), 400, "noTarget"),
    (
        "PATCH read-only id",
        "PATCH",
        "/Users/{uid}",
        _ops({"op": "replace", "path": "id", "value": "x"}),
        400,
        "mutability",
    ),
    (
        "PATCH remove userName",
        "PATCH",
        "/Users/{uid}",
        _ops({"op": "remove", "path": "userName"}),
        400,
        "mutability",
    ),
    (
        "PATCH wrong boolean",
        "PATCH",
        "/Users/{uid}",
        _ops({"op": "replace", "path": "active", "value": "perhaps"}),
        400,
        "invalidValue",
    ),
    (
        "PATCH atomic: second op fails",
        "PATCH",
        "/Users/{uid}",
        _ops(
            {"op": "replace", "path": "active", "value": False},
            {"op": "replace", "path": "bogus.path", "value": 1},
        ),
        400,
        "invalidPath",
    ),
    (
        "PATCH group unknown member",
        "PATCH",
        "/Groups/{gid}",
        _ops({"op": "add", "path": "members", "value": [{"value": "ghost"}]}),
        400,
        "invalidValue",
    ),
    ("filter syntax", "GET", "/Users?filter=userName%20eq", None, 400, "invalidFilter"),
    (
        "filter unknown attribute",
        "GET",
        '/Users?filter=shoeSize%20eq%20"9"',
        None,
        400,
        "invalidFilter",
    ),
    (
        "filter unknown operator",
        "GET",
        '/Users?filter=userName%20like%20"x"',
        None,
        400,
        "invalidFilter",
    ),
    (
        "filter unbalanced parens",
        "GET",
        '/Users?filter=(userName%20eq%20"x"',
        None,
        400,
        "invalidFilter",
    ),
    (
        "oversized body",
        "POST",
        "/Users",
        {"userName": "big@e.com", "title": "x" * (70 * 1024)},
        413,
        None,
    ),
    (
        "oversized PATCH",
        "PATCH",
        "/Users/{uid}",
        _ops({"op": "replace", "path": "title", "value": "y" * (70 * 1024)}),
        413,
        None,
    ),
    ("unknown user", "GET", "/Users/does-not-exist", None, 404, None),
    ("unknown group delete", "DELETE", "/Groups/does-not-exist", None, 404, None),
]


@pytest.mark.parametrize(
    ("name", "method", "path", "body", "status", "scim_type"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_input_is_a_scim_4xx_and_changes_nothing(
    scim, mock, seeded, name, method, path, body, status, scim_type
):
    uid, gid = seeded
    before = json.dumps(mock.store.snapshot(), sort_keys=True)
    raw = body if isinstance(body, bytes) else None
    response = scim.request(
        method, path.format(uid=uid, gid=gid), None if raw is not None else body, raw=raw
    )
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()
    assert error["schemas"] == [ERROR]
    assert error["status"] == str(status)
    assert isinstance(error["detail"], str) and error["detail"]
    if scim_type:
        assert error.get("scimType") == scim_type
    assert json.dumps(mock.store.snapshot(), sort_keys=True) == before


def test_unknown_route_and_method_answer_in_scim_format(scim):
    response = scim.request("PATCH", "/Users")
    assert response.status_code == 405
    assert response.get_json()["schemas"] == [ERROR]
