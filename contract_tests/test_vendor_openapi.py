"""Stateless schemathesis fuzzing of the mock against the vendors' OWN OpenAPI documents.

Collected only when a folder is given (``--vendor-openapi DIR``, ``MOCKSCIM_VENDOR_OPENAPI``,
``make contract VENDOR_OPENAPI=DIR``): Stytch's ``openapi.yml`` and/or SSOReady's
``openapi.yaml``, as a user downloads them. Every adaptation of those documents (which
operations, what the vendors document elsewhere) lives in :mod:`mockscim.contract.vendor_openapi`.

In-process, SSOReady runs its default ``exact`` profile here (the vendor's own behaviour,
code-2 500s included); a served mock runs whatever it was started with (the suite requires
``rfc`` there, see ``conftest.py``). Checks and budget are those of ``test_schemathesis``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from contract_tests import fuzz_world
from contract_tests.conftest import CASE_COUNTS, VENDOR_OPENAPI_ENV
from contract_tests.harness.safety import Cleanup, Namer
from contract_tests.harness.targets import Target, inprocess
from contract_tests.test_schemathesis import CHECKS, EXAMPLES, HYPOTHESIS, substitute
from mockscim.contract import vendor_openapi
from mockscim.settings import Settings

DOCUMENTS = vendor_openapi.load(os.environ[VENDOR_OPENAPI_ENV])
#: Checks when the vendor documents the 5xx itself (``vendor_openapi.tolerated_server_error``).
CHECKS_TOLERATING_5XX = [c for c in CHECKS if c is not not_a_server_error]


def _schema(vendor: str) -> Any:
    schema = schemathesis.openapi.from_dict(DOCUMENTS[vendor].document)
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES,
        allow_extra_parameters=False,
    )
    return schema


class VendorRun:
    """The mock these documents are fuzzed against, and its fuzz resources per vendor."""

    def __init__(self, target: Target) -> None:
        if target.app is not None:
            # The vendor's default: SSOReady as its own server behaves (exact profile).
            target = inprocess(Settings(), name="inprocess-vendor-openapi")
        self.target = target
        self.cleanup = Cleanup()
        self.namer = Namer()
        self.worlds: dict[str, fuzz_world.SurfaceWorld] = {}

    @property
    def profile(self) -> str | None:
        if self.target.settings is not None:
            return self.target.settings.ssoready_profile
        return "rfc"  # a served target is checked to run rfc (conftest.pytest_configure)

    def world(self, vendor: str) -> fuzz_world.SurfaceWorld:
        if not self.worlds.get(vendor):
            build = fuzz_world.build_stytch if vendor == "stytch" else fuzz_world.build_ssoready
            self.worlds.update(build(self.target, self.namer, self.cleanup))
        return self.worlds[vendor]


@pytest.fixture(scope="session")
def vendor_run(target: Target) -> Iterator[VendorRun]:
    if target.live:
        pytest.skip("the vendor documents are fuzzed against a mock (live runs use the suites)")
    run = VendorRun(target)
    yield run
    run.cleanup.run()


def fuzz(case: Any, vendor: str, run: VendorRun) -> None:
    world = run.world(vendor)
    substitute(case, world)
    kwargs = {"app": run.target.app} if run.target.app is not None else {}
    CASE_COUNTS[(f"{vendor} (vendor)", case.operation.label)] += 1
    response = case.call(base_url=world.base_url, headers=world.headers, **kwargs)
    try:
        body = response.json()
    except ValueError:
        body = None
    tolerated = vendor_openapi.tolerated_server_error(
        vendor, run.profile, response.status_code, body
    )
    case.validate_response(
        response,
        checks=CHECKS_TOLERATING_5XX if tolerated else CHECKS,
        headers=world.headers,
        transport_kwargs={"base_url": world.base_url, "headers": world.headers, **kwargs},
    )


# A folder may hold one vendor's document only: the other vendor's test is not defined.
if "stytch" in DOCUMENTS:

    @_schema("stytch").parametrize()
    @HYPOTHESIS
    def test_stytch_vendor_document(case: Any, vendor_run: VendorRun) -> None:
        fuzz(case, "stytch", vendor_run)


if "ssoready" in DOCUMENTS:

    @_schema("ssoready").parametrize()
    @HYPOTHESIS
    def test_ssoready_vendor_document(case: Any, vendor_run: VendorRun) -> None:
        fuzz(case, "ssoready", vendor_run)
