"""``GET /_mockscim/info``: the version and, per registered vendor, the credentials the mock
accepts; the dashboard calls the vendors' own APIs with them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import Flask

from mockscim import __version__
from mockscim.app import create_app
from mockscim.settings import Settings
from mockscim.vendors import VENDORS


@pytest.fixture
def settings() -> Settings:
    return Settings(scenario="none").with_overrides(
        stytch_project_id="project-test-11111111-1111-4111-8111-111111111111",
        stytch_secret="secret-test-info-endpoint",
        ssoready_api_key="ssoready_sk_infoendpointmanagement",
        ssoready_app_key="ssoready_sk_infoendpointapp",
    )


@pytest.fixture
def app(settings: Settings) -> Flask:
    return create_app(settings)


def test_info_reports_the_version_and_each_vendors_credentials(app: Flask) -> None:
    res = app.test_client().get("/_mockscim/info")
    assert res.status_code == 200
    assert res.get_json() == {
        "version": __version__,
        "stytch": {
            "project_id": "project-test-11111111-1111-4111-8111-111111111111",
            "secret": "secret-test-info-endpoint",
        },
        "ssoready": {
            "api_key": "ssoready_sk_infoendpointmanagement",
            "app_key": "ssoready_sk_infoendpointapp",
        },
        "profiles": {"ssoready": "exact"},
        "control_token_required": False,
    }
    # It carries credentials: never cached.
    assert res.headers["Cache-Control"] == "no-store"


def test_info_follows_the_vendor_registry(
    app: Flask, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A vendor added to the registry appears with its options' settings fields, the vendor
    prefix dropped; the control plane names no vendor itself."""
    option = SimpleNamespace(field="extra_public_url", credential=True)
    vendor = SimpleNamespace(name="extra", options=(option,), profile=lambda settings: None)
    monkeypatch.setitem(VENDORS, "extra", vendor)
    monkeypatch.setattr(Settings, "extra_public_url", "https://extra.test", raising=False)
    body = app.test_client().get("/_mockscim/info").get_json()
    assert body["extra"] == {"public_url": "https://extra.test"}
    assert set(body) == {"version", *VENDORS, "profiles", "control_token_required"}


def test_info_is_not_journaled(app: Flask, settings: Settings) -> None:
    """The control plane is not journaled, so the credentials never reach the journal."""
    client = app.test_client()
    assert client.get("/_mockscim/info").status_code == 200
    entries = client.get("/_mockscim/requests").get_json()["requests"]
    assert entries == []
    assert settings.stytch_secret not in client.get("/_mockscim/requests").get_data(as_text=True)
