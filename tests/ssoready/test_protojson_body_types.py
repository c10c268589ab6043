"""A known field of the wrong proto type is refused before any handler runs, used or not.

SSOReady's REST API is vanguard-go v0.2.0 in front of Connect handlers: the body is decoded
with protojson into the whole request message first, so ``environmentId: {}`` on
CreateOrganization is refused even though the handler never reads ``environmentId``, and a
malformed body on an unknown id is that error, not the store's. Found by fuzzing the mock
against SSOReady's own ``openapi.yaml`` (contract_tests/test_vendor_openapi.py).

The code: for a REST client in front of a Connect unary handler nothing decodes the request
up front (``connectUnaryServerProtocol.requiresMessageToProvideRequestLine`` is false without
GET support), so the decode happens in ``transformingReader.Read`` -> ``prepareMessage``, whose
plain protojson error goes to ``responseWriter.reportError``: ``connect.CodeUnknown``, which
the REST protocol answers as HTTP 500 (``malformedRequestError``, code 3, only wraps envelope
errors of enveloped protocols). ``exact`` answers that code 2; ``rfc`` keeps its 400 code 3.
"""

from __future__ import annotations

import pytest
from flask import Flask

from mockscim.app import create_app
from mockscim.settings import Settings

SETTINGS = Settings()


def _auth(app: Flask) -> dict[str, str]:
    return {"Authorization": f"Bearer {SETTINGS.ssoready_api_key}"}


@pytest.fixture(params=["exact", "rfc"])
def app(request: pytest.FixtureRequest) -> Flask:
    return create_app(Settings(ssoready_profile=request.param))


def _org_and_directory(app: Flask) -> tuple[str, str]:
    client = app.test_client()
    org = client.post("/v1/organizations", json={"domains": ["example.com"]}, headers=_auth(app))
    assert org.status_code == 200, org.get_data(as_text=True)
    org_id = org.get_json()["organization"]["id"]
    directory = client.post(
        "/v1/scim-directories", json={"organizationId": org_id}, headers=_auth(app)
    )
    assert directory.status_code == 200, directory.get_data(as_text=True)
    return org_id, directory.get_json()["scimDirectory"]["id"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/organizations", {"environmentId": {}}),
        ("POST", "/v1/organizations", {"id": 5, "domains": ["example.com"]}),
        ("POST", "/v1/scim-directories", {"organizationId": "{org}", "hasClientBearerToken": "y"}),
        ("PATCH", "/v1/organizations/{org}", {"environmentId": {}}),
        ("PATCH", "/v1/scim-directories/{dir}", {"scimBaseUrl": 1}),
        ("PATCH", "/v1/scim-directories/{dir}", {"hasClientBearerToken": "false"}),
        # An id naming nothing: the body fails to decode first (400), no store lookup (500).
        ("PATCH", "/v1/organizations/org_nothing", {"environmentId": {}}),
        ("PATCH", "/v1/scim-directories/nope", {"id": []}),
    ],
)
def test_wrong_type_is_invalid_argument(app: Flask, method: str, path: str, body: dict) -> None:
    org_id, dir_id = _org_and_directory(app)
    path = path.replace("{org}", org_id).replace("{dir}", dir_id)
    body = {k: (org_id if v == "{org}" else v) for k, v in body.items()}
    client = app.test_client()
    before = client.get(f"/v1/scim-directories?organizationId={org_id}", headers=_auth(app))
    r = client.open(path, method=method, json=body, headers=_auth(app))
    exact = app.extensions["mockscim"].settings.ssoready_profile == "exact"
    expected = (500, 2) if exact else (400, 3)
    assert (r.status_code, r.get_json()["code"]) == expected, r.get_data(as_text=True)
    if exact:
        assert r.get_json()["message"].startswith("proto: ")
    after = client.get(f"/v1/scim-directories?organizationId={org_id}", headers=_auth(app))
    assert after.get_json() == before.get_json()  # nothing half-applied
