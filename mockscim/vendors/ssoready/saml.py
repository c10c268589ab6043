"""SSOReady's SAML connections and SAML logins, independent of HTTP. Callers hold the store
lock.

Connections follow ``internal/store/saml_connections_mgmt.go``: the SP entity id and ACS URL
are derived from the new id and the environment's auth URL; the IdP fields are a full
replacement on update (an absent certificate clears it); a primary connection makes the
organization's others non-primary (``UpdatePrimarySAMLConnection``), and an update to
``primary: false`` leaves the organization without one. Every store failure is a plain Go
error, which connect answers as code 2 (HTTP 500) with its text.

Logins follow ``internal/store/saml.go``: ``GetSAMLRedirectURL`` needs a connection with a
certificate (entity id and redirect URL are stored as empty strings, never NULL, so only the
certificate can be missing) and answers ``{auth}/v1/saml/{id}/init?state=...``; the mock's
login page (``samllogin``) stands in for the IdP and the ACS and hands out an access code,
which ``RedeemSAMLAccessCode`` exchanges once for the user's email and attributes.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re
from datetime import datetime, timedelta
from typing import Any

from mockscim.engine.tokens import ISSUED, digest
from mockscim.vendors.ssoready import errors
from mockscim.vendors.ssoready.organizations import StoreError, bool_field, find_org, str_field
from mockscim.vendors.ssoready.state import (
    ORG_PREFIX,
    SAML_ACCESS_CODE_PREFIX,
    SAML_CONNECTION_PREFIX,
    SAML_FLOW_PREFIX,
    SAMLConnection,
    SAMLFlow,
    SSOReadyState,
    id_error,
    new_id,
)

#: store/saml_connections_mgmt.go: the organization lookups are unwrapped, the id parse and
#: the IDOR check of UpdateSAMLConnection are wrapped.
PLAIN = StoreError()
UPDATE_LOOKUP = StoreError(
    "parse saml connection id: ", "get saml connection: no rows in result set"
)
#: store/saml.go: a SAML flow (and its access code) expires an hour after the redirect.
FLOW_LIFETIME = timedelta(hours=1)
#: mockscim's bound on kept logins (the oldest go first): a long-running mock must not grow
#: without end; SSOReady keeps every flow for its audit log.
MAX_FLOWS = 10_000
CERT_REQUIRED = "idp certificate must be a PEM-encoded CERTIFICATE block"
NOT_CONFIGURED = (
    "saml connection is not fully configured, see: "
    "https://ssoready.com/docs/ssoready-concepts/saml-connections#not-yet-configured"
)

_PEM = re.compile(
    r"-----BEGIN ([^\r\n-]*)-----\r?\n(?:[^\r\n]*:[^\r\n]*\r?\n)*\r?\n?(.*?)-----END \1-----",
    re.DOTALL,
)


# ---------------------------------------------------------------------- certificates
def _der_is_certificate(der: bytes) -> bool:
    """``x509.ParseCertificate``: with ``cryptography`` installed, a full parse; without it,
    the DER outline of a certificate (a SEQUENCE of exactly its own length that starts with
    the tbsCertificate SEQUENCE)."""
    try:
        from cryptography import x509
    except ImportError:  # pragma: no cover - cryptography ships with the dev and tls extras
        return _der_outline(der)
    try:
        x509.load_der_x509_certificate(der)
    except ValueError:
        return False
    return True


def _der_outline(der: bytes) -> bool:
    if len(der) < 4 or der[0] != 0x30:
        return False
    length, offset = der[1], 2
    if length & 0x80:
        count = length & 0x7F
        if count == 0 or count > 4 or len(der) < 2 + count:
            return False
        length, offset = int.from_bytes(der[2 : 2 + count], "big"), 2 + count
    return offset + length == len(der) and der[offset] == 0x30


def pem_certificate(text: str, exact: bool = True) -> str:
    """The PEM ``parseSAMLConnection`` answers for an ``idpCertificate`` input ("" for ""):
    ``pem.Decode`` takes the first PEM block anywhere in the text, it must be a
    ``CERTIFICATE`` that parses, and it is written back as Go's ``pem.EncodeToMemory`` does
    (64-character lines, no headers)."""
    fail = errors.unknown if exact else errors.invalid_argument
    if text == "":
        return ""
    match = _PEM.search(text)
    if match is None or match.group(1) != "CERTIFICATE":
        raise fail(CERT_REQUIRED)
    try:
        der = base64.b64decode("".join(match.group(2).split()), validate=True)
    except (binascii.Error, ValueError):
        raise fail(CERT_REQUIRED) from None
    if not _der_is_certificate(der):
        raise fail("parse idp certificate: x509: malformed certificate")
    body = base64.b64encode(der).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


# ---------------------------------------------------------------------- connections
def find_connection(
    state: SSOReadyState, connection_id: str, lookup: StoreError | None = PLAIN
) -> SAMLConnection:
    """The connection; ``lookup`` words the ``exact`` profile's code-2 error, None is the
    ``rfc`` profile's 404."""
    connection = state.saml_connections.get(connection_id)
    if connection is None:
        if lookup is None:
            raise errors.not_found(f"saml connection not found: {connection_id}")
        raise lookup.error(SAML_CONNECTION_PREFIX, connection_id)
    return connection


def find_organization(state: SSOReadyState, org_id: str, lookup: StoreError | None) -> None:
    """``exact``: the store's code-2 error; ``rfc``: 400 without an id, else 404."""
    if lookup is None and not org_id:
        raise errors.invalid_argument("organizationId is required")
    find_org(state, org_id, lookup)


def connections_of(state: SSOReadyState, org_id: str) -> list[SAMLConnection]:
    return [c for c in state.saml_connections.values() if c.organization_id == org_id]


def _make_primary(state: SSOReadyState, connection: SAMLConnection) -> None:
    for other in connections_of(state, connection.organization_id):
        other.primary = other.id == connection.id


def create_connection(
    state: SSOReadyState, body: dict[str, Any], auth_url: str, exact: bool = True
) -> SAMLConnection:
    """``CreateSAMLConnection``: the organization (unwrapped errors), then the certificate."""
    org_id = str_field(body, "organizationId")
    find_organization(state, org_id, PLAIN if exact else None)
    certificate = pem_certificate(str_field(body, "idpCertificate"), exact)
    connection_id = new_id(SAML_CONNECTION_PREFIX)
    connection = SAMLConnection(
        id=connection_id,
        organization_id=org_id,
        primary=bool_field(body, "primary"),
        idp_redirect_url=str_field(body, "idpRedirectUrl"),
        idp_entity_id=str_field(body, "idpEntityId"),
        idp_certificate=certificate,
        sp_entity_id=f"{auth_url}/v1/saml/{connection_id}",
        sp_acs_url=f"{auth_url}/v1/saml/{connection_id}/acs",
    )
    state.saml_connections[connection.id] = connection
    if connection.primary:
        _make_primary(state, connection)
    return connection


def update_connection(
    state: SSOReadyState, connection_id: str, body: dict[str, Any], exact: bool = True
) -> SAMLConnection:
    """``UpdateSAMLConnection``: ``idpEntityId``, ``idpRedirectUrl``, ``idpCertificate`` and
    ``primary`` replaced by the body's (absent: empty / false); ``organizationId`` and the SP
    fields are ignored."""
    connection = find_connection(state, connection_id, UPDATE_LOOKUP if exact else None)
    certificate = pem_certificate(str_field(body, "idpCertificate"), exact)
    primary = bool_field(body, "primary")
    redirect_url, entity_id = str_field(body, "idpRedirectUrl"), str_field(body, "idpEntityId")
    connection.idp_certificate = certificate
    connection.idp_redirect_url = redirect_url
    connection.idp_entity_id = entity_id
    connection.primary = primary
    if primary:
        _make_primary(state, connection)
    return connection


# ---------------------------------------------------------------------- logins
def _primary_connection(state: SSOReadyState, org_id: str) -> SAMLConnection | None:
    return next((c for c in connections_of(state, org_id) if c.primary), None)


def redirect_connection(
    state: SSOReadyState, body: dict[str, Any], exact: bool = True
) -> SAMLConnection:
    """``GetSAMLRedirectURL``'s selectors, with its InvalidArgument texts."""
    connection_id = str_field(body, "samlConnectionId")
    org_id = str_field(body, "organizationId")
    external_id = str_field(body, "organizationExternalId")
    if connection_id:
        problem = id_error(SAML_CONNECTION_PREFIX, connection_id)
        if problem:
            raise errors.invalid_argument(f"bad saml_connection_id: {problem}")
        found = state.saml_connections.get(connection_id)
        if found is None:
            raise errors.invalid_argument("saml connection not found")
        connection = found
    elif org_id:
        problem = id_error(ORG_PREFIX, org_id)
        if problem:
            raise errors.invalid_argument(f"bad organization_id: {problem}")
        primary = _primary_connection(state, org_id) if org_id in state.organizations else None
        if primary is None:
            raise errors.invalid_argument(
                "bad organization_id: organization not found, or organization does not have a "
                "primary SAML connection"
            )
        connection = primary
    elif external_id:
        org = state.org_by_external_id(external_id)
        primary = _primary_connection(state, org.id) if org else None
        if primary is None:
            raise errors.invalid_argument(
                "bad organization_external_id: organization not found, or organization does "
                "not have a primary SAML connection"
            )
        connection = primary
    else:
        raise errors.invalid_argument(
            "one of saml_connection_id, organization_id, or organization_external_id must be "
            "provided"
        )
    if not connection.idp_certificate:
        if not connection_id and exact:
            # upsertNotConfiguredSAMLFlow parses req.SamlConnectionId, which is empty when the
            # connection was chosen by organization: its parse error is returned as is.
            raise errors.unknown(id_error(SAML_CONNECTION_PREFIX, "") or "")
        raise errors.failed_precondition(NOT_CONFIGURED)
    return connection


def start_flow(
    state: SSOReadyState, connection: SAMLConnection, relay_state: str, now: datetime
) -> SAMLFlow:
    flow = SAMLFlow(new_id(SAML_FLOW_PREFIX), connection.id, relay_state, now + FLOW_LIFETIME)
    state.saml_flows[flow.id] = flow
    while len(state.saml_flows) > MAX_FLOWS:
        del state.saml_flows[next(iter(state.saml_flows))]
    return flow


def complete_flow(flow: SAMLFlow, email: str, attributes: dict[str, str]) -> str:
    """The ACS's success: the flow records who logged in and gets an access code, whose
    plaintext is returned once (only its digest is kept)."""
    code = new_id(SAML_ACCESS_CODE_PREFIX)
    flow.email = email
    flow.attributes = dict(attributes)
    flow.access_code = digest(code)
    ISSUED.remember(flow.access_code)  # redacted wherever a client echoes it
    return code


def idp_initiated_flow(state: SSOReadyState, connection: SAMLConnection, now: datetime) -> SAMLFlow:
    """A login the IdP started (no ``GetSAMLRedirectURL``): the flow has no state."""
    return start_flow(state, connection, "", now)


def redeem(state: SSOReadyState, code: str) -> dict[str, Any]:
    """``RedeemSAMLAccessCode``: a malformed code is InvalidArgument, an unknown or used one
    NotFound; a code works once (``UpdateSAMLFlowRedeem`` clears its digest) and, as the
    query has no expiry condition, at any time."""
    problem = id_error(SAML_ACCESS_CODE_PREFIX, code)
    if problem:
        raise errors.invalid_argument(f"bad saml_access_code: {problem}")
    presented = digest(code)  # once, then constant-time compares against each stored digest
    for flow in state.saml_flows.values():
        if flow.access_code is not None and hmac.compare_digest(presented, flow.access_code):
            flow.access_code = None
            connection = state.saml_connections[flow.connection_id]
            org = state.organizations[connection.organization_id]
            return {
                "email": flow.email,
                "state": flow.state,
                "attributes": dict(flow.attributes),
                "organizationId": org.id,
                "organizationExternalId": org.external_id,
                "samlFlowId": flow.id,
            }
    raise errors.not_found("saml access code not found, or already used")


def connection_json(connection: SAMLConnection) -> dict[str, Any]:
    """``parseSAMLConnection``, every field emitted (vanguard's ``EmitUnpopulated``)."""
    return {
        "id": connection.id,
        "organizationId": connection.organization_id,
        "primary": connection.primary,
        "idpRedirectUrl": connection.idp_redirect_url,
        "idpCertificate": connection.idp_certificate,
        "idpEntityId": connection.idp_entity_id,
        "spEntityId": connection.sp_entity_id,
        "spAcsUrl": connection.sp_acs_url,
    }
