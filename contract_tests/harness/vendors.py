"""Vendor drivers for the scenario suites: each call is one observable step.

A driver creates resources with the run's prefix, pushes their undo onto the cleanup stack as
soon as they exist, learns every token it is given (so logs never show them), and records each
named step's observation for the divergence report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from contract_tests.harness.http import Http, Resp, basic, bearer
from contract_tests.harness.safety import Cleanup, Namer
from contract_tests.harness.targets import Target
from mockscim.contract.report import Observation, Results


@dataclass
class Driver:
    target: Target
    http: Http
    namer: Namer
    cleanup: Cleanup
    results: Results | None = None
    scenario: str = ""
    steps: list[str] = field(default_factory=list)

    def record(self, step: str | None, resp: Resp) -> Resp:
        if step and self.results is not None:
            key = f"{self.scenario}/{step}"
            self.steps.append(key)
            self.results.record(key, Observation.of(resp.status, resp.json, resp.text))
        return resp

    def learn(self, secret: str | None) -> None:
        self.target.scrubber.add(secret)

    def scim(
        self,
        step: str | None,
        base_url: str,
        token: str | None,
        method: str,
        path: str,
        body: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Resp:
        headers = {"Authorization": bearer(token)} if token else {}
        resp = self.http.request(
            method,
            scim_path(base_url) + path,
            json_body=body,
            params=params,
            headers=headers,
            content_type="application/scim+json",
        )
        return self.record(step, resp)


def scim_path(base_url: str) -> str:
    """The base URL without Entra's ``?aadOptscim062020`` flag, as a full URL."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/")


class Stytch(Driver):
    def auth(self) -> dict[str, str]:
        return {"Authorization": basic(self.target.stytch_project_id, self.target.stytch_secret)}

    def call(
        self,
        step: str | None,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Resp:
        sent = {**self.auth(), **(headers or {})}
        return self.record(
            step, self.http.request(method, path, json_body=body, params=params, headers=sent)
        )

    # ------------------------------------------------------------ resources
    def create_org(self, step: str | None = "create-organization") -> dict[str, Any]:
        resp = self.call(
            step,
            "POST",
            "/v1/b2b/organizations",
            body={
                "organization_name": self.namer.name("org"),
                "organization_slug": self.namer.slug("org"),
            },
        )
        assert resp.status == 200, resp.text
        org = resp.json["organization"]
        org_id = org["organization_id"]
        self.cleanup.push(
            f"stytch: delete organization {org_id}",
            lambda: self._expect(
                self.http.request("DELETE", f"/v1/b2b/organizations/{org_id}", headers=self.auth()),
                200,
                404,
            ),
        )
        return org

    def create_connection(
        self, org_id: str, step: str | None = "create-connection", **body: Any
    ) -> tuple[dict[str, Any], Resp]:
        resp = self.call(
            step,
            "POST",
            f"/v1/b2b/scim/{org_id}/connection",
            body={"display_name": self.namer.name("scim"), **body},
        )
        if resp.status != 200:
            return {}, resp
        conn = resp.json["connection"]
        self.learn(conn.get("bearer_token"))
        conn_id = conn["connection_id"]
        self.cleanup.push(
            f"stytch: delete SCIM connection {conn_id}",
            lambda: self._expect(
                self.http.request(
                    "DELETE",
                    f"/v1/b2b/scim/{org_id}/connection/{conn_id}",
                    headers=self.auth(),
                ),
                200,
                404,
            ),
        )
        return conn, resp

    def rotate(self, step: str | None, org_id: str, conn_id: str, phase: str) -> Resp:
        resp = self.call(step, "POST", f"/v1/b2b/scim/{org_id}/connection/{conn_id}/rotate/{phase}")
        if resp.status == 200:
            self.learn(resp.json["connection"].get("next_bearer_token"))
        return resp

    @staticmethod
    def _expect(resp: Resp, *statuses: int) -> None:
        if resp.status not in statuses:
            raise RuntimeError(f"cleanup answered {resp.status}")


class SSOReady(Driver):
    def auth(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": bearer(key or self.target.ssoready_api_key)}

    def call(
        self,
        step: str | None,
        method: str,
        path: str,
        *,
        body: Any = None,
        params: dict[str, Any] | None = None,
        key: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Resp:
        sent = {**self.auth(key), **(headers or {})}
        return self.record(
            step, self.http.request(method, path, json_body=body, params=params, headers=sent)
        )

    def create_org(self, step: str | None = "create-organization") -> dict[str, Any]:
        domain = self.namer.domain()
        resp = self.call(
            step,
            "POST",
            "/v1/organizations",
            body={
                "displayName": self.namer.name("org"),
                "externalId": self.namer.name("org"),
                "domains": [domain],
            },
        )
        assert resp.status == 200, resp.text
        # SSOReady has no API to delete an organization; it keeps its prefixed name and
        # external id so a sweep can find it.
        return resp.json["organization"]

    def create_directory(
        self, org_id: str, step: str | None = "create-directory"
    ) -> dict[str, Any]:
        resp = self.call(
            step, "POST", "/v1/scim-directories", body={"organizationId": org_id, "primary": True}
        )
        assert resp.status == 200, resp.text
        directory = resp.json["scimDirectory"]
        dir_id = directory["id"]

        def revoke() -> None:
            # No delete API either: rotating leaves a token nobody knows, so whatever token
            # the run used (or leaked) is dead.
            r = self.http.request(
                "POST", f"/v1/scim-directories/{dir_id}/rotate-bearer-token", headers=self.auth()
            )
            if r.status != 200:
                raise RuntimeError(f"revoke answered {r.status}")

        self.cleanup.push(f"ssoready: revoke SCIM token of {dir_id}", revoke)
        return directory

    def rotate(self, step: str | None, dir_id: str) -> Resp:
        resp = self.call(step, "POST", f"/v1/scim-directories/{dir_id}/rotate-bearer-token")
        if resp.status == 200:
            self.learn(resp.json.get("bearerToken"))
        return resp
