"""Stateless schemathesis fuzzing of every operation of every surface.

Documents are mockscim's own (``mockscim.control.openapi``), which describe the vendors' APIs. Cases
are positive and negative; checks: no server error, documented status code and content type,
response schema conformance, and rejection of schema-violating input. About two thirds of the
generated ids are swapped for real ones (see ``fuzz_world``), so the handlers behind the 404s
are fuzzed too. Budget: ``MOCKSCIM_FUZZ_EXAMPLES`` per operation and mode (CI default), or the
deep budget with ``--deep`` / ``MOCKSCIM_CONTRACT_DEEP=1``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from contract_tests import fuzz_world
from contract_tests.conftest import CASE_COUNTS
from contract_tests.harness.safety import Cleanup, Namer
from contract_tests.harness.targets import Target
from mockscim.control.openapi import document

DEEP = "--deep" in sys.argv or os.environ.get("MOCKSCIM_CONTRACT_DEEP") == "1"
EXAMPLES = int(os.environ.get("MOCKSCIM_FUZZ_EXAMPLES", "400" if DEEP else "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
HYPOTHESIS = settings(
    deadline=None,
    database=None,
    derandomize=not DEEP,
    suppress_health_check=list(HealthCheck),
    max_examples=EXAMPLES,
)


def load(surface: str) -> Any:
    schema = schemathesis.openapi.from_dict(document(surface))
    schema.config.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=EXAMPLES,
        allow_extra_parameters=False,
    )
    return schema


STYTCH = load("stytch")
STYTCH_SCIM = load("stytch-scim")
SSOREADY = load("ssoready")
SSOREADY_SCIM = load("ssoready-scim")


class Worlds:
    """Fuzz resources per vendor, built on first use (a vendor never fuzzed costs nothing)."""

    def __init__(self, target: Target, namer: Namer) -> None:
        self.target = target
        self.namer = namer
        self.cleanup = Cleanup()
        self.built: dict[str, fuzz_world.SurfaceWorld] = {}

    def get(self, surface: str) -> fuzz_world.SurfaceWorld:
        vendor = surface.split("-")[0]
        if not self.target.serves(vendor):
            pytest.skip(f"{self.target.name} does not serve {vendor}")
        if surface not in self.built:
            build = fuzz_world.build_stytch if vendor == "stytch" else fuzz_world.build_ssoready
            self.built.update(build(self.target, self.namer, self.cleanup))
        return self.built[surface]


@pytest.fixture(scope="session")
def worlds(target: Target, namer: Namer) -> Iterator[Worlds]:
    lazy = Worlds(target, namer)
    yield lazy
    lazy.cleanup.run()


def _is_negative(case: Any, location: str) -> bool:
    meta = getattr(case, "_meta", None)
    if meta is None:
        return False
    for key, info in meta.components.items():
        if str(getattr(key, "value", key)) == location:
            return getattr(info, "mode", None) == GenerationMode.NEGATIVE
    return False


def _swap(value: Any) -> bool:
    """Deterministic in the generated value, so hypothesis replays and shrinks stay stable."""
    return len(str(value)) % 3 != 0


def substitute(case: Any, world: fuzz_world.SurfaceWorld) -> None:
    path = case.operation.path
    if case.path_parameters and not _is_negative(case, "path"):
        for name, value in list(case.path_parameters.items()):
            real = world.value_for(path, name)
            if real is not None and _swap(value):
                case.path_parameters[name] = real
    if case.query and not _is_negative(case, "query"):
        for name, value in list(case.query.items()):
            real = world.value_for(path, name)
            if real is not None and _swap(value):
                case.query[name] = real


def run(case: Any, surface: str, target: Target, worlds: Worlds) -> None:
    world = worlds.get(surface)
    substitute(case, world)
    kwargs = {"app": target.app} if target.app is not None else {}
    CASE_COUNTS[(surface, case.operation.label)] += 1
    case.call_and_validate(base_url=world.base_url, headers=world.headers, checks=CHECKS, **kwargs)


@STYTCH.parametrize()
@HYPOTHESIS
def test_stytch(case: Any, target: Target, worlds: Worlds) -> None:
    run(case, "stytch", target, worlds)


@STYTCH_SCIM.parametrize()
@HYPOTHESIS
def test_stytch_scim(case: Any, target: Target, worlds: Worlds) -> None:
    run(case, "stytch-scim", target, worlds)


@SSOREADY.parametrize()
@HYPOTHESIS
def test_ssoready(case: Any, target: Target, worlds: Worlds) -> None:
    run(case, "ssoready", target, worlds)


@SSOREADY_SCIM.parametrize()
@HYPOTHESIS
def test_ssoready_scim(case: Any, target: Target, worlds: Worlds) -> None:
    run(case, "ssoready-scim", target, worlds)
