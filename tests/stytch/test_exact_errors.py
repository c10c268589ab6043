"""Stytch's error JSON exactly: the ``error_url`` form, the organization external-id duplicate
type, and every error type the emulation can emit being one Stytch publishes."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

import requests

from mockscim.testing.server import MockServer
from mockscim.vendors import stytch as stytch_vendor
from mockscim.vendors.stytch import errors, search

#: Stytch's error-type catalogue: the union of stytch-browser
#: ``packages/core/src/public/StytchAPIErrorType.ts`` and stytch-android
#: ``StytchAPIErrorType.kt`` (a list of names, one per line).
CATALOGUE = Path(__file__).parent / "data" / "stytch-error-types.txt"
PACKAGE = Path(inspect.getfile(stytch_vendor)).parent
#: The only functions allowed to build an error type at run time; their expansions are
#: enumerated by ``search.error_types()``.
DYNAMIC_BUILDERS = {("errors.py", "fuzzy_too_short"), ("errors.py", "search_error")}


def catalogue() -> set[str]:
    lines = CATALOGUE.read_text().splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def emitted_types() -> tuple[set[str], set[tuple[str, str]]]:
    """Every literal error type passed to ``StytchError`` in the vendor package, and where a
    non-literal one is built (file, enclosing function)."""
    literal: set[str] = set()
    dynamic: set[tuple[str, str]] = set()
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef):
                continue
            for node in ast.walk(func):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name != "StytchError" or len(node.args) < 2:
                    continue
                arg = node.args[1]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    literal.add(arg.value)
                elif isinstance(arg, ast.Name) and arg.id == "error_type":
                    continue  # render_http: picks from errors._HTTP_TYPES, checked below
                else:
                    dynamic.add((path.name, func.name))
    return literal, dynamic


def test_every_emittable_error_type_is_in_stytchs_catalogue() -> None:
    """Evidence: Stytch's published error-type union (stytch-browser StytchAPIErrorType.ts,
    stytch-android StytchAPIErrorType.kt), copied under tests/stytch/data."""
    literal, dynamic = emitted_types()
    assert dynamic <= DYNAMIC_BUILDERS, dynamic - DYNAMIC_BUILDERS
    assert {"duplicate_member_email", "session_authorization_error"} <= literal  # scan works
    every = literal | set(errors._HTTP_TYPES.values()) | search.error_types()
    unknown = sorted(every - catalogue())
    assert unknown == [], unknown


def test_error_url_is_the_status_page_with_the_type_as_fragment(
    client: Any, org: dict[str, Any], fails: Any
) -> None:
    """stytch-node ``test/b2c/sandbox.test.ts`` (recorded against the live sandbox):
    ``https://stytch.com/docs/api/errors/404#magic_link_not_found``."""
    details = fails(
        lambda: client.organizations.get(organization_id="nope"), 404, "organization_not_found"
    )
    assert details.error_url == "https://stytch.com/docs/api/errors/404#organization_not_found"
    details = fails(
        lambda: client.organizations.create(organization_name="x", organization_slug="acme"),
        400,
        "organization_slug_already_used",
    )
    assert details.error_url == (
        "https://stytch.com/docs/api/errors/400#organization_slug_already_used"
    )


def test_unknown_route_error_url(server: MockServer) -> None:
    """Routing-level errors use the same per-status URL form."""
    auth = (server.settings.stytch_project_id, server.settings.stytch_secret)
    body = requests.get(server.url + "/v1/b2b/nothing", auth=auth, timeout=5).json()
    assert body["error_url"] == "https://stytch.com/docs/api/errors/404#route_not_found"


def test_duplicate_organization_external_id(client: Any, org: dict[str, Any], fails: Any) -> None:
    """``organization_external_id_already_used`` (Stytch's catalogue; "External IDs must be
    unique within a project", openapi ``api_organization_v1_CreateRequest``), on create and on
    update."""
    fails(
        lambda: client.organizations.create(
            organization_name="Other", organization_external_id="ext-acme"
        ),
        400,
        "organization_external_id_already_used",
    )
    other = client.organizations.create(organization_name="Other").organization
    fails(
        lambda: client.organizations.update(
            organization_id=other.organization_id, organization_external_id="ext-acme"
        ),
        400,
        "organization_external_id_already_used",
    )
