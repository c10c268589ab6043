"""What each IdP profile's push does to SSOReady's own SCIM server (the ``exact`` profile),
read back as a customer's backend reads it: through the official ``ssoready`` SDK's app API.

Every behaviour here follows ssoready/ssoready c33d0e0 ``internal/authservice/scim.go``
(``scimPatchUser``, ``scimPatchGroup``) and ``internal/scimpatch/scimpatch.go`` (``applyOp``);
docs/idp.md sums them up. Where the real server breaks a flow, the test says so.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockscim.idp import Directory, IdpPush, ScimClient
from mockscim.idp.report import PushReport
from mockscim.settings import Settings
from mockscim.testing.server import MockServer

from .test_push_ssoready import directory, groups, setup_directory, users


@pytest.fixture(scope="module")
def _exact_server() -> Iterator[MockServer]:
    with MockServer(Settings(ssoready_profile="exact")) as server:
        yield server


@pytest.fixture
def exact(_exact_server: MockServer) -> Iterator[MockServer]:
    _exact_server.reset()
    yield _exact_server


class Push:
    """One IdP's provisioning cycles into a fresh SSOReady directory."""

    def __init__(self, server: MockServer, idp: str) -> None:
        self.server = server
        self.client, self.dir_id, base_url, token = setup_directory(server)
        self.engine = IdpPush(ScimClient(base_url, token, sleep=lambda s: None), idp)

    def __call__(self, d: Directory) -> PushReport:
        return self.engine.sync(d)

    def members(self, group: str) -> set[str]:
        team = groups(self.client, self.dir_id)[group]
        return set(users(self.client, self.dir_id, scim_group_id=team.id))

    def crashes(self) -> list[str]:
        entries = self.server.mock.journal.entries(surface="ssoready-scim")
        return [str(e.error_kind) for e in entries if (e.error_kind or "").startswith("crash:")]


def next_cycle(d: Directory) -> Directory:
    """Cy deactivated, Ada renamed, Bob leaves Engineering, Sales dropped."""
    changed = d.copy()
    changed.put_user(d.users["k-cy"].changed(active=False))
    changed.put_user(d.users["k-ada"].changed(family_name="King"))
    changed.put_group(d.groups["g-eng"].changed(members=["k-ada"]))
    del changed.groups["g-sales"]
    return changed


def test_okta(exact: MockServer) -> None:
    """Okta. Its group push adds members with one PATCH ``add`` holding every value, of which
    scim.go ``scimPatchGroup`` adds only ``value[0]``; its deactivation is a no-path
    ``replace`` of ``{"active": false}``, which scimpatch.go ``applyOp`` turns into the whole
    resource; and its member removal (path ``members[value eq "..."]``) is none of
    ``scimPatchGroup``'s three forms: the server panics and the push stops there."""
    push = Push(exact, "okta")
    d = directory()
    first = push(d)
    assert first.ok, first.summary()
    assert push.members("Engineering") == {"ada@acme.test"}  # Bob silently not added

    second = push(next_cycle(d))
    assert not second.ok and second.aborted is not None
    assert push.crashes() == ["crash:unsupported group PATCH operation type"]
    people = users(push.client, push.dir_id)
    assert people["cy@acme.test"].deleted is True
    assert people["cy@acme.test"].attributes == {"active": False}
    assert people["ada@acme.test"].attributes["name"]["familyName"] == "King"

    # Reactivated: the attributes hold only what Okta's PATCH said.
    back = next_cycle(d)
    back.put_user(back.users["k-cy"].changed(active=True))
    del back.groups["g-eng"]  # keep the crashing removal out of this cycle
    push(back)
    cy = users(push.client, push.dir_id)["cy@acme.test"]
    assert cy.deleted is False and cy.attributes == {"active": True}


def test_entra(exact: MockServer) -> None:
    """Entra (without its ``aadOptscim062020`` flag) folds attribute changes into one
    no-path ``Replace`` with dotted keys; scimpatch.go ``applyOp`` makes that object the whole
    resource, and scim.go ``scimUserFromResource`` reads the missing ``active`` as false: a
    renamed user is *deleted*, its attributes only the dotted keys. Its member removal (a
    ``Remove`` on ``members`` with a value) and group DELETE work; the deleted group keeps
    listing its members (store/auth_scim.go ``AuthDeleteSCIMGroup``)."""
    push = Push(exact, "entra")
    d = directory()
    assert push(d).ok
    assert push.members("Engineering") == {"ada@acme.test", "bob@acme.test"}

    second = push(next_cycle(d))
    assert second.ok, second.summary()
    ada = users(push.client, push.dir_id)["ada@acme.test"]
    assert ada.deleted is True
    assert ada.attributes == {"displayName": "Ada King", "name.familyName": "King"}
    assert push.members("Engineering") == {"ada@acme.test"}
    assert groups(push.client, push.dir_id)["Sales"].deleted is True
    assert push.members("Sales") == {"cy@acme.test"}
    assert push.crashes() == []


def test_generic(exact: MockServer) -> None:
    """The generic RFC 7644 client posts groups with their members (scim.go
    ``scimCreateGroup`` stores them all) and patches users with paths, which works; its
    member removal by filter path makes scim.go ``scimPatchGroup`` panic."""
    push = Push(exact, "generic")
    d = directory()
    assert push(d).ok
    assert push.members("Engineering") == {"ada@acme.test", "bob@acme.test"}

    second = push(next_cycle(d))
    assert not second.ok and second.aborted is not None
    assert push.crashes() == ["crash:unsupported group PATCH operation type"]
    people = users(push.client, push.dir_id)
    assert people["ada@acme.test"].deleted is False
    assert people["ada@acme.test"].attributes["name"]["familyName"] == "King"
    assert push.members("Engineering") == {"ada@acme.test", "bob@acme.test"}
