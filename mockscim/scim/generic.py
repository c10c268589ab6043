"""A plain RFC 7644 server on the shared core, with no vendor around it.

Not mounted by ``create_app``: tests of the core (and of the IdP simulator) mount it to
exercise SCIM behaviour without either vendor's control plane or rules.
"""

from __future__ import annotations

import re

from flask import Flask

from mockscim.engine.tokens import TokenRecord
from mockscim.http.context import bearer_token, mock_of, public_url, set_credential
from mockscim.http.surfaces import Surface, surfaces_of
from mockscim.scim import errors
from mockscim.scim.blueprint import ScimContext, make_scim_blueprint, render_scim_error
from mockscim.scim.policy import ScimPolicy

GENERIC_PREFIX = "/scim/v2"
REGISTRY_KEY = "mockscim.generic_scim"


class GenericDirectories:
    """Directory id -> bearer token record, for the generic mount."""

    def __init__(self) -> None:
        self.tokens: dict[str, TokenRecord] = {}


def mount_generic(app: Flask, policy: ScimPolicy | None = None) -> GenericDirectories:
    """Mount the plain server; ``policy`` (stateless: the generic mount binds nothing)
    defaults to RFC 7644's."""
    mock = mock_of(app)
    bound = policy or ScimPolicy()
    registry = GenericDirectories()
    app.extensions[REGISTRY_KEY] = registry
    surfaces_of(app).add(
        Surface(
            "generic-scim",
            "generic",
            re.compile(rf"^{GENERIC_PREFIX}/"),
            render_scim_error(type(bound)),
        ),
        first=True,
    )

    def resolve(directory_key: str) -> ScimContext:
        directory = mock.store.directories.get(directory_key)
        record = registry.tokens.get(directory_key)
        if directory is None or record is None:
            raise errors.not_found(f"Directory {directory_key} not found.")
        token = bearer_token()
        if not token:
            set_credential("none", directory_key)
            raise errors.unauthorized()
        now = mock.clock.now()
        if not record.matches(token, now):
            set_credential("invalid", directory_key)
            raise errors.unauthorized()
        set_credential("current", directory_key)
        base_url = f"{public_url()}{GENERIC_PREFIX}/{directory_key}"
        return ScimContext(directory, base_url, bound, now)

    app.register_blueprint(
        make_scim_blueprint(
            "generic_scim", f"{GENERIC_PREFIX}/<directory_key>", resolve, type(bound), mock
        )
    )
    return registry


def add_generic_directory(app: Flask, directory_id: str, token: str) -> str:
    """Create a directory on the generic mount and return its base path."""
    mock = mock_of(app)
    registry: GenericDirectories = app.extensions[REGISTRY_KEY]
    with mock.store.lock:
        mock.store.new_directory(directory_id, "generic")
        registry.tokens[directory_id] = TokenRecord.issue(token, mock.clock.now())
    return f"{GENERIC_PREFIX}/{directory_id}"
