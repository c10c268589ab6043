"""``MockServer``: the app on a real loopback port, on a background thread.

For the official SDKs (which speak HTTP) from unittest, scripts or any framework; the pytest
plugin uses it for its session server. Requests are served on threads, as in production.

    with MockServer(Settings(scenario="fixtures/demo.json")) as srv:
        org = srv.stytch.create_org("Acme", users=3)      # seeding helpers
        srv.clock.advance(days=1); srv.faults.rate_limit("/v1/b2b/**", count=1)
        srv.journal.assert_called("POST", "/v1/b2b/organizations")
        srv.reset()                                       # back to the scenario, in microseconds
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from mockscim.app import create_app
from mockscim.control import (
    ClockControl,
    Control,
    FaultControl,
    JournalControl,
    SsoreadyHelper,
    StateControl,
    StytchHelper,
)
from mockscim.runtime import Mock
from mockscim.settings import Settings


class MockServer:
    def __init__(
        self,
        settings: Settings | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        app: Flask | None = None,
    ) -> None:
        self.settings = settings or (app.extensions["mockscim"].settings if app else Settings())
        self._prepared = app is not None  # a caller-built app is prepared by its caller
        self.app = app or create_app(self.settings)
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._control: Control | None = None

    @property
    def mock(self) -> Mock:
        return self.app.extensions["mockscim"]

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. ``http://127.0.0.1:54321``."""
        if self._server is None:
            raise RuntimeError(
                "MockServer is not running; call start() or use it as a context manager"
            )
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"http://{host}:{self._server.server_port}"

    def start(self) -> MockServer:
        if self._server is not None:
            return self
        if not self._prepared:
            from mockscim.startup import prepare

            prepare(self.app)  # scenario, state file
            self._prepared = True
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server = make_server(self.host, self.port, self.app, threaded=True)
        self._server.daemon_threads = True  # type: ignore[attr-defined]
        self.port = self._server.server_port
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"mockscim:{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None
        from mockscim.startup import shutdown

        shutdown(self.app)

    def reset(self, *, empty: bool = False) -> None:
        """Empty store, journal and faults, real clock; back to the scenario unless ``empty``."""
        from mockscim.startup import reset

        reset(self.mock, reseed=not empty)

    # ------------------------------------------------------------------ control plane
    @property
    def control(self) -> Control:
        if self._control is None:
            self._control = Control(self, seed=self.settings.seed or 0)
        return self._control

    @property
    def clock(self) -> ClockControl:
        return self.control.clock

    @property
    def faults(self) -> FaultControl:
        return self.control.faults

    @property
    def journal(self) -> JournalControl:
        return self.control.journal

    @property
    def state(self) -> StateControl:
        return self.control.state

    @property
    def stytch(self) -> StytchHelper:
        return self.control.stytch

    @property
    def ssoready(self) -> SsoreadyHelper:
        return self.control.ssoready

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ official SDKs
    def stytch_client(self, **kwargs: Any) -> Any:
        """A ``stytch.B2BClient`` aimed at this server (needs the ``stytch`` package)."""
        import stytch

        return stytch.B2BClient(
            project_id=self.settings.stytch_project_id,
            secret=self.settings.stytch_secret,
            environment=self.url + "/",
            **kwargs,
        )

    def ssoready_client(self, *, app_key: bool = False, **kwargs: Any) -> Any:
        """An ``ssoready.client.SSOReady`` aimed at this server (needs the ``ssoready`` package)."""
        from ssoready.client import SSOReady

        key = self.settings.ssoready_app_key if app_key else self.settings.ssoready_api_key
        return SSOReady(api_key=key, base_url=self.url, **kwargs)
