"""Reading a request's JSON body, once for every surface.

Each surface answers a bad body in its own error format; this module only says what is
wrong (:class:`BodyError`), and the surface maps it to its vendor's error type and status.
An oversized body raises werkzeug's ``RequestEntityTooLarge``, which the app renders as 413.
"""

from __future__ import annotations

import json
from typing import Any

from flask import request

#: No endpoint of either vendor takes JSON deeper than a handful of levels; deeper bodies are
#: refused here so no handler (filters, PATCH, redaction, the journal) ever recurses on them.
MAX_DEPTH = 64


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` nests more than ``limit`` containers deep (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class BodyError(ValueError):
    """The body is missing, not JSON, or not the JSON the endpoint takes."""


def request_json(*, required: bool = False, object_only: bool = True) -> Any:
    """The parsed body; an empty body is ``{}`` (or ``None`` when ``object_only`` is False)
    unless ``required``, in which case it is a :class:`BodyError`."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        if required:
            raise BodyError("The request body is required.")
        return {} if object_only else None
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BodyError(f"The request body is not valid JSON: {exc}") from exc
    except RecursionError as exc:  # thousands of nested arrays: the parser's stack runs out
        raise BodyError("The request body is nested too deeply.") from exc
    if _depth_exceeds(body, MAX_DEPTH):
        raise BodyError(f"The request body is nested deeper than {MAX_DEPTH} levels.")
    if object_only and not isinstance(body, dict):
        raise BodyError("The request body must be a JSON object.")
    return body
