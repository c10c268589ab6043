"""The self-serve setup page a ``POST /v1/setup-urls`` link opens, in headless Chromium (as
tests/ui drives the dashboard): the SCIM base URL, generating then rotating the bearer token
(immediate: the old token dies), the SAML connection's fields, one-time links that expire on
the mock clock (store/admin_mgmt.go, store/admin.go)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import trustme

from mockscim import MockServer, Settings
from tests.ui.browser import CHROMIUM, chromium

if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright")
expect = sync_api.expect

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def srv() -> Iterator[MockServer]:
    with MockServer(Settings()) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: Any, srv: MockServer) -> Iterator[Any]:
    srv.reset()
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _tenant(srv: MockServer) -> tuple[Any, Any, Any]:
    client = srv.ssoready_client()
    org = client.management.organizations.create_organization(
        external_id="acme", domains=["acme.test"]
    ).organization
    directory = client.management.scim_directories.create_scim_directory(
        organization_id=org.id, primary=True
    ).scim_directory
    connection = client.management.saml_connections.create_saml_connection(
        organization_id=org.id, primary=True, idp_entity_id="https://idp.test/e"
    ).saml_connection
    return client, directory, connection


def _scim_status(directory: Any, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return requests.get(directory.scim_base_url + "/Users", headers=headers, timeout=10).status_code


def test_setup_page_generates_then_rotates_the_token(page: Any, srv: MockServer) -> None:
    client, directory, connection = _tenant(srv)
    url = client.management.setup_urls.create_setup_url(
        organization_id=directory.organization_id, can_manage_saml=True, can_manage_scim=True
    ).url
    page.goto(url)
    expect(page.get_by_test_id("scim-base-url")).to_have_text(directory.scim_base_url)
    expect(page.get_by_test_id("sp-acs-url")).to_have_text(connection.sp_acs_url)
    expect(page.get_by_test_id("idp-entity-id")).to_have_text("https://idp.test/e")
    assert "one-time-token" not in page.url  # the token leaves the address bar

    page.get_by_role("button", name="Generate bearer token").click()
    token = page.locator("#bearer-token")
    expect(token).to_have_text(re.compile(r"^ssoready_scim_bearer_token_[0-9a-z]{25}$"))
    first = token.inner_text()
    assert _scim_status(directory, first) == 200
    page.get_by_role("button", name="Close").click()

    page.get_by_role("button", name="Rotate bearer token").click()
    page.get_by_role("button", name="I understand, rotate bearer token").click()
    expect(token).not_to_have_text(first)
    second = token.inner_text()
    assert (_scim_status(directory, first), _scim_status(directory, second)) == (401, 200)


def test_a_link_works_once_and_expires_after_a_day(page: Any, srv: MockServer) -> None:
    client, directory, _ = _tenant(srv)
    setup = client.management.setup_urls
    url = setup.create_setup_url(
        organization_id=directory.organization_id, can_manage_saml=True
    ).url
    used = page.context.new_page()
    used.goto(url)
    expect(used.get_by_test_id("scim-base-url")).to_be_visible()
    page.goto(url)  # the second visit: the one-time token is gone
    expect(page.get_by_text("Setup links expire once you visit them")).to_be_visible()
    expect(page.get_by_test_id("scim-base-url")).to_have_count(0)

    late = setup.create_setup_url(organization_id=directory.organization_id, can_manage_saml=True)
    srv.clock.advance(24 * 3600)
    page.goto(late.url)
    expect(page.get_by_role("alert")).to_contain_text("no rows in result set")
    expect(page.get_by_test_id("scim-base-url")).to_have_count(0)


def test_saml_login_through_the_mock_idp_page(page: Any, srv: MockServer) -> None:
    """The redirect URL opens the mock IdP page; picking the user and logging in lands on
    the environment's redirect URL with an access code that redeems for that user."""
    client, directory, connection = _tenant(srv)
    client.management.saml_connections.update_saml_connection(
        id_=connection.id, primary=True, idp_certificate=trustme.CA().cert_pem.bytes().decode()
    )
    srv.ssoready.set_redirect_url(f"{srv.url}/_mockscim/health")
    redirect = client.saml.get_saml_redirect_url(
        organization_id=directory.organization_id, state="after-login"
    ).redirect_url
    page.goto(redirect)
    page.get_by_label("Email").fill("grace@acme.test")
    page.get_by_label("Attributes").fill("role=admin")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/_mockscim/health?saml_access_code=*")
    code = page.url.split("saml_access_code=")[1]
    redeemed = client.saml.redeem_saml_access_code(saml_access_code=code)
    assert (redeemed.email, redeemed.state, redeemed.attributes) == (
        "grace@acme.test",
        "after-login",
        {"role": "admin"},
    )
