"""The CLI's commands (T20 allows print here: this is the program's output)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from datetime import UTC, datetime

import requests

from bot.config import ConfigError, load_settings
from bot.runtime import build_runtime, tune_interpreter
from sync.connectors.http import make_session
from sync.connectors.salesforce_oauth import api_access_problem, discover_org_id
from sync.connectors.smartsheet import smartsheet_account
from sync.errors import SyncbotError, UnknownWorkflow
from sync.ids import to_18
from sync.services import Actor, Services, operator
from sync.store import migrate, repo
from sync.store.db import make_engine
from sync.store.repo import ConnectionKind
from sync.store.secrets import TokenCipher
from sync.workflow_file import dump, parse
from sync.workflows import export_specs, import_specs


def _now() -> datetime:
    return datetime.now(UTC)


def keygen(args: argparse.Namespace) -> int:
    print(TokenCipher.generate_key())
    return 0


def db_upgrade(args: argparse.Namespace) -> int:
    settings = load_settings()
    migrate.upgrade(make_engine(settings.database_url))
    print(f"database at head ({_safe_url(settings.database_url)})")
    return 0


def connections_add(args: argparse.Namespace) -> int:
    settings = load_settings()
    access, refresh = _tokens(args)
    runtime = build_runtime(settings)
    kind = ConnectionKind.SALESFORCE if args.service == "salesforce" else ConnectionKind.SMARTSHEET
    extra: dict[str, str] = {}
    if kind == ConnectionKind.SALESFORCE:
        if not args.instance_url:
            print("syncbot: --instance-url is required for Salesforce", file=sys.stderr)
            return 2
        http = make_session(settings.salesforce_ca_bundle)
        problem = api_access_problem(http, args.instance_url, access)
        if problem:
            print(f"syncbot: not connected: {problem}", file=sys.stderr)
            return 1
        who = _salesforce_account(http, args.instance_url, access)
        org = args.org_id or discover_org_id(http, args.instance_url, access)
        if not org:
            print(
                "syncbot: warning: could not tell the org of this token (pass --org-id); "
                "workflows of this owner will use this connection for any org",
                file=sys.stderr,
            )
        extra = {
            "org_id": to_18(org) if org else "",
            "instance_url": args.instance_url.rstrip("/"),
            "login_url": (args.login_url or settings.salesforce_login_url).rstrip("/"),
        }
    else:
        who = _smartsheet_account(settings.smartsheet_api_url, access)
    with runtime.store.unit() as session:
        connection_id = repo.add_connection(
            session,
            runtime.store.cipher,
            team_id=args.team,
            owner_id=args.owner,
            kind=kind,
            access_token=access,
            refresh_token=refresh,
            now=_now(),
            label=args.label,
            **extra,
        )
    print(
        f"connection {connection_id}: {args.service} account {who} for {args.owner} in {args.team}"
    )
    return 0


def _salesforce_account(http: requests.Session, instance_url: str, token: str) -> str:
    """One identity call: whose account the token opens, or a clear refusal. UserInfo
    needs the openid/id scope; a token without it is checked with a plain REST call."""
    base = instance_url.rstrip("/")
    auth = {"Authorization": f"Bearer {token}"}
    try:
        info = http.get(f"{base}/services/oauth2/userinfo", headers=auth, timeout=30)
        if info.status_code == 200:
            body = info.json()
            return f"{body.get('preferred_username', '?')} (org {body.get('organization_id')})"
        check = http.get(f"{base}/services/data/v59.0/limits/", headers=auth, timeout=30)
    except requests.RequestException as exc:
        raise ConfigError(
            f"Salesforce at {base} could not be reached ({type(exc).__name__})"
        ) from exc
    if check.status_code == 200:
        return "(name not given: the token lacks the openid scope)"
    raise ConfigError(
        f"Salesforce at {base} refused this access token (HTTP {check.status_code}); "
        "nothing was saved"
    )


def _smartsheet_account(api_url: str, token: str) -> str:
    try:
        return smartsheet_account(token, api_url)
    except SyncbotError as exc:
        raise ConfigError(
            f"Smartsheet refused this access token ({exc}); nothing was saved"
        ) from exc


def _tokens(args: argparse.Namespace) -> tuple[str, str | None]:
    if args.tokens_stdin:
        lines = [line.strip() for line in sys.stdin.read().splitlines() if line.strip()]
        if not lines:
            raise SystemExit("syncbot: no token on stdin")
        return lines[0], (lines[1] if len(lines) > 1 else args.refresh_token)
    if not args.access_token:
        raise SystemExit("syncbot: give --access-token or --tokens-stdin")
    return args.access_token, args.refresh_token


def connections_list(args: argparse.Namespace) -> int:
    runtime = build_runtime(load_settings())
    with runtime.store.unit() as session:
        rows = repo.list_connections(session, team_id=args.team)
    if not rows:
        print("no connections")
    for c in rows:
        where = f" org {c.org_id} {c.instance_url}" if c.kind == ConnectionKind.SALESFORCE else ""
        print(f"{c.id}\t{c.kind}\t{c.team_id}\t{c.owner_id}\t{c.status}\t{c.label}{where}")
    return 0


def workflows_export(args: argparse.Namespace) -> int:
    runtime = build_runtime(load_settings())
    text = dump(export_specs(runtime.store, team_id=args.team))
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return 0


def workflows_import(args: argparse.Namespace) -> int:
    specs = parse(args.file.read_text(encoding="utf-8"))
    runtime = build_runtime(load_settings())
    # an import waits for Smartsheet's per-token budget rather than failing half-way
    runtime.connectors.smartsheet_budget.blocking = True
    ids = import_specs(runtime.store, runtime.connectors, specs, _now())
    print(f"imported {len(ids)} workflow(s): {', '.join(map(str, ids))}")
    return 0


def sync_once(args: argparse.Namespace) -> int:
    runtime = build_runtime(load_settings(), progress=_print_progress)
    tune_interpreter()
    services = Services(runtime.store)
    for workflow_id in args.workflow or ():
        try:
            services.show(operator(), workflow_id)
        except UnknownWorkflow:
            raise _unknown(workflow_id) from None
    report = runtime.engine.tick(only=args.workflow)
    for workflow_id, execution in sorted(report.executions.items()):
        s = execution.stats
        print(
            f"workflow {workflow_id}: rows +{s.rows_created} ~{s.rows_updated} "
            f"-{s.rows_deleted}, records +{s.records_created} ~{s.records_updated}, "
            f"row errors {s.row_errors}, conflicts {s.conflicts}"
        )
    for failure in report.failures:
        print(f"problem: {failure}")
    for skip in report.skips:
        print(f"skipped: {skip}")
    print(f"{report.groups} group(s) synced, {report.failed} failed, {report.skipped} skipped")
    # asked to sync and synced nothing (another holder has every group): say so in the code
    nothing = report.skipped > 0 and report.groups + report.failed == 0
    return 1 if report.failures or nothing else 0


def _print_progress(workflow_id: int, done: int, total: int) -> None:
    print(f"workflow {workflow_id}: backfill {done}/{total}", flush=True)


def sandbox(args: argparse.Namespace) -> int:
    from sandbox.runner import Sandbox

    box = Sandbox(salesforce_size=args.size, smartsheet_size=min(args.size, 500)).start()
    lines = box.env_lines()
    if args.env_file:
        args.env_file.write_text(lines, encoding="utf-8")
    sys.stdout.write(lines)
    sys.stdout.flush()
    print(f"Sandbox workspace page: {box.viewer_url}", file=sys.stderr, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    finally:
        box.stop()
    return 0


def _safe_url(url: str) -> str:
    return make_engine(url).url.render_as_string(hide_password=True)


def _services() -> Services:
    return Services(build_runtime(load_settings()).store)


def workflows_list(args: argparse.Namespace) -> int:
    services = _services()
    actor = Actor(args.team, "cli", is_admin=True) if args.team else operator()
    found = services.list_workflows(actor, everyone=True)
    lines = [
        f"{w.id}\t{_state(w.status)}\t{w.owner_id}\t{w.object_name} -> sheet {w.sheet_id}\t{w.name}"
        + (f"\t({w.paused_reason})" if w.paused_reason else "")
        for w in found
    ]
    print("\n".join(lines) if lines else "no workflows")
    return 0


def _state(status: str) -> str:
    return (
        "paused" if status == "paused" else "active" + (" (failing)" if status == "failing" else "")
    )


def _unknown(workflow_id: int) -> LookupError:
    return LookupError(f"there is no workflow {workflow_id} (`syncbot workflows list`)")


def workflows_pause(args: argparse.Namespace) -> int:
    try:
        _services().pause(operator(), args.id, "paused from the command line")
    except UnknownWorkflow:
        raise _unknown(args.id) from None
    print(f"workflow {args.id} paused")
    return 0


def workflows_resume(args: argparse.Namespace) -> int:
    try:
        reason = _services().resume(operator(), args.id, accept_changes=args.accept_changes)
    except UnknownWorkflow:
        raise _unknown(args.id) from None
    print(f"workflow {args.id} resumed" + (f" (it was paused: {reason})" if reason else ""))
    return 0
