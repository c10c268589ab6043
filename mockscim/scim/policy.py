"""Where a vendor's SCIM server departs from plain RFC 7644.

The SCIM core is one mechanism; each vendor supplies a :class:`ScimPolicy` subclass that
chooses ids, adds validation rules (SSOReady's domain rule), decides what a duplicate
``userName`` or a DELETE means, and reacts to writes (Stytch turns users into members).
Every hook runs inside the store lock, in the same critical section as the write itself, so a
vendor's derived state can never be seen half-updated. A vendor's resolver binds a policy to
one request: the instance carries the vendor state, the instant and the request facts its
hooks read, so no hook reaches for globals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Response

from mockscim.engine.tokens import random_uuid
from mockscim.scim.errors import ScimError

if TYPE_CHECKING:
    from mockscim.scim.directory import ScimDirectory, ScimRecord


class ScimPolicy:
    """The RFC 7644 behaviour; vendors override what they do differently."""

    vendor = "generic"
    #: POST of an existing userName updates that user (SSOReady) instead of answering 409.
    upsert_on_username = False
    #: DELETE keeps a tombstone the vendor's own API still shows (SSOReady's ``deleted: true``).
    soft_delete = False
    #: Group displayName must be unique in the directory (409 otherwise).
    unique_group_names = False
    #: Name of the list key in ListResponse (the real SSOReady server says ``resources``).
    list_key = "Resources"
    #: ``startIndex`` echoed in ListResponse is 0-based (an SSOReady quirk) when True.
    zero_based_start_echo = False

    def new_id(self, kind: str) -> str:
        return random_uuid()

    def check_filter(self, kind: str, text: str) -> str | None:
        """Reject filters the vendor does not support (only in quirk-reproducing profiles), or
        return a rewritten filter (a vendor's own attribute names); None keeps ``text``."""
        return None

    def check_user(self, directory: ScimDirectory, data: dict[str, Any]) -> None:
        """Raise :class:`ScimError` for a user the vendor would refuse."""

    def check_user_write(
        self, directory: ScimDirectory, data: dict[str, Any], rid: str | None
    ) -> None:
        """Like :meth:`check_user`, knowing which user is written (``rid``; None for a POST),
        for rules that compare the user with the others (a vendor's uniqueness). Runs before
        any mutation; the default is :meth:`check_user`."""
        self.check_user(directory, data)

    def check_group(self, directory: ScimDirectory, data: dict[str, Any]) -> None:
        """Raise :class:`ScimError` for a group the vendor would refuse."""

    def user_written(self, directory: ScimDirectory, record: ScimRecord, created: bool) -> None:
        """A user was created, replaced, patched or revived."""

    def user_deleted(self, directory: ScimDirectory, record: ScimRecord) -> None:
        """A user was deleted through SCIM."""

    def group_written(
        self, directory: ScimDirectory, record: ScimRecord, created: bool, affected: set[str]
    ) -> None:
        """A group was written; ``affected`` holds the user ids whose membership changed."""

    def group_deleted(
        self, directory: ScimDirectory, record: ScimRecord, affected: set[str]
    ) -> None:
        """A group was deleted; ``affected`` holds its former member ids."""

    @classmethod
    def error_response(cls, error: ScimError) -> Response | None:
        """Render ``error`` the vendor's way, or None for the SCIM error JSON."""
        return None


GENERIC = ScimPolicy()
