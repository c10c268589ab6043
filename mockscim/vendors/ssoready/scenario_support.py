"""Hooks the scenario loader uses to pin author-chosen secrets (see mockscim/scenario.py)."""

from __future__ import annotations

from mockscim.runtime import Mock
from mockscim.tokens import TokenRecord
from mockscim.vendors.ssoready.state import SSOReadyState


def pin_token(mock: Mock, directory_id: str, token: str) -> None:
    """Make ``token`` the directory's bearer token (replacing the minted one). Callers hold
    the store lock."""
    state: SSOReadyState = mock.store.vendor("ssoready")
    directory = state.directories[directory_id]
    directory.token = TokenRecord.issue(token, mock.clock.now())
