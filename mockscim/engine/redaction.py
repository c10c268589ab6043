"""Secret redaction: what keeps tokens, secrets, sessions and passwords out of the journal,
the logs and every other place the mock writes down what it saw.

Two forms: :func:`redact_json_text` works on serialized JSON without parsing it (the journal's
hot path), :func:`redact` on parsed values. :class:`RedactingFilter` applies the same rules to
log records (werkzeug prints the request line with its query string).
"""

from __future__ import annotations

import logging
import re
from typing import Any

REDACTED = "[redacted]"

# Keys whose values are secrets in either vendor's JSON (compared case-insensitively).
SECRET_KEYS = frozenset(
    k.lower()
    for k in (
        "bearer_token",
        "next_bearer_token",
        "bearerToken",
        "clientBearerToken",
        "secret",
        "password",
        "session_token",
        "session_jwt",
        "intermediate_session_token",
        "api_key",
        "apiKey",
        "secretKey",
        "authorization",
    )
)
# Secrets recognisable by their shape wherever they appear (URLs, plain-text bodies).
_SHAPES = (
    r"ssoready_scim_bearer_token_[0-9a-z]+|ssoready_sk_[0-9A-Za-z]+|(?i:(?<=bearer )[^\s\"']+)"
    # Query parameters named like secrets (``?access_token=...``), in URLs and request logs.
    r"|(?i:(?:(?<=token=)|(?<=secret=)|(?<=password=)|(?<=key=))[^&\s\"']+)"
)
SECRET_SHAPE = re.compile(_SHAPES)
# One pass over raw JSON text: a secret-named key's string value, or a secret-shaped string.
_KEY_ALTERNATION = "|".join(sorted(re.escape(k) for k in SECRET_KEYS))
SECRET_IN_JSON = re.compile(
    rf'(?P<key>"(?i:{_KEY_ALTERNATION})"\s*:\s*)"(?:[^"\\]|\\.)+"|{_SHAPES}'
)


def redact_text(text: str) -> str:
    if not _may_hold_secret(text):
        return text
    return SECRET_SHAPE.sub(REDACTED, text)


# Every secret key or shape contains one of these; text without any needs no regex pass.
_SECRET_HINTS = ("token", "secret", "password", "ssoready_", "bearer", "session", "key", "auth")


def _may_hold_secret(text: str) -> bool:
    return any(map(text.lower().__contains__, _SECRET_HINTS))


def redact_json_text(text: str) -> str:
    """Redact serialized JSON without parsing it: the journal's hot path."""
    if not _may_hold_secret(text):
        return text

    def replace(match: re.Match[str]) -> str:
        key = match.group("key")
        return f'{key}"{REDACTED}"' if key else REDACTED

    return SECRET_IN_JSON.sub(replace, text)


def redact(value: Any) -> Any:
    """A copy of ``value`` with secret-named fields and secret-shaped strings replaced."""
    if isinstance(value, dict):
        return {
            k: (REDACTED if isinstance(k, str) and k.lower() in SECRET_KEYS and v else redact(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


class RedactingFilter(logging.Filter):
    """Scrubs secrets from log lines such as the WSGI server's request log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_FILTER = RedactingFilter()


def install_log_redaction(*names: str) -> None:
    """Attach the filter to the named loggers (idempotent)."""
    for name in names or ("werkzeug", "mockscim"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
