"""Target selection, safety rails and reporting for the contract suites.

``MOCKSCIM_TARGET`` picks the API (see ``harness/targets.py``). Results of the scenario steps
go to ``build/contract/results-<target>.json`` (or ``MOCKSCIM_CONTRACT_RESULTS``) for
``mockscim contract diff``; schemathesis case counts per operation go to
``build/contract/cases-<target>.json`` and the terminal summary.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # --import-mode=importlib does not add the rootdir
    sys.path.insert(0, str(ROOT))

from contract_tests.harness.safety import Cleanup, Namer  # noqa: E402
from contract_tests.harness.targets import (  # noqa: E402
    Target,
    TargetUnavailable,
    profile_mismatch,
    resolve,
)
from contract_tests.harness.vendors import SSOReady, Stytch  # noqa: E402
from mockscim.contract import vendor_openapi  # noqa: E402
from mockscim.contract.report import Results  # noqa: E402

#: The folder of the vendors' own OpenAPI documents (``--vendor-openapi``), when given.
VENDOR_OPENAPI_ENV = "MOCKSCIM_VENDOR_OPENAPI"
#: (surface, operation label) -> cases sent; filled by the schemathesis suites.
CASE_COUNTS: Counter[tuple[str, str]] = Counter()
_STATE: dict[str, object] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mockscim contract")
    group.addoption(
        "--deep",
        action="store_true",
        help="schemathesis: thousands of cases per surface instead of the CI budget",
    )
    group.addoption(
        "--contract-results",
        default=os.environ.get("MOCKSCIM_CONTRACT_RESULTS", ""),
        help="where to write the scenario results JSON (default build/contract/results-<target>.json)",
    )
    group.addoption(
        "--contract-label",
        default=os.environ.get("MOCKSCIM_CONTRACT_LABEL", ""),
        help="label stored in the results file (e.g. the mock configuration)",
    )
    group.addoption(
        "--vendor-openapi",
        default=os.environ.get(VENDOR_OPENAPI_ENV, ""),
        metavar="DIR",
        help="also fuzz the mock against the vendors' own OpenAPI documents in DIR (Stytch's "
        f"openapi.yml, SSOReady's openapi.yaml; env {VENDOR_OPENAPI_ENV})",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Stop at once, with one line, when the served mock runs a profile the suite does not
    describe (rather than fail dozens of operations); hand the vendor-document folder to
    ``test_vendor_openapi`` (whose schemas are built at import)."""
    name = os.environ.get("MOCKSCIM_TARGET", "").strip()
    if name.startswith(("http://", "https://")):
        problem = profile_mismatch(name.rstrip("/"), os.environ.get("MOCKSCIM_CONTROL_TOKEN", ""))
        if problem:
            raise pytest.UsageError(problem)
    folder = config.getoption("--vendor-openapi", default="")
    if folder:
        try:
            vendor_openapi.find_documents(folder)
        except vendor_openapi.VendorDocumentError as exc:
            raise pytest.UsageError(f"--vendor-openapi: {exc}") from None
        os.environ[VENDOR_OPENAPI_ENV] = folder


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The vendor-document suite exists only when a folder was given (no empty skips)."""
    if collection_path.name == "test_vendor_openapi.py":
        return not config.getoption("--vendor-openapi", default="") or None
    return None


def target_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "target"


@pytest.fixture(scope="session")
def target() -> Target:
    try:
        return resolve()
    except TargetUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session", autouse=True)
def _restore_served_mock(target: Target) -> Iterator[None]:
    """A run against a developer's running mock leaves it as it found it: the state is
    snapshotted (``GET /_mockscim/state``) before the first test and put back (``PUT``) after
    the last, so the demo data survives and no fuzz organization is left behind."""
    if target.live or target.app is not None:
        yield
        return
    control = target.control()
    snapshot = control.state.snapshot()
    try:
        yield
    finally:
        control.state.restore(snapshot)


@pytest.fixture(scope="session")
def namer() -> Namer:
    return Namer()


@pytest.fixture(scope="session")
def results(request: pytest.FixtureRequest, target: Target) -> Iterator[Results]:
    res = Results(target.name, request.config.getoption("--contract-label"))
    _STATE["results"] = res
    _STATE["target"] = target.name
    yield res


@pytest.fixture
def cleanup(target: Target) -> Iterator[Cleanup]:
    """Undo stack run newest-first after the test, whether it passed or failed."""
    stack = Cleanup()
    yield stack
    failures = stack.run()
    if failures:
        lines = "; ".join(f"{d}: {type(e).__name__}" for d, e in failures)
        pytest.fail(f"cleanup left resources behind ({target.name}): {lines}", pytrace=False)


@pytest.fixture
def stytch(target: Target, namer: Namer, cleanup: Cleanup, results: Results) -> Stytch:
    if not target.serves("stytch"):
        pytest.skip(f"{target.name} does not serve Stytch")
    return Stytch(target, target.http(target.stytch_base), namer, cleanup, results)


@pytest.fixture
def ssoready(target: Target, namer: Namer, cleanup: Cleanup, results: Results) -> SSOReady:
    if not target.serves("ssoready"):
        pytest.skip(f"{target.name} does not serve SSOReady")
    return SSOReady(target, target.http(target.ssoready_base), namer, cleanup, results)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    name = str(_STATE.get("target") or "")
    if not name:
        return
    out = ROOT / "build" / "contract"
    results = _STATE.get("results")
    if isinstance(results, Results) and results.observations:
        path = session.config.getoption("--contract-results") or str(
            out / f"results-{target_slug(name)}.json"
        )
        results.save(path)
    if CASE_COUNTS:
        out.mkdir(parents=True, exist_ok=True)
        table: dict[str, dict[str, int]] = {}
        for (surface, label), n in sorted(CASE_COUNTS.items()):
            table.setdefault(surface, {})[label] = n
        (out / f"cases-{target_slug(name)}.json").write_text(json.dumps(table, indent=2) + "\n")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not CASE_COUNTS:
        return
    tr = terminalreporter
    tr.section("schemathesis cases per operation")
    per_surface: Counter[str] = Counter()
    for (surface, label), n in sorted(CASE_COUNTS.items()):
        per_surface[surface] += n
        tr.write_line(f"{n:6d}  {surface:14s} {label}")
    for surface, n in sorted(per_surface.items()):
        tr.write_line(f"{n:6d}  {surface} total")
    tr.write_line(f"{sum(per_surface.values()):6d}  all surfaces")
