"""OpenAPI 3.1 documents describing each emulated vendor surface, served under ``/_mockscim/openapi``.

The documents describe the vendors' real APIs (the mock must conform to them), so the same
schemathesis suite can be aimed at the mock or at Stytch/SSOReady. Served copies list the
mock itself as the first server, so ``schemathesis run <url>`` needs no ``--url``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from typing import Any

from flask import Blueprint, Flask, Response

from mockscim.runtime import Mock, public_url

#: surface name -> (title, builder, path prefix of that surface on the mock)
SURFACES: dict[str, tuple[str, Callable[[], dict[str, Any]], str]] = {}


def _register_builders() -> None:
    from mockscim.openapi import scim, ssoready, stytch

    SURFACES["stytch"] = ("Stytch B2B control plane", stytch.build, "")
    SURFACES["stytch-scim"] = (
        "Stytch SCIM 2.0 server",
        lambda: scim.build("stytch"),
        "/v1/b2b/scim/{connection_id}",
    )
    SURFACES["ssoready"] = ("SSOReady management and app API", ssoready.build, "")
    SURFACES["ssoready-scim"] = (
        "SSOReady SCIM 2.0 server",
        lambda: scim.build("ssoready"),
        "/v1/scim/{scim_directory_id}",
    )


_register_builders()


@cache
def _built(surface: str) -> str:
    return json.dumps(SURFACES[surface][1]())


def document(surface: str, server_url: str | None = None) -> dict[str, Any]:
    """A fresh copy of ``surface``'s document; with ``server_url`` (the mock's root URL) the
    mock is listed first among the servers."""
    if surface not in SURFACES:
        raise KeyError(f"unknown surface {surface!r}; known: {', '.join(SURFACES)}")
    doc = json.loads(_built(surface))
    if server_url:
        prefix = SURFACES[surface][2]
        first = copy.deepcopy(doc["servers"][0])
        first["url"] = server_url.rstrip("/") + prefix
        first["description"] = "This mockscim server"
        doc["servers"].insert(0, first)
    return doc


def register(app: Flask, mock: Mock) -> None:
    """Serve ``/_mockscim/openapi/<surface>.json`` and an index at ``/_mockscim/openapi/``."""
    bp = Blueprint("mockscim_openapi", __name__, url_prefix="/_mockscim/openapi")

    def _json(body: Any, status: int = 200) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    @bp.get("/")
    @bp.get("/index.json")
    def index() -> Response:
        root = public_url()
        return _json(
            {
                "surfaces": [
                    {
                        "name": name,
                        "title": title,
                        "url": f"{root}/_mockscim/openapi/{name}.json",
                    }
                    for name, (title, _build, _prefix) in SURFACES.items()
                ]
            }
        )

    @bp.get("/<surface>.json")
    def serve(surface: str) -> Response:
        if surface not in SURFACES:
            return _json(
                {
                    "error": f"unknown surface {surface!r}",
                    "surfaces": list(SURFACES),
                    "status": 404,
                },
                404,
            )
        return _json(document(surface, public_url()))

    app.register_blueprint(bp)
