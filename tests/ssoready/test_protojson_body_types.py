"""A known field of the wrong proto type is refused before any handler runs, used or not.

SSOReady's REST API is vanguard-go v0.2.0 in front of Connect handlers: the body is decoded
with protojson into the whole request message first, and a decode failure is
``malformedRequestError`` (errors.go): InvalidArgument, HTTP 400. So ``environmentId: {}`` on
CreateOrganization is a 400 even though the handler never reads ``environmentId``; and a
malformed body on an unknown id is that 400, not the store's code-2 500. Found by fuzzing the
mock against SSOReady's own ``openapi.yaml`` (contract_tests/test_vendor_openapi.py).
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
    assert r.status_code == 400, r.get_data(as_text=True)
    assert r.get_json()["code"] == 3
    after = client.get(f"/v1/scim-directories?organizationId={org_id}", headers=_auth(app))
    assert after.get_json() == before.get_json()  # nothing half-applied
