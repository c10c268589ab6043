"""Rotation racing with SCIM traffic: once ``rotate-bearer-token`` has returned, no request
presenting the old token succeeds, and nothing answers 5xx."""

from __future__ import annotations

import threading
import time
from typing import Any

import requests

from mockscim.testing.server import MockServer

from .conftest import make_tenant

WORKERS = 6


def test_old_token_never_succeeds_after_rotation_returns(server: MockServer, client: Any) -> None:
    tenant = make_tenant(client)
    old = tenant.token
    rotated = threading.Event()
    stop = threading.Event()
    violations: list[str] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        session = requests.Session()
        headers = {"Authorization": f"Bearer {old}", "Content-Type": "application/scim+json"}
        i = 0
        while not stop.is_set():
            # Read the flag *before* sending: if the rotation had already returned, this
            # request must fail however the server interleaves it.
            after = rotated.is_set()
            if i % 3 == 0:
                r = session.post(
                    tenant.base_url + "/Users",
                    json={"userName": f"w{n}-{i}@acme.test"},
                    headers=headers,
                    timeout=10,
                )
            else:
                r = session.get(tenant.base_url + "/Users?count=1", headers=headers, timeout=10)
            with lock:
                statuses.append(r.status_code)
                if after and r.status_code < 400:
                    violations.append(f"worker {n} request {i}: {r.status_code}")
            i += 1
            if after and i > 2000:
                break

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(WORKERS)]
    for t in threads:
        t.start()
    # Let the old token work for a while, then rotate while the workers keep going.
    while True:
        with lock:
            if len(statuses) >= 60:
                break
        time.sleep(0.005)
    new = client.management.scim_directories.rotate_scim_directory_bearer_token(
        id=tenant.directory.id
    ).bearer_token
    rotated.set()
    seen_at_rotation = len(statuses)
    while True:
        with lock:
            if len(statuses) >= seen_at_rotation + 120:
                break
        time.sleep(0.005)
    stop.set()
    for t in threads:
        t.join(timeout=30)

    assert violations == []
    assert not [s for s in statuses if s >= 500]
    assert set(statuses) <= {200, 201, 401}
    assert 401 in statuses and (200 in statuses or 201 in statuses)
    # The new token works, and every user written with the old one is intact.
    assert tenant.scim("GET", "/Users", token=new).status_code == 200
    listed = client.scim.list_scim_users(scim_directory_id=tenant.directory.id)
    assert all(not u.deleted for u in listed.scim_users)


def test_concurrent_rotations_leave_exactly_one_working_token(
    server: MockServer, client: Any
) -> None:
    tenant = make_tenant(client)
    tokens: list[str] = []
    lock = threading.Lock()

    def rotate() -> None:
        sdk = server.ssoready_client()
        for _ in range(5):
            token = sdk.management.scim_directories.rotate_scim_directory_bearer_token(
                id=tenant.directory.id
            ).bearer_token
            with lock:
                tokens.append(token)

    threads = [threading.Thread(target=rotate) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(tokens) == 20 and len(set(tokens)) == 20
    working = [t for t in tokens if tenant.scim("GET", "/Users", token=t).status_code == 200]
    assert len(working) == 1
    assert tenant.scim("GET", "/Users").status_code == 401
