"""Real RSA/EC keys for SSO tests: PEMs, JWK sets and tokens signed with them."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def public_pem(key: Any) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def private_pem(key: Any) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def rsa_jwks(kid: str = "k1") -> dict[str, Any]:
    jwk = json.loads(RSAAlgorithm.to_jwk(RSA_KEY.public_key()))
    jwk.update(kid=kid, alg="RS256", use="sig")
    return {"keys": [jwk]}


def ec_jwks(kid: str = "e1") -> dict[str, Any]:
    jwk = json.loads(ECAlgorithm.to_jwk(EC_KEY.public_key()))
    jwk.update(kid=kid, alg="ES256", use="sig")
    return {"keys": [jwk]}


def signed(
    alg: str,
    key: Any,
    *,
    aud: str = "gazette",
    kid: str | None = None,
    now: datetime | None = None,
    **claims: Any,
) -> str:
    ts = int(now.timestamp()) if now else int(time.time())
    payload: dict[str, Any] = {
        "sub": "rs-reader",
        "name": "Rosa Signed",
        "subscriber": True,
        "iat": ts,
        "exp": ts + 300,
        "aud": aud,
        **claims,
    }
    headers = {"kid": kid} if kid else None
    return jwt.encode(payload, key, algorithm=alg, headers=headers)
