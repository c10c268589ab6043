"""SCIM JSON for stored records: rendering, ``meta``, and attribute projection."""

from __future__ import annotations

from typing import Any

from mockscim.engine.clock import format_instant
from mockscim.scim.directory import ScimDirectory, ScimRecord
from mockscim.scim.schemas import LIST_RESPONSE, ResourceType, resolve_path

_ALWAYS = {"id", "schemas"}
_NEVER = {"password"}


def meta(kind: str, record: ScimRecord, base_url: str) -> dict[str, Any]:
    return {
        "resourceType": kind,
        "created": format_instant(record.created),
        "lastModified": format_instant(record.modified),
        "location": f"{base_url}/{kind}s/{record.id}",
        "version": f'W/"{record.version}"',
    }


def render(
    kind: str,
    record: ScimRecord,
    directory: ScimDirectory,
    base_url: str,
    *,
    with_members: bool = True,
    with_groups: bool = True,
) -> dict[str, Any]:
    """The full SCIM representation; ``with_members=False`` keeps big groups cheap to list."""
    data = record.data
    out: dict[str, Any] = {"schemas": data.get("schemas"), "id": record.id}
    for key, value in data.items():
        if key != "schemas" and key not in _NEVER:
            out[key] = value
    if kind == "User":
        if with_groups:
            groups = directory.groups_of(record.id)
            if groups:
                out["groups"] = [
                    {
                        "value": g.id,
                        "display": g.data.get("displayName"),
                        "$ref": f"{base_url}/Groups/{g.id}",
                        "type": "direct",
                    }
                    for g in groups
                ]
    elif with_members:
        members = data.get("members")
        if members is not None:
            out["members"] = [_member(m, directory, base_url) for m in members]
    else:
        out.pop("members", None)
    out["meta"] = meta(kind, record, base_url)
    return out


def _member(member: dict[str, Any], directory: ScimDirectory, base_url: str) -> dict[str, Any]:
    value = member.get("value")
    is_group = value in directory.groups
    out = dict(member)
    out.setdefault("type", "Group" if is_group else "User")
    out["$ref"] = f"{base_url}/{'Groups' if is_group else 'Users'}/{value}"
    return out


def _split(
    names: str | None, resource_type: ResourceType, param: str
) -> list[tuple[str, str | None]]:
    """Parse an ``attributes`` parameter into (top-level key, sub-attribute) pairs."""
    from mockscim.scim import errors

    if not names:
        return []
    out: list[tuple[str, str | None]] = []
    for raw in names.split(","):
        name = raw.strip()
        if not name:
            continue
        try:
            path = resolve_path(resource_type, name, strict=False)
        except KeyError as exc:
            raise errors.invalid_value(f"Unknown attribute '{name}' in {param}.") from exc
        top = path.schema if path.is_extension else path.name
        sub = path.name if path.is_extension else path.sub_name
        if path.is_extension and path.sub_name:
            sub = f"{path.name}.{path.sub_name}"
        out.append((top, sub))
    return out


def wants_members(
    resource_type: ResourceType, attributes: str | None, excluded: str | None
) -> bool:
    """Whether a Group listing must render members at all (Entra and Okta exclude them)."""
    if resource_type.name != "Group":
        return True
    excl = {
        top.lower()
        for top, sub in _split(excluded, resource_type, "excludedAttributes")
        if sub is None
    }
    if "members" in excl:
        return False
    incl = _split(attributes, resource_type, "attributes")
    return not incl or any(top.lower() == "members" for top, _ in incl)


def project(
    resource: dict[str, Any],
    resource_type: ResourceType,
    attributes: str | None,
    excluded: str | None,
) -> dict[str, Any]:
    """Apply ``attributes`` / ``excludedAttributes`` (RFC 7644 section 3.4.2.5)."""
    incl = _split(attributes, resource_type, "attributes")
    if incl:
        out: dict[str, Any] = {}
        lowered = {k.lower(): k for k in resource}
        for top, sub in incl:
            key = lowered.get(top.lower())
            if key is None:
                continue
            if sub is None:
                out[key] = resource[key]
                continue
            value = resource[key]
            holder = out.setdefault(key, {} if isinstance(value, dict) else [])
            if isinstance(value, dict):
                first, _, rest = sub.partition(".")
                sub_key = next((k for k in value if k.lower() == first.lower()), None)
                if sub_key is not None:
                    holder[sub_key] = (
                        value[sub_key]
                        if not rest
                        else {k: v for k, v in value[sub_key].items() if k.lower() == rest.lower()}
                        if isinstance(value[sub_key], dict)
                        else value[sub_key]
                    )
            elif isinstance(value, list):
                picked = [
                    {k: v for k, v in item.items() if k.lower() == sub.lower()}
                    for item in value
                    if isinstance(item, dict)
                ]
                out[key] = picked
        for key in resource:
            if key in _ALWAYS:
                out[key] = resource[key]
        if "meta" in resource and any(t.lower() == "meta" for t, _ in incl):
            out["meta"] = resource["meta"]
        ordered = {k: out[k] for k in resource if k in out}
        return ordered
    excl = _split(excluded, resource_type, "excludedAttributes")
    if not excl:
        return resource
    out = dict(resource)
    for top, sub in excl:
        key = next((k for k in out if k.lower() == top.lower()), None)
        if key is None or key in _ALWAYS:
            continue
        if sub is None:
            del out[key]
        elif isinstance(out[key], dict):
            out[key] = {k: v for k, v in out[key].items() if k.lower() != sub.lower()}
        elif isinstance(out[key], list):
            out[key] = [
                {k: v for k, v in item.items() if k.lower() != sub.lower()}
                for item in out[key]
                if isinstance(item, dict)
            ]
    return out


def list_response(
    resources: list[dict[str, Any]],
    total: int,
    start_index: int,
    *,
    list_key: str = "Resources",
    start_echo: int | None = None,
) -> dict[str, Any]:
    return {
        "schemas": [LIST_RESPONSE],
        "totalResults": total,
        "startIndex": start_index if start_echo is None else start_echo,
        "itemsPerPage": len(resources),
        list_key: resources,
    }
