"""The dashboard's "Log in" button on a Stytch member (Chromium via Playwright): it mints a
member session as ``mockscim.stytch.login`` does and shows its token once, and the official
SDK's ``sessions.authenticate`` accepts that token (stytch-python ``b2b/api/sessions.py``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from mockscim import MockServer, Settings
from tests.ui.browser import CHROMIUM, chromium

if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM}", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright")
expect = sync_api.expect

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def srv() -> Iterator[MockServer]:
    with MockServer(Settings(scenario="demo")) as server:
        yield server


@pytest.fixture
def page(srv: MockServer) -> Iterator[Any]:
    srv.reset()
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        yield page
        browser.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_log_in_button_mints_a_session_the_sdk_accepts(page: Any, srv: MockServer) -> None:
    page.goto(f"{srv.url}/_mockscim/ui#/organizations")
    expect(page.locator("#clock-now")).not_to_have_text("…")
    page.get_by_role("link", name="Users and groups of Entra SCIM (Globex)").click()
    page.get_by_role("button", name="Log in as rweber@globex.test").click()
    box = page.locator("#one-time-token")
    expect(box).to_be_visible()
    token = box.inner_text().strip()
    assert len(token) == 44
    resp = srv.stytch_client().sessions.authenticate(session_token=token)
    assert resp.member.email_address == "rweber@globex.test"
    assert "stytch_admin" in resp.member_session.roles  # via the Finance group
