"""How each IdP shapes its SCIM requests: Okta, Microsoft Entra ID, and plain RFC 7644.

The sync engine decides *what* must change (create this user, drop that member); a profile
decides *how* its IdP says it on the wire. Habits follow docs/idp.md (and the IdPs' published
provisioning traffic): Okta updates profiles with PUT and never DELETEs users; Entra PATCHes
only, capitalises ops, sends booleans as strings unless the tenant URL carries
``?aadOptscim062020``, and removes members with a value array.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mockscim.idp.model import DesiredGroup, DesiredUser

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

#: User attributes a profile compares between pushes, with their SCIM PATCH paths.
SIMPLE_PATHS = {
    "user_name": "userName",
    "display_name": "displayName",
    "given_name": "name.givenName",
    "family_name": "name.familyName",
    "title": "title",
    "email": 'emails[type eq "work"].value',
    "department": f"{ENTERPRISE}:department",
    "employee_number": f"{ENTERPRISE}:employeeNumber",
    "manager": f"{ENTERPRISE}:manager",
}


@dataclass(frozen=True)
class Call:
    """One SCIM request a profile wants sent (path relative to the base URL)."""

    method: str
    path: str
    body: Any = None
    params: dict[str, str] = field(default_factory=dict)


def quote(value: str) -> str:
    """A SCIM filter string literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def patch(ops: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schemas": [PATCH_OP], "Operations": ops}


def user_value(user: DesiredUser, attr: str, manager_id: str | None) -> Any:
    if attr == "display_name":
        return user.shown_name
    if attr == "email":
        return user.primary_email
    if attr == "manager":
        return manager_id
    return getattr(user, attr)


class Profile:
    """Plain RFC 7644: lowercase ops, real booleans, PATCH updates, DELETE to deprovision."""

    name = "generic"
    #: Attributes looked up with ``eq`` before creating a user, in order.
    user_match: tuple[str, ...] = ("userName",)
    #: Profile updates: "PUT" the whole resource or "PATCH" the changes.
    update_method = "PATCH"
    #: A user leaving the directory: "deactivate" (PATCH active false) or "delete".
    on_unassign = "delete"
    #: Whether users are ever DELETEd (Okta: never).
    deletes_users = True
    sends_external_id = True
    #: POST /Groups carries the members (else an empty group, then PATCH add).
    create_group_with_members = True
    #: Group lookups and reads ask the server to leave members out.
    exclude_members = False

    def __init__(self, flags: dict[str, str] | None = None) -> None:
        self.flags = flags or {}

    # ------------------------------------------------------------------ wire details
    def op(self, name: str) -> str:
        return name

    def boolean(self, value: bool) -> Any:
        return value

    # ------------------------------------------------------------------ users
    #: Page through every user before the first push (Okta's import), instead of looking
    #: each one up; users the import did not return are still looked up before a create.
    imports_users = False
    import_page_size = 100

    def import_page(self, start_index: int) -> Call:
        params = {"startIndex": str(start_index), "count": str(self.import_page_size)}
        return Call("GET", "/Users", params=params)

    def user_lookups(self, user: DesiredUser) -> list[Call]:
        calls = []
        for attr in self.user_match:
            value = user.key if attr == "externalId" else user.user_name
            calls.append(Call("GET", "/Users", params={"filter": f"{attr} eq {quote(value)}"}))
        return calls

    def user_resource(self, user: DesiredUser, manager_id: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "schemas": [USER_SCHEMA],
            "userName": user.user_name,
            "name": {
                "givenName": user.given_name,
                "familyName": user.family_name,
                "formatted": " ".join(p for p in (user.given_name, user.family_name) if p),
            },
            "displayName": user.shown_name,
            "emails": [{"value": user.primary_email, "type": "work", "primary": True}],
            "active": user.active,
        }
        if self.sends_external_id:
            body["externalId"] = user.key
        if user.title:
            body["title"] = user.title
        enterprise = {
            k: v
            for k, v in (
                ("department", user.department),
                ("employeeNumber", user.employee_number),
                ("manager", {"value": manager_id} if manager_id else None),
            )
            if v
        }
        if enterprise:
            body["schemas"].append(ENTERPRISE)
            body[ENTERPRISE] = enterprise
        return body

    def create_user(self, user: DesiredUser, manager_id: str | None) -> Call:
        return Call("POST", "/Users", self.user_resource(user, manager_id))

    def changed_attrs(
        self,
        old: DesiredUser | None,
        new: DesiredUser,
        old_manager: str | None,
        manager_id: str | None,
    ) -> list[str]:
        if old is None:
            return list(SIMPLE_PATHS)
        out = []
        for attr in SIMPLE_PATHS:
            before = old_manager if attr == "manager" else user_value(old, attr, None)
            if before != user_value(new, attr, manager_id):
                out.append(attr)
        return out

    def update_user(
        self,
        scim_id: str,
        old: DesiredUser | None,
        new: DesiredUser,
        attrs: list[str],
        manager_id: str | None,
    ) -> Call:
        """Send the profile changes in ``attrs`` (``old`` None: everything, after a link).

        ``active`` changes travel separately (:meth:`set_active`), except after a link.
        """
        if self.update_method == "PUT":
            body = self.user_resource(new, manager_id)
            body["id"] = scim_id
            return Call("PUT", f"/Users/{scim_id}", body)
        ops = []
        for attr in attrs:
            value = user_value(new, attr, manager_id)
            if value in (None, ""):
                if old is not None:
                    ops.append({"op": self.op("remove"), "path": SIMPLE_PATHS[attr]})
                continue
            if attr == "manager":
                value = self.manager_value(value)
            ops.append({"op": self.op("replace"), "path": SIMPLE_PATHS[attr], "value": value})
        if old is None:
            ops.append(self.active_op(new.active))
        return Call("PATCH", f"/Users/{scim_id}", patch(ops))

    def manager_value(self, manager_id: str) -> Any:
        return {"value": manager_id}

    def active_op(self, active: bool) -> dict[str, Any]:
        return {"op": self.op("replace"), "path": "active", "value": self.boolean(active)}

    def set_active(self, scim_id: str, active: bool) -> Call:
        return Call("PATCH", f"/Users/{scim_id}", patch([self.active_op(active)]))

    def delete_user(self, scim_id: str) -> Call:
        return Call("DELETE", f"/Users/{scim_id}")

    # ------------------------------------------------------------------ groups
    def group_params(self) -> dict[str, str]:
        return {"excludedAttributes": "members"} if self.exclude_members else {}

    def group_lookup(self, group: DesiredGroup) -> Call:
        params = {"filter": f"displayName eq {quote(group.display_name)}", **self.group_params()}
        return Call("GET", "/Groups", params=params)

    def member(self, scim_id: str, display: str | None) -> dict[str, Any]:
        return {"value": scim_id}

    def create_group(self, group: DesiredGroup, members: dict[str, str]) -> Call:
        """``members``: SCIM user id -> display."""
        body: dict[str, Any] = {"schemas": [GROUP_SCHEMA], "displayName": group.display_name}
        if self.sends_external_id:
            body["externalId"] = group.key
        body["members"] = (
            [self.member(i, d) for i, d in members.items()]
            if self.create_group_with_members
            else []
        )
        return Call("POST", "/Groups", body)

    def rename_ops(self, scim_id: str, name: str) -> list[dict[str, Any]]:
        return [{"op": self.op("replace"), "path": "displayName", "value": name}]

    def add_members_ops(self, members: dict[str, str]) -> list[dict[str, Any]]:
        value = [self.member(i, d) for i, d in members.items()]
        return [{"op": self.op("add"), "path": "members", "value": value}]

    def remove_members_ops(self, ids: list[str]) -> list[dict[str, Any]]:
        return [{"op": self.op("remove"), "path": f"members[value eq {quote(i)}]"} for i in ids]

    def update_group(
        self,
        scim_id: str,
        new_name: str | None,
        add: dict[str, str],
        remove: list[str],
    ) -> list[Call]:
        ops: list[dict[str, Any]] = []
        if new_name is not None:
            ops += self.rename_ops(scim_id, new_name)
        if add:
            ops += self.add_members_ops(add)
        if remove:
            ops += self.remove_members_ops(remove)
        return [Call("PATCH", f"/Groups/{scim_id}", patch(ops))] if ops else []

    def membership_check(self, group_id: str, user_id: str) -> Call | None:
        """A request asking whether a user is already a member (Entra), or None."""
        return None

    def delete_group(self, scim_id: str) -> Call:
        return Call("DELETE", f"/Groups/{scim_id}")


class OktaProfile(Profile):
    """Okta: PUT for profile changes, PATCH ``active: false`` instead of ever deleting a user."""

    name = "okta"
    imports_users = True
    update_method = "PUT"
    on_unassign = "deactivate"
    deletes_users = False
    sends_external_id = False
    create_group_with_members = False

    def active_op(self, active: bool) -> dict[str, Any]:
        return {"op": "replace", "value": {"active": active}}

    def member(self, scim_id: str, display: str | None) -> dict[str, Any]:
        return {"value": scim_id, "display": display or scim_id}

    def rename_ops(self, scim_id: str, name: str) -> list[dict[str, Any]]:
        return [{"op": "replace", "value": {"id": scim_id, "displayName": name}}]


class EntraProfile(Profile):
    """Microsoft Entra ID's provisioning service."""

    name = "entra"
    user_match = ("userName",)
    update_method = "PATCH"
    on_unassign = "deactivate"
    exclude_members = True

    @property
    def rfc_mode(self) -> bool:
        """The tenant URL carries ``aadOptscim062020``: lowercase ops and real booleans."""
        return "aadoptscim062020" in self.flags

    def op(self, name: str) -> str:
        return name if self.rfc_mode else name.capitalize()

    def boolean(self, value: bool) -> Any:
        if self.rfc_mode:
            return value
        return "True" if value else "False"

    def update_user(
        self,
        scim_id: str,
        old: DesiredUser | None,
        new: DesiredUser,
        attrs: list[str],
        manager_id: str | None,
    ) -> Call:
        if self.rfc_mode:
            return super().update_user(scim_id, old, new, attrs, manager_id)
        # Without the flag Entra folds simple attributes into one no-path Replace with dotted
        # keys, and keeps path operations for value filters and extension URNs.
        folded: dict[str, Any] = {}
        ops: list[dict[str, Any]] = []
        for attr in attrs:
            value = user_value(new, attr, manager_id)
            path = SIMPLE_PATHS[attr]
            if value in (None, ""):
                if old is not None:
                    ops.append({"op": "Remove", "path": path})
            elif "[" in path or path.startswith("urn:"):
                ops.append({"op": "Replace", "path": path, "value": value})
            else:
                folded[path] = value
        if old is None:
            folded["active"] = self.boolean(new.active)
        if folded:
            ops.insert(0, {"op": "Replace", "value": folded})
        return Call("PATCH", f"/Users/{scim_id}", patch(ops))

    def user_resource(self, user: DesiredUser, manager_id: str | None) -> dict[str, Any]:
        body = super().user_resource(user, manager_id)
        if manager_id:
            body[ENTERPRISE]["manager"] = self.manager_value(manager_id)
        return body

    def manager_value(self, manager_id: str) -> Any:
        return manager_id  # Entra writes the manager as a bare id

    def remove_members_ops(self, ids: list[str]) -> list[dict[str, Any]]:
        return [{"op": self.op("remove"), "path": "members", "value": [{"value": i} for i in ids]}]

    def membership_check(self, group_id: str, user_id: str) -> Call | None:
        flt = f"id eq {quote(group_id)} and members[value eq {quote(user_id)}]"
        return Call("GET", "/Groups", params={"filter": flt, "excludedAttributes": "members"})


PROFILES: dict[str, type[Profile]] = {
    "okta": OktaProfile,
    "entra": EntraProfile,
    "generic": Profile,
}


def get_profile(name: str, flags: dict[str, str] | None = None) -> Profile:
    try:
        return PROFILES[name.lower()](flags)
    except KeyError:
        raise ValueError(
            f"unknown IdP profile {name!r}; choose from {', '.join(PROFILES)}"
        ) from None
