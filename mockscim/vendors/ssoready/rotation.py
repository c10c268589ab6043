"""SSOReady's one-step SCIM bearer-token rotation: mint a new token, and the old one is dead.

There is no grace period and no second token (store/scim_directories_mgmt.go overwrites the
single ``bearer_token_sha256`` column). Callers hold the store lock for both ``rotate`` and
``authenticate``, so a SCIM request that authenticates with the old token has either finished
entirely before the rotation or fails after it: once ``rotate-bearer-token`` has returned, no
request presenting the previous token can succeed.
"""

from __future__ import annotations

from datetime import datetime

from mockscim.engine.tokens import TokenRecord
from mockscim.vendors.ssoready.state import TOKEN_PREFIX, DirectoryRecord, new_id


def mint() -> str:
    """``ssoready_scim_bearer_token_`` + a fresh random UUID in base 36."""
    return new_id(TOKEN_PREFIX)


def rotate(directory: DirectoryRecord, now: datetime) -> str:
    """Replace the directory's token; returns the plaintext, which is never stored."""
    token = mint()
    directory.token = TokenRecord.issue(token, now)
    return token


def authenticate(directory: DirectoryRecord, token: str, now: datetime) -> bool:
    """Whether ``token`` opens ``directory``; a directory without a token opens for nothing."""
    record = directory.token
    if record is None or not token:
        return False
    return record.matches(token, now)
