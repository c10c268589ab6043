"""Session JWTs: signed RS256 with a per-project key whose JWKS the mock serves, as Stytch does.

Stytch signs member-session JWTs with a per-project RSA key and publishes the public half at
``/v1/b2b/sessions/jwks/{project_id}`` (stytch-python ``b2b/client.py`` ``get_jwks_client``;
OAS ``api_session_v1_JWK``: ``kty``, ``use``, ``key_ops``, ``alg``, ``kid``, ``x5c``,
``x5tS256``, ``n``, ``e``). The SDKs verify locally with ``algorithms=["RS256"]``, audience
``project_id`` and issuer ``stytch.com/{project_id}`` (stytch-python
``shared/jwt_helpers.py`` ``_authenticate_jwt_local``).

The private key lives only in this process's memory, generated on first use per project id:
never in the store, a snapshot, a state file or the journal. A JWT minted by another process
(or before a restart) therefore fails signature verification after a restore, while its
session, and the session token, stay valid: the mock answers such a JWT as Stytch answers a
JWT it did not sign.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt as pyjwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from mockscim.engine import jsontext
from mockscim.http.bodies import MAX_DEPTH as MAX_BODY_DEPTH
from mockscim.vendors.stytch import errors

#: "the session_jwt will have a fixed lifetime of five minutes regardless of the underlying
#: session duration" (stytch-python ``b2b/api/sessions.py`` ``authenticate`` docstring).
JWT_LIFETIME = timedelta(minutes=5)
SESSION_CLAIM = "https://stytch.com/session"
ORGANIZATION_CLAIM = "https://stytch.com/organization"
#: A session JWT is a few kilobytes (custom claims are capped at 4 KB by Stytch); anything far
#: larger is refused before any decoding.
MAX_JWT_LENGTH = 64 * 1024
#: Deeper JSON in a header or payload is refused without recursion; custom claims come from a
#: request body, so the same bound as a body's lets every JWT the mock signs decode again.
MAX_DEPTH = MAX_BODY_DEPTH


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_int(value: int) -> str:
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey
    jwk: dict[str, Any]


_KEYS: dict[str, SigningKey] = {}
_BY_KID: dict[str, tuple[str, SigningKey]] = {}
_KEYS_LOCK = threading.Lock()


def _generate(project_id: str) -> SigningKey:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = private_key.public_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"stytch.com/{project_id}")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=366))
        .sign(private_key, hashes.SHA256())
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    numbers = public.public_numbers()
    # Stytch's kids read ``jwk-test-<uuid>`` in test projects (existing mock convention).
    # The OS's randomness, not the mock's (maybe seeded) stream: the key is made once per
    # process, so drawing from the stream would shift every later id of the first mock only.
    kid = f"jwk-test-{uuid.uuid4()}"
    jwk = {
        "kty": "RSA",
        "use": "sig",
        "key_ops": ["verify"],
        "alg": "RS256",
        "kid": kid,
        "x5c": [base64.b64encode(der).decode("ascii")],
        "x5tS256": _b64url(hashlib.sha256(der).digest()),
        "n": _b64url_int(numbers.n),
        "e": _b64url_int(numbers.e),
    }
    return SigningKey(kid, private_key, jwk)


def key_for(project_id: str) -> SigningKey:
    """The project's signing key, generated once per process (kept in memory only)."""
    with _KEYS_LOCK:
        key = _KEYS.get(project_id)
        if key is None:
            key = _KEYS[project_id] = _generate(project_id)
            _BY_KID[key.kid] = (project_id, key)
        return key


def jwks(project_id: str) -> list[dict[str, Any]]:
    """The project's JSON Web Key Set (one key: the mock never rotates)."""
    return [dict(key_for(project_id).jwk)]


def encode(project_id: str, claims: dict[str, Any]) -> str:
    key = key_for(project_id)
    return pyjwt.encode(claims, key.private_key, algorithm="RS256", headers={"kid": key.kid})


def _safe_segment(segment: str) -> Any:
    """One base64url JSON segment, parsed without a RecursionError reaching the caller."""
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        return jsontext.loads(raw, max_depth=MAX_DEPTH)
    except ValueError:  # malformed, undecodable or too deep (jsontext.TooDeep)
        raise errors.unable_to_parse_session_jwt() from None


def decode(token: str, project_id: str | None = None) -> dict[str, Any]:
    """The claims of a session JWT this project signed, or Stytch's JWT error.

    The ``exp`` claim is not enforced: "You may provide a JWT that needs to be refreshed and is
    expired according to its exp claim. A new JWT will be returned if both the signature and
    the underlying Session are still valid" (OAS ``api_b2b_session_v1_Authenticate``); the
    session's own expiry decides. Audience and issuer are checked as the SDKs check them,
    against ``project_id`` (default: the project whose key the JWT's ``kid`` names).
    """
    if not isinstance(token, str) or len(token) > MAX_JWT_LENGTH:
        raise errors.unable_to_parse_session_jwt()
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise errors.unable_to_parse_session_jwt()
    header = _safe_segment(parts[0])
    payload = _safe_segment(parts[1])
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise errors.unable_to_parse_session_jwt()
    with _KEYS_LOCK:
        found = _BY_KID.get(str(header.get("kid")))
    if found is None or header.get("alg") != "RS256":
        raise errors.unable_to_parse_session_jwt()
    signer, key = found
    project_id = project_id or signer
    try:
        claims = pyjwt.decode(
            token,
            key.private_key.public_key(),
            algorithms=["RS256"],
            audience=project_id,
            issuer=f"stytch.com/{project_id}",
            options={"verify_exp": False, "verify_nbf": False, "verify_iat": False},
        )
    except pyjwt.InvalidAudienceError:
        raise errors.jwt_invalid_audience() from None
    except pyjwt.InvalidIssuerError:
        raise errors.jwt_invalid_issuer() from None
    except pyjwt.InvalidSignatureError:
        raise errors.unable_to_parse_session_jwt() from None
    except (pyjwt.PyJWTError, ValueError, RecursionError):
        raise errors.unable_to_parse_session_jwt() from None
    if not isinstance(claims.get(SESSION_CLAIM), dict) or not isinstance(claims.get("sub"), str):
        raise errors.jwt_invalid_claims()
    return claims
