"""The two-phase SCIM token rotation, through the official SDK, checking at every step which
tokens the SCIM server accepts and what ``*_last_four`` / ``*_expires_at`` say."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from stytch.core.response_base import StytchError

from mockscim.settings import Settings
from mockscim.testing.server import MockServer

TOKEN = re.compile(r"^[A-Za-z0-9]{48}$")
YEAR = timedelta(seconds=Settings().stytch_token_lifetime_seconds or 0)


def journal_credentials(server: MockServer, connection_id: str) -> list[str]:
    return [e.credential for e in server.mock.journal.entries(directory_id=connection_id)]


def test_full_rotation_flow(
    server: MockServer, client: Any, org: dict[str, Any], scim_for: Any
) -> None:
    server.mock.clock.freeze()
    t0 = server.mock.clock.now().replace(microsecond=0)
    server.mock.clock.set(t0)
    org_id = org["organization_id"]

    # 1. create: the plaintext token is shown once, 48 letters and digits.
    created = client.scim.connection.create(organization_id=org_id, identity_provider="okta")
    conn = created.connection
    old = conn.bearer_token
    assert TOKEN.match(old)
    assert conn.bearer_token_expires_at == t0 + YEAR
    scim = scim_for(conn.base_url)
    assert scim.status(old) == 200
    assert scim.status(None) == 401
    assert scim.status("x" * 48) == 401

    got = client.scim.connection.get(organization_id=org_id).connection
    assert got.bearer_token_last_four == old[-4:]
    assert got.next_bearer_token_last_four == ""
    assert got.next_bearer_token_expires_at is None

    # 2. start: a pending next token; both authenticate.
    server.mock.clock.advance(3600)
    t1 = t0 + timedelta(seconds=3600)
    started = client.scim.connection.rotate_start(
        organization_id=org_id, connection_id=conn.connection_id
    ).connection
    new = started.next_bearer_token
    assert TOKEN.match(new) and new != old
    assert started.bearer_token_last_four == old[-4:]
    assert started.bearer_token_expires_at == t0 + YEAR
    assert started.next_bearer_token_expires_at == t1 + YEAR
    assert scim.status(old) == 200
    assert scim.status(new) == 200

    during = client.scim.connection.get(organization_id=org_id).connection
    assert during.bearer_token_last_four == old[-4:]
    assert during.next_bearer_token_last_four == new[-4:]
    assert during.next_bearer_token_expires_at == t1 + YEAR
    assert journal_credentials(server, conn.connection_id)[-2:] == ["current", "next"]

    # 3. complete: next becomes current; the old token dies at that instant.
    completed = client.scim.connection.rotate_complete(
        organization_id=org_id, connection_id=conn.connection_id
    ).connection
    assert completed.bearer_token_last_four == new[-4:]
    assert completed.bearer_token_expires_at == t1 + YEAR
    assert completed.next_bearer_token_last_four == ""
    assert completed.next_bearer_token_expires_at is None
    assert scim.status(new) == 200
    assert scim.status(old) == 401
    assert journal_credentials(server, conn.connection_id)[-2:] == ["current", "invalid"]

    # 4. complete / cancel again: not rotating.
    for call in (client.scim.connection.rotate_complete, client.scim.connection.rotate_cancel):
        with pytest.raises(StytchError) as info:
            call(organization_id=org_id, connection_id=conn.connection_id)
        assert info.value.details.status_code == 400
        assert info.value.details.error_type == "scim_connection_not_rotating_token"
    assert scim.status(new) == 200

    # 5. start then cancel: the pending token is discarded, the current keeps working.
    pending = client.scim.connection.rotate_start(
        organization_id=org_id, connection_id=conn.connection_id
    ).connection.next_bearer_token
    assert scim.status(pending) == 200
    cancelled = client.scim.connection.rotate_cancel(
        organization_id=org_id, connection_id=conn.connection_id
    ).connection
    assert cancelled.bearer_token_last_four == new[-4:]
    assert cancelled.next_bearer_token_last_four == ""
    assert cancelled.next_bearer_token_expires_at is None
    assert scim.status(pending) == 401
    assert scim.status(new) == 200
    assert scim.status(old) == 401


def test_second_start_replaces_the_pending_token(
    client: Any, org: dict[str, Any], connection: Any, scim: Any
) -> None:
    org_id, cid = org["organization_id"], connection.connection_id
    first = client.scim.connection.rotate_start(organization_id=org_id, connection_id=cid)
    second = client.scim.connection.rotate_start(organization_id=org_id, connection_id=cid)
    a, b = first.connection.next_bearer_token, second.connection.next_bearer_token
    assert a != b
    assert scim.status(a) == 401
    assert scim.status(b) == 200
    assert scim.status(connection.bearer_token) == 200
    got = client.scim.connection.get(organization_id=org_id).connection
    assert got.next_bearer_token_last_four == b[-4:]
    client.scim.connection.rotate_complete(organization_id=org_id, connection_id=cid)
    assert scim.status(b) == 200
    assert scim.status(connection.bearer_token) == 401


def test_tokens_expire_on_the_mock_clock(
    server: MockServer, client: Any, org: dict[str, Any], scim_for: Any
) -> None:
    server.mock.clock.freeze()
    conn = client.scim.connection.create(organization_id=org["organization_id"]).connection
    scim = scim_for(conn.base_url)
    server.mock.clock.advance(100)
    started = client.scim.connection.rotate_start(
        organization_id=org["organization_id"], connection_id=conn.connection_id
    ).connection
    server.mock.clock.advance(YEAR.total_seconds() - 101)
    assert scim.status(conn.bearer_token) == 200
    server.mock.clock.advance(1)
    # The current token's expiry has passed; the next token (minted later) still works.
    assert scim.status(conn.bearer_token) == 401
    assert scim.status(started.next_bearer_token) == 200
    server.mock.clock.advance(100)
    assert scim.status(started.next_bearer_token) == 401


def test_pending_token_can_be_kept_out_until_complete(scim_for: Any) -> None:
    settings = Settings(stytch_next_token_authenticates=False)
    with MockServer(settings) as server:
        client = server.stytch_client()
        org = client.organizations.create(organization_name="Initech", organization_slug="ini")
        org_id = org.organization.organization_id
        conn = client.scim.connection.create(organization_id=org_id).connection
        scim = scim_for(conn.base_url)
        new = client.scim.connection.rotate_start(
            organization_id=org_id, connection_id=conn.connection_id
        ).connection.next_bearer_token
        assert scim.status(new) == 401
        assert scim.status(conn.bearer_token) == 200
        client.scim.connection.rotate_complete(
            organization_id=org_id, connection_id=conn.connection_id
        )
        assert scim.status(new) == 200
        assert scim.status(conn.bearer_token) == 401


def test_no_expiry_when_lifetime_is_unset(scim_for: Any) -> None:
    with MockServer(Settings(stytch_token_lifetime_seconds=None)) as server:
        client = server.stytch_client()
        org = client.organizations.create(organization_name="Hooli", organization_slug="hooli")
        org_id = org.organization.organization_id
        conn = client.scim.connection.create(organization_id=org_id).connection
        assert conn.bearer_token_expires_at is None
        started = client.scim.connection.rotate_start(
            organization_id=org_id, connection_id=conn.connection_id
        ).connection
        assert started.next_bearer_token_expires_at is None
        server.mock.clock.advance(10 * 365 * 24 * 3600)
        assert scim_for(conn.base_url).status(conn.bearer_token) == 200


def test_tokens_of_one_connection_do_not_open_another(
    client: Any, org: dict[str, Any], other_org: dict[str, Any], connection: Any, scim_for: Any
) -> None:
    other = client.scim.connection.create(organization_id=other_org["organization_id"]).connection
    assert scim_for(other.base_url).status(connection.bearer_token) == 401
    assert scim_for(connection.base_url).status(other.bearer_token) == 401
    assert scim_for(other.base_url).status(other.bearer_token) == 200


def test_deleted_connection_tokens_stop_working(
    client: Any, org: dict[str, Any], connection: Any, scim: Any
) -> None:
    client.scim.connection.delete(
        organization_id=org["organization_id"], connection_id=connection.connection_id
    )
    assert scim.status(connection.bearer_token) == 401
