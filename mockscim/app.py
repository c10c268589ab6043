"""``create_app``: one Flask app serving both vendors, their SCIM servers and the control plane.

The wiring in one place: an engine :class:`~mockscim.engine.mock.Mock` (its store holding the
SCIM core's directories and its scenario loader building through a scratch app), the shared
HTTP hooks, the control plane, every registered vendor, and the dashboard (``/_mockscim/ui``).
"""

from __future__ import annotations

from functools import partial

from flask import Flask

from mockscim import ui
from mockscim.control import openapi as control_openapi
from mockscim.control import routes as control_routes
from mockscim.engine.mock import Mock
from mockscim.engine.store import Store
from mockscim.engine.tokens import using
from mockscim.http import hooks
from mockscim.http.context import MOCK_KEY, mock_of
from mockscim.http.surfaces import SURFACES_KEY, Surfaces
from mockscim.scenario import builder
from mockscim.scim.directory import ScimDirectory
from mockscim.settings import Settings
from mockscim.vendors import VENDORS


def create_app(settings: Settings | None = None) -> Flask:
    """A ready app; call ``mock_of(app).open()`` (as ``serve``, ``MockServer`` and the plugin
    do) to load the configured scenario and state file before taking traffic."""
    settings = settings or Settings()
    app = Flask("mockscim")
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    mock = Mock.create(
        settings,
        Store(ScimDirectory),
        scenario_loader=partial(builder.load, app_factory=create_app),
    )
    surfaces = Surfaces()
    app.extensions[MOCK_KEY] = mock
    app.extensions[SURFACES_KEY] = surfaces
    hooks.install(app, mock, surfaces)
    control_routes.register(app, mock, surfaces)
    control_openapi.register(app)
    with using(mock.ids):  # ids minted at start (SSOReady's environment) follow the seed
        for vendor in VENDORS.values():
            vendor.register(app, mock, surfaces)
    ui.register(app)
    return app


__all__ = ["create_app", "mock_of"]
