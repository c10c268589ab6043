"""Turn a client's resource body into the stored form, or reject it with ``invalidValue``.

Real IdPs are sloppy in known ways (Entra's ``"True"`` strings, a bare-string ``manager``),
and RFC 7643 says read-only attributes in a request are ignored, not refused. Everything else
of the wrong type is a 400, so stored data always has the shape the schema advertises.
Unknown attributes are kept verbatim: IdPs send custom extensions and the vendors return them.
"""

from __future__ import annotations

from typing import Any

from mockscim.scim import errors
from mockscim.scim.schemas import ENTERPRISE_USER, Attr, ResourceType, Schema

_IGNORED_ON_INPUT = {"id", "meta", "groups"}
# writeOnly and never returned: accepted so IdPs that send one are not refused, but never
# stored, so no snapshot, state file or journal-adjacent dump can hold a plaintext password.
_DROPPED_ON_INPUT = {"password"}
_TRUE = {"true": True, "false": False}


def coerce_boolean(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE:
        return _TRUE[value.strip().lower()]
    raise errors.invalid_value(f"Attribute '{where}' must be a boolean.")


def _coerce(attr: Attr, value: Any, where: str) -> Any:
    """Coerce one (single) value of ``attr``; None means "absent" and is passed through."""
    if value is None:
        return None
    kind = attr.type
    if kind == "boolean":
        return coerce_boolean(value, where)
    if kind in ("string", "reference", "binary", "dateTime"):
        if not isinstance(value, str):
            raise errors.invalid_value(f"Attribute '{where}' must be a string.")
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise errors.invalid_value(f"Attribute '{where}' must be an integer.")
        return value
    if kind == "decimal":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise errors.invalid_value(f"Attribute '{where}' must be a number.")
        return value
    if kind == "complex":
        if where.endswith("manager") and isinstance(value, str):
            return {"value": value} if value else None
        if not isinstance(value, dict):
            raise errors.invalid_value(f"Attribute '{where}' must be an object.")
        out: dict[str, Any] = {}
        for key, sub_value in value.items():
            sub = attr.sub(key)
            if sub is None:
                out[key] = sub_value
                continue
            if sub.mutability == "readOnly" and attr.name != "manager":
                continue
            coerced = _coerce(sub, sub_value, f"{where}.{sub.name}")
            if coerced is not None:
                out[sub.name] = coerced
        return out
    return value


def coerce_attribute(attr: Attr, value: Any, where: str) -> Any:
    """Coerce a whole attribute value, multi-valued or not."""
    if value is None:
        return None
    if attr.multi_valued:
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            raise errors.invalid_value(f"Attribute '{where}' must be a list.")
        items = [_coerce(attr, item, where) for item in value]
        return [item for item in items if item is not None]
    if isinstance(value, list):
        raise errors.invalid_value(f"Attribute '{where}' must be a single value, not a list.")
    return _coerce(attr, value, where)


def _coerce_schema_attrs(schema: Schema | None, data: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        attr = schema.attr(key) if schema else None
        if attr is None:
            out[key] = value
            continue
        if attr.mutability == "readOnly" or attr.name.lower() in _IGNORED_ON_INPUT:
            continue
        if attr.name in _DROPPED_ON_INPUT:
            continue
        coerced = coerce_attribute(attr, value, f"{where}{attr.name}")
        if coerced is not None:
            out[attr.name] = coerced
    return out


def normalize_resource(body: Any, resource_type: ResourceType) -> dict[str, Any]:
    """Validate a POST/PUT body (or a PATCH result) and return the dict to store."""
    if not isinstance(body, dict):
        raise errors.invalid_syntax("The request body must be a JSON object.")
    schemas = body.get("schemas")
    if schemas is not None and (
        not isinstance(schemas, list) or not all(isinstance(s, str) for s in schemas)
    ):
        raise errors.invalid_value("'schemas' must be a list of schema URNs.")
    core = resource_type.schema
    extensions = {e.id.lower(): e for e in resource_type.extensions}
    top: dict[str, Any] = {}
    ext_data: dict[str, dict[str, Any]] = {}
    for key, value in body.items():
        low = key.lower()
        if low == "schemas" or low in _IGNORED_ON_INPUT:
            continue
        if low.startswith("urn:"):
            if low == core.id.lower():
                if not isinstance(value, dict):
                    raise errors.invalid_value(f"'{key}' must be an object.")
                top.update(value)
                continue
            known = extensions.get(low)
            if known is not None:
                if not isinstance(value, dict):
                    raise errors.invalid_value(f"'{key}' must be an object.")
                ext_data[known.id] = _coerce_schema_attrs(known, value, f"{known.id}:")
            elif low.startswith(core.id.lower() + ":"):
                top[key[len(core.id) + 1 :]] = value
            else:
                ext_data[key] = value
            continue
        top[key] = value
    out = _coerce_schema_attrs(core, top, "")
    if "externalId" in out or any(k.lower() == "externalid" for k in out):
        ext_key = next(k for k in out if k.lower() == "externalid")
        external = out.pop(ext_key)
        if external is not None and not isinstance(external, str):
            raise errors.invalid_value("Attribute 'externalId' must be a string.")
        if external is not None:
            out["externalId"] = external
    required = next(a for a in core.attributes if a.required)
    value = out.get(required.name)
    if not isinstance(value, str) or not value.strip():
        raise errors.invalid_value(f"Attribute '{required.name}' is required.")
    manager_holder = ext_data.get(ENTERPRISE_USER)
    if manager_holder is not None and manager_holder.get("manager") is None:
        manager_holder.pop("manager", None)
    ext_urns = [urn for urn in ext_data]
    for urn, data in ext_data.items():
        out[urn] = data
    declared = [s for s in (schemas or []) if s.lower() != core.id.lower()]
    out["schemas"] = [core.id, *dict.fromkeys([*ext_urns, *[s for s in declared if s in out]])]
    return out
