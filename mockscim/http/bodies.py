"""Reading a request's JSON body, once for every surface.

Each surface answers a bad body in its own error format; this module only says what is
wrong (:class:`BodyError`), and the surface maps it to its vendor's error type and status.
An oversized body raises werkzeug's ``RequestEntityTooLarge``, which the app renders as 413.
"""

from __future__ import annotations

from typing import Any

from flask import request

from mockscim.engine import jsontext

#: No endpoint of either vendor takes JSON deeper than a handful of levels; deeper bodies are
#: refused here so no handler (filters, PATCH, redaction, the journal) ever recurses on them.
MAX_DEPTH = 64


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
        body = jsontext.loads(raw, MAX_DEPTH)
    except jsontext.TooDeep as exc:
        raise BodyError(f"The request body is nested deeper than {MAX_DEPTH} levels.") from exc
    except ValueError as exc:  # UnicodeDecodeError included
        raise BodyError(f"The request body is not valid JSON: {exc}") from exc
    if object_only and not isinstance(body, dict):
        raise BodyError("The request body must be a JSON object.")
    return body
