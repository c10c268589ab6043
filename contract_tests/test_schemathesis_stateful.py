"""Stateful schemathesis runs through the documents' links.

Stytch: create organization -> create connection -> rotate start -> rotate complete / cancel
(and get/update/delete around them). SSOReady: create organization -> create directory ->
rotate bearer token (again and again). Each step's response must conform to the document and
no step may be a server error. A step's case is counted per operation like the stateless runs.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from contract_tests.conftest import CASE_COUNTS
from contract_tests.harness.http import basic, bearer
from contract_tests.harness.targets import Target
from contract_tests.test_schemathesis import DEEP, SSOREADY, STYTCH

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SCENARIOS = 200 if DEEP else 15


def start_fresh(target: Target, base_url: str) -> None:
    """Reset a served mock before a machine runs. The machine picks its next steps from what
    the server answers (a link is followed only from a stored response), so state left by
    the stateless runs before it changes which steps hypothesis can draw between two runs of
    one example, which hypothesis rejects as inconsistent generation (seen with a served
    SSOReady mock). An in-process target and live targets are left as they are."""
    if target.kind == "mock" and target.app is None:
        requests.post(base_url.rstrip("/") + "/_mockscim/reset", timeout=30).raise_for_status()


def run_machine(schema: Any, surface: str, target: Target, base_url: str, headers: dict) -> None:
    start_fresh(target, base_url)
    machine = schema.as_state_machine()
    app = target.app

    class Machine(machine):  # type: ignore[misc, valid-type]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            kwargs: dict[str, Any] = {"base_url": base_url, "headers": headers}
            if app is not None:
                kwargs["app"] = app
            return kwargs

        def after_call(self, response: Any, case: Any) -> None:
            CASE_COUNTS[(f"{surface} (stateful)", case.operation.label)] += 1

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Machine.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=8,
            deadline=None,
            database=None,
            derandomize=not DEEP,
            suppress_health_check=list(HealthCheck),
        )
    )


def test_stytch_stateful_rotation_flows(target: Target) -> None:
    if not target.serves("stytch"):
        pytest.skip(f"{target.name} does not serve Stytch")
    headers = {"Authorization": basic(target.stytch_project_id, target.stytch_secret)}
    run_machine(STYTCH, "stytch", target, target.stytch_base, headers)
    reached = {label for (surface, label) in CASE_COUNTS if surface == "stytch (stateful)"}
    # The links must actually be followed through both rotation phases.
    assert "POST /v1/b2b/scim/{organization_id}/connection/{connection_id}/rotate/start" in reached
    assert (
        "POST /v1/b2b/scim/{organization_id}/connection/{connection_id}/rotate/complete" in reached
    )


def test_ssoready_stateful_rotation_flows(target: Target) -> None:
    if not target.serves("ssoready"):
        pytest.skip(f"{target.name} does not serve SSOReady")
    headers = {"Authorization": bearer(target.ssoready_api_key)}
    run_machine(SSOREADY, "ssoready", target, target.ssoready_base, headers)
    reached = {label for (surface, label) in CASE_COUNTS if surface == "ssoready (stateful)"}
    assert "POST /v1/scim-directories/{id}/rotate-bearer-token" in reached
