"""Wiring syncbot to a running sandbox: the demo, the benchmarks and the tests connect a
user the same way."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sandbox.runner import Sandbox
from sync.connectors.factory import ServiceConfig
from sync.connectors.salesforce_oauth import SalesforceApp
from sync.connectors.smartsheet import SmartsheetApp
from sync.ids import to_18
from sync.store import repo
from sync.store.repo import ConnectionKind, Store


def connect_user(
    store: Store,
    box: Sandbox,
    *,
    team: str,
    owner: str,
    sf_user: str = "admin",
    ss_user: str = "owner",
    refreshable: bool = False,
) -> tuple[int, int]:
    """Register the sandbox tokens of `sf_user`/`ss_user` as `owner`'s connections (with
    `refreshable`, Salesforce tokens issued with a refresh token); returns
    (Salesforce connection id, Smartsheet connection id)."""
    sf, ss = box.salesforce, box.smartsheet
    now = datetime.now(UTC)
    access, refresh = sf.token_for(sf_user), None
    if refreshable:
        issued = sf.issue_tokens(sf_user)
        access, refresh = issued["access_token"], issued["refresh_token"]
    with store.unit() as session:
        sf_id = repo.add_connection(
            session,
            store.cipher,
            team_id=team,
            owner_id=owner,
            kind=ConnectionKind.SALESFORCE,
            access_token=access,
            refresh_token=refresh,
            now=now,
            org_id=to_18(sf.org_id),
            external_user_id=sf_user,
            instance_url=sf.base_url,
            login_url=sf.login_url,
            label=f"Sandbox org ({sf_user})",
        )
        ss_id = repo.add_connection(
            session,
            store.cipher,
            team_id=team,
            owner_id=owner,
            kind=ConnectionKind.SMARTSHEET,
            access_token=ss.token_for(ss_user),
            refresh_token=None,
            now=now,
            external_user_id=ss_user,
            label=f"Sandbox Smartsheet ({ss_user})",
        )
    return sf_id, ss_id


def service_config(box: Sandbox, **overrides: object) -> ServiceConfig:
    sf, ss = box.salesforce, box.smartsheet
    values: dict[str, object] = {
        "salesforce_app": SalesforceApp(sf.client_id, sf.client_secret),
        "smartsheet_app": SmartsheetApp(ss.client_id, ss.client_secret),
        "smartsheet_api_url": ss.api_base,
        "salesforce_ca_bundle": Path(box.ca_path),
        **overrides,
    }
    return ServiceConfig(**values)  # type: ignore[arg-type]
