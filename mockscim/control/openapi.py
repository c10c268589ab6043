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

from mockscim.http.context import json_response, public_url
from mockscim.vendors import VENDORS

#: surface name -> (title, builder, path prefix of that surface on the mock)
SURFACES: dict[str, tuple[str, Callable[[], dict[str, Any]], str]] = {
    surface.name: (surface.title, surface.build, surface.prefix)
    for vendor in VENDORS.values()
    for surface in vendor.openapi_surfaces()
}


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


def register(app: Flask) -> None:
    """Serve ``/_mockscim/openapi/<surface>.json`` and an index at ``/_mockscim/openapi/``."""
    bp = Blueprint("mockscim_openapi", __name__, url_prefix="/_mockscim/openapi")

    @bp.get("/")
    @bp.get("/index.json")
    def index() -> Response:
        root = public_url()
        return json_response(
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
            return json_response(
                {
                    "error": f"unknown surface {surface!r}",
                    "surfaces": list(SURFACES),
                    "status": 404,
                },
                404,
            )
        return json_response(document(surface, public_url()))

    app.register_blueprint(bp)
