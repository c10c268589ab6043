"""User POST, PUT, GET and DELETE in the ``exact`` profile (ssoready/ssoready c33d0e0
``internal/authservice/scim.go`` ``scimCreateUser``/``scimUpdateUser``/``scimGetUser``/
``scimDeleteUser``, ``sqlc/queries.sql`` ``AuthUpsertSCIMUser``/``AuthUpdateSCIMUser``)."""

from __future__ import annotations

from mockscim.testing.server import MockServer

from .conftest import USER_SCHEMA, Tenant, app_user, user_body


def test_post_upserts_on_the_exact_case_sensitive_email(
    profile: str, profiled: MockServer, ptenant: Tenant
) -> None:
    """queries.sql ``AuthUpsertSCIMUser``: ``on conflict (scim_directory_id, email)``, email
    exactly as sent (varchar, case-sensitive); scim.go ``scimCreateUser`` answers 201 for an
    update too. ``rfc``: the match ignores case and an update answers 200."""
    first = ptenant.create_user("bob@acme.test")
    again = ptenant.scim("POST", "/Users", user_body("bob@acme.test", title="CTO"))
    other = ptenant.scim("POST", "/Users", user_body("Bob@acme.test"))
    if profile == "exact":
        assert again.status_code == 201 and again.json()["id"] == first["id"]
        assert other.status_code == 201 and other.json()["id"] != first["id"]
        listed = ptenant.scim("GET", "/Users").json()["resources"]
        assert sorted(u["userName"] for u in listed) == ["Bob@acme.test", "bob@acme.test"]
    else:
        assert again.status_code == 200 and again.json()["id"] == first["id"]
        assert other.status_code == 200 and other.json()["id"] == first["id"]


def test_attributes_are_the_body_minus_schemas_password_included(
    profile: str, profiled: MockServer, ptenant: Tenant
) -> None:
    """scim.go ``scimCreateUser``: ``delete(resource, "schemas")`` is the only change, so
    ``userName``, a client-sent ``id`` and ``password`` are stored and the app API returns
    them; the journal still redacts the password. ``rfc``: RFC 7644 drops ``password``."""
    body = user_body("ada@acme.test", password="hunter2-secret", id="client-id", active="True")
    r = ptenant.scim("POST", "/Users", body)
    assert r.status_code == 201
    seen = app_user(profiled, r.json()["id"])
    if profile == "exact":
        expected = {k: v for k, v in body.items() if k != "schemas"}
        assert seen.attributes == expected
        assert r.json()["active"] is True  # scimUserToResource normalises "True" on output
        assert r.json()["id"] != "client-id"
    else:
        assert "password" not in seen.attributes
    journal = profiled.mock.journal.entries(surface="ssoready-scim")
    assert journal and all("hunter2-secret" not in (e.request_text or "") for e in journal)
    assert all("hunter2-secret" not in (e.response_text or "") for e in journal)


def test_post_with_active_false_is_not_deleted(exact: MockServer, xtenant: Tenant) -> None:
    """scim.go ``scimCreateUser`` always stores ``Deleted: false``."""
    user = xtenant.create_user("ada@acme.test", active=False)
    seen = app_user(exact, user["id"])
    assert seen.deleted is False and seen.attributes["active"] is False


def test_response_shape_has_no_meta_and_sorted_keys(xtenant: Tenant) -> None:
    """scim.go ``scimUserToResource`` + ``json.NewEncoder``: attributes, ``id``, ``userName``,
    ``schemas`` only (no ``meta``, ``ETag`` or ``Location``), keys sorted, a trailing newline."""
    r = xtenant.scim("POST", "/Users", user_body("ada@acme.test"))
    assert r.status_code == 201
    assert "Location" not in r.headers and "ETag" not in r.headers
    body = r.json()
    assert "meta" not in body and "groups" not in body
    assert body["schemas"] == [USER_SCHEMA]
    assert list(body) == sorted(body) and r.text.endswith("}\n")
    got = xtenant.scim("GET", f"/Users/{body['id']}")
    assert got.status_code == 200 and got.json() == body and "ETag" not in got.headers


def test_put_revives_a_deleted_user_and_replaces_attributes(
    profile: str, profiled: MockServer, ptenant: Tenant
) -> None:
    """queries.sql ``AuthUpdateSCIMUser`` has no deleted filter and scim.go ``scimUpdateUser``
    sets ``Deleted: !active`` (``active`` absent means true). ``rfc``: PUT of a deleted user
    is 404."""
    user = ptenant.create_user("ada@acme.test", title="CTO")
    assert ptenant.scim("DELETE", f"/Users/{user['id']}").status_code == 204
    body = {"userName": "ada@acme.test", "displayName": "Ada"}
    r = ptenant.scim("PUT", f"/Users/{user['id']}", body)
    if profile == "exact":
        assert r.status_code == 200
        seen = app_user(profiled, user["id"])
        assert seen.deleted is False
        assert seen.attributes == {"userName": "ada@acme.test", "displayName": "Ada"}
    else:
        assert r.status_code == 404


def test_put_with_active_false_soft_deletes(exact: MockServer, xtenant: Tenant) -> None:
    """scim.go ``scimUpdateUser``: ``Deleted: !active``."""
    user = xtenant.create_user("ada@acme.test")
    r = xtenant.scim("PUT", f"/Users/{user['id']}", user_body("ada@acme.test", active=False))
    assert r.status_code == 200 and r.json()["active"] is False
    assert app_user(exact, user["id"]).deleted is True


def test_put_without_username_is_400_plain_text(xtenant: Tenant) -> None:
    """scim.go ``scimUpdateUser``: ``http.Error(w, "userName is required", 400)``."""
    user = xtenant.create_user("ada@acme.test")
    r = xtenant.scim("PUT", f"/Users/{user['id']}", {"active": True})
    assert r.status_code == 400 and r.text == "userName is required\n"
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"


def test_put_with_entra_string_active_crashes(exact: MockServer, xtenant: Tenant) -> None:
    """scim.go ``scimUpdateUser``: ``active = resource["active"].(bool)`` panics on
    Entra's ``"True"``; nothing is stored."""
    user = xtenant.create_user("ada@acme.test", title="CTO")
    xtenant.crashes("PUT", f"/Users/{user['id']}", user_body("ada@acme.test", active="True"))
    assert app_user(exact, user["id"]).attributes["title"] == "CTO"


def test_post_without_string_username_crashes(xtenant: Tenant) -> None:
    """scim.go ``scimCreateUser``: ``resource["userName"].(string) // todo this may panic``."""
    xtenant.crashes("POST", "/Users", {"userName": 7})
    xtenant.crashes("POST", "/Users", {"name": {"givenName": "x"}})
    xtenant.crashes("POST", "/Users", raw=b"")


def test_get_unknown_user_is_404_without_body(xtenant: Tenant) -> None:
    """scim.go ``scimGetUser``: ``w.WriteHeader(http.StatusNotFound)``, nothing else; a
    deleted user is not found either (``AuthGetSCIMUser`` filters ``deleted = false``)."""
    r = xtenant.scim("GET", "/Users/scim_user_0000000000000000000000000")
    assert r.status_code == 404 and r.content == b"" and "Content-Type" not in r.headers
    user = xtenant.create_user("ada@acme.test")
    assert xtenant.scim("DELETE", f"/Users/{user['id']}").status_code == 204
    assert xtenant.scim("GET", f"/Users/{user['id']}").status_code == 404


def test_delete_twice_crashes(profile: str, ptenant: Tenant) -> None:
    """store/auth_scim.go ``AuthDeleteSCIMUser`` reads the user with ``deleted = false``;
    scim.go ``scimDeleteUser`` panics on its error. ``rfc``: 404."""
    user = ptenant.create_user("ada@acme.test")
    assert ptenant.scim("DELETE", f"/Users/{user['id']}").status_code == 204
    if profile == "exact":
        ptenant.crashes("DELETE", f"/Users/{user['id']}")
    else:
        assert ptenant.scim("DELETE", f"/Users/{user['id']}").status_code == 404


def test_email_domain_compare_is_exact_on_the_stored_domain(exact: MockServer) -> None:
    """scim.go ``scimCreateUser`` compares the lower-cased email domain with the stored
    domains as they are: an organization domain stored as ``Acme.test`` never matches."""
    from .conftest import make_tenant

    tenant = make_tenant(exact.ssoready_client(), domains=("Acme.test",))
    r = tenant.scim("POST", "/Users", user_body("ada@acme.test"))
    assert r.status_code == 400
    assert r.text == (
        '{"detail":"userName is not from the list of allowed domains: Acme.test","status":400}\n'
    )
