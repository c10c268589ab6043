"""pytest plugin (registered through the ``pytest11`` entry point ``mockscim``).

A session-scoped server on a free loopback port, reset before every test: a reset swaps the
store's containers, so it costs microseconds rather than a server restart.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mockscim.app import create_app
from mockscim.server import MockServer


@pytest.fixture(scope="session")
def _mockscim_session_server() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


@pytest.fixture
def mockscim(_mockscim_session_server: MockServer) -> Iterator[MockServer]:
    """The running mock, emptied before the test."""
    _mockscim_session_server.reset()
    yield _mockscim_session_server


@pytest.fixture
def mockscim_app() -> Flask:
    """A fresh in-process app (no socket); use ``mockscim_app.test_client()``."""
    return create_app()


@pytest.fixture
def mockscim_client(mockscim_app: Flask) -> FlaskClient:
    return mockscim_app.test_client()


from mockscim.idp.pytest_fixtures import idp_push  # noqa: E402, F401  (IdP push simulator)
