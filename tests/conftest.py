"""Fixtures shared by the vendor test packages: a real server per module, reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockscim.testing.server import MockServer


@pytest.fixture(scope="module")
def _server() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


@pytest.fixture
def server(_server: MockServer) -> Iterator[MockServer]:
    """The module's server, emptied before the test; a server-side exception fails the test."""
    _server.reset()
    _server.mock.server_errors.clear()
    yield _server
    errors = _server.mock.take_server_errors()
    assert not errors, "the server raised:\n" + "\n".join(errors)
