"""Everything a user can configure, in one dataclass.

The CLI, the pytest plugin and ``MockServer`` all build a :class:`Settings`; nothing else reads
environment variables or flags, so one object fully describes a mock instance.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
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
    # Per-vendor public URLs, when one host cannot serve both (socket-free mode: Stytch's SCIM
    # base URLs live on test.stytch.com, SSOReady's scimBaseUrl on auth.ssoready.com). Empty:
    # ``public_url``, else the request's host. Read as ``<vendor name>_public_url``.
    stytch_public_url: str = ""
    ssoready_public_url: str = ""

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

    # Exposure (the /_mockscim control plane). When set, every /_mockscim request except
    # /_mockscim/health and the dashboard's static /_mockscim/ui* files must carry this value
    # in the X-Mockscim-Control-Token header: anyone who reaches the port could otherwise
    # replace the state (and with it every token digest).
    control_token: str | None = None
    # Host header names (besides loopback names, IP literals and public_url's host) the
    # control plane answers; anything else is refused so DNS rebinding cannot read the state.
    allowed_hosts: tuple[str, ...] = ()

    # One log line per request on the "mockscim.requests" logger (INFO), naming the surface,
    # the credential that authenticated it and the error kind; `serve --quiet` turns it off.
    log_requests: bool = True

    # Limits
    # Longest request path (characters) a surface accepts before answering 414 in its format.
    max_path_length: int = 8192
    max_body_bytes: int = 1 * 1024 * 1024
    # Body limit of the mock's own bulk routes (PUT /_mockscim/state with a snapshot or a
    # scenario, and the scenario builder's requests): what the mock produces at 50k users
    # must load back; max_body_bytes stays the limit of every vendor route.
    max_state_bytes: int = 512 * 1024 * 1024
    scim_max_results: int = 1000
    scim_default_count: int = 100
    journal_size: int = 1000
    # Body text the journal keeps at most (oldest entries go first).
    journal_max_bytes: int = 16 * 1024 * 1024

    # Clock: None for real time; an ISO 8601 string freezes the clock there at start.
    frozen_at: str | None = None

    # Data
    seed: int | None = None
    scenario: str | None = None
    state_file: str | None = None

    # Webhooks (mockscim.engine.webhooks): endpoints registered at start and kept by resets,
    # one shared secret for them (each gets a generated one when None), and an event-type
    # filter (empty: every event). Retry delays are Svix's schedule times webhook_retry_scale
    # (0.001 turns 10 hours into 36 s of mock time); webhook_timeout is per attempt, seconds.
    webhooks: tuple[str, ...] = ()
    webhook_secret: str | None = None
    webhook_events: tuple[str, ...] = ()
    # Custom headers (name, value) sent with every delivery to those endpoints (Svix's
    # endpoint ``headers``; `serve --webhook-header 'Name: value'`).
    webhook_headers: tuple[tuple[str, str], ...] = ()
    webhook_retry_scale: float = 1.0
    webhook_timeout: float = 15.0

    def with_overrides(self, **kwargs: Any) -> Settings:
        """Return a copy with the given fields replaced, ignoring None values."""
        return replace(self, **{k: v for k, v in kwargs.items() if v is not None})
