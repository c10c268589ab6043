"""``MockServer``: the app on a real loopback port, on a background thread.

For the official SDKs (which speak HTTP) from unittest, scripts or any framework; the pytest
plugin uses it for its session server. Requests are served on threads, as in production, by
the server ``mockscim serve`` uses (:mod:`mockscim.serving.wsgi`: waitress; ``server=
"werkzeug"`` keeps werkzeug's); ``tls=True`` serves HTTPS with a generated test CA
(``.ca_path``, for ``REQUESTS_CA_BUNDLE``).

    with MockServer(Settings(scenario="demo")) as srv:
        org = srv.stytch.create_org("Acme", users=3)      # seeding helpers
        srv.clock.advance(days=1); srv.faults.rate_limit("/v1/b2b/**", count=1)
        srv.journal.assert_called("POST", "/v1/b2b/organizations")
        srv.reset()                                       # back to the scenario, in microseconds
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from flask import Flask

from mockscim.app import create_app
from mockscim.control.client import Control
from mockscim.engine.mock import Mock
from mockscim.http.context import mock_of
from mockscim.serving.wsgi import WSGIServer
from mockscim.settings import Settings


class MockServer(Control):
    """A control handle (``.clock``, ``.faults``, ``.journal``, ``.state``, ``.stytch``,
    ``.ssoready``, ``.stytch_client()``...) on a server it runs itself."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        app: Flask | None = None,
        server: str = "waitress",
        tls: bool = False,
    ) -> None:
        settings = settings or (mock_of(app).settings if app else Settings())
        self._opened = app is not None  # a caller-built app is opened by its caller
        self.app = app or create_app(settings)
        self.host = host
        self.port = port
        self.server_kind = server  # "waitress", or "werkzeug" (TLS always runs on werkzeug)
        self.tls = tls
        self.ca_path: str | None = None  # with tls: the test CA's PEM, for REQUESTS_CA_BUNDLE
        self._server: WSGIServer | None = None
        super().__init__(self, seed=settings.seed or 0, settings=settings)

    @property
    def mock(self) -> Mock:
        return mock_of(self.app)

    @property
    def control(self) -> Control:
        """This server's control handle (the server itself; kept for older code)."""
        return self

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. ``http://127.0.0.1:54321``."""
        if self._server is None:
            raise RuntimeError(
                "MockServer is not running; call start() or use it as a context manager"
            )
        return self._server.url

    def start(self) -> MockServer:
        if self._server is not None:
            return self
        if not self._opened:
            self.mock.open()  # scenario, state file
            self._opened = True
        ssl_context = None
        if self.tls:
            from mockscim.serving.tls import TestCA

            ca = TestCA.default()
            ssl_context, self.ca_path = ca.server_context([self.host]), ca.ca_path
        self._server = WSGIServer(
            self.app,
            self.host,
            self.port,
            server=self.server_kind,
            ssl_context=ssl_context,
            # waitress: INFO lines on the "mockscim" logger, silent unless enabled; werkzeug's
            # own request log is quietened, as MockServer always did.
            access_log=self.server_kind == "waitress",
        ).start()
        self.server_kind, self.port = self._server.kind, self._server.port
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.stop()
        self._server = None
        self.mock.close()

    def reset(self, *, empty: bool = False) -> dict[str, Any]:
        """Empty store, journal and faults, real clock; back to the scenario unless ``empty``.
        In-process: no HTTP round trip."""
        return self.mock.reset(reseed=not empty)

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
