"""Secret redaction: what keeps tokens, secrets, sessions and passwords out of the journal,
the logs and every other place the mock writes down what it saw.

Two forms: :func:`redact_json_text` works on serialized JSON without parsing it (the journal's
hot path), :func:`redact` on parsed values. :class:`RedactingFilter` applies the same rules to
log records (werkzeug prints the request line with its query string).
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import unquote_plus

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
        "adminSessionToken",
        "oneTimeToken",
        "samlAccessCode",
        "saml_access_code",
    )
)
# Secrets recognisable by their shape wherever they appear (URLs, plain-text bodies): SSOReady's
# prefixed tokens and keys, anything after "Bearer ", and a Stytch SCIM token (48 letters and
# digits standing alone: no id either vendor mints has that shape).
_SHAPES = (
    r"ssoready_scim_bearer_token_[0-9a-z]+|ssoready_sk_[0-9A-Za-z]+|(?i:(?<=bearer )[^\s\"']+)"
    r"|ssoready_one_time_token_[0-9a-z]+|saml_access_code_[0-9a-z]+"
    r"|(?<![A-Za-z0-9_-])[A-Za-z0-9]{48}(?![A-Za-z0-9_-])"
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
_SECRET_HINTS = (
    "token",
    "secret",
    "password",
    "ssoready_",
    "bearer",
    "session",
    "key",
    "auth",
    "access_code",
    "accesscode",
)


def _may_hold_secret(text: str) -> bool:
    return any(map(text.lower().__contains__, _SECRET_HINTS))


def redact_json_text(text: str) -> str:
    """Redact serialized JSON without parsing it: the journal's hot path. A SCIM PATCH that
    sets the password through ``"path": "password"`` (its value under ``value``, not under
    a secret-named key) is parsed and redacted structurally."""
    if not _may_hold_secret(text):
        return text

    def replace(match: re.Match[str]) -> str:
        key = match.group("key")
        return f'{key}"{REDACTED}"' if key else REDACTED

    text = SECRET_IN_JSON.sub(replace, text)
    if _SECRET_PATH.search(text):
        try:
            text = json.dumps(redact(json.loads(text)))
        except (ValueError, RecursionError):
            return REDACTED  # unparseable yet names a secret path: keep nothing
    return text


# A PATCH operation's ``path`` naming a secret attribute (``password``, ``urn:...:password``).
_SECRET_PATH = re.compile(r'"path"\s*:\s*"[^"]*(?i:password)', re.I)

#: Query parameters whose values are kept in the journal and log lines: the SCIM and vendor
#: paging/filter parameters and the control plane's own filters. Every other value (``code``,
#: ``auth``, ``sig``, ``Authorization``, anything new) is redacted, so a token a client puts
#: in a URL is never written down.
QUERY_ALLOW = frozenset(
    {
        "filter",
        "startIndex",
        "count",
        "attributes",
        "excludedAttributes",
        "sortBy",
        "sortOrder",
        "organizationId",
        "organizationExternalId",
        "scimDirectoryId",
        "scimGroupId",
        "pageToken",
        "limit",
        "cursor",
        "aadOptscim062020",
        # the control plane's
        "vendor",
        "surface",
        "method",
        "path",
        "status",
        "credential",
        "directory_id",
        "since",
        "merge",
        "baseline",
    }
)


def redact_query(query: str) -> str:
    """A query string with the value of every parameter not in :data:`QUERY_ALLOW` replaced
    (allowed values still pass :func:`redact_text`, in case a token hides in a filter)."""
    if not query:
        return query
    parts = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        if not eq:
            parts.append(pair if unquote_plus(name) in QUERY_ALLOW else REDACTED)
        elif unquote_plus(name) in QUERY_ALLOW:
            parts.append(f"{name}={redact_text(value)}")
        else:
            parts.append(f"{name}={REDACTED}")
    return "&".join(parts)


_URL_QUERY = re.compile(r"\?([^\s\"'#]*)")


def redact_urls(text: str) -> str:
    """Every ``?query`` in free text (a request log line) through :func:`redact_query`."""
    if "?" not in text:
        return redact_text(text)
    return redact_text(_URL_QUERY.sub(lambda m: "?" + redact_query(m.group(1)), text))


_TOKENISH = re.compile(r"[A-Za-z0-9_\-.~+/=]{24,}")


def redact_echo(value: str) -> str:
    """A value the mock echoes back (an offending ``userName``): redacted when it looks like
    a token (a secret's shape, or a long run without spaces or ``@``), else kept."""
    if SECRET_SHAPE.search(value) or _TOKENISH.fullmatch(value):
        return REDACTED
    return value


def redact(value: Any) -> Any:
    """A copy of ``value`` with secret-named fields and secret-shaped strings replaced."""
    if isinstance(value, dict):
        secret_path = isinstance(value.get("path"), str) and "password" in value["path"].lower()
        return {
            k: (
                REDACTED
                if isinstance(k, str)
                and (k.lower() in SECRET_KEYS or (secret_path and k == "value"))
                and v
                else redact(v)
            )
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
        redacted = redact_urls(message)
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
