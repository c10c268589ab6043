"""Take the dashboard screenshots in docs/screenshots/ (run by hand, not a test).

    .venv/bin/python -m docs.screenshots      (from the repository root)

Starts a mock on the bundled demo scenario, sends a little SCIM traffic (one request with a
token that is no longer valid, so the journal shows every credential kind), and saves PNGs of
the main views with Debian's Chromium driven by Playwright.
"""

from __future__ import annotations

import sys
from pathlib import Path

import requests

from mockscim import MockServer, Settings
from tests.ui.browser import CHROMIUM, chromium

OUT = Path(__file__).with_name("screenshots")

ACME_TOKEN = "DemoAcmeScimToken000000000000000000000000000Acme"
GLOBEX_NEXT = "DemoGlobexNextToken0000000000000000000000000Next"
INITECH_TOKEN = "ssoready_scim_bearer_token_demoinitech0000000000init"


def traffic(srv: MockServer) -> None:
    state = requests.get(f"{srv.url}/_mockscim/state", timeout=10).json()
    stytch = state["vendors"]["stytch"]["connections"]
    acme, globex = stytch[0]["connection_id"], stytch[1]["connection_id"]
    initech = state["vendors"]["ssoready"]["directories"][0]["id"]

    def scim(base: str, token: str, method: str = "GET", path: str = "/Users", **kw: object):
        headers = {"Authorization": f"Bearer {token}"}
        return requests.request(method, base + path, headers=headers, timeout=10, **kw)

    acme_url = f"{srv.url}/v1/b2b/scim/{acme}"
    scim(acme_url, ACME_TOKEN, params={"filter": 'userName eq "kofig@acme.test"'})
    scim(
        acme_url,
        ACME_TOKEN,
        "POST",
        json={
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "new.hire@acme.test",
            "name": {"givenName": "New", "familyName": "Hire"},
            "emails": [{"value": "new.hire@acme.test", "primary": True, "type": "work"}],
            "active": True,
        },
    )
    scim(f"{srv.url}/v1/b2b/scim/{globex}", GLOBEX_NEXT, path="/Groups")
    scim(acme_url, "an-old-revoked-token")
    scim(f"{srv.url}/v1/scim/{initech}", INITECH_TOKEN)
    scim(f"{srv.url}/v1/scim/{initech}", INITECH_TOKEN, path="/Groups")


def main() -> int:
    if not Path(CHROMIUM).exists():
        print("Chromium not installed: apt-get install chromium", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    with MockServer(Settings(scenario="demo")) as srv, chromium() as browser:
        srv.clock.freeze()
        traffic(srv)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{srv.url}/_mockscim/ui#/organizations")
        page.get_by_role("heading", name="Acme Corp").wait_for()
        page.screenshot(path=OUT / "organizations.png", full_page=True)

        page.get_by_role("link", name="Users and groups of Entra SCIM (Globex)").click()
        page.get_by_role("heading", name="Users", exact=True).wait_for()
        users = page.get_by_role("region", name="Users table")
        users.locator("tbody > tr").first.get_by_role("button", name="Show").click()
        users.locator("tr.detail-row pre").wait_for()
        page.screenshot(path=OUT / "directory.png", full_page=True)

        page.get_by_role("link", name="Request journal").click()
        entries = page.locator("#journal-list > li")
        entries.nth(5).wait_for()
        page.locator('#journal-list li[data-credential="invalid"] summary').first.click()
        page.screenshot(path=OUT / "journal.png", full_page=True)

        page.get_by_role("link", name="Faults & clock").click()
        page.get_by_role("heading", name="Faults", exact=True).wait_for()
        srv.faults.rate_limit("/v1/b2b/scim/*/Users", retry_after=2, count=3)
        page.get_by_role("cell", name="fault-1").wait_for()
        page.screenshot(path=OUT / "faults-clock.png", full_page=True)

        narrow = browser.new_page(viewport={"width": 400, "height": 860})
        narrow.goto(f"{srv.url}/_mockscim/ui#/organizations")
        narrow.get_by_role("heading", name="Acme Corp").wait_for()
        narrow.screenshot(path=OUT / "narrow.png")
    for png in sorted(OUT.glob("*.png")):
        print(png.relative_to(OUT.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
