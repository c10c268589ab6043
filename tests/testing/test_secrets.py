"""No plaintext token or secret in the journal, state snapshots, the state file or the logs."""

from __future__ import annotations

import json
import logging
import time

import requests

from mockscim.settings import Settings
from mockscim.testing.server import MockServer


def test_no_plaintext_token_in_journal_snapshot_state_file_or_logs(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    state_file = tmp_path / "state.json"
    with MockServer(Settings(state_file=str(state_file))) as server:
        logging.getLogger("werkzeug").setLevel(logging.DEBUG)
        client = server.stytch_client()
        org = client.organizations.create(organization_name="Acme", organization_slug="acme")
        org_id = org.organization.organization_id
        created = client.scim.connection.create(organization_id=org_id).connection
        started = client.scim.connection.rotate_start(
            organization_id=org_id, connection_id=created.connection_id
        ).connection
        secrets = {
            created.bearer_token,
            started.next_bearer_token,
            server.settings.stytch_secret,
        }
        base = created.base_url
        for i, token in enumerate((created.bearer_token, started.next_bearer_token)):
            r = requests.post(
                f"{base}/Users?access_token={token}",
                json={"userName": f"u{i}@acme.test"},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert r.status_code in (200, 201), r.text
        pinned = server.stytch.create_org("Beta", "beta", bearer_token="beta-pinned-token-42")
        secrets |= {"beta-pinned-token-42"}
        assert pinned["bearer_token"] == "beta-pinned-token-42"
        journal = json.dumps([dict(e) for e in server.journal.entries()])
        snapshot = json.dumps(server.state.snapshot())
        assert "[redacted]" in journal  # the rotate responses carried tokens
        time.sleep(0.3)
    state_text = state_file.read_text()
    # The server's loggers (the client library's own debug log is the caller's business).
    logs = "\n".join(
        r.getMessage() for r in caplog.records if r.name.split(".")[0] in ("werkzeug", "mockscim")
    )
    assert "access_token=[redacted]" in logs
    for secret in secrets:
        assert secret not in journal
        assert secret not in snapshot
        assert secret not in state_text
        assert secret not in logs
