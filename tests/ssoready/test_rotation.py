"""SSOReady's one-step bearer-token rotation through the official SDK: a new directory has no
token, each rotation returns a new one and the previous token is dead the moment the call
returns; only the SHA-256 is kept."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from ssoready.core.api_error import ApiError

from mockscim.testing.server import MockServer

from .conftest import Tenant, make_tenant


def users_status(tenant: Tenant, token: str | None) -> int:
    return tenant.scim("GET", "/Users", token=token or "").status_code


def credentials(server: MockServer, directory_id: str) -> list[str]:
    return [e.credential for e in server.mock.journal.entries(directory_id=directory_id)]


def test_rotation_step_by_step(server: MockServer, client: Any) -> None:
    dirs = client.management.scim_directories
    tenant = make_tenant(client, token=False)
    dir_id = tenant.directory.id

    # 1. A new directory has no token: every SCIM request is 401, whatever it presents.
    assert tenant.directory.has_client_bearer_token is False
    assert users_status(tenant, None) == 401
    assert users_status(tenant, "ssoready_scim_bearer_token_" + "0" * 25) == 401

    # 2. The first rotation mints a token that works.
    first = dirs.rotate_scim_directory_bearer_token(id=dir_id).bearer_token
    assert dirs.get_scim_directory(id=dir_id).scim_directory.has_client_bearer_token is True
    assert users_status(tenant, first) == 200
    created = tenant.scim("POST", "/Users", {"userName": "ada@acme.test"}, token=first)
    assert created.status_code == 201

    # 3. The second rotation: the old token is dead at once, the new one works.
    second = dirs.rotate_scim_directory_bearer_token(id=dir_id).bearer_token
    assert second != first
    assert users_status(tenant, first) == 401
    assert users_status(tenant, second) == 200
    # Data written with the old token survives the rotation.
    listed = tenant.scim("GET", "/Users", token=second).json()
    assert [u["userName"] for u in listed["Resources"]] == ["ada@acme.test"]

    # 4. And again: only the newest token ever works.
    third = dirs.rotate_scim_directory_bearer_token(id=dir_id).bearer_token
    assert len({first, second, third}) == 3
    assert [users_status(tenant, t) for t in (first, second, third)] == [401, 401, 200]

    assert credentials(server, dir_id) == [
        "none",
        "invalid",
        "current",
        "current",
        "invalid",
        "current",
        "current",
        "invalid",
        "invalid",
        "current",
    ]


def test_rotation_is_per_directory(client: Any) -> None:
    a = make_tenant(client, external_id="a", domains=("a.test",))
    b = make_tenant(client, external_id="b", domains=("b.test",))
    assert users_status(a, b.token) == 401
    client.management.scim_directories.rotate_scim_directory_bearer_token(id=a.directory.id)
    assert users_status(b, b.token) == 200


def test_only_the_hash_is_stored(server: MockServer, client: Any) -> None:
    tenant = make_tenant(client)
    assert tenant.token is not None
    snapshot = json.dumps(server.mock.store.snapshot())
    assert tenant.token not in snapshot
    assert hashlib.sha256(tenant.token.encode()).hexdigest() in snapshot
    # Nor does the token ever reach the journal or the directory's JSON.
    journal = json.dumps([e.to_json() for e in server.mock.journal.entries()])
    assert tenant.token not in journal
    got = client.management.scim_directories.get_scim_directory(id=tenant.directory.id)
    assert tenant.token not in got.json()


def test_state_restore_keeps_the_token_working(server: MockServer, client: Any) -> None:
    tenant = make_tenant(client)
    snapshot = server.mock.store.snapshot()
    server.mock.store.reset()
    assert tenant.scim("GET", "/Users").status_code == 404  # the directory is gone
    server.mock.store.restore(json.loads(json.dumps(snapshot)))
    assert tenant.scim("GET", "/Users").status_code == 200


def test_rotation_by_app_key_or_unknown_directory_changes_nothing(
    client: Any, app_client: Any
) -> None:
    tenant = make_tenant(client)
    with pytest.raises(ApiError) as denied:
        app_client.management.scim_directories.rotate_scim_directory_bearer_token(
            id=tenant.directory.id
        )
    assert denied.value.status_code == 401
    assert denied.value.body["message"] == "api key is not authorized to access management api"
    with pytest.raises(ApiError) as missing:
        client.management.scim_directories.rotate_scim_directory_bearer_token(
            id="scim_directory_doesnotexist"
        )
    assert missing.value.status_code == 404 and missing.value.body["code"] == 5
    assert users_status(tenant, tenant.token) == 200
