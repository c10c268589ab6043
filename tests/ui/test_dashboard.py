"""The dashboard (``/_mockscim/ui``) in a real browser: Debian's Chromium driven by Playwright.

One mock (bundled demo scenario) and one browser for the module; each test resets the mock
and opens a fresh page, and fails if the page raised a JavaScript error. Skipped, with the
reason, on a machine without /usr/bin/chromium or Playwright; ``tests/ui/test_serving.py``
checks what needs no browser.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from mockscim import MockServer, Settings
from tests.ui.browser import CHROMIUM, chromium

ACME_TOKEN = "DemoAcmeScimToken000000000000000000000000000Acme"
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'
XSS_IN_JSON = "<script>window.__xss=1</script><img src=x onerror="  # before JSON's \" escapes

if not os.access(CHROMIUM, os.X_OK):
    pytest.skip(
        f"browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium "
        "(as root; .ci/run installs it)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="browser tests need Playwright: make setup (the dev extra)"
)
expect = sync_api.expect

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
def srv() -> Iterator[MockServer]:
    with MockServer(Settings(scenario="demo")) as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: Any, srv: MockServer) -> Iterator[Any]:
    srv.reset()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def add_hook(srv: MockServer) -> Iterator[Any]:
    """Add a before-request function to the mock's Flask app for this test only: it runs
    after the mock's own hooks, and a response it returns answers the request."""
    hooks = srv.app.before_request_funcs.setdefault(None, [])
    added: list[Any] = []

    def add(hook: Any) -> None:
        hooks.append(hook)
        added.append(hook)

    yield add
    for hook in added:
        hooks.remove(hook)


def state(srv: MockServer) -> dict[str, Any]:
    return requests.get(f"{srv.url}/_mockscim/state", timeout=10).json()


def stytch_connection(srv: MockServer, display_name: str) -> dict[str, Any]:
    conns = state(srv)["vendors"]["stytch"]["connections"]
    return next(c for c in conns if c["display_name"] == display_name)


def ssoready_directory(srv: MockServer, external_id: str) -> dict[str, Any]:
    sso = state(srv)["vendors"]["ssoready"]
    org = next(o for o in sso["organizations"] if o["external_id"] == external_id)
    return next(d for d in sso["directories"] if d["organization_id"] == org["id"])


def open_dashboard(page: Any, srv: MockServer, view: str = "organizations") -> None:
    page.goto(f"{srv.url}/_mockscim/ui#/{view}")
    expect(page.locator("#clock-now")).not_to_have_text("…")


def scim_get(url: str, token: str) -> requests.Response:
    return requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)


# ---------------------------------------------------------------------------- 1. overview


def test_dashboard_shows_the_demo_organizations_and_directories(page: Any, srv: MockServer) -> None:
    open_dashboard(page, srv)
    main = page.locator("main")
    for name in ("Acme Corp", "Globex", "Initech", "Umbrella"):
        expect(main.get_by_role("heading", name=name)).to_be_visible()
    acme = stytch_connection(srv, "Okta SCIM")
    initech = ssoready_directory(srv, "initech")
    expect(main).to_contain_text(f"{srv.url}/v1/b2b/scim/{acme['connection_id']}")
    expect(main).to_contain_text(f"{srv.url}/v1/scim/{initech['id']}")
    globex = page.locator(
        f'[data-connection="{stytch_connection(srv, "Entra SCIM")["connection_id"]}"]'
    )
    expect(globex.get_by_text("rotating")).to_be_visible()  # the demo's Globex is mid-rotation
    umbrella = page.locator(f'[data-directory="{ssoready_directory(srv, "umbrella")["id"]}"]')
    expect(umbrella.get_by_text("no token yet")).to_be_visible()
    # Never a stored secret nor the mock's credentials on the page.
    html = page.content()
    for secret in (
        srv.settings.stytch_secret,
        srv.settings.ssoready_api_key,
        acme["current"]["digest"],
    ):
        assert secret not in html

    page.get_by_role("link", name="Users and groups of Entra SCIM (Globex)").click()
    expect(page.get_by_role("heading", name="Globex — Entra SCIM")).to_be_visible()
    users = page.get_by_role("region", name="Users table")
    expect(users.get_by_role("rowheader", name="rweber@globex.test")).to_be_visible()
    # Rafael is in Finance, which the connection maps to stytch_admin: his member has it.
    row = users.locator("tr", has=page.get_by_role("rowheader", name="rweber@globex.test"))
    expect(row).to_contain_text("stytch_admin")
    expect(row).to_contain_text("via group Finance")
    groups = page.get_by_role("region", name="Groups table")
    expect(groups.get_by_role("rowheader", name="Finance")).to_be_visible()


# ---------------------------------------------------------------------------- 2. Stytch rotation


def journal_entry(page: Any, seq: int) -> Any:
    return page.locator(f'#journal-list > li[data-seq="{seq}"]')


def latest_seq(srv: MockServer) -> int:
    entries = requests.get(f"{srv.url}/_mockscim/requests", timeout=10).json()["requests"]
    return entries[-1]["seq"]


def test_stytch_rotation_through_the_buttons_and_the_journal(page: Any, srv: MockServer) -> None:
    conn = stytch_connection(srv, "Okta SCIM")
    base = f"{srv.url}/v1/b2b/scim/{conn['connection_id']}"
    open_dashboard(page, srv)
    complete = page.get_by_role("button", name="Complete rotation for Okta SCIM (Acme Corp)")
    expect(complete).to_be_disabled()

    page.get_by_role("button", name="Start rotation for Okta SCIM (Acme Corp)").click()
    token_box = page.locator("#one-time-token")
    expect(token_box).to_be_visible()
    next_token = token_box.inner_text().strip()
    assert len(next_token) > 20 and next_token != ACME_TOKEN
    assert stytch_connection(srv, "Okta SCIM")["next"]["last_four"] == next_token[-4:]
    card = page.locator(f'[data-connection="{conn["connection_id"]}"]')
    expect(card).to_contain_text(f"••••{next_token[-4:]}")

    assert scim_get(base + "/Users", next_token).status_code == 200
    next_seq = latest_seq(srv)

    page.get_by_role("button", name="Dismiss").click()
    expect(token_box).to_have_count(0)
    assert next_token not in page.content()  # shown once
    expect(complete).to_be_enabled()
    complete.click()
    expect(page.locator("#notices")).to_contain_text("Rotation completed")
    expect(complete).to_be_disabled()
    assert stytch_connection(srv, "Okta SCIM")["current"]["last_four"] == next_token[-4:]

    assert scim_get(base + "/Users", ACME_TOKEN).status_code == 401
    old_seq = latest_seq(srv)

    page.get_by_role("link", name="Request journal").click()
    old_entry = journal_entry(page, old_seq)
    expect(old_entry).to_be_visible()
    expect(old_entry.locator(".cred")).to_have_text("invalid")
    expect(old_entry.locator("summary")).to_contain_text("401")
    expect(journal_entry(page, next_seq).locator(".cred")).to_have_text("next")

    # Live: a request made while the journal is open appears without reloading.
    assert scim_get(base + "/Groups", next_token).status_code == 200
    live_seq = latest_seq(srv)
    expect(journal_entry(page, live_seq).locator(".cred")).to_have_text("current")

    # Filter by credential, then expand an entry to its (redacted) bodies.
    page.get_by_label("Credential").select_option("invalid")
    expect(page.locator("#journal-list > li")).to_have_count(1)
    expect(journal_entry(page, old_seq)).to_be_visible()
    old_entry.locator("summary").click()
    expect(old_entry.get_by_role("heading", name="Response body")).to_be_visible()
    expect(old_entry.locator("pre.json")).to_contain_text("Authorization failure")
    assert ACME_TOKEN not in page.content()


# ---------------------------------------------------------------------------- 3. SSOReady rotation


def test_ssoready_rotation_shows_the_new_token_once(page: Any, srv: MockServer) -> None:
    directory = ssoready_directory(srv, "umbrella")
    assert directory["token"] is None
    open_dashboard(page, srv)
    page.get_by_role("button", name="Rotate bearer token for Umbrella directory").click()
    box = page.locator("#one-time-token")
    expect(box).to_be_visible()
    token = box.inner_text().strip()
    assert token.startswith("ssoready_scim_bearer_token_")
    assert scim_get(f"{srv.url}/v1/scim/{directory['id']}/Users", token).status_code == 200
    card = page.locator(f'[data-directory="{directory["id"]}"]')
    expect(card).to_contain_text(f"••••{token[-4:]}")
    expect(card).to_contain_text("token set")

    page.get_by_role("button", name="Dismiss").click()
    expect(box).to_have_count(0)
    page.reload()
    expect(page.get_by_role("heading", name="Umbrella")).to_be_visible()
    assert token not in page.content()


# ---------------------------------------------------------------------------- 4. hostile attributes


def test_hostile_attributes_are_shown_as_text_and_never_run(page: Any, srv: MockServer) -> None:
    conn = stytch_connection(srv, "Okta SCIM")
    created = requests.post(
        f"{srv.url}/v1/b2b/scim/{conn['connection_id']}/Users",
        headers={"Authorization": f"Bearer {ACME_TOKEN}"},
        json={
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "mallory@acme.test",
            "displayName": XSS,
            "name": {"givenName": XSS, "familyName": "Hacker", "formatted": XSS},
            "title": XSS,
            "emails": [{"value": "mallory@acme.test", "primary": True}],
            "active": True,
        },
        timeout=10,
    )
    assert created.status_code == 201, created.text
    assert created.json()["displayName"] == XSS

    page.goto(f"{srv.url}/_mockscim/ui#/directory/{conn['connection_id']}")
    row = page.locator("tr", has=page.get_by_role("rowheader", name="mallory@acme.test"))
    expect(row).to_be_visible()
    expect(row.get_by_role("cell", name=XSS, exact=True)).to_be_visible()
    row.get_by_role("button", name="Show").click()
    detail = row.locator("xpath=following-sibling::tr[1]")
    expect(detail.locator("pre")).to_contain_text(XSS_IN_JSON)
    # The Stytch member it became carries the hostile name too.
    expect(row).to_contain_text("member-test-")

    page.get_by_role("link", name="Request journal").click()
    entry = page.locator("#journal-list > li", has_text="POST").first
    entry.locator("summary").click()
    expect(entry.locator("pre").first).to_contain_text(XSS_IN_JSON)

    assert page.evaluate("window.__xss") is None
    assert page.locator("main img, main script").count() == 0


# ---------------------------------------------------------------------------- 5. keyboard


def focused_text(page: Any) -> str:
    return page.evaluate("document.activeElement && document.activeElement.textContent.trim()")


def tab_to(page: Any, text: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_text(page) == text:
            return
    raise AssertionError(f"never reached {text!r} with Tab")


def test_keyboard_only(page: Any, srv: MockServer) -> None:
    open_dashboard(page, srv)
    expect(page.get_by_role("heading", name="Acme Corp")).to_be_visible()
    page.locator("body").focus()
    tab_to(page, "Start rotation")  # Acme's, the first on the page
    page.keyboard.press("Enter")
    box = page.locator(".secret-box")
    expect(box).to_be_focused()
    expect(box.locator("#one-time-token")).to_be_visible()
    tab_to(page, "Dismiss")
    page.keyboard.press("Enter")
    expect(box).to_have_count(0)
    assert stytch_connection(srv, "Okta SCIM")["next"] is not None

    tab_to(page, "Faults & clock")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Faults & clock")).to_be_visible()

    tab_to(page, "Freeze clock")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # visible focus
    page.keyboard.press("Enter")
    expect(page.locator("#clock-view-mode")).to_have_text("frozen")
    assert requests.get(f"{srv.url}/_mockscim/clock", timeout=10).json()["mode"] == "frozen"

    tab_to(page, "Unfreeze clock")
    page.keyboard.press("Space")
    expect(page.locator("#clock-view-mode")).not_to_have_text("frozen")
    assert requests.get(f"{srv.url}/_mockscim/clock", timeout=10).json()["mode"] != "frozen"

    # A journal entry expands with the keyboard.
    scim_get(
        f"{srv.url}/v1/b2b/scim/{stytch_connection(srv, 'Okta SCIM')['connection_id']}/Users",
        "nope",
    )
    page.goto(f"{srv.url}/_mockscim/ui#/journal")
    summary = page.locator("#journal-list > li summary").first
    expect(summary).to_be_visible()
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#journal-list > li details").first).to_have_attribute("open", "")


# ---------------------------------------------------------------------------- 6. faults and clock


def test_faults_and_clock_through_the_ui(page: Any, srv: MockServer) -> None:
    open_dashboard(page, srv, "faults")
    page.get_by_label("Path pattern").fill("/v1/b2b/scim/*/Users")
    page.get_by_label("Vendor").select_option("stytch")
    page.get_by_label("Method").select_option("GET")
    page.get_by_label("Status").fill("429")
    page.get_by_label("Retry-After (s)").fill("3")
    page.get_by_label("Count", exact=True).fill("2")
    page.get_by_role("button", name="Add fault").click()
    expect(page.locator("#faults-table tbody tr[data-fault-id]")).to_have_count(1)
    faults = requests.get(f"{srv.url}/_mockscim/faults", timeout=10).json()["faults"]
    assert len(faults) == 1
    rule = faults[0]
    assert (rule["path"], rule["vendor"], rule["method"]) == (
        "/v1/b2b/scim/*/Users",
        "stytch",
        ["GET"],
    )
    assert (rule["status"], rule["retry_after"], rule["count"]) == (429, 3, 2)

    # The fault is real, and the table follows its hit count.
    conn = stytch_connection(srv, "Okta SCIM")
    assert (
        scim_get(f"{srv.url}/v1/b2b/scim/{conn['connection_id']}/Users", ACME_TOKEN).status_code
        == 429
    )
    expect(page.locator("#faults-table tbody tr")).to_contain_text("1")

    page.get_by_role("button", name="Clear all faults").click()
    expect(page.locator("#faults-table")).to_contain_text("No faults.")
    assert requests.get(f"{srv.url}/_mockscim/faults", timeout=10).json()["faults"] == []

    page.get_by_role("button", name="Freeze clock", exact=True).click()
    expect(page.locator("#clock-view-mode")).to_have_text("frozen")
    before = requests.get(f"{srv.url}/_mockscim/clock", timeout=10).json()
    page.get_by_label("Advance by").fill("2")
    page.get_by_label("Unit").select_option("86400")
    page.get_by_role("button", name="Advance clock").click()
    expect(page.locator("#notices")).to_contain_text("Clock advanced")
    after = requests.get(f"{srv.url}/_mockscim/clock", timeout=10).json()
    from datetime import datetime

    delta = datetime.fromisoformat(after["now"].replace("Z", "+00:00")) - datetime.fromisoformat(
        before["now"].replace("Z", "+00:00")
    )
    assert delta.total_seconds() == 2 * 86400
    expect(page.locator("#clock-now")).to_contain_text(after["now"].replace("T", " "))

    # Reset puts everything back.
    page.get_by_role("button", name="Reset mock").click()
    expect(page.locator("#notices")).to_contain_text("Mock reset")
    assert requests.get(f"{srv.url}/_mockscim/clock", timeout=10).json()["mode"] == "real"


# ---------------------------------------------------------------------------- control token, webhooks


def test_control_token_prompt(page: Any, srv: MockServer, add_hook: Any) -> None:
    """Simulate ``--control-token``: every /_mockscim call but the page itself needs the header."""
    from flask import request

    seen: list[str | None] = []

    def require_token() -> Any:
        path = request.path
        if not path.startswith("/_mockscim/") or path.startswith("/_mockscim/ui"):
            return None
        seen.append(request.headers.get("X-Mockscim-Control-Token"))
        if request.headers.get("X-Mockscim-Control-Token") != "s3cret":
            return {"error": "control token required", "status": 401}, 401
        return None

    add_hook(require_token)
    open_dashboard_page = f"{srv.url}/_mockscim/ui#/organizations"
    page.goto(open_dashboard_page)
    field = page.get_by_label("Control token", exact=True)
    expect(field).to_be_visible()
    expect(field).to_be_focused()
    field.fill("s3cret")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Acme Corp")).to_be_visible()
    expect(page.locator("#token-prompt")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('mockscim.controlToken')") == "s3cret"
    assert "s3cret" in seen
    page.get_by_role("link", name="Faults & clock").click()
    page.get_by_role("button", name="Freeze clock", exact=True).click()
    expect(page.locator("#clock-view-mode")).to_have_text("frozen")


def test_webhooks_panel_shows_endpoints_and_their_delivery_attempts(
    page: Any, srv: MockServer
) -> None:
    """Stytch events reach a registered endpoint; the panel lists the endpoint, each message
    with its attempts (here refused: nothing listens there), and never the endpoint secret."""
    endpoint = srv.webhooks.add_endpoint(
        "http://127.0.0.1:9/stytch/webhooks", headers={"X-Shared-Token": "hdr-value-123"}
    )
    srv.stytch_client().organizations.create(organization_name="Hooked")
    srv.webhooks.flush()
    open_dashboard(page, srv)
    link = page.get_by_role("link", name="Webhooks")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", name="http://127.0.0.1:9/stytch/webhooks")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("direct.organization.create")
    expect(main).to_contain_text("1 attempt")
    main.get_by_text("direct.organization.create").first.click()
    expect(main).to_contain_text("ConnectionError")
    assert endpoint.secret.startswith("whsec_") and endpoint.secret not in page.content()
    # Custom headers by name; their values never reach the page.
    expect(main).to_contain_text("X-Shared-Token (values hidden)")
    assert "hdr-value-123" not in page.content()


# ---------------------------------------------------------------------------- narrow window


def test_narrow_window_reflows(browser: Any, srv: MockServer) -> None:
    srv.reset()
    context = browser.new_context(viewport={"width": 400, "height": 800})
    try:
        page = context.new_page()
        page.goto(f"{srv.url}/_mockscim/ui#/organizations")
        expect(page.get_by_role("heading", name="Acme Corp")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"the page scrolls sideways at 400px: {width}px wide"
    finally:
        context.close()


# ---------------------------------------------------------------------------- 8. a new user's view


def test_a_large_directory_is_paged_and_searchable(page: Any, srv: MockServer) -> None:
    """A 2,000-user directory rendered 2,028 rows (a 323,000 px page) with no search: now 50
    rows a page, a pager and a search over userName, name, email, external ID and id."""
    from mockscim.http.context import mock_of
    from mockscim.testing.factories import generate_scenario

    scenario = generate_scenario(4, 2000, 2, stytch_orgs=1, ssoready_orgs=0)
    report = mock_of(srv.app).load(scenario)  # in-process: ~3 MB, over the HTTP body limit
    (org,) = report["stytch"]["organizations"]
    some_user = sorted(org["users"])[1234]
    page.goto(f"{srv.url}/_mockscim/ui#/directory/{org['connection_id']}")
    users = page.get_by_role("region", name="Users table")
    expect(users.locator("caption")).to_have_text("Users (2000)")
    expect(users.locator("tbody > tr")).to_have_count(50)
    section = page.locator('[data-table^="users:"]')
    expect(section.locator(".page-status")).to_have_text("Showing 1\u201350 of 2000")
    expect(section.locator(".page-number")).to_have_text("Page 1 of 40")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 20_000, height

    section.get_by_role("button", name="Next →").click()
    expect(section.locator(".page-status")).to_have_text("Showing 51\u2013100 of 2000")
    expect(section.get_by_role("button", name="← Previous")).to_be_enabled()

    search = page.get_by_label("Search users")
    search.fill(some_user)
    expect(users.locator("tbody > tr")).to_have_count(1)
    expect(users.get_by_role("rowheader", name=some_user)).to_be_visible()
    expect(section.locator(".page-status")).to_have_text(
        "Showing 1\u20131 of 1 matching (2000 in all)"
    )
    expect(section.locator(".pager")).to_be_hidden()
    search.fill("no-such-person-anywhere")
    expect(users).to_contain_text("No users match “no-such-person-anywhere”.")
    # A group of ~1,000 members lists 20 and says how many more.
    groups = page.get_by_role("region", name="Groups table")
    expect(groups.get_by_text(re.compile(r"^and \d+ more$")).first).to_be_visible()


def test_expanded_json_spans_the_whole_table(page: Any, srv: MockServer) -> None:
    """The SCIM JSON used to open inside the last column (a few dozen pixels wide)."""
    conn = stytch_connection(srv, "Okta SCIM")
    page.goto(f"{srv.url}/_mockscim/ui#/directory/{conn['connection_id']}")
    users = page.get_by_role("region", name="Users table")
    row = users.locator("tbody > tr").first
    toggle = row.get_by_role("button", name="Show")
    toggle.click()
    expect(row.get_by_role("button", name="Hide")).to_have_attribute("aria-expanded", "true")
    json_box = row.locator("xpath=following-sibling::tr[1]").locator("pre.json")
    expect(json_box).to_contain_text('"userName"')
    table_width = users.locator("table").bounding_box()["width"]
    assert json_box.bounding_box()["width"] > 0.8 * table_width
    row.get_by_role("button", name="Hide").click()
    expect(users.locator("tr.detail-row")).to_have_count(0)


def test_toasts_never_pile_up_over_the_page(page: Any, srv: MockServer) -> None:
    open_dashboard(page, srv, "journal")
    live = page.get_by_label("Live")
    for _ in range(8):
        live.click()  # "Live updates paused." / "Live updates on.", alternately
    notices = page.locator("#notices .notice")
    expect(notices).to_have_count(3)
    # The page keeps room for them: scrolled to the end, the content ends above the toasts.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    main_bottom = page.evaluate("document.getElementById('main').getBoundingClientRect().bottom")
    toasts_top = page.evaluate("document.getElementById('notices').getBoundingClientRect().top")
    assert main_bottom <= toasts_top + 1, (main_bottom, toasts_top)
    for _ in range(3):
        notices.first.get_by_role("button", name="Close notice").click()
    expect(notices).to_have_count(0)
    assert page.evaluate("document.body.style.paddingBottom") == ""


def test_journal_entry_copies_as_a_runnable_curl_with_a_credential_placeholder(
    page: Any, srv: MockServer
) -> None:
    conn = stytch_connection(srv, "Okta SCIM")
    base = f"{srv.url}/v1/b2b/scim/{conn['connection_id']}"
    listed = requests.get(
        f"{base}/Users",
        params={"filter": 'userName eq "kofig@acme.test"'},
        headers={"Authorization": f"Bearer {ACME_TOKEN}"},
        timeout=10,
    )
    assert listed.status_code == 200
    created = requests.post(
        f"{base}/Groups",
        json={"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "It's"},
        headers={"Authorization": f"Bearer {ACME_TOKEN}"},
        timeout=10,
    )
    assert created.status_code == 201, created.text
    open_dashboard(page, srv, "journal")
    entries = page.locator("#journal-list > li")
    post = entries.filter(has_text="POST").first
    post.locator("summary").click()
    post_curl = post.locator("pre.curl").inner_text()
    assert post_curl.startswith(f"curl -X POST '{base}/Groups' ")
    assert '-H "Authorization: Bearer $SCIM_TOKEN"' in post_curl
    assert "--data-raw '" in post_curl and "It'\\''s" in post_curl  # shell-quoted
    get = entries.filter(has_text="GET").first
    get.locator("summary").click()
    command = get.locator("pre.curl").inner_text()
    assert ACME_TOKEN not in command and ACME_TOKEN not in page.content()
    get.get_by_role("button", name="Copy as curl").click()
    expect(page.locator("#notices")).to_contain_text(re.compile("copied|Ctrl\\+C"))
    # The command runs as shown once the placeholder is set.
    ran = subprocess.run(
        ["bash", "-c", command],
        env={**os.environ, "SCIM_TOKEN": ACME_TOKEN},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert ran.returncode == 0, ran.stderr
    answer = json.loads(ran.stdout)
    assert answer["totalResults"] == 1
    assert answer["Resources"][0]["userName"] == "kofig@acme.test"
