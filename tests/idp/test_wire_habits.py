"""What each profile puts on the wire: the IdP habits from docs/idp.md, request by request."""

from __future__ import annotations

from typing import Any

from mockscim.idp import PushReport
from mockscim.idp.profiles import ENTERPRISE, PATCH_OP

from .conftest import GenericTarget, small_directory


def sent(report: PushReport, method: str, kind: str) -> list[Any]:
    return [
        r for r in report.requests if r.method == method and f"/{kind}" in r.path and r.status < 400
    ]


def ops(report: PushReport, kind: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for r in sent(report, "PATCH", kind):
        assert r.body["schemas"] == [PATCH_OP]
        out += r.body["Operations"]
    return out


def test_okta_habits(target: GenericTarget) -> None:
    engine = target.engine("okta")
    directory = small_directory()
    first = engine.sync(directory)
    assert first.ok, first.summary()
    lookups = [r.query for r in sent(first, "GET", "Users")]
    # Okta's import pages through /Users first; an empty directory gives nothing to link, so
    # every user is still looked up by userName before it is created.
    assert lookups[0] == "startIndex=1&count=100"
    assert lookups[1] == "filter=userName+eq+%22ada%40example.com%22"
    post = sent(first, "POST", "Users")[0].body
    assert "externalId" not in post
    assert post["emails"] == [{"value": "ada@example.com", "type": "work", "primary": True}]
    assert post["active"] is True
    # Groups: created empty, then members added with display names.
    group_posts = [r.body for r in sent(first, "POST", "Groups")]
    assert all(b["members"] == [] for b in group_posts)
    add = [o for o in ops(first, "Groups") if o["op"] == "add"]
    assert add[0]["path"] == "members"
    assert {m["display"] for m in add[0]["value"]} == {"ada@example.com", "bob@example.com"}

    changed = directory.copy()
    changed.put_user(directory.users["k-ada"].changed(title="Countess"))
    changed.put_user(directory.users["k-cy"].changed(active=False))
    changed.put_group(directory.groups["g-eng"].changed(display_name="R&D", members=["k-ada"]))
    second = engine.sync(changed)
    assert second.ok, second.summary()
    put = sent(second, "PUT", "Users")
    assert len(put) == 1 and put[0].body["title"] == "Countess"
    assert put[0].body["id"] == engine.state.users["k-ada"].scim_id
    assert ops(second, "Users") == [{"op": "replace", "value": {"active": False}}]
    group_ops = ops(second, "Groups")
    eng_id = engine.state.groups["g-eng"].scim_id
    bob_id = engine.state.users["k-bob"].scim_id
    assert {"op": "replace", "value": {"id": eng_id, "displayName": "R&D"}} in group_ops
    assert {"op": "remove", "path": f'members[value eq "{bob_id}"]'} in group_ops
    assert target.groups()["R&D"]["members"][0]["value"] == engine.state.users["k-ada"].scim_id


def test_entra_habits_without_the_flag(target: GenericTarget) -> None:
    engine = target.engine("entra")
    directory = small_directory()
    first = engine.sync(directory)
    assert first.ok, first.summary()
    post = sent(first, "POST", "Users")[1].body
    assert post["externalId"] == "k-bob"
    assert post[ENTERPRISE]["manager"] == engine.state.users["k-ada"].scim_id  # a bare id
    group_post = sent(first, "POST", "Groups")[0].body
    assert group_post["externalId"] == "g-eng" and len(group_post["members"]) == 2
    assert all("excludedAttributes=members" in r.query for r in sent(first, "GET", "Groups"))

    changed = directory.copy()
    changed.put_user(
        directory.users["k-ada"].changed(
            given_name="Augusta", department="Research", email="augusta@example.com"
        )
    )
    changed.put_user(directory.users["k-cy"].changed(active=False))
    changed.put_group(directory.groups["g-eng"].changed(members=["k-ada"]))
    second = engine.sync(changed)
    assert second.ok, second.summary()
    user_ops = ops(second, "Users")
    folded = {"displayName": "Augusta Lovelace", "name.givenName": "Augusta"}
    assert {"op": "Replace", "value": folded} in user_ops
    assert {
        "op": "Replace",
        "path": 'emails[type eq "work"].value',
        "value": "augusta@example.com",
    } in user_ops
    assert {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Research"} in user_ops
    assert {"op": "Replace", "path": "active", "value": "False"} in user_ops
    bob_id = engine.state.users["k-bob"].scim_id
    assert ops(second, "Groups") == [
        {"op": "Remove", "path": "members", "value": [{"value": bob_id}]}
    ]
    ada = target.users()["ada@example.com"]
    assert ada["name"]["givenName"] == "Augusta"
    assert ada["emails"][0]["value"] == "augusta@example.com"
    assert ada[ENTERPRISE]["department"] == "Research"
    assert target.users()["cy@example.com"]["active"] is False


def test_entra_with_aadoptscim062020_sends_real_booleans_and_lowercase_ops(
    target: GenericTarget,
) -> None:
    engine = target.engine("entra", query="?aadOptscim062020")
    directory = small_directory()
    assert engine.sync(directory).ok
    # The flag is read off the tenant URL, never sent as a query parameter.
    assert all("aadOpt" not in r.query for r in engine.client.sent)
    changed = directory.copy()
    changed.put_user(directory.users["k-cy"].changed(active=False, title="Analyst"))
    report = engine.sync(changed)
    assert report.ok, report.summary()
    assert ops(report, "Users") == [
        {"op": "replace", "path": "title", "value": "Analyst"},
        {"op": "replace", "path": "active", "value": False},
    ]
    assert target.users()["cy@example.com"]["active"] is False


def test_generic_habits(target: GenericTarget) -> None:
    engine = target.engine("generic")
    directory = small_directory()
    assert engine.sync(directory).ok
    changed = directory.copy()
    changed.put_user(directory.users["k-bob"].changed(title="Engineer", manager=None))
    changed.put_group(directory.groups["g-eng"].changed(members=["k-ada"]))
    report = engine.sync(changed)
    assert report.ok, report.summary()
    assert ops(report, "Users") == [
        {"op": "replace", "path": "title", "value": "Engineer"},
        {"op": "remove", "path": f"{ENTERPRISE}:manager"},
    ]
    bob_id = engine.state.users["k-bob"].scim_id
    assert ops(report, "Groups") == [{"op": "remove", "path": f'members[value eq "{bob_id}"]'}]
    bob = target.users()["bob@example.com"]
    assert bob["title"] == "Engineer"
    assert "manager" not in bob.get(ENTERPRISE, {})


def test_every_request_is_journaled_with_its_credential(target: GenericTarget) -> None:
    engine = target.engine("entra")
    report = engine.sync(small_directory())
    journal = target.server.mock.journal.entries(directory_id="dir1")
    assert len(journal) == len(report.requests)
    assert [(e.method, e.status) for e in journal] == [
        (r.method, r.status) for r in report.requests
    ]
    assert {e.credential for e in journal} == {"current"}
