"""Everything a user can configure, in one dataclass.

The CLI, the pytest plugin and ``MockServer`` all build a :class:`Settings`; nothing else reads
environment variables or flags, so one object fully describes a mock instance.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

DEFAULT_STYTCH_PROJECT_ID = "project-test-00000000-0000-4000-8000-000000000000"
DEFAULT_STYTCH_SECRET = "secret-test-mockscim-not-a-real-secret"
DEFAULT_SSOREADY_API_KEY = "ssoready_sk_mockscimmanagementkey0000000000"
DEFAULT_SSOREADY_APP_KEY = "ssoready_sk_mockscimappkey000000000000000000"


@dataclass
class Settings:
    # Public URL the mock is reachable at; used in base URLs and Location headers. When empty,
    # the request's own host URL is used, which is right for every local setup.
    public_url: str = ""

    # Stytch B2B
    stytch_project_id: str = DEFAULT_STYTCH_PROJECT_ID
    stytch_secret: str = DEFAULT_STYTCH_SECRET
    # Whether the pending (next) token authenticates SCIM requests before rotate/complete.
    stytch_next_token_authenticates: bool = True
    # Lifetime of a SCIM bearer token, counted from when it was minted; None means no expiry.
    stytch_token_lifetime_seconds: int | None = 365 * 24 * 3600

    # SSOReady
    ssoready_api_key: str = DEFAULT_SSOREADY_API_KEY
    ssoready_app_key: str | None = DEFAULT_SSOREADY_APP_KEY
    ssoready_environment_id: str = ""
    # Which SSOReady SCIM server to emulate: "exact" (the default) behaves as SSOReady's own
    # server does, quirks and crashes included; "rfc" keeps SSOReady's auth, ids, errors and
    # app API but answers SCIM per RFC 7644 (for IdP-side clients and conformance tools).
    ssoready_profile: str = "exact"
    # What a client sees where the real SCIM handler panics: "close" (net/http drops the
    # connection without a response, as a bare deployment does) or "502" (what a proxy in
    # front of it answers instead).
    ssoready_crash: str = "close"
    ssoready_page_size: int = 10

    # Limits
    max_body_bytes: int = 1 * 1024 * 1024
    scim_max_results: int = 1000
    scim_default_count: int = 100
    journal_size: int = 1000

    # Clock: None for real time; an ISO 8601 string freezes the clock there at start.
    frozen_at: str | None = None

    # Data
    seed: int | None = None
    scenario: str | None = None
    state_file: str | None = None

    extra: dict[str, Any] = field(default_factory=dict)

    def with_overrides(self, **kwargs: Any) -> Settings:
        """Return a copy with the given fields replaced, ignoring None values."""
        return replace(self, **{k: v for k, v in kwargs.items() if v is not None})
