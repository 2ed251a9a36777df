"""The id_token of Sign in with Slack: a JWT signed RS256 with a key published as a JWKS at
/openid/connect/keys (one RSA key per process, made when first needed)."""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

KEY_ID = "sandbox-openid-1"


@functools.cache
def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_b64(value: int) -> str:
    return _b64(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def sign(claims: dict[str, Any]) -> str:
    header = {"typ": "JWT", "alg": "RS256", "kid": KEY_ID}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = _key().sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{_b64(signature)}"


def at_hash(access_token: str) -> str:
    """OIDC's at_hash: the left half of the token's SHA-256, base64url."""
    return _b64(hashlib.sha256(access_token.encode()).digest()[:16])


def jwks() -> dict[str, Any]:
    public = _key().public_key().public_numbers()
    return {
        "keys": [
            {
                "e": _int_b64(public.e),
                "n": _int_b64(public.n),
                "kty": "RSA",
                "kid": KEY_ID,
                "alg": "RS256",
                "use": "sig",
            }
        ]
    }
