"""Small JSON Schema / OpenAPI 3.1 builders, so each surface's document reads like its API."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
BOOL: Schema = {"type": "boolean"}
INT: Schema = {"type": "integer"}
INSTANT: Schema = {"type": "string", "format": "date-time"}


def obj(props: dict[str, Schema], required: tuple[str, ...] | list[str] = ()) -> Schema:
    """An object; unknown keys stay allowed (real APIs add fields over time)."""
    out: Schema = {"type": "object", "properties": props}
    if required:
        out["required"] = list(required)
    return out


def request_obj(props: dict[str, Schema], required: tuple[str, ...] | list[str] = ()) -> Schema:
    """A request body whose optional fields accept ``null`` as "absent": protobuf JSON (Stytch,
    SSOReady) reads null as unset, and RFC 7644 3.5.1 makes null an unassigned attribute."""
    return obj({k: v if k in required else nullable_any(v) for k, v in props.items()}, required)


def nullable_any(schema: Schema) -> Schema:
    if "type" in schema and isinstance(schema["type"], str) and "$ref" not in schema:
        return nullable(schema)
    if schema == {}:
        return schema
    return {"anyOf": [schema, {"type": "null"}]}


def arr(items: Schema, **extra: Any) -> Schema:
    return {"type": "array", "items": items, **extra}


def nullable(schema: Schema) -> Schema:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    out = dict(schema)
    out["type"] = [schema["type"], "null"]
    return out


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: Schema, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def response(
    description: str,
    schema: Schema | None = None,
    *,
    media: str = "application/json",
    links: dict[str, Any] | None = None,
    headers: dict[str, Any] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description}
    if schema is not None:
        out["content"] = {media: {"schema": schema}}
    if links:
        out["links"] = links
    if headers:
        out["headers"] = headers
    return out


def link(operation_id: str, parameters: dict[str, str] | None = None, **extra: Any) -> Schema:
    out: Schema = {"operationId": operation_id}
    if parameters:
        out["parameters"] = parameters
    out.update(extra)
    return out


def path_param(name: str, description: str = "", schema: Schema | None = None) -> Schema:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema or {"type": "string", "minLength": 1},
    }


def query_param(
    name: str, schema: Schema | None = None, *, required: bool = False, description: str = ""
) -> Schema:
    out = {"name": name, "in": "query", "required": required, "schema": schema or STR}
    if description:
        out["description"] = description
    return out


RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "string"},
    }
}


def operation(
    operation_id: str,
    summary: str,
    ok: Schema,
    errors: dict[str, Any],
    *,
    ok_description: str = "OK",
    params: list[Schema] | None = None,
    body: Schema | None = None,
    body_required: bool = True,
    links: dict[str, Any] | None = None,
    tags: list[str] | None = None,
) -> dict[str, Any]:
    """One operation: a 200 answering ``ok`` plus the surface's own error responses."""
    out: dict[str, Any] = {"operationId": operation_id, "summary": summary}
    if tags:
        out["tags"] = tags
    out["responses"] = {"200": response(ok_description, ok, links=links), **errors}
    if params:
        out["parameters"] = params
    if body is not None:
        out["requestBody"] = json_body(body, body_required)
    return out
