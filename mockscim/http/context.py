"""What a request handler may ask of the current request: its mock, its public URL, its
bearer token, and the facts it leaves for the journal (credential, error kind, extras).

Facts for the journal live on Flask's ``g`` under ``mockscim_*`` names; the journal hook in
:mod:`mockscim.http.hooks` reads them after the response is built.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, current_app, g, request

from mockscim.engine.mock import Mock
from mockscim.settings import Settings

MOCK_KEY = "mockscim"


def mock_of(app: Flask) -> Mock:
    return app.extensions[MOCK_KEY]


def current_mock() -> Mock:
    return current_app.extensions[MOCK_KEY]


def configured_public_url(settings: Settings, vendor: str | None = None) -> str:
    """The public URL ``settings`` configure for ``vendor``'s URLs: its own
    ``<vendor>_public_url`` when the settings have one and it is set, else ``public_url``
    (``""``: none configured). Looked up by name, so this module names no vendor."""
    own = getattr(settings, f"{vendor}_public_url", "") if vendor else ""
    return own or settings.public_url


def public_url(configured: str | None = None, *, vendor: str | None = None) -> str:
    """The URL clients reach this server at, for base URLs and ``Location`` headers:
    ``configured`` (default: the mock's :func:`configured_public_url` for ``vendor``) when
    set, else the request's own host URL."""
    if configured is None:
        configured = configured_public_url(current_mock().settings, vendor)
    if configured:
        return configured.rstrip("/")
    # Cheaper than request.host_url, which re-encodes the whole URL on every call.
    req = request._get_current_object()  # type: ignore[attr-defined]
    return f"{req.scheme}://{req.host}"


def bearer_token() -> str:
    """The token of an ``Authorization: Bearer <token>`` header (scheme case-insensitive),
    or ``""`` when there is none."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return ""
    return token.strip()


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body), status=status, headers=headers, content_type="application/json"
    )


def set_credential(kind: str, directory_id: str | None = None) -> None:
    """Record which credential authenticated this request, for the journal."""
    ctx = g._get_current_object()  # type: ignore[attr-defined]
    ctx.mockscim_credential = kind
    if directory_id is not None:
        ctx.mockscim_directory = directory_id


def set_error_kind(kind: str) -> None:
    g.mockscim_error_kind = kind


def set_journal_extra(**fields: Any) -> None:
    """Attach vendor-specific facts to this request's journal entry (its ``extra``)."""
    ctx = g._get_current_object()  # type: ignore[attr-defined]
    ctx.mockscim_extra = {**getattr(ctx, "mockscim_extra", {}), **fields}
