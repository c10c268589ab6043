"""A filter's cost is bounded by the work it would do (terms x resources scanned), not only
by its size (issue 20: a 190-term ``or`` of ``co`` clauses, 3.4 KB and under the size
limits, took 3 s at 20k users under the store lock; 8 clients sending it made another
tenant wait 24.5 s). Past :data:`MAX_FILTER_WORK` the search is a 400 ``tooMany`` before
it scans anything, in the surface's SCIM error shape."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from mockscim.app import create_app
from mockscim.http.context import mock_of
from mockscim.scim import filter as filter_module
from mockscim.scim.errors import ScimError
from mockscim.scim.filter import MAX_FILTER_WORK, compile_filter
from mockscim.scim.schemas import USER_TYPE
from mockscim.settings import Settings
from tests.scim.conftest import ScimClient

ISSUE_FILTER = " or ".join(f'userName co "{i}"' for i in range(190))  # 3.9 KB


def test_the_issues_filter_over_20k_users_is_past_the_bound() -> None:
    flt = compile_filter(ISSUE_FILTER, USER_TYPE)
    assert flt.cost == 190
    with pytest.raises(ScimError) as info:
        flt.check_work(20_000)
    assert info.value.status == 400 and info.value.scim_type == "tooMany"
    flt.check_work(MAX_FILTER_WORK // 190)  # within the bound: no error


@pytest.fixture
def small_budget(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(filter_module, "MAX_FILTER_WORK", 1000)
    return 1000


def _terms(n: int) -> str:
    return " or ".join(f'userName co "nobody{i}"' for i in range(n - 1)) + ' or userName co "u00"'


def test_a_scan_past_the_budget_is_refused_before_it_runs(
    scim: ScimClient, small_budget: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(60):
        scim.create_user(f"u{i:03d}@example.com")
    scanned = [0]
    real = filter_module.Filter.matches

    def counting(self: Any, resource: dict[str, Any]) -> bool:
        scanned[0] += 1
        return real(self, resource)

    monkeypatch.setattr(filter_module.Filter, "matches", counting)
    refused = scim.get("/Users", query_string={"filter": _terms(20)})  # 20 x 60 = 1200
    assert refused.status_code == 400
    body = refused.get_json()
    assert body["scimType"] == "tooMany" and "1200 term evaluations" in body["detail"]
    assert scanned[0] == 0
    answered = scim.get("/Users", query_string={"filter": _terms(16)})  # 16 x 60 = 960
    assert answered.status_code == 200
    assert answered.get_json()["totalResults"] == 10  # u000..u009 contain "u00"


def test_an_indexed_eq_term_scans_only_its_matches(scim: ScimClient, small_budget: int) -> None:
    for i in range(60):
        scim.create_user(f"u{i:03d}@example.com")
    text = 'userName eq "u007@example.com" and (' + _terms(30) + ")"  # 31 terms x 1 match
    response = scim.get("/Users", query_string={"filter": text})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["totalResults"] == 1


def test_a_patch_value_filter_over_many_elements_is_bounded(
    scim: ScimClient, small_budget: int
) -> None:
    emails = [{"value": f"e{i}@example.com", "type": "work"} for i in range(200)]
    user = scim.create_user("many@example.com", emails=emails)
    terms = " or ".join(f'value eq "x{i}@example.com"' for i in range(10))  # 10 x 200
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "remove", "path": f"emails[{terms}]"}],
    }
    response = scim.patch(f"/Users/{user['id']}", body)
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "tooMany"
    assert len(scim.get(f"/Users/{user['id']}").get_json()["emails"]) == 200


def test_stytch_answers_the_bound_in_its_own_scim_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same error shape as Stytch's answer to a filter over the term limit."""
    app: Flask = create_app(Settings(scenario="demo"))
    mock = mock_of(app)
    mock.open()
    acme = (mock.scenario_report or {})["stytch"]["organizations"][0]
    client = app.test_client()
    headers = {"Authorization": "Bearer " + acme["bearer_token"]}
    path = acme["scim_base_path"] + "/Users"
    over_terms = client.get(path, query_string={"filter": _terms(201)}, headers=headers)
    monkeypatch.setattr(filter_module, "MAX_FILTER_WORK", 1)
    over_work = client.get(path, query_string={"filter": _terms(2)}, headers=headers)
    assert over_terms.status_code == over_work.status_code == 400
    assert set(over_work.get_json()) == set(over_terms.get_json())
    assert over_work.get_json()["scimType"] == over_terms.get_json()["scimType"]
    assert not mock.server_errors
