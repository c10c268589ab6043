"""The OpenAPI documents: served with an index, valid for schemathesis, and every operation
they describe is routed by the mock (a documented operation the mock lacks is a gap)."""

from __future__ import annotations

import re

import pytest
import schemathesis
from flask import Flask

from mockscim.app import create_app
from mockscim.control.openapi import SURFACES, document

PREFIX = {
    "stytch": "",
    "stytch-scim": "/v1/b2b/scim/<directory_key>",
    "ssoready": "",
    "ssoready-scim": "/v1/scim/<directory_key>",
}


@pytest.fixture(scope="module")
def app() -> Flask:
    return create_app()


def test_index_lists_every_surface(app: Flask) -> None:
    body = app.test_client().get("/_mockscim/openapi/").get_json()
    assert [s["name"] for s in body["surfaces"]] == list(SURFACES)
    assert all(s["url"].endswith(f"/_mockscim/openapi/{s['name']}.json") for s in body["surfaces"])


@pytest.mark.parametrize("surface", list(SURFACES))
def test_served_document_lists_the_mock_first(app: Flask, surface: str) -> None:
    r = app.test_client().get(f"/_mockscim/openapi/{surface}.json")
    assert r.status_code == 200 and r.content_type == "application/json"
    served = r.get_json()
    assert served["openapi"] == "3.1.0"
    assert served["servers"][0]["url"].startswith("http://localhost")
    assert served["servers"][1:] == document(surface)["servers"]
    assert served["paths"] == document(surface)["paths"]
    operations = [op.ok() for op in schemathesis.openapi.from_dict(served).get_all_operations()]
    assert operations


def test_unknown_surface_is_a_json_404(app: Flask) -> None:
    r = app.test_client().get("/_mockscim/openapi/nope.json")
    assert r.status_code == 404 and r.get_json()["surfaces"] == list(SURFACES)


def _flask_path(prefix: str, path: str) -> str:
    return prefix + re.sub(r"\{[^}]+\}", "<x>", path)


@pytest.mark.parametrize("surface", list(SURFACES))
def test_every_documented_operation_is_routed(app: Flask, surface: str) -> None:
    adapter = app.url_map.bind("localhost")
    missing = []
    for path, item in document(surface)["paths"].items():
        for method in item:
            if method == "parameters":
                continue
            url = _flask_path(PREFIX[surface].replace("<directory_key>", "d"), path)
            url = url.replace("<x>", "x")
            try:
                adapter.match(url, method=method.upper())
            except Exception as exc:  # NotFound / MethodNotAllowed
                missing.append(f"{method.upper()} {path}: {type(exc).__name__}")
    assert missing == []
