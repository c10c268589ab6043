"""Injected faults: each vendor's own error body, 429 + Retry-After, latency, dropped
connections, per route pattern + vendor + method, by count or seeded probability."""

from __future__ import annotations

import pytest
import requests

from mockscim.app import create_app
from mockscim.control.client import ControlError
from mockscim.engine.faults import FaultError, FaultRule
from mockscim.engine.patterns import compile_route
from mockscim.settings import Settings

SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def basic(mockscim):
    s = mockscim.settings
    return (s.stytch_project_id, s.stytch_secret)


def test_status_fault_renders_the_stytch_error_body_then_stops(mockscim):
    mockscim.faults.error("/v1/b2b/organizations", 503, method="POST", count=1)
    url = f"{mockscim.url}/v1/b2b/organizations"
    first = requests.post(url, json={"organization_name": "Acme"}, auth=basic(mockscim))
    assert first.status_code == 503
    body = first.json()
    assert set(body) >= {"status_code", "request_id", "error_type", "error_message"}
    assert body["status_code"] == 503
    second = requests.post(url, json={"organization_name": "Acme"}, auth=basic(mockscim))
    assert second.status_code == 200, second.text
    assert mockscim.faults.list() == []


def test_rate_limit_on_scim_route_is_a_scim_error_with_retry_after(mockscim):
    org = mockscim.stytch.create_org("Acme", users=1)
    mockscim.faults.rate_limit("/v1/b2b/scim/*/Users", retry_after=7, count=2)
    headers = {"Authorization": f"Bearer {org['bearer_token']}"}
    answers = [requests.get(org["base_url"] + "/Users", headers=headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [429, 429, 200]
    assert answers[0].headers["Retry-After"] == "7"
    assert SCIM_ERROR in answers[0].json()["schemas"]
    assert answers[0].json()["status"] == "429"


def test_stytch_429_is_too_many_requests(mockscim):
    mockscim.faults.rate_limit("/v1/b2b/**", count=1)
    r = requests.get(f"{mockscim.url}/v1/b2b/organizations/x", auth=basic(mockscim))
    assert r.status_code == 429
    assert r.headers["Retry-After"] == "1"
    assert r.json()["error_type"] == "too_many_requests"


def test_method_vendor_and_pattern_narrow_the_rule(mockscim):
    org = mockscim.stytch.create_org("Acme", users=1)
    conn = org["connection_id"]
    mockscim.faults.error("/v1/b2b/scim/<connection_id>/Users", 500, method="GET")
    mockscim.faults.error("**", 502, vendor="ssoready")
    headers = {"Authorization": f"Bearer {org['bearer_token']}"}
    base = f"{mockscim.url}/v1/b2b/scim/{conn}"
    assert requests.get(base + "/Users", headers=headers).status_code == 500
    assert requests.get(base + "/Groups", headers=headers).status_code == 200
    created = requests.post(
        base + "/Users",
        json={
            "userName": "new@acme.test",
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    # The control plane itself is never faulted, even by a catch-all rule.
    mockscim.faults.error("**", 500)
    assert requests.get(f"{mockscim.url}/_mockscim/health").status_code == 200


def test_hits_and_remaining_count_are_listed_and_rules_removable(mockscim):
    rule = mockscim.faults.error("/v1/b2b/organizations/*", 500, count=3)
    requests.get(f"{mockscim.url}/v1/b2b/organizations/abc", auth=basic(mockscim))
    listed = mockscim.faults.list()
    assert listed[0]["id"] == rule["id"]
    assert (listed[0]["hits"], listed[0]["count"]) == (1, 2)
    mockscim.faults.remove(rule["id"])
    assert mockscim.faults.list() == []
    with pytest.raises(ControlError) as info:
        mockscim.faults.remove(rule["id"])
    assert info.value.status == 404


def test_faulted_requests_are_journaled_with_the_fault(mockscim):
    mockscim.faults.error("/v1/b2b/organizations/*", 500, count=1)
    requests.get(f"{mockscim.url}/v1/b2b/organizations/abc", auth=basic(mockscim))
    (entry,) = mockscim.journal.entries(path="/v1/b2b/organizations/*")
    assert entry.status == 500
    assert entry.error_kind.startswith("fault:")


def test_latency_delays_then_answers_normally(mockscim):
    mockscim.faults.latency("/v1/b2b/organizations/*", 120, count=1)
    r = requests.get(f"{mockscim.url}/v1/b2b/organizations/nope", auth=basic(mockscim))
    assert r.status_code == 404  # the real handler answered
    (entry,) = mockscim.journal.entries(path="/v1/b2b/organizations/*")
    assert entry.latency_ms >= 120  # a sleep of 120 ms cannot take less


def test_drop_closes_the_connection_without_an_answer(mockscim):
    mockscim.faults.drop("/v1/b2b/organizations/*", count=1)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{mockscim.url}/v1/b2b/organizations/abc", auth=basic(mockscim))
    after = requests.get(f"{mockscim.url}/v1/b2b/organizations/abc", auth=basic(mockscim))
    assert after.status_code == 404
    dropped = mockscim.journal.entries(path="/v1/b2b/organizations/*")[0]
    assert dropped.status == 0 and dropped.error_kind.endswith(":drop")


def test_drop_in_process_raises_connection_reset(mockscim_app):
    mockscim_app.faults.drop("**", vendor="stytch")
    with pytest.raises(ConnectionResetError):
        mockscim_app.get("/v1/b2b/organizations/x")


def test_probability_is_seeded_and_reproducible():
    def pattern(seed: int) -> list[int]:
        app = create_app(Settings(seed=seed))
        client = app.test_client()
        client.post("/_mockscim/faults", json={"path": "**", "status": 500, "probability": 0.5})
        return [client.get("/v1/b2b/organizations/x").status_code for _ in range(40)]

    first = pattern(11)
    assert first == pattern(11)
    assert first != pattern(12)
    assert 5 < first.count(500) < 35


def test_probability_zero_never_one_always(mockscim_app):
    mockscim_app.faults.error("**", 500, probability=0)
    assert {mockscim_app.get("/v1/b2b/organizations/x").status_code for _ in range(20)} == {401}
    mockscim_app.faults.clear()
    mockscim_app.faults.error("**", 500, probability=1)
    assert {mockscim_app.get("/v1/b2b/organizations/x").status_code for _ in range(20)} == {500}


def test_reset_clears_faults(mockscim):
    mockscim.faults.error("**", 500)
    mockscim.reset()
    assert mockscim.faults.list() == []
    r = requests.get(f"{mockscim.url}/v1/b2b/organizations/x", auth=basic(mockscim))
    assert r.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"path": "/x"},  # no effect
        {"path": "/x", "status": 200},
        {"path": "/x", "status": 500, "drop": True},
        {"path": "/x", "status": 500, "count": 0},
        {"path": "/x", "status": 500, "probability": 1.5},
        {"path": "/x", "status": 500, "method": "FETCH"},
        {"path": "x", "status": 500},
        {"path": "^(", "status": 500},
        {"path": "/x", "status": 500, "colour": "red"},
        {"path": "/x", "latency_ms": -1},
        {"path": "/x", "status": 429, "retry_after": "soon"},
    ],
)
def test_invalid_rules_are_refused_with_400(mockscim_app, body):
    response = mockscim_app.post("/_mockscim/faults", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]
    assert mockscim_app.faults.list() == []


def test_a_list_with_one_bad_rule_adds_nothing(mockscim_app):
    body = {"faults": [{"path": "/a", "status": 500}, {"path": "/b", "status": 99}]}
    assert mockscim_app.post("/_mockscim/faults", json=body).status_code == 400
    assert mockscim_app.faults.list() == []
    body["faults"][1]["status"] = 503
    added = mockscim_app.post("/_mockscim/faults", json=body)
    assert added.status_code == 201
    assert [f["status"] for f in added.get_json()["faults"]] == [500, 503]


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("/v1/b2b/scim/*/Users", "/v1/b2b/scim/abc/Users", True),
        ("/v1/b2b/scim/*/Users", "/v1/b2b/scim/abc/Users/", True),
        ("/v1/b2b/scim/*/Users", "/v1/b2b/scim/abc/Users/123", False),
        ("/v1/b2b/scim/*/Users", "/v1/b2b/scim/a/b/Users", False),
        ("/v1/b2b/**", "/v1/b2b/scim/a/b/Users", True),
        ("/v1/b2b/scim/<id>/Users/<uid>", "/v1/b2b/scim/a/Users/b", True),
        ("/v1/b2b/scim/<id>/Users/<uid>", "/v1/b2b/scim/a/Users/", False),
        ("^/v1/scim/.+/Groups", "/v1/scim/x/Groups/y", True),
        ("/v1/organizations", "/v1/organizations.json", False),
    ],
)
def test_route_patterns(pattern, path, matches):
    assert (compile_route(pattern).match(path) is not None) is matches


def test_rule_defaults():
    rule = FaultRule.from_json("f", {"status": 429})
    assert rule.path == "**" and rule.retry_after == 1
    with pytest.raises(FaultError):
        FaultRule.from_json("f", {"status": True})
