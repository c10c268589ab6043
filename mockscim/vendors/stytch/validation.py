"""Request-body checks shared by the Stytch routes: each failure is a Stytch 400."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

from mockscim.vendors.stytch import errors

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SLUG = re.compile(r"^[A-Za-z0-9\-._~]{2,128}$")
EXTERNAL_ID = re.compile(r"^[A-Za-z0-9._\-|]{1,128}$")
MAX_LIMIT = 1000
DEFAULT_LIMIT = 100


def optional_str(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise errors.invalid_argument(f"'{key}' must be a string.")
    return value


def optional_bool(body: dict[str, Any], key: str) -> bool | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise errors.invalid_argument(f"'{key}' must be a boolean.")
    return value


def optional_dict(body: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise errors.invalid_argument(f"'{key}' must be an object.")
    return value


def optional_str_list(body: dict[str, Any], key: str) -> list[str] | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise errors.invalid_argument(f"'{key}' must be an array of strings.")
    return value


def email(value: Any, key: str = "email_address") -> str:
    if not isinstance(value, str) or not EMAIL.match(value.strip()):
        raise errors.invalid_email(key)
    return value.strip()


def page(
    raw_cursor: Any,
    raw_limit: Any,
    limit_error: Callable[[], errors.StytchError] | None = None,
    cursor_error: Callable[[], errors.StytchError] | None = None,
) -> tuple[int, int]:
    """(offset, limit) from Stytch's opaque ``cursor`` and ``limit``. stytch-openapi gives
    ``limit`` ``minimum: 0`` with "default limit is 100. A maximum of 1000 results"; 0 is the
    protobuf zero value of an int32 field, i.e. "not set", so it means the default."""
    bad_limit = limit_error or (
        lambda: errors.invalid_argument(f"'limit' must be between 0 and {MAX_LIMIT}.")
    )
    bad_cursor = cursor_error or (
        lambda: errors.invalid_argument("'cursor' is not a valid cursor.")
    )
    limit = DEFAULT_LIMIT
    if raw_limit not in (None, ""):
        # A float is never a limit (an int32 field); checked before int(), which raises
        # OverflowError on 1e999 / Infinity and ValueError on NaN.
        if isinstance(raw_limit, (bool, float)):
            raise bad_limit()
        try:
            limit = int(raw_limit)
        except (TypeError, ValueError, OverflowError) as exc:
            raise bad_limit() from exc
        if not 0 <= limit <= MAX_LIMIT:
            raise bad_limit()
        limit = limit or DEFAULT_LIMIT
    offset = 0
    if raw_cursor not in (None, ""):
        try:
            text = base64.urlsafe_b64decode(str(raw_cursor).encode()).decode()
            prefix, _, number = text.partition(":")
            offset = int(number)
            if prefix != "offset" or offset < 0:
                raise ValueError(text)
        except (ValueError, UnicodeDecodeError) as exc:
            raise bad_cursor() from exc
    return offset, limit


def search_page(raw_cursor: Any, raw_limit: Any) -> tuple[int, int]:
    """``page`` with the search endpoints' error types (``user_search_invalid_limit`` and
    ``user_search_invalid_cursor``, the "Common Error Types" of docs search-organizations)."""
    return page(raw_cursor, raw_limit, errors.invalid_limit, errors.invalid_cursor)


def external_id(value: str) -> bool:
    """Alphanumerics and ``._-|``, at most 128 characters (openapi external_id fields)."""
    return bool(EXTERNAL_ID.match(value))


def cursor_for(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def paginate(items: list[Any], offset: int, limit: int) -> tuple[list[Any], str | None]:
    chunk = items[offset : offset + limit]
    following = offset + limit
    return chunk, (cursor_for(following) if following < len(items) else None)
