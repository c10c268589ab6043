"""``NaN``, ``Infinity`` and ``-Infinity`` are not JSON (RFC 8259 section 6). Python's decoder
accepts them, so a body carrying one in a field the endpoint ignores used to be accepted and
the write applied; the vendors' decoders (Go's ``encoding/json``, protojson behind vanguard)
refuse the whole body as a syntax error. Each surface now answers its own malformed-JSON error
and writes nothing (``engine/jsontext.reject_constant``)."""

from __future__ import annotations

import pytest

from mockscim.app import create_app
from mockscim.http.context import mock_of
from mockscim.settings import Settings

SETTINGS = Settings(ssoready_profile="rfc")
AUTH = (SETTINGS.stytch_project_id, SETTINGS.stytch_secret)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_stytch_api_refuses_the_body(literal: str) -> None:
    client = create_app(SETTINGS).test_client()
    body = '{"organization_name": "Acme", "organization_slug": "acme", "x": ' + literal + "}"
    r = client.post(
        "/v1/b2b/organizations",
        data=body,
        headers={"Content-Type": "application/json"},
        auth=AUTH,
    )
    # The same answer as any malformed body on this surface.
    assert r.status_code == 400 and r.get_json()["error_type"] == "bad_request"
    assert "not valid JSON" in r.get_json()["error_message"]
    orgs = client.post("/v1/b2b/organizations/search", json={}, auth=AUTH).get_json()
    assert orgs["organizations"] == []


@pytest.mark.parametrize("literal", ["NaN", "Infinity"])
def test_stytch_scim_refuses_the_body(literal: str) -> None:
    app = create_app(Settings(scenario="demo"))
    app_mock = mock_of(app)
    app_mock.open()
    acme = next(
        o for o in app_mock.scenario_report["stytch"]["organizations"] if o["key"] == "acme"
    )
    client = app.test_client()
    auth = {
        "Authorization": f"Bearer {acme['bearer_token']}",
        "Content-Type": "application/scim+json",
    }
    body = '{"userName": "nan@acme.test", "x": ' + literal + "}"
    r = client.post(f"{acme['scim_base_path']}/Users", data=body, headers=auth)
    assert r.status_code == 400 and r.get_json()["scimType"] == "invalidSyntax"
    listed = client.get(
        f"{acme['scim_base_path']}/Users",
        query_string={"filter": 'userName eq "nan@acme.test"'},
        headers=auth,
    ).get_json()
    assert listed["totalResults"] == 0
