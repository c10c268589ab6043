"""Redaction by key, by shape and by identity (a credential the process issued)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from mockscim.engine.redaction import (
    REDACTED,
    redact_body_text,
    redact_json_text,
    redact_query,
    redact_text,
    redact_urls,
)
from mockscim.engine.tokens import ISSUED, IssuedSecrets, TokenRecord, random_alphanumeric

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_a_token_of_any_shape_the_process_issued_is_redacted_where_it_stands_alone() -> None:
    token = "plain-words-but-issued-" + random_alphanumeric(6).lower()
    assert redact_text(f"/Users/{token}") == f"/Users/{token}"  # no shape, not issued yet
    TokenRecord.issue(token, T0)
    assert redact_text(f"/Users/{token}") == f"/Users/{REDACTED}"
    assert redact_text(f"it was {token}.") == f"it was {REDACTED}."
    assert redact_text(f"a.{token}.b") == f"a.{REDACTED}.b"
    assert redact_json_text(json.dumps({"externalId": token})) == f'{{"externalId": "{REDACTED}"}}'


def test_restored_token_records_are_redacted_too() -> None:
    token = "restored-credential-" + random_alphanumeric(8).lower()
    record = TokenRecord.issue(token, T0).to_json()
    registry = IssuedSecrets()
    assert not registry.holds(token)
    # from_json feeds the process registry, as a state file or snapshot load does
    ISSUED._digests.pop(record["digest"])  # type: ignore[arg-type]
    assert not ISSUED.holds(token)
    TokenRecord.from_json(record)
    assert ISSUED.holds(token)


def test_registry_is_bounded_oldest_first() -> None:
    registry = IssuedSecrets(limit=2)
    for i in range(3):
        registry.remember(f"{i:064x}")
    assert len(registry) == 2 and f"{0:064x}" not in registry._digests


def test_shapes_need_no_hint_word() -> None:
    stytch = random_alphanumeric(48)
    session = "mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q"
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtZW1iZXIifQ.c2lnbmF0dXJl"
    for secret in (stytch, session, jwt, "ssoready_scim_bearer_token_abc123"):
        assert redact_text(f'userName eq "{secret}"') == f'userName eq "{REDACTED}"'
    # ids keep their shape: lowercase, or a prefix with a UUID
    for kept in (
        "member-test-07971b06-ac8b-4cdb-9c15-63b17e653931",
        "organization-test-07971b06-ac8b-4cdb-9c15-63b17e653931",
        "scim_directory_6h7czqzta918d7dem187xmmxo",
        "abcdefghijklmnopqrstuvwxyz0123456789abcdefgh",  # 44 characters, lowercase
    ):
        assert redact_text(kept) == kept


def test_query_values_and_names_are_decoded_before_redaction() -> None:
    token = random_alphanumeric(48)
    query = f"filter=userName%20eq%20%22{token}%22&count=1"
    assert redact_query(query) == f"filter=userName%20eq%20%22{REDACTED}%22&count=1"
    assert redact_query(f"{token}=1") == f"{REDACTED}={REDACTED}"
    assert redact_query("filter=userName+eq+%22ada%22") == "filter=userName+eq+%22ada%22"
    line = f'"GET /Users/%22{token}%22?count=1 HTTP/1.1"'
    assert token not in redact_urls(line)


def test_escaped_keys_and_json_under_other_content_types() -> None:
    escaped = '{"userName": "a", "pass\\u0077ord": "Hunter2"}'
    assert "Hunter2" not in redact_json_text(escaped)
    assert "Hunter2" not in redact_body_text(escaped)
    assert "Hunter2" not in redact_body_text('{"password": "Hunter2"}')
    # unparseable, with escapes: decoded before the text pass
    broken = '{"pass\\u0077ord": "Hunter2", '
    assert "Hunter2" not in redact_json_text(broken)
    # a PATCH that sets the password through "path" (escaped and in another case)
    patch = '{"Operations": [{"op": "replace", "Path": "Pass\\u0077ord", "Value": "Hunter2"}]}'
    assert "Hunter2" not in redact_json_text(patch)
    assert redact_body_text("a=b&c=d") == "a=b&c=d"
    assert json.loads(redact_body_text('{"userName": "ada"}')) == {"userName": "ada"}
