"""What Slack and the CLI both call: an `Actor` in, dataclasses out, only syncbot's own
errors raised (`UnknownWorkflow` for an unknown *or foreign* id, `NotAllowed`).

Every query is scoped to the actor's workspace; a workflow of another team does not exist
for the caller, and neither does another user's unless the caller is an admin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from sync.audit import AuditLog, ChangeEntry
from sync.clock import SystemClock
from sync.connect import ConnectLinks
from sync.errors import NotAllowed, UnknownWorkflow
from sync.model import FieldMapping, Workflow
from sync.poller import Connectors, Syncer
from sync.ports import Clock
from sync.progress import ProgressHub
from sync.store import app_settings, incidents, readmodel, repo
from sync.store.incidents import Incident
from sync.store.readmodel import OpenError
from sync.store.repo import ConnectionInfo, Store, Tokens

__all__ = ["ChangeEntry", "ConnectionInfo", "Incident", "OpenError"]  # read types handlers may use

SHEET_URL = "https://app.smartsheet.com/sheets/{sheet_id}"


@dataclass(frozen=True)
class Actor:
    """Who asks: the Slack workspace, the user, and whether they administer syncbot there."""

    team: str
    user: str
    is_admin: bool = False


ALL_TEAMS = "*"  # no Slack team id looks like this


def operator() -> Actor:
    """The command line: an operator who sees every workspace (never built from Slack)."""
    return Actor(ALL_TEAMS, "cli", is_admin=True)


def _team(actor: Actor) -> str | None:
    return None if actor.team == ALL_TEAMS else actor.team


@dataclass(frozen=True)
class WorkflowSummary:
    id: int
    name: str
    owner_id: str
    object_name: str
    sheet_id: int
    status: str  # active | paused | failing
    paused_reason: str
    last_sync: datetime | None
    open_errors: int

    @property
    def sheet_url(self) -> str:
        return SHEET_URL.format(sheet_id=self.sheet_id)


@dataclass(frozen=True)
class WorkflowDetail:
    summary: WorkflowSummary
    fields: tuple[FieldMapping, ...]
    salesforce: ConnectionInfo | None
    smartsheet: ConnectionInfo | None


@dataclass(frozen=True)
class RunResult:
    workflow_id: int
    rows_created: int
    rows_updated: int
    records_created: int
    records_updated: int
    row_errors: int
    failures: tuple[str, ...]
    skipped: bool  # another instance holds the group's lease


HISTORY_PAGE = 20


@dataclass(frozen=True)
class HistoryPage:
    workflow_id: int
    entries: tuple[ChangeEntry, ...]
    offset: int
    total: int


RunNow = Callable[[int], RunResult]
# (the workflow's team, the users whose view of it changed, who acted): the front end
# refreshes what those people see (Slack: their App Home).
WorkflowsChanged = Callable[[str, frozenset[str], "Actor"], None]
Revoke = Callable[[ConnectionInfo, Tokens], None]
SheetCheck = Callable[[int, int], bool]  # (Smartsheet connection id, sheet id) -> may edit


@dataclass(frozen=True)
class OrgUsage:
    org: str  # a label people recognise
    used: int
    allowance: int
    share: float  # SYNC_API_SHARE: the part of the allowance syncbot may use
    kind: str = "salesforce"  # or "smartsheet": calls of the last minute on one token
    deferred: int = 0  # calls the budget refused lately: their work waits for later ticks

    def line(self) -> str:
        if self.kind == "smartsheet":
            text = f"{self.org}: {self.used:,} of {self.allowance:,} calls this minute"
        else:
            text = (
                f"{self.org}: {self.used:,} of {self.allowance:,} calls today "
                f"(syncbot may use {self.share:.0%})"
            )
        if self.deferred:
            calls = "call" if self.deferred == 1 else "calls"
            text += f" — at its limit: {self.deferred:,} {calls} spread over later ticks"
        return text


Usage = Callable[[str], list[OrgUsage]]  # team -> today's use per org


@dataclass(frozen=True)
class ConnectUrls:
    salesforce: str
    salesforce_sandbox: str
    smartsheet: str


@dataclass(frozen=True)
class ConnectConfig:
    public_url: str
    salesforce_login_url: str
    salesforce_sandbox_login_url: str


MY_DOMAIN_SUFFIXES = (".my.salesforce.com",)


def my_domain_host(typed: str) -> str | None:
    """The login host of a typed My Domain ("acme.my.salesforce.com", or a URL pasted
    from the browser's address bar), or None when it is not a Salesforce one."""
    text = typed.strip()
    if not text:
        return None
    try:
        parts = urlsplit(text if "://" in text else f"https://{text}")
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme != "https" or parts.port is not None or parts.username is not None:
        return None
    labels = host.split(".")
    if not host.endswith(MY_DOMAIN_SUFFIXES) or len(labels) < 4:
        return None
    return host if all(label.replace("-", "").isalnum() for label in labels) else None


EVERYONE, LISTED = "everyone", "list"


@dataclass(frozen=True)
class AdminSettings:
    access_mode: str  # EVERYONE | LISTED
    allowed: tuple[str, ...]  # Slack user ids, when LISTED
    poll_interval: int  # seconds, installation-wide
    api_share: float  # SYNC_API_SHARE, installation-wide


def _status(state: readmodel.WorkflowState | None) -> str:
    if state is None or state.active:
        return (
            "failing"
            if state and (state.open_errors or state.last_outcome == "failed")
            else "active"
        )
    return "paused"


class Services:
    """The service layer. `run_now` is wired by the composition root (it needs the engine)."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock | None = None,
        run_now: RunNow | None = None,
        default_poll_interval: int = 30,
        connect: ConnectConfig | None = None,
        revoke: Revoke | None = None,
        usage: Usage | None = None,
        default_api_share: float = 0.25,
        can_edit_sheet: SheetCheck | None = None,
        connectors: Connectors | None = None,
        progress: ProgressHub | None = None,
    ) -> None:
        self.store = store
        # The workflow builder (issue #7) lists objects, fields and sheets with the caller's
        # connections, and reports backfill progress through `progress` (wired to the engine).
        self.connectors = connectors
        self.progress = progress
        self.clock: Clock = clock or SystemClock()
        self._run_now = run_now
        self.default_poll_interval = default_poll_interval
        self.connect_config = connect
        self.links = ConnectLinks(store, self.clock)
        self._revoke = revoke
        self._usage = usage
        self.default_api_share = default_api_share
        self._can_edit_sheet = can_edit_sheet
        self.on_change: WorkflowsChanged | None = None  # set by the composition root

    # -- reading ---------------------------------------------------------------------
    def list_workflows(self, actor: Actor, *, everyone: bool = False) -> list[WorkflowSummary]:
        if everyone and not actor.is_admin:
            raise NotAllowed("Only syncbot admins can list everyone's workflows.")
        with self.store.unit() as session:
            found = [
                wf
                for wf in repo.workflows(session, team_id=_team(actor))
                if everyone or wf.owner_id == actor.user
            ]
            states = readmodel.workflow_states(session, [wf.id for wf in found])
        return [_summary(wf, states.get(wf.id)) for wf in found]

    def show(self, actor: Actor, workflow_id: int) -> WorkflowDetail:
        with self.store.unit() as session:
            wf = self._visible(session, actor, workflow_id)
            state = readmodel.workflow_states(session, [wf.id]).get(wf.id)
            sf = repo.get_connection(session, wf.salesforce_connection_id)
            ss = repo.get_connection(session, wf.smartsheet_connection_id)
        return WorkflowDetail(_summary(wf, state), wf.fields, sf, ss)

    def errors(self, actor: Actor, workflow_id: int, *, limit: int = 50) -> list[OpenError]:
        """Open row and workflow errors, newest first."""
        with self.store.unit() as session:
            self._visible(session, actor, workflow_id)
            return readmodel.open_errors(session, workflow_id, limit)

    def rows_of(self, actor: Actor, workflow_id: int, record_ids: Iterable[str]) -> dict[str, int]:
        """The sheet row of each linked record (error DMs link the rows themselves)."""
        with self.store.unit() as session:
            self._visible(session, actor, workflow_id)
            return repo.rows_of(session, workflow_id, record_ids)

    def connections(self, actor: Actor) -> list[ConnectionInfo]:
        with self.store.unit() as session:
            return repo.list_connections(session, team_id=actor.team, owner_id=actor.user)

    def history(self, actor: Actor, workflow_id: int, *, offset: int = 0) -> HistoryPage:
        """The audit trail, newest first, HISTORY_PAGE entries at a time."""
        with self.store.unit() as session:
            self._visible(session, actor, workflow_id)
        audit = AuditLog(self.store, self.clock.now)
        offset = max(0, offset)
        entries = audit.history(workflow_id, limit=HISTORY_PAGE, offset=offset)
        return HistoryPage(workflow_id, tuple(entries), offset, audit.count(workflow_id))

    def revert(self, actor: Actor, workflow_id: int, change_id: int) -> ChangeEntry:
        """Ask the next sync to write the old value back (logged as a change itself)."""
        with self.store.unit() as session:
            self._changeable(session, actor, workflow_id)
        audit = AuditLog(self.store, self.clock.now)
        return audit.request_revert(change_id, requested_by=actor.user, workflow_id=workflow_id)

    # -- changing --------------------------------------------------------------------
    def pause(self, actor: Actor, workflow_id: int, reason: str = "") -> WorkflowSummary:
        with self.store.unit() as session:
            wf = self._changeable(session, actor, workflow_id)
            readmodel.set_paused(
                session, workflow_id, reason or f"paused by {actor.user}", self.clock.now()
            )
        self._changed(wf, actor)
        return self.summary(actor, workflow_id)

    def resume(self, actor: Actor, workflow_id: int, *, accept_changes: bool = False) -> str:
        """Returns why it had been paused."""
        from sync.workflows import resume

        with self.store.unit() as session:
            wf = self._changeable(session, actor, workflow_id)
        was = resume(self.store, workflow_id, self.clock.now(), accept_changes=accept_changes)
        self._changed(wf, actor)
        return was

    def delete(self, actor: Actor, workflow_id: int) -> WorkflowSummary:
        """The workflow and its bookkeeping go; rows and records stay where they are."""
        gone = self.summary(actor, workflow_id)
        with self.store.unit() as session:
            wf = self._changeable(session, actor, workflow_id)
            repo.delete_workflow(session, workflow_id)
        self._changed(wf, actor)
        return gone

    def run(self, actor: Actor, workflow_id: int) -> RunResult:
        with self.store.unit() as session:
            wf = self._changeable(session, actor, workflow_id)
        if self._run_now is None:
            raise NotAllowed("Running now is not available in this set-up.")
        result = self._run_now(workflow_id)
        self._changed(wf, actor)
        return result

    def transfer(self, actor: Actor, workflow_id: int, new_owner: str) -> WorkflowSummary:
        """Admins only. The new owner needs connections to the same org and edit rights on
        the sheet, checked with their own Smartsheet token."""
        if not actor.is_admin:
            raise NotAllowed("Only syncbot admins can transfer workflows.")
        with self.store.unit() as session:
            wf = self._visible(session, actor, workflow_id)
            sf_old = repo.get_connection(session, wf.salesforce_connection_id)
            org = sf_old.org_id if sf_old else ""
            sf = repo.find_connection(
                session,
                team_id=wf.team_id,
                owner_id=new_owner,
                kind="salesforce",
                org_id=org or None,
            )
            ss = repo.find_connection(
                session, team_id=wf.team_id, owner_id=new_owner, kind="smartsheet"
            )
        if sf is None or ss is None or "active" not in (sf.status, ss.status):
            raise NotAllowed(
                "The new owner must first connect the same Salesforce org and Smartsheet "
                "to syncbot."
            )
        if self._can_edit_sheet is not None and not self._can_edit_sheet(ss.id, wf.sheet_id):
            raise NotAllowed(
                f"The new owner cannot edit sheet {wf.sheet_id}; share it with them first."
            )
        with self.store.unit() as session:
            readmodel.set_owner(session, workflow_id, new_owner, sf.id, ss.id, self.clock.now())
        self._changed(wf, actor, new_owner)
        return self.summary(actor, workflow_id)

    def summary(self, actor: Actor, workflow_id: int) -> WorkflowSummary:
        return self.show(actor, workflow_id).summary

    def api_usage(self, actor: Actor) -> list[OrgUsage]:
        if not actor.is_admin:
            raise NotAllowed("Only syncbot admins see API use.")
        return self._usage(actor.team) if self._usage else []

    def api_usage_lines(self, actor: Actor) -> list[str]:
        return [u.line() for u in self.api_usage(actor)]

    # -- admin settings (stored, applied without a restart) ------------------------------
    def admin_settings(self, actor: Actor) -> AdminSettings:
        if not actor.is_admin:
            raise NotAllowed("Only syncbot admins can change its settings.")
        return self._settings(actor.team)

    def _settings(self, team: str) -> AdminSettings:
        with self.store.unit() as session:
            local = app_settings.read(session, team)
            shared = app_settings.read(session, app_settings.GLOBAL)
        allowed = tuple(u for u in local.get("allowed", "").split(",") if u)
        return AdminSettings(
            access_mode=local.get("access_mode", EVERYONE),
            allowed=allowed,
            poll_interval=int(shared.get("poll_interval", self.default_poll_interval)),
            api_share=float(shared.get("api_share", self.default_api_share)),
        )

    def save_admin_settings(self, actor: Actor, new: AdminSettings) -> AdminSettings:
        """Raises ValueError naming the bad field ("poll_interval" / "api_share")."""
        if not actor.is_admin:
            raise NotAllowed("Only syncbot admins can change its settings.")
        if not 5 <= new.poll_interval <= 86400:
            raise ValueError("poll_interval")
        if not 0 < new.api_share <= 1:
            raise ValueError("api_share")
        now = self.clock.now()
        with self.store.unit() as session:
            app_settings.write(
                session,
                actor.team,
                {"access_mode": new.access_mode, "allowed": ",".join(sorted(set(new.allowed)))},
                now,
            )
            app_settings.write(
                session,
                app_settings.GLOBAL,
                {"poll_interval": str(new.poll_interval), "api_share": str(new.api_share)},
                now,
            )
        return self._settings(actor.team)

    def poll_interval(self) -> int:
        """Seconds between ticks, as the admins last set it (for the scheduler)."""
        return self._settings(app_settings.GLOBAL).poll_interval

    def api_share(self) -> float:
        return self._settings(app_settings.GLOBAL).api_share

    def may_use(self, actor: Actor) -> bool:
        """The allow-list: admins always; everyone else when access is open or listed."""
        if actor.is_admin:
            return True
        rules = self._settings(actor.team)
        return rules.access_mode == EVERYONE or actor.user in rules.allowed

    def allow(self, actor: Actor, user: str) -> None:
        rules = self.admin_settings(actor)
        self.save_admin_settings(
            actor,
            AdminSettings(
                rules.access_mode, (*rules.allowed, user), rules.poll_interval, rules.api_share
            ),
        )

    # -- workspace lifecycle -----------------------------------------------------------
    def workspace_uninstalled(self, team: str) -> list[int]:
        """Pause (not delete) the workspace's workflows, so a reinstall can resume them."""
        with self.store.unit() as session:
            paused = readmodel.pause_team(
                session, team, "syncbot was uninstalled from the workspace", self.clock.now()
            )
            incidents.close_team(session, team)
        return paused

    # -- error DMs -------------------------------------------------------------------
    def set_dm_mode(self, actor: Actor, workflow_id: int, mode: str) -> None:
        """ "all", "mute" or "digest" for this user's DMs about the workflow."""
        if mode not in incidents.DM_MODES:
            raise NotAllowed(f"`{mode}` is not a DM choice: all, digest or mute.")
        with self.store.unit() as session:
            self._visible(session, actor, workflow_id)
            incidents.set_dm_mode(session, actor.team, actor.user, workflow_id, mode)

    def dm_modes(self, actor: Actor) -> dict[int, str]:
        """The actor's DM choice per workflow ("all" when never chosen)."""
        with self.store.unit() as session:
            return dict(incidents.dm_modes(session, actor.team, actor.user))

    def record_dm_outcome(self, channel: str, ts: str, outcome: str) -> Incident | None:
        """The DM at (channel, ts) now shows `outcome` instead of buttons."""
        with self.store.unit() as session:
            return incidents.set_outcome(session, channel, ts, outcome)

    # -- connections -----------------------------------------------------------------
    def connect_urls(self, actor: Actor, response_url: str = "") -> ConnectUrls:
        """Fresh single-use links for the three Connect buttons."""
        config = self._connect()
        return ConnectUrls(
            salesforce=self._link(actor, "salesforce", config.salesforce_login_url, response_url),
            salesforce_sandbox=self._link(
                actor, "salesforce", config.salesforce_sandbox_login_url, response_url
            ),
            smartsheet=self._link(actor, "smartsheet", "", response_url),
        )

    def my_domain_url(self, actor: Actor, domain: str, response_url: str = "") -> str:
        """A link for a My Domain login host; NotAllowed unless it is a Salesforce domain."""
        host = my_domain_host(domain)
        if host is None:
            raise NotAllowed(
                f"“{domain.strip()}” is not a Salesforce My Domain: it ends in "
                ".my.salesforce.com, for example acme.my.salesforce.com."
            )
        return self._link(actor, "salesforce", f"https://{host}", response_url)

    def _link(self, actor: Actor, provider: str, login_url: str, response_url: str) -> str:
        token = self.links.issue(
            actor.team, actor.user, provider, login_url=login_url, response_url=response_url
        )
        return f"{self._connect().public_url}/connect/{provider}/start?t={token}"

    def _connect(self) -> ConnectConfig:
        if self.connect_config is None:
            raise NotAllowed("Connecting accounts from Slack is not set up here.")
        return self.connect_config

    def disconnect(self, actor: Actor, connection_id: int) -> tuple[ConnectionInfo, list[int]]:
        """Revoke at the provider, mark the connection revoked, pause workflows using it."""
        now = self.clock.now()
        with self.store.unit() as session:
            mine = {c.id: c for c in repo.list_connections(session, actor.team, actor.user)}
            if connection_id not in mine:
                raise NotAllowed("That is not one of your connections.")
            secrets = repo.tokens(session, self.store.cipher, connection_id)
        if self._revoke is not None:
            self._revoke(mine[connection_id], secrets)
        with self.store.unit() as session:
            repo.mark_connection(session, connection_id, "revoked", "disconnected", now)
            paused = readmodel.pause_using(
                session, connection_id, f"{mine[connection_id].label} was disconnected", now
            )
        if self.on_change is not None:
            self.on_change(actor.team, frozenset({actor.user}), actor)
        return mine[connection_id], paused

    # -- telling the front end -------------------------------------------------------
    def workflow_changed(self, actor: Actor, workflow_id: int) -> None:
        """Someone changed the workflow outside these services (the builder's save)."""
        with self.store.unit() as session:
            wf = self._visible(session, actor, workflow_id)
        self._changed(wf, actor)

    def _changed(self, wf: Workflow, actor: Actor, *also: str) -> None:
        if self.on_change is not None:
            self.on_change(wf.team_id, frozenset((wf.owner_id, *also)), actor)

    # -- checks ----------------------------------------------------------------------
    def _visible(self, session: Session, actor: Actor, workflow_id: int) -> Workflow:
        found = [w for w in repo.workflows(session, team_id=_team(actor)) if w.id == workflow_id]
        if not found or not (actor.is_admin or found[0].owner_id == actor.user):
            raise UnknownWorkflow(workflow_id)
        return found[0]

    def _changeable(self, session: Session, actor: Actor, workflow_id: int) -> Workflow:
        # Visible already means owner or admin, the two who may change a workflow.
        return self._visible(session, actor, workflow_id)


def _summary(wf: Workflow, state: readmodel.WorkflowState | None) -> WorkflowSummary:
    return WorkflowSummary(
        id=wf.id,
        name=wf.name,
        owner_id=wf.owner_id,
        object_name=wf.object_name,
        sheet_id=wf.sheet_id,
        status=_status(state),
        paused_reason=state.paused_reason if state else "",
        last_sync=state.last_sync if state else None,
        open_errors=state.open_errors if state else 0,
    )


def engine_runner(engine: Syncer) -> RunNow:
    """`run now` through the engine's normal tick, limited to the workflow's group (the
    database lease still applies: a group another instance holds is reported as skipped)."""

    def run(workflow_id: int) -> RunResult:
        report = engine.tick(only=[workflow_id])
        stats = report.executions[workflow_id].stats if workflow_id in report.executions else None
        return RunResult(
            workflow_id=workflow_id,
            rows_created=stats.rows_created if stats else 0,
            rows_updated=stats.rows_updated if stats else 0,
            records_created=stats.records_created if stats else 0,
            records_updated=stats.records_updated if stats else 0,
            row_errors=stats.row_errors if stats else 0,
            failures=tuple(report.failures),
            skipped=report.groups == 0 and report.skipped > 0,
        )

    return run
