"""SCIM traffic with the old token on several threads while ``rotate/complete`` runs: once
complete has returned, no request with the old token may succeed, and nothing is a 5xx."""

from __future__ import annotations

import threading
import time
from typing import Any

import requests

from mockscim.testing.server import MockServer

THREADS = 6


def test_old_token_dies_exactly_when_complete_returns(
    server: MockServer, client: Any, org: dict[str, Any], connection: Any
) -> None:
    org_id, cid = org["organization_id"], connection.connection_id
    old = connection.bearer_token
    new = client.scim.connection.rotate_start(
        organization_id=org_id, connection_id=cid
    ).connection.next_bearer_token
    url = connection.base_url + "/Users?count=1"
    completed_at: list[float] = []
    results: list[tuple[float, int]] = []
    lock = threading.Lock()
    stop = threading.Event()
    started = threading.Barrier(THREADS + 1)

    def hammer() -> None:
        session = requests.Session()
        headers = {"Authorization": f"Bearer {old}"}
        started.wait()
        while not stop.is_set():
            sent = time.monotonic()
            status = session.get(url, headers=headers, timeout=10).status_code
            with lock:
                results.append((sent, status))

    threads = [threading.Thread(target=hammer) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    started.wait()
    while True:  # let some requests through with the old token first
        with lock:
            if sum(1 for _, s in results if s == 200) >= THREADS:
                break
        time.sleep(0.001)
    client.scim.connection.rotate_complete(organization_id=org_id, connection_id=cid)
    completed_at.append(time.monotonic())
    while True:  # and some after
        with lock:
            if sum(1 for t, _ in results if t > completed_at[0]) >= 3 * THREADS:
                break
        time.sleep(0.001)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)

    statuses = {status for _, status in results}
    assert statuses <= {200, 401}, statuses
    after = [status for sent, status in results if sent > completed_at[0]]
    assert after and all(status == 401 for status in after)
    assert any(status == 200 for sent, status in results if sent < completed_at[0])
    headers = {"Authorization": f"Bearer {new}"}
    assert requests.get(url, headers=headers, timeout=10).status_code == 200
    assert not server.mock.server_errors


def test_concurrent_provisioning_keeps_members_in_step(
    server: MockServer, client: Any, org: dict[str, Any], connection: Any, scim_for: Any
) -> None:
    def provision(start: int) -> None:
        own = scim_for(connection.base_url)  # one HTTP session per thread
        for i in range(start, start + 10):
            own.create_user(connection.bearer_token, f"user{i}@acme.test")

    threads = [threading.Thread(target=provision, args=(n * 10,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    members = client.organizations.members.search(organization_ids=[org["organization_id"]])
    assert members.results_metadata.total == 40
    listed = (
        scim_for(connection.base_url)
        .request("GET", "/Users?count=100", connection.bearer_token)
        .json()
    )
    assert listed["totalResults"] == 40
    assert {m.member_id for m in members.members} == {u["id"] for u in listed["Resources"]}
