"""Settings from the environment (and `.env`), with the names DESIGN.md fixes.

Built once by `load_settings()` in the CLI and passed down; never at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from cryptography.fernet import Fernet
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_PLACEHOLDERS = {"changeme", "change-me", "xxx", "todo", "secret", "your-secret-here"}


class ConfigError(Exception):
    """The environment is missing values or holds malformed ones; the message lists them all."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    database_url: str = "sqlite:///syncbot.db"
    public_url: str = "http://localhost:3000"
    port: int = Field(default=3000, ge=0, le=65535)

    slack_signing_secret: str = ""
    slack_client_id: str = ""
    slack_client_secret: str = ""
    slack_api_url: str = "https://slack.com/api/"

    salesforce_client_id: str = ""
    salesforce_client_secret: str = ""
    salesforce_login_url: str = "https://login.salesforce.com"
    salesforce_ca_bundle: Path | None = None

    smartsheet_client_id: str = ""
    smartsheet_client_secret: str = ""
    smartsheet_api_url: str = "https://api.smartsheet.com/2.0"
    smartsheet_authorize_url: str = "https://app.smartsheet.com/b/authorize"

    syncbot_encryption_key: str = ""
    sync_poll_interval: Annotated[int, Field(ge=1, le=86400)] = 30
    # How long a group's lease outlives a silent instance: a killed instance's groups are
    # taken over after this. Keep it above the longest group run.
    sync_lease_seconds: Annotated[int, Field(ge=1, le=86400)] = 300
    syncbot_admins: str = ""
    sync_api_share: Annotated[float, Field(gt=0, le=1)] = 0.25
    syncbot_digest_hour: Annotated[int, Field(ge=0, le=23)] = 9  # UTC hour of the error digest

    @field_validator(
        "public_url",
        "slack_api_url",
        "salesforce_login_url",
        "smartsheet_api_url",
        "smartsheet_authorize_url",
    )
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/")

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value + "/"  # slack_sdk joins method names onto it

    @field_validator("syncbot_encryption_key")
    @classmethod
    def _fernet_key(cls, value: str) -> str:
        if value:
            try:
                Fernet(value.encode())
            except (ValueError, TypeError) as exc:
                raise ValueError(
                    "must be a Fernet key (44 url-safe base64 characters); "
                    "make one with `syncbot keygen`"
                ) from exc
        return value

    @field_validator("salesforce_ca_bundle")
    @classmethod
    def _ca_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no such file: {value}")
        return value

    @property
    def admin_ids(self) -> frozenset[str]:
        return frozenset(part.strip() for part in self.syncbot_admins.split(",") if part.strip())

    def require(self, *names: str) -> None:
        """Fail with one message naming every required setting that is empty or a placeholder."""
        missing = [
            name.upper()
            for name in names
            if not str(getattr(self, name) or "").strip()
            or str(getattr(self, name)).strip().lower() in _PLACEHOLDERS
        ]
        if missing:
            raise ConfigError(
                "Missing settings: " + ", ".join(missing) + " (set them in the environment or .env)"
            )


SERVE_REQUIRED = (
    "slack_signing_secret",
    "slack_client_id",
    "slack_client_secret",
    "syncbot_encryption_key",
    "salesforce_client_id",
    "salesforce_client_secret",
    "smartsheet_client_id",
    "smartsheet_client_secret",
)


def load_settings(**overrides: object) -> Settings:
    """Read the environment; turn pydantic's errors into one readable ConfigError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = [
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        ]
        raise ConfigError("Invalid settings:\n  " + "\n  ".join(lines)) from None
