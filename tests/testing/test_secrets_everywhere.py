"""Every secret minted in a run with rotations on both vendors, searched for everywhere the
mock writes down what it saw: the journal (over HTTP), SSOReady's SCIM request log, the state
snapshot, the state file, the error bodies and the captured log lines.

Clients put tokens in odd places: query parameters with harmless names (``code``, ``auth``,
``sig``, ``Authorization=Bearer ...``), a SCIM ``userName`` (SSOReady echoes the offending
value in its request log), a SCIM PATCH ``"path": "password"``. None may survive.
"""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import quote

import requests

from mockscim.settings import Settings
from mockscim.testing.server import MockServer

PASSWORD = "Hunter2-correct-horse-battery"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def test_no_minted_secret_survives_anywhere(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    state_file = tmp_path / "state.json"
    with MockServer(Settings(state_file=str(state_file))) as server:
        logging.getLogger("werkzeug").setLevel(logging.DEBUG)
        url = server.url
        settings = server.settings
        basic = (settings.stytch_project_id, settings.stytch_secret)
        secrets = {settings.stytch_secret, settings.ssoready_api_key, PASSWORD}
        errors: list[str] = []

        # Stytch: a connection mid-rotation, then complete and start again: three tokens.
        acme = server.stytch.create_org("Acme", users=1, rotating=True)
        conn = f"{url}/v1/b2b/scim/{acme['organization_id']}/connection/{acme['connection_id']}"
        secrets |= {acme["bearer_token"], acme["next_bearer_token"]}
        assert requests.post(conn + "/rotate/complete", auth=basic, json={}).status_code == 200
        started = requests.post(conn + "/rotate/start", auth=basic, json={}).json()
        secrets.add(started["connection"]["next_bearer_token"])
        member = next(iter(acme["members"].values()), None) or next(iter(acme["users"].values()))
        session = requests.post(
            f"{url}/_mockscim/stytch/sessions", json={"member_id": member}
        ).json()
        secrets |= {session["session_token"], session["session_jwt"]}

        # SSOReady: a directory, rotated twice (the first token dies at once).
        initech = server.ssoready.create_org("initech", users=1)
        secrets.add(initech["bearer_token"])
        rotate = f"{url}/v1/scim-directories/{initech['scim_directory_id']}/rotate-bearer-token"
        api = {"Authorization": f"Bearer {settings.ssoready_api_key}"}
        for _ in range(2):
            secrets.add(requests.post(rotate, headers=api).json()["bearerToken"])
        sso_token = requests.post(rotate, headers=api).json()["bearerToken"]
        secrets.add(sso_token)

        # Tokens where clients should never put them.
        stytch_token = acme["next_bearer_token"]  # current after the completed rotation
        for name in ("code", "auth", "sig", "Authorization", "access_token"):
            for base, token in ((acme["base_url"], stytch_token), (initech["base_url"], sso_token)):
                value = f"Bearer {token}" if name == "Authorization" else token
                r = requests.get(
                    f"{base}/Users?{name}={quote(value)}&count=1",
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert r.status_code == 200, r.text
        bad = requests.post(
            initech["base_url"] + "/Users",
            json={"userName": sso_token},
            headers={"Authorization": f"Bearer {sso_token}"},
        )
        assert bad.status_code == 400
        errors.append(bad.text)
        user_id = next(iter(acme["users"].values()))
        patched = requests.patch(
            f"{acme['base_url']}/Users/{user_id}",
            json={
                "schemas": [PATCH],
                "Operations": [{"op": "replace", "path": "password", "value": PASSWORD}],
            },
            headers={"Authorization": f"Bearer {stytch_token}"},
        )
        errors.append(patched.text)
        for token in (acme["bearer_token"], initech["bearer_token"]):  # dead tokens: 401s
            dead = requests.get(
                acme["base_url"] + "/Users", headers={"Authorization": f"Bearer {token}"}
            )
            errors.append(dead.text)

        journal = requests.get(f"{url}/_mockscim/requests").text
        request_log = requests.get(
            f"{url}/_mockscim/ssoready/scim-requests",
            params={"scimDirectoryId": initech["scim_directory_id"]},
        ).text
        snapshot = json.dumps(server.state.snapshot())
        assert "badUsername" in request_log  # the offending value is logged, redacted
        time.sleep(0.5)  # past the state file's flush window
    state_text = state_file.read_text()
    logs = "\n".join(
        r.getMessage() for r in caplog.records if r.name.split(".")[0] in ("werkzeug", "mockscim")
    )
    assert "code=[redacted]" in journal and "count=1" in journal  # allow-listed names kept
    assert "sig=[redacted]" in logs
    places = {
        "journal": journal,
        "ssoready request log": request_log,
        "snapshot": snapshot,
        "state file": state_text,
        "error bodies": "\n".join(errors),
        "log": logs,
    }
    leaks = [
        (place, secret[:12] + "...")
        for place, text in places.items()
        for secret in secrets
        if secret and (secret in text or quote(secret) in text)
    ]
    assert not leaks, leaks
