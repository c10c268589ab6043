"""The sync engine: desired directory + what the IdP already pushed -> the requests to send.

A real IdP remembers, per app, which SCIM id each of its users and groups got (its "IdP
state"); it looks a resource up before creating it (so a second IdP, or a lost state, links
to what exists instead of duplicating), and afterwards sends only what changed since its last
successful push. State is updated after every successful request, so a push cut short (a 401
after a token rotation) loses nothing: re-running it with the new token sends exactly the
writes that did not happen.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mockscim.idp.client import PushAborted, ScimClient, ScimResult
from mockscim.idp.model import DesiredGroup, DesiredUser, Directory
from mockscim.idp.profiles import Call, Profile, get_profile
from mockscim.idp.report import PushReport

Progress = Callable[[int, int], None]


@dataclass
class UserLink:
    scim_id: str
    #: The user as last pushed (None right after linking to a resource the IdP did not create).
    pushed: DesiredUser | None = None
    manager_id: str | None = None
    active: bool = True


@dataclass
class GroupLink:
    scim_id: str
    display_name: str | None = None
    #: user key -> SCIM user id, as the IdP believes the server has them.
    members: dict[str, str] = field(default_factory=dict)


@dataclass
class IdpState:
    users: dict[str, UserLink] = field(default_factory=dict)
    groups: dict[str, GroupLink] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "users": {
                k: {**asdict(v), "pushed": v.pushed.to_json() if v.pushed else None}
                for k, v in self.users.items()
            },
            "groups": {k: asdict(v) for k, v in self.groups.items()},
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> IdpState:
        users = {}
        for k, v in (raw.get("users") or {}).items():
            pushed = DesiredUser.from_json(v["pushed"]) if v.get("pushed") else None
            users[k] = UserLink(v["scim_id"], pushed, v.get("manager_id"), v.get("active", True))
        groups = {
            k: GroupLink(v["scim_id"], v.get("display_name"), dict(v.get("members") or {}))
            for k, v in (raw.get("groups") or {}).items()
        }
        return cls(users, groups)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=2))

    @classmethod
    def load(cls, path: str | Path) -> IdpState:
        return cls.from_json(json.loads(Path(path).read_text()))


def resources_of(result: ScimResult) -> list[dict[str, Any]]:
    body = result.body if isinstance(result.body, dict) else {}
    items = body.get("Resources", body.get("resources")) or []
    return [r for r in items if isinstance(r, dict)]


class _Failed(Exception):
    """One resource failed (recorded in the report); the push goes on with the next."""


class IdpPush:
    """Provision a :class:`Directory` into one SCIM base URL the way ``profile`` does."""

    def __init__(
        self,
        client: ScimClient,
        profile: Profile | str = "generic",
        state: IdpState | None = None,
    ) -> None:
        self.client = client
        self.profile = get_profile(profile, client.flags) if isinstance(profile, str) else profile
        self.state = state or IdpState()
        self._report = PushReport(self.profile.name, client.base_url)
        #: lowercased userName -> SCIM id, from an import at the start of a first push
        self._imported: dict[str, str] = {}

    # ------------------------------------------------------------------ plumbing
    def _send(
        self, call: Call, kind: str, key: str, action: str, ok: tuple[int, ...] = ()
    ) -> ScimResult:
        result = self.client.request(call.method, call.path, call.body, call.params or None)
        if not result.ok and result.status not in ok:
            detail = None
            if isinstance(result.body, dict):
                detail = result.body.get("detail") or result.body.get("message")
            self._report.fail(kind, key, action, result.status, detail and str(detail))
            raise _Failed
        return result

    def sync(
        self,
        directory: Directory,
        *,
        hard_delete: bool = False,
        progress: Progress | None = None,
    ) -> PushReport:
        """Send what ``directory`` needs; return a report of this run.

        ``hard_delete``: users that left the directory are DELETEd (Entra's hard delete,
        about 30 days after a soft delete) rather than deactivated; Okta never deletes users.
        """
        self._report = report = PushReport(self.profile.name, self.client.base_url)
        first_request = len(self.client.sent)
        gone_groups = [k for k in self.state.groups if k not in directory.groups]
        gone_users = [
            k for k, link in self.state.users.items() if k not in directory.users and link.active
        ]
        if hard_delete and self.profile.deletes_users:
            gone_users = [k for k in self.state.users if k not in directory.users]
        total = len(directory.users) + len(directory.groups) + len(gone_groups) + len(gone_users)
        done = 0

        def step() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done, total)

        failed: set[str] = set()
        try:
            if self.profile.imports_users and not self.state.users:
                self._imported = self._import_users()
            for user in directory.users.values():
                self._guard(lambda u=user: self._sync_user(u, directory), user.key, failed)
                step()
            # Managers created later in the first pass are filled in now (only deltas go out).
            for user in directory.users.values():
                if user.key not in failed and user.manager:
                    self._guard(lambda u=user: self._sync_user(u, directory), user.key, failed)
            for group in directory.groups.values():
                self._guard(lambda g=group: self._sync_group(g, directory), group.key, failed)
                step()
            for key in gone_groups:
                self._guard(lambda k=key: self._delete_group(k), key, failed)
                step()
            for key in gone_users:
                self._guard(lambda k=key: self._remove_user(k, hard_delete), key, failed)
                step()
        except PushAborted as exc:
            report.aborted = str(exc)
            report.aborted_status = exc.status
        report.requests = self.client.sent[first_request:]
        return report

    @staticmethod
    def _guard(action: Callable[[], None], key: str, failed: set[str]) -> None:
        try:
            action()
        except _Failed:
            failed.add(key)

    # ------------------------------------------------------------------ users
    def _manager_id(self, user: DesiredUser) -> str | None:
        if not user.manager:
            return None
        link = self.state.users.get(user.manager)
        return link.scim_id if link else None

    def _import_users(self) -> dict[str, str]:
        """Page through ``/Users`` (startIndex/count) as Okta's import does; a failed page
        ends the import and the per-user lookups cover the rest."""
        imported: dict[str, str] = {}
        start = 1
        while True:
            try:
                result = self._send(self.profile.import_page(start), "User", "*", "import")
            except _Failed:
                return imported
            page = resources_of(result)
            for resource in page:
                name, rid = resource.get("userName"), resource.get("id")
                if isinstance(name, str) and isinstance(rid, str):
                    imported[name.lower()] = rid
            # Advance by what arrived, not by the echoed startIndex (SSOReady echoes 0-based).
            start += len(page)
            total = result.body.get("totalResults") if isinstance(result.body, dict) else None
            if not page or (isinstance(total, int) and start > total):
                return imported

    def _lookup_user(self, user: DesiredUser) -> str | None:
        known = self._imported.get(user.user_name.lower())
        if known is not None:
            return known
        for call in self.profile.user_lookups(user):
            found = resources_of(self._send(call, "User", user.key, "lookup"))
            if found and found[0].get("id"):
                return str(found[0]["id"])
        return None

    def _sync_user(self, user: DesiredUser, directory: Directory) -> None:
        link = self.state.users.get(user.key)
        manager_id = self._manager_id(user)
        if link is None:
            if not user.active:
                return  # IdPs do not provision people who are not assigned/active
            link = self._link_or_create(user, manager_id)
            if link is None:
                return
        attrs = self.profile.changed_attrs(link.pushed, user, link.manager_id, manager_id)
        if attrs:
            sent = (
                user if self.profile.update_method == "PATCH" else user.changed(active=link.active)
            )
            if link.pushed is None:
                sent = user
            call = self.profile.update_user(link.scim_id, link.pushed, sent, attrs, manager_id)
            result = self._send(call, "User", user.key, "update", ok=(404,))
            if result.status == 404:
                # Deleted behind the IdP's back: forget the link and provision again.
                del self.state.users[user.key]
                self._report.note("User", "relinked")
                self._sync_user(user, directory)
                return
            if link.pushed is None:
                link.active = user.active
            link.pushed = user
            link.manager_id = manager_id
            self._report.note("User", "updated")
        if user.active != link.active:
            self._send(
                self.profile.set_active(link.scim_id, user.active), "User", user.key, "active"
            )
            link.active = user.active
            link.pushed = user
            self._report.note("User", "reactivated" if user.active else "deactivated")

    def _link_or_create(self, user: DesiredUser, manager_id: str | None) -> UserLink | None:
        found = self._lookup_user(user)
        if found is None:
            call = self.profile.create_user(user, manager_id)
            result = self._send(call, "User", user.key, "create", ok=(409,))
            if result.ok and isinstance(result.body, dict) and result.body.get("id"):
                link = UserLink(str(result.body["id"]), user, manager_id, user.active)
                self.state.users[user.key] = link
                self._report.note("User", "created")
                return None
            found = self._lookup_user(user) if result.status == 409 else None
            if found is None:
                self._report.fail("User", user.key, "create", result.status, "no id in response")
                raise _Failed
        link = UserLink(found)
        self.state.users[user.key] = link
        self._report.note("User", "linked")
        return link

    def _remove_user(self, key: str, hard_delete: bool) -> None:
        link = self.state.users[key]
        if (hard_delete and self.profile.deletes_users) or self.profile.on_unassign == "delete":
            self._send(self.profile.delete_user(link.scim_id), "User", key, "delete", ok=(404,))
            del self.state.users[key]
            for group in self.state.groups.values():
                group.members.pop(key, None)
            self._report.note("User", "deleted")
            return
        result = self._send(
            self.profile.set_active(link.scim_id, False), "User", key, "deactivate", ok=(404,)
        )
        if result.status == 404:
            del self.state.users[key]
            return
        link.active = False
        self._report.note("User", "deactivated")

    # ------------------------------------------------------------------ groups
    def _display(self, key: str, directory: Directory) -> str:
        user = directory.users.get(key)
        return user.user_name if user else key

    def _sync_group(self, group: DesiredGroup, directory: Directory) -> None:
        wanted = {
            k: self.state.users[k].scim_id
            for k in group.members
            if k in directory.users and k in self.state.users
        }
        link = self.state.groups.get(group.key)
        if link is None:
            link = self._link_or_create_group(group, wanted, directory)
        rename = group.display_name if link.display_name != group.display_name else None
        add = {k: i for k, i in wanted.items() if link.members.get(k) != i}
        remove = {k: i for k, i in link.members.items() if k not in wanted}
        displays = {i: self._display(k, directory) for k, i in add.items()}
        calls = self.profile.update_group(link.scim_id, rename, displays, list(remove.values()))
        for call in calls:
            result = self._send(call, "Group", group.key, "update", ok=(404,))
            if result.status == 404:
                del self.state.groups[group.key]
                self._report.note("Group", "relinked")
                self._sync_group(group, directory)
                return
        if calls:
            link.display_name = group.display_name
            link.members = dict(wanted)
            self._report.note("Group", "updated")

    def _link_or_create_group(
        self, group: DesiredGroup, wanted: dict[str, str], directory: Directory
    ) -> GroupLink:
        found = self._lookup_group(group)
        if found is None:
            displays = {i: self._display(k, directory) for k, i in wanted.items()}
            call = self.profile.create_group(group, displays)
            result = self._send(call, "Group", group.key, "create", ok=(409,))
            if result.ok and isinstance(result.body, dict) and result.body.get("id"):
                members = wanted if self.profile.create_group_with_members else {}
                link = GroupLink(str(result.body["id"]), group.display_name, dict(members))
                self.state.groups[group.key] = link
                self._report.note("Group", "created")
                return link
            found = self._lookup_group(group) if result.status == 409 else None
            if found is None:
                self._report.fail("Group", group.key, "create", result.status, "no id in response")
                raise _Failed
        group_id = str(found["id"])
        link = GroupLink(group_id, str(found.get("displayName") or ""))
        by_id = {u.scim_id: k for k, u in self.state.users.items()}
        if "members" in found:
            for m in found.get("members") or []:
                key = by_id.get(str(m.get("value"))) if isinstance(m, dict) else None
                if key is not None:
                    link.members[key] = str(m["value"])
        else:
            for key, user_id in wanted.items():
                check = self.profile.membership_check(group_id, user_id)
                if check is not None and resources_of(
                    self._send(check, "Group", group.key, "check")
                ):
                    link.members[key] = user_id
        self.state.groups[group.key] = link
        self._report.note("Group", "linked")
        return link

    def _lookup_group(self, group: DesiredGroup) -> dict[str, Any] | None:
        found = resources_of(
            self._send(self.profile.group_lookup(group), "Group", group.key, "lookup")
        )
        return found[0] if found and found[0].get("id") else None

    def _delete_group(self, key: str) -> None:
        link = self.state.groups[key]
        self._send(self.profile.delete_group(link.scim_id), "Group", key, "delete", ok=(404,))
        del self.state.groups[key]
        self._report.note("Group", "deleted")


def push(
    base_url: str,
    token: str,
    directory: Directory,
    *,
    idp: str = "generic",
    state: IdpState | None = None,
    hard_delete: bool = False,
    **client_options: Any,
) -> tuple[PushReport, IdpState]:
    """One-shot helper: push ``directory`` and return the report and the IdP state."""
    client = ScimClient(base_url, token, **client_options)
    engine = IdpPush(client, idp, state)
    report = engine.sync(directory, hard_delete=hard_delete)
    return report, engine.state
