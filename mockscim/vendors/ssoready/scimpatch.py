"""SSOReady's own PATCH engine for users (ssoready/ssoready ``internal/scimpatch/scimpatch.go``),
as the ``exact`` profile runs it: not RFC 7644's, and a client that works against one can fail
against the other.

What it does, in short:

- Only the ops ``replace``/``Replace`` and ``add``/``Add``; anything else (``remove`` too) is
  an error, which the handler answers with a 400 ``invalidPath``.
- A ``replace`` without a path *replaces the whole resource* with its value (an object); an
  ``add`` without a path is an error.
- A path is split on ``.``; ``name[attr op "v"]`` is a filtered segment whose filter text is
  split on single spaces (not exactly ``attr op value`` or ``attr pr``: no filter at all).
  Entra's ``urn:...:enterprise:2.0:User:manager`` is taken as the extension's ``manager``.
- Intermediate segments must already be objects; the last one is set (replace) or added to
  (add: merge into an object, append to an array, otherwise overwrite).
- A filtered segment changes every matching element; ``add`` with an ``eq`` filter and one
  sub-attribute appends ``{attr: v, sub: value}`` when nothing matches.

Errors carry the real server's texts. Where its Go code would panic (a nil filter reached
through the enterprise branch), :class:`Panic` is raised for the caller to turn into a crash.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
_FLOAT = re.compile(
    r"^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|inf|infinity|nan)$"
)


class PatchError(Exception):
    """An error the handler reports as 400 ``invalidPath`` (its message is the Go error text)."""


class Panic(Exception):
    """Where the Go code dereferences nil: the request crashes."""


@dataclass(frozen=True)
class Operation:
    op: str
    path: str
    value: Any


@dataclass(frozen=True)
class _Filter:
    attr: str
    op: str
    value: str


@dataclass(frozen=True)
class _Segment:
    name: str
    filter: _Filter | None = None

    def __str__(self) -> str:
        if self.filter is None:
            return self.name
        f = self.filter
        return f'{self.name}[{f.attr} {f.op} "{f.value}"]'


def go_quote(text: str) -> str:
    """Go's ``%q`` for the ASCII texts these errors quote."""
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    out = out.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{out}"'


def _parse_filter(expr: str) -> _Filter | None:
    parts = expr.split(" ")
    if len(parts) == 2 and parts[1] == "pr":
        return _Filter(parts[0], "pr", "")
    if len(parts) != 3:
        return None
    return _Filter(parts[0], parts[1], parts[2].strip('"'))


def split_path(path: str) -> list[_Segment]:
    if path == "":
        return []
    if path == ENTERPRISE:
        return [_Segment(ENTERPRISE)]
    if path.startswith(ENTERPRISE + ":"):
        return [_Segment(ENTERPRISE), *split_path(path[len(ENTERPRISE) + 1 :])]
    segments = []
    for part in path.split("."):
        start = part.find("[")
        end = part.find("]")
        if start != -1 and end != -1:
            segments.append(_Segment(part[:start], _parse_filter(part[start + 1 : end])))
        else:
            segments.append(_Segment(part))
    return segments


def _join(segments: list[_Segment]) -> str:
    return ".".join(str(s) for s in segments)


def patch(ops: list[Operation], resource: dict[str, Any]) -> dict[str, Any]:
    """Apply ``ops`` in order to ``resource`` (mutated) and return the result, which is a new
    object after a no-path ``replace``. The first error aborts: the caller persists nothing."""
    box = [resource]
    for op in ops:
        _apply(op, box)
    return box[0]


def _is_add(op: str) -> bool:
    return op in ("add", "Add")


def _apply(op: Operation, box: list[dict[str, Any]]) -> None:
    """``box[0]`` is the object the op applies to (a box, so a top-level replace can swap it)."""
    replace = op.op in ("replace", "Replace")
    add = _is_add(op.op)
    if not replace and not add:
        raise PatchError(f"unsupported SCIM PATCH operation: {go_quote(op.op)}")
    obj = box[0]
    segments = split_path(op.path)
    if segments and segments[0].name == ENTERPRISE:
        if len(segments) == 1 and add:
            if not isinstance(op.value, dict):
                raise PatchError("enterprise user schema value must be an object")
            obj[ENTERPRISE] = op.value
            return
        if len(segments) == 1:
            raise PatchError(f"invalid path: {go_quote(op.path)}")
        schema = obj.get(ENTERPRISE)
        if not isinstance(schema, dict):
            schema = {}
            obj[ENTERPRISE] = schema
        rest = segments[1:]
        if any(s.filter is not None for s in rest):
            _apply_filtered(op, schema, rest)
            return
        _apply(Operation(op.op, _join(rest), op.value), [schema])
        return
    if not segments:
        if replace:
            if not isinstance(op.value, dict):
                raise PatchError("top-level 'replace' operation must have an object value")
            box[0] = op.value
            return
        raise PatchError("unsupported 'add' operation on top-level object")
    current = obj
    for i, segment in enumerate(segments):
        if segment.filter is not None:
            _apply_filtered(op, current, segments[i:])
            return
        if i == len(segments) - 1:
            if replace:
                current[segment.name] = op.value
            else:
                _add(current, segment.name, op.value)
            return
        child = current.get(segment.name)
        if not isinstance(child, dict):
            raise PatchError(f"invalid path: {op.path}")
        current = child


def _add(obj: dict[str, Any], key: str, value: Any) -> None:
    if key not in obj:
        obj[key] = value
        return
    existing = obj[key]
    if isinstance(existing, dict):
        if not isinstance(value, dict):
            raise PatchError("'add' operation pointing at object must be object-valued")
        existing.update(value)
    elif isinstance(existing, list):
        if not isinstance(value, list):
            raise PatchError("'add' operation pointing at array must be array-valued")
        obj[key] = existing + value
    else:
        obj[key] = value


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _matches(v: Any, flt: _Filter) -> bool:
    op, want = flt.op, flt.value
    if op == "eq":
        return isinstance(v, str) and v == want
    if op == "ne":
        return not (isinstance(v, str) and v == want)
    if op in ("co", "sw", "ew"):
        if not isinstance(v, str):
            raise PatchError(f"'{op}' operator can only be used with string values")
        if op == "co":
            return want in v
        return v.startswith(want) if op == "sw" else v.endswith(want)
    if op == "pr":
        return v != "" if isinstance(v, str) else v is not None
    if op in ("gt", "ge", "lt", "le"):
        if isinstance(v, str):
            a: Any = v
            b: Any = want
        elif _number(v):
            if not _FLOAT.match(want.lower()):
                raise PatchError(f"invalid number in comparison: {go_quote(want)}")
            a, b = float(v), float(want)
            if math.isnan(a) or math.isnan(b):
                return False
        else:
            raise PatchError("comparison operators can only be used with string or numeric values")
        return {"gt": a > b, "ge": a >= b, "lt": a < b, "le": a <= b}[op]
    raise PatchError(f"unsupported filter operator: {go_quote(op)}")


def _apply_filtered(op: Operation, obj: dict[str, Any], segments: list[_Segment]) -> None:
    add = _is_add(op.op)
    segment = segments[0]
    flt = segment.filter
    if flt is None:  # the Go code dereferences the nil filter
        raise Panic("nil pointer dereference in a filtered PATCH path")
    if segment.name not in obj:
        if add and flt.op == "eq" and len(segments) == 2:
            obj[segment.name] = [{flt.attr: flt.value, segments[1].name: op.value}]
            return
        raise PatchError(
            f"invalid path: no matching element found for filter {go_quote(str(segment))}"
        )
    array = obj[segment.name]
    if not isinstance(array, list):
        raise PatchError(f"invalid path: not an array: {op.path}")
    array = list(array)
    modified = False
    for j, item in enumerate(array):
        if not isinstance(item, dict):
            raise PatchError(
                f"invalid path: applied filter on array containing non-object: {op.path}"
            )
        if flt.attr not in item or not _matches(item[flt.attr], flt):
            continue
        modified = True
        if len(segments) == 1:
            array[j] = op.value
        else:
            copy = dict(item)
            array[j] = copy
            _apply(Operation(op.op, _join(segments[1:]), op.value), [copy])
    if not modified:
        if add and flt.op == "eq" and len(segments) == 2:
            obj[segment.name] = [*array, {flt.attr: flt.value, segments[1].name: op.value}]
            return
        raise PatchError(f"no matching element found for filter {go_quote(str(segment))}")
    obj[segment.name] = array
