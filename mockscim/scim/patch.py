"""SCIM PATCH (RFC 7644 section 3.5.2) with the habits of real IdPs.

Operations are applied to a deep copy; the caller stores the result only if every operation
succeeded and the result validates, so a failing PATCH never leaves a half-applied change.
Accepted habits: Entra's capitalised ops, no-path values with dotted or URN keys, member
removal by a value array, a bare-string ``manager``; Okta's rename with ``id`` in the value.
Type coercion (string booleans, ``manager``) happens in ``validate.normalize_resource``,
which the directory runs on the result.
"""

from __future__ import annotations

import copy
from typing import Any

from mockscim.scim import errors
from mockscim.scim.filter import PatchPath, parse_path
from mockscim.scim.schemas import PATCH_OP, AttrPath, ResourceType, find_key_ci

OPS = ("add", "remove", "replace")
_NO_PATH_IGNORED = {"schemas"}
_READ_ONLY = {"id", "meta", "groups"}


def apply_patch(
    resource: dict[str, Any],
    body: Any,
    resource_type: ResourceType,
    *,
    resource_id: str | None = None,
) -> dict[str, Any]:
    """Return a patched copy of ``resource``, or raise ``ScimError`` having changed nothing."""
    operations = _operations(body)
    data = copy.deepcopy(resource)
    for index, operation in enumerate(operations):
        if not isinstance(operation, dict):
            raise errors.invalid_syntax(f"Operation {index} is not an object.")
        op = operation.get("op")
        if not isinstance(op, str) or op.lower() not in OPS:
            raise errors.invalid_syntax(f"Operation {index} has an invalid op {op!r}.")
        op = op.lower()
        path = operation.get("path")
        value = operation.get("value")
        if path is None or (isinstance(path, str) and not path.strip()):
            _apply_without_path(data, op, value, resource_type, resource_id)
            continue
        if not isinstance(path, str):
            raise errors.invalid_path(f"Operation {index} has a non-string path.")
        extension = _whole_extension(path, resource_type)
        if extension is not None:
            # A bare extension URN names the extension object: add/replace merge its
            # sub-attributes (RFC 7644 3.5.2.1/3.5.2.3 on complex targets), remove drops it.
            if op == "remove":
                data.pop(find_key_ci(data, extension) or extension, None)
            else:
                _apply_without_path(data, op, {extension: value}, resource_type, resource_id)
            continue
        _apply_path(data, op, parse_path(path, resource_type), value, "value" in operation)
    return data


def _operations(body: Any) -> list[Any]:
    if not isinstance(body, dict):
        raise errors.invalid_syntax("The PATCH body must be a JSON object.")
    schemas = body.get("schemas")
    if schemas is not None and (not isinstance(schemas, list) or PATCH_OP not in schemas):
        raise errors.invalid_syntax(f"The PATCH body must declare {PATCH_OP}.")
    operations = body.get("Operations", body.get("operations"))
    if not isinstance(operations, list) or not operations:
        raise errors.invalid_syntax("'Operations' must be a non-empty list.")
    return operations


def _apply_without_path(
    data: dict[str, Any],
    op: str,
    value: Any,
    resource_type: ResourceType,
    resource_id: str | None,
) -> None:
    if op == "remove":
        raise errors.no_target("A remove operation needs a path.")
    if not isinstance(value, dict):
        raise errors.invalid_value("An operation without a path needs an object value.")
    extensions = {e.id.lower(): e.id for e in resource_type.extensions}
    for key, item in value.items():
        low = key.lower()
        if low in _NO_PATH_IGNORED:
            continue
        if low == "id":
            if item == resource_id:
                continue  # Okta repeats the id when renaming a group.
            raise errors.mutability("'id' is read-only.")
        if low == resource_type.schema.id.lower() and isinstance(item, dict):
            _apply_without_path(data, op, item, resource_type, resource_id)
            continue
        if low in extensions and isinstance(item, dict):
            for sub_key, sub_value in item.items():
                if sub_key.lower() in _NO_PATH_IGNORED:
                    continue
                _apply_path(
                    data,
                    op,
                    parse_path(f"{extensions[low]}:{sub_key}", resource_type),
                    sub_value,
                    True,
                )
            continue
        if (
            low.startswith("urn:")
            and isinstance(item, dict)
            and not _is_known_urn_path(low, resource_type)
        ):
            # An unknown extension as a whole: merged verbatim.
            holder_key = find_key_ci(data, key) or key
            holder = data.get(holder_key)
            data[holder_key] = {**holder, **item} if isinstance(holder, dict) else dict(item)
            continue
        _apply_path(data, op, parse_path(key, resource_type), item, True)


def _whole_extension(path: str, resource_type: ResourceType) -> str | None:
    low = path.strip().lower()
    return next((e.id for e in resource_type.extensions if e.id.lower() == low), None)


def _is_known_urn_path(low: str, resource_type: ResourceType) -> bool:
    return any(
        low.startswith(s.id.lower() + ":")
        for s in (resource_type.schema, *resource_type.extensions)
    )


def _container(data: dict[str, Any], path: AttrPath, create: bool) -> dict[str, Any] | None:
    if not path.is_extension:
        return data
    key = find_key_ci(data, path.schema)
    if key is None:
        if not create:
            return None
        data[path.schema] = {}
        return data[path.schema]
    holder = data[key]
    if not isinstance(holder, dict):
        if not create:
            return None
        data[key] = holder = {}
    return holder


def _check_writable(path: AttrPath, op: str) -> None:
    attr = path.attr
    if path.name.lower() in _READ_ONLY and not path.is_extension:
        raise errors.mutability(f"'{path.name}' is read-only.")
    if attr is not None and attr.mutability == "readOnly":
        raise errors.mutability(f"'{path.name}' is read-only.")
    if (
        op == "remove"
        and attr is not None
        and attr.required
        and path.sub_name is None
        and not path.is_extension
    ):
        raise errors.mutability(f"'{path.name}' is required and cannot be removed.")


def _same_item(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict) and "value" in a and "value" in b:
        return a["value"] == b["value"]
    return a == b


def _apply_path(
    data: dict[str, Any], op: str, patch_path: PatchPath, value: Any, has_value: bool
) -> None:
    path = patch_path.attr
    _check_writable(path, op)
    if op != "remove" and not has_value:
        raise errors.invalid_value(f"The {op} operation needs a value.")
    container = _container(data, path, create=op != "remove")
    if container is None:
        return
    key = find_key_ci(container, path.name) or path.name
    multi = path.attr is not None and path.attr.multi_valued

    if patch_path.value_filter is not None:
        _apply_filtered(container, key, op, patch_path, value)
        return

    if path.sub_name is not None:
        _apply_sub(container, key, op, path, value, multi)
        return

    if op == "remove":
        if multi and isinstance(value, list) and value:
            # Entra removes members with a value array instead of a filter path.
            current = container.get(key) or []
            container[key] = [
                item for item in current if not any(_same_item(item, v) for v in value)
            ]
        else:
            container.pop(key, None)
        if path.is_extension and not container:
            data.pop(find_key_ci(data, path.schema) or path.schema, None)
        return

    if multi or (path.attr is None and isinstance(value, list)):
        items = value if isinstance(value, list) else [value]
        if op == "add":
            current = list(container.get(key) or [])
            for item in items:
                if not any(_same_item(existing, item) for existing in current):
                    current.append(item)
            container[key] = current
        else:
            container[key] = items
        return

    if path.attr is not None and path.attr.type == "complex" and isinstance(value, dict):
        current = container.get(key)
        merged = dict(current) if isinstance(current, dict) else {}
        for sub_key, sub_value in value.items():
            merged[find_key_ci(merged, sub_key) or sub_key] = sub_value
        container[key] = merged
        return
    container[key] = value


def _apply_sub(
    container: dict[str, Any], key: str, op: str, path: AttrPath, value: Any, multi: bool
) -> None:
    """``name.givenName``-style paths (and ``emails.value`` on every element)."""
    sub = path.sub_name or ""
    current = container.get(key)
    if multi:
        items = current if isinstance(current, list) else []
        for item in items:
            if isinstance(item, dict):
                sub_key = find_key_ci(item, sub) or sub
                if op == "remove":
                    item.pop(sub_key, None)
                else:
                    item[sub_key] = value
        return
    if op == "remove":
        if isinstance(current, dict):
            current.pop(find_key_ci(current, sub) or sub, None)
            if not current:
                container.pop(key, None)
        return
    holder = dict(current) if isinstance(current, dict) else {}
    holder[find_key_ci(holder, sub) or sub] = value
    container[key] = holder


def _apply_filtered(
    container: dict[str, Any], key: str, op: str, patch_path: PatchPath, value: Any
) -> None:
    """``emails[type eq "work"].value`` and ``members[value eq "id"]`` paths."""
    flt = patch_path.value_filter
    assert flt is not None
    items = container.get(key)
    items = list(items) if isinstance(items, list) else []
    matched = [i for i, item in enumerate(items) if isinstance(item, dict) and flt.matches(item)]
    sub = patch_path.sub_name
    if op == "remove":
        if sub is None:
            items = [item for i, item in enumerate(items) if i not in matched]
        else:
            for i in matched:
                items[i] = {k: v for k, v in items[i].items() if k.lower() != sub.lower()}
        if items:
            container[key] = items
        else:
            container.pop(key, None)
        return
    if not matched:
        terms = flt.equality_terms()
        if len(terms) == 1 and sub is not None:
            # Entra sets emails[type eq "work"].value on a user with no work email yet.
            term_path, literal = terms[0]
            items.append({term_path.name: literal, sub: value})
            container[key] = items
            return
        raise errors.no_target(f"No value of '{key}' matches the filter in the path.")
    for i in matched:
        if sub is not None:
            item = dict(items[i])
            item[find_key_ci(item, sub) or sub] = value
            items[i] = item
        elif isinstance(value, dict):
            items[i] = {**items[i], **value} if op == "add" else dict(value)
        else:
            raise errors.invalid_value(f"Replacing values of '{key}' needs an object value.")
    container[key] = items
