"""A real loopback server with the generic RFC 7644 mount, for pushing without a vendor."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from mockscim.app import create_app
from mockscim.idp import Directory, IdpPush, ScimClient
from mockscim.idp.model import DesiredGroup, DesiredUser
from mockscim.idp.pytest_fixtures import idp_push  # noqa: F401  (also served by the plugin)
from mockscim.scim.generic import add_generic_directory, mount_generic
from mockscim.testing.pytest_plugin import _mockscim_session_server, mockscim  # noqa: F401
from mockscim.testing.server import MockServer

TOKEN = "idp-generic-token-0001"


@dataclass
class GenericTarget:
    server: MockServer
    base_url: str
    token: str = TOKEN

    def engine(self, idp: str, *, query: str = "", **options: Any) -> IdpPush:
        options.setdefault("sleep", lambda s: None)
        return IdpPush(ScimClient(self.base_url + query, self.token, **options), idp)

    def get(self, path: str, **params: str) -> Any:
        r = requests.get(
            self.base_url + path,
            params=params,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=10,
        )
        assert r.status_code == 200, r.text
        return r.json()

    def users(self) -> dict[str, dict[str, Any]]:
        return {u["userName"]: u for u in self.get("/Users", count="1000")["Resources"]}

    def groups(self) -> dict[str, dict[str, Any]]:
        return {g["displayName"]: g for g in self.get("/Groups", count="1000")["Resources"]}


@pytest.fixture(scope="module")
def generic_server() -> Iterator[MockServer]:
    app = create_app()
    mount_generic(app)
    with MockServer(app=app) as server:
        yield server


@pytest.fixture
def target(generic_server: MockServer) -> GenericTarget:
    generic_server.reset()
    generic_server.app.extensions["mockscim.generic_scim"].tokens.clear()
    path = add_generic_directory(generic_server.app, "dir1", TOKEN)
    return GenericTarget(generic_server, generic_server.url + path)


def small_directory() -> Directory:
    """Three people (one manages another) and two groups."""
    ada = DesiredUser(
        "k-ada", "ada@example.com", "Ada", "Lovelace", title="CTO", department="Engineering"
    )
    bob = DesiredUser("k-bob", "bob@example.com", "Bob", "Byte", manager="k-ada")
    cy = DesiredUser("k-cy", "cy@example.com", "Cy", "Cipher", department="Sales")
    eng = DesiredGroup("g-eng", "Engineering", ("k-ada", "k-bob"))
    sales = DesiredGroup("g-sales", "Sales", ("k-cy",))
    return Directory.of([ada, bob, cy], [eng, sales])
