"""A plain RFC 7644 server on the shared core, with no vendor around it.

Not mounted by ``create_app``: tests of the core (and of the IdP simulator) mount it to
exercise SCIM behaviour without either vendor's control plane or rules.
"""

from __future__ import annotations

import re

from flask import Flask, request

from mockscim.runtime import Mock, Surface, public_url, set_credential
from mockscim.scim import errors
from mockscim.scim.blueprint import ScimContext, error_response, make_scim_blueprint
from mockscim.scim.errors import ScimError
from mockscim.scim.policy import ScimPolicy
from mockscim.tokens import TokenRecord

GENERIC_PREFIX = "/scim/v2"


class GenericDirectories:
    """Directory id -> bearer token record, for the generic mount."""

    def __init__(self) -> None:
        self.tokens: dict[str, TokenRecord] = {}


def mount_generic(app: Flask, policy: ScimPolicy | None = None) -> GenericDirectories:
    mock: Mock = app.extensions["mockscim"]
    policy = policy or ScimPolicy()
    registry = GenericDirectories()
    mock.extensions["generic_scim"] = registry

    def render(status: int, message: str):  # type: ignore[no-untyped-def]
        return error_response(ScimError(status, message), policy)

    mock.surfaces.insert(
        0, Surface("generic-scim", "generic", re.compile(rf"^{GENERIC_PREFIX}/"), render)
    )

    def resolve(directory_key: str) -> ScimContext:
        directory = mock.store.directories.get(directory_key)
        record = registry.tokens.get(directory_key)
        if directory is None or record is None:
            raise errors.not_found(f"Directory {directory_key} not found.")
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            set_credential("none", directory_key)
            raise errors.unauthorized()
        if not record.matches(token.strip(), mock.clock.now()):
            set_credential("invalid", directory_key)
            raise errors.unauthorized()
        set_credential("current", directory_key)
        return ScimContext(directory, f"{public_url()}{GENERIC_PREFIX}/{directory_key}")

    app.register_blueprint(
        make_scim_blueprint("generic_scim", f"{GENERIC_PREFIX}/<directory_key>", resolve, policy)
    )
    return registry


def add_generic_directory(app: Flask, directory_id: str, token: str) -> str:
    """Create a directory on the generic mount and return its base path."""
    mock: Mock = app.extensions["mockscim"]
    registry: GenericDirectories = mock.extensions["generic_scim"]
    with mock.store.lock:
        mock.store.new_directory(directory_id, "generic")
        registry.tokens[directory_id] = TokenRecord.issue(token, mock.clock.now())
    return f"{GENERIC_PREFIX}/{directory_id}"
