"""Per-vendor public URLs: ``Settings.<vendor>_public_url`` overrides ``public_url`` for that
vendor's URLs only (the base URLs its API returns and the SCIM ``Location`` headers), so
socket-free mode can put SSOReady's ``scimBaseUrl`` on its auth host while Stytch's base_url
stays on the host its API answered on.

SSOReady builds ``scimBaseUrl`` from the environment's auth URL, not the API host
(ssoready/ssoready internal/store/scim_directories_mgmt.go, CreateSCIMDirectory); production's
default auth URL is https://auth.ssoready.com (cmd/api/task-definition-prod.json)."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from mockscim import Settings, create_app
from mockscim.control.client import Control
from mockscim.http.context import configured_public_url


@pytest.fixture
def handle() -> Any:
    # SSOReady's rfc profile: its SCIM server sends Location headers (the exact one sends none).
    settings = Settings(
        public_url="https://mock.example/",
        ssoready_public_url="https://auth.example",
        ssoready_profile="rfc",
    )
    app = create_app(settings)
    return app, Control(app), settings


def test_each_vendor_reports_its_own_public_url(handle: Any) -> None:
    app, ctl, settings = handle
    client = app.test_client()
    stytch_org = ctl.stytch.create_org("Acme")
    basic = base64.b64encode(f"{settings.stytch_project_id}:{settings.stytch_secret}".encode())
    got = client.get(
        f"/v1/b2b/scim/{stytch_org['organization_id']}/connection",
        headers={"Authorization": f"Basic {basic.decode()}"},
    ).get_json()
    assert got["connection"]["base_url"] == (
        f"https://mock.example/v1/b2b/scim/{stytch_org['connection_id']}"
    )
    created = client.post(
        stytch_org["scim_base_path"] + "/Users",
        json={"userName": "ada@acme.test", "emails": [{"value": "ada@acme.test"}]},
        headers={"Authorization": f"Bearer {stytch_org['bearer_token']}"},
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.headers["Location"].startswith("https://mock.example/v1/b2b/scim/")

    sso_org = ctl.ssoready.create_org("initech")
    directory = client.get(
        f"/v1/scim-directories/{sso_org['scim_directory_id']}",
        headers={"Authorization": f"Bearer {settings.ssoready_api_key}"},
    ).get_json()
    assert directory["scimDirectory"]["scimBaseUrl"] == (
        f"https://auth.example/v1/scim/{sso_org['scim_directory_id']}"
    )
    created = client.post(
        sso_org["scim_base_path"] + "/Users",
        json={"userName": "ada@initech.test"},
        headers={"Authorization": f"Bearer {sso_org['bearer_token']}"},
    )
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.headers["Location"].startswith(
        f"https://auth.example/v1/scim/{sso_org['scim_directory_id']}/Users/"
    )


def test_the_vendor_url_falls_back_to_public_url_then_nothing() -> None:
    settings = Settings(public_url="https://mock.example", stytch_public_url="https://s.example")
    assert configured_public_url(settings, "stytch") == "https://s.example"
    assert configured_public_url(settings, "ssoready") == "https://mock.example"
    assert configured_public_url(settings, "no-such-vendor") == "https://mock.example"
    assert configured_public_url(settings) == "https://mock.example"
    assert configured_public_url(Settings(), "ssoready") == ""
