"""Build connectors for stored connections: decrypt the owner's tokens, and save refreshed
ones back (encrypted) as soon as a connector refreshes them. Budgets are shared: the
Smartsheet one counted per token in the database (every process on it draws on the same
300 a minute), the Salesforce share read from the admins' settings at each use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from sync.budget import SMARTSHEET_PER_MINUTE, BudgetUse, RateBudget
from sync.connectors.http import ApiObserver, make_session, observe
from sync.connectors.salesforce import SalesforceConnector, SalesforceCredentials
from sync.connectors.salesforce_oauth import SalesforceApp
from sync.connectors.smartsheet import SmartsheetApp, SmartsheetConnector, SmartsheetCredentials
from sync.ports import Clock
from sync.store import app_settings, repo
from sync.store.budget_counts import StoredCounts
from sync.store.repo import ConnectionInfo, Store, Tokens


@dataclass(frozen=True)
class ServiceConfig:
    salesforce_app: SalesforceApp
    smartsheet_app: SmartsheetApp
    smartsheet_api_url: str
    salesforce_ca_bundle: Path | None = None
    api_share: float = 0.25
    smartsheet_max_retry: float = 30.0
    smartsheet_calls_per_minute: int = SMARTSHEET_PER_MINUTE  # per token (Smartsheet's limit)
    on_api_call: ApiObserver | None = None


@dataclass(frozen=True)
class StoredSalesforce:
    """A Salesforce connection as stored: its row and tokens (None if it is gone) and the
    API share the admins set."""

    connection_id: int
    found: tuple[ConnectionInfo, Tokens] | None
    share: float


class ConnectorFactory:
    """Connectors are kept per connection between ticks while the stored token is the one
    they hold: their HTTP sessions keep their connections open (and building a Smartsheet
    client, with its TLS context, costs more than an idle call). A token changed in the
    store (reconnected, refreshed elsewhere) gets a new connector."""

    def __init__(self, store: Store, config: ServiceConfig, clock: Clock) -> None:
        self._salesforce: dict[int, SalesforceConnector] = {}
        self._smartsheet: dict[int, SmartsheetConnector] = {}
        self.smartsheet_budget = RateBudget(
            config.smartsheet_calls_per_minute, counts=StoredCounts(store, clock.now)
        )
        self.store = store
        self.config = config
        self.clock = clock

    def read_salesforce(self, session: Session, connection_id: int) -> StoredSalesforce:
        """What `salesforce` needs from the store, read in the caller's unit of work (the
        engine reads it with the group's claim: one transaction fewer per group run)."""
        found = repo.connection_with_tokens(session, self.store.cipher, connection_id)
        share = self._api_share(app_settings.read(session, app_settings.GLOBAL))
        return StoredSalesforce(connection_id, found, share)

    def salesforce(
        self, connection_id: int, stored: StoredSalesforce | None = None
    ) -> SalesforceConnector:
        if stored is None or stored.connection_id != connection_id:
            with self.store.unit() as session:
                stored = self.read_salesforce(session, connection_id)
        if stored.found is None:
            raise LookupError(f"connection {connection_id} does not exist")
        (info, secrets), share = stored.found, stored.share
        credentials = SalesforceCredentials(
            connection_id,
            info.instance_url,
            secrets.access_token,
            secrets.refresh_token,
            info.login_url,
        )
        kept = self._salesforce.get(connection_id)
        if kept is not None and kept.credentials == credentials:  # same tokens and hosts
            kept.forget_usage()
            kept.api_share = share
            return kept
        http = make_session(self.config.salesforce_ca_bundle)
        observe(http, "salesforce", self.config.on_api_call)
        built = SalesforceConnector(
            credentials,
            self.config.salesforce_app,
            session=http,
            api_share=share,
            on_tokens=self._save_salesforce,
        )
        self._salesforce[connection_id] = built
        return built

    def smartsheet(self, connection_id: int) -> SmartsheetConnector:
        with self.store.unit() as session:
            secrets = repo.tokens(session, self.store.cipher, connection_id)
        kept = self._smartsheet.get(connection_id)
        if kept is not None and kept.credentials.access_token == secrets.access_token:
            return kept
        credentials = SmartsheetCredentials(
            connection_id, secrets.access_token, secrets.refresh_token
        )
        built = SmartsheetConnector(
            credentials,
            self.config.smartsheet_app,
            api_base=self.config.smartsheet_api_url,
            on_tokens=self._save_smartsheet,
            max_retry_time=self.config.smartsheet_max_retry,
            budget=self.smartsheet_budget,
        )
        # The SDK builds its own session; its hooks are the one place to see each response.
        observe(built.http_session, "smartsheet", self.config.on_api_call)
        self._smartsheet[connection_id] = built
        return built

    def budget_use(self) -> list[BudgetUse]:
        """Per connection: Smartsheet calls of the last minute on its token (by every
        process) against the per-token limit, and Salesforce calls today (as the org last
        reported) against syncbot's share; each with the calls refused, whose work waits
        for later ticks."""
        budget = self.smartsheet_budget
        use = [
            BudgetUse(
                connection,
                "smartsheet",
                budget.used(key),
                budget.limit,
                deferred=budget.deferred(key),
                token=key,
                shared_with=tuple(c for c in holders if c != connection),
            )
            for key, holders in budget.keys().items()
            for connection in holders
        ]
        use.sort(key=lambda u: u.connection_id)
        for key, connector in sorted(self._salesforce.items()):
            usage = connector.last_usage
            if usage is not None:
                limit = int(usage[1] * connector.api_share)
                use.append(
                    BudgetUse(key, "salesforce", usage[0], limit, deferred=connector.deferred)
                )
        return use

    def _api_share(self, settings: dict[str, str]) -> float:
        """SYNC_API_SHARE as the admins last set it in `/sync admin`, else the configured."""
        stored = settings.get("api_share")
        try:
            return float(stored) if stored else self.config.api_share
        except ValueError:
            return self.config.api_share

    def _save_salesforce(self, credentials: SalesforceCredentials) -> None:
        with self.store.unit() as session:
            repo.save_tokens(
                session,
                self.store.cipher,
                credentials.connection_id,
                credentials.access_token,
                credentials.refresh_token,
                self.clock.now(),
                instance_url=credentials.instance_url,
            )

    def _save_smartsheet(self, credentials: SmartsheetCredentials) -> None:
        with self.store.unit() as session:
            repo.save_tokens(
                session,
                self.store.cipher,
                credentials.connection_id,
                credentials.access_token,
                credentials.refresh_token,
                self.clock.now(),
            )
