"""Tokens at rest: Fernet (AES-128-CBC + HMAC) with the key from SYNCBOT_ENCRYPTION_KEY."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from sync.errors import ConfigurationError


class TokenCipher:
    def __init__(self, key: str) -> None:
        if not key:
            raise ConfigurationError(
                "SYNCBOT_ENCRYPTION_KEY is not set; tokens cannot be stored. "
                "Generate one with `syncbot keygen`."
            )
        self._fernet = Fernet(key.encode())

    @staticmethod
    def generate_key() -> str:
        return Fernet.generate_key().decode()

    def encrypt(self, token: str) -> bytes:
        return self._fernet.encrypt(token.encode())

    def decrypt(self, blob: bytes) -> str:
        try:
            return self._fernet.decrypt(blob).decode()
        except InvalidToken as exc:
            raise ConfigurationError(
                "A stored token cannot be decrypted: SYNCBOT_ENCRYPTION_KEY changed since it "
                "was saved. Restore the old key or reconnect the account."
            ) from exc
