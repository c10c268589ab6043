"""SCIM PATCH (RFC 7644 section 3.5.2) with the habits of real IdPs.

Operations are applied one by one to a deep copy, and the copy is returned only once every
operation succeeded, so a failing PATCH never leaves a half-applied change (the RFC's
atomicity). Accepted habits: Entra's capitalised ops, string booleans, no-path values with
dotted, filtered or URN keys, member removal by a value array and a bare-string ``manager``;
Okta's rename repeating ``id`` in the value. Booleans and ``manager`` are coerced here
because a PATCH path can reach a single sub-attribute the resource-level validation would
only see as part of a whole; other type checks stay with ``validate.normalize_resource``,
which the directory runs on the result.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from mockscim.scim import errors
from mockscim.scim.filter import PatchPath, parse_path
from mockscim.scim.schemas import (
    ENTERPRISE_USER,
    PATCH_OP,
    Attr,
    AttrPath,
    ResourceType,
    find_key_ci,
    get_ci,
)

OPS = frozenset({"add", "remove", "replace"})
_READ_ONLY = frozenset({"id", "meta", "groups"})
_BOOLEANS = {"true": True, "false": False}


def apply_patch(
    resource: dict[str, Any],
    body: Any,
    resource_type: ResourceType,
    *,
    resource_id: str | None = None,
) -> dict[str, Any]:
    """Return a patched copy of ``resource``, or raise ``ScimError`` having changed nothing."""
    operations = _operations(body)
    patcher = _Patcher(copy.deepcopy(resource), resource_type, resource_id)
    for index, operation in enumerate(operations):
        patcher.operation(index, operation)
    patcher.sync_schemas()
    return patcher.data


def _operations(body: Any) -> list[Any]:
    if not isinstance(body, dict):
        raise errors.invalid_syntax("The PATCH body must be a JSON object.")
    schemas = body.get("schemas")
    if schemas is not None and (
        not isinstance(schemas, list)
        or PATCH_OP.lower() not in {s.lower() for s in schemas if isinstance(s, str)}
    ):
        raise errors.invalid_syntax(f"The PATCH body must declare {PATCH_OP}.")
    operations = get_ci(body, "Operations")
    if not isinstance(operations, list) or not operations:
        raise errors.invalid_syntax("'Operations' must be a non-empty list.")
    return operations


def _boolean(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _BOOLEANS:
        return _BOOLEANS[value.strip().lower()]
    raise errors.invalid_value(f"Attribute '{where}' must be a boolean, not {value!r}.")


def _coerce(attr: Attr | None, value: Any, where: str) -> Any:
    """One value of ``attr``: Entra's string booleans become booleans, known sub-attribute
    keys get their canonical spelling; everything else is left for resource validation."""
    if attr is None or value is None:
        return value
    if attr.type == "boolean":
        return _boolean(value, where)
    if attr.type == "complex" and isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, sub_value in value.items():
            sub = attr.sub(key)
            if sub is None:
                out[key] = sub_value
            else:
                out[sub.name] = _coerce(sub, sub_value, f"{where}.{sub.name}")
        return out
    return value


def _coerce_whole(attr: Attr | None, value: Any, where: str) -> Any:
    if attr is not None and attr.multi_valued and isinstance(value, list):
        return [_coerce(attr, item, where) for item in value]
    return _coerce(attr, value, where)


def _is_manager(path: AttrPath) -> bool:
    return path.schema == ENTERPRISE_USER and path.name == "manager"


def _manager(value: Any) -> Any:
    """Entra sends the manager as a bare id; an empty id (or null) means "no manager"."""
    if isinstance(value, str):
        return {"value": value} if value.strip() else None
    if isinstance(value, dict):
        inner = get_ci(value, "value")
        if inner is None or (isinstance(inner, str) and not inner.strip()):
            return None
    return value


def _set(container: dict[str, Any], name: str, value: Any) -> None:
    """Store under the canonical ``name``, dropping a differently-cased spelling of it."""
    old = find_key_ci(container, name)
    if old is not None and old != name:
        del container[old]
    container[name] = value


def _pop(container: dict[str, Any], name: str) -> None:
    key = find_key_ci(container, name)
    if key is not None:
        del container[key]


def _frozen(value: Any) -> Any:
    """A hashable form of a JSON value, equal exactly when the values are equal (dicts
    compare without order, as ``==`` does). Depth is bounded by the request body bound."""
    if isinstance(value, dict):
        return frozenset((k, _frozen(v)) for k, v in value.items())
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def _member_key(item: Any) -> tuple[str, Any]:
    """Two values of a multi-valued attribute are the same member when both are objects
    with a non-null ``value`` and those are equal, otherwise when they are equal as a whole.
    As a hashable key, so duplicates are found in a set, not by comparing every pair
    (20,000 emails in one add took a minute, quadratic)."""
    if isinstance(item, dict):
        inner = get_ci(item, "value")
        if inner is not None:
            return ("value", _frozen(inner))
    return ("whole", _frozen(item))


def _slot(path: AttrPath) -> tuple[str, str]:
    """Which list of the resource ``path`` names (core attributes share one container)."""
    return (path.schema.lower() if path.is_extension else "", path.name.lower())


@dataclass
class _ListIndex:
    """What consecutive ``add`` operations to one multi-valued attribute know of its list,
    so each costs the size of its own value rather than of the whole list."""

    items: list[Any]
    keys: set[tuple[str, Any]]
    primaries: list[dict[str, Any]]

    @classmethod
    def of(cls, items: list[Any]) -> _ListIndex:
        primaries = [i for i in items if isinstance(i, dict) and i.get("primary") is True]
        return cls(items, {_member_key(i) for i in items}, primaries)


def _single_primary(items: list[Any], chosen: list[Any]) -> None:
    """RFC 7643 2.4: at most one ``primary: true``; the last value just written as primary wins."""
    winners = [c for c in chosen if isinstance(c, dict) and c.get("primary") is True]
    if not winners:
        return
    winner = winners[-1]
    for item in items:
        if isinstance(item, dict) and item is not winner and item.get("primary") is True:
            item["primary"] = False


class _Patcher:
    """Applies operations to ``data`` (already a private deep copy)."""

    def __init__(
        self, data: dict[str, Any], resource_type: ResourceType, resource_id: str | None
    ) -> None:
        self.data = data
        self.resource_type = resource_type
        self.resource_id = resource_id
        self.extensions = {e.id.lower(): e.id for e in resource_type.extensions}
        self.core = resource_type.schema.id
        self.dropped_containers: set[str] = set()
        #: Indexes of lists grown by ``add`` operations, by :func:`_slot`; any other operation
        #: on an attribute drops its index (a replaced list is also caught by identity).
        self.list_indexes: dict[tuple[str, str], _ListIndex] = {}

    # ------------------------------------------------------------------ dispatch
    def operation(self, index: int, operation: Any) -> None:
        if not isinstance(operation, dict):
            raise errors.invalid_syntax(f"Operation {index} is not an object.")
        raw_op = get_ci(operation, "op")
        if not isinstance(raw_op, str) or raw_op.lower() not in OPS:
            raise errors.invalid_syntax(f"Operation {index} has an invalid op {raw_op!r}.")
        op = raw_op.lower()
        path = get_ci(operation, "path")
        has_value = find_key_ci(operation, "value") is not None
        value = copy.deepcopy(get_ci(operation, "value"))
        if op != "remove" and not has_value:
            raise errors.invalid_value(f"Operation {index} ({op}) needs a value.")
        if path is None or (isinstance(path, str) and not path.strip()):
            self.without_path(op, value)
            return
        if not isinstance(path, str):
            raise errors.invalid_path(f"Operation {index} has a non-string path.")
        extension = self.extensions.get(path.strip().lower())
        if extension is not None:
            # A bare extension URN names the extension object: add/replace merge its
            # sub-attributes (RFC 7644 3.5.2.1/3.5.2.3 on complex targets), remove drops it.
            if op == "remove":
                self.drop_container(extension)
            else:
                self.without_path(op, {extension: value})
            return
        if op != "remove" and value is None and not self._nullable(path):
            raise errors.invalid_value(f"Operation {index} ({op}) needs a non-null value.")
        self.with_path(op, parse_path(path, self.resource_type), value, has_value)

    def _nullable(self, path: str) -> bool:
        """An op-level null is refused as a missing value, except for ``manager``, where Entra
        sends null (or "") to mean "no manager"."""
        return path.strip().lower().startswith(f"{ENTERPRISE_USER.lower()}:manager")

    def without_path(self, op: str, value: Any) -> None:
        if op == "remove":
            raise errors.no_target("A remove operation needs a path.")
        if not isinstance(value, dict):
            raise errors.invalid_value("An operation without a path needs an object value.")
        for key, item in value.items():
            if not isinstance(key, str):
                raise errors.invalid_path(f"Invalid attribute name {key!r}.")
            low = key.strip().lower()
            if low == "schemas":
                continue
            if low == "id":
                if item == self.resource_id:
                    continue  # Okta repeats the id when renaming a group.
                raise errors.mutability("'id' is read-only.")
            if low == self.core.lower():
                self.without_path(op, item)
                continue
            if low in self.extensions:
                self.extension_object(op, self.extensions[low], item)
                continue
            if low.startswith("urn:") and isinstance(item, dict) and not self._known_urn(low):
                # A whole unknown extension: merged verbatim under its URN.
                holder = self.container_for(key, create=True)
                holder.update(item)
                continue
            # No path: null unassigns (RFC 7643 2.5), it does not need a value.
            self.with_path(op, parse_path(key, self.resource_type), item, True)

    def extension_object(self, op: str, urn: str, item: Any) -> None:
        if item is None:
            self.drop_container(urn)
            return
        if not isinstance(item, dict):
            raise errors.invalid_value(f"'{urn}' must be an object.")
        for sub_key, sub_value in item.items():
            if sub_key.lower() == "schemas":
                continue
            self.with_path(op, parse_path(f"{urn}:{sub_key}", self.resource_type), sub_value, True)

    def _known_urn(self, low: str) -> bool:
        return low.startswith(self.core.lower() + ":") or any(
            low.startswith(e + ":") for e in self.extensions
        )

    # ------------------------------------------------------------------ containers
    def container_for(self, urn: str, *, create: bool) -> dict[str, Any]:
        key = find_key_ci(self.data, urn)
        canonical = self.extensions.get(urn.lower(), key or urn)
        holder = self.data.get(key) if key is not None else None
        if not isinstance(holder, dict):
            holder = {}
            if not create:
                return holder
        if key is not None and key != canonical:
            del self.data[key]
        self.data[canonical] = holder
        self.dropped_containers.discard(canonical)
        return holder

    def drop_container(self, urn: str) -> None:
        key = find_key_ci(self.data, urn)
        if key is not None:
            del self.data[key]
            self.dropped_containers.add(key)

    def sync_schemas(self) -> None:
        """Keep ``schemas`` naming exactly the extensions the resource now carries."""
        schemas = self.data.get("schemas")
        if not isinstance(schemas, list):
            return
        present = [
            k for k, v in self.data.items() if k.lower().startswith("urn:") and isinstance(v, dict)
        ]
        dropped = {d.lower() for d in self.dropped_containers}
        out = [s for s in schemas if not (isinstance(s, str) and s.lower() in dropped)]
        known = {s.lower() for s in out if isinstance(s, str)}
        out.extend(urn for urn in present if urn.lower() not in known)
        self.data["schemas"] = out

    # ------------------------------------------------------------------ one path
    def with_path(self, op: str, patch_path: PatchPath, value: Any, has_value: bool) -> None:
        path = patch_path.attr
        self.check_writable(path, patch_path, op, value)
        if op != "remove" and value is None:
            op = "remove"  # null unassigns (RFC 7643 2.5)
            value = None
        if path.is_extension:
            if op == "remove" and find_key_ci(self.data, path.schema) is None:
                return
            container = self.container_for(path.schema, create=True)
        else:
            container = self.data
        if op != "add" or patch_path.value_filter is not None or path.sub_name is not None:
            # Anything but a whole-attribute add may change this list's values in place.
            self.list_indexes.pop(_slot(path), None)
        if patch_path.value_filter is not None:
            self.filtered(container, op, patch_path, value)
        elif path.sub_name is not None:
            self.sub_attribute(container, op, path, value)
        else:
            self.whole(container, op, path, value, has_value)
        if path.is_extension and not container:
            self.drop_container(path.schema)

    def check_writable(self, path: AttrPath, patch_path: PatchPath, op: str, value: Any) -> None:
        attr = path.attr
        if not path.is_extension and path.name.lower() in _READ_ONLY:
            raise errors.mutability(f"'{path.name}' is read-only.")
        if attr is not None and attr.mutability == "readOnly":
            raise errors.mutability(f"'{path.name}' is read-only.")
        if path.sub_attr is not None and path.sub_attr.mutability == "readOnly":
            raise errors.mutability(f"'{path.name}.{path.sub_attr.name}' is read-only.")
        removes = op == "remove" or value is None
        if (
            removes
            and attr is not None
            and attr.required
            and path.sub_name is None
            and patch_path.value_filter is None
            and not path.is_extension
        ):
            raise errors.mutability(f"'{path.name}' is required and cannot be removed.")

    def whole(
        self, container: dict[str, Any], op: str, path: AttrPath, value: Any, has_value: bool
    ) -> None:
        attr = path.attr
        name = path.name
        multi = attr is not None and attr.multi_valued
        where = path.name
        if op == "remove":
            if multi and has_value and isinstance(value, list | dict) and value:
                # Entra removes members with a value array instead of a filter path.
                doomed = {_member_key(d) for d in (value if isinstance(value, list) else [value])}
                current = get_ci(container, name)
                kept = [
                    item
                    for item in (current if isinstance(current, list) else [])
                    if _member_key(item) not in doomed
                ]
                if kept:
                    _set(container, name, kept)
                else:
                    _pop(container, name)
            else:
                _pop(container, name)
            return
        if _is_manager(path):
            value = _manager(value)
            if value is None:
                _pop(container, name)
                return
        value = _coerce_whole(attr, value, where)
        if multi or (attr is None and isinstance(value, list)):
            items = value if isinstance(value, list) else [value]
            if op == "add":
                self.add_values(container, path, items)
            else:
                _single_primary(items, items)
                _set(container, name, items)
            return
        if attr is not None and attr.type == "complex":
            if not isinstance(value, dict):
                raise errors.invalid_value(f"Attribute '{where}' must be an object.")
            # RFC 7644 3.5.2.3: sub-attributes not named in the value stay as they were.
            current = get_ci(container, name)
            merged = dict(current) if isinstance(current, dict) else {}
            for sub_key, sub_value in value.items():
                if sub_value is None:
                    _pop(merged, sub_key)
                else:
                    _set(merged, sub_key, sub_value)
            if merged:
                _set(container, name, merged)
            else:
                _pop(container, name)
            return
        _set(container, name, value)

    def add_values(self, container: dict[str, Any], path: AttrPath, items: list[Any]) -> None:
        """Append the values not already present (RFC 7644 3.5.2.1), in time linear in the
        values added: the list (a private copy) grows in place and its index of member keys
        and primaries is kept for the next ``add`` to the same attribute."""
        name = path.name
        current = get_ci(container, name)
        slot = _slot(path)
        index = self.list_indexes.get(slot)
        if index is None or index.items is not current:
            index = _ListIndex.of(current if isinstance(current, list) else [])
        added = []
        for item in items:
            key = _member_key(item)
            if key not in index.keys:
                index.keys.add(key)
                index.items.append(item)
                added.append(item)
        # RFC 7643 2.4: the last value just written as primary wins.
        winners = [a for a in added if isinstance(a, dict) and a.get("primary") is True]
        if winners:
            for item in index.primaries:
                if item is not winners[-1]:
                    item["primary"] = False
            index.primaries = [winners[-1]]
        _set(container, name, index.items)
        self.list_indexes[slot] = index

    def sub_attribute(self, container: dict[str, Any], op: str, path: AttrPath, value: Any) -> None:
        """``name.givenName``-style paths (and ``emails.value``, meaning every element)."""
        sub = path.sub_name or ""
        if path.sub_attr is not None:
            sub = path.sub_attr.name
        if op != "remove":
            value = _coerce(path.sub_attr, value, f"{path.name}.{sub}")
        if _is_manager(path) and sub == "value" and _manager({"value": value}) is None:
            _pop(container, path.name)  # an empty manager id means "no manager"
            return
        current = get_ci(container, path.name)
        if path.attr is not None and path.attr.multi_valued:
            items = current if isinstance(current, list) else []
            for item in items:
                if isinstance(item, dict):
                    if op == "remove":
                        _pop(item, sub)
                    else:
                        _set(item, sub, value)
            if op != "remove" and sub == "primary":
                _single_primary(items, items)
            return
        if op == "remove":
            if isinstance(current, dict):
                _pop(current, sub)
                if not current:
                    _pop(container, path.name)
            return
        holder = current if isinstance(current, dict) else {}
        _set(holder, sub, value)
        _set(container, path.name, holder)

    def filtered(
        self, container: dict[str, Any], op: str, patch_path: PatchPath, value: Any
    ) -> None:
        """``emails[type eq "work"].value`` and ``members[value eq "id"]`` paths."""
        flt = patch_path.value_filter
        assert flt is not None
        attr = patch_path.attr.attr
        name = patch_path.attr.name
        sub = patch_path.sub_name
        sub_attr = attr.sub(sub) if attr is not None and sub is not None else None
        current = get_ci(container, name)
        items = list(current) if isinstance(current, list) else []
        flt.check_work(len(items))  # 200 terms over 20,000 emails: seconds under the lock
        matched = [
            i for i, item in enumerate(items) if isinstance(item, dict) and flt.matches(item)
        ]
        if op == "remove":
            if sub is None:
                doomed = set(matched)
                items = [item for i, item in enumerate(items) if i not in doomed]
            else:
                for i in matched:
                    _pop(items[i], sub)
            if items:
                _set(container, name, items)
            else:
                _pop(container, name)
            return
        where = f"{name}.{sub}" if sub else name
        if not matched:
            terms = flt.equality_terms()
            if sub is None or not flt.only_equality or any(v is None for _, v in terms):
                raise errors.no_target(f"No value of '{name}' matches the filter in the path.")
            # Entra sets emails[type eq "work"].value on a user with no work email yet.
            created: dict[str, Any] = {p.name: v for p, v in terms}
            created[sub] = _coerce(sub_attr, value, where)
            items.append(created)
            _single_primary(items, [created])
            _set(container, name, items)
            return
        if sub is not None:
            value = _coerce(sub_attr, value, where)
            for i in matched:
                _set(items[i], sub, value)
            if sub == "primary":
                _single_primary(items, [items[i] for i in matched])
        else:
            if isinstance(value, list) and len(value) == 1:
                value = value[0]
            if not isinstance(value, dict):
                raise errors.invalid_value(f"Values of '{name}' must be objects.")
            value = _coerce(attr, value, where)
            for i in matched:
                # add merges into the matching values; replace replaces them (RFC 7644 3.5.2.3).
                items[i] = {**items[i], **value} if op == "add" else dict(value)
            _single_primary(items, [items[i] for i in matched])
        _set(container, name, items)
