"""Fixtures for testing the SCIM core on its own, through the generic RFC 7644 mount."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from mockscim.app import create_app
from mockscim.http.context import Mock, mock_of
from mockscim.scim.generic import add_generic_directory, mount_generic
from mockscim.settings import Settings

TOKEN = "generic-test-token-0001"


class ScimClient:
    """A Flask test client bound to one directory's base path and bearer token."""

    def __init__(self, client: FlaskClient, base: str, token: str = TOKEN) -> None:
        self.client = client
        self.base = base
        self.token = token

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        token: str | None = None,
        **kwargs: Any,
    ) -> Any:
        headers = {"Authorization": f"Bearer {token or self.token}"}
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        if data is not None:
            headers["Content-Type"] = "application/scim+json"
        return self.client.open(
            self.base + path, method=method, data=data, headers=headers, **kwargs
        )

    def get(self, path: str, **kw: Any) -> Any:
        return self.request("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.request("POST", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.request("PUT", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.request("PATCH", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> Any:
        return self.request("DELETE", path, **kw)

    def create_user(self, user_name: str, **attrs: Any) -> dict[str, Any]:
        body = {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": user_name,
            **attrs,
        }
        response = self.post("/Users", body)
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()

    def create_group(
        self, name: str, members: list[str] | None = None, **attrs: Any
    ) -> dict[str, Any]:
        body = {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": name,
            "members": [{"value": m} for m in members or []],
            **attrs,
        }
        response = self.post("/Groups", body)
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.get_json()


@pytest.fixture
def settings() -> Settings:
    return Settings(max_body_bytes=64 * 1024)


@pytest.fixture
def app(settings: Settings) -> Flask:
    app = create_app(settings)
    mount_generic(app)
    add_generic_directory(app, "dir1", TOKEN)
    return app


@pytest.fixture
def mock(app: Flask) -> Mock:
    return mock_of(app)


@pytest.fixture
def scim(app: Flask) -> Iterator[ScimClient]:
    yield ScimClient(app.test_client(), "/scim/v2/dir1")
