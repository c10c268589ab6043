"""The demo scenario as ``mockscim serve`` loads it, every committed fixture, and the
``.ssoready`` seeding helper."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import requests

from mockscim.control.client import Control
from tests.serve_helper import serve

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
sys.path.insert(0, str(FIXTURES))
import regenerate  # noqa: E402

USER = "urn:ietf:params:scim:schemas:core:2.0:User"


def get(url: str, token: str) -> requests.Response:
    return requests.get(url, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.json")))
def test_every_committed_fixture_loads(mockscim, name):
    raw = json.loads((FIXTURES / name).read_text())
    report = mockscim.state.load(raw)
    expected = sum(
        len((org.get("directory") or {}).get("users", []))
        for org in (raw.get("stytch") or {}).get("organizations", [])
    ) + sum(
        len((d.get("directory") or {}).get("users", []))
        for org in (raw.get("ssoready") or {}).get("organizations", [])
        for d in org.get("scim_directories", [])
    )
    assert report["users"] == expected


def test_demo_has_what_the_readme_promises(mockscim, stytch_client, ssoready_client):
    report = mockscim.state.load(FIXTURES / "demo.json")
    acme, globex = report["stytch"]["organizations"]
    initech, umbrella = report["ssoready"]["organizations"]
    url = mockscim.url

    assert get(url + acme["scim_base_path"] + "/Users", regenerate.ACME_TOKEN).status_code == 200
    # Globex is mid-rotation: both tokens work.
    for token in (regenerate.GLOBEX_TOKEN, regenerate.GLOBEX_NEXT_TOKEN):
        assert get(url + globex["scim_base_path"] + "/Users", token).status_code == 200
    assert mockscim.journal.credentials(vendor="stytch") == ["current", "current", "next"]
    connection = stytch_client.scim.connection.get(organization_id=globex["organization_id"])
    assert connection.connection.next_bearer_token_last_four == regenerate.GLOBEX_NEXT_TOKEN[-4:]
    # Members of Globex's first group are stytch_admin through the implicit role assignment.
    assert connection.connection.scim_group_implicit_role_assignments[0].role_id == "stytch_admin"

    (initech_dir,) = initech["scim_directories"]
    listed = get(url + initech_dir["scim_base_path"] + "/Users", regenerate.INITECH_TOKEN)
    assert listed.status_code == 200 and listed.json()["totalResults"] == 6
    (umbrella_dir,) = umbrella["scim_directories"]
    assert umbrella_dir["bearer_token"] is None
    assert (
        get(url + umbrella_dir["scim_base_path"] + "/Users", "anything-at-all").status_code == 401
    )
    users = ssoready_client.scim.list_scim_users(organization_external_id="initech").scim_users
    assert len(users) == 6
    assert all(u.email.endswith("@initech.test") for u in users)


def test_ssoready_helper_creates_org_directory_token_and_users(mockscim, ssoready_client):
    org = mockscim.ssoready.create_org("initech", users=3, groups=1)
    assert org["bearer_token"].startswith("ssoready_scim_bearer_token_")
    listed = get(org["base_url"] + "/Users", org["bearer_token"]).json()
    assert listed["totalResults"] == 3
    found = ssoready_client.scim.list_scim_users(scim_directory_id=org["scim_directory_id"])
    assert {u.email for u in found.scim_users} == set(org["users"])
    mockscim.journal.assert_called("GET", "/v1/scim/*/Users", credential="current", times=1)

    bare = mockscim.ssoready.create_org("umbrella", token=False)
    assert bare["bearer_token"] is None
    # A pinned token must have SSOReady's shape (prefix + 25 base-36 digits) to authenticate
    # in exact, as on the real server (tests/ssoready/test_exact_token_shape.py).
    pinned_token = "ssoready_scim_bearer_token_" + "hooli".rjust(25, "0")
    pinned = mockscim.ssoready.create_org("hooli", token=pinned_token)
    assert get(pinned["base_url"] + "/Users", pinned["bearer_token"]).status_code == 200


def test_ssoready_faults_render_ssoready_errors(mockscim, ssoready_client):
    org = mockscim.ssoready.create_org("initech", users=1)
    mockscim.faults.error("/v1/scim/users", 503, vendor="ssoready", count=1)
    raw = requests.get(
        mockscim.url + "/v1/scim/users",
        params={"scimDirectoryId": org["scim_directory_id"]},
        headers={"Authorization": f"Bearer {mockscim.settings.ssoready_api_key}"},
    )
    assert raw.status_code == 503
    body = raw.json()
    assert "schemas" not in body  # SSOReady's API error shape, not SCIM's
    again = ssoready_client.scim.list_scim_users(scim_directory_id=org["scim_directory_id"])
    assert len(again.scim_users) == 1


def test_serve_loads_the_demo_by_default_and_prints_its_tokens():
    with serve() as served:
        # Server, two vendors, control plane, dashboard, then the demo's four directories.
        lines = [served.first_line] + [served.readline() for _ in range(8)]
        url = served.url
        text = "".join(lines)
        assert f"token={regenerate.ACME_TOKEN}" in text
        assert f"next={regenerate.GLOBEX_NEXT_TOKEN}" in text
        assert "(none yet" in text
        acme_url = re.search(rf"acme \(stytch\) ({re.escape(url)}\S+)", text).group(1)  # type: ignore[union-attr]
        assert get(acme_url + "/Users", regenerate.ACME_TOKEN).json()["totalResults"] == 8
        ctl = Control(url)
        ctl.stytch.create_org("Extra", users=1)
        assert ctl.reset()["users"] == 20  # reset returns to the demo
        assert ctl.reset(empty=True)["users"] == 0


def test_serve_scenario_none_starts_empty():
    with serve("--scenario", "none", quiet=False) as served:
        assert Control(served.url).state.stats()["users"] == 0
