"""Stateful schemathesis runs through the documents' links.

Stytch: create organization -> create connection -> rotate start -> rotate complete / cancel
(and get/update/delete around them). SSOReady: create organization -> create directory ->
rotate bearer token (again and again). Each step's response must conform to the document and
no step may be a server error. A step's case is counted per operation like the stateless runs.
"""

from __future__ import annotations

from typing import Any

import pytest
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
from mockscim.control.client import Control

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SCENARIOS = 200 if DEEP else 15


def run_machine(schema: Any, surface: str, target: Target, base_url: str, headers: dict) -> None:
    """Run the links as a Hypothesis state machine.

    Against a mock, every scenario starts from the state the run found (restored from a
    snapshot, and restored again at the end): Hypothesis replays choice sequences and needs
    the same requests to get the same answers, but a stateful server answers a repeated
    create differently (SSOReady's 409 for an organization ``externalId`` an earlier scenario
    already used), which Hypothesis reports as ``FlakyStrategyDefinition``. A live target
    has no snapshot; it keeps the vendor's own state."""
    machine = schema.as_state_machine()
    app = target.app
    control = None if target.live else Control(app if app is not None else base_url)
    before = control.state.snapshot() if control is not None else None

    class Machine(machine):  # type: ignore[misc, valid-type]
        def setup(self) -> None:
            if control is not None and before is not None:
                control.state.restore(before)

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            kwargs: dict[str, Any] = {"base_url": base_url, "headers": headers}
            if app is not None:
                kwargs["app"] = app
            return kwargs

        def after_call(self, response: Any, case: Any) -> None:
            CASE_COUNTS[(f"{surface} (stateful)", case.operation.label)] += 1

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    try:
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
    finally:
        if control is not None and before is not None:
            control.state.restore(before)


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
