"""Threads hammering one directory leave records and indexes consistent."""

from __future__ import annotations

import random
import threading

from mockscim.http.context import mock_of
from mockscim.testing.server import MockServer


def _check_consistent(directory) -> None:
    live_names: dict[str, str] = {}
    for rid, record in directory.users.items():
        assert rid in directory.users_by_name.get(record.data["userName"].lower())
        if not record.deleted:
            assert record.data["userName"].lower() not in live_names, (
                "two live users share a userName"
            )
            live_names[record.data["userName"].lower()] = rid
    for name, ids in directory.users_by_name.as_dict().items():
        for rid in ids:
            assert directory.users[rid].data["userName"].lower() == name
    expected_member_of: dict[str, set[str]] = {}
    for gid, group in directory.groups.items():
        for member in group.data.get("members", []):
            assert member["value"] in directory.users or member["value"] in directory.groups
            expected_member_of.setdefault(member["value"], set()).add(gid)
    actual = directory.member_of.as_dict()
    assert actual == expected_member_of


def test_concurrent_create_patch_delete_keeps_store_consistent(app, scim):
    import requests

    mock = mock_of(app)
    errors: list[str] = []
    with MockServer(app=app) as server:
        base = f"{server.url}/scim/v2/dir1"
        headers = {"Authorization": f"Bearer {scim.token}", "Content-Type": "application/scim+json"}
        group = requests.post(
            f"{base}/Groups", json={"displayName": "Everyone"}, headers=headers
        ).json()

        def worker(n: int) -> None:
            rng = random.Random(n)
            session = requests.Session()
            session.headers.update(headers)
            for i in range(25):
                # Names collide across threads on purpose: exactly one create may win each.
                name = f"user{rng.randrange(15)}@example.com"
                r = session.post(f"{base}/Users", json={"userName": name, "active": True})
                if r.status_code >= 500:
                    errors.append(f"POST {r.status_code} {r.text}")
                if r.status_code == 201:
                    uid = r.json()["id"]
                    op = {"op": "add", "path": "members", "value": [{"value": uid}]}
                    p = session.patch(f"{base}/Groups/{group['id']}", json={"Operations": [op]})
                    if p.status_code >= 500:
                        errors.append(f"PATCH group {p.status_code} {p.text}")
                    if i % 3 == 0:
                        d = session.delete(f"{base}/Users/{uid}")
                        if d.status_code not in (204, 404):
                            errors.append(f"DELETE {d.status_code} {d.text}")
                    else:
                        rep = {"op": "replace", "value": {"active": False, "title": f"t{n}-{i}"}}
                        u = session.patch(f"{base}/Users/{uid}", json={"Operations": [rep]})
                        if u.status_code not in (200, 404):
                            errors.append(f"PATCH user {u.status_code} {u.text}")
                elif r.status_code != 409:
                    errors.append(f"POST unexpected {r.status_code} {r.text}")

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    directory = mock.store.directories["dir1"]
    with mock.store.lock:
        _check_consistent(directory)
    # The group's members are exactly the surviving users that joined it.
    members = {m["value"] for m in directory.groups[group["id"]].data.get("members", [])}
    assert members <= set(directory.users)
