"""The SCIM 2.0 HTTP surface, mounted once per vendor at that vendor's base path.

The vendor supplies a resolver (which directory does this URL name, and does the bearer
token open it), which answers with a :class:`ScimContext` holding everything the operation
needs: the directory, its base URL, the instant, and the vendor's :class:`ScimPolicy` bound to
the vendor state and request facts it reads. Authentication and the operation run under the
store lock as one critical section: once a rotation that revokes a token has returned, no
request presenting that token can still slip through.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from mockscim.engine.mock import Mock
from mockscim.http.bodies import BodyError, request_json
from mockscim.http.context import set_error_kind
from mockscim.scim import discovery, errors
from mockscim.scim.directory import ScimDirectory, resource_type_of
from mockscim.scim.errors import ScimError
from mockscim.scim.filter import Filter, compile_filter
from mockscim.scim.policy import ScimPolicy
from mockscim.scim.resources import list_response, meta, project, render, wants_members
from mockscim.scim.schemas import SEARCH_REQUEST

SCIM_JSON = "application/scim+json"


@dataclass(frozen=True)
class ScimContext:
    directory: ScimDirectory
    base_url: str
    policy: ScimPolicy
    now: datetime


#: Given the directory key from the URL, authenticate the request and return its directory;
#: raise ScimError (401, 404) otherwise. Called with the store lock held.
Resolver = Callable[[str], ScimContext]


def scim_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(body, separators=(",", ":")),
        status=status,
        headers=headers,
        content_type=SCIM_JSON,
    )


def error_response(error: ScimError, policy: type[ScimPolicy] | ScimPolicy) -> Response:
    custom = policy.error_response(error)
    if custom is not None:
        return custom
    return scim_response(error.to_json(), error.status)


def render_scim_error(policy: type[ScimPolicy]) -> Callable[[int, str], Response]:
    """The error renderer of a vendor's SCIM surface (unknown paths, faults, 413, 500)."""

    def render(status: int, message: str) -> Response:
        return error_response(ScimError(status, message), policy)

    return render


def read_json() -> Any:
    try:
        return request_json(required=True, object_only=False)
    except RequestEntityTooLarge as exc:
        raise ScimError(413, "The request body is too large.", "tooLarge") from exc
    except BodyError as exc:
        raise errors.invalid_syntax(str(exc)) from exc


def _int_param(params: dict[str, Any], name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        raise errors.invalid_value(f"'{name}' must be an integer.")
    try:
        return int(raw)
    except (TypeError, ValueError, OverflowError) as exc:  # OverflowError: 1e999, Infinity
        raise errors.invalid_value(f"'{name}' must be an integer.") from exc


def _str_param(params: dict[str, Any], name: str) -> str | None:
    raw = params.get(name)
    if raw is None:
        return None
    if isinstance(raw, list):
        raw = ",".join(str(x) for x in raw)
    if not isinstance(raw, str):
        raise errors.invalid_value(f"'{name}' must be a string.")
    return raw


def make_scim_blueprint(
    name: str, url_prefix: str, resolve: Resolver, policy: type[ScimPolicy], mock: Mock
) -> Blueprint:
    """Build the blueprint; ``url_prefix`` must contain ``<directory_key>``. ``policy`` renders
    errors raised before the resolver has bound one to the request."""
    bp = Blueprint(name, __name__, url_prefix=url_prefix)
    settings = mock.settings
    lock = mock.store.lock

    @bp.errorhandler(ScimError)
    def _scim_error(error: ScimError) -> Response:
        if error.status == 401:
            set_error_kind("bad_bearer_token")
        return error_response(error, policy)

    def run(directory_key: str, action: Callable[[ScimContext], Response]) -> Response:
        with lock:
            ctx = resolve(directory_key)
            return action(ctx)

    def filter_view(kind: str, record: Any, ctx: ScimContext, flt: Filter) -> dict[str, Any]:
        """What a filter sees: the stored data plus the server-computed attributes it reads."""
        view = {**record.data, "id": record.id}
        if "meta" in flt.names:
            view["meta"] = meta(kind, record, ctx.base_url)
        if kind == "User" and "groups" in flt.names:
            view["groups"] = [
                {"value": g.id, "display": g.data.get("displayName")}
                for g in ctx.directory.groups_of(record.id)
            ]
        return view

    def search(ctx: ScimContext, kind: str, params: dict[str, Any]) -> Response:
        policy = ctx.policy
        resource_type = resource_type_of(kind)
        text = _str_param(params, "filter")
        flt = None
        if text is not None and text.strip():
            text = policy.check_filter(kind, text) or text
            flt = compile_filter(text, resource_type)
        start = max(_int_param(params, "startIndex", 1), 1)
        count = _int_param(params, "count", settings.scim_default_count)
        count = min(max(count, 0), settings.scim_max_results)
        attributes = _str_param(params, "attributes")
        excluded = _str_param(params, "excludedAttributes")
        with_members = wants_members(resource_type, attributes, excluded)
        directory = ctx.directory
        candidates = directory.candidates(kind, flt)
        pool = candidates if candidates is not None else directory.live(kind)
        if flt is not None:  # before the scan: it runs under the store lock
            flt.check_work(len(candidates) if candidates is not None else directory.size(kind))
        total = 0
        page: list[dict[str, Any]] = []
        end = start - 1 + count
        for record in pool:
            if record.deleted:
                continue
            if flt is not None and not flt.matches(filter_view(kind, record, ctx, flt)):
                continue
            total += 1
            if start <= total <= end:
                resource = render(kind, record, directory, ctx.base_url, with_members=with_members)
                page.append(project(resource, resource_type, attributes, excluded))
        body = list_response(
            page,
            total,
            start,
            list_key=policy.list_key,
            start_echo=start - 1 if policy.zero_based_start_echo else None,
        )
        return scim_response(body)

    def one(ctx: ScimContext, kind: str, record_id: str, status: int = 200) -> Response:
        record = ctx.directory.get(kind, record_id)
        resource_type = resource_type_of(kind)
        attributes = excluded = None
        if request.query_string:  # skip building request.args for the common bare GET
            attributes = request.args.get("attributes")
            excluded = request.args.get("excludedAttributes")
        with_members = wants_members(resource_type, attributes, excluded)
        resource = render(kind, record, ctx.directory, ctx.base_url, with_members=with_members)
        if status == 200 and (attributes or excluded):
            resource = project(resource, resource_type, attributes, excluded)
        headers = {"ETag": resource["meta"]["version"]} if "meta" in resource else {}
        if status == 201:
            headers["Location"] = resource["meta"]["location"]
        return scim_response(resource, status, headers)

    def add_resource_routes(kind: str) -> None:
        plural = f"{kind}s"

        def list_or_create(directory_key: str) -> Response:
            # HEAD is a GET without a body (Flask drops it); it must never reach the writer.
            if request.method in ("GET", "HEAD"):
                return run(directory_key, lambda ctx: search(ctx, kind, request.args.to_dict()))

            def create(ctx: ScimContext) -> Response:
                body = read_json()
                record, created = ctx.directory.create(kind, body, ctx.now, ctx.policy)
                return one(ctx, kind, record.id, 201 if created else 200)

            return run(directory_key, create)

        def search_post(directory_key: str) -> Response:
            def act(ctx: ScimContext) -> Response:
                body = read_json()
                if not isinstance(body, dict):
                    raise errors.invalid_syntax("The search request must be a JSON object.")
                schemas = body.get("schemas")
                if schemas is not None and (
                    not isinstance(schemas, list) or SEARCH_REQUEST not in schemas
                ):
                    raise errors.invalid_syntax(
                        f"The search request must declare {SEARCH_REQUEST}."
                    )
                return search(ctx, kind, body)

            return run(directory_key, act)

        def item(directory_key: str, record_id: str) -> Response:
            def act(ctx: ScimContext) -> Response:
                method = request.method
                if method in ("GET", "HEAD"):  # HEAD: a GET without a body, never a write
                    return one(ctx, kind, record_id)
                now, policy = ctx.now, ctx.policy
                directory = ctx.directory
                if method == "DELETE":
                    directory.delete(kind, record_id, now, policy)
                    return Response(status=204)
                body = read_json()
                if method == "PUT":
                    directory.replace(kind, record_id, body, now, policy)
                else:
                    directory.patch(kind, record_id, body, now, policy)
                return one(ctx, kind, record_id)

            return run(directory_key, act)

        bp.add_url_rule(f"/{plural}", f"{kind}_collection", list_or_create, methods=["GET", "POST"])
        bp.add_url_rule(f"/{plural}/.search", f"{kind}_search", search_post, methods=["POST"])
        bp.add_url_rule(
            f"/{plural}/<record_id>",
            f"{kind}_item",
            item,
            methods=["GET", "PUT", "PATCH", "DELETE"],
        )

    add_resource_routes("User")
    add_resource_routes("Group")

    @bp.route("/.search", methods=["POST"])
    def search_all(directory_key: str) -> Response:
        """Searching several resource types at once is not offered: 501, as RFC 7644 3.12 says."""

        def act(ctx: ScimContext) -> Response:
            raise ScimError(501, "Searching several resource types at once is not supported.")

        return run(directory_key, act)

    @bp.route("/ServiceProviderConfig", methods=["GET"])
    def service_provider_config(directory_key: str) -> Response:
        def act(ctx: ScimContext) -> Response:
            return scim_response(
                discovery.service_provider_config(
                    ctx.base_url, settings.scim_max_results, settings.max_body_bytes
                )
            )

        return run(directory_key, act)

    def discovery_list(documents: Callable[[str], list[dict[str, Any]]]) -> Callable[..., Response]:
        def view(directory_key: str) -> Response:
            def act(ctx: ScimContext) -> Response:
                items = documents(ctx.base_url)
                return scim_response(list_response(items, len(items), 1))

            return run(directory_key, act)

        return view

    def discovery_item(
        find: Callable[[str, str], dict[str, Any] | None], label: str
    ) -> Callable[..., Response]:
        def view(directory_key: str, key: str) -> Response:
            def act(ctx: ScimContext) -> Response:
                found = find(ctx.base_url, key)
                if found is None:
                    raise errors.not_found(f"{label} {key} not found.")
                return scim_response(found)

            return run(directory_key, act)

        return view

    bp.add_url_rule("/ResourceTypes", "resource_types", discovery_list(discovery.resource_types))
    bp.add_url_rule(
        "/ResourceTypes/<key>",
        "resource_type",
        discovery_item(discovery.resource_type, "Resource type"),
    )
    bp.add_url_rule("/Schemas", "schemas", discovery_list(discovery.schemas))
    bp.add_url_rule("/Schemas/<path:key>", "schema", discovery_item(discovery.schema, "Schema"))

    return bp
