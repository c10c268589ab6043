"""Secret redaction: what keeps tokens, secrets, sessions and passwords out of the journal,
the logs and every other place the mock writes down what it saw.

Secrets are found three ways, everywhere (request paths, query strings, bodies, log lines):

- by key: the value of a secret-named JSON field (``bearer_token``, ``password``, ...), keys
  compared after JSON unescaping, so ``"pass\\u0077ord"`` is ``password``;
- by shape: strings only a credential looks like (SSOReady's prefixed tokens, a standalone
  48-character Stytch SCIM token, a 44-character session token, any JWT), with no hint word
  needed nearby;
- by identity: any standalone run equal to a credential this process issued or restored
  (:data:`mockscim.engine.tokens.ISSUED` holds their SHA-256 digests), whatever its shape.

:func:`redact_json_text` works on serialized JSON (the journal's hot path: one regex pass, a
parse only when escapes hide what the text pass would miss), :func:`redact_body_text` on bodies
not labelled JSON, :func:`redact` on parsed values, :func:`redact_query` on query strings.
:class:`RedactingFilter` applies the same rules to log records.
"""

from __future__ import annotations

import json
import logging
import re
import string
from typing import Any
from urllib.parse import quote, unquote_plus

from mockscim.engine.tokens import ISSUED

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
# Secrets recognisable by their shape wherever they appear (paths, queries, bodies, log lines),
# with no hint word needed nearby: a token pasted into ``userName eq "..."`` or ``/Users/...``
# has none. Most shapes are runs of token characters: the text is split into its unique runs
# at C speed (``str.translate`` + ``split``), :func:`_is_secret` classifies the long ones in
# Python, and only the secrets found are replaced. (A regex alternation of lookarounds tried
# at every position cost 30 ms on a 50 KB list response; this costs well under one.) The
# other shapes carry a literal that gates their regex. No id either vendor mints has a
# secret's shape (ids are lowercase, or carry hyphens and a UUID), so ids stay readable.
_TOKEN_CHARS = frozenset(string.ascii_letters + string.digits + "_-.")
_NON_TOKEN = str.maketrans({chr(i): " " for i in range(128) if chr(i) not in _TOKEN_CHARS})
_PREFIXES = (
    "ssoready_scim_bearer_token_",
    "ssoready_sk_",
    "ssoready_one_time_token_",
    "saml_access_code_",
    "secret-test-",
    "secret-live-",
)
_BASE64URL = frozenset(string.ascii_letters + string.digits + "_-")
# Anything after "Bearer "; a query parameter named like a secret (``?access_token=...``).
_BEARER = re.compile(r"(?i)(bearer )[^\s\"'&]+")
_PARAM = re.compile(r"(?i)((?:token|secret|password|key)=)[^&\s\"']+")
_PARAM_NAMES = ("token", "secret", "password", "key")
# Prefixed secrets of any length, found even inside a longer run: SSOReady's SCIM tokens and
# API keys, a Stytch project secret, a Svix signing secret (base64: ``+/=`` break a run).
_PREFIXED = re.compile(
    r"(?:ssoready_scim_bearer_token_|ssoready_sk_|ssoready_one_time_token_|saml_access_code_)"
    r"[0-9A-Za-z]+"
    r"|secret-(?:test|live)-[A-Za-z0-9_=-]+|whsec_[A-Za-z0-9+/=]+"
)
_PREFIX_HINTS = ("ssoready_", "saml_access_code_", "secret-", "whsec_")


def _is_secret(run: str) -> bool:
    """Whether a run of token characters is a credential: SSOReady's prefixed tokens and API
    keys, a Stytch project secret, a Stytch SCIM token (48 letters and digits), a Stytch
    session token (44 base64url characters mixing upper case, lower case and digits, as a
    random one does with certainty), a JWT (a Stytch session JWT), or any credential this
    process issued or restored (:data:`mockscim.engine.tokens.ISSUED`)."""
    if run.startswith(_PREFIXES):
        return True
    size = len(run)
    if size == 48 and run.isascii() and run.isalnum():
        return True
    if (
        size == 44
        and _BASE64URL.issuperset(run)
        and any(c.isupper() for c in run)
        and any(c.islower() for c in run)
        and any(c.isdigit() for c in run)
    ):
        return True
    if run.startswith("ey") and run.count(".") == 2:
        header, payload, _ = run.split(".")
        if len(header) >= 10 and payload.startswith("ey") and len(payload) >= 10:
            return True
    return ISSUED.holds(run)


def _secrets_in(run: str) -> list[str]:
    """The secrets a run holds: the run itself, or it stripped of the punctuation that ends a
    sentence, or its dot-separated pieces (``a.<token>.b``)."""
    if _is_secret(run):
        return [run]
    core = run.strip("._-")
    if core != run and len(core) >= ISSUED.MIN_LENGTH and _is_secret(core):
        return [core]
    if "." in core:
        return [p for p in core.split(".") if len(p) >= ISSUED.MIN_LENGTH and _is_secret(p)]
    return []


def _runs(text: str) -> set[str]:
    """The unique runs of token characters in ``text`` (non-ASCII characters separate runs)."""
    if not text.isascii():
        text = text.encode("ascii", "replace").decode("ascii")
    return set(text.translate(_NON_TOKEN).split())


def redact_text(text: str) -> str:
    """``text`` with every secret-shaped string and every issued secret replaced."""
    return _redact_runs(text, _runs(text))


def _redact_runs(text: str, runs: set[str]) -> str:
    lowered = {run.lower() for run in runs if len(run) < ISSUED.MIN_LENGTH}
    if "bearer" in lowered:
        text = _BEARER.sub(rf"\1{REDACTED}", text)
    if "=" in text and any(run.endswith(_PARAM_NAMES) for run in lowered):
        text = _PARAM.sub(rf"\1{REDACTED}", text)
    if any(hint in run for run in runs for hint in _PREFIX_HINTS):
        text = _PREFIXED.sub(REDACTED, text)
    found = {secret for run in runs if len(run) >= ISSUED.MIN_LENGTH for secret in _secrets_in(run)}
    for secret in sorted(found, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


# A secret-named key's string value in raw JSON text.
_KEY_ALTERNATION = "|".join(sorted(re.escape(k) for k in SECRET_KEYS))
SECRET_IN_JSON = re.compile(rf'("(?i:{_KEY_ALTERNATION})"\s*:\s*)"(?:[^"\\]|\\.)+"')


def redact_json_text(text: str) -> str:
    """Redact serialized JSON: the journal's hot path.

    Plain JSON is redacted by regex passes over the text (no parse). JSON that holds escapes
    (``"pass\\u0077ord"`` is the key ``password``) or names a secret only through a SCIM
    PATCH ``"path": "password"`` (its value under ``value``) is parsed and redacted
    structurally, so an escaped key or value cannot slip past the text pass."""
    if _ASCII_ESCAPE.search(text) or _names_secret_path(text):
        parsed = _redacted_json(text)
        if parsed is not None:
            return parsed
        # Unparseable: decode the escapes the text pass cannot see through, then redact.
        text = _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
        if _names_secret_path(text):
            return REDACTED  # names a secret path but cannot be read: keep nothing
    runs = _runs(text)
    if any(run.lower() in SECRET_KEYS for run in runs):
        text = SECRET_IN_JSON.sub(rf'\1"{REDACTED}"', text)
    return _redact_runs(text, runs)


def redact_body_text(text: str) -> str:
    """A body not labelled JSON (``text/plain``, no Content-Type, a form). Servers parse such
    bodies as JSON anyway, so one that parses is redacted as JSON; any other is redacted as
    text, and again after percent-decoding (a form's ``%22`` hides a token's boundaries)."""
    if text.lstrip()[:1] in ("{", "["):
        parsed = _redacted_json(text)
        if parsed is not None:
            return parsed
        return redact_json_text(text)
    return _redact_encoded(text)


def _redacted_json(text: str) -> str | None:
    """``text`` parsed, redacted structurally and serialized again; None when it does not parse
    (or nests deeper than redaction walks)."""
    try:
        return json.dumps(redact(json.loads(text)))
    except (ValueError, RecursionError):
        return None


def _redact_encoded(text: str) -> str:
    """Redacted ``text``; when it is percent-encoded and decoding reveals a secret, the
    decoded, redacted form (a log line or form body then reads decoded)."""
    redacted = redact_text(text)
    if "%" not in redacted and "+" not in redacted:
        return redacted
    decoded = unquote_plus(redacted)
    again = redact_text(decoded)
    return again if again != decoded else redacted


_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
# An escape that decodes to an ASCII character, which could be part of a key or a token
# (``\u00e9`` in "José" cannot: non-ASCII characters are neither).
_ASCII_ESCAPE = re.compile(r"\\u00[0-7][0-9a-fA-F]")


def _names_secret_path(text: str) -> bool:
    lowered = text.lower()
    return '"path"' in lowered and "password" in lowered and bool(_SECRET_PATH.search(text))


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
    """A query string with the value of every parameter not in :data:`QUERY_ALLOW` replaced.
    Allowed values, and every name, are percent-decoded and redacted like text (a token in
    ``filter=userName eq "..."`` or ``cursor=...``); one that held a secret is re-encoded."""
    if not query:
        return query
    parts = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        name = _redact_component(name)
        if not eq:
            parts.append(name if unquote_plus(name) in QUERY_ALLOW else REDACTED)
        elif unquote_plus(name) in QUERY_ALLOW:
            parts.append(f"{name}={_redact_component(value)}")
        else:
            parts.append(f"{name}={REDACTED}")
    return "&".join(parts)


def _redact_component(raw: str) -> str:
    """One percent-encoded query component: kept as sent unless decoding reveals a secret."""
    decoded = unquote_plus(raw)
    redacted = redact_text(decoded)
    if redacted == decoded:
        return raw
    return quote(redacted, safe="[]")


_URL_QUERY = re.compile(r"\?([^\s\"'#]*)")


def redact_urls(text: str) -> str:
    """Every ``?query`` in free text (a request log line) through :func:`redact_query`, then
    the whole line as text, percent-decoded when that reveals a secret (a path segment)."""
    if "?" in text:
        text = _URL_QUERY.sub(lambda m: "?" + redact_query(m.group(1)), text)
    return _redact_encoded(text)


_TOKENISH = re.compile(r"[A-Za-z0-9_\-.~+/=]{24,}")


def redact_echo(value: str) -> str:
    """A value the mock echoes back (an offending ``userName``): redacted when it looks like
    a token (a secret's shape, or a long run without spaces or ``@``), else kept."""
    if redact_text(value) != value or _TOKENISH.fullmatch(value):
        return REDACTED
    return value


def redact(value: Any) -> Any:
    """A copy of ``value`` with secret-named fields and secret-shaped strings replaced."""
    if isinstance(value, dict):
        # SCIM attribute names are case-insensitive: ``"Path": "Password"`` counts too.
        secret_path = any(
            isinstance(k, str)
            and k.lower() == "path"
            and isinstance(v, str)
            and "password" in v.lower()
            for k, v in value.items()
        )
        return {
            (redact_text(k) if isinstance(k, str) else k): (
                REDACTED
                if isinstance(k, str)
                and (k.lower() in SECRET_KEYS or (secret_path and k.lower() == "value"))
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
