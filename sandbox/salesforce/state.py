"""OrgState: what every route mixin shares (users, records, tokens, API usage, clock).

``SalesforceEmulator`` is OrgState plus the routes (``oauth``, ``rest``, ``composite``)
and the public test API.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from werkzeug.wrappers import Request

from sandbox.core import Emulator, bearer_token

from .catalog import build_catalog
from .errors import SfError, not_found
from .identity import identity_body
from .ids import base62, make_id
from .query import Cursors
from .schema import ObjectDef
from .seed import Seeder
from .store import RecordStore
from .tokens import TokenStore, deterministic_token
from .users import SfUser, seeded_users, user_record

PRE_ISSUED_SCOPE = "api id"
RECYCLE_BIN_DAYS = 15  # deleted records are purged from the recycle bin after this


def utc_now() -> datetime:
    return datetime.now(UTC)


class OrgState(Emulator):
    def __init__(
        self,
        *,
        seed_size: int = 300,
        seed: int = 7,
        api_daily_max: int = 15000,
        session_seconds: int = 7200,
    ) -> None:
        self.seed_size = seed_size
        self.seed = seed
        self.clock: Callable[[], datetime] = utc_now
        self.base_url = "https://127.0.0.1"  # the instance: REST API (instance_url)
        self._login_url: str | None = None  # the login host (OAuth); the instance if unset
        self.api_enabled = True  # False: an edition without API access
        self.catalog = build_catalog()
        self.pod = "5" + base62(seed % 62, 1)
        self.org_id = make_id("00D", self.pod, 1_000 + seed)
        digest = hashlib.sha256(f"syncbot-sandbox:{seed}".encode()).hexdigest()
        self.client_id = "3MVG9" + (digest * 2)[:80].replace("0", "A").replace("9", "z")
        self.client_secret = hashlib.sha256(digest.encode()).hexdigest().upper()
        self.allowed_redirect_uris: list[str] | None = None
        self.users: dict[str, SfUser] = seeded_users(self.pod)
        self._seeded_users = dict(self.users)
        self.api_daily_max = api_daily_max
        self.api_used = 0
        super().__init__()
        self.store = RecordStore(self.catalog, self.pod)
        self.tokens = TokenStore(self.org_id, session_seconds)
        self.cursors = Cursors()
        self._seeded = self._build_seed(self.clock().replace(microsecond=0))
        self.reset()

    def _build_seed(self, anchor: datetime) -> Any:
        stamp = anchor.strftime("%Y-%m-%dT%H:%M:%S.000+0000")
        admin = self.users["admin"].id
        for user in self.users.values():
            self.store.tables["User"][user.id] = user_record(user, stamp, admin)
        Seeder(self.store, self.users, anchor, self.seed).run(self.seed_size)
        return self.store.freeze()

    def reset(self) -> None:
        """Seeded data, fresh pre-issued tokens, zero API usage; counters and faults cleared."""
        super().reset()
        with self.lock:
            self.store.restore(self._seeded)
            self.tokens.clear()
            self.cursors.clear()
            self.api_used = 0
            self.api_enabled = True
            self.users.update(self._seeded_users)
            now = self.clock()
            for alias in self.users:
                self.tokens.new_access(alias, PRE_ISSUED_SCOPE, now, value=self.token_for(alias))

    @property
    def login_url(self) -> str:
        """Where OAuth (authorize, token, revoke) and identity URLs live."""
        return self._login_url or self.base_url

    @login_url.setter
    def login_url(self, url: str | None) -> None:
        self._login_url = url

    def token_for(self, alias: str) -> str:
        return deterministic_token(self.org_id, self.seed, alias)

    # -- helpers the routes share -------------------------------------------------------------
    def authenticate(self, request: Request) -> SfUser:
        """The caller of a REST request; each authenticated call counts against the allowance."""
        access = self.tokens.live_access(bearer_token(request), self.clock())
        if access is None:
            raise SfError(401, "INVALID_SESSION_ID", "Session expired or invalid")
        if not self.api_enabled:
            raise SfError(
                403, "API_DISABLED_FOR_ORG", "The REST API is not enabled for this Organization."
            )
        if self.api_used >= self.api_daily_max:
            raise SfError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
        self.api_used += 1
        self.store.purge_expired(self.clock(), RECYCLE_BIN_DAYS)
        return self.users[access.alias]

    def object_def(self, name: str) -> ObjectDef:
        """An object named in a URL or attributes (case-insensitive) or 404 NOT_FOUND."""
        found = next((o for o in self.catalog.values() if o.name.lower() == name.lower()), None)
        if found is None:
            raise not_found()
        return found

    def user_by_login(self, login: str) -> SfUser | None:
        login = login.strip().lower()
        return next(
            (u for u in self.users.values() if login in (u.alias, u.username.lower())), None
        )

    def identity(self, user: SfUser, asserted: bool, version: str | None) -> dict[str, Any]:
        record = self.store.tables["User"][user.id]
        modified = record["LastModifiedDate"][:19] + "Z"
        return identity_body(
            self.base_url,
            self.org_id,
            user,
            asserted=asserted,
            version=version,
            last_modified=modified,
            login_url=self.login_url,
        )

    def limit_info(self) -> str:
        return f"api-usage={self.api_used}/{self.api_daily_max}"
