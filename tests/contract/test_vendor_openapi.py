"""The vendor-document adaptations (mockscim/contract/vendor_openapi.py), on small documents
shaped like the vendors' (their files are never copied here), and the operation lists checked
against the mock's routes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from mockscim.app import create_app
from mockscim.contract import vendor_openapi as vo
from mockscim.settings import Settings

ORG = "api_organization_v1_Organization"


def _op(method: str, path: str) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": f"{method}{path}",
        "responses": {
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{ORG}"}}
                },
            },
            "401": {"description": "Unauthorized"},
        },
        "x-code-samples": [{"lang": "go", "source": "..."}],
    }
    if method in ("POST", "PUT", "PATCH"):
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ORG}"}}},
        }
    return op


def stytch_like(extra: tuple[str, str] | None = ("POST", "/v1/b2b/sessions/authenticate")) -> dict:
    ops = set(vo.STYTCH_OPERATIONS) | ({extra} if extra else set())
    paths: dict[str, dict] = {}
    for method, path in sorted(ops):
        paths.setdefault(path, {})[method.lower()] = _op(method, path)
    return {
        "openapi": "3.0.3",
        "info": {"title": "Stytch", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": {
                ORG: {
                    "type": "object",
                    "properties": {
                        "organization_id": {"type": "string"},
                        "organization_external_id": {"type": "string"},
                    },
                    "required": ["organization_id"],
                },
                "api_unused_Thing": {"type": "object"},
            }
        },
    }


def ssoready_like() -> dict:
    paths: dict[str, dict] = {}
    for method, path in sorted(vo.SSOREADY_OPERATIONS):
        paths.setdefault(path, {})[method.lower()] = _op(method, path)
    return {"openapi": "3.0.3", "info": {"title": "SSOReadyService API"}, "paths": paths}


def test_documents_are_found_by_content_not_name(tmp_path: Path) -> None:
    (tmp_path / "whatever.yml").write_text(yaml.safe_dump(stytch_like()))
    (tmp_path / "openapi.json").write_text(json.dumps(ssoready_like()))
    (tmp_path / "notes.yaml").write_text("just: text\n")
    (tmp_path / "LICENSE").write_text("MIT")
    found = vo.find_documents(tmp_path)
    assert found == {"stytch": tmp_path / "whatever.yml", "ssoready": tmp_path / "openapi.json"}
    loaded = vo.load(tmp_path)
    assert loaded["ssoready"].pending == vo.SSOREADY_PENDING


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: d / "missing", "not a folder"),
        (lambda d: d, "no Stytch openapi.yml or SSOReady openapi.yaml"),
    ],
)
def test_a_wrong_folder_is_named(tmp_path: Path, setup: Any, message: str) -> None:
    with pytest.raises(vo.VendorDocumentError, match=message):
        vo.find_documents(setup(tmp_path))


def test_stytch_keeps_only_the_emulated_operations_and_their_schemas() -> None:
    doc = vo.adapt_stytch(stytch_like())
    kept = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    assert kept == set(vo.STYTCH_OPERATIONS)
    assert set(doc["components"]["schemas"]) == {ORG}
    assert "x-code-samples" not in json.dumps(doc)


def test_a_document_missing_an_emulated_operation_is_refused() -> None:
    raw = stytch_like()
    del raw["paths"]["/v1/b2b/organizations/search"]
    with pytest.raises(vo.VendorDocumentError, match="POST /v1/b2b/organizations/search"):
        vo.adapt_stytch(raw)


def test_stytch_catalogue_statuses_and_sdk_nullability() -> None:
    doc = vo.adapt_stytch(stytch_like())
    op = doc["paths"]["/v1/b2b/organizations/{organization_id}"]["get"]
    assert set(op["responses"]) == {"200", "401", "403", "404"}
    assert op["responses"]["404"]["content"]["application/json"]["schema"] == vo.STYTCH_ERROR
    org = doc["components"]["schemas"][ORG]["properties"]
    # Optional in stytch-python's Organization model: may be null in a response.
    assert org["organization_external_id"] == {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert org["organization_id"] == {"type": "string"}  # required, never null


def test_request_bodies_read_as_protobuf_json_without_loosening_responses() -> None:
    doc = vo.adapt_stytch(stytch_like())
    create = doc["paths"]["/v1/b2b/organizations"]["post"]["requestBody"]
    assert create["required"] is False  # the empty body is the empty message
    props = create["content"]["application/json"]["schema"]["properties"]
    assert {"type": "null"} in props["organization_external_id"]["anyOf"]
    # The shared component (also the 200 response) is untouched by the request adaptation.
    component = doc["components"]["schemas"][ORG]["properties"]["organization_id"]
    assert component == {"type": "string"}


def test_ssoready_pending_operations_are_left_out_and_bearer_auth_added() -> None:
    doc = vo.adapt_ssoready(ssoready_like())
    kept = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    assert kept == set(vo.SSOREADY_OPERATIONS - vo.SSOREADY_PENDING)
    assert doc["security"] == [{"bearerAuth": []}]
    body = doc["paths"]["/v1/organizations"]["post"]["requestBody"]
    # vanguard reads a missing body as the empty message (prepareUnmarshalledRequestFromBody)
    assert body["required"] is False


@pytest.mark.parametrize(
    ("vendor", "profile", "status", "body", "tolerated"),
    [
        ("ssoready", "exact", 500, {"code": 2, "message": "no rows in result set"}, True),
        ("ssoready", "exact", 500, {"code": 13, "message": "internal"}, False),
        ("ssoready", "exact", 500, None, False),
        ("ssoready", "rfc", 500, {"code": 2, "message": "x"}, False),
        ("stytch", "exact", 500, {"code": 2}, False),
        ("ssoready", "exact", 400, {"code": 2}, False),
    ],
)
def test_only_ssoready_exact_code_2_500s_are_the_vendors_answer(
    vendor: str, profile: str, status: int, body: Any, tolerated: bool
) -> None:
    assert vo.tolerated_server_error(vendor, profile, status, body) is tolerated


def _route(method: str, path: str) -> str:
    return path.replace("{", "").replace("}", "")


@pytest.mark.parametrize("profile", ["exact", "rfc"])
def test_every_listed_operation_is_routed_and_pending_ones_still_answer_501(profile: str) -> None:
    """The lists name real routes; and the temporary pending set holds exactly the SSOReady
    operations this mock does not emulate yet (once one is implemented, this fails: remove
    it from ``SSOREADY_PENDING`` so it is fuzzed)."""
    settings = Settings(ssoready_profile=profile)
    app = create_app(settings)
    client = app.test_client()
    adapter = app.url_map.bind("localhost")
    for method, path in vo.STYTCH_OPERATIONS | vo.SSOREADY_OPERATIONS:
        adapter.match(_route(method, path), method=method)
    auth = {"Authorization": f"Bearer {settings.ssoready_api_key}"}
    for method, path in vo.SSOREADY_OPERATIONS:
        r = client.open(_route(method, path), method=method, json={}, headers=auth)
        assert (r.status_code == 501) is ((method, path) in vo.SSOREADY_PENDING), (method, path)


def test_a_wrong_folder_stops_the_contract_run_with_one_line(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "contract_tests",
            "-q",
            "-p",
            "no:cacheprovider",
            "--vendor-openapi",
            str(tmp_path),
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "MOCKSCIM_TARGET"},
    )
    assert run.returncode == 4
    assert run.stderr.strip().splitlines() == [
        f"ERROR: --vendor-openapi: {tmp_path}: no Stytch openapi.yml or SSOReady openapi.yaml "
        "found there"
    ]


def _shape(path: str) -> str:
    """A path with its parameter names erased (``/v1/organizations/<org_id>`` and
    ``/v1/organizations/{id}`` are one operation)."""
    shape = re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)
    # Stytch's document has one path per OAuth provider; the mock one rule for all five.
    return re.sub(r"/oauth_providers/[a-z]+$", "/oauth_providers/{}", shape)


def test_every_vendor_api_route_of_the_mock_is_listed() -> None:
    """The operation lists are explicit; this keeps them complete: a Stytch or SSOReady API
    route the mock gains (a merged branch adding RBAC policy, sessions...) must be added to
    ``STYTCH_OPERATIONS`` / ``SSOREADY_OPERATIONS`` so the vendor documents fuzz it too."""
    listed = {(m, _shape(p)) for m, p in vo.STYTCH_OPERATIONS | vo.SSOREADY_OPERATIONS}
    app = create_app(Settings(ssoready_profile="rfc"))
    unlisted = sorted(
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        # every vendor API route (SCIM servers and SSOReady's auth-service SAML pages aside:
        # neither is in the vendor's API document)
        if rule.rule.startswith("/v1/")
        and not rule.endpoint.split(".")[0].endswith(("_scim", "_saml_login"))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        if (method, _shape(rule.rule)) not in listed
    )
    assert unlisted == []
