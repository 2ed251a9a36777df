"""Settings come from the environment with DESIGN.md's names; bad values are all reported
at once, in words that say what to do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import SERVE_REQUIRED, ConfigError, Settings, load_settings
from sync.store.secrets import TokenCipher


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults_follow_the_design() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///syncbot.db"
    assert settings.sync_poll_interval == 30
    assert settings.sync_api_share == 0.25
    assert settings.salesforce_login_url == "https://login.salesforce.com"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.smartsheet_api_url == "https://api.smartsheet.com/2.0"


def test_values_come_from_the_environment_and_dotenv(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SYNC_POLL_INTERVAL", "45")
    (tmp_path / ".env").write_text("SYNCBOT_ADMINS=U1, U2\nSLACK_API_URL=http://127.0.0.1:9/api\n")
    settings = load_settings()
    assert settings.sync_poll_interval == 45
    assert settings.admin_ids == frozenset({"U1", "U2"})
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"


def test_every_malformed_value_is_listed_in_one_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNC_POLL_INTERVAL", "often")
    monkeypatch.setenv("SYNC_API_SHARE", "2")
    monkeypatch.setenv("SYNCBOT_ENCRYPTION_KEY", "not-a-key")
    monkeypatch.setenv("SALESFORCE_LOGIN_URL", "login.salesforce.com")
    with pytest.raises(ConfigError) as refused:
        load_settings()
    message = str(refused.value)
    for name in (
        "SYNC_POLL_INTERVAL",
        "SYNC_API_SHARE",
        "SYNCBOT_ENCRYPTION_KEY",
        "SALESFORCE_LOGIN_URL",
    ):
        assert name in message
    assert "syncbot keygen" in message


def test_a_missing_ca_bundle_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SALESFORCE_CA_BUNDLE", "/nowhere/ca.pem")
    with pytest.raises(ConfigError, match=re.escape("no such file: /nowhere/ca.pem")):
        load_settings()


def test_required_secrets_are_listed_together_and_placeholders_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "changeme")
    monkeypatch.setenv("SYNCBOT_ENCRYPTION_KEY", TokenCipher.generate_key())
    settings = load_settings()
    with pytest.raises(ConfigError) as refused:
        settings.require(*SERVE_REQUIRED)
    message = str(refused.value)
    assert "SLACK_SIGNING_SECRET" in message and "SLACK_CLIENT_ID" in message
    assert "SYNCBOT_ENCRYPTION_KEY" not in message


def test_a_local_sqlite_database_gets_a_private_key_file_once(tmp_path: Path) -> None:
    from bot.runtime import encryption_key

    settings = load_settings(database_url=f"sqlite:///{tmp_path / 'data.db'}")
    first = encryption_key(settings)
    key_file = tmp_path / "data.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert encryption_key(settings) == first
    TokenCipher(first)  # a valid Fernet key


def test_a_shared_database_needs_the_key_in_the_environment() -> None:
    from bot.runtime import encryption_key

    settings = load_settings(database_url="postgresql://db.internal/syncbot")
    with pytest.raises(ConfigError, match="SYNCBOT_ENCRYPTION_KEY"):
        encryption_key(settings)
