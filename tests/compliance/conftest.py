"""Running scim2-tester (python-scim) against a SCIM base URL of the running mock."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import pytest
import scim2_tester
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import CheckResult, Status, filling
from scim2_tester.checkers import patch_add, patch_replace

from mockscim.testing.server import MockServer

PASSING = {Status.SUCCESS, Status.COMPLIANT, Status.ACCEPTABLE, Status.SKIPPED}


def run_checker(base_url: str, token: str) -> list[CheckResult]:
    http = httpx2.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"})
    try:
        client = SyncSCIMClient(http)
        client.discover()
        return scim2_tester.check_server(client)
    finally:
        http.close()


def problems(results: list[CheckResult]) -> list[tuple[str | None, str, str]]:
    """(resource type, check, reason) of every check that did not pass."""
    return [(r.resource_type, r.title, r.reason or "") for r in results if r.status not in PASSING]


@pytest.fixture
def idp_shaped_usernames(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Make scim2-tester send ``userName`` as an email in ``domain``, as every real IdP does.

    scim2-tester fills ``userName`` with a random UUID; both vendors need an email there
    (Stytch: a member needs an email; SSOReady: the email's domain must be the org's).
    Every other value stays random.
    """

    def install(domain: str) -> None:
        original = filling.generate_random_value

        def generate(context: Any, path: Any, mutability: Any = None, required: Any = None) -> Any:
            value = original(context, path, mutability, required)
            if value is not None and str(path).endswith("userName"):
                return f"{uuid.uuid4().hex}@{domain}"
            return value

        for module in (filling, patch_add, patch_replace):
            monkeypatch.setattr(module, "generate_random_value", generate)

    return install


@pytest.fixture(scope="module")
def server() -> Iterator[MockServer]:
    with MockServer() as srv:
        yield srv
