"""The ``idp_push`` pytest fixture: push a directory into the running mock like an IdP would.

The plugin (``mockscim.testing.pytest_plugin``) serves it through :func:`pushing`. Engines are kept per (idp, base URL) for the whole
test, so calling ``idp_push`` again with a changed directory sends only the deltas, exactly as
the IdP's next provisioning cycle would. 429 back-off sleeps are recorded, never slept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from mockscim.idp.client import ScimClient
from mockscim.idp.model import Directory
from mockscim.idp.report import PushReport
from mockscim.idp.sync import IdpPush


class IdpPusher:
    def __init__(self, server_url: str) -> None:
        self.server_url = server_url.rstrip("/")
        self.engines: dict[tuple[str, str], IdpPush] = {}
        self.sleeps: list[float] = []

    def absolute(self, base_url: str) -> str:
        """A base path of the mock (``/v1/b2b/scim/...``) becomes a full URL."""
        return self.server_url + base_url if base_url.startswith("/") else base_url

    def engine(self, idp: str, base_url: str, token: str, **client_options: Any) -> IdpPush:
        """The engine (and its IdP state) for this IdP and base URL; the token is updated."""
        url = self.absolute(base_url)
        key = (idp, url)
        engine = self.engines.get(key)
        if engine is None:
            client_options.setdefault("sleep", self.sleeps.append)
            engine = IdpPush(ScimClient(url, token, **client_options), idp)
            self.engines[key] = engine
        elif not engine.client.uses_token(token):
            engine.client.set_token(token)
        return engine

    def __call__(
        self,
        directory: Directory,
        *,
        base_url: str,
        token: str,
        idp: str = "generic",
        hard_delete: bool = False,
        on_request: Callable[..., None] | None = None,
    ) -> PushReport:
        engine = self.engine(idp, base_url, token)
        engine.client.on_request = on_request
        return engine.sync(directory, hard_delete=hard_delete)


@contextmanager
def pushing(server_url: str) -> Iterator[IdpPusher]:
    """An :class:`IdpPusher` for the mock at ``server_url``; its HTTP sessions closed after."""
    pusher = IdpPusher(server_url)
    try:
        yield pusher
    finally:
        for engine in pusher.engines.values():
            engine.client.session.close()


@pytest.fixture
def idp_push(mockscim: Any) -> Iterator[IdpPusher]:
    """Call ``idp_push(directory, idp="entra", base_url=..., token=...)`` -> ``PushReport``."""
    with pushing(mockscim.url) as pusher:
        yield pusher
