"""SSOReady ``exact`` stores a SCIM user's ``password`` as sent (ssoready/ssoready
``internal/authservice/scim.go`` ``scimCreateUser``: the attributes are the body minus
``schemas``) and its own API returns it; the mock keeps that, but no mockscim artefact may
hold the plaintext: the state snapshot, the state file and the journal carry the marker
``[redacted]``, and a restored snapshot serves the marker back (documented in SUPPORTED.md).
"""

from __future__ import annotations

import json
import time

import requests

from mockscim.settings import Settings
from mockscim.testing.server import MockServer

from .conftest import Tenant, app_user, make_tenant, user_body

PASSWORD = "Hunter2-correct-horse-battery"


def test_vendor_api_keeps_the_password_but_no_snapshot_does(
    exact: MockServer, xtenant: Tenant
) -> None:
    created = xtenant.scim("POST", "/Users", user_body("ada@acme.test", password=PASSWORD))
    assert created.status_code == 201
    user_id = created.json()["id"]
    assert app_user(exact, user_id).attributes["password"] == PASSWORD  # as the vendor shows

    state_text = requests.get(f"{exact.url}/_mockscim/state").text
    assert PASSWORD not in state_text
    snapshot = exact.state.snapshot()
    assert PASSWORD not in json.dumps(snapshot)
    journal = requests.get(f"{exact.url}/_mockscim/requests").text
    assert PASSWORD not in journal

    exact.state.restore(snapshot)
    assert app_user(exact, user_id).attributes["password"] == "[redacted]"


def test_state_file_holds_no_plaintext_password(tmp_path) -> None:
    state_file = tmp_path / "state.json"
    settings = Settings(ssoready_profile="exact", state_file=str(state_file))
    with MockServer(settings) as server:
        tenant = make_tenant(server.ssoready_client())
        body = user_body("bob@acme.test", Password=PASSWORD)  # attribute names ignore case
        assert tenant.scim("POST", "/Users", body).status_code == 201
        time.sleep(0.5)  # past the state file's flush window
    text = state_file.read_text()
    assert "bob@acme.test" in text and PASSWORD not in text
