"""The SAML login a ``GetSAMLRedirectURL`` URL starts: a mock IdP login page where a test (or a
person) picks who logs in, as SSOReady's DummyIDP does, and the ACS step that hands out the
access code.

The real flow is ``/v1/saml/{id}/init`` (auth service: an auto-posting form to the IdP), the
IdP's login, then a signed SAMLResponse posted to ``/v1/saml/{id}/acs``, which checks it and
redirects (303) to the environment's redirect URL with ``?saml_access_code=...``
(internal/authservice/service.go ``samlAcs``). The mock serves the init URL as the IdP page
itself and its form posts the chosen email and attributes to the ACS directly: no XML, no
signature (which is SSOReady's own work, not the application's). The ACS keeps SSOReady's
checks an application can observe: the subject must be an email address from one of the
organization's domains, else SSOReady's error page (HTTP 200) and no access code.

``POST /_mockscim/ssoready/saml-logins`` does the same without a browser, and
``PUT /_mockscim/ssoready/environment`` sets the redirect URL (without one, the ACS shows the
access code on a page instead of redirecting).
"""

from __future__ import annotations

import base64
import html
import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from flask import Blueprint, Flask, Response, request

from mockscim.engine.mock import Mock
from mockscim.http.bodies import BodyError, request_json
from mockscim.http.context import set_credential
from mockscim.vendors.ssoready import saml
from mockscim.vendors.ssoready.errors import SSOReadyError, go_http_error
from mockscim.vendors.ssoready.state import SAMLConnection, SAMLFlow, SSOReadyState

#: internal/emailaddr: the subject must look like an email; its domain is compared as is.
EMAIL_DOMAIN_SEPARATOR = "@"


def init_url(auth_url: str, connection_id: str, flow_id: str) -> str:
    state = base64.urlsafe_b64encode(flow_id.encode()).decode().rstrip("=")
    return f"{auth_url}/v1/saml/{connection_id}/init?{urlencode({'state': state})}"


def _flow_id(state: str) -> str:
    try:
        return base64.urlsafe_b64decode(state + "=" * (-len(state) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return ""


def render_text_http(status: int, message: str) -> Response:
    """Routing errors on the auth service's SAML paths: gorilla/mux's and ``http.Error``'s
    plain text."""
    return go_http_error(status, "404 page not found" if status == 404 else message)


class LoginRefused(Exception):
    """The ACS refuses the login: SSOReady's error page (or the auth service's plain text)."""

    def __init__(self, message: str, *, page: bool = True, status: int = 200) -> None:
        super().__init__(message)
        self.message = message
        self.page = page
        self.status = status


def _domain(email: str) -> str | None:
    local, sep, domain = email.rpartition(EMAIL_DOMAIN_SEPARATOR)
    if not sep or not local or not domain or any(c.isspace() for c in email):
        return None
    return domain.lower()


def log_in(
    mock: Mock,
    state: SSOReadyState,
    connection: SAMLConnection,
    flow: SAMLFlow | None,
    email: str,
    attributes: dict[str, str],
) -> tuple[str, SAMLFlow]:
    """The ACS's checks and its success: an access code for ``email``."""
    now = mock.clock.now()
    if flow is not None and now >= flow.expires_at:
        raise LoginRefused("expired assertion", page=False, status=400)
    if flow is None:
        flow = saml.idp_initiated_flow(state, connection, now)
    domain = _domain(email)
    if domain is None:
        raise LoginRefused(
            "Subject ID must be an email address. This needs to be fixed in the Identity Provider."
        )
    org = state.organizations[connection.organization_id]
    if domain not in org.domains:
        raise LoginRefused(
            "Subject ID email address is not from the list of allowed domains. This needs to be "
            "fixed in the Identity Provider."
        )
    return saml.complete_flow(flow, email, attributes), flow


def redirect_with_code(redirect_url: str, code: str) -> str:
    """``redirectURL.RawQuery = {saml_access_code}``: the environment URL's own query is
    replaced, not extended."""
    parts = urlsplit(redirect_url)
    return urlunsplit(parts._replace(query=urlencode({"saml_access_code": code})))


def _page(title: str, body: str) -> Response:
    return Response(
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        "<link rel='stylesheet' href='/ssoready-admin/static/setup.css'></head>"
        f"<body><main>{body}</main></body></html>",
        content_type="text/html; charset=utf-8",
        headers={
            "Cache-Control": "no-store",
            # No form-action: the ACS answers the form with a redirect to the application,
            # which a form-action limited to this origin would block.
            "Content-Security-Policy": (
                "default-src 'none'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'"
            ),
        },
    )


def _provisioned_emails(mock: Mock, state: SSOReadyState, org_id: str) -> list[str]:
    """The live SCIM users of the organization's directories (the first 200), offered on the
    login page as DummyIDP offers its app's users. Callers hold the store lock."""
    emails: list[str] = []
    for directory in state.directories_of(org_id):
        data = mock.store.directories.get(directory.id)
        for record in data.users.values() if data is not None else ():
            if not record.deleted and record.id not in state.inactive_users:
                emails.append(state.email_of(record.id) or str(record.data.get("userName", "")))
    return sorted(set(emails))[:200]


def _parse_attributes(text: str) -> dict[str, str]:
    """``key=value`` per line, the mock IdP form's way of choosing SAML attributes."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            out[key.strip()] = value.strip()
    return out


def register_saml_login(app: Flask, mock: Mock) -> None:
    bp = Blueprint("ssoready_saml_login", __name__)

    @bp.get("/v1/saml/<connection_id>/init")
    def init(connection_id: str) -> Response:
        with mock.store.lock:
            state: SSOReadyState = mock.store.vendor("ssoready")
            connection = state.saml_connections.get(connection_id)
            if connection is None:
                return go_http_error(404, "saml connection not found")
            org = state.organizations[connection.organization_id]
            domain = org.domains[0] if org.domains else "example.com"
            known = _provisioned_emails(mock, state, org.id)
        relay = html.escape(request.args.get("state", ""), quote=True)
        options = "".join(f"<option value='{html.escape(e, quote=True)}'>" for e in known)
        body = (
            "<header><h1>Mock identity provider</h1>"
            f"<p class='muted'>Log in to <code>{html.escape(connection_id)}</code> "
            "(mockscim's DummyIDP)</p></header>"
            f"<form class='card' method='post' action='/v1/saml/{html.escape(connection_id)}/acs'>"
            f"<input type='hidden' name='state' value='{relay}'>"
            # type=text: the page must be able to send what a broken IdP sends too.
            "<p><label>Email <input name='email' type='text' list='provisioned' "
            f"value='john.doe@{html.escape(domain, quote=True)}'></label></p>"
            f"<datalist id='provisioned'>{options}</datalist>"
            "<p><label>Attributes (one <code>key=value</code> per line)<br>"
            "<textarea name='attributes' rows='4' cols='50'></textarea></label></p>"
            "<p><button type='submit'>Log in</button></p></form>"
        )
        return _page("Mock identity provider", body)

    @bp.post("/v1/saml/<connection_id>/acs")
    def acs(connection_id: str) -> Response:
        email = request.form.get("email", "")
        attributes = _parse_attributes(request.form.get("attributes", ""))
        flow_id = _flow_id(request.form.get("state", ""))
        with mock.store.lock:
            state: SSOReadyState = mock.store.vendor("ssoready")
            connection = state.saml_connections.get(connection_id)
            if connection is None:
                return go_http_error(404, "saml connection not found")
            flow = state.saml_flows.get(flow_id) if flow_id else None
            if flow_id and (flow is None or flow.connection_id != connection_id):
                return go_http_error(400, "invalid saml request id")
            try:
                code, flow = log_in(mock, state, connection, flow, email, attributes)
            except LoginRefused as refused:
                if not refused.page:
                    return go_http_error(refused.status, refused.message)
                body = f"<h1>Error</h1><p class='error'>{html.escape(refused.message)}</p>"
                return _page("SAML login error", body)
            target = state.redirect_url
        set_credential("saml_login")
        if target:
            return Response(status=303, headers={"Location": redirect_with_code(target, code)})
        body = (
            "<h1>Logged in</h1><p>No redirect URL is configured "
            "(<code>PUT /_mockscim/ssoready/environment</code>); the SAML access code is:</p>"
            f"<pre data-testid='saml-access-code'>{html.escape(code)}</pre>"
        )
        return _page("SAML access code", body)

    # ------------------------------------------------------------ control plane
    @bp.put("/_mockscim/ssoready/environment")
    def set_environment() -> Response:
        try:
            body = request_json(required=True)
        except BodyError as exc:
            return _control_error(400, str(exc))
        url = body.get("redirectUrl", "")
        if not isinstance(url, str) or (url and urlsplit(url).scheme not in ("http", "https")):
            return _control_error(400, "redirectUrl must be an http(s) URL or empty")
        with mock.store.lock:
            state: SSOReadyState = mock.store.vendor("ssoready")
            state.redirect_url = url
        return _json({"redirectUrl": url})

    @bp.post("/_mockscim/ssoready/saml-logins")
    def control_login() -> Response:
        """A login without a browser: ``redirectUrl`` (from ``GetSAMLRedirectURL``) or
        ``samlConnectionId`` (IdP-initiated), ``email``, optional ``attributes``."""
        try:
            body = request_json(required=True)
        except BodyError as exc:
            return _control_error(400, str(exc))
        email, attributes = body.get("email"), body.get("attributes", {})
        if not isinstance(email, str):
            return _control_error(400, "email (a string) is required")
        if not isinstance(attributes, dict) or not all(
            isinstance(v, str) for v in attributes.values()
        ):
            return _control_error(400, "attributes must be an object of strings")
        with mock.store.lock:
            state: SSOReadyState = mock.store.vendor("ssoready")
            flow: SAMLFlow | None = None
            started = body.get("redirectUrl")
            if isinstance(started, str) and started:
                parts = urlsplit(started)
                segments = parts.path.strip("/").split("/")
                relay = parse_qs(parts.query).get("state", [""])[0]
                flow = state.saml_flows.get(_flow_id(relay))
                if flow is None or segments[-1:] != ["init"]:
                    return _control_error(404, "no SAML login was started with this URL")
                connection_id = flow.connection_id
            else:
                connection_id = body.get("samlConnectionId", "")
            connection = state.saml_connections.get(connection_id)  # type: ignore[arg-type]
            if connection is None:
                return _control_error(404, f"saml connection not found: {connection_id}")
            try:
                code, flow = log_in(mock, state, connection, flow, email, attributes)
            except LoginRefused as refused:
                return _control_error(400, refused.message)
            target = state.redirect_url
        result: dict[str, Any] = {"samlAccessCode": code, "samlFlowId": flow.id}
        result["redirectUrl"] = redirect_with_code(target, code) if target else ""
        return _json(result)

    @bp.errorhandler(SSOReadyError)
    def _error(error: SSOReadyError) -> Response:
        return _control_error(error.status, error.message)

    app.register_blueprint(bp)


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body), status=status, content_type="application/json")


def _control_error(status: int, message: str) -> Response:
    return _json({"error": message, "status": status}, status)
